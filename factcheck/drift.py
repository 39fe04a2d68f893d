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
    if not sentences:
        return []
    text = doc_text(doc)
    tokens = token_arrays(doc)
    paragraphs = doc._.paragraphs or [(0, len(text))]
    n_para, n_sent = len(paragraphs), len(sentences)
    para_starts = np.array([p[0] for p in paragraphs], dtype=np.int64)
    sent_starts = np.array([s for s, _ in sentences], dtype=np.int64)

    # content words: longer than two letters, alphabetic, not a stop word
    content = (tokens.length > 2) & tokens.alpha & ~tokens.stop
    pos = tokens.idx[content]
    _, term = np.unique(tokens.lower[content], return_inverse=True)
    width = int(term.max()) + 1 if len(term) else 1  # key = unit * width + term
    para = _unit_of(para_starts, pos)
    sent = _unit_of(sent_starts, pos)

    total = np.bincount(term, minlength=width).astype(np.float64)
    total_sq = float(total @ total)
    para_keys, para_counts = np.unique(para * width + term, return_counts=True)
    sent_keys, sent_counts = np.unique(sent * width + term, return_counts=True)
    s_of, t_of = sent_keys // width, sent_keys % width
    v = sent_counts.astype(np.float64)
    norm_s = np.sqrt(np.bincount(s_of, v * v, minlength=n_sent))
    if n_para > 1:
        # |rest|^2 for "the article without paragraph p", without building it
        p_of = para_keys // width
        pv = para_counts.astype(np.float64)
        cross = np.bincount(p_of, pv * total[para_keys % width], minlength=n_para)
        own = np.bincount(p_of, pv * pv, minlength=n_para)
        rest_norm = np.sqrt(np.maximum(0.0, total_sq - 2 * cross + own))
        # each sentence against the article outside its paragraph
        sent_para = _unit_of(para_starts, sent_starts)
        lookup = sent_para[s_of] * width + t_of
        at = np.minimum(np.searchsorted(para_keys, lookup), len(para_keys) - 1)
        in_para = np.where(para_keys[at] == lookup, pv[at], 0.0)
        dot = np.bincount(s_of, v * (total[t_of] - in_para), minlength=n_sent)
        norm_rest = rest_norm[sent_para]
    else:  # one paragraph: compare with the other sentences
        dot = np.bincount(s_of, v * (total[t_of] - v), minlength=n_sent)
        removed = np.bincount(s_of, 2 * v * total[t_of] - v * v, minlength=n_sent)
        norm_rest = np.sqrt(np.maximum(0.0, total_sq - removed))
    # a capitalised word that does not open its sentence: a name
    opens = sent_starts[np.minimum(np.searchsorted(sent_starts, pos), n_sent - 1)] == pos
    novelty = _name_novelty(upper_at(text, pos) & ~opens, para, sent, term, width, n_sent, n_para)

    sims = [d / (ns * nr) if d > 0 and ns and nr else 0.0
            for d, ns, nr in zip(dot.tolist(), norm_s.tolist(), norm_rest.tolist())]
    return combine(sims, novelty)


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


def _name_novelty(is_name, para, sent, term, width, n_sent, n_para) -> list[float]:
    """Per sentence: the share of its names (capitalised words that do not open a
    sentence) found in its paragraph only; 0 with a single paragraph. ``width``:
    the number of terms (keys are unit * width + term)."""
    sent_names = np.unique(sent[is_name] * width + term[is_name])
    names = np.bincount(sent_names // width, minlength=n_sent)
    if n_para > 1:
        para_names = np.unique(para[is_name] * width + term[is_name])
        paras_with = np.bincount(para_names % width, minlength=width)
        novel = np.bincount(sent_names // width, paras_with[sent_names % width] <= 1, minlength=n_sent)
    else:
        novel = np.zeros(n_sent)
    return [int(k) / n if n else 0.0 for k, n in zip(novel.tolist(), names.tolist())]
