"""User regexes run on RE2: linear time, so `(a+)+$` cannot hang a scan.

Patterns RE2 cannot compile (backreferences, lookaround) are rejected with a
message saying why; they are never handed to Python's backtracking engine.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from contextlib import contextmanager

from .errors import DataError

try:
    import re2 as _re2
except ImportError:  # pragma: no cover - google-re2 is a hard dependency
    _re2 = None


@contextmanager
def _quiet_stderr():
    """RE2 logs parse errors straight to fd 2; keep them off the user's terminal."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            sys.stderr.flush()
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def compile_user_regex(pattern: str, *, ignore_case: bool = True):
    """Compile with RE2 or raise DataError with the reason (no location: callers add it)."""
    if not isinstance(pattern, str) or not pattern:
        raise DataError("a regex pattern must be a non-empty string")
    if len(pattern) > 2000:
        raise DataError("regex pattern longer than 2,000 characters")
    if _re2 is None:  # pragma: no cover
        raise DataError("google-re2 is not installed", hint="pip install google-re2")
    return _compile(pattern, ignore_case)


@functools.lru_cache(maxsize=4096)
def _compile(pattern: str, ignore_case: bool):
    # Cached: loading rules compiles each pattern to lint it, then the rules'
    # `unless` patterns again to use them (~120 of the ~730 compiles, ~5 ms of
    # each start-up). A compiled RE2 pattern is immutable, so sharing is safe;
    # a pattern that fails raises each time (lru_cache keeps no exceptions).
    options = _re2.Options()
    options.case_sensitive = not ignore_case
    options.max_mem = 8 << 20
    try:
        with _quiet_stderr():
            return _re2.compile(pattern, options)
    except Exception as exc:  # re2 raises its own error type
        reason = str(exc).strip("b'\"")
        hint = "RE2 syntax: no backreferences (\\1) and no lookaround ((?=...), (?<=...))"
        raise DataError(f"regex {pattern!r} is not supported: {reason}", hint=hint) from None


SET_PARTS = 4  # RE2 Sets the regex rules are dealt over (see RegexSet)


class RegexSet:
    """Which of many patterns may occur in a text, in a few linear passes (RE2::Set).

    Rule packs hold dozens of regex rules and a news article matches few of
    them: the Sets say which, and only those run ``finditer`` (one scan per rule
    cost 0.8 ms an article). The answer is a superset, never missing a pattern
    that matches: the Sets hold the patterns with bounded repeats loosened
    (``[a-z-]{1,40}`` as ``[a-z-]{1,}``), because RE2 builds its DFA lazily and
    the counts of a bounded repeat multiply the states each new article makes it
    build. In a scan of 2,000 articles that took the Set from ~270 to ~210 us an
    article. For the same reason the patterns are dealt over SET_PARTS Sets: one
    DFA over all 87 shipped patterns meets new combinations of half-matched
    patterns in every new article (110 us an article over 2,017 distinct
    articles, 11 on a second pass); four Sets build smaller DFAs (59 us; 25 on a
    second pass). ``matching`` returns None when a Set could not be built,
    meaning "run them all".
    """

    def __init__(self, patterns: list[str], parts: int = SET_PARTS) -> None:
        self._sets: list[tuple[object, list[int]]] | None = None
        if _re2 is None or not patterns:
            return
        options = _re2.Options()
        options.case_sensitive = False
        options.max_mem = 64 << 20
        sets = []
        try:
            with _quiet_stderr():
                for part in range(min(parts, len(patterns))):
                    indices = list(range(part, len(patterns), parts))
                    regex_set = _re2.Set.SearchSet(options)
                    for k in indices:
                        regex_set.Add(loosen_repeats(patterns[k]))
                    regex_set.Compile()
                    sets.append((regex_set, indices))
        except Exception:  # noqa: BLE001 - any failure: fall back to running every pattern
            return
        self._sets = sets

    def matching(self, text: str) -> set[int] | None:
        """Indices of the patterns that may match ``text`` (None: assume all)."""
        if self._sets is None:
            return None
        found: set[int] = set()
        for regex_set, indices in self._sets:
            found.update(indices[k] for k in regex_set.Match(text) or ())
        return found


_BOUNDED = re.compile(r"\\.|\[(?:\^?\]?)(?:\\.|[^\]])*\]|\{(\d+),\d+\}", re.S)


def loosen_repeats(pattern: str) -> str:
    """``pattern`` with each bounded repeat ``{m,n}`` made ``{m,}``: it matches
    everything the pattern matches (and more). Escapes and character classes are
    read past, so ``\\{1,2}`` and ``[{1,2}]`` stay; a pattern with ``\\Q`` quoting or
    POSIX classes is returned as it is."""
    if "\\Q" in pattern or "[:" in pattern:
        return pattern
    return _BOUNDED.sub(lambda m: "{" + m[1] + ",}" if m[1] is not None else m[0], pattern)
