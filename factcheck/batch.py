"""Batch scanning: many files, one JSON record each, in sorted order, nothing lost.

* Discovery walks folders without following symlinked folders (no loops) and
  skips hidden entries; results are in sorted path order whatever --workers is.
* The Checker is built once in the parent (so bad rules or facts fail before
  any work) and inherited by forked workers; records come back in input order
  through ``imap``, so output bytes do not depend on the worker count. Each
  worker checks its files in batches (``check_batch``: up to BATCH_FILES files,
  every step run over the batch in turn), which is faster than file by file and
  gives the same records.
* Output is written a whole line at a time and flushed; --resume re-reads it,
  drops a torn last line, skips files whose (path, sha256) are already there and
  checks a changed file again in place of its old line. Special files (FIFOs,
  sockets, devices) are recorded, never opened.
* A file that cannot be read becomes ``{"source": ..., "error": ...}``.
* Roots may also be fsspec URLs (``file:///...``, ``s3://...``), records may
  be computed on a Dask cluster (``dask=``) and written as partitions
  (``partition_size=``): see distributed.py, imported only for those.
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import io
import json
import multiprocessing as mp
import os
import re
import signal
import stat
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from wcmatch import glob as wcglob

from .errors import FactcheckError, InputError
from .reader import article_from_bytes, read_bytes
from .records import Article
from .render import UNDECODABLE, to_jsonl_line

DEFAULT_GLOBS = ("*.txt", "*.md", "*.html")
CSV_FIELDS = ("source", "label", "advertorial_score", "claims", "supported", "contradicted",
              "unverifiable", "promotions", "products", "error", "sha256")

# Files checked together by a worker (Checker.check_many), and the most text one
# such group holds: enough for the batch speed-up, little memory.
BATCH_FILES = 32
BATCH_CHARS = 1_000_000
NESTED = "text too deeply nested to analyse"

_CHECKER = None
_PUBLISHED: date | None = None
_GLOBAL = object()  # check_one's default: the module's (worker's) checker and date
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path) -> bool:
    """An fsspec URL such as ``file:///data`` or ``s3://bucket/news`` (not a plain path)."""
    return isinstance(path, str) and bool(_URL.match(path))


def glob_matcher(globs: Sequence[str] | None = None) -> Callable[[str], bool]:
    """``--glob`` patterns as one test of a path relative to the scanned folder ("/"-separated).

    A pattern without "/" matches the file name at any depth (``*.txt``); one with
    "/" matches the relative path, ``**`` standing for any number of folders
    (``news/**/*.txt``); a leading ``!`` excludes (``!drafts/**``). Exclusions
    alone apply to the default patterns.
    """
    patterns = list(globs or DEFAULT_GLOBS)
    if all(p.startswith("!") for p in patterns):
        patterns = [*DEFAULT_GLOBS, *patterns]
    return wcglob.compile(patterns, flags=wcglob.GLOBSTAR | wcglob.MATCHBASE | wcglob.NEGATE).match


def discover(roots: Sequence[Path], globs: Sequence[str] | None = None,
             exclude: Path | None = None) -> tuple[list[str], list[dict]]:
    """Sorted files under ``roots`` matching ``globs`` (see ``glob_matcher``); plus error
    records (sorted) for bad roots and for matching entries that are not regular files.

    A FIFO, socket or device named like an article is recorded, never opened: reading
    a FIFO blocks until something writes to it, which would hang the scan. ``exclude``
    (the scan's output file or folder) is left out, however it is reached: compared by
    device and inode from the stat each entry gets anyway.
    """
    wanted = glob_matcher(globs)
    skip = _identity(exclude) if exclude is not None and not is_url(str(exclude)) else None
    found: set[str] = set()
    errors: list[dict] = []
    for root in roots:
        if is_url(root):
            from .distributed import discover_url

            urls, bad = discover_url(root, globs)
            found.update(urls)
            errors += bad
            continue
        root = Path(root)
        if skip and _identity(root) == skip:
            continue
        if root.is_file():
            found.add(str(root))
            continue
        if not root.is_dir():
            problem = _stat_file(str(root))[1] if os.path.lexists(root) else "no such file or folder"
            errors.append({"source": str(root), "error": problem})
            continue

        def onerror(exc: OSError) -> None:
            errors.append({"source": exc.filename or str(root),
                           "error": f"cannot list folder: {exc.strerror or exc}"})

        for folder, subdirs, files in os.walk(root, followlinks=False, onerror=onerror):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith(".")
                                and not (skip and _identity(os.path.join(folder, d)) == skip))
            rel = os.path.relpath(folder, root).replace(os.sep, "/")
            rel = "" if rel == "." else rel + "/"
            for name in files:
                if name.startswith(".") or not wanted(rel + name):
                    continue
                path = os.path.join(folder, name)
                info, problem = _stat_file(path)
                if problem:
                    errors.append({"source": path, "error": problem})
                elif not (skip and (info.st_dev, info.st_ino) == skip):
                    found.add(path)
    errors.sort(key=lambda r: r["source"])
    return sorted(found), errors


def _stat_file(path: str) -> tuple[os.stat_result | None, str | None]:
    """``path``'s stat (symlinks followed) and why it cannot be scanned as a file, if so."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None, "broken symbolic link" if os.path.islink(path) else "no such file"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(info.st_mode):
        return info, None
    mode = info.st_mode
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special")
    return info, f"not a regular file ({kind}); skipped"


def _identity(path) -> tuple[int, int] | None:
    """(device, inode) of ``path``, symlinks followed; None if it does not exist."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class ScanInterrupted(KeyboardInterrupt):
    """Ctrl-C during a scan; carries the output file so the message can say how to resume."""

    def __init__(self, output: str | None) -> None:
        super().__init__(output)
        self.output = output


def _init_worker(options, published) -> None:
    # The parent alone handles Ctrl-C: workers would each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _CHECKER, _PUBLISHED
    if _CHECKER is None:  # spawn start method: build it here
        from .check import Checker

        _CHECKER = Checker(options)
    _PUBLISHED = published


def check_one(path: str, checker=None, published=_GLOBAL, *, source: str | None = None) -> dict:
    """One file to one record (a report, or an error record). Never raises for bad input.

    ``checker`` and ``published`` default to this process's (set by iter_records
    or a pool initializer); ``path`` may be an fsspec URL; ``source`` names the
    file in the record (default: ``path``).
    """
    return check_batch([path], checker, published, sources=None if source is None else [source])[0]


def check_batch(paths: Sequence[str], checker=None, published=_GLOBAL, *,
                sources: Sequence[str] | None = None) -> list[dict]:
    """Records for several files, in their order, as ``check_one`` gives each.

    Files are read one at a time and checked together (``Checker.check_many``) in
    groups of up to BATCH_CHARS characters, so a batch of large files never sits
    in memory at once. If a group fails, its files are checked again one by one:
    only the file at fault becomes an error record.
    """
    checker = _CHECKER if checker is None else checker
    published = _PUBLISHED if published is _GLOBAL else published
    sources = list(paths) if sources is None else sources
    records: list[dict] = [{}] * len(paths)
    group: list[tuple[int, Article, str]] = []  # (position, article, sha256)
    size = 0
    for i, (path, source) in enumerate(zip(paths, sources)):
        try:
            raw = _read(path, checker.options.max_bytes)
        except InputError as exc:
            records[i] = {"source": source, "error": exc.message}
            continue
        except OSError as exc:  # a read that failed below the reader (a race, a URL backend)
            records[i] = {"source": source, "error": f"cannot read: {exc.strerror or exc}"}
            continue
        digest = hashlib.sha256(raw).hexdigest()
        try:
            article = article_from_bytes(raw, source, published)
        except (FactcheckError, RecursionError) as exc:
            records[i] = _failed(source, digest, exc)
            continue
        group.append((i, article, digest))
        size += len(article.text)
        if size >= BATCH_CHARS:
            _check_group(checker, group, records)
            group, size = [], 0
    _check_group(checker, group, records)
    return records


def _check_group(checker, group: list[tuple[int, Article, str]], records: list[dict]) -> None:
    if len(group) > 1:
        try:
            reports = checker.check_many([article for _, article, _ in group])
        except (FactcheckError, RecursionError):
            pass  # one of them: find which, one by one
        else:
            for (i, _, digest), report in zip(group, reports):
                records[i] = _record(report, digest)
            return
    for i, article, digest in group:
        try:
            records[i] = _record(checker.check(article), digest)
        except (FactcheckError, RecursionError) as exc:
            records[i] = _failed(article.source, digest, exc)


def _failed(source: str, digest: str, exc: Exception) -> dict:
    """The error record of a file that was read but could not be checked."""
    message = exc.message if isinstance(exc, FactcheckError) else NESTED  # RecursionError
    return {"source": source, "sha256": digest, "error": message}


def _record(report, digest: str) -> dict:
    record = report.as_dict()
    record["sha256"] = digest
    return record


def _read(path: str, max_bytes: int) -> bytes:
    if is_url(path):
        from .distributed import read_url

        return read_url(path, max_bytes)
    return read_bytes(path, max_bytes)


def iter_records(paths: Sequence[str], checker, *, workers: int = 1,
                 published: date | None = None) -> Iterator[dict]:
    """Records in the order of ``paths``, computed by ``workers`` processes."""
    for records in _batches(check_batch, paths, checker, workers, published):
        yield from records


def iter_lines(paths: Sequence[str], checker, fmt: str, *, workers: int = 1,
               published: date | None = None) -> Iterator[tuple[dict, str]]:
    """(summary view, output line) per file, in the order of ``paths``: the line
    (JSONL or CSV) is written by the worker, so the parent, which shares the
    cores, only writes it (sending whole records cost it unpickling and JSON
    encoding, ~0.07 ms a record)."""
    for lines in _batches(functools.partial(check_batch_lines, fmt=fmt), paths, checker,
                          workers, published):
        yield from lines


def check_batch_lines(paths: Sequence[str], fmt: str) -> list[tuple[dict, str]]:
    """``check_batch`` with each record as (summary view, its line in ``fmt``)."""
    return [(_summary_view(r), _line(r, fmt)) for r in check_batch(paths)]


def _line(record: dict, fmt: str) -> str:
    return _csv_row(record) if fmt == "csv" else to_jsonl_line(record)


def _summary_view(record: dict) -> dict:
    """What ScanSummary.add reads of a record."""
    if "error" in record:
        return {"source": record["source"], "error": record["error"]}
    return {"source": record["source"],
            "summary": {k: record["summary"][k] for k in ("label", "contradicted")},
            "promotions": [{"product": p.get("product")} for p in record.get("promotions", [])]}


def _batches(work: Callable[[Sequence[str]], list], paths: Sequence[str], checker, workers: int,
             published: date | None) -> Iterator[list]:
    """``work`` over batches of ``paths``, in order, in this process or ``workers`` forked ones."""
    global _CHECKER, _PUBLISHED
    _CHECKER, _PUBLISHED = checker, published
    if workers <= 1 or len(paths) <= 1:
        for at in range(0, len(paths), BATCH_FILES):
            yield work(paths[at:at + BATCH_FILES])
        return
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    workers = min(workers, len(paths))  # a process per file at most: each loads the pipeline
    # batches small enough that every worker gets several (an even finish)
    size = max(1, min(BATCH_FILES, len(paths) // (workers * 8) or 1))
    batches = [paths[at:at + size] for at in range(0, len(paths), size)]
    with ctx.Pool(workers, initializer=_init_worker, initargs=(checker.options, published)) as pool:
        yield from pool.imap(work, batches)


def scan(paths: Iterable[str | Path], options=None, *, workers: int = 1, globs=None,
         published: date | None = None) -> Iterator[dict]:
    """Library entry point: records for every article under ``paths`` (files or folders)."""
    from .check import Checker, Options

    files, errors = discover([p if is_url(p) else Path(p) for p in paths], globs)
    yield from errors
    yield from iter_records(files, Checker(options or Options()), workers=workers, published=published)


@dataclass
class ScanSummary:
    read: int = 0
    errors: int = 0
    advertorials: int = 0
    contradicted: int = 0
    skipped: int = 0
    products: Counter = field(default_factory=Counter)
    error_sources: list[str] = field(default_factory=list)
    # wall seconds to load the rules, facts and model, and to scan after that
    # (discovery, workers, checking, writing): the scan's own rate, for the summary
    load_seconds: float = 0.0
    scan_seconds: float = 0.0
    scanned: int = 0  # files checked (or recorded as errors) by this run, not resumed

    @property
    def findings(self) -> bool:
        return self.advertorials > 0 or self.contradicted > 0

    def add(self, record: dict) -> None:
        if "error" in record:
            self.errors += 1
            self.error_sources.append(record["source"])
            return
        self.read += 1
        s = record["summary"]
        self.advertorials += s["label"] == "advertorial"
        self.contradicted += s["contradicted"]
        # articles promoting each product (a product promoted twice in one article counts once)
        self.products.update({p["product"] for p in record.get("promotions", []) if p.get("product")})


def _done_records(output: Path, fmt: str = "jsonl") -> tuple[list[dict], list[bytes]]:
    """Complete records already in ``output`` and the bytes of each (header first for csv).

    Only the last line may be torn (no newline: an interrupted write); it is left
    out. Anything else that is not factcheck's own output stops the resume: the
    file would otherwise be cut short or overwritten.
    """
    if not output.exists():
        return [], []
    data = output.read_bytes()
    lines = [line + b"\n" for line in data.split(b"\n")[:-1]]  # the piece after the last newline is torn
    if fmt == "csv":
        return _done_csv(output, lines)
    records = []
    for n, line in enumerate(lines, 1):
        try:
            record = json.loads(line.decode("utf-8", UNDECODABLE))
        except ValueError:
            record = None
        if not isinstance(record, dict) or "source" not in record:
            raise _not_resumable(output, n, "is not a factcheck JSONL record")
        records.append(record)
    return records, lines


def _done_csv(output: Path, lines: list[bytes]) -> tuple[list[dict], list[bytes]]:
    consumed: list[bytes] = []

    def feed() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line.decode("utf-8", UNDECODABLE)

    records, raws = [], []
    reader = csv.reader(feed(), strict=True)
    while True:
        consumed.clear()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a quoted field still open at the end: a torn last row
            break
        line = len(raws) + 1
        if not raws and row != list(CSV_FIELDS):
            raise _not_resumable(output, 1, "is not factcheck's CSV header (" + ",".join(CSV_FIELDS) + ")")
        if len(row) != len(CSV_FIELDS):
            raise _not_resumable(output, line, f"has {len(row)} fields, not {len(CSV_FIELDS)}")
        raws.append(b"".join(consumed))
        if len(raws) > 1:
            records.append(_csv_record(dict(zip(CSV_FIELDS, row))))
    return records, raws


def _csv_record(row: dict) -> dict:
    """What resume and the summary need of a CSV row, shaped like a record."""
    if row["error"]:
        return {"source": row["source"], "sha256": row["sha256"], "error": row["error"]}
    return {"source": row["source"], "sha256": row["sha256"],
            "summary": {"label": row["label"], "contradicted": int(row["contradicted"] or 0)},
            "promotions": [{"product": p} for p in row["products"].split(";") if p]}


def _not_resumable(output: Path, line: int, problem: str) -> FactcheckError:
    return FactcheckError(f"cannot resume: this line {problem}", path=f"{output}:{line}",
                          hint="resume only into a file written by `factcheck scan` with the same "
                               "--format, or write to a new --output")


def _csv_row(record: dict) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_FIELDS, lineterminator="\n")
    if "error" in record:
        writer.writerow({"source": record["source"], "error": record["error"],
                         "sha256": record.get("sha256", "")})
    else:
        s = record["summary"]
        products = sorted({p.get("product") for p in record.get("promotions", []) if p.get("product")})
        writer.writerow({"source": record["source"], "label": s["label"],
                         "advertorial_score": s["advertorial_score"], "claims": s["claims"],
                         "supported": s["supported"], "contradicted": s["contradicted"],
                         "unverifiable": s["unverifiable"], "promotions": s["promotions"],
                         "products": ";".join(products), "error": "",
                         "sha256": record.get("sha256", "")})
    return buf.getvalue()


def _resume_from(output: Path, fmt: str, files: list[str]) -> list[dict]:
    """Keep the complete, still current records of an earlier run of ``output``.

    A record whose file changed since (another SHA-256) is dropped, so the file is
    checked again and appears once; the rewrite goes through a temporary file and
    a rename, so a crash during it loses nothing.
    """
    if not output.exists():  # the first run may already say --resume: nothing to keep
        return []
    try:
        previous, raws = _done_records(output, fmt)
    except OSError as exc:
        raise FactcheckError(f"cannot read the output to resume: {exc.strerror or exc}",
                             path=str(output), hint="--output names the results file of the "
                                                    "earlier scan") from None
    header = raws[:1] if fmt == "csv" else []
    body = raws[len(header):]
    wanted = set(files)
    changed = {r["source"] for r in previous
               if r["source"] in wanted and r.get("sha256") and _sha256_of(r["source"]) != r["sha256"]}
    kept = [(r, raw) for r, raw in zip(previous, body) if r["source"] not in changed]
    data = b"".join(header + [raw for _, raw in kept])
    if output.stat().st_size != len(data):  # kept lines are a subsequence: shorter iff any dropped
        tmp = output.with_name(output.name + ".resume-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, output)
    return [r for r, _ in kept]


def run_scan(dirs: Sequence[Path], options, *, output: Path | None = None, fmt: str = "jsonl",
             globs=None, workers: int | None = None, resume: bool = False,
             published: date | None = None, progress: bool | None = None,
             dask=None, partition_size: int | None = None) -> ScanSummary:
    """The `factcheck scan` command: discovery, resume, workers, output, summary.

    ``dask``: compute the records on a Dask cluster (an address, ``"local"``
    for a LocalCluster of ``workers`` processes, or a Client); same order and
    bytes. ``partition_size``: ``output`` is a folder of ``part-NNNNN.jsonl``
    (or ``.parquet`` with ``fmt="parquet"``) files of that many records.
    """
    from .check import Checker

    if resume and fmt in ("json", "html"):
        raise FactcheckError(f"--resume works with --format jsonl or csv: {fmt} output is written "
                             "whole at the end", hint="scan to jsonl, or start again without --resume")
    started = time.perf_counter()
    checker = Checker(options)  # bad rules/facts/model stop here, before any file
    loaded = time.perf_counter()
    # `scan . --glob '*' --output results.jsonl` run twice must not check its own results
    files, discover_errors = discover(dirs, globs, exclude=output)
    dask_workers = workers
    workers = workers or os.cpu_count() or 1

    def records_of(todo: list[str]) -> Iterator[dict]:
        if dask is None:
            return iter_records(todo, checker, workers=workers, published=published)
        from .distributed import iter_records_dask

        return iter_records_dask(todo, checker.options, published=published, dask=dask,
                                 workers=dask_workers)

    summary = ScanSummary(load_seconds=loaded - started)
    done: dict[str, str] = {}
    out_fh = parts = None
    if fmt == "html":
        if output is None:
            raise FactcheckError("--format html for scan needs --output DIR")
        from .render.html import write_scan_html

        records = list(records_of(files))
        for r in discover_errors + records:
            summary.add(r)
        write_scan_html(discover_errors + records, output, checker)
        summary.scanned = len(discover_errors) + len(records)
        summary.scan_seconds = time.perf_counter() - loaded
        _print_summary(summary)
        return summary
    if partition_size:
        if output is None:
            raise FactcheckError("--partition-size needs --output DIR")
        from .distributed import PartitionedOutput

        parts = PartitionedOutput(output, partition_size, fmt, resume=resume)
        for r in parts.previous:
            done[r["source"]] = r.get("sha256", "")
            summary.add(r)
    elif fmt == "parquet":
        raise FactcheckError("--format parquet needs --output DIR --partition-size N")
    elif resume and output is not None:
        for r in _resume_from(output, fmt, files):
            # Error records count as done too: the file was recorded, not lost.
            done[r["source"]] = r.get("sha256", "")
            summary.add(r)
    # partitions keep earlier records as they are: a changed file is checked again there
    todo = [f for f in files if f not in done or (parts is not None and done[f]
                                                  and _sha256_of(f) != done[f])]
    discover_errors = [r for r in discover_errors if r["source"] not in done]
    summary.skipped = len(files) - len(todo)
    summary.scanned = len(discover_errors) + len(todo)
    if output is not None and parts is None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            out_fh = open(output, "a" if resume else "w", encoding="utf-8", errors=UNDECODABLE)
        except OSError as exc:
            raise FactcheckError(f"cannot write: {exc.strerror or exc}", path=str(output)) from None
    sink = parts or out_fh or sys.stdout
    collected: list[dict] = []
    show = sys.stderr.isatty() if progress is None else progress
    bar = _progress(len(todo)) if show else None
    # The pipeline, rules and model live as long as the scan: keep the garbage
    # collector from walking their ~90,000 objects again in each full collection
    # (40 ms each) and, in forked workers, from copying the pages that hold them.
    gc.freeze()
    try:
        if fmt == "csv" and not (out_fh and out_fh.tell()):  # a new file, or nothing kept
            sink.write(",".join(CSV_FIELDS) + "\n")
        for record in discover_errors:
            summary.add(record)
            _emit(sink, record, fmt, collected)
        if fmt in ("jsonl", "csv") and dask is None and parts is None:
            results = iter_lines(todo, checker, fmt, workers=workers, published=published)
        else:
            results = ((record, None) for record in records_of(todo))
        for record, line in results:
            summary.add(record)
            _emit(sink, record, fmt, collected, line)
            if bar:
                bar[0].advance(bar[1])
        if fmt == "json":
            sink.write(json.dumps(collected, ensure_ascii=False, indent=2) + "\n")
    except KeyboardInterrupt:
        sink.flush()  # whole lines only: each record was written in one call
        raise ScanInterrupted(str(output) if output else None) from None
    finally:
        gc.unfreeze()
        if bar:
            bar[0].stop()
        sink.flush()
        if out_fh:
            out_fh.close()
        if parts:
            parts.close()
    summary.scan_seconds = time.perf_counter() - loaded
    _print_summary(summary)
    if not files and not summary.errors:  # say why, rather than a silent table of zeros
        _stderr_console().print(f"no file matched {' '.join(globs or DEFAULT_GLOBS)} under "
                                f"{' '.join(map(str, dirs))}", markup=False, highlight=False)
    return summary


def _emit(sink, record: dict, fmt: str, collected: list[dict], line: str | None = None) -> None:
    """Write one record; ``line``: its JSONL or CSV line, when a worker wrote it already."""
    if hasattr(sink, "add"):  # distributed.PartitionedOutput
        sink.add(record)
    elif fmt == "json":
        collected.append(record)
    else:
        if line is None:
            line = _line(record, fmt)
        sink.write(line)  # one write per record: no torn lines between records
        sink.flush()


def _sha256_of(path: str) -> str | None:
    if is_url(path):
        from .distributed import read_url

        try:
            return hashlib.sha256(read_url(path, sys.maxsize)).hexdigest()
        except InputError:
            return None
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _progress(total: int):
    from rich.progress import Progress

    progress = Progress(transient=True, console=_stderr_console())
    task = progress.add_task("scanning", total=total)
    progress.start()
    return progress, task


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _print_summary(summary: ScanSummary) -> None:
    from rich.table import Table

    table = Table(title="scan summary", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("articles read", str(summary.read))
    if summary.skipped:
        table.add_row("skipped (already in output)", str(summary.skipped))
    table.add_row("advertorials", str(summary.advertorials))
    table.add_row("contradicted claims", str(summary.contradicted))
    table.add_row("errors", str(summary.errors))
    for product, n in sorted(summary.products.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
        table.add_row(f"product: {product}", str(n))
    table.add_row("load time (rules, facts, model)", f"{summary.load_seconds:.2f} s")
    rate = summary.scanned / summary.scan_seconds if summary.scan_seconds > 0 else 0.0
    table.add_row("scan time", f"{summary.scan_seconds:.2f} s ({rate:,.0f} files/s)")
    _stderr_console().print(table)
