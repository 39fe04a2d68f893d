"""Golden files for the markdown and ClaimReview renderers on the shipped example.

The goldens in tests/fixtures/golden/ are the full rendered output of
corpora/examples/galaxy-s24-launch.txt with the shipped facts, rules and model.
When the output changes on purpose (a renderer change, or the classifier or
rules were retuned and the promotions moved), regenerate and review the diff:

    FACTCHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py

The structural ClaimReview test below does not depend on the goldens.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from datetime import date

import pytest

from conftest import ROOT

EXAMPLE_REL = "corpora/examples/galaxy-s24-launch.txt"
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
UPDATE = os.environ.get("FACTCHECK_UPDATE_GOLDEN") == "1"

# fact_file is shown relative to the working directory when it can be: in a
# checkout "corpora/facts/x.yaml:12"; from an installed wheel an absolute path
# ending in "factcheck/_facts/x.yaml:12". Goldens use the checkout's spelling.
_FACTS_PREFIX = re.compile(r"""(?:[^\s"'`()|]*/)?(?:corpora/facts|factcheck/_facts)/""")


def _normalise(text: str) -> str:
    return _FACTS_PREFIX.sub("corpora/facts/", text)


@pytest.fixture(scope="module")
def example_report():
    from factcheck.check import Checker

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)  # the report's source is then the stable relative path
        return Checker().check_path(EXAMPLE_REL)


def _check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    actual = _normalise(actual)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, "utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing; create it with FACTCHECK_UPDATE_GOLDEN=1 python -m pytest "
                    f"tests/test_render_golden.py")
    expected = path.read_text("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"golden/{name}", "actual"))
        pytest.fail(f"output differs from tests/fixtures/golden/{name}. If the change is intended "
                    "(renderer change, or retuned rules/classifier), regenerate with "
                    "FACTCHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py "
                    f"and review the diff:\n{diff}", pytrace=False)


def test_render_golden_markdown_example(example_report):
    from factcheck.render import Format, render

    _check_golden("galaxy-s24-launch.md", render([example_report], Format.markdown))


def test_render_golden_claimreview_example(example_report):
    from factcheck.render import Format, render

    _check_golden("galaxy-s24-launch.claimreview.json", render([example_report], Format.claimreview))


def test_render_golden_claimreview_is_deterministic(example_report):
    from factcheck.render.claimreview import render_claimreview

    assert render_claimreview([example_report]) == render_claimreview([example_report])


def _assert_claim_review(obj: dict, published: str | None) -> None:
    assert obj["@context"] == "https://schema.org"
    assert obj["@type"] == "ClaimReview"
    assert isinstance(obj["claimReviewed"], str) and obj["claimReviewed"].strip()
    item = obj["itemReviewed"]
    assert item["@type"] == "Claim"
    appearance = item["appearance"]
    assert appearance["@type"] == "CreativeWork"
    assert appearance.get("url") or appearance.get("name")
    if "url" in appearance:
        assert re.match(r"https?://", appearance["url"])
    rating = obj["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["bestRating"] == 5 and rating["worstRating"] == 1
    assert isinstance(rating["ratingValue"], int)
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert (rating["ratingValue"], rating["alternateName"]) in {(5, "Supported"), (1, "Contradicted")}
    assert obj["author"] == {"@type": "Organization", "name": "factcheck"}
    assert isinstance(obj["reviewBody"], str) and obj["reviewBody"].strip()
    for holder in (obj, item):
        if published is None:
            assert "datePublished" not in holder
        else:
            assert holder["datePublished"] == published
            date.fromisoformat(holder["datePublished"])
    if "isBasedOn" in obj:
        assert re.match(r"https?://", obj["isBasedOn"]["url"])


def test_render_golden_claimreview_required_fields(example_report):
    from factcheck.render.claimreview import render_claimreview

    data = json.loads(render_claimreview([example_report]))
    assert isinstance(data, list)
    rated = [v for c in example_report.claims for v in c.verdicts
             if v.status in ("supported", "contradicted")]
    assert len(data) == len(rated) > 0
    for obj in data:
        _assert_claim_review(obj, example_report.published.isoformat())
    values = sorted(obj["reviewRating"]["ratingValue"] for obj in data)
    assert values.count(1) == sum(v.status == "contradicted" for v in rated) >= 1
    assert "Claimed 1199.99 USD" in "".join(o["reviewBody"] for o in data)


def test_render_golden_claimreview_skips_unverifiable_and_handles_unknown_date():
    from factcheck.records import Claim, Report, Summary, Verdict
    from factcheck.render.claimreview import render_claimreview

    text = "Acme sold 5 widgets in 2020 at https://shop.example."
    verdicts = (Verdict("supported", "acme", "sales", "5", "5", 10, "facts.yaml:3",
                        "https://example.org/acme", "Matches."),
                Verdict("unverifiable", None, None, "2020", None, 23, explanation="No fact."))
    claim = Claim(text, 0, len(text), 0.9, verdicts=verdicts)
    report = Report("https://news.example/acme", None,
                    Summary(1, 1, 0, 0, 0, 0.0, "clean"), (claim,), (), (), text=text)
    data = json.loads(render_claimreview([report]))
    assert len(data) == 1
    _assert_claim_review(data[0], None)
    assert data[0]["itemReviewed"]["appearance"] == {"@type": "CreativeWork",
                                                     "url": "https://news.example/acme"}
    assert json.loads(render_claimreview([])) == []
