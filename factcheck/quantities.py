"""Quantity extraction: money, percentages, counts, multiples, durations, dates.

A pure function over the decoded text (``extract_quantities``) plus a spaCy
component that stores its result on the Doc. Patterns run in passes, most
specific first (zones that are never quantities, then dates, money, percent,
multiples, durations, counts); a later pass never takes characters an earlier
pass claimed. The guards for known traps of other extractors (years inside
product names, "73 20", "may" the verb, "2012-13") are commented where they
live and tested in ``tests/fixtures/quantities.yaml``.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import date, timedelta
from typing import Callable, Iterator

from .records import Quantity

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
    r"and\s+\d[\d,]*m\b)", re.I)
RACE_DISTANCES = {50, 60, 100, 110, 200, 400, 800}

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
MONTH_FULL = ("January|February|March|April|May|June|July|August|September|October|November|"
              "December")
MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH_RE = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.?)(?![a-z])"
# A month name is only a date when capitalised: "may" and "march" are verbs too.
MONTH_CAP = rf"(?-i:{MONTH_RE})"

HEDGES = re.compile(
    r"(?:\babout|\baround|\bapproximately|\broughly|\bnearly|\balmost|\bover|\bmore than|"
    r"\bless than|\bfewer than|\bup to|\bat least|\bat most|\bsome|\bclose to|\bunder|"
    r"\ban estimated|\bas many as|\bas much as|\bas high as|\bupwards of|\bjust over|"
    r"\bjust under|\bwell over|\bin excess of|\bmore or less|~)\s*$", re.I)

# Capitalised words that may precede a number without making it part of a name.
NAME_STOP = {
    "the", "in", "on", "at", "by", "for", "from", "since", "until", "till", "about", "around",
    "over", "under", "nearly", "almost", "some", "only", "just", "more", "less", "fewer", "up",
    "of", "and", "but", "or", "to", "with", "after", "before", "during", "between", "last",
    "this", "next", "each", "every", "all", "another", "roughly", "approximately", "exactly",
    "as", "than", "within", "those", "these", "its", "their", "his", "her", "our", "it", "we",
    "they", "he", "she", "i", "you", "total", "almost", "around", "some", "nearly", "top",
    "about", "reached", "sold", "was", "were", "is", "are", "had", "has", "have", "a", "an",
    "year", "season", "fiscal", "fy", "q1", "q2", "q3", "q4", "circa", "c.", "ca.",
    "autumn", "spring", "summer", "winter", "fall", "early", "mid", "late", "end", "by",
} | set(MONTHS) | {m[:3] for m in MONTHS}
MODEL_SUFFIX = re.compile(r"\s*(?:Pro|Ultra|Max|Plus|Mini|Lite|SE|Fold|Flip|Note|Series|series|"
                          r"Edge|FE|Neo|Turbo|GT|Air)\b")

YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|by|from|until|till|to|of|during|before|after|around|circa|early|"
    r"mid|late|year|season|summer|winter|spring|autumn|fall|the end of|between|and|"
    r"fiscal|for|through|throughout|the|as of|christmas|easter|new year|spring|"
    r"season)\s*-?|^|[\n(])\s*$", re.I)

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
    return re.compile(pattern, re.I)


SKIP_ZONES = [
    _rx(r"\b(?:https?://|www\.)\S+"),
    _rx(r"\b[\w.+-]+@[\w-]+\.[\w.]+"),
    _rx(r"\b[\w-]+\.(?:com|org|net|cn|io|co\.uk|gov|edu)(?:/\S*)?"),
    _rx(r"\bISBN(?:-1[03])?:?\s*[\dX-]{10,17}"),
    _rx(r"\b97[89]-\d{1,5}-\d{1,7}-\d{1,7}-[\dX]\b"),
    _rx(r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}\b"),
    _rx(r"\(\d{3}\)\s?\d{3}-\d{4}\b|\b\d{3}-\d{3,4}(?:-\d{4})?\b"),
    _rx(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)"),
    _rx(r"(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?![\d])"),
    _rx(r"\b24/7\b|\b\d+/\d+\b(?!\s?(?:%|per))"),
    _rx(r"(?:No\.|#)\s?\d+\b"),
    _rx(r"\b0\d{2,4}[ -]\d{3,4}[ -]\d{3,4}\b"),  # UK-style phone numbers: 0800 028 9276
    _rx(r"\b\d{1,4}(?::\d{2})?\s?(?:GMT|BST|UTC|CET|EST|PST|ET|PT)\b"),
]
# Claimed after the date passes, which read "October 26th" first.
LATE_SKIP_ZONES = [_rx(r"\b\d{1,3}(?:st|nd|rd|th)\b")]


# --- number parsing ----------------------------------------------------------

def parse_number(text: str) -> float:
    """Value of a number phrase: '1.2bn', '816 000', 'twenty-five', 'half a million'."""
    t = text.lower().replace(",", "").replace("\u00a0", " ").replace("\u202f", " ").strip()
    t = re.sub(r"(?<=\d) (?=\d{3}\b)", "", t)
    m = re.match(r"^(\d+(?:\.\d+)?|\.\d+)\s*([a-z ]*)$", t)
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
    if abs(value - round(value)) < 1e-9:
        return int(round(value))
    return round(value, 6)


# --- the extractor -------------------------------------------------------------

class _Claimed:
    """Character ranges already taken by an earlier pass."""

    def __init__(self, size: int) -> None:
        self.taken = bytearray(size + 1)

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)


def _approximate(text: str, start: int) -> bool:
    return bool(HEDGES.search(text[max(0, start - 20):start]))


def _prev_word(text: str, start: int) -> tuple[str, bool]:
    """The word before ``start`` and whether it begins a sentence."""
    m = re.search(r"([\w'’.-]+)[ \u00a0]+$", text[max(0, start - 40):start])
    if not m:
        return "", True
    word = m[1]
    before = text[max(0, start - 40):start][: m.start(1)].rstrip()
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



# --- where to look ----------------------------------------------------------------
# Every pattern needs an anchor: a digit, a number word, a month, a relative
# time word, a vague plural. Passes only scan windows around anchors, which
# made extraction about three times faster on news text (bench/throughput.py).
ANCHOR = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|million|billion|trillion|dozens?|hundreds|thousands|millions|"
    r"billions|tens|decades?|century|centuries|half|this|last|next|past|previous|current|"
    r"an?\s+(?:second|minute|hour|day|week|month|year|decade|whole|full)|"
    + MONTH_FULL + "|" + MONTH_ABBR + r")\b", re.I)
WINDOW_BEFORE, WINDOW_AFTER = 48, 64
_MONTH_ANY = re.compile(rf"\b{MONTH_CAP}")
_RELATIVE_ANY = re.compile(r"\b(?:this|last|next|previous|past|current)\b", re.I)
_windows: ContextVar[list[tuple[int, int]] | None] = ContextVar("quantity_windows", default=None)


def anchor_windows(text: str) -> list[tuple[int, int]]:
    """Merged character windows around anchors, ending at whitespace."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in ANCHOR.finditer(text):
        lo = max(0, m.start() - WINDOW_BEFORE)
        hi = min(n, m.end() + WINDOW_AFTER)
        if out:  # the last window already ends at a word end: never rescan it (O(n^2))
            hi = max(hi, out[-1][1])
        while hi < n and not text[hi].isspace():
            hi += 1  # never cut a word: lookaheads must see its end
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _finditer(pattern, text: str, flags: int = 0, guard: bool = True):
    """Matches of ``pattern`` inside the anchor windows; none when ``guard`` is false
    (the text lacks what the pattern needs, such as a month name)."""
    if not guard:
        return
    rx = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
    windows = _windows.get()
    if windows is None:
        yield from rx.finditer(text)
        return
    for lo, hi in windows:
        yield from rx.finditer(text, lo, hi)


def _emit_day(emit, m, month: int, day: int, year: str | None, published: date | None) -> None:
    """A day-precision date: with its stated year, or the latest such day not after publication."""
    if year:
        y = int(year)
        if _valid_day(y, month, day):
            emit(m.start(), m.end(), "date", f"{y:04d}-{month:02d}-{day:02d}", "day", False)
    elif _valid_day(None, month, day):
        value, rel = _resolve_day(month, day, published)
        emit(m.start(), m.end(), "date", value, "day", rel)


def _date_passes(text: str, published: date | None, emit) -> None:  # noqa: C901
    pub_year = published.year if published else None
    has_month = bool(_MONTH_ANY.search(text))
    has_relative = bool(_RELATIVE_ANY.search(text))

    # 2023-10-26
    for m in _finditer(_rx(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])"), text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if _valid_day(y, mo, d):
            emit(m.start(), m.end(), "date", f"{y:04d}-{mo:02d}-{d:02d}", "day", False)

    # September 22 last year
    for m in _finditer(rf"\b({MONTH_CAP})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(this|last|next)\s+year\b",
                         text, guard=has_month and has_relative):
        if pub_year is None:
            continue
        y, mo, d = pub_year + _REL[m[3].lower()], _month(m[1]), int(m[2])
        if _valid_day(y, mo, d):
            emit(m.start(), m.end(), "date", f"{y:04d}-{mo:02d}-{d:02d}", "day", True)

    # October 26th, 2023 / Oct. 26 2023 / October 26
    for m in _finditer(rf"\b({MONTH_CAP})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])"
                         rf"(?:,?\s+(\d{{4}})(?!\d))?", text, guard=has_month):
        _emit_day(emit, m, _month(m[1]), int(m[2]), m[3], published)

    # 26 October 2023 / 26th of Oct / 26 Oct
    for m in _finditer(rf"(?<![\w.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_CAP})"
                         rf"(?:,?\s+(\d{{4}})(?!\d))?", text, guard=has_month):
        _emit_day(emit, m, _month(m[2]), int(m[1]), m[3], published)

    # April this year / April last year
    for m in _finditer(rf"\b({MONTH_CAP})\s+(this|last|next)\s+year\b", text, guard=has_month and has_relative):
        if pub_year is None:
            continue
        y = pub_year + _REL[m[2].lower()]
        emit(m.start(), m.end(), "date", f"{y:04d}-{_month(m[1]):02d}", "month", True)

    # last April / this April
    for m in _finditer(rf"\b((?i:this|last|next))\s+({MONTH_CAP})\b", text, guard=has_month and has_relative):
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
    for m in _finditer(rf"\b({MONTH_CAP}),?\s+(\d{{4}})(?!\d)", text, guard=has_month):
        emit(m.start(), m.end(), "date", f"{int(m[2]):04d}-{_month(m[1]):02d}", "month", False)

    # 2012-13, 2012-2013, 2012/13: spans of years ("2023-10" stays a year-month)
    for m in _finditer(r"(?<![\w.,/-])((?:1[89]|20)\d{2})\s?[-–/]\s?((?:1[89]|20)?\d{2})(?![\w%.-]|,\d)",
                         text):
        first = int(m[1])
        tail = m[2]
        second = int(tail) if len(tail) == 4 else (first // 100) * 100 + int(tail)
        if len(tail) == 2 and second <= first and 1 <= int(tail) <= 12:
            emit(m.start(), m.end(), "date", f"{first:04d}-{int(tail):02d}", "month", False)
        elif second > first:
            emit(m.start(), m.end(), "date", f"{first:04d}/{second:04d}", "range", False)

    # the 1990s
    for m in _finditer(r"(?<![\w.,])((?:1[89]|20)\d0)s\b", text):
        first = int(m[1])
        emit(m.start(), m.end(), "date", f"{first:04d}/{first + 9:04d}", "range", False)

    # in April / since March (a bare month needs a cue: "may" and "march" are verbs)
    for m in _finditer(rf"\b(?i:in|since|by|until|till|from|during|before|after|of|"
                         rf"early|mid|late|through|and|to|for|between|next|last|this)[\s-]"
                         rf"({MONTH_CAP})(?![\w-])", text, guard=has_month):
        value, rel = _resolve_month(_month(m[1]), published)
        emit(m.start(1), m.end(1), "date", value, "month", rel)

    # this year / last month / next year
    for m in _finditer(r"\b(this|last|next|the previous|the past|current)\s+(year|month)\b",
                         text, re.I, guard=has_relative):
        if published is None:
            continue
        step = _REL[m[1].lower()]
        if m[2].lower() == "year":
            emit(m.start(), m.end(), "date", f"{published.year + step:04d}", "year", True)
        else:
            mo = published.month + step
            y = published.year + (mo - 1) // 12
            mo = (mo - 1) % 12 + 1
            emit(m.start(), m.end(), "date", f"{y:04d}-{mo:02d}", "month", True)

    # two years ago / 3 days ago
    for m in _finditer(rf"{_LEFT}({_DIGITS}|{_WORD}|a|an)\s+(years?|months?|weeks?|days?)\s+ago\b",
                         text, re.I, guard=" ago" in text):
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
    for m in _finditer(r"\b(?:mid|early|late)-(1[89]\d{2}|20\d{2})(?![\w%])", text, re.I):
        emit(m.start(1), m.end(1), "date", m[1], "year", False)

    # bare years: "since 2012", "the 2012 Olympics", "in 2012." (not "Euro 2024")
    for m in _finditer(r"(?<![\w.,$€£¥/-])(1[89]\d{2}|20\d{2})(?![\w%]|[.,]\d|\s?(?:yuan|dollars|"
                         r"euros|pounds|yen|percent|per cent|times|people|units))", text, re.I):
        if _in_name(text, m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 30):m.start()]
        after = text[m.end():m.end() + 2]
        if YEAR_CUE.search(before) or re.match(r"\s*(?:[.,;:!?)]|$)", after) or \
                re.match(r"\s+(?:season|election|olympics|world cup|budget|figures)", text[m.end():m.end() + 14], re.I):
            emit(m.start(), m.end(), "date", m[1], "year", False)


def _money_pass(text: str, emit) -> None:
    prefix = _rx(rf"{_LEFT}({_CUR_PREFIX})\s?({NUMBER})")
    for m in _finditer(prefix, text):
        code = CURRENCY_SYMBOLS[m[1].lower().rstrip(".") if m[1].lower() != "rs." else "rs."]
        emit(m.start(), m.end(), "money", _clean_value(parse_number(m[2])), code, None)
    suffix = _rx(rf"{_LEFT}({NUMBER})\s?-?({_CUR_SUFFIX})(?![\w])")
    for m in _finditer(suffix, text):
        word = m[2].lower()
        value = parse_number(m[1]) * SUBUNIT.get(word, 1)
        emit(m.start(), m.end(), "money", _clean_value(value), CURRENCY_SYMBOLS[word], None)


def _percent_pass(text: str, emit) -> None:
    rx = _rx(rf"{_LEFT}({NUMBER_NO_A})\s?(%|percent\b|per cent\b|pct\b|percentage points?\b)")
    for m in _finditer(rx, text):
        unit = "pp" if m[2].lower().startswith("percentage") else "%"
        emit(m.start(), m.end(), "percent", _clean_value(parse_number(m[1])), unit, None)


def _multiple_pass(text: str, emit) -> None:
    rx = _rx(rf"{_LEFT}({_DIGITS}|{_WORD})(?:\s?-?fold\b|\s+times\b(?!\s+(?:a|per|each|every)\s))")
    for m in _finditer(rx, text):
        emit(m.start(), m.end(), "multiple", _clean_value(parse_number(m[1])), "x", None)
    for m in _finditer(r"(?<![\w.,])(\d+(?:\.\d+)?)x(?![\w])", text):
        emit(m.start(), m.end(), "multiple", _clean_value(float(m[1])), "x", None)


_DUR_WORDS = "|".join(sorted(DURATION_UNITS, key=len, reverse=True))


_DURATION_ADJ = r"(?:\s+(?:continuous|consecutive|straight|successive|full|long|whole|more|further))?"


def _duration_pass(text: str, emit) -> None:
    rx = _rx(rf"{_LEFT}({NUMBER_NO_A}|half an?|an?|a whole|a full)({_DURATION_ADJ})[\s-]+"
             rf"({_DUR_WORDS})\b")
    for m in _finditer(rx, text):
        unit = DURATION_UNITS[m[3].lower()]
        number = m[1].lower()
        if number.startswith(("a ", "an ")) or number in ("a", "an"):
            # "a year" is a duration only where the phrase is about time: "for a
            # year", "a year earlier"; not in rates such as "£6.5bn a year".
            before = text[max(0, m.start() - 15):m.start()]
            after = text[m.end():m.end() + 12]
            if unit not in ("decade", "century") and not (
                    re.search(r"\b(?:for|in|within|over|after|about|nearly|almost|than|under|"
                              r"just|past|last|once|first|more than|spend|spent|took|takes|"
                              r"returning)\s+$", before, re.I)
                    or re.match(r"\s+(?:earlier|later|after|before|ago)\b", after, re.I)):
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


def _metre_not_million(text: str, number: str, end: int) -> bool:
    """'508m tall', '1500m', '5,000m': metres. '14m customers', '£5m': millions."""
    digits = number.replace(",", "")
    try:
        big = float(digits) >= 1000
    except ValueError:
        big = False
    race = digits.isdigit() and int(digits) in RACE_DISTANCES and bool(
        re.search(r"\b(?:ran|runs?|won|wins?|swam|swims?|sprint\w*|the|in|over)\s+$",
                  text[max(0, end - len(number) - 20):end - len(number) - 1], re.I))
    return "," in number or big or race or bool(METRE_CONTEXT.match(text, end))


def _count_pass(text: str, emit) -> None:
    vague = _rx(r"\b(tens|hundreds|thousands|millions|billions|dozens)(\s+of\s+"
                r"(?:thousands|millions|billions))?(?=\s+of\b)")
    for m in _finditer(vague, text):
        value = VAGUE[m[1].lower()]
        if m[2]:
            value *= VAGUE[m[2].split()[-1].lower()]
        emit(m.start(), m.end(), "count", _clean_value(value), None, True)
    for m in _finditer(_rx(r"\b(?:a|one|half a)\s+dozen\b"), text):
        emit(m.start(), m.end(), "count", 6 if m[0].lower().startswith("half") else 12, None, None)

    # "508m tall", "17m per second": a number glued to "m" that is a length.
    for m in _finditer(_rx(rf"{_LEFT}({_DIGITS})m(?![\w])({PER_UNIT})?"), text):
        if _metre_not_million(text, m[1], m.end(1) + 1):
            unit = "m" + (" " + m[2].strip() if m[2] and m[2].strip().startswith("per") else
                          m[2] or "")
            emit(m.start(), m.end(), "count", _clean_value(parse_number(m[1])), unit, None)

    rx = _rx(rf"{_LEFT}({NUMBER})(?:[\s-]?({MEASURE_UNITS})({PER_UNIT})?(?![\w/])|(?![A-Za-z\d]))")
    for m in _finditer(rx, text):
        number = m[1]
        has_digit = any(c.isdigit() for c in number)
        if not has_digit:
            value = parse_number(number)
            word = number.lower().split()[0]
            # "one of the", "an", "a": not counts. Spelled numbers count from two up.
            if word in ("a", "an", "one") and not re.search(_SCALE_WORD, number, re.I):
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

    def make_emit():
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
        return emit

    emit = make_emit()
    token = _windows.set(anchor_windows(text))
    try:
        for rx in SKIP_ZONES:
            for m in _finditer(rx, text):
                claimed.take(m.start(), m.end())
        _run_passes(text, published, emit, claimed)
    finally:
        _windows.reset(token)
    found.sort(key=lambda q: (q.start, q.end))
    return found


def _run_passes(text, published, emit, claimed) -> None:
    _date_passes(text, published, emit)
    for rx in LATE_SKIP_ZONES:
        for m in _finditer(rx, text):
            claimed.take(m.start(), m.end())
    _money_pass(text, emit)
    _percent_pass(text, emit)
    _multiple_pass(text, emit)
    _duration_pass(text, emit)
    _count_pass(text, emit)


def iter_kinds(quantities: list[Quantity], kind: str) -> Iterator[Quantity]:
    return (q for q in quantities if q.kind == kind)
