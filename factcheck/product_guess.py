"""Which product a flagged passage promotes, when no watched product (rule file
``products``) is named in it: the likeliest brand-like name in the passage.

Candidates are runs of capitalised words, with model numbers after the first
("BMW 3 Series", "EchoPods X2"), a trailing possessive dropped ("Burberry's").
A capitalised word opening a sentence is usually just a capital ("Perhaps",
"Ensure"), so a sentence-opening name of one word counts only when it is shaped
like a brand (QuickLend, DAZN) or is capitalised mid-sentence elsewhere.
Each candidate is scored; the best is returned, ties to the earliest:

  quoted ("Liver Formula")                         +3
  absent from the editorial text around it          +1  (an inserted ad's product)
  brand-shaped: inner capital, all capitals, digit  +1
  several words                                     +0.5
  each further mention in the passage (two at most) +0.5
  after "called", "named", "dubbed"                 +1  ("a new platform called Quantivex")
  after "on", "at", "from": a shop ("on ShopNest")  -1
  a person (Mr/Dr ..., ... said, says Helen ...,    -2
    a first name and an initial: "Claire H.")
Dates ("September 1", "Friday") and "I'd" are never candidates.

Measured with ``python bench/product_guess.py`` (README, "Promotion detection").
"""

from __future__ import annotations

import re
from typing import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

_FIRST = r"[A-Z][\w&'’.+-]*[\w+]|[A-Z]"
_NEXT = rf"(?:{_FIRST}|\d[\w.]*|[A-Z0-9]{{1,4}})"
_CANDIDATE = re.compile(rf"(?<![\w'’])(?:{_FIRST})(?:[ \t]+{_NEXT}){{0,4}}")
_QUOTED = re.compile(r"[\"“]([A-Z][^\"”\n]{2,40}?)[\"”]")
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_START = re.compile(r"(?:[.!?:;]\s+|\n\s*|[\"“(]\s*)$")
_BRAND_SHAPE = re.compile(r"\w[A-Z]|^[A-Z]{2,}\b|\d")
_PERSON_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Professor|Sir|Dame)\.?\s+$")
_PERSON_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|explained|recalled|wrote)\b")
# '"...," says accountant Marlene T.': a name right after a verb of saying is who speaks
_PERSON_SPEAKS = re.compile(r"\b(?:says|said|writes|wrote|explains|explained|adds|added|recalls|"
                            r"recalled)(?: (?!(?:that|how|the|a|an|it|its|this|her|his|their|our|"
                            r"your|by|of)\b)[a-z-]+){0,4},? $")
# A quoted run of words is a name ("Liver Formula") when it reads like one: no
# closing punctuation, every word capitalised but the small ones ("I sleep at
# last," is a quote, not a product)
_NAME_WORD = re.compile(r"^(?:[A-Z0-9]|of$|and$|the$|for$|de$|&$)")
_INITIAL = re.compile(r"^[A-Z][a-z]+ [A-Z]$")  # "Claire H." as a testimonial signs: a person
_CALLED = re.compile(r"\b(?:called|named|dubbed)\s+$")
_DATE_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
               "friday", "saturday", "sunday", "today", "tomorrow", "yesterday"}
_DATE_WORDS |= {day + "s" for day in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                      "saturday", "sunday")}
_CONTRACTION = re.compile(r"^I['’]")  # "I'd", "I'm": a capital only because it is "I"
_GENERIC = {"i", "ok", "tv", "uk", "us", "usa", "eu", "ceo"}
# Sentence-opening calls to action: "Try SlimTrim today" promotes SlimTrim, not "Try SlimTrim".
_OPENING_VERBS = {"try", "visit", "order", "buy", "get", "shop", "discover", "explore", "choose",
                  "grab", "join", "download", "book", "use", "pick", "enjoy", "experience", "meet",
                  "introducing", "consider", "ask", "claim", "save", "start", "treat", "upgrade"}
_CHANNEL_BEFORE = re.compile(r"\b(?:on|at|from|via|through)\s+$")  # "on GlamCart": where, not what
_CODE = re.compile(r"^[A-Z]+\d+$")  # "SUN15": a discount code
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ese|ian|ean|ish|ern|can)$")  # "Italian", "Southwestern"
_MID_SENTENCE_CAPITAL = re.compile(r"[a-z,][ \t]+([A-Z][\w&'’.+-]*)")
# A product is named near the top of its passage; the caps bound the work on a
# huge one-paragraph file flagged whole.
MAX_BODY = 5_000
MAX_CONTEXT = 20_000


def guess_product(text: str, passage: tuple[int, int],
                  passages: Sequence[tuple[int, int]] = ()) -> str | None:
    """The likeliest promoted name in ``text[passage]``; ``passages`` are all the flagged
    passages of the article, left out of the editorial text it is compared with."""
    start, end = passage
    body = text[start:min(end, start + MAX_BODY)]
    outside = _editorial(text, max(0, start - MAX_CONTEXT), end + MAX_CONTEXT,
                         sorted({*passages, passage}))
    context = text[max(0, start - MAX_CONTEXT):start + MAX_BODY + MAX_CONTEXT]
    mid_capitals: set[str] | None = None  # filled on first need
    scores: dict[str, float] = {}
    first_at: dict[str, int] = {}
    repeats: dict[str, int] = {}

    def consider(name: str, at: int, bonus: float) -> None:
        if name in scores:
            repeats[name] = repeats.get(name, 0) + 1
            if repeats[name] <= 2:  # at most +1: a list of shops repeats too
                scores[name] += 0.5
            return
        score = bonus + (name not in outside) + (len(name.split()) > 1) * 0.5
        score += bool(_BRAND_SHAPE.search(name))
        if _CHANNEL_BEFORE.search(body[max(0, at - 9):at]):
            score -= 1
        if _CALLED.search(body[max(0, at - 8):at]):
            score += 1
        if _PERSON_BEFORE.search(body[max(0, at - 12):at]) or \
                _PERSON_AFTER.match(body[at + len(name):at + len(name) + 14]) or \
                _PERSON_SPEAKS.search(body[max(0, at - 48):at]) or _INITIAL.match(name):
            score -= 2
        scores[name], first_at[name] = score, at

    for m in _QUOTED.finditer(body):
        quoted = m[1].strip()
        if quoted[-1] not in ",.!?;:" and all(_NAME_WORD.match(w) for w in quoted.split()):
            consider(quoted, m.start(1), 3.0)
    for m in _CANDIDATE.finditer(body):
        words = _POSSESSIVE.sub("", m[0]).rstrip(".-").split()
        if m.start() == 0 or _SENTENCE_START.search(body[max(0, m.start() - 20):m.start()]):
            # "The Imperial Oolong" -> "Imperial Oolong"; "Call 0800 ..." -> nothing
            while words and (words[0].lower() in STOP_WORDS or words[0].lower() in _OPENING_VERBS
                             or not words[0][0].isupper()):
                words = words[1:]
            if len(words) == 1 and not _BRAND_SHAPE.search(words[0]):
                if mid_capitals is None:
                    mid_capitals = {_POSSESSIVE.sub("", w).rstrip(".-")
                                    for w in _MID_SENTENCE_CAPITAL.findall(context)}
                if words[0] not in mid_capitals:
                    continue  # "Perhaps", "Ensure": a capital only because a sentence starts
        if not words:
            continue
        name = " ".join(words)
        if _CODE.match(name) or _DEMONYM.match(name) or words[0].lower() in _DATE_WORDS \
                or _CONTRACTION.match(name):
            continue
        at = m.start() + m[0].find(words[0])
        if len(name) < 3 or name.lower() in STOP_WORDS or name.lower() in _GENERIC:
            continue
        consider(name, at, 0.0)
    if not scores:
        return None
    return max(scores, key=lambda n: (scores[n], -first_at[n]))


def _editorial(text: str, lo: int, hi: int, passages: list[tuple[int, int]]) -> str:
    """``text[lo:hi]`` without the passages: a name found only in passages was inserted."""
    pieces, at = [], lo
    for a, b in passages:
        if b > at and a < hi:
            pieces.append(text[at:max(at, a)])
            at = max(at, b)
    pieces.append(text[at:hi])
    return "\n".join(pieces)
