"""Quantity extraction: money, percentages, counts, multiples, durations, dates.

A pure function over the decoded text (``extract_quantities``) plus a spaCy
component that stores its result on the Doc. Patterns run in passes, most
specific first (zones that are never quantities, then dates, money, percent,
multiples, durations, counts); a later pass never takes characters an earlier
pass claimed. The guards for known traps of other extractors (years inside
product names, "73 20", "may" the verb, "2012-13") are commented where they
live and tested in ``tests/fixtures/quantities.yaml``.

Anchoring, for speed: a pattern can only start at a few kinds of places (a
digit, a number word, "a"/"an"/"half", a capitalised month, a relative word
such as "last", a currency sign or code, or a rare literal such as "www.").
``_Anchors`` finds them with a handful of cheap scans, and each pass tries its
pattern only at the places it can start (``_scan``), which yields exactly what
a scan of the whole text would; see "where a pattern can start" below.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import cached_property

from .records import Quantity
from .textmatch import fold_case, trie_alternation

# --- vocabulary --------------------------------------------------------------

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "bn": 1e9, "b": 1e9, "mn": 1e6, "mln": 1e6, "m": 1e6, "tn": 1e12, "k": 1e3}
VAGUE = {"dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
         "tens": 10}

CURRENCY_SYMBOLS = {
    "us$": "USD", "hk$": "HKD", "a$": "AUD", "c$": "CAD", "s$": "SGD", "nt$": "TWD",
    "r$": "BRL", "$": "USD", "¥": "CNY", "￥": "CNY", "€": "EUR", "£": "GBP", "₹": "INR",
    "₩": "KRW", "rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "gbp": "GBP",
    "jpy": "JPY", "hkd": "HKD", "rs": "INR", "rs.": "INR", "yuan": "CNY", "renminbi": "CNY",
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "yen": "JPY", "won": "KRW",
    "rupee": "INR", "rupees": "INR", "pence": "GBP", "p": "GBP", "cent": "USD",
    "cents": "USD", "&#163;": "GBP", "&pound;": "GBP",
}
SUBUNIT = {"pence": 0.01, "p": 0.01, "cent": 0.01, "cents": 0.01}

DURATION_UNITS = {
    "second": "second", "seconds": "second", "sec": "second", "secs": "second",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "day": "day", "days": "day",
    "week": "week", "weeks": "week", "month": "month", "months": "month", "year": "year",
    "years": "year", "decade": "decade", "decades": "decade", "century": "century",
    "centuries": "century",
}
MEASURE_UNITS = ("square kilometres|square kilometers|square metres|square meters|square metre|"
                 "square meter|square miles|square feet|sq ft|km/h|km|kilometres|kilometers|"
                 "kilometre|kilometer|miles|mile|kg|kilograms|kilos|tonnes|tonne|tons|t|mph|kph|"
                 "gbps|mbps|kbps|gb|tb|mb|kb|mah|mw|gw|kw|kwh|twh|gwh|w|mm|cm|metres|meters|metre|"
                 "meter|feet|ft|inches|inch|litres|liters|barrels|megapixels|mp|hz|ghz|mhz|nm|"
                 "acres|hectares|megajoules|joules|degrees|°c|°f")
# After a measure unit: "17m per second", "17m/s".
PER_UNIT = r"(?:\s?per\s(?:second|minute|hour|day)|/(?:s|h|hr|min)\b)"
# "Nm" is metres, not millions, when a length follows or the number is a distance.
METRE_CONTEXT = re.compile(
    r"\s*(?:tall|high|long|deep|wide|away|above|below|per\b|/s|track|race|sprint|hurdles|"
    r"freestyle|butterfly|backstroke|breaststroke|medley|relay|final|heats?|semi|title|"
    r"record|event|gold|silver|bronze|run|dash|world|indoor|outdoor|tower|building|bridge|"
    r"skyscraper|tunnel|dam|wall|cliff|mountain|peak|drop|swim|climb|radius|stretch|"
    r"and\s+\d[\d,]*m\b)", re.IGNORECASE)
RACE_DISTANCES = {50, 60, 100, 110, 200, 400, 800}

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
MONTH_FULL = ("January|February|March|April|May|June|July|August|September|October|November|"
              "December")
MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH_RE = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.?)(?![a-z])"
# A month name is only a date when capitalised: "may" and "march" are verbs too.
MONTH_CAP = rf"(?-i:{MONTH_RE})"

_HEDGE_WORDS = ("about", "around", "approximately", "roughly", "nearly", "almost", "over",
                "more than", "less than", "fewer than", "up to", "at least", "at most", "some",
                "close to", "under", "an estimated", "as many as", "as much as", "as high as",
                "upwards of", "just over", "just under", "well over", "in excess of",
                "more or less")
HEDGES = re.compile("(?:" + "".join(rf"\b{w}|" for w in _HEDGE_WORDS) + r"~)\s*$",
                    re.IGNORECASE)
_HEDGE_ENDINGS = (*_HEDGE_WORDS, "~")

# Capitalised words that may precede a number without making it part of a name.
NAME_STOP = {
    "the", "in", "on", "at", "by", "for", "from", "since", "until", "till", "about", "around",
    "over", "under", "nearly", "almost", "some", "only", "just", "more", "less", "fewer", "up",
    "of", "and", "but", "or", "to", "with", "after", "before", "during", "between", "last",
    "this", "next", "each", "every", "all", "another", "roughly", "approximately", "exactly",
    "as", "than", "within", "those", "these", "its", "their", "his", "her", "our", "it", "we",
    "they", "he", "she", "i", "you", "total", "top",
    "reached", "sold", "was", "were", "is", "are", "had", "has", "have", "a", "an",
    "year", "season", "fiscal", "fy", "q1", "q2", "q3", "q4", "circa", "c.", "ca.",
    "autumn", "spring", "summer", "winter", "fall", "early", "mid", "late", "end",
} | set(MONTHS) | {m[:3] for m in MONTHS}
MODEL_SUFFIX = re.compile(r"\s*(?:Pro|Ultra|Max|Plus|Mini|Lite|SE|Fold|Flip|Note|Series|series|"
                          r"Edge|FE|Neo|Turbo|GT|Air)\b")

YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|by|from|until|till|to|of|during|before|after|around|circa|early|"
    r"mid|late|year|season|summer|winter|spring|autumn|fall|the end of|between|and|"
    r"fiscal|for|through|throughout|the|as of|christmas|easter|new year|spring|"
    r"season)\s*-?|^|[\n(])\s*$", re.IGNORECASE)

# --- regex building blocks ---------------------------------------------------

_DIGITS = (r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"       # 1,234,567.89
           r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.]\d)"  # 816 000 (never "73 20")
           r"|\d+(?:\.\d+)?|\.\d+)")
_WORD = ("(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
         "four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
         "seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten)")
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion)"
_SCALE_ABBR = r"(?:bn|mn|mln|tn|m|b|k)"
_LEFT = r"(?<![\w.,/$€£¥])(?<![A-Za-z]-)"
NUMBER = (rf"(?:{_DIGITS}(?:\s?{_SCALE_ABBR}(?![\w])|\s+{_SCALE_WORD}(?:\s+{_SCALE_WORD})?)?"
          rf"|(?:{_WORD}|a|an|half a)\s+{_SCALE_WORD}(?:\s+{_SCALE_WORD})?"
          rf"|{_WORD}(?![\w]|-(?:fold|times?\b)))")
NUMBER_NO_A = (rf"(?:{_DIGITS}(?:\s?{_SCALE_ABBR}(?![\w])|\s+{_SCALE_WORD}(?:\s+{_SCALE_WORD})?)?"
               rf"|{_WORD}(?:\s+{_SCALE_WORD}(?:\s+{_SCALE_WORD})?)?)")
_CUR_PREFIX = (r"(?:&#163;|&pound;|US\$|HK\$|A\$|C\$|S\$|NT\$|R\$|\$|¥|￥|€|£|₹|₩|"
               r"(?-i:RMB|CNY|USD|EUR|GBP|JPY|HKD)|Rs\.?)")
_CUR_SUFFIX = (r"(?:yuan|renminbi|(?-i:RMB|CNY|USD|EUR|GBP|JPY|HKD)|US dollars|dollars?|euros?|"
               r"pounds sterling|pounds?|yen|won|rupees?|pence|cents?|p(?=[\s.,;:)!?]|$))")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --- where a pattern can start ----------------------------------------------------
# Running ~30 patterns over every character of a text costs far more than the
# matching itself: for a pattern that opens with a lookbehind or ``\b``, Python's
# ``re`` tries a full match at every position. But every pattern here can only
# start at a few kinds of places: a digit, a number word, "a"/"an"/"half", a
# month, a relative word ("last"), a currency sign, or a rare literal ("@",
# "www."). ``_Anchors`` finds those places with a handful of cheap scans (each a
# literal search or a scan for one character class, which ``re`` runs in C
# without trying a match), and ``_scan`` tries a pattern only there.
#
# ``_scan(rx, text, starts)`` yields exactly what ``rx.finditer(text)`` would,
# provided ``starts`` holds every position where ``rx`` can match: finditer
# tries positions left to right and resumes after each match, and a position
# that cannot start a match is one it would skip anyway. Each pass below says
# which starts its pattern needs; when a list is a superset, the extra
# positions only cost a failed ``match``. Patterns too rare to be worth an
# anchor run over the whole text, and only when a literal they need is present.

EVERYWHERE = None  # ``starts`` for a pattern scanned over the whole text


def _scan(rx: re.Pattern[str], text: str, starts) -> Iterator[re.Match[str]]:
    """What ``rx.finditer(text)`` yields, trying only the sorted ``starts``
    (or every position for ``EVERYWHERE``). No pattern here matches empty."""
    if starts is EVERYWHERE:
        yield from rx.finditer(text)
        return
    resume = 0
    for start in starts:
        if start < resume:
            continue  # inside the previous match: finditer never looks there
        m = rx.match(text, start)
        if m:
            yield m
            resume = m.end()


def _sorted_union(*lists: list[int]) -> list[int]:
    return sorted(set().union(*lists))


# The first digit of a run. Not "(?<!\d)\d" or "\d+": a pattern that opens with
# a character class lets re jump from digit to digit in C.
_FIRST_DIGIT = re.compile(r"\d(?<!\d\d)")
# Words that can start a pattern, by the patterns they start. No word is a
# prefix of one of another kind, so each position lands in one list; "ten"
# also stands for "tens" (vague counts).
_KEYWORD_KIND = {
    **dict.fromkeys(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                     "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                     "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
                     "sixty", "seventy", "eighty", "ninety", "hundreds", "thousands",
                     "millions", "billions", "dozens"), "number"),
    **dict.fromkeys(("a", "an", "half"), "article"),
    **dict.fromkeys(("this", "last", "next", "the previous", "the past", "current"),
                    "relative"),
    **dict.fromkeys(("rs", "rmb", "cny", "usd", "eur", "gbp", "jpy", "hkd"), "currency"),
}


# "a" and "an" only as whole words, or every "about" would be tried.
# A trie: at each non-letter of a text re tests each first letter once, not each word.
_KEYWORDS = trie_alternation(w for w in _KEYWORD_KIND if w not in ("a", "an")) + "|an?(?![a-z])"
# Scanned in the case-folded text. "[^a-z]" first (not "\b" or a lookbehind)
# lets re jump between non-letters in C; the text's first word is checked alone.
_KEYWORD_AFTER = re.compile(rf"[^a-z]({_KEYWORDS})")
_KEYWORD_AT = re.compile(_KEYWORDS)
_MONTH_WORD = re.compile(rf"{MONTH_FULL}|{MONTH_ABBR}")  # case-sensitive, as MONTH_CAP
_CURRENCY_SIGN = re.compile(r"[$¥￥€£₹₩&]")  # "&" for "&#163;" and "&pound;"


class _Anchors:
    """Where the patterns of one text can start; each list is sorted, and
    computed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = fold_case(text)

    def found(self, *needles: str) -> list[int]:
        """Every offset of any of ``needles`` in the case-folded text."""
        out = []
        for needle in needles:
            i = self.low.find(needle)
            while i >= 0:
                out.append(i)
                i = self.low.find(needle, i + 1)
        return sorted(out)

    def has(self, *needles: str) -> bool:
        return any(needle in self.low for needle in needles)

    def digits_if(self, *needles: str) -> list[int]:
        """The digit starts, for a digit-led pattern that needs one of ``needles``
        (in the case-folded text): none when the text has none."""
        return self.digits if self.has(*needles) else []

    def everywhere_if(self, present: bool):
        """For a rare pattern: the whole text when its literal is present, else nothing."""
        return EVERYWHERE if present else []

    @cached_property
    def digits(self) -> list[int]:
        r"""Starts of digit runs, and the "." before one (".5"). Every digit-led
        pattern refuses a digit before its first one (lookbehind or ``\b``)."""
        out = []
        text = self.text
        for m in _FIRST_DIGIT.finditer(text):
            start = m.start()
            if start and text[start - 1] == ".":
                out.append(start - 1)
            out.append(start)
        return out

    @cached_property
    def _words(self) -> dict[str, list[int]]:
        buckets: dict[str, list[int]] = {"number": [], "article": [], "relative": [],
                                         "currency": []}
        first = _KEYWORD_AT.match(self.low)
        if first:
            buckets[_KEYWORD_KIND[first[0]]].append(0)
        for m in _KEYWORD_AFTER.finditer(self.low):
            buckets[_KEYWORD_KIND[m[1]]].append(m.start(1))
        return buckets

    @property
    def number_words(self) -> list[int]:
        return self._words["number"]

    @property
    def articles(self) -> list[int]:
        return self._words["article"]

    @property
    def relatives(self) -> list[int]:
        return self._words["relative"]

    @cached_property
    def numerals(self) -> list[int]:
        """Where a digit number or a spelled-out one (``_DIGITS``, ``_WORD``) can start."""
        return _sorted_union(self.digits, self.number_words)

    @cached_property
    def numbers(self) -> list[int]:
        """Where ``NUMBER`` can start: a numeral, or "a"/"an"/"half a" before a scale
        word (so only in a text that has one)."""
        if self.has("hundred", "thousand", "million", "billion", "trillion"):
            return self.numerals_and_articles
        return self.numerals

    @cached_property
    def numerals_and_articles(self) -> list[int]:
        return _sorted_union(self.numerals, self.articles)

    @cached_property
    def months(self) -> list[int]:
        return [m.start() for m in _MONTH_WORD.finditer(self.text)]

    @cached_property
    def currency_prefixes(self) -> list[int]:
        """Where ``_CUR_PREFIX`` can start: a sign, up to two letters before "$"
        ("US$", "NT$"), or a currency code or "Rs"."""
        out = list(self._words["currency"])
        for m in _CURRENCY_SIGN.finditer(self.text):
            start = m.start()
            out.append(start)
            if m[0] == "$":
                out += [start - 1, start - 2]
        return sorted({s for s in out if s >= 0})


SKIP_ZONES = [  # (pattern, where it can start)
    (_rx(r"\b(?:https?://|www\.)\S+"), lambda a: a.found("http", "www.")),
    (_rx(r"\b[\w.+-]+@[\w-]+\.[\w.]+"), lambda a: a.everywhere_if("@" in a.text)),
    (_rx(r"\b[\w-]+\.(?:com|org|net|cn|io|co\.uk|gov|edu)(?:/\S*)?"),
     lambda a: a.everywhere_if(a.has(".com", ".org", ".net", ".cn", ".io", ".co.uk", ".gov",
                                     ".edu"))),
    (_rx(r"\bISBN(?:-1[03])?:?\s*[\dX-]{10,17}"), lambda a: a.found("isbn")),
    (_rx(r"\b97[89]-\d{1,5}-\d{1,7}-\d{1,7}-[\dX]\b"), lambda a: a.digits_if("978-", "979-")),
    (_rx(r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}\b"), lambda a: a.found("+")),
    (_rx(r"\(\d{3}\)\s?\d{3}-\d{4}\b|\b\d{3}-\d{3,4}(?:-\d{4})?\b"),
     lambda a: _sorted_union(a.found("("), a.digits)),
    (_rx(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)"), lambda a: a.digits),
    (_rx(r"(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?![\d])"), lambda a: a.digits_if(":")),
    (_rx(r"\b24/7\b|\b\d+/\d+\b(?!\s?(?:%|per))"), lambda a: a.digits_if("/")),
    (_rx(r"(?:No\.|#)\s?\d+\b"), lambda a: a.found("no.", "#")),
    # UK-style phone numbers: 0800 028 9276
    (_rx(r"\b0\d{2,4}[ -]\d{3,4}[ -]\d{3,4}\b"), lambda a: a.digits),
    (_rx(r"\b\d{1,4}(?::\d{2})?\s?(?:GMT|BST|UTC|CET|EST|PST|ET|PT)\b"), lambda a: a.digits),
]
# Claimed after the date passes, which read "October 26th" first.
LATE_SKIP_ZONES = [(_rx(r"\b\d{1,3}(?:st|nd|rd|th)\b"), lambda a: a.digits)]


# --- number parsing ----------------------------------------------------------

_SPACED_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")
_DIGITS_AND_SCALE = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*([a-z ]*)$")


def parse_number(text: str) -> float:
    """Value of a number phrase: '1.2bn', '816 000', 'twenty-five', 'half a million'."""
    t = text.lower().replace(",", "").replace("\u00a0", " ").replace("\u202f", " ").strip()
    t = _SPACED_THOUSANDS.sub("", t)
    m = _DIGITS_AND_SCALE.match(t)
    if m:
        value = float(m[1])
        rest = m[2].split()
    else:
        words = t.replace("-", " ").split()
        value, rest = 0.0, []
        if words[:2] == ["half", "a"]:
            value, words = 0.5, words[2:]
        elif words and words[0] in ("a", "an"):
            value, words = 1.0, words[1:]
        for i, w in enumerate(words):
            if w in SMALL:
                value += SMALL[w]
            elif w in TENS:
                value += TENS[w]
            else:
                rest = words[i:]
                break
    for w in rest:
        if w in SCALES:
            value *= SCALES[w]
    return value


def _clean_value(value: float) -> int | float:
    if not math.isfinite(value):
        return value  # a run of hundreds of digits overflows to inf: no integer to make
    if abs(value - round(value)) < 1e-9:
        return round(value)
    return round(value, 6)


# --- the extractor -------------------------------------------------------------

class _Claimed:
    """Character ranges already taken by an earlier pass."""

    def __init__(self, size: int) -> None:
        self.taken = bytearray(size + 1)

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) < 0

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)


def _approximate(text: str, start: int) -> bool:
    before = text[max(0, start - 20):start]
    # HEDGES ends in "\s*$" but tries every position of the slice; most mentions
    # have no hedge, and a suffix test on the stripped, case-folded slice says so
    # at a thirtieth of the cost.
    if not fold_case(before.rstrip()).endswith(_HEDGE_ENDINGS):
        return False
    return bool(HEDGES.search(before))


_WORD_CHARS = re.compile(r"[\w'’.-]*")


def _prev_word(text: str, start: int) -> tuple[str, bool]:
    r"""The word before ``start`` and whether it begins a sentence.

    That is the match of ``([\w'’.-]+)[ \u00a0]+$`` in the 40 characters before
    ``start``; searching for it tries every position, so this reads the spaces
    and the word backwards instead (``$`` also matches before a final newline).
    """
    window = text[max(0, start - 40):start]
    body = window.removesuffix("\n")
    spaced = body.rstrip(" \u00a0")
    word_len = _WORD_CHARS.match(spaced[::-1]).end() if len(spaced) < len(body) else 0
    if not word_len:
        return "", True
    word_start = len(spaced) - word_len
    word = spaced[word_start:]
    before = window[:word_start].rstrip()
    sentence_initial = not before or before[-1] in ".!?\n\"“:"
    return word, sentence_initial


def _in_name(text: str, start: int, end: int) -> bool:
    """'Xiaomi 14', 'iPhone 15 Pro', 'Euro 2024', 'Formula 1': numbers inside names."""
    word, _initial = _prev_word(text, start)
    if word.endswith(("'s", "’s")):
        return False  # possessive: "Apple's 50.1 million", not a model name
    w = word.lower().strip(".'’")
    # A capitalised word that is not a function word names something, even at a
    # sentence start ("Euro 2024 opens", "Windows 11 ships").
    if word and any(c.isupper() for c in word) and w not in NAME_STOP:
        return True
    return bool(MODEL_SUFFIX.match(text, end)) and bool(word) and w not in ("about", "over")


def _resolve_day(month: int, day: int, published: date | None) -> tuple[str, bool]:
    if published is None:
        return f"--{month:02d}-{day:02d}", False
    year = published.year
    try:
        if date(year, month, day) > published:
            year -= 1
        date(year, month, day)
    except ValueError:
        return f"--{month:02d}-{day:02d}", False
    return f"{year:04d}-{month:02d}-{day:02d}", True


def _resolve_month(month: int, published: date | None) -> tuple[str, bool]:
    if published is None:
        return f"--{month:02d}", False
    year = published.year if month <= published.month else published.year - 1
    return f"{year:04d}-{month:02d}", True


def _month(word: str) -> int:
    w = word.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(w))


def _valid_day(y: int | None, m: int, d: int) -> bool:
    try:
        date(y or 2000, m, d)
        return True
    except ValueError:
        return False


_REL = {"this": 0, "last": -1, "next": 1, "previous": -1, "past": -1, "the previous": -1,
        "the past": -1, "current": 0}

Emit = Callable[[int, int, str, object, "str | None", str | None, bool], None]


def _emit_day(emit, m, month: int, day: int, year: str | None, published: date | None) -> None:
    """A day-precision date: with its stated year, or the latest such day not after publication."""
    if year:
        y = int(year)
        if _valid_day(y, month, day):
            emit(m.start(), m.end(), "date", f"{y:04d}-{month:02d}-{day:02d}", "day", False)
    elif _valid_day(None, month, day):
        value, rel = _resolve_day(month, day, published)
        emit(m.start(), m.end(), "date", value, "day", rel)


# --- dates -----------------------------------------------------------------------

_ISO_DAY = _rx(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_MONTH_DAY_RELATIVE_YEAR = re.compile(
    rf"\b({MONTH_CAP})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(this|last|next)\s+year\b")
_MONTH_DAY = re.compile(rf"\b({MONTH_CAP})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])"
                        rf"(?:,?\s+(\d{{4}})(?!\d))?")
_DAY_MONTH = re.compile(rf"(?<![\w.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_CAP})"
                        rf"(?:,?\s+(\d{{4}})(?!\d))?")
_MONTH_RELATIVE_YEAR = re.compile(rf"\b({MONTH_CAP})\s+(this|last|next)\s+year\b")
_RELATIVE_MONTH = re.compile(rf"\b((?i:this|last|next))\s+({MONTH_CAP})\b")
_MONTH_YEAR = re.compile(rf"\b({MONTH_CAP}),?\s+(\d{{4}})(?!\d)")
_YEAR_SPAN = re.compile(
    r"(?<![\w.,/-])((?:1[89]|20)\d{2})\s?[-–/]\s?((?:1[89]|20)?\d{2})(?![\w%.-]|,\d)")
_DECADE = re.compile(r"(?<![\w.,])((?:1[89]|20)\d0)s\b")
_MONTH_CUES = ("in", "since", "by", "until", "till", "from", "during", "before", "after", "of",
               "early", "mid", "late", "through", "and", "to", "for", "between", "next", "last",
               "this")
_CUED_MONTH = re.compile(rf"\b(?i:{'|'.join(_MONTH_CUES)})[\s-]({MONTH_CAP})(?![\w-])")
_CUE_LENGTHS = sorted({len(cue) for cue in _MONTH_CUES})
_RELATIVE_PERIOD = _rx(r"\b(this|last|next|the previous|the past|current)\s+(year|month)\b")
_AGO = _rx(rf"{_LEFT}({_DIGITS}|{_WORD}|a|an)\s+(years?|months?|weeks?|days?)\s+ago\b")
_EDGE_OF_YEAR = _rx(r"\b(?:mid|early|late)-(1[89]\d{2}|20\d{2})(?![\w%])")
_BARE_YEAR = _rx(r"(?<![\w.,$€£¥/-])(1[89]\d{2}|20\d{2})(?![\w%]|[.,]\d|\s?(?:yuan|dollars|"
                 r"euros|pounds|yen|percent|per cent|times|people|units))")
_YEAR_ENDS_CLAUSE = re.compile(r"\s*(?:[.,;:!?)]|$)")
_YEAR_NAMES_EVENT = _rx(r"\s+(?:season|election|olympics|world cup|budget|figures)")


def _cued_month_starts(anchors: _Anchors) -> list[int]:
    """A cue word ends one character before the month: try it at each cue length."""
    return sorted({m - 1 - n for m in anchors.months for n in _CUE_LENGTHS if m - 1 - n >= 0})


def _date_passes(text: str, published: date | None, emit, anchors: _Anchors) -> None:
    pub_year = published.year if published else None
    months = anchors.months
    # A relative word before a month matters only when the text has a month.
    relatives_before_month = anchors.relatives if months else []

    # 2023-10-26
    for m in _scan(_ISO_DAY, text, anchors.digits):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if _valid_day(y, mo, d):
            emit(m.start(), m.end(), "date", f"{y:04d}-{mo:02d}-{d:02d}", "day", False)

    # September 22 last year
    for m in _scan(_MONTH_DAY_RELATIVE_YEAR, text, months if anchors.relatives else []):
        if pub_year is None:
            continue
        y, mo, d = pub_year + _REL[m[3].lower()], _month(m[1]), int(m[2])
        if _valid_day(y, mo, d):
            emit(m.start(), m.end(), "date", f"{y:04d}-{mo:02d}-{d:02d}", "day", True)

    # October 26th, 2023 / Oct. 26 2023 / October 26
    for m in _scan(_MONTH_DAY, text, months):
        _emit_day(emit, m, _month(m[1]), int(m[2]), m[3], published)

    # 26 October 2023 / 26th of Oct / 26 Oct
    for m in _scan(_DAY_MONTH, text, anchors.digits if months else []):
        _emit_day(emit, m, _month(m[2]), int(m[1]), m[3], published)

    # April this year / April last year
    for m in _scan(_MONTH_RELATIVE_YEAR, text, months if anchors.relatives else []):
        if pub_year is None:
            continue
        y = pub_year + _REL[m[2].lower()]
        emit(m.start(), m.end(), "date", f"{y:04d}-{_month(m[1]):02d}", "month", True)

    # last April / this April
    for m in _scan(_RELATIVE_MONTH, text, relatives_before_month):
        if published is None:
            continue
        mo = _month(m[2])
        value, _ = _resolve_month(mo, published)
        y = int(value[:4])
        if m[1].lower() == "last" and mo >= published.month:
            y = published.year - 1
        elif m[1].lower() == "this":
            y = published.year
        elif m[1].lower() == "next":
            y = published.year + (1 if mo <= published.month else 0)
        emit(m.start(), m.end(), "date", f"{y:04d}-{mo:02d}", "month", True)

    # October 2023 / Oct. 2023
    for m in _scan(_MONTH_YEAR, text, months):
        emit(m.start(), m.end(), "date", f"{int(m[2]):04d}-{_month(m[1]):02d}", "month", False)

    # 2012-13, 2012-2013, 2012/13: spans of years ("2023-10" stays a year-month)
    for m in _scan(_YEAR_SPAN, text, anchors.digits):
        first = int(m[1])
        tail = m[2]
        second = int(tail) if len(tail) == 4 else (first // 100) * 100 + int(tail)
        if len(tail) == 2 and second <= first and 1 <= int(tail) <= 12:
            emit(m.start(), m.end(), "date", f"{first:04d}-{int(tail):02d}", "month", False)
        elif second > first:
            emit(m.start(), m.end(), "date", f"{first:04d}/{second:04d}", "range", False)

    # the 1990s
    for m in _scan(_DECADE, text, anchors.digits_if("0s")):
        first = int(m[1])
        emit(m.start(), m.end(), "date", f"{first:04d}/{first + 9:04d}", "range", False)

    # in April / since March (a bare month needs a cue: "may" and "march" are verbs)
    for m in _scan(_CUED_MONTH, text, _cued_month_starts(anchors)):
        value, rel = _resolve_month(_month(m[1]), published)
        emit(m.start(1), m.end(1), "date", value, "month", rel)

    # this year / last month / next year
    for m in _scan(_RELATIVE_PERIOD, text, anchors.relatives):
        if published is None:
            continue
        step = _REL[fold_case(m[1])]
        if m[2].lower() == "year":
            emit(m.start(), m.end(), "date", f"{published.year + step:04d}", "year", True)
        else:
            mo = published.month + step
            y = published.year + (mo - 1) // 12
            mo = (mo - 1) % 12 + 1
            emit(m.start(), m.end(), "date", f"{y:04d}-{mo:02d}", "month", True)

    # two years ago / 3 days ago (only where " ago" is spelled so)
    for m in _scan(_AGO, text, anchors.numerals_and_articles if " ago" in text else []):
        if published is None:
            continue  # the duration pass reads "two years" then
        n = int(parse_number(m[1]) if m[1].lower() not in ("a", "an") else 1)
        unit = m[2].lower().rstrip("s")
        if unit == "year":
            emit(m.start(), m.end(), "date", f"{published.year - n:04d}", "year", True)
        elif unit == "month":
            mo = published.month - n
            y = published.year + (mo - 1) // 12
            emit(m.start(), m.end(), "date", f"{y:04d}-{(mo - 1) % 12 + 1:02d}", "month", True)
        else:
            days = n * (7 if unit == "week" else 1)
            emit(m.start(), m.end(), "date", (published - timedelta(days=days)).isoformat(),
                 "day", True)

    # mid-2005, early-2010
    for m in _scan(_EDGE_OF_YEAR, text, anchors.found("mid-", "early-", "late-")):
        emit(m.start(1), m.end(1), "date", m[1], "year", False)

    # bare years: "since 2012", "the 2012 Olympics", "in 2012." (not "Euro 2024")
    for m in _scan(_BARE_YEAR, text, anchors.digits):
        if _in_name(text, m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 30):m.start()]
        after = text[m.end():m.end() + 2]
        if YEAR_CUE.search(before) or _YEAR_ENDS_CLAUSE.match(after) or \
                _YEAR_NAMES_EVENT.match(text[m.end():m.end() + 14]):
            emit(m.start(), m.end(), "date", m[1], "year", False)


# --- money, percentages, multiples, durations -------------------------------------

_MONEY_BEFORE = _rx(rf"{_LEFT}({_CUR_PREFIX})\s?({NUMBER})")
_MONEY_AFTER = _rx(rf"{_LEFT}({NUMBER})\s?-?({_CUR_SUFFIX})(?![\w])")


def _money_pass(text: str, emit, anchors: _Anchors) -> None:
    for m in _scan(_MONEY_BEFORE, text, anchors.currency_prefixes):
        symbol = fold_case(m[1])  # not .lower(): re.I also reads "Rſ" as "Rs"
        code = CURRENCY_SYMBOLS[symbol if symbol == "rs." else symbol.rstrip(".")]
        emit(m.start(), m.end(), "money", _clean_value(parse_number(m[2])), code, None)
    for m in _scan(_MONEY_AFTER, text, anchors.numbers):
        word = fold_case(m[2])
        value = parse_number(m[1]) * SUBUNIT.get(word, 1)
        emit(m.start(), m.end(), "money", _clean_value(value), CURRENCY_SYMBOLS[word], None)


_PERCENT = _rx(rf"{_LEFT}({NUMBER_NO_A})\s?(%|percent\b|per cent\b|pct\b|percentage points?\b)")


def _percent_pass(text: str, emit, anchors: _Anchors) -> None:
    present = "%" in text or anchors.has("percent", "per cent", "pct")
    for m in _scan(_PERCENT, text, anchors.numerals if present else []):
        unit = "pp" if m[2].lower().startswith("percentage") else "%"
        emit(m.start(), m.end(), "percent", _clean_value(parse_number(m[1])), unit, None)


_MULTIPLE = _rx(rf"{_LEFT}({_DIGITS}|{_WORD})"
                r"(?:\s?-?fold\b|\s+times\b(?!\s+(?:a|per|each|every)\s))")
_MULTIPLE_X = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?)x(?![\w])")


def _multiple_pass(text: str, emit, anchors: _Anchors) -> None:
    for m in _scan(_MULTIPLE, text, anchors.numerals if anchors.has("fold", "times") else []):
        emit(m.start(), m.end(), "multiple", _clean_value(parse_number(m[1])), "x", None)
    for m in _scan(_MULTIPLE_X, text, anchors.digits if "x" in text else []):
        emit(m.start(), m.end(), "multiple", _clean_value(float(m[1])), "x", None)


_DUR_WORDS = "|".join(sorted(DURATION_UNITS, key=len, reverse=True))


_DURATION_ADJ = (r"(?:\s+(?:continuous|consecutive|straight|successive|full|long|whole|more|"
                 r"further))?")
_DURATION = _rx(rf"{_LEFT}({NUMBER_NO_A}|half an?|an?|a whole|a full)({_DURATION_ADJ})[\s-]+"
                rf"({_DUR_WORDS})\b")
_TIME_WORD_BEFORE = _rx(r"\b(?:for|in|within|over|after|about|nearly|almost|than|under|"
                        r"just|past|last|once|first|more than|spend|spent|took|takes|"
                        r"returning)\s+$")
_TIME_WORD_AFTER = _rx(r"\s+(?:earlier|later|after|before|ago)\b")


def _duration_pass(text: str, emit, anchors: _Anchors) -> None:
    for m in _scan(_DURATION, text, anchors.numerals_and_articles):
        unit = DURATION_UNITS[fold_case(m[3])]
        number = m[1].lower()
        if number.startswith(("a ", "an ")) or number in ("a", "an"):
            # "a year" is a duration only where the phrase is about time: "for a
            # year", "a year earlier"; not in rates such as "£6.5bn a year".
            before = text[max(0, m.start() - 15):m.start()]
            after = text[m.end():m.end() + 12]
            if unit not in ("decade", "century") and not (
                    _TIME_WORD_BEFORE.search(before) or _TIME_WORD_AFTER.match(after)):
                continue
            value = 1.0
        elif number.startswith("half"):
            value = 0.5
        else:
            value = parse_number(m[1])
        if unit == "decade":
            value, unit = value * 10, "year"
        elif unit == "century":
            value, unit = value * 100, "year"
        emit(m.start(), m.end(), "duration", _clean_value(value), unit, None)


# --- counts --------------------------------------------------------------------------

_RACE_VERB_BEFORE = _rx(r"\b(?:ran|runs?|won|wins?|swam|swims?|sprint\w*|the|in|over)\s+$")


def _metre_not_million(text: str, number: str, end: int) -> bool:
    """'508m tall', '1500m', '5,000m': metres. '14m customers', '£5m': millions."""
    digits = number.replace(",", "")
    try:
        big = float(digits) >= 1000
    except ValueError:
        big = False
    race = digits.isdigit() and int(digits) in RACE_DISTANCES and bool(
        _RACE_VERB_BEFORE.search(text[max(0, end - len(number) - 20):end - len(number) - 1]))
    return "," in number or big or race or bool(METRE_CONTEXT.match(text, end))


_VAGUE_COUNT = _rx(r"\b(tens|hundreds|thousands|millions|billions|dozens)(\s+of\s+"
                   r"(?:thousands|millions|billions))?(?=\s+of\b)")
_DOZEN = _rx(r"\b(?:a|one|half a)\s+dozen\b")
_METRES = _rx(rf"{_LEFT}({_DIGITS})m(?![\w])({PER_UNIT})?")
_COUNT = _rx(rf"{_LEFT}({NUMBER})(?:[\s-]?({MEASURE_UNITS})({PER_UNIT})?(?![\w/])|(?![A-Za-z\d]))")
_HAS_SCALE_WORD = _rx(_SCALE_WORD)


def _count_pass(text: str, emit, anchors: _Anchors) -> None:
    for m in _scan(_VAGUE_COUNT, text, anchors.number_words):  # "ten" starts "tens"
        value = VAGUE[fold_case(m[1])]
        if m[2]:
            value *= VAGUE[fold_case(m[2].split()[-1])]
        emit(m.start(), m.end(), "count", _clean_value(value), None, True)
    for m in _scan(_DOZEN, text, anchors.numerals_and_articles if anchors.has("dozen") else []):
        emit(m.start(), m.end(), "count", 6 if m[0].lower().startswith("half") else 12, None, None)

    # "508m tall", "17m per second": a number glued to "m" that is a length.
    for m in _scan(_METRES, text, anchors.digits if anchors.has("m") else []):
        if _metre_not_million(text, m[1], m.end(1) + 1):
            unit = "m" + (" " + m[2].strip() if m[2] and m[2].strip().startswith("per") else
                          m[2] or "")
            emit(m.start(), m.end(), "count", _clean_value(parse_number(m[1])), unit, None)

    for m in _scan(_COUNT, text, anchors.numbers):
        number = m[1]
        has_digit = any(c.isdigit() for c in number)
        if not has_digit:
            value = parse_number(number)
            word = number.lower().split()[0]
            # "one of the", "an", "a": not counts. Spelled numbers count from two up.
            if word in ("a", "an", "one") and not _HAS_SCALE_WORD.search(number):
                continue
            if value < 2:
                continue
        if has_digit and _in_name(text, m.start(), m.end()):
            continue
        unit = m[2].lower() if m[2] else None
        if unit and m[3]:
            unit += " " + m[3].strip() if m[3].strip().startswith("per") else m[3]
        emit(m.start(), m.end(), "count", _clean_value(parse_number(number)), unit, None)


def extract_quantities(text: str, published: date | None = None) -> list[Quantity]:
    """All quantity mentions in ``text``, sorted by offset."""
    claimed = _Claimed(len(text))
    found: list[Quantity] = []

    def emit(start, end, kind, value, unit_or_precision, extra, approx=None):
        # Trailing spaces of a regex never belong to the mention.
        while end > start and text[end - 1].isspace():
            end -= 1
        if not claimed.free(start, end):
            return
        claimed.take(start, end)
        if kind == "date":
            precision, relative = unit_or_precision, bool(extra)
            found.append(Quantity(text[start:end], kind, value, None, start, end,
                                  _approximate(text, start), relative, precision))
        else:
            approximate = approx if approx is not None else _approximate(text, start)
            found.append(Quantity(text[start:end], kind, value, unit_or_precision, start, end,
                                  bool(approximate or (extra is True))))

    anchors = _Anchors(text)
    _claim_zones(SKIP_ZONES, text, anchors, claimed)
    _date_passes(text, published, emit, anchors)
    _claim_zones(LATE_SKIP_ZONES, text, anchors, claimed)
    _money_pass(text, emit, anchors)
    _percent_pass(text, emit, anchors)
    _multiple_pass(text, emit, anchors)
    _duration_pass(text, emit, anchors)
    _count_pass(text, emit, anchors)
    found.sort(key=lambda q: (q.start, q.end))
    return found


def _claim_zones(zones, text: str, anchors: _Anchors, claimed: _Claimed) -> None:
    """Take the characters of text that is never a quantity (URLs, phone numbers, times)."""
    for rx, starts in zones:
        for m in _scan(rx, text, starts(anchors)):
            claimed.take(m.start(), m.end())


def iter_kinds(quantities: list[Quantity], kind: str) -> Iterator[Quantity]:
    return (q for q in quantities if q.kind == kind)
