"""Typed, frozen records passed between the stages of the pipeline.

spaCy objects stop before these records: renderers and the JSON report see
only builtin types (``as_dict``), in the spirit of sqlfluff's ``as_records``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

REPORT_SCHEMA = "factcheck.report/1"

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
UNVERIFIABLE = "unverifiable"
STATUSES = (SUPPORTED, CONTRADICTED, UNVERIFIABLE)

QUANTITY_KINDS = ("date", "money", "percent", "count", "multiple", "duration")


_SCALARS = frozenset({str, int, float, bool})


def _plain(value: Any) -> Any:
    """Turn records, tuples and dates into JSON-ready builtins, dropping None."""
    if type(value) in _SCALARS:  # most values of a report: answer them first
        return value
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, date):
        return value.isoformat()
    return value


class Record:
    """Mixin: ``as_dict`` keeps field order and omits fields that are None."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in _public_fields(type(self)):
            v = getattr(self, name)
            if v is None:
                continue
            out[name] = v if type(v) in _SCALARS else _plain(v)
        return out


_PUBLIC_FIELDS: dict[type, tuple[str, ...]] = {}


def _public_fields(cls: type) -> tuple[str, ...]:
    """Field names of a record class without the internal ones, computed once per class
    (``dataclasses.fields`` rebuilt them on every call: a third of a scan's JSON cost)."""
    names = _PUBLIC_FIELDS.get(cls)
    if names is None:
        names = _PUBLIC_FIELDS[cls] = tuple(f.name for f in fields(cls)
                                            if not f.metadata.get("internal"))
    return names


@dataclass(frozen=True, slots=True)
class Article(Record):
    """Decoded text of one input, with where it came from."""

    text: str
    source: str
    published: date | None = None
    published_from: str | None = None  # "option", "header" or None
    encoding: str | None = None
    media_type: str = "text/plain"


@dataclass(frozen=True, slots=True)
class Quantity(Record):
    text: str
    kind: str
    value: int | float | str
    unit: str | None
    start: int
    end: int
    approximate: bool = False
    relative: bool = False  # resolved against the publication date
    precision: str | None = None  # dates: "day", "month", "year", "range"


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """A place in the text that names an entity of the facts files."""

    entity: str
    text: str
    start: int
    end: int
    score: float = 100.0
    anaphoric: bool = False  # carried over from the previous sentence


@dataclass(frozen=True, slots=True)
class Verdict(Record):
    status: str
    entity: str | None
    attribute: str | None
    claimed: str
    expected: str | None
    quantity_start: int
    fact_file: str | None = None
    source: str | None = None
    explanation: str = ""
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class Claim(Record):
    text: str
    start: int
    end: int
    checkworthiness: float
    quantities: tuple[Quantity, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    entities: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleHit(Record):
    rule: str
    category: str
    text: str
    start: int
    end: int
    weight: float = field(default=1.0, metadata={"internal": True})
    product: str | None = field(default=None, metadata={"internal": True})


@dataclass(frozen=True, slots=True)
class Signal(Record):
    type: str  # "rule", "classifier", "topic_drift", "product", "disclosure"
    score: float | None = None
    rule: str | None = None
    category: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Promotion(Record):
    start: int
    end: int
    text: str
    score: float
    product: str | None
    signals: tuple[Signal, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary(Record):
    claims: int
    supported: int
    contradicted: int
    unverifiable: int
    promotions: int
    advertorial_score: float
    label: str


@dataclass(frozen=True, slots=True)
class Report(Record):
    source: str
    published: date | None
    summary: Summary
    claims: tuple[Claim, ...]
    promotions: tuple[Promotion, ...]
    rule_hits: tuple[RuleHit, ...]
    text: str = field(default="", metadata={"internal": True})
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        body = Record.as_dict(self)
        out: dict[str, Any] = {"schema": REPORT_SCHEMA, "source": self.source,
                               "published": _plain(self.published)}
        out.update(body)  # keeps the first keys' positions
        return out

    @property
    def has_findings(self) -> bool:
        return self.summary.contradicted > 0 or self.summary.promotions > 0
