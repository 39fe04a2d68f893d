"""Batch scanning: order and bytes independent of workers, resume, error records."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from factcheck.check import Options
from factcheck.cli import main
from factcheck.batch import discover, run_scan

ARTICLES = sorted((ROOT / "corpora" / "promo" / "articles").glob("*.txt"))[:12]


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i, p in enumerate(ARTICLES):
        shutil.copy(p, (src / "sub" if i % 3 == 0 else src) / p.name)
    (src / ".hidden").mkdir()
    (src / ".hidden" / "skip.txt").write_text("Hidden files are not scanned.", "utf-8")
    (src / "notes.csv").write_text("a,b\n", "utf-8")
    return src


def test_scan_discover_is_sorted_and_skips_hidden_and_other_globs(folder):
    files, errors = discover([folder])
    assert files == sorted(files) and not errors
    assert len(files) == len(ARTICLES)
    assert not any(".hidden" in f or f.endswith(".csv") for f in files)


def test_scan_symlink_loop_is_not_followed(folder):
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    files, _ = discover([folder])
    assert len(files) == len(ARTICLES)


def test_scan_one_and_two_workers_give_identical_bytes(folder, tmp_path):
    out1, out2 = tmp_path / "w1.jsonl", tmp_path / "w2.jsonl"
    run_scan([folder], Options(), output=out1, workers=1, progress=False)
    run_scan([folder], Options(), output=out2, workers=2, progress=False)
    assert out1.read_bytes() == out2.read_bytes()
    lines = out1.read_text("utf-8").splitlines()
    assert len(lines) == len(ARTICLES)
    sources = [json.loads(line)["source"] for line in lines]
    assert sources == sorted(sources)


def test_scan_killed_midway_then_resumed_equals_uninterrupted(folder, tmp_path):
    full = tmp_path / "full.jsonl"
    run_scan([folder], Options(), output=full, workers=1, progress=False)
    lines = full.read_bytes().splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    # what a kill leaves: five complete records and half of the sixth
    partial.write_bytes(b"".join(lines[:5]) + lines[5][: len(lines[5]) // 2])
    summary = run_scan([folder], Options(), output=partial, workers=2, resume=True, progress=False)
    assert partial.read_bytes() == full.read_bytes()
    assert summary.skipped == 5
    # the summary's rate counts the files this run checked, not those resumed
    assert summary.scanned == len(ARTICLES) - 5
    assert summary.scan_seconds > 0 and summary.load_seconds > 0


def test_scan_bad_files_become_error_records(folder, tmp_path, capsys):
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    code = main(["scan", str(folder), "--workers", "1", "--output", str(out)])
    assert code in (0, 1)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(records) == len(ARTICLES) + 2
    errors = {r["source"].rsplit("/", 1)[-1]: r["error"] for r in records if "error" in r}
    assert set(errors) == {"binary.txt", "empty.txt"}
    assert "binary" in errors["binary.txt"] and "empty" in errors["empty.txt"]


def test_scan_exit_2_only_when_nothing_could_be_read(tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"")
    assert main(["scan", str(bad), "--workers", "1"]) == 2


def test_scan_csv_has_one_line_per_article(folder, tmp_path, capsys):
    out = tmp_path / "out.csv"
    main(["scan", str(folder), "--workers", "1", "--format", "csv", "--output", str(out)])
    lines = out.read_text("utf-8").splitlines()
    assert lines[0].startswith("source,label,advertorial_score")
    assert len(lines) == len(ARTICLES) + 1


def test_scan_python_api_yields_reports(folder):
    from factcheck import scan

    records = list(scan([folder], workers=1))
    assert len(records) == len(ARTICLES)
    assert all(r["schema"] == "factcheck.report/1" for r in records)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_scan_sigint_stops_cleanly_and_resume_completes(folder, tmp_path, workers):
    import signal
    import time

    for i, src in enumerate(sorted(folder.rglob("*.txt")) * 15):  # long enough to interrupt
        shutil.copy(src, folder / f"copy-{i:03d}.txt")
    full = tmp_path / "full.jsonl"
    run_scan([folder], Options(), output=full, workers=1, progress=False)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "factcheck", "scan", str(folder), "--workers", workers,
           "--output", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    deadline = time.time() + 60
    while time.time() < deadline and (not out.exists() or out.read_bytes().count(b"\n") < 2):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    err = err.decode()
    if proc.returncode in (0, 1) or out.read_bytes() == full.read_bytes():
        pytest.skip("the scan finished before the signal arrived")
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "--resume" in err
    data = out.read_bytes()
    assert data.endswith(b"\n") and all(json.loads(line) for line in data.splitlines())
    done = subprocess.run(cmd + ["--resume"], capture_output=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert out.read_bytes() == full.read_bytes()


def test_scan_records_a_fifo_instead_of_blocking_on_it(folder):
    os.mkfifo(folder / "feed.txt")  # opening it for reading would wait for a writer forever
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    files, errors = discover([folder])
    assert len(files) == len(ARTICLES)
    reasons = {r["source"].rsplit("/", 1)[-1]: r["error"] for r in errors}
    assert "FIFO" in reasons["feed.txt"] and "broken symbolic link" in reasons["gone.txt"]


def test_scan_resume_checks_a_changed_file_again_without_a_duplicate(folder, tmp_path):
    out = tmp_path / "out.jsonl"
    run_scan([folder], Options(), output=out, workers=1, progress=False)
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text("utf-8") + "\nThe council met again on Monday.\n", "utf-8")
    summary = run_scan([folder], Options(), output=out, workers=1, resume=True, progress=False)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    sources = [r["source"] for r in records]
    assert len(sources) == len(set(sources)) == len(ARTICLES)
    assert summary.skipped == len(ARTICLES) - 1 and summary.read == len(ARTICLES)
    fresh = tmp_path / "fresh.jsonl"
    run_scan([folder], Options(), output=fresh, workers=1, progress=False)
    by_source = {json.loads(line)["source"]: line for line in fresh.read_text("utf-8").splitlines()}
    assert sorted(out.read_text("utf-8").splitlines()) == sorted(by_source.values())


def test_scan_csv_killed_midway_then_resumed_equals_uninterrupted(folder, tmp_path):
    full = tmp_path / "full.csv"
    run_scan([folder], Options(), output=full, fmt="csv", workers=1, progress=False)
    lines = full.read_bytes().splitlines(keepends=True)
    partial = tmp_path / "partial.csv"
    partial.write_bytes(b"".join(lines[:4]) + lines[4][:20])  # header, three rows, a torn one
    summary = run_scan([folder], Options(), output=partial, fmt="csv", workers=1, resume=True,
                       progress=False)
    assert partial.read_bytes() == full.read_bytes()
    assert summary.skipped == 3


@pytest.mark.parametrize("fmt,content", [("jsonl", b"my notes\nkeep them\n"),
                                         ("csv", b"name,total\nann,3\n")])
def test_scan_resume_refuses_a_file_it_did_not_write(folder, tmp_path, capsys, fmt, content):
    out = tmp_path / f"notes.{fmt}"
    out.write_bytes(content)
    code = main(["scan", str(folder), "--workers", "1", "--format", fmt, "--output", str(out),
                 "--resume"])
    assert code == 2
    assert out.read_bytes() == content  # not cut short, not overwritten
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{out}:1" in err[0] and "cannot resume" in err[0]


def test_scan_resume_refuses_whole_document_formats(folder, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["scan", str(folder), "--format", "json", "--output", str(out), "--resume"]) == 2
    assert "--resume works with --format jsonl or csv" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_scan_resume_into_a_missing_file_is_a_fresh_scan(folder, tmp_path, fmt):
    # A cron job may say --resume every time, the first time included.
    fresh = tmp_path / f"fresh.{fmt}"
    run_scan([folder], Options(), output=fresh, fmt=fmt, workers=1, progress=False)
    out = tmp_path / "new" / f"out.{fmt}"
    summary = run_scan([folder], Options(), output=out, fmt=fmt, workers=1, resume=True,
                       progress=False)
    assert out.read_bytes() == fresh.read_bytes()
    assert summary.skipped == 0


def test_scan_never_checks_its_own_output(folder, tmp_path):
    # `--glob '*'` with the results inside the scanned folder: the second run must
    # not read the first run's results as an article.
    out = folder / "results.jsonl"
    run_scan([folder], Options(), output=out, globs=["*"], workers=1, progress=False)
    first = out.read_bytes()
    summary = run_scan([folder], Options(), output=out, globs=["*"], workers=1, progress=False)
    assert out.read_bytes() == first
    assert summary.read == len(ARTICLES) + 1  # the articles and notes.csv, not results.jsonl
    assert str(out) not in out.read_text("utf-8")


def test_scan_resume_into_a_folder_is_one_clear_error(folder, tmp_path, capsys):
    code = main(["scan", str(folder), "--workers", "1", "--output", str(tmp_path), "--resume"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot read the output to resume" in err[0] and "internal" not in err[0]


def _undecodable_name(folder: Path) -> Path:
    name = os.fsdecode(b"caf\xe9-latin1-name.txt")  # a Latin-1 file name: not UTF-8
    try:
        (folder / name).write_text("The council approved 3 new parks on Tuesday.\n", "utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system only takes UTF-8 file names")
    return folder / name


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_scan_writes_and_resumes_an_undecodable_file_name(folder, tmp_path, fmt):
    _undecodable_name(folder)
    out = tmp_path / f"out.{fmt}"
    first = run_scan([folder], Options(), output=out, fmt=fmt, workers=1, progress=False)
    assert first.errors == 0 and first.read == len(ARTICLES) + 1
    data = out.read_bytes()
    assert b"caf\xe9-latin1-name.txt" in data  # the name's own bytes, as `ls` shows them
    again = run_scan([folder], Options(), output=out, fmt=fmt, workers=1, resume=True,
                     progress=False)
    assert out.read_bytes() == data and again.skipped == len(ARTICLES) + 1


def test_check_prints_an_undecodable_file_name_to_a_strict_utf8_stdout(tmp_path):
    path = _undecodable_name(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "factcheck", "check", os.fsencode(path),
                           "--format", "jsonl"], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8", "surrogateescape"))["source"] == str(path)


@pytest.mark.parametrize("globs,expected", [
    (["sub/*.txt"], "sub"),                # a pattern with "/" matches below the scanned folder
    (["**/sub/*.txt"], "sub"),             # "**" spans any folders, none included
    (["!sub/**"], "top"),                  # exclusions alone apply to the default patterns
    (["*.txt", "!sub/*"], "top"),
])
def test_scan_globs_match_paths_below_the_folder(folder, globs, expected):
    in_sub = {p.name for i, p in enumerate(ARTICLES) if i % 3 == 0}
    files, _ = discover([folder], globs)
    names = {Path(f).name for f in files}
    assert names == (in_sub if expected == "sub" else {p.name for p in ARTICLES} - in_sub)


def test_scan_says_when_no_file_matched(folder, capsys):
    assert main(["scan", str(folder), "--glob", "*.rst", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "no file matched *.rst under" in err and str(folder) in err


def test_discover_leaves_out_the_output_however_it_is_reached(folder):
    results = folder / "results"  # an output folder (partitions, html) inside the scanned one
    results.mkdir()
    (results / "part-0.txt").write_text("written by an earlier scan", "utf-8")
    (folder / "alias.txt").symlink_to(results / "part-0.txt")
    files, _ = discover([folder], exclude=results)
    assert len(files) == len(ARTICLES) + 1  # the articles and the symlink (another file's name)
    files, _ = discover([folder], exclude=results / "part-0.txt")
    assert not any("part-0" in f or "alias" in f for f in files)
    assert len(files) == len(ARTICLES)
