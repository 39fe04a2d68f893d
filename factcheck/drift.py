"""Topic drift: how far each sentence strays from the rest of its article.

In the spirit of TextTiling: a sentence's content words are compared (cosine)
with the article outside its own paragraph, scaled by the article's median
similarity so that short and long articles read alike; names that appear in
that paragraph and nowhere else add to the drift ("Liver Formula" in a story
about phones).

The bags of words are sparse (paragraph or sentence, term) counts built with
numpy from the tokens' lower-case hashes: a Counter per paragraph and sentence
filled word by word cost ~0.3 ms an article, a tenth of a whole check. All
sums are of integers (exact in float64 far beyond article sizes), so the
similarities are the same numbers the word-by-word version computed.
"""

from __future__ import annotations

import numpy as np
from spacy.tokens import Doc

from .pipeline import doc_text, token_arrays, upper_at


def sentence_drift(doc: Doc, sentences: list[tuple[int, int]]) -> list[float]:
    """Drift in [0, 1] per (start char, end char) sentence, rounded to 3 places."""
    return sentence_drift_many([doc], [sentences])[0]


def sentence_drift_many(docs: list[Doc], sentences: list[list[tuple[int, int]]]) -> list[list[float]]:
    """``sentence_drift`` of each Doc, computed for all of them at once.

    The Docs' paragraphs and sentences are numbered one after the other, and a
    term is a word of one Doc, so every count keyed by (unit, term) is the one
    the Doc alone would have: each numpy step then runs once for a batch of
    articles instead of once per article (on a few hundred numbers a step costs
    more in its call than in its work).
    """
    out: list[list[float]] = [[] for _ in docs]
    live = [k for k, sents in enumerate(sentences) if sents]
    if not live:
        return out
    lowers, para_of, sent_of, sent_para, names = [], [], [], [], []
    para_base, sent_base = [0], [0]  # first paragraph and sentence number of each Doc
    for k in live:
        doc, sents = docs[k], sentences[k]
        text = doc_text(doc)
        tokens = token_arrays(doc)
        paragraphs = doc._.paragraphs or [(0, len(text))]
        para_starts = np.array([p[0] for p in paragraphs], dtype=np.int64)
        sent_starts = np.array([st for st, _ in sents], dtype=np.int64)
        # content words: longer than two letters, alphabetic, not a stop word
        content = (tokens.length > 2) & tokens.alpha & ~tokens.stop
        pos = tokens.idx[content]
        lowers.append(tokens.lower[content])
        para_of.append(_unit_of(para_starts, pos) + para_base[-1])
        sent_of.append(_unit_of(sent_starts, pos) + sent_base[-1])
        sent_para.append(_unit_of(para_starts, sent_starts) + para_base[-1])
        # a capitalised word that does not open its sentence: a name
        opens = sent_starts[np.minimum(np.searchsorted(sent_starts, pos), len(sents) - 1)] == pos
        names.append(upper_at(text, pos) & ~opens)
        para_base.append(para_base[-1] + len(paragraphs))
        sent_base.append(sent_base[-1] + len(sents))
    n_docs, n_para, n_sent = len(live), para_base[-1], sent_base[-1]
    para = np.concatenate(para_of)
    sent = np.concatenate(sent_of)
    sent_para = np.concatenate(sent_para)
    # a term: a (Doc, word) pair
    _, word = np.unique(np.concatenate(lowers), return_inverse=True)
    words = int(word.max()) + 1 if len(word) else 1
    doc_of_token = np.repeat(np.arange(n_docs), [len(x) for x in lowers])
    pairs, term = np.unique(doc_of_token * words + word.reshape(-1), return_inverse=True)
    term = term.reshape(-1)
    width = max(len(pairs), 1)  # key = unit * width + term
    doc_of_para = np.repeat(np.arange(n_docs), np.diff(para_base))
    doc_of_sent = np.repeat(np.arange(n_docs), np.diff(sent_base))
    multi = (np.diff(para_base) > 1)[doc_of_sent]  # sentences of Docs of several paragraphs

    total = np.bincount(term, minlength=width).astype(np.float64)
    total_sq = np.bincount(pairs // words, total[:len(pairs)] ** 2, minlength=n_docs)
    para_keys, para_counts = np.unique(para * width + term, return_counts=True)
    sent_keys, sent_counts = np.unique(sent * width + term, return_counts=True)
    s_of, t_of = sent_keys // width, sent_keys % width
    v = sent_counts.astype(np.float64)
    norm_s = np.sqrt(np.bincount(s_of, v * v, minlength=n_sent))
    # several paragraphs: each sentence against its Doc outside its paragraph;
    # |rest|^2 for "the Doc without paragraph p", without building it
    p_of = para_keys // width
    pv = para_counts.astype(np.float64)
    cross = np.bincount(p_of, pv * total[para_keys % width], minlength=n_para)
    own = np.bincount(p_of, pv * pv, minlength=n_para)
    rest_norm = np.sqrt(np.maximum(0.0, total_sq[doc_of_para] - 2 * cross + own))
    lookup = sent_para[s_of] * width + t_of
    at = np.minimum(np.searchsorted(para_keys, lookup), len(para_keys) - 1)
    in_para = np.where(para_keys[at] == lookup, pv[at], 0.0)
    dot_multi = np.bincount(s_of, v * (total[t_of] - in_para), minlength=n_sent)
    # one paragraph: against the other sentences
    dot_single = np.bincount(s_of, v * (total[t_of] - v), minlength=n_sent)
    removed = np.bincount(s_of, 2 * v * total[t_of] - v * v, minlength=n_sent)
    norm_single = np.sqrt(np.maximum(0.0, total_sq[doc_of_sent] - removed))
    dot = np.where(multi, dot_multi, dot_single)
    norm_rest = np.where(multi, rest_norm[sent_para], norm_single)
    novelty = _name_novelty(np.concatenate(names), para, sent, term, width, n_sent, multi)

    sims = [d / (ns * nr) if d > 0 and ns and nr else 0.0
            for d, ns, nr in zip(dot.tolist(), norm_s.tolist(), norm_rest.tolist())]
    for j, k in enumerate(live):
        lo, hi = sent_base[j], sent_base[j + 1]
        out[k] = combine(sims[lo:hi], novelty[lo:hi])
    return out


def combine(sims: list[float], novelty: list[float]) -> list[float]:
    """Drift from each sentence's similarity to the rest of the article, scaled by
    the article's median similarity, and the share of its names found nowhere else."""
    positive = sorted(s for s in sims if s > 0)
    median = positive[len(positive) // 2] if positive else 0.0
    out = []
    for sim, nov in zip(sims, novelty):
        scaled = 1.0 - min(1.0, sim / (2 * median)) if median > 0 else 0.5
        out.append(round(0.65 * scaled + 0.35 * nov, 3))
    return out


def _unit_of(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Index of the unit (paragraph, sentence) each position falls in; before the first: 0."""
    return np.maximum(np.searchsorted(starts, positions, side="right") - 1, 0)


def _name_novelty(is_name, para, sent, term, width, n_sent, multi) -> list[float]:
    """Per sentence: the share of its names (capitalised words that do not open a
    sentence) found in its paragraph only; 0 in a Doc of one paragraph (``multi``
    False for its sentences). ``width``: the number of terms (keys are unit *
    width + term; a term belongs to one Doc)."""
    sent_names = np.unique(sent[is_name] * width + term[is_name])
    names = np.bincount(sent_names // width, minlength=n_sent)
    para_names = np.unique(para[is_name] * width + term[is_name])
    paras_with = np.bincount(para_names % width, minlength=width)
    once = paras_with[sent_names % width] <= 1
    novel = np.where(multi, np.bincount(sent_names // width, once, minlength=n_sent), 0)
    return [int(k) / n if n else 0.0 for k, n in zip(novel.tolist(), names.tolist())]
