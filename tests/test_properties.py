"""Properties over arbitrary text (hypothesis): nothing raises, offsets hold, output is stable.

* ``extract_quantities`` never raises and every span is ``text[start:end] == q.text``;
* the full ``Checker`` never raises on ``check_text``, every reported span (claims,
  quantities, entity mentions, promotions, their rule signals, rule hits) gives
  back its text, and the JSON is byte-identical across two runs;
* articles checked together (``check_many``) get the reports they get alone;
* the YAML loader raises only ``DataError``, whatever the text;
* a guessed product is made of words of its passage.

Budget: about a minute in all (``max_examples=150`` per property, no deadline).
bench/fuzz.py runs the same targets for as long as you like.
"""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.errors import DataError
from factcheck.quantities import extract_quantities
from factcheck.yamlsafe import load_yaml
from strategies import news_text

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

any_text = st.one_of(st.text(), news_text())
published = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))


def spans_ok(text: str, node) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("start"), int) and isinstance(node.get("end"), int):
            assert 0 <= node["start"] <= node["end"] <= len(text), node
            if "text" in node:
                assert text[node["start"]:node["end"]] == node["text"], node
        for value in node.values():
            spans_ok(text, value)
    elif isinstance(node, list):
        for value in node:
            spans_ok(text, value)


@SETTINGS
@given(text=any_text, pub=published)
def test_quantities_never_raise_and_spans_hold(text, pub):
    quantities = extract_quantities(text, pub)
    for q in quantities:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
    starts = [q.start for q in quantities]
    assert starts == sorted(starts)


@SETTINGS
@given(text=any_text, pub=published)
def test_checker_never_raises_spans_hold_and_output_is_deterministic(shipped_checker, text, pub):
    report = shipped_checker.check_text(text, "prop.txt", pub)
    assert report.text == text
    first = report.as_dict()
    spans_ok(text, first)
    for claim in first["claims"]:
        starts = {q["start"] for q in claim["quantities"]}
        for verdict in claim["verdicts"]:
            assert verdict["quantity_start"] in starts
    for promotion in first["promotions"]:
        for signal in promotion.get("signals", []):
            if "start" in signal:
                assert promotion["start"] <= signal["start"] <= signal["end"] <= promotion["end"]
    again = shipped_checker.check_text(text, "prop.txt", pub).as_dict()
    assert json.dumps(first, ensure_ascii=False) == json.dumps(again, ensure_ascii=False)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(any_text, min_size=2, max_size=4), pub=published)
def test_checking_together_equals_checking_one_by_one(shipped_checker, texts, pub):
    from factcheck.records import Article

    articles = [Article(text=t, source=f"{i}.txt", published=pub,
                        published_from="option" if pub else None) for i, t in enumerate(texts)]
    together = [json.dumps(r.as_dict(), ensure_ascii=False) for r in shipped_checker.check_many(articles)]
    alone = [json.dumps(shipped_checker.check(a).as_dict(), ensure_ascii=False) for a in articles]
    assert together == alone


YAML_BITS = ["version: 1\n", "entities:\n", "rules:\n", "  - id: x\n", "    name: X\n",
             "    facts:\n", "      - attribute: price\n", "        value: 3999\n", "- ", "  ",
             ": ", "&a ", "*a ", "!!python/object:os.system ", "!!binary ", "!!set ", "!!omap ",
             "? ", "[", "]", "{", "}", ",", "'", '"', "|\n", ">\n", "#", "---\n", "...\n", "%YAML 1.1\n",
             "%TAG ! tag:x,2000:\n", "<<: ", "\t", "\n", "~", "null", "2023-10-26", "1e9", ".inf",
             "0x1F", "yes", "!!timestamp ", "!!int ", "!!bool ", "2023-02-30", "0000-01-01", "\\", "\x85", "\ufeff", "\u2028", "\x00", "\x07"]


@SETTINGS
@given(text=st.one_of(st.text(), st.lists(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=4)),
                                            max_size=40).map("".join)))
def test_yaml_loader_raises_only_data_error(text):
    try:
        load_yaml("x.yaml", text)
    except DataError as exc:
        message = str(exc)
        assert message.startswith("x.yaml") and "\n" not in message


@SETTINGS
@given(text=any_text, cut=st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_product_guess_names_only_words_of_its_passage(text, cut):
    from factcheck.product_guess import guess_product

    start, end = sorted(int(c * len(text)) for c in cut)
    name = guess_product(text, (start, end))
    if name is not None:
        passage = text[start:end]
        assert name.strip() == name and name
        assert all(word in passage for word in name.split()), (name, passage)
