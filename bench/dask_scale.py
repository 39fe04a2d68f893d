"""`factcheck scan` on Dask against the local scan, on this machine.

Articles: as bench/scan.py builds them (``build_corpus``): every distinct text
of the project's own (corpora/) and of the BBC dev articles when ../shared is
present, cycled with new names only if fewer than --min-articles. All runs
scan the same sorted file list in-process and write nothing: the timings are
of records computed and delivered in order.

Prints articles/s for: the local scan (workers=1, and workers=2 for
reference); Dask LocalClusters of 1 and 2 worker processes (one thread
each), with the default chunking (up to 16 files per task) and with one file
per task; and the per-task overhead two ways: a trivial task's round trip
(one at a time, and many in flight) and (Dask 1 worker, 1 file per task)
minus (local, 1 worker) divided by the number of tasks. Cluster start-up and
the workers' Checker build are timed apart and left out of the rates; the
outputs are checked byte-identical to the local scan's.

Usage: python bench/dask_scale.py [--min-articles 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # Dask workers are spawned with this sys.path too
sys.path.insert(1, str(ROOT / "bench"))

from scan import BBC, build_corpus  # noqa: E402 - bench/scan.py: the same corpus


def _noop(x):
    return x


def _jsonl(records) -> bytes:
    from factcheck.render import to_jsonl_line

    return "".join(to_jsonl_line(r) for r in records).encode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-articles", type=int, default=1000)
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    from factcheck.batch import discover, iter_records
    from factcheck.check import Checker, Options
    from factcheck.distributed import iter_records_dask

    rows = []  # (run, tasks, seconds, CPU seconds of this process, note)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        n, size, _ = build_corpus(folder, args.min_articles)
        files, _ = discover([folder])
        options = Options()
        checker = Checker(options)

        t0, c0 = time.perf_counter(), time.process_time()
        reference = _jsonl(iter_records(files, checker, workers=1))
        local1 = time.perf_counter() - t0
        rows.append(("local scan, workers=1", n, local1, time.process_time() - c0, ""))
        t0, c0 = time.perf_counter(), time.process_time()
        same = _jsonl(iter_records(files, checker, workers=2)) == reference
        rows.append(("local scan, workers=2 (multiprocessing)", n, time.perf_counter() - t0,
                     time.process_time() - c0, "" if same else "OUTPUT DIFFERS"))

        overhead = {}
        for workers in (1, 2):
            t0 = time.perf_counter()
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                started = time.perf_counter() - t0
                t0 = time.perf_counter()
                list(iter_records_dask(files[:workers], options, dask=client))  # Checker build
                warm = time.perf_counter() - t0
                for chunk in (None, 1):
                    t0, c0 = time.perf_counter(), time.process_time()
                    out = _jsonl(iter_records_dask(files, options, dask=client, chunk=chunk))
                    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
                    per = chunk or max(1, min(16, n // (workers * 8)))
                    tasks = -(-n // per)
                    note = "" if out == reference else "OUTPUT DIFFERS"
                    if chunk is None:
                        note = (f"start-up {started:.1f} s + Checker build {warm:.1f} s left out; "
                                + note).strip("; ")
                    rows.append((f"Dask {workers} worker{'s' * (workers > 1)}, "
                                 f"{per} file{'s' * (per > 1)}/task", tasks, secs, cpu, note))
                    if workers == 1 and chunk == 1:
                        overhead["dask1 - local1"] = (secs - local1) / tasks
                if workers == 1:
                    client.submit(_noop, -1, pure=False).result()
                    t0 = time.perf_counter()
                    for i in range(200):
                        client.submit(_noop, i, pure=False).result()
                    overhead["round trip, one at a time"] = (time.perf_counter() - t0) / 200
                    t0 = time.perf_counter()
                    client.gather(client.map(_noop, range(2000), pure=False))
                    overhead["trivial tasks, 2000 in flight"] = (time.perf_counter() - t0) / 2000

    print(f"{n} articles, {size / 1e6:.1f} MB ({'project + BBC dev' if BBC.is_dir() else 'project only'}); "
          f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print("| run | tasks | seconds | articles/s | client CPU s | note |")
    print("|---|---|---|---|---|---|")
    for name, tasks, secs, cpu, note in rows:
        print(f"| {name} | {tasks} | {secs:.1f} | {n / secs:,.0f} | {cpu:.1f} | {note} |")
    print("(client CPU: this process, which with a LocalCluster also runs the scheduler)")
    print()
    print("| per-task overhead | ms |")
    print("|---|---|")
    for name, secs in overhead.items():
        print(f"| {name} | {secs * 1000:.2f} |")
    print(f"| (for scale: one article, local) | {local1 / n * 1000:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
