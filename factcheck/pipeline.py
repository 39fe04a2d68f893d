"""The spaCy pipeline: ``spacy.blank("en")`` plus factcheck's own components.

Components (registered once, in the order they run):
  factcheck_sentences   paragraph-aware sentence boundaries (``doc._.paragraphs``)
  factcheck_quantities  quantity mentions (``doc._.quantities``)
  factcheck_entities    facts-file entity mentions (``doc._.mentions``, ``doc.spans``)
  factcheck_rules       promotion rule hits (``doc._.rule_hits``)

No statistical model is needed or downloaded. Per-document context (the
publication date) travels on ``doc._.published``, set before the components run.
"""

from __future__ import annotations

import re
from datetime import date

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from .quantities import extract_quantities

for _name, _default in (("published", None), ("paragraphs", None), ("sentences", None),
                        ("quantities", None), ("mentions", None), ("rule_hits", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

ABBREVIATIONS = {
    "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.", "vs.", "etc.", "e.g.", "i.e.",
    "no.", "inc.", "co.", "ltd.", "corp.", "gen.", "gov.", "sen.", "rep.", "jan.", "feb.",
    "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "approx.",
    "est.", "fig.", "vol.", "mt.", "ft.", "u.s.", "u.k.", "a.m.", "p.m.",
}
_CLOSERS = {'"', "”", "’", "'", ")", "]", "»"}
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of paragraphs: blocks separated by blank lines.

    Text with no blank line but several lines is taken one paragraph per line
    (many scraped articles use single newlines between paragraphs).
    """
    breaks = _PARA_BREAK if _PARA_BREAK.search(text) else re.compile(r"\n\s*")
    spans, start = [], 0
    for m in breaks.finditer(text):
        if text[start:m.start()].strip():
            spans.append(_trim(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def doc_text(doc: Doc) -> str:
    """The Doc's text, computed once: ``doc.text`` re-joins every token on each access."""
    text = doc.user_data.get("factcheck_text")
    if text is None:
        text = doc.user_data["factcheck_text"] = doc.text
    return text


def token_table(doc: Doc) -> tuple[list[str], list[int], list[str]]:
    """(texts, char offsets, lower-case texts) of the tokens, built once per Doc.

    Components read these plain lists instead of creating a Token object per
    access (the Python-side cost that dominated the profile).
    """
    table = doc.user_data.get("factcheck_tokens")
    if table is None:
        text = doc_text(doc)
        spans = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        words = [text[i:i + n] for i, n in spans]
        table = doc.user_data["factcheck_tokens"] = (words, [i for i, _ in spans],
                                                     [w.lower() for w in words])
    return table


@Language.component("factcheck_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Sentence starts at paragraph and line breaks and after terminal punctuation.

    Boundaries are written in one ``from_array`` call, and ``doc._.sentences``
    keeps (first token, end token, start char, end char) without surrounding
    whitespace: spaCy's ``doc.sents`` and per-token ``is_sent_start`` writes
    rescan the Doc, which made them the slowest steps of a check when profiled.
    """
    text = doc_text(doc)
    paragraphs = paragraph_spans(text)
    doc._.paragraphs = paragraphs
    para_starts = {s for s, _ in paragraphs}
    words, idx, _lowers = token_table(doc)
    flags = [False] * len(words)
    quotes_open = False
    boundary_next = False
    for i, word in enumerate(words):
        if i == 0:
            flags[0] = True
            continue
        prev = words[i - 1]
        gap = text[idx[i - 1] + len(prev):idx[i]]
        is_start = False
        if idx[i] in para_starts or "\n" in gap or (prev.isspace() and "\n" in prev):
            is_start = True
        elif boundary_next:
            is_start = _starts_sentence(word)
        elif word in _CLOSERS and prev[-1:] in ".!?" and quotes_open:
            # closing quote of a quoted sentence: `Pro!."Such` ends after the quote
            boundary_next = True
            quotes_open = False
            continue
        elif prev[-1:] in ".!?" and prev.lower() not in ABBREVIATIONS and \
                not (len(prev) == 2 and prev[0].isupper()):
            is_start = _starts_sentence(word)
        flags[i] = is_start
        boundary_next = False
        if is_start:
            quotes_open = False
        if word in ('"', "“"):
            quotes_open = not quotes_open if word == '"' else True
        elif word == "”":
            quotes_open = False
    if words:
        # SENT_START is stored unsigned: -1 (not a start) wraps, as in Doc.to_array
        values = numpy.array([1 if f else -1 for f in flags], dtype="int64").astype("uint64")
        doc.from_array([SENT_START], values.reshape(-1, 1))
    doc._.sentences = _sentence_table(text, words, idx, flags)
    return doc


def _sentence_table(text: str, words: list[str], idx: list[int],
                    flags: list[bool]) -> list[tuple[int, int, int, int]]:
    starts = [i for i, f in enumerate(flags) if f]
    out = []
    for k, first in enumerate(starts):
        end_tok = starts[k + 1] if k + 1 < len(starts) else len(words)
        start_char = idx[first]
        end_char = idx[end_tok - 1] + len(words[end_tok - 1])
        while end_char > start_char and text[end_char - 1].isspace():
            end_char -= 1
        while start_char < end_char and text[start_char].isspace():
            start_char += 1
        if end_char > start_char:
            out.append((first, end_tok, start_char, end_char))
    return out


def _starts_sentence(word: str) -> bool:
    first = word[:1]
    return first.isupper() or first.isdigit() or first in '"“‘(['


@Language.component("factcheck_quantities")
def quantity_component(doc: Doc) -> Doc:
    doc._.quantities = extract_quantities(doc_text(doc), doc._.published)
    return doc


def make_tokenizer_rules(nlp: Language) -> None:
    """Split `words!."Such` style run-ons that scraped text is full of."""
    infixes = list(nlp.Defaults.infixes) + [
        r"(?<=[.!?])[\"“”](?=[A-Z])",
        r"(?<=[a-z]{2})[.!?](?=[A-Z][a-z])",
    ]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def build_nlp(facts=None, rules=None) -> Language:
    """The default pipeline. ``facts`` (FactStore) and ``rules`` (RuleSet) are optional."""
    from . import linking, rules as _rules  # noqa: F401 - registers the factories

    nlp = spacy.blank("en")
    nlp.max_length = 10**10  # no parser/NER here; input size is bounded by --max-bytes instead
    make_tokenizer_rules(nlp)
    nlp.add_pipe("factcheck_sentences")
    nlp.add_pipe("factcheck_quantities")
    if facts is not None:
        nlp.add_pipe("factcheck_entities").setup(facts)
    if rules is not None:
        nlp.add_pipe("factcheck_rules").setup(rules)
    return nlp


def run(nlp: Language, text: str, published: date | None = None) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data["factcheck_text"] = text
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
