"""Articles per second for `check`, next to the spaCy tokenizer-only floor, same run.

Articles: the project's own (every text under corpora/, scan-bench included) plus the
BBC dev articles when ../shared is present; cycled up to --min-articles.
Measured, each over the same texts, best of --repeat passes:
  tokenizer   spacy.blank("en").tokenizer alone (the floor)
  fact-check  the full pipeline with facts; no rules, classifier, drift or passages
  full check  everything `factcheck ARTICLE` does (facts, rules, classifier, drift, passages)
Peak memory is the process's maximum resident set size after the runs.

Usage: python bench/throughput.py [--min-articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from factcheck.check import Checker, Options  # noqa: E402
from factcheck.rules import RuleSet  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "bbc-dev"


def articles(minimum: int) -> tuple[list[str], str]:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpora").rglob("*.txt"))]
    what = f"{len(texts)} project-written"
    if SHARED.is_dir():
        bbc = []
        for p in sorted(SHARED.rglob("*.txt")):
            try:
                bbc.append(p.read_text("utf-8"))
            except UnicodeDecodeError:
                continue
        texts += bbc
        what += f" + {len(bbc)} BBC dev"
    base = list(texts)
    while len(texts) < minimum:
        texts += base[: minimum - len(texts)]
    return texts, what


def timed(fn, texts, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-articles", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts, what = articles(args.min_articles)
    chars = sum(len(t) for t in texts)
    tok = spacy.blank("en").tokenizer
    fact_only = Checker(Options(use_model=False, promotions=False), rules=RuleSet([], [], []))
    full = Checker(Options())
    rows = [("tokenizer only (floor)", timed(tok, texts, args.repeat)),
            ("fact-check path", timed(lambda t: fact_only.check_text(t), texts, args.repeat)),
            ("full check", timed(lambda t: full.check_text(t), texts, args.repeat))]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor = rows[0][1]
    print(f"{len(texts)} articles ({what}), {chars / 1e6:.1f} M characters; "
          f"Python {platform.python_version()}, spaCy {spacy.__version__}, {platform.machine()}, "
          f"best of {args.repeat}")
    print("| path | seconds | articles/s | cost vs tokenizer |")
    print("|---|---|---|---|")
    for name, secs in rows:
        print(f"| {name} | {secs:.2f} | {len(texts) / secs:,.0f} | {secs / floor:.1f}x |")
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
