"""Fast word-list matching with Python's ``re``: tries and case folding.

Two tricks several modules share (the quantity anchors, the attribute cues,
the claim-scoring word lists), measured where they are used:

- ``trie_alternation``: a word list as a trie, ``p(?:ric(?:e(?:d|)|ing)|...)``.
  ``re`` tries the alternatives of a group one by one, so shared prefixes
  make a search about twice as fast as ``priced|pricing|price|...``.
- ``fold_case``: lower-case a text without moving any offset, such that an
  all-lower-case ASCII pattern finds, case-sensitively, exactly what it would
  find with ``re.I`` in the original. ``re`` skips an alternative by its first
  character only when matching case-sensitively, so ``re.I`` word lists run
  2-3 times slower.
"""

from __future__ import annotations

import re


def fold_case(text: str) -> str:
    """Lower-cased ``text`` of the same length, in which an ASCII keyword occurs
    exactly where an ``re.I`` pattern would find it. ``str.lower`` alone misses
    the three letters ``re.I`` also equates with ASCII ones (dotless ı, dotted İ,
    long ſ), and turns İ into two characters, which would shift every offset."""
    if not text.isascii():
        text = text.replace("İ", "i").replace("ı", "i").replace("ſ", "s")
    return text.lower()


def trie_alternation(words) -> str:
    """``words`` (literals) as one regex alternation written as a trie. At a
    position the longest word wins: a word's continuations come before its end."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if "" in node:
        branches.append("")  # the end of a word, tried after its continuations
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def words_pattern(words) -> str:
    """Any of ``words`` as a whole word (not part of a longer word)."""
    return r"(?<!\w)" + trie_alternation(words) + r"(?!\w)"


class CaselessPattern:
    """A case-insensitive search (``re.I``), run case-sensitively on ``fold_case``
    of the text when the pattern allows it (ASCII, no capitals: a capital, or an
    escape such as ``\\W``, would no longer fold)."""

    __slots__ = ("caseless", "folded")

    def __init__(self, pattern: str) -> None:
        self.caseless = re.compile(pattern, re.IGNORECASE)
        foldable = pattern.isascii() and pattern == pattern.lower()
        self.folded = re.compile(pattern) if foldable else None

    def found_in(self, text: str) -> bool:
        """Whether the pattern occurs anywhere in ``text`` (like ``bool(search(text))``)."""
        if self.folded is not None:
            return self.folded.search(fold_case(text)) is not None
        return self.caseless.search(text) is not None
