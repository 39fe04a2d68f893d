"""Topic drift: how far each sentence strays from the rest of its article.

In the spirit of TextTiling: a sentence's content words are compared (cosine)
with the article outside its own paragraph, scaled by the article's median
similarity so that short and long articles read alike; names that appear in
that paragraph and nowhere else add to the drift ("Liver Formula" in a story
about phones).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from .pipeline import doc_text, token_table


def sentence_drift(doc: Doc, sentences: list[tuple[int, int]]) -> list[float]:
    words, idx, lowers = token_table(doc)
    paragraphs = doc._.paragraphs or [(0, len(doc_text(doc)))]
    para_starts = [p[0] for p in paragraphs]
    n_para = len(paragraphs)
    para_bags = [Counter() for _ in range(n_para)]
    para_names: list[set[str]] = [set() for _ in range(n_para)]
    sent_bags = [Counter() for _ in sentences]
    sent_names: list[set[str]] = [set() for _ in sentences]
    sent_starts = [s for s, _ in sentences]
    start_set = frozenset(sent_starts)
    p = s = 0
    for word, pos, lower in zip(words, idx, lowers):
        if len(word) <= 2 or not word.isalpha() or lower in STOP_WORDS:
            continue
        while p + 1 < n_para and para_starts[p + 1] <= pos:
            p += 1
        while s + 1 < len(sent_starts) and sent_starts[s + 1] <= pos:
            s += 1
        para_bags[p][lower] += 1
        if sentences:
            sent_bags[s][lower] += 1
        # a capitalised word that does not open its sentence: a name
        if word[0].isupper() and pos not in start_set:
            para_names[p].add(lower)
            if sentences:
                sent_names[s].add(lower)
    total = Counter()
    for bag in para_bags:
        total.update(bag)
    name_count = Counter()
    for names in para_names:
        name_count.update(names)

    # |rest|^2 for "the article without paragraph p", without building it
    total_sq = sum(v * v for v in total.values())
    rest_norm = []
    for bag in para_bags:
        cross = sum(v * total[k] for k, v in bag.items())
        own = sum(v * v for v in bag.values())
        rest_norm.append(math.sqrt(max(0.0, total_sq - 2 * cross + own)))
    sims: list[float] = []
    novelty: list[float] = []
    for i, (start, _end) in enumerate(sentences):
        p = max(0, bisect.bisect_right(para_starts, start) - 1)
        bag = sent_bags[i]
        if n_para > 1:
            dot = sum(v * (total[k] - para_bags[p][k]) for k, v in bag.items())
            norm_rest = rest_norm[p]
        else:  # one paragraph: compare with the other sentences
            dot = sum(v * (total[k] - v) for k, v in bag.items())
            norm_rest = math.sqrt(max(0.0, total_sq - sum(2 * v * total[k] - v * v for k, v in bag.items())))
        norm_s = math.sqrt(sum(v * v for v in bag.values()))
        sims.append(dot / (norm_s * norm_rest) if dot > 0 and norm_s and norm_rest else 0.0)
        names = sent_names[i]
        novel = [n for n in names if name_count[n] <= 1] if n_para > 1 else []
        novelty.append(len(novel) / len(names) if names else 0.0)
    positive = sorted(s for s in sims if s > 0)
    median = positive[len(positive) // 2] if positive else 0.0
    out = []
    for sim, nov in zip(sims, novelty):
        scaled = 1.0 - min(1.0, sim / (2 * median)) if median > 0 else 0.5
        out.append(round(0.65 * scaled + 0.35 * nov, 3))
    return out
