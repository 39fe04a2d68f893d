"""Quantity extraction, driven by tests/fixtures/quantities.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from factcheck.quantities import extract_quantities, parse_number

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "quantities.yaml").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_quantities_fixture(case):
    published = case.get("published")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    found = extract_quantities(case["text"], published)
    for q in found:
        assert case["text"][q.start:q.end] == q.text
    got = {q.text: q for q in found}
    for want in case["expect"]:
        assert want["text"] in got, f"missing {want['text']!r}; found {[q.text for q in found]}"
        q = got[want["text"]]
        assert q.kind == want["kind"]
        assert q.value == want["value"]
        if "unit" in want:
            assert q.unit == want["unit"]
        assert q.approximate == want.get("approximate", False), q
    if case.get("exact", True):
        extra = sorted(set(got) - {w["text"] for w in case["expect"]})
        assert not extra, f"unexpected quantities {extra}"


@pytest.mark.parametrize("text,value", [
    ("1.2bn", 1.2e9), ("816 000", 816000), ("twenty-five", 25), ("half a million", 500000),
    ("3,999", 3999), ("10 million", 1e7), ("100M", 1e8), ("a billion", 1e9),
])
def test_quantities_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_quantities_relative_dates_need_publication():
    assert [q.text for q in extract_quantities("Sales rose last year.", None)] == []
    assert [q.value for q in extract_quantities("Sales rose last year.", date(2020, 5, 1))] == ["2019"]


def test_quantities_latest_date_not_after_publication():
    # Published on 26 October: "October 26" is that same day, "October 27" a year back.
    pub = date(2023, 10, 26)
    assert extract_quantities("on October 26", pub)[0].value == "2023-10-26"
    assert extract_quantities("on October 27", pub)[0].value == "2022-10-27"
