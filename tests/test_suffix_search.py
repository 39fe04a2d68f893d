"""pipeline.SuffixSearch answers some chunks without spaCy's suffix regex: it must
give the same suffix as the regex on every string (and so the same tokens)."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.en import English
from spacy.tokenizer import Tokenizer
from spacy.util import compile_suffix_regex

from factcheck.pipeline import FactcheckEnglish, SuffixSearch

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = FactcheckEnglish.Defaults.suffixes
REGEX = compile_suffix_regex(SUFFIXES).search
FAST = SuffixSearch(SUFFIXES)


def _span(match) -> tuple[int, int] | None:
    return None if match is None else (match.start(), match.end())


def test_every_alphabetic_code_point_gets_the_regex_suffix():
    # The shortcut is taken for chunks ending in a letter: try every letter of
    # Unicode after contexts that the regex's lookbehinds and multi-character
    # alternatives ("'s", "5km", "°F.") look at.
    letters = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha()]
    assert len(letters) > 100_000
    wrong = [ctx + c for ctx in ("", "a", "Z", ".", "'", "’", "°F", "…", "x-", "5")
             for c in letters if _span(FAST(ctx + c)) != _span(REGEX(ctx + c))]
    assert wrong == []


SUFFIX_CHARS = "".join(sorted({c for s in SUFFIXES if len(s) < 40 for c in s if not c.isspace()}))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(SUFFIX_CHARS + "aeSsKkmMgzZé5109'’°ßİ.\n")),
               max_size=12))
def test_any_string_gets_the_regex_suffix(text):
    assert _span(FAST(text)) == _span(REGEX(text))


def test_corpus_tokens_equal_those_of_the_plain_regex():
    ours = FactcheckEnglish()
    stock = FactcheckEnglish()
    stock.tokenizer.suffix_search = REGEX  # the setter reloads the special cases too
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpora").rglob("*.txt"))]
    assert len(texts) > 900
    differ = [i for i, t in enumerate(texts)
              if [x.text for x in ours(t)] != [x.text for x in stock(t)]]
    assert differ == []


def test_tokenizer_still_serialises():
    # spaCy's Tokenizer.to_bytes reads suffix_search.__self__.pattern
    nlp = FactcheckEnglish()
    restored = Tokenizer(English().vocab).from_bytes(nlp.tokenizer.to_bytes())
    text = "Prices rose 5% to $3,999 (about 5km away), he said. Don't wait!"
    assert [t.text for t in restored(text)] == [t.text for t in nlp(text)]
