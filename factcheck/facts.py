"""Facts files: load, validate (with file:line), and look facts up.

Schema in ../shared/contract.md. Validation collects every problem of every
file so that ``factcheck facts lint`` can list them all; loading for a check
stops at the first one with a single-line error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .attributes import BUILTIN, KINDS, Attribute
from .datafiles import Collector, gather, load_all
from .errors import FactcheckError, Problems
from .quantities import DURATION_UNITS
from .resources import shipped_facts_dir, yaml_files
from .textmatch import CaselessPattern, words_pattern
from .yamlsafe import Located

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
TOP_KEYS = {"version", "entities", "attributes"}
ENTITY_KEYS = {"id", "name", "aliases", "facts", "description", "fuzzy"}
FACT_KEYS = {"attribute", "value", "unit", "qualifier", "tolerance", "source", "note"}
ATTRIBUTE_KEYS = {"id", "kind", "cues", "description"}


@dataclass(frozen=True, slots=True)
class Fact:
    entity: str
    attribute: str
    kind: str
    value: Any  # number, or ISO date string "YYYY[-MM[-DD]]"
    unit: str | None
    qualifier: str | None
    tolerance: float
    tolerance_relative: bool
    source: str
    location: str  # file:line

    def display(self) -> str:
        if self.kind == "date":
            return str(self.value)
        value = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        if self.kind == "percent":
            return f"{value}%"
        if self.kind == "multiple":
            return f"{value}x"
        return f"{value} {self.unit}" if self.unit else value


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    aliases: tuple[str, ...]
    facts: tuple[Fact, ...]
    location: str
    fuzzy: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class FactStore:
    entities: dict[str, Entity] = field(default_factory=dict)
    attributes: dict[str, Attribute] = field(default_factory=lambda: dict(BUILTIN))
    files: list[str] = field(default_factory=list)

    # attribute id -> its cue regex; None -> CaselessPattern of every cue
    _cue_cache: dict = field(default_factory=dict, repr=False, compare=False)

    def cue_regex(self, attribute: str) -> re.Pattern[str]:
        """One compiled alternation of an attribute's cues (whole words)."""
        rx = self._cue_cache.get(attribute)
        if rx is None:
            rx = self._cue_cache[attribute] = _words_regex(self.attributes[attribute].cues)
        return rx

    def any_cue_regex(self) -> re.Pattern[str]:
        """The cues of every attribute at once (does a sentence name any attribute?)."""
        return self.any_cue_pattern().caseless

    def any_cue_pattern(self) -> CaselessPattern:
        """``any_cue_regex`` as a ``CaselessPattern`` (what claim scoring searches with)."""
        pattern = self._cue_cache.get(None)
        if pattern is None:
            cues = {c for a in self.attributes.values() for c in a.cues}
            pattern = self._cue_cache[None] = CaselessPattern(words_pattern(cues))
        return pattern

    def facts_for(self, entity: str, attribute: str) -> list[Fact]:
        return [f for f in self.entities[entity].facts if f.attribute == attribute]

    def attributes_of(self, entity: str) -> set[str]:
        return {f.attribute for f in self.entities[entity].facts}

    def __len__(self) -> int:
        return sum(len(e.facts) for e in self.entities.values())


def _words_regex(words, flags: int = 0) -> re.Pattern[str]:
    return re.compile(words_pattern(words), flags)


# --- value parsing ----------------------------------------------------------

def parse_fact_date(value: Any) -> str | None:
    """A fact's date as ISO at its own precision, or None when malformed."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 2999:
        return f"{value:04d}"
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
        if not m:
            return None
        y, mo, d = int(m[1]), m[2], m[3]
        try:
            if d:
                return date(y, int(mo), int(d)).isoformat()
            if mo:
                if not 1 <= int(mo) <= 12:
                    return None
                return f"{y:04d}-{int(mo):02d}"
            return f"{y:04d}"
        except ValueError:
            return None
    return None


def parse_tolerance(value: Any) -> tuple[float, bool] | None:
    if value is None:
        return 0.0, False
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value >= 0:
        return float(value), False
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", value)
        if m:
            return float(m[1]) / 100.0, True
    return None


# --- loading ----------------------------------------------------------------

def _location(path: str, line: int) -> str:
    return f"{path}:{line}"


def _parse_attributes(doc: Located, c: Collector, store: FactStore) -> None:
    items = doc.get("attributes") or []
    if not isinstance(items, list):
        c.add("`attributes` must be a list", doc.line_of("attributes"))
        return
    for item in items:
        if not isinstance(item, Located):
            c.add("each attribute must be a mapping with id, kind and cues",
                  getattr(items, "line", None))
            continue
        c.unknown_keys(item, ATTRIBUTE_KEYS, "attribute")
        aid, kind, cues = item.get("id"), item.get("kind"), item.get("cues") or []
        if not isinstance(aid, str) or not ID_RE.match(aid.replace("_", "-")):
            c.add(f"attribute id {aid!r} must be lowercase letters, digits, '_', '-' or '.'",
                  item.line_of("id"))
            continue
        if kind not in KINDS:
            c.add(f"attribute {aid!r}: kind {kind!r} is not one of {', '.join(KINDS)}",
                  item.line_of("kind"))
            continue
        if not isinstance(cues, list) or not all(isinstance(x, str) and x.strip() for x in cues):
            c.add(f"attribute {aid!r}: cues must be a list of words or phrases", item.line_of("cues"))
            continue
        existing = store.attributes.get(aid)
        if existing and existing.kind != kind:
            c.add(f"attribute {aid!r} is already declared with kind {existing.kind!r} "
                  f"({existing.origin})", item.line_of("kind"))
            continue
        merged = tuple(dict.fromkeys((existing.cues if existing else ()) +
                                     tuple(x.strip().lower() for x in cues)))
        store.attributes[aid] = Attribute(aid, kind, merged, _location(c.path, item.line))


def _parse_fact(item: Any, entity_id: str, c: Collector, store: FactStore,
                list_line: int) -> Fact | None:
    if not isinstance(item, Located):
        c.add(f"entity {entity_id!r}: each fact must be a mapping", list_line)
        return None
    c.unknown_keys(item, FACT_KEYS, "fact")
    attr_id = item.get("attribute")
    attribute = store.attributes.get(attr_id) if isinstance(attr_id, str) else None
    if attribute is None:
        c.add(f"entity {entity_id!r}: unknown attribute {attr_id!r}", item.line_of("attribute"),
              hint="use a built-in attribute or declare it under `attributes:`")
        return None
    if "value" not in item:
        c.add(f"entity {entity_id!r}: fact {attr_id!r} has no value", item.line)
        return None
    raw, unit = item["value"], item.get("unit")
    line = item.line_of("value")
    if attribute.kind == "date":
        value = parse_fact_date(raw)
        if value is None:
            c.add(f"entity {entity_id!r}: {attr_id} value {raw!r} is not a date "
                  "(YYYY-MM-DD, YYYY-MM or YYYY)", line)
            return None
    else:
        if isinstance(raw, str) and re.fullmatch(r"\s*[-+]?\d+(\.\d+)?[eE][-+]?\d+\s*", raw):
            raw = float(raw)  # YAML 1.1 reads "1.2e9" as text; users mean the number
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            c.add(f"entity {entity_id!r}: {attr_id} value {raw!r} must be a number "
                  f"(kind {attribute.kind})", line, hint="write 3999, not '3,999 yuan'")
            return None
        value = raw
        if attribute.kind == "money":
            if not isinstance(unit, str) or not CURRENCY_RE.match(unit):
                c.add(f"entity {entity_id!r}: money fact {attr_id!r} needs `unit` as an ISO 4217 "
                      f"code such as CNY or USD (got {unit!r})", item.line_of("unit"))
                return None
        elif attribute.kind == "duration":
            if unit not in set(DURATION_UNITS.values()):
                c.add(f"entity {entity_id!r}: duration fact {attr_id!r} needs `unit`, one of "
                      + ", ".join(sorted(set(DURATION_UNITS.values()))), item.line_of("unit"))
                return None
        elif attribute.kind == "percent":
            unit = unit or "%"
        elif attribute.kind == "multiple":
            unit = unit or "x"
    tolerance = parse_tolerance(item.get("tolerance"))
    if tolerance is None:
        c.add(f"entity {entity_id!r}: tolerance {item.get('tolerance')!r} must be a number >= 0 "
              "or a percentage such as '2%'", item.line_of("tolerance"))
        return None
    source = item.get("source")
    if not isinstance(source, str) or not source.strip():
        c.add(f"entity {entity_id!r}: fact {attr_id!r} needs a `source` (URL or citation)",
              item.line, hint="every fact must say where it comes from")
        return None
    qualifier = item.get("qualifier")
    if qualifier is not None and not isinstance(qualifier, str):
        c.add(f"entity {entity_id!r}: qualifier must be text", item.line_of("qualifier"))
        return None
    return Fact(entity_id, attr_id, attribute.kind, value, unit, qualifier, tolerance[0],
                tolerance[1], source.strip(), _location(c.path, item.line))


def _parse_entities(doc: Located, c: Collector, store: FactStore) -> None:
    items = doc.get("entities")
    if items is None:
        c.add("missing the required `entities` list", doc.line)
        return
    if not isinstance(items, list):
        c.add("`entities` must be a list", doc.line_of("entities"))
        return
    for item in items:
        if not isinstance(item, Located):
            c.add("each entity must be a mapping with id, name and facts", getattr(items, "line", None))
            continue
        c.unknown_keys(item, ENTITY_KEYS, "entity")
        eid, name = item.get("id"), item.get("name")
        if not isinstance(eid, str) or not ID_RE.match(eid):
            c.add(f"entity id {eid!r} must be lowercase letters, digits, '.', '_' or '-'",
                  item.line_of("id"))
            continue
        if not isinstance(name, str) or not name.strip():
            c.add(f"entity {eid!r} needs a `name`", item.line)
            continue
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            c.add(f"entity {eid!r}: aliases must be a list of names", item.line_of("aliases"))
            aliases = []
        if eid in store.entities:
            c.add(f"duplicate entity id {eid!r}, first defined at {store.entities[eid].location}",
                  item.line_of("id"), hint="entity ids must be unique across all facts files")
            continue
        facts_raw = item.get("facts") or []
        if not isinstance(facts_raw, list):
            c.add(f"entity {eid!r}: `facts` must be a list", item.line_of("facts"))
            continue
        facts = tuple(f for f in (_parse_fact(x, eid, c, store, item.line_of("facts"))
                                  for x in facts_raw) if f is not None)
        fuzzy = item.get("fuzzy", True)
        store.entities[eid] = Entity(eid, name.strip(), tuple(a.strip() for a in aliases), facts,
                                     _location(c.path, item.line), bool(fuzzy))


def _read_into(display: str, doc, store: FactStore) -> list[FactcheckError]:
    c = Collector(display)
    if not isinstance(doc, Located):
        c.add("a facts file must be a mapping with `version` and `entities`", 1)
        return c.problems
    c.unknown_keys(doc, TOP_KEYS, "facts file")
    if not c.version_1(doc):
        return c.problems
    # Attributes first: facts may use attributes declared later in the same file.
    _parse_attributes(doc, c, store)
    _parse_entities(doc, c, store)
    store.files.append(display)
    return c.problems


def lint_facts(paths: Iterable[Path], store: FactStore | None = None) -> tuple[FactStore, list[FactcheckError]]:
    """Load every file, collecting all problems instead of stopping at the first."""
    store = store or FactStore()
    files, problems = gather(paths, "facts")
    loaded = load_all(files)  # each file parsed once, used by both passes
    # Two passes: declared attributes of every file are known before any fact.
    for display, doc, _ in loaded:
        if isinstance(doc, Located) and doc.get("version") == 1:
            _parse_attributes(doc, Collector(display), store)
    for display, doc, error in loaded:
        if error is not None:
            problems.append(error)
            store.files.append(display)
            continue
        problems.extend(_read_into(display, doc, store))
    return store, problems


def load_facts(paths: Iterable[Path] = (), *, defaults: bool = True) -> FactStore:
    """Shipped facts (unless ``defaults`` is False) plus ``paths``; raise on any problem."""
    shipped = shipped_facts_dir()
    use_shipped = defaults and bool(yaml_files(shipped)) if shipped.is_dir() else False
    all_paths = ([shipped] if use_shipped else []) + [Path(p) for p in paths]
    store, problems = lint_facts(all_paths)
    if problems:
        raise Problems(problems)
    return store
