"""Promotion detection on real text nobody on this project wrote (../shared/data).

Three measurements, each for rules only, model only, and combined:
  clean   BBC dev articles (all editorial): share with any promotion flagged
  insert  BBC dev articles with 2-4 sentences of commercial Facebook ads inserted
          at a paragraph break (seeded): passage precision, recall, F1
  webis   Webis native-ad responses (validation): response-level P/R/F1 and
          the share of labelled ad spans that a flagged passage overlaps

Usage: python bench/promo_eval.py [--limit N] [--modes combined,rules,model]
Skips (exit 0, a message) when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.check import Checker, Options  # noqa: E402
from factcheck.evaluation import PassageScores, overlap  # noqa: E402
from factcheck.rules import RuleSet  # noqa: E402

SEED = 7
SHARED = ROOT.parent / "shared" / "data"


def bbc_articles(limit: int | None) -> list[tuple[str, str]]:
    out = []
    for p in sorted((SHARED / "bbc-dev").rglob("*.txt")):
        try:
            out.append((str(p.relative_to(SHARED)), p.read_text("utf-8")))
        except UnicodeDecodeError:
            out.append((str(p.relative_to(SHARED)), p.read_bytes().decode("latin-1")))
    return out[:limit] if limit else out


_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])")


def commercial_ads() -> list[list[str]]:
    with open(SHARED / "ads-dev" / "facebook_ads_dev.csv", newline="", encoding="utf-8") as fh:
        rows = [r["text"] for r in csv.DictReader(fh) if r["label"] == "0"]
    out = []
    for text in rows:
        sents = [s.strip() for s in _SENT.split(" ".join(text.split())) if len(s.strip()) > 15]
        if sents:
            out.append(sents)
    return out


def build_inserted(articles, ads, rng: random.Random):
    """Each article gets 2-4 ad sentences as a new paragraph at a paragraph break."""
    cases = []
    for name, text in articles:
        breaks = [m.end() for m in re.finditer(r"\n\s*\n", text)]
        breaks = [b for b in breaks if 0.15 * len(text) < b < 0.9 * len(text)] or breaks
        if not breaks:
            continue
        want = rng.randint(2, 4)
        sents: list[str] = []
        while len(sents) < want:
            sents.extend(rng.choice(ads)[: want - len(sents)])
        passage = " ".join(sents)
        at = rng.choice(breaks)
        new = text[:at] + passage + "\n\n" + text[at:]
        cases.append((name, new, (at, at + len(passage))))
    return cases


def webis_labels() -> dict[str, dict]:
    """Webis label rows by response id (label, span, advertisement)."""
    labels = {}
    for line in open(SHARED / "webis-dev" / "responses-validation-labels.jsonl", encoding="utf-8"):
        row = json.loads(line)
        labels[row["id"]] = row
    return labels


def webis(limit: int | None):
    labels = webis_labels()
    out = []
    for line in open(SHARED / "webis-dev" / "responses-validation.jsonl", encoding="utf-8"):
        row = json.loads(line)
        lab = labels.get(row["id"])
        if lab is None:
            continue
        span = None
        if lab["label"] == 1 and lab.get("span"):
            a, b = (int(x) for x in lab["span"].strip("()").split(","))
            span = (a, b)
        out.append((row["id"], row["response"], lab["label"], span))
    return out[:limit] if limit else out


def make_checker(mode: str) -> Checker:
    if mode == "rules":
        return Checker(Options(use_model=False))
    if mode == "model":
        return Checker(Options(), rules=RuleSet([], [], []))
    return Checker(Options())


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="articles per set (default: all)")
    ap.add_argument("--modes", default="rules,model,combined")
    ap.add_argument("--json", action="store_true", help="print the table as JSON too")
    ap.add_argument("--weights", default=None, help="JSON object overriding factcheck.promo.WEIGHTS (tuning)")
    ap.add_argument("--threshold", type=float, default=None, help="override factcheck.promo.THRESHOLD")
    ap.add_argument("--peak", type=float, default=None, help="override factcheck.promo.PEAK")
    args = ap.parse_args()
    import factcheck.promo as promo

    if args.weights:
        promo.WEIGHTS.update(json.loads(args.weights))
    if args.threshold is not None:
        promo.THRESHOLD = args.threshold
    if args.peak is not None:
        promo.PEAK = args.peak
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found (development data is not part of a checkout)")
        return 0
    rng = random.Random(SEED)
    bbc = bbc_articles(args.limit)
    inserted = build_inserted(bbc, commercial_ads(), rng)
    responses = webis(args.limit)
    results = {}
    for mode in args.modes.split(","):
        t0 = time.perf_counter()
        checker = make_checker(mode)
        flagged = sum(bool(checker.check_text(t, n).promotions) for n, t in bbc)
        ins = PassageScores()
        for name, text, gold in inserted:
            report = checker.check_text(text, name)
            ins.add([(p.start, p.end) for p in report.promotions], [gold])
        tp = fp = fn = 0
        ad_spans = ad_hit = 0
        for _id, text, label, span in responses:
            report = checker.check_text(text, _id)
            pred = bool(report.promotions)
            tp += pred and label == 1
            fp += pred and label == 0
            fn += (not pred) and label == 1
            if span:
                ad_spans += 1
                ad_hit += any(overlap((p.start, p.end), span) > 0 for p in report.promotions)
        wp, wr, wf = prf(tp, fp, fn)
        results[mode] = {
            "clean_flagged": flagged / len(bbc) if bbc else 0.0,
            "insert_p": ins.precision, "insert_r": ins.recall, "insert_f1": ins.f1,
            "webis_p": wp, "webis_r": wr, "webis_f1": wf,
            "webis_ad_sentence_recall": ad_hit / ad_spans if ad_spans else 0.0,
            "seconds": time.perf_counter() - t0,
        }
    print(f"BBC clean: {len(bbc)} articles; inserted: {len(inserted)} articles; "
          f"Webis: {len(responses)} responses ({sum(r[2] for r in responses)} with an ad)")
    head = ("mode", "BBC clean flagged", "insert P", "insert R", "insert F1", "Webis P", "Webis R",
            "Webis F1", "Webis ad-span recall", "seconds")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for mode, r in results.items():
        print(f"| {mode} | {r['clean_flagged']:.1%} | {r['insert_p']:.3f} | {r['insert_r']:.3f} | "
              f"{r['insert_f1']:.3f} | {r['webis_p']:.3f} | {r['webis_r']:.3f} | {r['webis_f1']:.3f} | "
              f"{r['webis_ad_sentence_recall']:.3f} | {r['seconds']:.0f} |")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
