"""`factcheck scan` throughput with 1 and 2 workers, next to the tokenizer floor.

Articles: the project's own (corpora/) plus the BBC dev articles when
../shared is present, copied into a temporary folder (cycled with new names)
up to --min-articles. Each configuration runs the real command in a fresh
process, so start-up is included and peak memory per process can be read.

Prints articles/s and MB/s for: tokenizer only (spacy.blank("en"), same files,
one process; the floor the targets are judged against), the same tokenizer with
factcheck's larger chunk cache (pipeline.TOKENIZER_CACHE), scan --workers 1,
scan --workers 2; the start-up time of
`factcheck check` on a one-line file; the peak resident memory of a worker; and
the two scan rates again with that start-up subtracted (an estimate: the
targets are judged on the end-to-end runs).

Usage: python bench/scan.py [--min-articles 2000]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from factcheck.pipeline import TOKENIZER_CACHE  # noqa: E402
BBC = ROOT.parent / "shared" / "data" / "bbc-dev"

TOKENIZE = """
import sys, time, spacy
from pathlib import Path
files = sorted(Path(sys.argv[1]).rglob("*.txt"))
tok = spacy.blank("en").tokenizer
if len(sys.argv) > 2:
    tok.max_cache_size = int(sys.argv[2])
t0 = time.perf_counter()
for f in files:
    tok(f.read_text("utf-8", errors="replace"))
print(time.perf_counter() - t0)
"""


def build_corpus(folder: Path, minimum: int) -> tuple[int, int]:
    sources = sorted((ROOT / "corpora").rglob("*.txt"))
    if BBC.is_dir():
        sources += sorted(BBC.rglob("*.txt"))
    n = size = 0
    while n < minimum:
        for src in sources:
            if n >= minimum:
                break
            dst = folder / f"{n // 1000:02d}" / f"{n:05d}-{src.name}"
            dst.parent.mkdir(exist_ok=True)
            shutil.copy(src, dst)
            size += dst.stat().st_size
            n += 1
    return n, size


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the largest child process of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(before, after) / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-articles", type=int, default=2000)
    args = ap.parse_args()
    exe = [sys.executable, "-m", "factcheck"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        n, size = build_corpus(folder, args.min_articles)
        mb = size / 1e6
        out = subprocess.run([sys.executable, "-c", TOKENIZE, str(folder)], capture_output=True,
                             text=True, check=True)
        tok_secs = float(out.stdout.strip())
        # the same with factcheck's larger tokenizer cache (pipeline.TOKENIZER_CACHE)
        out = subprocess.run([sys.executable, "-c", TOKENIZE, str(folder), str(TOKENIZER_CACHE)],
                             capture_output=True, text=True, check=True)
        tok_cached = float(out.stdout.strip())
        one = Path(tmp) / "one.txt"
        one.write_text("The council met on Tuesday.\n", "utf-8")
        startups = [run(exe + ["check", str(one), "--format", "json"])[0] for _ in range(3)]
        rows = [("tokenizer only (floor, in-process)", tok_secs, None),
                (f"tokenizer only, cache of {TOKENIZER_CACHE:,} chunks as factcheck's", tok_cached, None)]
        for workers in (1, 2):
            secs, rss = run(exe + ["scan", str(folder), "--workers", str(workers),
                                   "--output", str(Path(tmp) / f"out{workers}.jsonl")])
            rows.append((f"scan --workers {workers}", secs, rss))
    print(f"{n} articles, {mb:.1f} MB ({'project + BBC dev' if BBC.is_dir() else 'project only'}); "
          f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print("| run | seconds | articles/s | MB/s | peak RSS per process |")
    print("|---|---|---|---|---|")
    for name, secs, rss in rows:
        print(f"| {name} | {secs:.1f} | {n / secs:,.0f} | {mb / secs:.2f} | "
              f"{f'{rss:.0f} MB' if rss else '-'} |")
    w1, w2 = rows[2][1], rows[3][1]
    print(f"speed-up 2 workers vs 1: {w1 / w2:.2f}x; single worker vs tokenizer floor: "
          f"{tok_secs / w1:.2f} of the floor's rate ({tok_cached / w1:.2f} of the cached "
          "tokenizer's)")
    print(f"start-up (factcheck check on a one-line file, best of 3): {min(startups):.2f} s")
    # The runs above include one start-up each, which caps the 2-worker ratio as
    # the per-article work gets faster; the same runs with it taken out:
    s = min(startups)
    if w2 > s:
        print(f"without the start-up: 1 worker {n / (w1 - s):,.0f} articles/s, 2 workers "
              f"{n / (w2 - s):,.0f} articles/s, speed-up {(w1 - s) / (w2 - s):.2f}x; single "
              f"worker {tok_secs / (w1 - s):.2f} of the floor's rate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
