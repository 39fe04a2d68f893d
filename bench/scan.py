"""`factcheck scan` throughput with 1 and 2 workers, next to the tokenizer floor.

Articles: the project's own (corpora/) plus the BBC dev articles when
../shared is present, each distinct text once, copied into a temporary folder;
only if there are fewer than --min-articles are they cycled (new names, same
text), and the script says how many are repeats: a repeated text is cheaper
the second time in the same process (spaCy's vocabulary, the tokenizer's and
the classifier's caches), which flatters one worker against two. Each
configuration runs the real command in a fresh process, so start-up is
included and peak memory per process can be read.

Prints articles/s and MB/s for: tokenizer only (spacy.blank("en"), same files,
one process; the floor), both the seconds it spends tokenizing and the wall
time of its whole process (Python, importing spaCy, building the tokenizer);
the same tokenizer with factcheck's larger chunk cache
(pipeline.TOKENIZER_CACHE); the floor tokenizer in two processes at once, each
over alternate batches of 32 files as scan's workers take them (how far two
processes split even the floor on this machine); and `factcheck scan` with 1
and 2 workers, both the "scan time" its summary reports (discovery, workers,
checking and writing, after the rules, facts and model are loaded: timed as
the floor's tokenizing is) and the wall time of its whole process. Then the
two targets read both ways (rates after loading; whole processes), the
start-up time of `factcheck check` on a one-line file, and the peak resident
memory of a worker.

Every timing is the best of --repeat runs (3). The factcheck package is
byte-compiled first, as pip installs it.

Usage: python bench/scan.py [--min-articles 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import os
import re
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
cache, part, parts = (int(a) for a in sys.argv[2:5])
batches = [files[at:at + 32] for at in range(0, len(files), 32)][part::parts]
tok = spacy.blank("en").tokenizer
if cache:
    tok.max_cache_size = cache
t0 = time.perf_counter()
for batch in batches:
    for f in batch:
        tok(f.read_text("utf-8", errors="replace"))
print(time.perf_counter() - t0)
"""


def build_corpus(folder: Path, minimum: int) -> tuple[int, int, int]:
    """Copy the distinct source texts into ``folder``, cycled up to ``minimum``
    files if there are fewer; (files, bytes, distinct texts)."""
    sources = sorted((ROOT / "corpora").rglob("*.txt"))
    if BBC.is_dir():
        sources += sorted(BBC.rglob("*.txt"))
    seen: set[str] = set()
    texts = []
    for src in sources:
        digest = hashlib.sha256(src.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            texts.append(src)
    n = size = 0
    while n < max(minimum, len(texts)):
        src = texts[n % len(texts)]
        dst = folder / f"{n // 1000:02d}" / f"{n:05d}-{src.name}"
        dst.parent.mkdir(exist_ok=True)
        shutil.copy(src, dst)
        size += dst.stat().st_size
        n += 1
    return n, size, len(texts)


def tokenize(folder: Path, cache: int = 0, parts: int = 1) -> tuple[float, float]:
    """The floor tokenizer over ``folder``: (seconds tokenizing, wall seconds of its
    process, start-up included); with ``parts`` > 1, as many processes at once,
    each over alternate batches, and the slowest one's."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", TOKENIZE, str(folder), str(cache),
                               str(part), str(parts)], stdout=subprocess.PIPE, text=True)
             for part in range(parts)]
    secs = max(float(p.communicate()[0].strip()) for p in procs)
    return secs, time.perf_counter() - t0


SCAN_TIME = re.compile(r"scan time\W+([0-9.]+) s")

# Each command runs under a fresh parent, so that the peak RSS read is that
# command's alone: RUSAGE_CHILDREN keeps the largest child ever waited for, so
# read in this process it would carry an earlier, larger run into a later one.
MEASURE = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
sys.stderr.buffer.write(done.stderr)
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
"""


def measure(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS (MB) of the largest process the command started,
    exit status, and its stderr."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True,
                          check=True)
    wall, rss, code = done.stdout.split()
    return float(wall), int(rss) / 1024, int(code), done.stderr


def run(cmd: list[str]) -> tuple[float, float, float | None]:
    """Wall seconds, peak RSS (MB) and, for a scan, the seconds its summary reports
    after loading (``scan time``)."""
    wall, rss, _, stderr = measure(cmd)
    found = SCAN_TIME.search(stderr)
    return wall, rss, float(found[1]) if found else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each configuration; the best counts")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "factcheck"]
    # An installed factcheck has its modules byte-compiled (pip does it); a checkout
    # run with PYTHONDONTWRITEBYTECODE set would compile them at every start (~0.08 s).
    compileall.compile_dir(ROOT / "factcheck", quiet=1)
    best = range(args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        n, size, distinct = build_corpus(folder, args.min_articles)
        mb = size / 1e6
        floor = [tokenize(folder) for _ in best]
        tok_secs, tok_wall = min(s for s, _ in floor), min(w for _, w in floor)
        tok_cached = min(tokenize(folder, TOKENIZER_CACHE)[0] for _ in best)  # factcheck's cache
        tok_split = min(tokenize(folder, parts=2)[0] for _ in best)
        one = Path(tmp) / "one.txt"
        one.write_text("The council met on Tuesday.\n", "utf-8")
        startups = [run(exe + ["check", str(one), "--format", "json"])[0] for _ in best]
        scans = {}
        for workers in (1, 2):
            runs = [run(exe + ["scan", str(folder), "--workers", str(workers),
                               "--output", str(Path(tmp) / f"out{workers}.jsonl")]) for _ in best]
            if any(r[2] is None for r in runs):  # the scan failed: no summary to read
                print(f"scan --workers {workers} printed no summary; run it by hand to see why",
                      file=sys.stderr)
                return 1
            scans[workers] = (min(r[0] for r in runs), max(r[1] for r in runs),
                              min(r[2] for r in runs))
    print(f"{n} articles ({distinct} distinct texts, {n - distinct} repeats), {mb:.1f} MB "
          f"({'project + BBC dev' if BBC.is_dir() else 'project only'}); "
          f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; best of {args.repeat}")
    print("| run | seconds | articles/s | MB/s | peak RSS per process |")
    print("|---|---|---|---|---|")
    rows = [("tokenizer only (the floor): tokenizing", tok_secs, None),
            ("tokenizer only (the floor): its process, end to end", tok_wall, None),
            (f"tokenizer only, cache of {TOKENIZER_CACHE:,} chunks as factcheck's", tok_cached, None),
            ("tokenizer only, 2 processes at once (slowest)", tok_split, None)]
    for workers in (1, 2):
        wall, rss, secs = scans[workers]
        rows.append((f"scan --workers {workers}: scan time (its summary: after loading)", secs, None))
        rows.append((f"scan --workers {workers}: its process, end to end", wall, rss))
    for name, secs, rss in rows:
        print(f"| {name} | {secs:.2f} | {n / secs:,.0f} | {mb / secs:.2f} | "
              f"{f'{rss:.0f} MB' if rss else '-'} |")
    (w1, _, r1), (w2, _, r2) = scans[1], scans[2]
    print(f"rate after loading, as the floor's tokenizing is timed: single worker "
          f"{tok_secs / r1:.2f} of the floor; 2 workers vs 1: {r1 / r2:.2f}x")
    print(f"end to end, each a fresh process with its start-up: single worker "
          f"{tok_wall / w1:.2f} of the floor; 2 workers vs 1: {w1 / w2:.2f}x")
    print(f"single worker vs the cached tokenizer: {tok_cached / r1:.2f}; the floor tokenizer "
          f"itself, 2 processes vs 1: {tok_secs / tok_split:.2f}x")
    print(f"start-up (factcheck check on a one-line file, best of {args.repeat}): "
          f"{min(startups):.2f} s; the floor's process less its tokenizing: "
          f"{tok_wall - tok_secs:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
