"""The shipped example article, corpora/examples/galaxy-s24-launch.txt."""

from __future__ import annotations

import pytest

from conftest import ROOT

EXAMPLE = ROOT / "corpora" / "examples" / "galaxy-s24-launch.txt"


@pytest.fixture(scope="module")
def report(shipped_checker):
    return shipped_checker.check_path(EXAMPLE)


def _by_text(report):
    return {q.text: v for c in report.claims for q in c.quantities for v in c.verdicts
            if v.quantity_start == q.start}


def test_example_garbled_price_and_shifted_date_contradicted(report):
    rows = _by_text(report)
    assert rows["$1,199.99"].status == "contradicted"
    assert rows["$1,199.99"].entity == "galaxy-s24-ultra"
    assert rows["January 24"].status == "contradicted"
    contradicted = sorted(q for q, v in rows.items() if v.status == "contradicted")
    assert contradicted == ["$1,199.99", "January 24"]


@pytest.mark.parametrize("quantity,entity", [
    ("$799.99", "galaxy-s24"), ("$999.99", "galaxy-s24-plus"), ("January 31", None),
    ("200MP", "galaxy-s24-ultra"), ("5,000mAh", "galaxy-s24-ultra"), ("4,000mAh", "galaxy-s24"),
    ("September 22 last year", "iphone-15-pro"), ("$999", "iphone-15-pro"), ("1938", "samsung"),
])
def test_example_correct_claims_supported(report, quantity, entity):
    v = _by_text(report)[quantity]
    assert v.status == "supported", v
    if entity:
        assert v.entity == entity


def test_example_promotion_found_with_product(report):
    products = [p.product for p in report.promotions]
    assert "Hanbit Ginseng Essence" in products
    main = next(p for p in report.promotions if p.product == "Hanbit Ginseng Essence")
    assert "ginseng" in main.text.lower()
    categories = {s.category for s in main.signals if s.type == "rule"}
    assert len(categories) >= 4
    assert report.summary.label == "advertorial"
