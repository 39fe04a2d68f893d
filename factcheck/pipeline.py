"""The spaCy pipeline: ``spacy.blank("en")`` (``FactcheckEnglish``: two more
tokenizer infixes) plus factcheck's own components.

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
from bisect import bisect_left, bisect_right
from datetime import date

import numpy
from spacy.attrs import IDS, IDX, IS_ALPHA, IS_STOP, LENGTH, LOWER, ORTH, SENT_START
from spacy.lang.en import English
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

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
_LINE_BREAK = re.compile(r"\n\s*")
# Characters that can make the next token (or this one) a sentence start or
# change the quote state: terminal punctuation, line breaks, quotes, closers.
_BOUNDARY_CHARS = re.compile("[.!?\n" + re.escape("".join(sorted(_CLOSERS | {"“"}))) + "]")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of paragraphs: blocks separated by blank lines.

    Text with no blank line but several lines is taken one paragraph per line
    (many scraped articles use single newlines between paragraphs).
    """
    breaks = _PARA_BREAK if _PARA_BREAK.search(text) else _LINE_BREAK
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


class TokenArrays:
    """Per-token numpy arrays of a Doc, read from spaCy's lexemes in one ``to_array`` call.

    ``lower`` and ``orth`` hold the StringStore hashes of each token's lower-case
    and own text (the string is ``doc.vocab.strings[h]``); ``alpha`` and ``stop``
    are spaCy's IS_ALPHA and IS_STOP (``str.isalpha()``, lower-case text in the
    stop list). Components that reduce tokens to counts (drift, the classifier)
    work on these instead of a Python loop over token strings, which was most of
    their cost.
    """

    __slots__ = ("idx", "ends", "lower", "orth", "alpha", "stop", "length")

    def __init__(self, doc: Doc) -> None:
        if len(doc):
            # ~10 us per attribute for a 450-token article: only those used are read
            a = doc.to_array([IDX, LENGTH, LOWER, ORTH, IS_ALPHA, IS_STOP])
            self.idx = a[:, 0].astype(numpy.int64)
            self.length = a[:, 1].astype(numpy.int64)
            self.lower, self.orth = a[:, 2].copy(), a[:, 3].copy()  # copies: ``a`` can go
            self.alpha, self.stop = a[:, 4] != 0, a[:, 5] != 0
        else:
            self.idx = self.length = numpy.zeros(0, dtype=numpy.int64)
            self.lower = self.orth = numpy.zeros(0, dtype=numpy.uint64)
            self.alpha = self.stop = numpy.zeros(0, dtype=bool)
        self.ends = self.idx + self.length


def upper_at(text: str, positions: numpy.ndarray) -> numpy.ndarray:
    """Whether the character at each position of ``text`` is upper-case (``str.isupper``)."""
    if not len(positions):
        return numpy.zeros(0, dtype=bool)
    points = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)[positions]
    upper = (points >= 65) & (points <= 90)
    for k in numpy.nonzero(points > 127)[0].tolist():  # only non-ASCII needs Python
        upper[k] = text[positions[k]].isupper()
    return upper


def token_arrays(doc: Doc) -> TokenArrays:
    """The Doc's ``TokenArrays``, built once."""
    arrays = doc.user_data.get("factcheck_arrays")
    if arrays is None:
        arrays = doc.user_data["factcheck_arrays"] = TokenArrays(doc)
    return arrays


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """(start, end) character offsets of the tokens as lists, built once per Doc: for
    components that look at a few tokens by index."""
    offsets = doc.user_data.get("factcheck_offsets")
    if offsets is None:
        arrays = token_arrays(doc)
        offsets = doc.user_data["factcheck_offsets"] = (arrays.idx.tolist(), arrays.ends.tolist())
    return offsets


def token_lowers(doc: Doc) -> list[str]:
    """The lower-case text of each token, built once per Doc (for matching strings:
    components that count tokens use ``token_arrays``)."""
    lowers = doc.user_data.get("factcheck_lowers")
    if lowers is None:
        text = doc_text(doc)
        idx, ends = token_offsets(doc)
        lowered = text.lower()
        # Slices of the lowered text are each token's own lower-case form unless a
        # letter grew ("İ") or a capital sigma lowers by its neighbours (final "ς").
        if len(lowered) == len(text) and "Σ" not in text:
            lowers = [lowered[i:j] for i, j in zip(idx, ends)]
        else:
            lowers = [text[i:j].lower() for i, j in zip(idx, ends)]
        doc.user_data["factcheck_lowers"] = lowers
    return lowers


@Language.component("factcheck_sentences")
def sentence_component(doc: Doc) -> Doc:
    """Sentence starts at paragraph and line breaks and after terminal punctuation.

    Boundaries are written in one ``from_array`` call, and ``doc._.sentences``
    keeps (first token, end token, start char, end char) without surrounding
    whitespace: spaCy's ``doc.sents`` and per-token ``is_sent_start`` writes
    rescan the Doc, which made them the slowest steps of a check when profiled.
    Only the few tokens that ``_candidate_tokens`` picks out are looked at.
    """
    text = doc_text(doc)
    paragraphs = paragraph_spans(text)
    idx, ends = token_offsets(doc)
    starts = _sentence_starts(text, idx, ends, paragraphs)
    if idx:
        # SENT_START is stored unsigned: -1 (not a start) wraps, as in Doc.to_array
        values = numpy.full(len(idx), -1, dtype="int64")
        values[starts] = 1
        doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
    ext = doc._  # every `doc._` builds a new accessor
    ext.paragraphs = paragraphs
    ext.sentences = _sentence_table(text, idx, ends, starts)
    return doc


def _candidate_tokens(text: str, idx: list[int], ends: list[int],
                      paragraphs: list[tuple[int, int]]) -> list[int]:
    """Sorted indices of the tokens the boundary rules of ``_sentence_starts`` can act on.

    Any other token follows no line break, no token ending in .!? and no
    closing quote, opens no paragraph and is no quote: it continues its
    sentence and leaves the quote state alone, so it need not be visited.
    One regex over the text finds these places instead of a loop over tokens.
    """
    n = len(idx)
    found = {0}
    for start, _ in paragraphs:
        i = bisect_left(idx, start)
        if i < n and idx[i] == start:
            found.add(i)
    for m in _BOUNDARY_CHARS.finditer(text):
        p = m.start()
        char = text[p]
        if char == "\n":
            found.add(bisect_right(idx, p))  # the first token after the line break
        elif char in ".!?":
            i = bisect_left(ends, p + 1)
            if i < n and ends[i] == p + 1:  # a token ends with the mark
                found.add(i + 1)
        else:
            i = bisect_left(idx, p)
            if i < n and idx[i] == p and ends[i] == p + 1:  # a quote or closer token
                found.add(i)
                found.add(i + 1)  # it may be followed by a boundary
    return sorted(i for i in found if i < n)


def _sentence_starts(text: str, idx: list[int], ends: list[int],
                     paragraphs: list[tuple[int, int]]) -> list[int]:
    """Indices of the tokens that start a sentence, in order."""
    para_starts = {s for s, _ in paragraphs}
    starts = []
    quotes_open = False
    boundary_next = False
    for i in _candidate_tokens(text, idx, ends, paragraphs):
        if i == 0:
            starts.append(0)
            continue
        word = text[idx[i]:ends[i]]
        prev = text[idx[i - 1]:ends[i - 1]]
        gap = text[ends[i - 1]:idx[i]]
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
        boundary_next = False
        if is_start:
            starts.append(i)
            quotes_open = False
        if word in ('"', "“"):
            quotes_open = not quotes_open if word == '"' else True
        elif word == "”":
            quotes_open = False
    return starts


def _sentence_table(text: str, idx: list[int], ends: list[int],
                    starts: list[int]) -> list[tuple[int, int, int, int]]:
    out = []
    for k, first in enumerate(starts):
        end_tok = starts[k + 1] if k + 1 < len(starts) else len(idx)
        start_char = idx[first]
        end_char = ends[end_tok - 1]
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
    ext = doc._
    ext.quantities = extract_quantities(doc_text(doc), ext.published)
    return doc


# Split `words!."Such` style run-ons that scraped text is full of. Each pattern
# starts with the character it splits off, looking back only after it:
# `(?<=[.!?])["“”]` would run its lookbehind at every position of every
# uncached chunk; a leading character class lets `re` skip ahead.
RUN_ON_INFIXES = (
    r"[\"“”](?<=[.!?][\"“”])(?=[A-Z])",  # (?<=[.!?])["“”](?=[A-Z])
    r"[.!?](?<=[a-z]{2}[.!?])(?=[A-Z][a-z])",  # (?<=[a-z]{2})[.!?](?=[A-Z][a-z])
)


TOKENIZER_CACHE = 200_000  # chunks; spaCy's default is 10,000


class _Defaults(English.Defaults):
    infixes = [*English.Defaults.infixes, *RUN_ON_INFIXES]


_ASCII_DIGIT = re.compile(r"[0-9]")
_APOSTROPHE_S = ("'s", "'S", "’s", "’S")


class SuffixSearch:
    """``compile_suffix_regex(suffixes).search``, as spaCy's tokenizer calls it on
    each chunk it has not cached, with the commonest answer found without the regex.

    Finding that a chunk has no suffix means trying English's ~80 alternatives at
    every position up to its end (3 us a call, 115,000 calls over 2,000 new
    articles). The alternatives all end in a character that is not a letter
    (punctuation, symbols, ".", "+", currency signs), except units after a digit
    ("5km": "(?<=[0-9])(?:km|...)") and "'s"/"’s". So a chunk that ends in a
    letter (``str.isalpha``), holds no ASCII digit and does not end in 's has no
    suffix: None, as the regex would say. tests/test_suffix_search.py checks this
    against the regex for every alphabetic code point and on random and corpus
    text, for the spaCy installed.
    """

    def __init__(self, suffixes) -> None:
        # spaCy's Tokenizer.to_bytes reads ``suffix_search.__self__.pattern``
        self.__self__ = compile_suffix_regex(suffixes)
        self._search = self.__self__.search

    def __call__(self, string: str):
        if string[-1:].isalpha() and not string.endswith(_APOSTROPHE_S) \
                and not _ASCII_DIGIT.search(string):
            return None
        return self._search(string)


def _create_tokenizer(nlp: Language) -> Tokenizer:
    """spaCy's default tokenizer factory (``spacy.Tokenizer.v1``) with SuffixSearch:
    setting ``tokenizer.suffix_search`` on spaCy's own would load the ~1,350
    special cases a second time (0.08 s of each start-up)."""
    defaults = nlp.Defaults
    return Tokenizer(nlp.vocab, rules=defaults.tokenizer_exceptions,
                     prefix_search=compile_prefix_regex(defaults.prefixes).search,
                     suffix_search=SuffixSearch(defaults.suffixes),
                     infix_finditer=compile_infix_regex(defaults.infixes).finditer,
                     token_match=defaults.token_match, url_match=defaults.url_match)


class FactcheckEnglish(English):
    """``spacy.blank("en")`` with the run-on infixes and a faster suffix search
    (same tokens), its tokenizer built once: setting ``tokenizer.infix_finditer``
    afterwards reloads every special case (about 0.1 s of each start-up)."""

    lang = "en"
    Defaults = _Defaults

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("create_tokenizer", _create_tokenizer)
        super().__init__(*args, **kwargs)
        # spaCy's tokenizer caches each whitespace-separated chunk it splits, but stops
        # adding at 10,000 chunks: a scan passes that within a few hundred articles and
        # then re-splits every new chunk with its affix regexes. A larger cache took
        # tokenizing 2,000 articles from 1.01 to 0.62 ms an article for ~10 MB.
        self.tokenizer.max_cache_size = TOKENIZER_CACHE


# The lexeme attributes factcheck's own code reads: LOWER (phrase matchers, fuzzy
# names, the classifier) and IS_ALPHA, IS_STOP (``token_arrays``).
LEXEME_ATTRS = frozenset({"LOWER", "IS_ALPHA", "IS_STOP"})


def keep_lexeme_attrs(nlp: Language, names) -> None:
    """Compute only the named lexeme attributes (``IS_DIGIT``, ``SHAPE``...) for
    words the pipeline meets from now on; the others read as 0 / "".

    spaCy computes 23 attributes for every new word, in Python (9.3 us a word;
    4.2 with the seven factcheck and the shipped rules read), and a scan meets
    ~17 new words an article; each worker of a scan meets them again. Words
    already in the vocabulary keep all of theirs. Callers pass LEXEME_ATTRS plus
    every attribute their token patterns name (``RuleSet.token_attrs``).
    """
    wanted = {IDS[name] for name in names if name in IDS}
    vocab = nlp.vocab
    vocab.lex_attr_getters = {k: f for k, f in vocab.lex_attr_getters.items() if k in wanted}


def build_nlp(facts=None, rules=None) -> Language:
    """The default pipeline. ``facts`` (FactStore) and ``rules`` (RuleSet) are optional."""
    from . import linking  # noqa: F401 - registers the factories
    from . import rules as _rules  # noqa: F401 - registers the factories

    nlp = FactcheckEnglish()
    nlp.max_length = 10**10  # no parser/NER here; input size is bounded by --max-bytes instead
    nlp.add_pipe("factcheck_sentences")
    nlp.add_pipe("factcheck_quantities")
    if facts is not None:
        nlp.add_pipe("factcheck_entities").setup(facts)
    if rules is not None:
        nlp.add_pipe("factcheck_rules").setup(rules)
    return nlp


def run(nlp: Language, text: str, published: date | None = None) -> Doc:
    return run_batch(nlp, [(text, published)])[0]


def run_batch(nlp: Language, articles: list[tuple[str, date | None]]) -> list[Doc]:
    """Docs for (text, publication date) pairs, each component run over the whole
    batch in turn (its ``pipe`` when it has one), as ``nlp.pipe`` does."""
    docs = []
    for text, published in articles:
        doc = nlp.make_doc(text)
        doc.user_data["factcheck_text"] = text
        doc._.published = published
        docs.append(doc)
    for _, proc in nlp.pipeline:
        docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
    return docs
