"""Quantity extraction against hand-labelled gold, next to quantulum3 and dateparser.

Gold: bench/data/quantities_gold.yaml (sentences written for this project) and
bench/data/quantities_gold_bbc.yaml (offsets into ../shared/data/bbc-dev; read
only when that folder exists, skipped otherwise).

Scores, per system:
  span F1   a prediction counts when its span equals a gold span exactly
            (predictions inside `skipped` gold spans are ignored)
  overlap F1  a prediction counts when it overlaps a gold span
  value acc.  of exact span matches, share with the right value (dates at the
              gold's precision)
Peers see the same text: quantulum3 (all kinds) and dateparser.search_dates
(dates only; so it is also scored on the date subset, where it competes).

Usage: python bench/extraction.py
"""

from __future__ import annotations

import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.quantities import extract_quantities  # noqa: E402

DATA = ROOT / "bench" / "data"
BBC = ROOT.parent / "shared" / "data" / "bbc-dev"


@dataclass
class Doc:
    name: str
    text: str
    published: date | None
    gold: list[dict]  # start, end, kind, value
    ignore: list[tuple[int, int]] = field(default_factory=list)


def _find(text: str, needle: str, occurrence: int = 1) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise ValueError(f"{needle!r} not in {text!r}")
    return pos


def load_synthetic() -> list[Doc]:
    data = yaml.safe_load((DATA / "quantities_gold.yaml").read_text("utf-8"))
    docs = []
    for i, item in enumerate(data["items"]):
        text = item["text"]
        gold = []
        for q in item.get("quantities") or []:
            s = _find(text, q["text"], q.get("occurrence", 1))
            gold.append({"start": s, "end": s + len(q["text"]), "kind": q["kind"], "value": q["value"]})
        pub = item.get("published")
        docs.append(Doc(f"synthetic:{i}", text, pub if isinstance(pub, date) else None, gold))
    return docs


def load_bbc() -> list[Doc]:
    if not BBC.is_dir():
        return []
    data = yaml.safe_load((DATA / "quantities_gold_bbc.yaml").read_text("utf-8"))
    docs = []
    for name in data["files"]:
        try:
            text = (BBC / name).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        gold = [dict(start=x["start"], end=x["end"], kind=x["kind"], value=x["value"])
                for x in data["items"] if x["file"] == name]
        ignore = [(x["start"], x["end"]) for x in data.get("skipped") or [] if x["file"] == name]
        docs.append(Doc(f"bbc:{name}", text, None, gold, ignore))
    return docs


def ours(doc: Doc):
    return [(q.start, q.end, q.kind, q.value) for q in extract_quantities(doc.text, doc.published)]


def quantulum(doc: Doc):
    from quantulum3 import classifier, parser

    # quantulum3's shipped classifier is a joblib pickle made with an old
    # scikit-learn that no longer unpickles ("No module named '_loss'"); its
    # documented fallback is the rule-based disambiguation.
    classifier.USE_CLF = False

    out = []
    for q in parser.parse(doc.text):
        s, e = q.span
        out.append((s, e, "quantulum", q.value))
    return out


def dateparser_peer(doc: Doc):
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": _dt(doc.published)} if doc.published else {}
    found = search_dates(doc.text, languages=["en"], settings=settings) or []
    out, pos = [], 0
    for surface, when in found:
        s = doc.text.find(surface, pos)
        if s < 0:
            s = doc.text.find(surface)
        if s < 0:
            continue
        pos = s + len(surface)
        out.append((s, s + len(surface), "date", when.date().isoformat()))
    return out


def _dt(d: date):
    from datetime import datetime

    return datetime(d.year, d.month, d.day)


def _same_value(kind: str, got, want) -> bool:
    if str(got) == str(want):
        return True
    if kind == "date":
        # compared at the gold's precision: dateparser fills a missing day with a default
        return str(got)[:len(str(want))] == str(want) if str(want)[:1] != "-" else \
            str(got)[4:4 + len(str(want)) - 1] == str(want)[1:]
    try:
        return abs(float(got) - float(want)) <= 1e-6 * max(1.0, abs(float(want)))
    except (TypeError, ValueError):
        return False


def score(docs: list[Doc], system, kinds: set[str] | None = None) -> dict[str, float]:
    tp = fp = fn = otp = ofp = ofn = right = 0
    for doc in docs:
        gold = [g for g in doc.gold if kinds is None or g["kind"] in kinds]
        preds = [p for p in system(doc)
                 if not any(p[0] < b and a < p[1] for a, b in doc.ignore)]
        if kinds is not None:
            preds = [p for p in preds if p[2] in kinds]
        spans = {(g["start"], g["end"]): g for g in gold}
        matched = set()
        for s, e, kind, value in preds:
            g = spans.get((s, e))
            if g is not None and (s, e) not in matched:
                tp += 1
                matched.add((s, e))
                right += _same_value(g["kind"], value, g["value"])
            else:
                fp += 1
        fn += len(gold) - len(matched)
        ov = [any(s < g["end"] and g["start"] < e for s, e, *_ in preds) for g in gold]
        otp += sum(ov)
        ofn += len(ov) - sum(ov)
        ofp += sum(1 for s, e, *_ in preds if not any(s < g["end"] and g["start"] < e for g in gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    op = otp / (otp + ofp) if otp + ofp else 0.0
    orr = otp / (otp + ofn) if otp + ofn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "overlap_f1": 2 * op * orr / (op + orr) if op + orr else 0.0,
            "value_acc": right / tp if tp else 0.0, "gold": tp + fn}


def main() -> int:
    warnings.filterwarnings("ignore")
    docs = load_synthetic()
    bbc = load_bbc()
    print(f"gold: {sum(len(d.gold) for d in docs)} mentions in {len(docs)} project-written sentences; "
          f"{sum(len(d.gold) for d in bbc)} in {len(bbc)} BBC dev articles"
          + ("" if bbc else " (../shared absent: BBC part skipped)"))
    systems = [("factcheck", ours), ("quantulum3", quantulum), ("dateparser.search_dates", dateparser_peer)]
    rows = []
    for set_name, subset in (("project", docs), ("bbc", bbc), ("all", docs + bbc)):
        if not subset:
            continue
        for name, fn in systems:
            t0 = time.perf_counter()
            try:
                all_kinds = score(subset, fn)
                dates = score(subset, fn, {"date"}) if name != "quantulum3" else None
            except ImportError as exc:
                print(f"{name}: not installed ({exc}); pip install '.[bench]'")
                continue
            rows.append((set_name, name, all_kinds, dates, time.perf_counter() - t0))
    print("| gold set | system | span P | span R | span F1 | overlap F1 | value acc. | date-only span F1 | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for set_name, name, s, d, secs in rows:
        print(f"| {set_name} ({s['gold']}) | {name} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | "
              f"{s['overlap_f1']:.3f} | {s['value_acc']:.3f} | {d['f1']:.3f} |" if d else
              f"| {set_name} ({s['gold']}) | {name} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | "
              f"{s['overlap_f1']:.3f} | {s['value_acc']:.3f} | n/a |", end="")
        print(f" {secs:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
