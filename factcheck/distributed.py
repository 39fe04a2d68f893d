"""Scale-out pieces of `factcheck scan`: Dask, fsspec inputs, partitioned outputs.

Importing this module imports neither Dask nor fsspec: each is imported by
the function that needs it, so a plain local scan never loads them.

* ``iter_records_dask``: the records of ``batch.check_batch`` computed on a Dask
  cluster, yielded in the order of the paths (a reorder buffer releases each
  record as soon as all earlier ones are out). Tasks are submitted in sorted
  order through a bounded window, so memory stays flat on the client and the
  workers. Each worker builds its ``Checker`` once (``_CheckerPlugin`` at
  registration, ``_checker_for`` as a per-Options cache behind it). A worker
  that dies takes its running tasks and its not-yet-gathered results with it;
  the scheduler recomputes them elsewhere because the client still holds their
  futures. A file whose task keeps killing workers becomes an error record.
* ``discover_url`` / ``read_url``: folders and files named by fsspec URLs
  (``file:///...``, ``s3://...`` when s3fs is installed); ``source`` in the
  records is the URL as given, followed by the path below it.
* ``PartitionedOutput``: ``--output DIR --partition-size N``: record ``i``
  goes to ``part-{i // N:05d}.jsonl`` (or ``.parquet``), so the split depends
  only on N and the (sorted) order, and --resume can continue the last part.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Iterator, Sequence

from .errors import FactcheckError, InputError

PARTITION_FORMATS = ("jsonl", "parquet")
_PART = re.compile(r"^part-(\d{5,})\.(jsonl|parquet)$")
_CHECKERS: dict = {}  # per worker process: Options -> Checker (one entry in practice)


# --- fsspec inputs ----------------------------------------------------------

def _fsspec():
    try:
        import fsspec
    except ImportError:
        raise FactcheckError("URL inputs need fsspec", hint="pip install 'factcheck[dask]'") from None
    return fsspec


def _url_to_fs(url: str):
    fsspec = _fsspec()
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:  # unknown protocol, or its package missing
        raise FactcheckError(f"cannot open this URL: {exc}", path=url) from None


def _is_local(fs) -> bool:
    from fsspec.implementations.local import LocalFileSystem

    return isinstance(fs, LocalFileSystem)


def discover_url(root: str, globs: Sequence[str] | None) -> tuple[list[str], list[dict]]:
    """Files below the fsspec URL ``root`` (or ``root`` itself), named ``root/relative/path``."""
    from .batch import discover, glob_matcher

    fs, base = _url_to_fs(root)
    prefix = root.rstrip("/")
    if _is_local(fs):
        # file://: the local walk, so symlink loops and hidden entries behave as for plain paths
        files, errors = discover([Path(base)], globs)
        if Path(base).is_file():
            return [root], []
        rel = [os.path.relpath(f, base).replace(os.sep, "/") for f in files]
        return [f"{prefix}/{r}" for r in rel], [{"source": root, "error": e["error"]} for e in errors]
    try:
        if fs.isfile(base):
            return [root], []
        if not fs.isdir(base):
            return [], [{"source": root, "error": "no such folder"}]
        found = []
        strip = base.rstrip("/")
        wanted = glob_matcher(globs)
        for folder, subdirs, files in fs.walk(base, detail=False):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in files:
                rel = f"{folder.rstrip('/')}/{name}"[len(strip):].lstrip("/")
                if not name.startswith(".") and wanted(rel):
                    found.append(f"{prefix}/{rel}")
    except FactcheckError:
        raise
    except Exception as exc:  # noqa: BLE001 - any backend's listing error is a bad root
        return [], [{"source": root, "error": f"cannot list folder: {type(exc).__name__}: {exc}"}]
    return sorted(found), []


def read_url(url: str, max_bytes: int) -> bytes:
    """Bytes of the file at ``url``, with the same guards and messages as ``reader.read_bytes``."""
    try:
        fs, path = _url_to_fs(url)
        info = fs.info(path)
        if info.get("type") == "directory":
            raise InputError("is a folder", path=url, hint="use `factcheck scan DIR`")
        size = info.get("size")
        if size is not None and size > max_bytes:
            raise InputError(f"file is {size:,} bytes, over the --max-bytes limit of {max_bytes:,}",
                             path=url, hint="raise --max-bytes to check it anyway")
        with fs.open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FactcheckError:
        raise
    except FileNotFoundError:
        raise InputError("no such file", path=url) from None
    except PermissionError:
        raise InputError("permission denied", path=url) from None
    except Exception as exc:  # noqa: BLE001 - network and backend errors: one file, not the scan
        raise InputError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path=url) from None
    if len(raw) > max_bytes:
        raise InputError(f"input is over the --max-bytes limit of {max_bytes:,}", path=url,
                         hint="raise --max-bytes to check it anyway")
    return raw


# --- Dask -------------------------------------------------------------------

def _checker_for(options):
    """The worker's Checker for ``options``, built on first use and kept."""
    checker = _CHECKERS.get(options)
    if checker is None:
        from .check import Checker

        _CHECKERS.clear()
        checker = _CHECKERS[options] = Checker(options)
    return checker


@functools.cache
def _plugin_class():
    from distributed.diagnostics.plugin import WorkerPlugin

    class CheckerPlugin(WorkerPlugin):
        """Builds the Checker when a worker joins (and again on a restarted worker)."""

        idempotent = False

        def __init__(self, options) -> None:
            self.options = options

        def setup(self, worker) -> None:
            _checker_for(self.options)

    return CheckerPlugin


def _check_chunk(items: Sequence[tuple[str, str]], options, published: date | None) -> list[dict]:
    """A Dask task: ``(source, location)`` pairs to records, checked together as the
    local scan's workers check a batch (``batch.check_batch``)."""
    from .batch import check_batch

    checker = _checker_for(options)
    return check_batch([location for _, location in items], checker, published,
                       sources=[source for source, _ in items])


def _worker_ready() -> str:
    from . import __version__

    return __version__


def connect(dask, workers: int | None = None):
    """``(client, close)`` for an address, ``"local"`` or an existing Client (kept open)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise FactcheckError("--dask needs Dask installed",
                             hint="pip install 'factcheck[dask]'") from None
    if not isinstance(dask, str):
        return dask, lambda: None
    if dask == "local":
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)

        def close() -> None:
            client.close()
            cluster.close()

        return client, close
    try:
        client = Client(dask, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise FactcheckError(f"cannot reach the Dask scheduler at {dask}: "
                             f"{' '.join(str(exc).split())[:200]}") from None
    return client, client.close


def _prepare(client, options) -> int:
    """Wait for a worker, check they can import factcheck, build Checkers; total threads."""
    if not client.nthreads():
        print("factcheck: waiting for Dask workers to join the scheduler...", file=sys.stderr)
        try:
            client.wait_for_workers(1, timeout=120)
        except TimeoutError:
            raise FactcheckError("no Dask worker joined the scheduler within 120 s",
                                 hint="start one with `dask worker tcp://SCHEDULER:8786`") from None
    try:
        versions = client.run(_worker_ready)
    except Exception as exc:  # noqa: BLE001 - the worker's ImportError comes back wrapped
        raise FactcheckError(f"Dask workers cannot run factcheck: {type(exc).__name__}: {exc}",
                             hint="install the same factcheck[dask] on every worker") from None
    from . import __version__

    other = sorted({v for v in versions.values() if v != __version__})
    if other:
        print(f"factcheck: warning: Dask workers run factcheck {', '.join(other)}, "
              f"this client {__version__}", file=sys.stderr)
    client.register_plugin(_plugin_class()(options), name="factcheck-checker")
    return max(1, sum(client.nthreads().values()))


def iter_records_dask(paths: Sequence[str], options, *, published: date | None = None,
                      dask="local", workers: int | None = None, chunk: int | None = None,
                      window: int | None = None) -> Iterator[dict]:
    """Records for ``paths`` in their order, computed on a Dask cluster.

    ``dask``: a scheduler address, ``"local"`` (a LocalCluster of ``workers``
    processes, default 2) or a ``distributed.Client``. ``chunk``: files per
    task (default: up to 16, fewer for small scans). ``window``: at most this
    many files are submitted past the first one not yet written.
    """
    if not paths:
        return
    client, close = connect(dask, workers)
    try:
        yield from _ordered(client, list(paths), options, published, chunk, window)
    finally:
        close()


def _location(path: str) -> str:
    from .batch import is_url

    return path if is_url(path) else os.path.abspath(path)


def _ordered(client, paths: list[str], options, published, chunk, window) -> Iterator[dict]:
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    threads = _prepare(client, options)
    n = len(paths)
    chunk = chunk or max(1, min(16, n // (threads * 8)))
    window = window or max(8 * threads * chunk, 256)
    token = os.urandom(6).hex()
    items = [(p, _location(p)) for p in paths]
    done: dict[int, dict] = {}
    spans: dict = {}  # future -> (first index, end index, is a suspect's retry)
    suspects: list[int] = []  # files of tasks the scheduler gave up on, to retry one at a time
    pending = as_completed()
    next_submit = next_write = 0
    retrying = False  # a suspect's task is in flight

    def submit(lo: int, hi: int, retry: bool = False) -> None:
        future = client.submit(_check_chunk, items[lo:hi], options, published, pure=False,
                               key=f"factcheck-check-{token}-{lo}-{hi}{'-retry' * retry}")
        spans[future] = (lo, hi, retry)
        pending.add(future)

    def killed(lo: int, hi: int, retry: bool, exc: BaseException) -> None:
        # Dask blames every task that was on a worker when it died: a task given up on
        # may only have shared a worker with the culprit. Each of its files gets one more
        # try on its own; a file that still kills workers then becomes an error record.
        if not isinstance(exc, KilledWorker):
            raise exc
        if retry:
            done[lo] = {"source": paths[lo],
                        "error": f"a Dask worker died each time it checked this file ({exc})"}
        else:
            suspects.extend(range(lo, hi))

    while next_write < n:
        while next_submit < n and next_submit - next_write < window:
            hi = min(n, next_submit + chunk)
            submit(next_submit, hi)
            next_submit = hi
        if suspects and not retrying:
            i = min(suspects)  # the earliest first: the output waits for it
            suspects.remove(i)
            submit(i, i + 1, retry=True)
            retrying = True
        batch = pending.next_batch(block=True)  # gathered together: one round trip for all
        finished = []
        for future in batch:
            lo, hi, retry = spans.pop(future)
            retrying = retrying and not retry
            if future.status == "error":
                exc = future.exception()
                future.release()
                killed(lo, hi, retry, exc)
            else:
                finished.append((future, lo, hi, retry))
        try:
            results = client.gather([f for f, _, _, _ in finished])
        except KilledWorker:  # lost after it finished, then given up: take them one by one
            results = None
        for k, (future, lo, hi, retry) in enumerate(finished):
            try:
                records = future.result() if results is None else results[k]
            except KilledWorker as exc:
                killed(lo, hi, retry, exc)
            else:
                done.update(zip(range(lo, hi), records))
            future.release()
        while next_write in done:
            yield done.pop(next_write)
            next_write += 1


# --- partitioned outputs ----------------------------------------------------

PARQUET_COLUMNS = ("source", "sha256", "error", "label", "advertorial_score", "claims",
                   "supported", "contradicted", "unverifiable", "promotions", "products",
                   "report")


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise FactcheckError("--format parquet needs pyarrow",
                             hint="pip install pyarrow, or use --format jsonl") from None
    return pyarrow


def _parquet_table(records: list[dict]):
    pa = _pyarrow()
    from .render import to_jsonl_line

    cols: dict[str, list] = {c: [] for c in PARQUET_COLUMNS}
    for r in records:
        s = r.get("summary") or {}
        products = sorted({p.get("product") for p in r.get("promotions", []) if p.get("product")})
        row = {"source": r["source"], "sha256": r.get("sha256"), "error": r.get("error"),
               "label": s.get("label"), "advertorial_score": s.get("advertorial_score"),
               "claims": s.get("claims"), "supported": s.get("supported"),
               "contradicted": s.get("contradicted"), "unverifiable": s.get("unverifiable"),
               "promotions": s.get("promotions"),
               "products": ";".join(products) if "error" not in r else None,
               "report": to_jsonl_line(r)[:-1]}
        for c in PARQUET_COLUMNS:
            cols[c].append(row[c])
    ints = ("claims", "supported", "contradicted", "unverifiable", "promotions")
    schema = pa.schema([(c, pa.float64() if c == "advertorial_score" else
                         pa.int64() if c in ints else pa.string()) for c in PARQUET_COLUMNS])
    return pa.table(cols, schema=schema)


class PartitionedOutput:
    """``part-00000.jsonl``, ``part-00001.jsonl``, ... of ``size`` records each (or .parquet).

    JSONL parts are appended a whole line at a time, like a single --output
    file. A Parquet part is written (to a temporary name, then renamed) when
    it is full, and the last, shorter one on ``close``. With ``resume`` the
    records already there are read back (``previous``) and the last part is
    continued, so a resumed scan leaves the same parts as an uninterrupted one.
    """

    def __init__(self, folder: Path, size: int, fmt: str, *, resume: bool = False) -> None:
        if fmt not in PARTITION_FORMATS:
            raise FactcheckError(f"--partition-size writes jsonl or parquet parts, not {fmt}")
        if fmt == "parquet":
            _pyarrow()
        self.folder, self.size, self.fmt = Path(folder), size, fmt
        if self.folder.exists() and not self.folder.is_dir():
            raise FactcheckError("--output must be a folder with --partition-size",
                                 path=str(self.folder))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FactcheckError(f"cannot write: {exc.strerror or exc}", path=str(folder)) from None
        self.index = 0            # the part being filled
        self.count = 0            # records in it
        self.buffer: list[dict] = []  # parquet: records of the part being filled
        self.fh = None
        self.previous: list[dict] = []
        parts = sorted((int(m[1]), self.folder / name) for name in os.listdir(self.folder)
                       if (m := _PART.match(name)) and m[2] == fmt)
        if resume:
            self._read_back(parts)
        else:
            for _, path in parts:
                path.unlink()

    def _path(self, index: int) -> Path:
        return self.folder / f"part-{index:05d}.{self.fmt}"

    def _read_back(self, parts: list[tuple[int, Path]]) -> None:
        from .batch import _done_records

        expected = 0
        for index, path in parts:
            if index != expected:  # a gap: nothing after it can be trusted
                path.unlink()
                continue
            if self.fmt == "jsonl":
                records, raws = _done_records(path)
                with open(path, "r+b") as fh:
                    fh.truncate(sum(map(len, raws)))
            else:
                import pyarrow.parquet as pq

                records = [json.loads(line) for line in
                           pq.read_table(path, columns=["report"]).column("report").to_pylist()]
            self.previous += records
            self.index, self.count = index, len(records)
            if self.fmt == "parquet":
                self.buffer = records
            if len(records) < self.size:
                expected = -1  # the part to continue; later ones are stale
            else:
                self.index, self.count, self.buffer = index + 1, 0, []
                expected = index + 1

    def add(self, record: dict) -> None:
        from .render import UNDECODABLE, to_jsonl_line

        if self.fmt == "jsonl":
            if self.fh is None:
                try:
                    self.fh = open(self._path(self.index), "a", encoding="utf-8", errors=UNDECODABLE)
                except OSError as exc:
                    raise FactcheckError(f"cannot write: {exc.strerror or exc}",
                                         path=str(self._path(self.index))) from None
            self.fh.write(to_jsonl_line(record))
            self.fh.flush()
        else:
            self.buffer.append(record)
        self.count += 1
        if self.count >= self.size:
            self._finish_part()

    def _finish_part(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        if self.fmt == "parquet" and self.buffer:
            import pyarrow.parquet as pq

            path = self._path(self.index)
            tmp = path.with_name(path.name + ".tmp")
            pq.write_table(_parquet_table(self.buffer), tmp)
            os.replace(tmp, path)
        if self.count >= self.size:
            self.index, self.count, self.buffer = self.index + 1, 0, []

    def flush(self) -> None:
        if self.fh is not None:
            self.fh.flush()

    def close(self) -> None:
        self._finish_part()
