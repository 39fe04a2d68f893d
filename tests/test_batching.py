"""Checking articles in batches gives exactly what checking them one by one gives,
and a batch with a bad article loses only that article."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT
from factcheck import batch, check
from factcheck.errors import FactcheckError
from factcheck.reader import article_from_bytes
from factcheck.render import to_jsonl_line

ARTICLES = sorted((ROOT / "corpora").rglob("*.txt"))[:48]


def _json(report) -> str:
    return json.dumps(report.as_dict(), sort_keys=True)


def test_check_many_equals_checking_one_at_a_time(shipped_checker):
    articles = [article_from_bytes(p.read_bytes(), str(p)) for p in ARTICLES]
    together = shipped_checker.check_many(articles)
    assert [r.source for r in together] == [a.source for a in articles]
    assert [_json(r) for r in together] == [_json(shipped_checker.check(a)) for a in articles]
    assert sum(r.summary.promotions for r in together) > 0  # ads among them: the rules ran


@pytest.fixture
def files(tmp_path):
    paths = []
    for i, p in enumerate(ARTICLES[:6]):
        dst = tmp_path / f"{i:02d}-{p.name}"
        shutil.copy(p, dst)
        paths.append(str(dst))
    return paths


def _lines(records) -> list[str]:
    return [to_jsonl_line(r) for r in records]


def test_check_batch_records_equal_check_one_and_small_groups_change_nothing(shipped_checker, files,
                                                                             monkeypatch):
    one_by_one = _lines(batch.check_one(p, shipped_checker, None) for p in files)
    assert _lines(batch.check_batch(files, shipped_checker, None)) == one_by_one
    monkeypatch.setattr(batch, "BATCH_CHARS", 1)  # a group per file
    assert _lines(batch.check_batch(files, shipped_checker, None)) == one_by_one


@pytest.mark.parametrize("failure", [FactcheckError("cannot analyse this"), RecursionError()])
def test_a_failing_article_in_a_batch_becomes_one_error_record(shipped_checker, files, monkeypatch,
                                                               tmp_path, failure):
    poison = tmp_path / "03-poison.txt"
    poison.write_text("POISON in an otherwise ordinary article about the council.", "utf-8")
    paths = sorted(files + [str(poison)])
    expected = {p: batch.check_one(p, shipped_checker, None) for p in files}
    real = check.extract_claims

    def extract_claims(doc, *args, **kwargs):
        if "POISON" in doc.text:
            raise failure
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(check, "extract_claims", extract_claims)
    records = batch.check_batch(paths, shipped_checker, None)
    assert [r["source"] for r in records] == paths
    bad = records[paths.index(str(poison))]
    assert set(bad) == {"source", "sha256", "error"}
    assert bad["error"] == ("cannot analyse this" if isinstance(failure, FactcheckError)
                            else batch.NESTED)
    assert _lines(r for r in records if r["source"] != str(poison)) == _lines(expected.values())


def test_unreadable_and_empty_files_in_a_batch_do_not_stop_it(shipped_checker, files, tmp_path):
    empty = tmp_path / "00-empty.txt"
    empty.write_bytes(b"")
    missing = str(tmp_path / "01-gone.txt")
    paths = [str(empty), missing] + files
    records = batch.check_batch(paths, shipped_checker, None)
    assert records[0]["error"].startswith("empty file") and "sha256" in records[0]
    assert records[1] == {"source": missing, "error": "no such file"}
    assert _lines(records[2:]) == _lines(batch.check_one(p, shipped_checker, None) for p in files)
