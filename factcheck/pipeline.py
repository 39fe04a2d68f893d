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

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from .quantities import extract_quantities

for _name, _default in (("published", None), ("paragraphs", None), ("quantities", None),
                        ("mentions", None), ("rule_hits", None)):
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


@Language.component("factcheck_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Sentence starts at paragraph and line breaks and after terminal punctuation."""
    paragraphs = paragraph_spans(doc.text)
    doc._.paragraphs = paragraphs
    starts = {s for s, _ in paragraphs}
    quotes_open = False
    boundary_next = False
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        is_start = False
        if token.idx in starts or "\n" in prev.text_with_ws[len(prev.text):] or \
                (prev.is_space and "\n" in prev.text):
            is_start = True
        elif boundary_next:
            is_start = _starts_sentence(token)
        elif token.text in _CLOSERS and prev.text[-1:] in ".!?" and quotes_open:
            # closing quote of a quoted sentence: `Pro!."Such` ends after the quote
            boundary_next = True
            quotes_open = False
            token.is_sent_start = False
            continue
        elif prev.text[-1:] in ".!?" and prev.text.lower() not in ABBREVIATIONS and \
                not (len(prev.text) == 2 and prev.text[0].isupper()):
            is_start = _starts_sentence(token)
        token.is_sent_start = is_start
        boundary_next = False
        if is_start:
            quotes_open = False
        if token.text in ('"', "“"):
            quotes_open = not quotes_open if token.text == '"' else True
        elif token.text == "”":
            quotes_open = False
    return doc


def _starts_sentence(token) -> bool:
    first = token.text[:1]
    return first.isupper() or first.isdigit() or first in '"“‘(['


@Language.component("factcheck_quantities")
def quantity_component(doc: Doc) -> Doc:
    doc._.quantities = extract_quantities(doc.text, doc._.published)
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
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
