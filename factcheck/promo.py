"""Promotion passages: rule hits, classifier probability and topic drift, per sentence,
smoothed over neighbours and merged into passages with the product they promote.

Per sentence i:   s_i = sigmoid(B0 + B_MODEL*logit(p_i) + B_RULES*R_i + B_DRIFT*(d_i - .5)
                                  + B_PRODUCT*[a watched product is named])
where R_i sums the weights of the rule hits in the sentence (capped) plus half
those of combination (meta) hits over its paragraph. Smoothing mixes in the
neighbours; runs above THRESHOLD become passages, and a passage needs one
sentence above PEAK on its own. The weights were set on the development data
(see README, "How the promotion score is built").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .records import Promotion, RuleHit, Signal

B0, B_MODEL, B_RULES, B_DRIFT, B_PRODUCT = -0.4, 1.0, 0.9, 1.0, 0.8
RULES_CAP = 4.0
NEIGHBOUR = 0.15
THRESHOLD = 0.5
PEAK = 0.6
NO_MODEL_P = 0.2  # prior used when running without the classifier


@dataclass(frozen=True, slots=True)
class SentenceScore:
    start: int
    end: int
    model: float | None
    rules: float
    drift: float
    product: str | None
    raw: float
    smooth: float


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def score_sentences(sentences: list[tuple[int, int]], probabilities: list[float] | None,
                    drift: list[float], hits: list[RuleHit],
                    paragraphs: list[tuple[int, int]], use_rules: bool = True) -> list[SentenceScore]:
    n = len(sentences)
    rule_mass = [0.0] * n
    product: list[str | None] = [None] * n
    meta_by_para: dict[int, float] = {}
    for h in hits:
        if not use_rules:
            break
        if h.category == "combination":
            for pi, (ps, pe) in enumerate(paragraphs):
                if ps <= h.start < pe:
                    meta_by_para[pi] = meta_by_para.get(pi, 0.0) + h.weight
            continue
        i = _index_of(sentences, h.start)
        if i is None:
            continue
        rule_mass[i] += h.weight
        if h.product and product[i] is None:
            product[i] = h.product
    raw: list[float] = []
    for i, (start, _end) in enumerate(sentences):
        para = next((pi for pi, (ps, pe) in enumerate(paragraphs) if ps <= start < pe), None)
        mass = min(RULES_CAP, rule_mass[i] + 0.5 * meta_by_para.get(para, 0.0))
        p = probabilities[i] if probabilities is not None else NO_MODEL_P
        z = B0 + B_MODEL * _logit(p) + B_RULES * mass + B_DRIFT * (drift[i] - 0.5) + \
            (B_PRODUCT if product[i] else 0.0)
        raw.append(_sigmoid(z))
    out = []
    for i, (start, end) in enumerate(sentences):
        nbrs = [raw[j] for j in (i - 1, i + 1) if 0 <= j < n]
        mean = sum(nbrs) / len(nbrs) if nbrs else raw[i]
        smooth = (1 - NEIGHBOUR) * raw[i] + NEIGHBOUR * mean
        out.append(SentenceScore(start, end, probabilities[i] if probabilities is not None else None,
                                 round(rule_mass[i], 3), drift[i], product[i], round(raw[i], 4),
                                 round(smooth, 4)))
    return out


def _index_of(sentences: list[tuple[int, int]], pos: int) -> int | None:
    lo, hi = 0, len(sentences) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = sentences[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return mid
    return None


_NAME = re.compile(r"[\"“]([A-Z][\w'’-]*(?:\s+[A-Z0-9][\w'’-]*){0,3})[\"”]|"
                   r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][\w'’-]+){1,3})\b")


def _guess_product(text: str, passage: tuple[int, int], outside: str) -> str | None:
    """A name quoted or capitalised in the passage and absent from the rest of the article."""
    body = text[passage[0]:passage[1]]
    for m in _NAME.finditer(body):
        name = m[1] or m[2]
        if name and name not in outside and len(name) > 3:
            return name
    return None


def build_passages(text: str, scores: list[SentenceScore], hits: list[RuleHit]) -> list[Promotion]:
    runs: list[list[int]] = []
    current: list[int] = []
    for i, s in enumerate(scores):
        if s.smooth >= THRESHOLD:
            current.append(i)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    # Bridge one weak sentence between two runs ("then drifts back" only if it stays back).
    merged: list[list[int]] = []
    for run in runs:
        if merged and run[0] - merged[-1][-1] == 2 and scores[run[0] - 1].smooth >= THRESHOLD * 0.6:
            merged[-1].extend([run[0] - 1, *run])
        else:
            merged.append(list(run))
    promotions: list[Promotion] = []
    for run in merged:
        if max(scores[i].raw for i in run) < PEAK:
            continue
        start, end = scores[run[0]].start, scores[run[-1]].end
        inside = [h for h in hits if start <= h.start < end]
        products = Counter(h.product for h in inside if h.product)
        product = products.most_common(1)[0][0] if products else None
        if product is None:
            product = _guess_product(text, (start, end), text[:start] + text[end:])
        signals: list[Signal] = [Signal("rule", rule=h.rule, category=h.category, text=h.text,
                                        start=h.start, end=h.end) for h in inside]
        probs = [scores[i].model for i in run if scores[i].model is not None]
        if probs:
            signals.append(Signal("classifier", score=round(max(probs), 3)))
        signals.append(Signal("topic_drift", score=round(sum(scores[i].drift for i in run) / len(run), 3)))
        score = round(max(scores[i].smooth for i in run), 3)
        promotions.append(Promotion(start, end, text[start:end], score, product, tuple(signals)))
    return promotions
