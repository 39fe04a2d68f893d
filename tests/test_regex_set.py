"""The RE2 Set prefilter never misses a regex rule that matches (it may over-report),
and loosening bounded repeats keeps every match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from factcheck.safe_regex import RegexSet, compile_user_regex, loosen_repeats


@pytest.mark.parametrize("pattern, loosened", [
    (r"[a-z0-9-]{1,40}\.(shop)", r"[a-z0-9-]{1,}\.(shop)"),
    (r"[^.]{0,40}\b(x)", r"[^.]{0,}\b(x)"),
    (r"\d{4}", r"\d{4}"),  # an exact count stays
    (r"\{1,2}x", r"\{1,2}x"),  # an escaped brace is a literal
    (r"a\\{1,2}", r"a\\{1,}"),  # an escaped backslash, then a repeat
    (r"[{1,2}]{2,5}", r"[{1,2}]{2,}"),  # braces inside a class are literals
    (r"[]{1,2}]a{0,3}", r"[]{1,2}]a{0,}"),  # "]" first in a class is a literal
    (r"\Qa{1,2}\E", r"\Qa{1,2}\E"),  # quoted text is left alone
    (r"[[:alpha:]]{1,3}", r"[[:alpha:]]{1,3}"),  # so are POSIX classes
])
def test_loosen_repeats(pattern, loosened):
    assert loosen_repeats(pattern) == loosened


_PIECES = ["a", "b", "x", r"\d", r"\w", ".", "[ab]", "[^a]", "(a|bb)", r"\.", " ", r"\b", "^", "$"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(parts=st.lists(st.tuples(st.sampled_from(_PIECES), st.integers(0, 3), st.integers(0, 4)),
                      min_size=1, max_size=5),
       text=st.text(alphabet="abx1. \n", max_size=40))
def test_loosened_pattern_matches_wherever_the_pattern_does(parts, text):
    pattern = "".join(f"(?:{p}){{{lo},{lo + extra}}}" for p, lo, extra in parts)
    exact = compile_user_regex(pattern)
    loose = compile_user_regex(loosen_repeats(pattern))
    if exact.search(text):
        assert loose.search(text)


@pytest.mark.parametrize("parts", [1, 4, 7])
def test_set_reports_every_shipped_regex_rule_that_matches(shipped_checker, parts):
    matcher = dict(shipped_checker.nlp.pipeline)["factcheck_rules"]
    patterns = matcher._regex_patterns
    assert len(patterns) > 50
    regex_set = RegexSet(patterns, parts=parts)
    exact = [compile_user_regex(p) for p in patterns]
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpora").rglob("*.txt"))]
    found = 0
    for text in texts:
        present = regex_set.matching(text)
        matching = {k for k, rx in enumerate(exact) if rx.search(text)}
        assert matching <= present
        found += len(matching)
    assert found > 20  # the ad copy in the corpus matches plenty of them
