"""Claims: sentences that carry something checkable, with a check-worthiness score.

A claim is a sentence holding at least one quantity (the dateline that gave
the publication date is not a claim). Its check-worthiness is a fixed
logistic score over visible features (what kind of figure, a named entity,
an attribute cue, hedging), so a reader can see why one claim outranks another.
"""

from __future__ import annotations

import math
import re

from spacy.tokens import Doc

from .facts import FactStore
from .pipeline import doc_text
from .reader import _HEADER_CUE, HEADER_LINES
from .records import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Claim, Mention, Quantity
from .textmatch import CaselessPattern
from .verify import verify_sentence

# Searched case-insensitively; CaselessPattern keeps that fast.
_HEDGE = CaselessPattern(r"\b(may|might|could|perhaps|seems?|reportedly|rumou?red|allegedly|"
                         r"expected to|likely|possibly)\b")
_COMPARE = CaselessPattern(r"\b(more|less|fewer|higher|lower|than|record|first|largest|biggest|"
                           r"surpass\w*|exceed\w*|times|most|best|top)\b")
# A sentence that names no entity may still be about the previous sentence's
# entities when it refers back to them.
_REFERS_BACK = CaselessPattern(r"\b(these|those|both|they|their|them|it|its|the (two|three|new|"
                               r"latest|phones?|models?|devices?|handsets?|company|firm|cars?|"
                               r"vehicles?|study|product|series|flagships?|pair))\b")


def checkworthiness(sentence: str, quantities: list[Quantity], mentions: list[Mention],
                    cue_hit: bool) -> float:
    kinds = {q.kind for q in quantities}
    z = -2.0
    z += 1.2 if kinds & {"money", "percent", "multiple"} else 0.0
    z += 0.8 if "date" in kinds else 0.0
    z += 0.5 if kinds & {"count", "duration"} else 0.0
    z += 1.0 if mentions else 0.0
    z += 0.8 if cue_hit else 0.0
    z += 0.4 if _COMPARE.found_in(sentence) else 0.0
    z -= 0.8 if sentence.rstrip().endswith("?") else 0.0
    z -= 0.5 if _HEDGE.found_in(sentence) else 0.0
    return round(1.0 / (1.0 + math.exp(-z)), 3)


_YEAR = re.compile(r"\d{4}")


def _header_end(text: str, published_from_header: bool) -> int:
    """End offset of the dateline that gave the publication date, or -1."""
    if not published_from_header:
        return -1
    pos = 0
    for i, line in enumerate(text.splitlines(keepends=True)):
        if i >= HEADER_LINES * 3:
            break
        if _HEADER_CUE.search(line) and _YEAR.search(line):
            return pos + len(line)
        pos += len(line)
    return -1


def _inside(starts: list[int], ends: list[int], i: int, start: int, end: int) -> tuple[int, int]:
    """Items ``[i, j)`` lying wholly inside the sentence ``start``-``end``.

    ``starts``/``ends`` are the items' offsets in text order; ``i`` is where the
    previous sentence's search began. Items starting before this sentence are
    passed over for good, so all sentences take one pass over the items.
    """
    n = len(starts)
    while i < n and starts[i] < start:
        i += 1
    j = i
    while j < n and ends[j] <= end:
        j += 1
    return i, j


def extract_claims(doc: Doc, store: FactStore | None, published_from_header: bool = False) -> list[Claim]:
    ext = doc._  # every `doc._` builds a new accessor
    quantities: list[Quantity] = ext.quantities or []
    mentions: list[Mention] = ext.mentions or []
    text = doc_text(doc)
    header_end = _header_end(text, published_from_header)
    q_starts, q_ends = [q.start for q in quantities], [q.end for q in quantities]
    m_starts, m_ends = [m.start for m in mentions], [m.end for m in mentions]
    claims: list[Claim] = []
    qi = mi = 0
    previous_mentions: list[Mention] = []
    cues = store.any_cue_pattern() if store is not None else None
    for _, _, start, end in ext.sentences:
        qi, qj = _inside(q_starts, q_ends, qi, start, end)
        if qi == len(quantities):
            break  # no quantity in this sentence or any later one: no more claims
        mi, mj = _inside(m_starts, m_ends, mi, start, end)
        sm = mentions[mi:mj]
        if qj == qi or end <= header_end:
            previous_mentions = sm
            continue
        sq = quantities[qi:qj]
        sentence = text[start:end]
        used = sm
        if not sm and previous_mentions and _REFERS_BACK.found_in(sentence):
            # "These two flagship models ... 3999 yuan and 4999 yuan": the
            # previous sentence's entities, in their order.
            used = [Mention(m.entity, m.text, m.start, m.end, m.score, anaphoric=True)
                    for m in previous_mentions]
        verdicts = verify_sentence(sentence, sq, used, store, start) if store is not None else []
        cue_hit = cues.found_in(sentence) if cues is not None else False
        claims.append(Claim(text=sentence, start=start, end=end,
                            checkworthiness=checkworthiness(sentence, sq, sm, cue_hit),
                            quantities=tuple(sq), verdicts=tuple(verdicts),
                            entities=tuple(sm)))
        previous_mentions = sm
    return claims


def claim_status(claim: Claim) -> str:
    statuses = {v.status for v in claim.verdicts}
    if CONTRADICTED in statuses:
        return CONTRADICTED
    if SUPPORTED in statuses:
        return SUPPORTED
    return UNVERIFIABLE
