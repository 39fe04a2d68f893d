"""Linking and verdicts, driven by tests/fixtures/verdicts.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from factcheck.check import Checker
from factcheck.rules import RuleSet

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "verdicts.yaml").read_text("utf-8"))["cases"]


@pytest.fixture(scope="module")
def checker(fixture_facts):
    return Checker(facts=fixture_facts, rules=RuleSet([], [], []), model=None)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_verify_fixture(case, checker):
    published = case.get("published")
    report = checker.check_text(case["text"], "case.txt",
                                published=published if isinstance(published, date) else None)
    by_quantity = {}
    for claim in report.claims:
        for q in claim.quantities:
            by_quantity[q.text] = [v for v in claim.verdicts if v.quantity_start == q.start]
    checked = [v for c in report.claims for v in c.verdicts if v.expected is not None]
    if not case["expect"]:
        assert not checked, checked
    for want in case["expect"]:
        assert want["quantity"] in by_quantity, f"no quantity {want['quantity']!r}: {list(by_quantity)}"
        verdicts = by_quantity[want["quantity"]]
        assert verdicts, f"no verdict for {want['quantity']!r}"
        v = verdicts[0]
        assert v.status == want["status"], v
        for key in ("entity", "attribute"):
            if key in want:
                assert getattr(v, key) == want[key], v
        if v.status != "unverifiable" or v.expected:
            assert v.source and v.fact_file and ":" in v.fact_file
    if case.get("no_contradiction"):
        assert not [v for c in report.claims for v in c.verdicts if v.status == "contradicted"]


def test_verify_unknown_entity_is_never_contradicted(checker):
    report = checker.check_text("Globex says its phone costs 1 yuan and launched on May 5, 1990.")
    assert report.summary.contradicted == 0
    assert all(v.status == "unverifiable" for c in report.claims for v in c.verdicts)


def test_verify_verdict_explains_and_cites(checker):
    report = checker.check_text("The Nova 9 Pro costs 4599 yuan.")
    (verdict,) = [v for c in report.claims for v in c.verdicts]
    assert verdict.status == "contradicted"
    assert "4599" in verdict.explanation and "4999" in verdict.explanation
    assert verdict.source == "https://example.org/nova-9-pro"
    lines = (Path(__file__).parent / "fixtures" / "facts" / "phones.yaml").read_text().splitlines()
    want = next(i for i, line in enumerate(lines, 1) if "value: 4999" in line)
    assert verdict.fact_file.endswith(f"phones.yaml:{want}")
