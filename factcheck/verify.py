"""Verdicts: compare each claimed quantity with the facts of the entities it is about.

Pure functions over records; no I/O. The policy, in order:
  * the claim names an entity (or the previous sentence did: "These two
    flagship models ..."), the entity has a fact whose attribute fits the
    quantity's kind and is cued in the sentence (money defaults to price);
  * several quantities of one kind and as many entities pair up in order;
  * a claim matching any fact of the attribute (a phone has several prices)
    is supported; matching none is contradicted; no usable fact, another
    currency, or a number without its unit is unverifiable, never contradicted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .attributes import DEFAULT_FOR_KIND
from .facts import Fact, FactStore
from .records import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Mention, Quantity, Verdict

APPROXIMATE_TOLERANCE = 0.10  # "about 4,000 yuan" fits 3,999
_PRECISION_LEN = {"year": 4, "month": 7, "day": 10}
_NO_ENTITY = "No entity of the facts files is named here."


@dataclass(frozen=True, slots=True)
class Target:
    entity: str
    attribute: str


def claimed_text(q: Quantity) -> str:
    if q.kind == "date":
        return str(q.value)
    value = q.value
    if q.kind == "percent":
        return f"{value}{'%' if q.unit == '%' else ' ' + str(q.unit)}"
    if q.kind == "multiple":
        return f"{value}x"
    return f"{value} {q.unit}" if q.unit else str(value)


def _cued(store: FactStore, attribute: str, sentence_lower: str) -> bool:
    return bool(store.cue_regex(attribute).search(sentence_lower))


def _date_precision(value: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "day")


def compare_date(claimed: Quantity, fact: Fact) -> tuple[bool | None, str]:
    """(matches, explanation); None when the two cannot be compared."""
    value = str(claimed.value)
    expected = str(fact.value)
    if "/" in value:  # a span of years: fits when the fact's year lies inside
        lo, hi = value.split("/")
        inside = lo <= expected[:4] <= hi
        return inside, f"the record's year {expected[:4]} is {'inside' if inside else 'outside'} {value}"
    if value.startswith("--"):  # no year known: compare month (and day)
        return expected[4:4 + len(value) - 1] == value[1:], "compared without a year"
    n = min(len(value), len(expected))
    match = value[:n] == expected[:n]
    level = {4: "year", 7: "month", 10: "day"}.get(n, "day")
    return match, f"compared to the {level}"


def compare_number(claimed: Quantity, fact: Fact) -> tuple[bool | None, str]:
    if fact.kind == "money" and claimed.unit != fact.unit:
        return None, f"the claim is in {claimed.unit}, the record in {fact.unit}"
    if fact.kind == "percent" and (claimed.unit or "%") != (fact.unit or "%"):
        return None, "percentage points and percentages are not comparable"
    if fact.kind == "duration" and claimed.unit != fact.unit:
        return None, f"the claim is in {claimed.unit}s, the record in {fact.unit}s"
    if fact.kind == "count" and claimed.unit and fact.unit and \
            claimed.unit.lower() != fact.unit.lower():
        return None, f"the claim is in {claimed.unit}, the record in {fact.unit}"
    c, e = float(claimed.value), float(fact.value)
    tol = fact.tolerance * abs(e) if fact.tolerance_relative else fact.tolerance
    note = ""
    if claimed.approximate:
        tol = max(tol, APPROXIMATE_TOLERANCE * abs(e))
        note = " (approximate claim)"
    return abs(c - e) <= tol + 1e-9, f"difference {abs(c - e):g}, tolerance {tol:g}{note}"


def compare(claimed: Quantity, fact: Fact) -> tuple[bool | None, str]:
    if fact.kind == "date":
        return compare_date(claimed, fact)
    return compare_number(claimed, fact)


def _unitless_hint(q: Quantity, facts: list[Fact]) -> str | None:
    """'reached 600' where the record is 6x: the figure lacks its unit."""
    for f in facts:
        if f.kind == "multiple" and abs(float(q.value) - float(f.value) * 100) < 1e-9:
            return f"{q.value} has no unit; read as a percentage it equals the record's {f.value}x"
        if f.kind in ("multiple", "percent") and float(q.value) == float(f.value):
            return f"{q.value} has no unit; the record says {f.display()}"
    return None


def ranked_attributes(q: Quantity, store: FactStore, sentence_lower: str,
                      offset: int, cue_cache: dict | None = None) -> list[tuple[int, str]]:
    """(distance, attribute) for every attribute of the quantity's kind cued in the sentence,
    nearest cue first: in "unveiled on January 17 and went on sale on January 31" the
    first date is about the unveiling, the second about the sale."""
    pos = q.start - offset
    ranked = []
    for aid, attr in store.attributes.items():
        if attr.kind != q.kind:
            continue
        cues = cue_cache.get(aid) if cue_cache is not None else None
        if cues is None:  # one scan per sentence and attribute, not per quantity (O(n^2))
            cues = [m.start() for m in store.cue_regex(aid).finditer(sentence_lower)]
            if cue_cache is not None:
                cue_cache[aid] = cues
        if cues:
            # a cue before the quantity reads closer than one after it
            ranked.append((min(abs(c - pos) if c <= pos else (c - pos) * 2 for c in cues), aid))
    ranked.sort()
    return ranked


def attributes_for(q: Quantity, entity: str, store: FactStore, ranked: list[tuple[int, str]]) -> list[str]:
    """The nearest-cued attributes of ``entity`` that this quantity may be a claim about."""
    have = store.attributes_of(entity)
    usable = [(d, a) for d, a in ranked if a in have]
    if usable:
        best = usable[0][0]
        return [a for d, a in usable if d == best]
    default = DEFAULT_FOR_KIND.get(q.kind)
    if default in have and not ranked:
        # Only when no attribute of that kind is cued in the sentence at all.
        return [default]
    return []


def _verdict_for(q: Quantity, target: Target, store: FactStore) -> Verdict:
    facts = store.facts_for(target.entity, target.attribute)
    outcomes = [(f, *compare(q, f)) for f in facts]
    for f, ok, why in outcomes:
        if ok:
            return _make(SUPPORTED, q, target, f, f"Matches the record ({why}).")
    comparable = [(f, why) for f, ok, why in outcomes if ok is False]
    if comparable:
        f, why = comparable[0]
        others = "" if len(facts) == 1 else f" nor any of {len(facts)} recorded values"
        when = " (resolved against the publication date)" if q.relative else ""
        return _make(CONTRADICTED, q, target, f,
                     f"Claimed {claimed_text(q)}{when} does not match the record "
                     f"{f.display()}{others}; {why}.")
    f, _, why = outcomes[0]
    return _make(UNVERIFIABLE, q, target, f, f"Not comparable: {why}.")


def _make(status: str, q: Quantity, target: Target, fact: Fact, explanation: str) -> Verdict:
    name = target.entity
    return Verdict(status=status, entity=name, attribute=target.attribute,
                   claimed=claimed_text(q), expected=fact.display(), quantity_start=q.start,
                   fact_file=fact.location, source=fact.source,
                   explanation=explanation, qualifier=fact.qualifier)


def _unverifiable(q: Quantity, why: str, entity: str | None = None,
                  attribute: str | None = None) -> Verdict:
    return Verdict(status=UNVERIFIABLE, entity=entity, attribute=attribute,
                   claimed=claimed_text(q), expected=None, quantity_start=q.start,
                   explanation=why)


def verify_sentence(text: str, quantities: list[Quantity], mentions: list[Mention],
                    store: FactStore, offset: int = 0) -> list[Verdict]:
    """Verdicts for the quantities of one sentence (``text`` starts at ``offset``)."""
    if not mentions:
        # Most claims name no entity: skip the cue scans, whose plans would go unused.
        return [_unverifiable(q, _NO_ENTITY) for q in quantities]
    lower = text.lower()
    entity_order: list[str] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.entity not in entity_order:
            entity_order.append(m.entity)

    # Per quantity: which entities can it be about, through which attributes?
    plans: dict[int, dict[str, list[str]]] = {}
    groups: dict[tuple, list[Quantity]] = {}
    keys: dict[int, tuple] = {}
    cue_cache: dict[str, list[int]] = {}
    for q in quantities:
        ranked = ranked_attributes(q, store, lower, offset, cue_cache)
        plans[q.start] = {e: attributes_for(q, e, store, ranked) for e in entity_order}
        keys[q.start] = (q.kind, ranked[0][1] if ranked else None)
        groups.setdefault(keys[q.start], []).append(q)

    verdicts: list[Verdict] = []
    for q in quantities:
        plan = plans[q.start]
        able = [e for e in entity_order if plan[e] and not _blocked(q, e, mentions, text, offset)]
        group = groups[keys[q.start]]
        if not able:
            verdicts.append(_no_attribute(q, entity_order, store, lower))
            continue
        # "3999 yuan and 4999 yuan" after two phones: pair them in order.
        group_able = [e for e in entity_order if all(plans[x.start][e] for x in group)]
        if len(group) > 1 and len(group) == len(group_able):
            candidates = [group_able[group.index(q)]]
        else:
            candidates = _by_distance(q, able, mentions)
        verdicts.append(_best(q, candidates, plan, store))
    return verdicts


def _no_attribute(q: Quantity, entities: list[str], store: FactStore, lower: str) -> Verdict:
    if q.kind == "count" and q.unit is None:
        for e in entities:
            facts = [f for f in store.entities[e].facts
                     if f.kind in ("multiple", "percent") and _cued(store, f.attribute, lower)]
            hint = _unitless_hint(q, facts)
            if hint:
                f = facts[0]
                return Verdict(UNVERIFIABLE, e, f.attribute, claimed_text(q), f.display(), q.start,
                               f.location, f.source, hint.capitalize() + ".", f.qualifier)
    names = ", ".join(store.entities[e].name for e in entities)
    return _unverifiable(q, f"No recorded fact of kind {q.kind} fits this sentence for {names}.",
                         entity=entities[0])


# "X costs $79, and the Galaxy S24 starts at $799.99": a new clause whose
# subject is a name the facts files do not know.
_NEW_SUBJECT = re.compile(r"(?:;|,\s*(?:and|while|but|whereas|though|as)\b|\band\b|\bwhile\b)\s+"
                          r"(?:the\s+|rival\s+|its\s+|their\s+)?([A-Z][\w+-]*)")


def _blocked(q: Quantity, entity: str, mentions: list[Mention], text: str, offset: int) -> bool:
    """True when another, unknown subject stands between the entity and the quantity."""
    spots = [m for m in mentions if m.entity == entity and not m.anaphoric]
    if not spots:
        return False
    m = min(spots, key=lambda m: abs(m.start - q.start))
    lo, hi = (m.end, q.start) if m.end <= q.start else (q.end, m.start)
    for hit in _NEW_SUBJECT.finditer(text, max(0, lo - offset), max(0, hi - offset)):
        pos = hit.start(1) + offset
        if not any(x.start <= pos < x.end for x in mentions):
            return True
    return False


def _by_distance(q: Quantity, entities: list[str], mentions: list[Mention]) -> list[str]:
    """Entities ordered by how close their nearest mention is (preceding ones first on ties)."""
    def distance(e: str) -> tuple[int, int]:
        best = min((abs(m.start - q.start) if m.start < q.start else abs(m.start - q.end) + 1, m.start)
                   for m in mentions if m.entity == e) if any(m.entity == e for m in mentions) else (10**9, 0)
        return best
    return sorted(entities, key=distance)


def _best(q: Quantity, candidates: list[str], plans: dict[str, list[str]],
          store: FactStore) -> Verdict:
    """Supported by any candidate wins; else the nearest candidate's verdict."""
    results = [_verdict_for(q, Target(e, a), store) for e in candidates for a in plans[e]]
    for v in results:
        if v.status == SUPPORTED:
            return v
    for v in results:
        if v.status == CONTRADICTED:
            return v
    return results[0]
