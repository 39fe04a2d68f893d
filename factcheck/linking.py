"""Entity mentions: exact aliases with spaCy's PhraseMatcher, near variants with rapidfuzz.

The longest match wins ("Xiaomi 14 Pro", not "Xiaomi 14"). Fuzzy matching
only pairs names whose numbers and model words agree exactly: "Xiaomi Mi 14"
may be "Xiaomi 14", but "Xiaomi 13" is never "Xiaomi 14" and "Xiaomi 14
Ultra" is never "Xiaomi 14".
"""

from __future__ import annotations

import re
from collections import defaultdict

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .pipeline import doc_text, token_offsets
from .records import Mention

FUZZY_THRESHOLD = 85.0
VARIANT_WORDS = {"pro", "ultra", "max", "plus", "mini", "lite", "se", "fe", "air", "series",
                 "fold", "flip", "note", "neo", "edge", "turbo", "+"}
SPAN_KEY = "factcheck_entities"
# Matcher label of fuzzy-name starts; the ':' keeps it apart from entity ids.
_FUZZY_START = "factcheck:fuzzy-start"
_NUMBER = re.compile(r"\d+")


def _key_tokens(words: list[str]) -> tuple[str, ...]:
    """What must agree exactly: the numbers ("Nova9" has 9) and model-variant words."""
    numbers = [n for w in words for n in _NUMBER.findall(w)]
    return tuple(sorted(numbers)) + tuple(sorted(w for w in words if w in VARIANT_WORDS))


class EntityLinker:
    """spaCy component: writes ``doc._.mentions`` (Mention records) and a span group."""

    def __init__(self, nlp: Language, name: str = "factcheck_entities") -> None:
        self.nlp = nlp
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # first alias word -> (entity, alias words, alias text, _key_tokens of the words)
        self.fuzzy_index: dict[str, list[tuple[str, list[str], str, tuple[str, ...]]]] = \
            defaultdict(list)
        self.fuzzy_start_id = nlp.vocab.strings.add(_FUZZY_START)
        self.max_len = 1

    def setup(self, store) -> EntityLinker:
        tokenizer = self.nlp.tokenizer
        for entity in sorted(store.entities.values(), key=lambda e: e.id):
            docs = [tokenizer(name) for name in entity.names]
            self.matcher.add(entity.id, docs)
            if not entity.fuzzy:
                continue
            for d in docs:
                words = [t.lower_ for t in d]
                self.max_len = max(self.max_len, len(words) + 1)
                # Indexed by first word: fuzzy candidates must start alike.
                self.fuzzy_index[words[0]].append((entity.id, words, " ".join(words),
                                                   _key_tokens(words)))
        # The same matcher pass also finds the tokens a fuzzy name may start with
        # (labelled _FUZZY_START), instead of a Python loop over every token.
        if self.fuzzy_index:
            self.matcher.add(_FUZZY_START, [Doc(self.nlp.vocab, words=[w]) for w in self.fuzzy_index])
        return self

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, str, float]] = []
        fuzzy_starts: list[int] = []
        strings = self.nlp.vocab.strings
        for match_id, start, end in self.matcher(doc):
            if match_id == self.fuzzy_start_id:
                fuzzy_starts.append(start)
            else:
                found.append((start, end, strings[match_id], 100.0))
        found.extend(self._fuzzy(doc, sorted(fuzzy_starts)))
        # Longest first, then best score, then earliest: greedy non-overlapping.
        found.sort(key=lambda m: (-(m[1] - m[0]), -m[3], m[0], m[2]))
        taken = bytearray(len(doc) + 1)
        chosen = []
        for start, end, entity, score in found:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, entity, score))
        chosen.sort()
        doc.spans[SPAN_KEY] = [Span(doc, s, e, label=ent) for s, e, ent, _ in chosen]
        text = doc_text(doc)
        idx, ends = token_offsets(doc)
        doc._.mentions = [Mention(ent, text[idx[s]:ends[e - 1]], idx[s], ends[e - 1], round(score, 1))
                          for s, e, ent, score in chosen]
        return doc

    def _fuzzy(self, doc: Doc, starts: list[int]):
        """Near variants of names beginning at ``starts``: tokens whose lower-case form
        is the first word of a fuzzy alias."""
        text = doc_text(doc)
        idx, ends = token_offsets(doc)
        n_tokens = len(idx)
        for i in starts:
            word = text[idx[i]:ends[i]]
            low = word.lower()
            if low == word:
                continue  # names start with a capital ("iPhone" counts: any capital inside)
            for entity, alias_words, joined, keys in self.fuzzy_index.get(low, ()):
                for n in {len(alias_words) - 1, len(alias_words), len(alias_words) + 1}:
                    if n < 2 or i + n > n_tokens:
                        continue
                    window = [text[idx[k]:ends[k]].lower() for k in range(i, i + n)]
                    if _key_tokens(window) != keys:
                        continue
                    if window == alias_words:
                        continue  # exact: the PhraseMatcher has it
                    score = fuzz.ratio(" ".join(window), joined)
                    if score >= FUZZY_THRESHOLD:
                        yield i, i + n, entity, score


@Language.factory("factcheck_entities")
def make_entity_linker(nlp: Language, name: str) -> EntityLinker:
    return EntityLinker(nlp, name)
