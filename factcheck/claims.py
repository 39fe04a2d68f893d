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

from .pipeline import doc_text
from .facts import FactStore
from .reader import HEADER_LINES, _HEADER_CUE
from .records import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Claim, Mention, Quantity
from .verify import verify_sentence

_HEDGE = re.compile(r"\b(may|might|could|perhaps|seems?|reportedly|rumou?red|allegedly|"
                    r"expected to|likely|possibly)\b", re.I)
_COMPARE = re.compile(r"\b(more|less|fewer|higher|lower|than|record|first|largest|biggest|"
                      r"surpass\w*|exceed\w*|times|most|best|top)\b", re.I)
# A sentence that names no entity may still be about the previous sentence's
# entities when it refers back to them.
_REFERS_BACK = re.compile(r"\b(these|those|both|they|their|them|it|its|the (two|three|new|latest|"
                          r"phones?|models?|devices?|handsets?|company|firm|cars?|vehicles?|study|"
                          r"product|series|flagships?|pair))\b", re.I)


def checkworthiness(sentence: str, quantities: list[Quantity], mentions: list[Mention],
                    cue_hit: bool) -> float:
    kinds = {q.kind for q in quantities}
    z = -2.0
    z += 1.2 if kinds & {"money", "percent", "multiple"} else 0.0
    z += 0.8 if "date" in kinds else 0.0
    z += 0.5 if kinds & {"count", "duration"} else 0.0
    z += 1.0 if mentions else 0.0
    z += 0.8 if cue_hit else 0.0
    z += 0.4 if _COMPARE.search(sentence) else 0.0
    z -= 0.8 if sentence.rstrip().endswith("?") else 0.0
    z -= 0.5 if _HEDGE.search(sentence) else 0.0
    return round(1.0 / (1.0 + math.exp(-z)), 3)


def _header_end(text: str, published_from_header: bool) -> int:
    """End offset of the dateline that gave the publication date, or -1."""
    if not published_from_header:
        return -1
    pos = 0
    for i, line in enumerate(text.splitlines(keepends=True)):
        if i >= HEADER_LINES * 3:
            break
        if _HEADER_CUE.search(line) and re.search(r"\d{4}", line):
            return pos + len(line)
        pos += len(line)
    return -1


def extract_claims(doc: Doc, store: FactStore | None, published_from_header: bool = False) -> list[Claim]:
    quantities: list[Quantity] = doc._.quantities or []
    mentions: list[Mention] = doc._.mentions or []
    header_end = _header_end(doc_text(doc), published_from_header)
    claims: list[Claim] = []
    qi = mi = 0
    previous_mentions: list[Mention] = []
    cue_rx = store.any_cue_regex() if store is not None else None
    for _, _, start, end in doc._.sentences:
        while qi < len(quantities) and quantities[qi].start < start:
            qi += 1
        sq = []
        j = qi
        while j < len(quantities) and quantities[j].end <= end:
            sq.append(quantities[j])
            j += 1
        while mi < len(mentions) and mentions[mi].start < start:
            mi += 1
        sm = []
        k = mi
        while k < len(mentions) and mentions[k].end <= end:
            sm.append(mentions[k])
            k += 1
        if not sq or end <= header_end:
            previous_mentions = sm
            continue
        text = doc_text(doc)[start:end]
        used = sm
        if not sm and previous_mentions and _REFERS_BACK.search(text):
            # "These two flagship models ... 3999 yuan and 4999 yuan": the
            # previous sentence's entities, in their order.
            used = [Mention(m.entity, m.text, m.start, m.end, m.score, anaphoric=True)
                    for m in previous_mentions]
        verdicts = verify_sentence(text, sq, used, store, start) if store is not None else []
        cue_hit = bool(cue_rx.search(text)) if cue_rx is not None else False
        claims.append(Claim(text=text, start=start, end=end,
                            checkworthiness=checkworthiness(text, sq, sm, cue_hit),
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
