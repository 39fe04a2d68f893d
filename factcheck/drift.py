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

from spacy.tokens import Doc


def _content(token) -> bool:
    return token.is_alpha and not token.is_stop and len(token) > 2


def sentence_drift(doc: Doc, sentences: list[tuple[int, int]]) -> list[float]:
    paragraphs = doc._.paragraphs or [(0, len(doc.text))]
    para_starts = [p[0] for p in paragraphs]
    n_para = len(paragraphs)
    para_bags = [Counter() for _ in range(n_para)]
    para_names: list[set[str]] = [set() for _ in range(n_para)]
    sent_bags = [Counter() for _ in sentences]
    sent_names: list[set[str]] = [set() for _ in sentences]
    sent_starts = [s for s, _ in sentences]
    for token in doc:
        if not _content(token):
            continue
        p = max(0, bisect.bisect_right(para_starts, token.idx) - 1)
        s = max(0, bisect.bisect_right(sent_starts, token.idx) - 1)
        lemma = token.lower_
        para_bags[p][lemma] += 1
        sent_bags[s][lemma] += 1
        if token.text[:1].isupper() and not token.is_sent_start:
            para_names[p].add(lemma)
            sent_names[s].add(lemma)
    total = Counter()
    for bag in para_bags:
        total.update(bag)
    name_count = Counter()
    for names in para_names:
        name_count.update(names)

    sims: list[float] = []
    novelty: list[float] = []
    for i, (start, _end) in enumerate(sentences):
        p = max(0, bisect.bisect_right(para_starts, start) - 1)
        rest = total - para_bags[p] if n_para > 1 else total - sent_bags[i]
        sims.append(_cosine(sent_bags[i], rest))
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


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)
