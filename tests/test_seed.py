"""The article this project started from (../shared/examples), with the shipped facts.

Skips cleanly in a checkout without ../shared.
"""

from __future__ import annotations

import re

import pytest

from conftest import shared_file


@pytest.fixture(scope="module")
def seed(shipped_checker):
    path = shared_file("examples", "xiaomi-liver-formula.txt")
    return shipped_checker.check_path(path)


def _verdicts(report):
    return [(c, q, v) for c in report.claims for q in c.quantities for v in c.verdicts
            if v.quantity_start == q.start]


def test_seed_publication_date_from_header(seed):
    assert seed.published.isoformat() == "2024-01-29"


def test_seed_launch_date_and_prices_supported(seed):
    rows = _verdicts(seed)
    launch = [v for c, q, v in rows if q.text == "October 26th"]
    assert launch and launch[0].status == "supported" and launch[0].attribute == "launch_date"
    prices = {q.text: v for c, q, v in rows if q.kind == "money" and "flagship" in c.text}
    assert prices["3999 yuan"].status == "supported" and prices["3999 yuan"].entity == "xiaomi-14"
    assert prices["4999 yuan"].status == "supported" and prices["4999 yuan"].entity == "xiaomi-14-pro"


def test_seed_study_percent_supported_and_this_year_contradicted(seed):
    rows = {q.text: v for c, q, v in _verdicts(seed)}
    assert rows["82%"].status == "supported"
    assert rows["April this year"].status == "contradicted"
    assert rows["April this year"].expected.startswith("2023-04")


def test_seed_no_other_contradiction(seed):
    contradicted = [q.text for c, q, v in _verdicts(seed) if v.status == "contradicted"]
    assert contradicted == ["April this year"]


def test_seed_unitless_600_is_unverifiable_not_contradicted(seed):
    rows = {q.text: v for c, q, v in _verdicts(seed)}
    assert rows["600"].status == "unverifiable"
    assert "6x" in rows["600"].explanation


def _paragraphs(text):
    spans, pos = [], 0
    for block in re.split(r"\n\s*\n", text):
        start = text.index(block, pos)
        spans.append((start, start + len(block)))
        pos = start + len(block)
    return [(s, e) for s, e in spans if text[s:e].strip()]


def test_seed_liver_formula_paragraphs_inside_promotions(seed):
    text = seed.text
    promos = [(p.start, p.end, p.product) for p in seed.promotions]
    mentioning = [(s, e) for s, e in _paragraphs(text) if re.search(r"Liver (Formula|Lifang)", text[s:e])]
    assert len(mentioning) == 2
    for s, e in mentioning:
        # Every sentence that names the product lies inside a promotion for it.
        for m in re.finditer(r"Liver (Formula|Lifang)", text[s:e]):
            pos = s + m.start()
            inside = [p for p in promos if p[0] <= pos < p[1]]
            assert inside, f"mention at {pos} not inside a promotion: {promos}"
            assert inside[0][2] == "Liver Formula"


def test_seed_no_promotion_in_phone_only_paragraphs(seed):
    text = seed.text
    for s, e in _paragraphs(text):
        body = text[s:e]
        if re.search(r"Liver|liver", body):
            continue
        if not re.search(r"Xiaomi|iPhone|Lei Jun", body):
            continue
        overlapping = [p for p in seed.promotions if p.start < e and s < p.end]
        assert not overlapping, f"promotion inside phone paragraph: {body[:80]!r}"
