"""The built-in attribute catalogue: what a fact can be about, and its cue words.

A quantity is linked to an attribute only when the attribute's kind fits the
quantity's kind and one of its cues appears in the claim (``price`` is also
the default for money, since "launched at 3999 yuan" seldom says "price").
Facts files may declare more attributes or add cues to these.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("date", "money", "percent", "count", "multiple", "duration")


@dataclass(frozen=True, slots=True)
class Attribute:
    id: str
    kind: str
    cues: tuple[str, ...]
    origin: str = "built-in"  # or "file:line" of the declaring facts file


BUILTIN: dict[str, Attribute] = {a.id: a for a in (
    Attribute("launch_date", "date", (
        "launch", "launched", "launches", "launching", "debut", "debuted", "debuts",
        "unveil", "unveiled", "introduced", "premiered", "rolled out", "released",
        "release", "hit the market")),
    Attribute("release_date", "date", (
        "on sale", "went on sale", "go on sale", "goes on sale", "sale", "release", "released",
        "available", "availability", "shipping", "shipped", "first sale", "hit shelves",
        "hit stores", "in stores", "deliveries", "delivered")),
    Attribute("announce_date", "date", (
        "announce", "announced", "announcement", "announcing", "revealed", "unveiled",
        "presented", "showcased", "event", "keynote", "unpacked")),
    Attribute("price", "money", (
        "price", "priced", "prices", "pricing", "cost", "costs", "retail", "retails",
        "sells for", "selling for", "starting at", "starts at", "start at", "from",
        "set you back", "tag")),
    Attribute("sales", "count", (
        "sales", "sold", "shipments", "units", "orders", "pre-orders", "preorders",
        "sell", "sells", "deliveries", "delivered")),
    Attribute("revenue", "money", (
        "revenue", "revenues", "turnover", "income", "earned", "earnings", "takings")),
    Attribute("market_share", "percent", (
        "market share", "share of the market", "share of the global", "share of the")),
    Attribute("growth", "percent", (
        "growth", "grew", "rose", "increase", "increased", "jumped", "climbed", "up by",
        "gain", "gained", "surged")),
    Attribute("founded", "date", (
        "founded", "established", "set up", "incorporated", "created", "formed",
        "founding")),
    Attribute("population", "count", (
        "population", "inhabitants", "residents", "people live", "citizens")),
)}

# When no cue names an attribute, a quantity of this kind may still be checked
# against the entity's fact of this attribute.
DEFAULT_FOR_KIND = {"money": "price"}
