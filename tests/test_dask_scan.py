"""Scan on Dask, fsspec URL inputs, partitioned outputs: same records, same bytes.

The cluster tests (``-m dask``; deselect with ``-m "not dask"``) start a real
dask.distributed LocalCluster on loopback: a scheduler and two worker
processes under nannies. They compare every output with the local scan
(``run_scan(..., workers=1)``) byte for byte, including after a worker is
killed with SIGKILL mid-scan and after a file keeps killing its workers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from factcheck.batch import discover, run_scan
from factcheck.check import Options
from factcheck.cli import main

ARTICLES = sorted((ROOT / "corpora" / "promo" / "articles").glob("*.txt"))[:20]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    src = tmp_path_factory.mktemp("dask") / "in"
    (src / "sub").mkdir(parents=True)
    for i, p in enumerate(ARTICLES):
        shutil.copy(p, (src / "sub" if i % 4 == 0 else src) / p.name)
    (src / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (src / "empty.txt").write_bytes(b"")
    return src


@pytest.fixture(scope="module")
def local_jsonl(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "local.jsonl"
    run_scan([folder], Options(), output=out, workers=1, progress=False)
    return out.read_bytes()


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.wait_for_workers(2, timeout=60)
        yield cluster, client


def _wait_for_two_workers(client, gone=None, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = client.scheduler_info()["workers"]
        if len(workers) == 2 and gone not in workers:
            return
        time.sleep(0.1)
    raise AssertionError(f"the cluster did not get back to two workers: {sorted(workers)}")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


# --- on a real cluster --------------------------------------------------------

@pytest.mark.dask
def test_dask_scan_is_byte_identical_to_the_local_scan(cluster, folder, local_jsonl, tmp_path):
    _, client = cluster
    out = tmp_path / "dask.jsonl"
    summary = run_scan([folder], Options(), output=out, dask=client, progress=False)
    assert out.read_bytes() == local_jsonl
    records = [json.loads(line) for line in _lines(local_jsonl)]
    assert len(records) == len(ARTICLES) + 2 and summary.errors == 2
    assert {r["source"].rsplit("/", 1)[-1] for r in records if "error" in r} == {"binary.txt", "empty.txt"}


@pytest.mark.dask
def test_dask_scan_with_a_worker_killed_midway_loses_and_repeats_nothing(cluster, folder, local_jsonl):
    from factcheck.distributed import iter_records_dask
    from factcheck.render import to_jsonl_line

    local_cluster, client = cluster
    files, _ = discover([folder])
    records = iter_records_dask(files, Options(), dask=client, chunk=1)
    got = [next(records) for _ in range(3)]
    # The victim: the worker holding the most unfinished or not-yet-gathered tasks.
    processing, held = client.processing(), client.has_what()
    victim = max(held, key=lambda a: len(processing.get(a, ())) + len(held.get(a, ())))
    assert processing.get(victim) or held.get(victim), "the scan ended before the kill"
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    got += list(records)
    assert "".join(map(to_jsonl_line, got)).encode("utf-8") == local_jsonl
    assert len({r["source"] for r in got}) == len(got) == len(files)
    _wait_for_two_workers(client, gone=victim)  # the nanny restarts it; later tests want two


@pytest.mark.dask
def test_dask_scan_resume_equals_uninterrupted(cluster, folder, local_jsonl, tmp_path):
    _, client = cluster
    lines = _lines(local_jsonl)
    partial = tmp_path / "partial.jsonl"
    partial.write_bytes(b"".join(lines[:5]) + lines[5][: len(lines[5]) // 2])  # what a kill leaves
    summary = run_scan([folder], Options(), output=partial, resume=True, dask=client, progress=False)
    assert partial.read_bytes() == local_jsonl
    assert summary.skipped == 5


@pytest.mark.dask
def test_dask_scan_of_file_urls_by_address_into_partitions(cluster, folder, local_jsonl, tmp_path, capsys):
    local_cluster, _ = cluster
    out = tmp_path / "parts"
    code = main(["scan", f"file://{folder}", "--dask", local_cluster.scheduler_address,
                 "--output", str(out), "--partition-size", "8"])
    assert code == 1  # the corpus is advertorials: findings
    names = sorted(p.name for p in out.iterdir())
    assert names == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    parts = [_lines((out / n).read_bytes()) for n in names]
    assert [len(p) for p in parts] == [8, 8, 6]
    expected = local_jsonl.replace(f'"source":"{folder}'.encode(), f'"source":"file://{folder}'.encode())
    assert b"".join(sum(parts, [])) == expected


@pytest.mark.dask
def test_dask_file_that_keeps_killing_workers_becomes_an_error_record(cluster, tmp_path):
    from distributed.diagnostics.plugin import WorkerPlugin

    from factcheck.distributed import iter_records_dask

    local_cluster, client = cluster
    src = tmp_path / "poison"
    src.mkdir()
    for p in ARTICLES[:2]:
        shutil.copy(p, src / p.name)
    (src / "crash.txt").write_text("This file makes the worker process exit.", "utf-8")

    class Poison(WorkerPlugin):  # defined here, so it travels by value; re-run on restarts
        def setup(self, worker):
            import factcheck.batch as batch

            self.original = original = batch.check_batch

            def check_batch(paths, *args, **kwargs):
                if any(path.endswith("crash.txt") for path in paths):
                    os._exit(1)
                return original(paths, *args, **kwargs)

            batch.check_batch = check_batch

        def teardown(self, worker):
            import factcheck.batch as batch

            batch.check_batch = self.original

    allowed = local_cluster.scheduler.allowed_failures
    local_cluster.scheduler.allowed_failures = 1  # two deaths and the task is given up
    client.register_plugin(Poison(), name="poison")
    try:
        files, _ = discover([src])
        # one task of three files: given up on, then each file retried alone
        records = list(iter_records_dask(files, Options(), dask=client, chunk=3))
    finally:
        client.unregister_worker_plugin("poison")
        local_cluster.scheduler.allowed_failures = allowed
    assert [r["source"] for r in records] == files
    errors = [r for r in records if "error" in r]
    assert len(errors) == 1, errors  # the other two files were retried on their own
    assert errors[0]["source"].endswith("crash.txt") and "worker died" in errors[0]["error"]
    _wait_for_two_workers(client)


@pytest.mark.dask
def test_dask_local_starts_its_own_cluster(folder, tmp_path, capsys):
    pytest.importorskip("distributed")
    src = tmp_path / "few"
    src.mkdir()
    for p in ARTICLES[:3]:
        shutil.copy(p, src / p.name)
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    main(["scan", str(src), "--workers", "1", "--output", str(local)])
    started = time.perf_counter()
    main(["scan", str(src), "--dask", "local", "--workers", "1", "--output", str(dask)])
    assert dask.read_bytes() == local.read_bytes()
    assert time.perf_counter() - started < 60


# --- no cluster needed ------------------------------------------------------

def test_scan_without_dask_imports_neither_dask_nor_fsspec(folder, tmp_path):
    out = tmp_path / "out.jsonl"
    code = (
        "import sys\n"
        "from factcheck.cli import main\n"
        f"main(['scan', {str(folder)!r}, '--workers', '1', '--output', {str(out)!r}])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert len(out.read_text("utf-8").splitlines()) == len(ARTICLES) + 2


def test_local_scan_of_a_file_url_names_records_by_the_url(folder, local_jsonl, tmp_path):
    pytest.importorskip("fsspec")
    out = tmp_path / "url.jsonl"
    run_scan([f"file://{folder}"], Options(), output=out, workers=1, progress=False)
    expected = local_jsonl.replace(f'"source":"{folder}'.encode(), f'"source":"file://{folder}'.encode())
    assert out.read_bytes() == expected
    missing = run_scan([f"file://{folder}/nope"], Options(), output=out, workers=1, progress=False)
    assert missing.errors == 1 and missing.read == 0


def test_partitions_resume_to_the_same_parts(folder, local_jsonl, tmp_path):
    full, cut = tmp_path / "full", tmp_path / "cut"
    run_scan([folder], Options(), output=full, workers=1, partition_size=5, progress=False)
    names = sorted(p.name for p in full.iterdir())
    assert names == [f"part-{i:05d}.jsonl" for i in range(5)]
    assert b"".join((full / n).read_bytes() for n in names) == local_jsonl
    # what a kill leaves: two full parts and a torn third one
    cut.mkdir()
    for n in names[:2]:
        shutil.copy(full / n, cut / n)
    third = _lines((full / names[2]).read_bytes())
    (cut / names[2]).write_bytes(third[0] + third[1][:40])
    summary = run_scan([folder], Options(), output=cut, workers=1, partition_size=5, resume=True,
                       progress=False)
    assert summary.skipped == 11
    assert sorted(p.name for p in cut.iterdir()) == names
    assert all((cut / n).read_bytes() == (full / n).read_bytes() for n in names)


def test_parquet_partitions_hold_the_same_records(folder, local_jsonl, tmp_path, capsys):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    out = tmp_path / "pq"
    main(["scan", str(folder), "--workers", "1", "--output", str(out), "--format", "parquet",
          "--partition-size", "10"])
    names = sorted(p.name for p in out.iterdir())
    assert names == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    rows = sum((pq.read_table(out / n).to_pylist() for n in names), [])
    assert [r["report"].encode("utf-8") + b"\n" for r in rows] == _lines(local_jsonl)
    assert sum(r["error"] is not None for r in rows) == 2
    # interrupted before the last part was written: --resume writes the same bytes again
    last = (out / names[-1]).read_bytes()
    (out / names[-1]).unlink()
    main(["scan", str(folder), "--workers", "1", "--output", str(out), "--format", "parquet",
          "--partition-size", "10", "--resume"])
    assert (out / names[-1]).read_bytes() == last


def test_parquet_without_pyarrow_is_a_one_line_error(folder, tmp_path, capsys):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pyarrow is installed")
    code = main(["scan", str(folder), "--workers", "1", "--output", str(tmp_path / "pq"),
                 "--format", "parquet", "--partition-size", "10"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "pyarrow" in err[0]


def test_partition_options_need_a_folder_and_a_line_format(folder, tmp_path, capsys):
    assert main(["scan", str(folder), "--partition-size", "5"]) == 2
    assert main(["scan", str(folder), "--format", "parquet", "--output", str(tmp_path)]) == 2
    assert main(["scan", str(folder), "--format", "csv", "--partition-size", "5",
                 "--output", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--partition-size needs --output DIR" in err and "--format parquet needs" in err


def test_discover_in_a_remote_filesystem_applies_globs_to_paths():
    fsspec = pytest.importorskip("fsspec")
    from factcheck.batch import discover

    fs = fsspec.filesystem("memory")
    for name in ("a.txt", "sub/b.txt", "sub/deeper/c.txt", ".hidden/d.txt", "e.csv"):
        fs.pipe(f"/globnews/{name}", b"The council met on Tuesday.\n")
    try:
        every, _ = discover(["memory://globnews"])
        only_sub, _ = discover(["memory://globnews"], ["sub/**/*.txt"])
        not_sub, _ = discover(["memory://globnews"], ["!sub/**"])
    finally:
        fs.rm("/globnews", recursive=True)
    base = "memory://globnews/"
    assert every == [base + n for n in ("a.txt", "sub/b.txt", "sub/deeper/c.txt")]
    assert only_sub == [base + "sub/b.txt", base + "sub/deeper/c.txt"]
    assert not_sub == [base + "a.txt"]
