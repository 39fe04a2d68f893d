"""Bytes in, ``Article`` out: size guard, encoding detection, HTML text, dateline.

Offsets everywhere else refer to ``Article.text``: the decoded text (for HTML,
the text the parser extracted, which is also what reports show).
"""

from __future__ import annotations

import re
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError
from .records import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


# A byte of cp1252's letter block (accented letters, 0xC0-0xFF) or two non-ASCII
# bytes in a row: text for charset detection. Without either, every non-ASCII
# byte stands alone in 0x80-0xBF, where cp1252 keeps currency signs, quotes,
# dashes and other symbols. (A search, not a fullmatch of the allowed bytes:
# 0.3 s instead of 4.5 s on a 20 MB file.)
_NOT_WESTERN_SYMBOLS = re.compile(rb"[\xc0-\xff]|[\x80-\xbf]{2}")


def decode(raw: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode article bytes; return (text, encoding). Raise InputError when impossible."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(f"starts with a {encoding} byte-order mark but does not "
                                 "decode as it", path=source) from None
    if b"\x00" in raw:
        raise InputError("binary file (contains NUL bytes), not text", path=source,
                         hint="pass text, Markdown or HTML files")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not _NOT_WESTERN_SYMBOLS.search(raw):
        # ASCII plus lone bytes from cp1252's symbol block (£ € “ ” – …): English
        # text saved as Windows-1252. With so little to go on, charset-normalizer
        # has read "£15.8m" as cp932 half-width katakana and as cp1250's "Ł".
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass  # a byte cp1252 leaves undefined: let detection decide
    # imported late: only non-UTF-8 input needs it
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError("cannot detect the text encoding", path=source,
                         hint="convert the file to UTF-8")
    return str(best), best.encoding


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page; scripts, styles and the head dropped."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe",
                       "object"})
    _BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                        "section", "article", "header", "footer", "blockquote", "tr", "table",
                        "pre", "hr", "main", "aside", "nav", "figure", "figcaption", "dd", "dt",
                        "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in self._SKIP:
            self.skip_depth += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in self._SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    # Collapse the layout whitespace of markup into paragraphs and single spaces.
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[\n ]*\n *", "\n\n", text)
    text = re.sub(r" *\n *", "\n", text).strip()
    title = " ".join("".join(parser.title).split())
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text


_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return bool(_HTML_START.match(text[:2000]))


def read_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file (or stdin for '-') without ever loading more than max_bytes."""
    name = str(path)
    if name == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)
    else:
        p = Path(path)
        try:
            if p.is_dir():
                raise InputError("is a folder", path=name, hint="use `factcheck scan DIR`")
            size = p.stat().st_size
            if size > max_bytes:
                raise InputError(f"file is {size:,} bytes, over the --max-bytes limit of "
                                 f"{max_bytes:,}", path=name,
                                 hint="raise --max-bytes to check it anyway")
            with p.open("rb") as fh:
                raw = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError("no such file", path=name) from None
        except PermissionError:
            raise InputError("permission denied", path=name) from None
        except IsADirectoryError:
            raise InputError("is a folder", path=name, hint="use `factcheck scan DIR`") from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    if len(raw) > max_bytes:
        raise InputError(f"input is over the --max-bytes limit of {max_bytes:,}",
                         path="<stdin>" if name == "-" else name,
                         hint="raise --max-bytes to check it anyway")
    return raw


def article_from_bytes(raw: bytes, source: str, published: date | None = None) -> Article:
    text, encoding = decode(raw, source)
    media_type = "text/plain"
    if looks_like_html(text, source):
        text = html_to_text(text)
        media_type = "text/html"
    if not text.strip():
        raise InputError("empty file (no text to check)", path=source)
    published_from = "option" if published else None
    if published is None:
        published = find_published(text)
        published_from = "header" if published else None
    return Article(text=text, source=source, published=published,
                   published_from=published_from, encoding=encoding, media_type=media_type)


def read_article(path: str | Path, published: date | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    source = "<stdin>" if str(path) == "-" else str(path)
    return article_from_bytes(read_bytes(path, max_bytes), source, published)


# --- the publication date in an article's own header ------------------------

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
            r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_HEADER_CUE = re.compile(r"\b(updated|published|posted|date[ds]?|released|last modified)\b",
                         re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_MDY = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
                  re.IGNORECASE)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\s+(\d{{4}})\b",
                  re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")
HEADER_LINES = 8


def month_number(word: str) -> int:
    return _MONTHS.index(next(m for m in _MONTHS if m.startswith(word.lower().rstrip(".")[:3]))) + 1


def _date_or_none(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_published(text: str) -> date | None:
    """The publication date stated in the first lines, preferring cued lines."""
    lines = [ln for ln in text.splitlines()[: HEADER_LINES * 3] if ln.strip()][:HEADER_LINES]
    # every date pattern holds a four-digit year: lines without one cannot say the date
    lines = [ln for ln in lines if _YEAR.search(ln)]
    cued = [bool(_HEADER_CUE.search(ln)) for ln in lines]
    ordered = [ln for ln, c in zip(lines, cued) if c] + \
              [ln for ln, c in zip(lines, cued) if len(ln) < 120 and not c]
    for line in ordered:
        for m in _ISO.finditer(line):
            found = _date_or_none(int(m[1]), int(m[2]), int(m[3]))
            if found:
                return found
        for m in _MDY.finditer(line):
            found = _date_or_none(int(m[3]), month_number(m[1]), int(m[2]))
            if found:
                return found
        for m in _DMY.finditer(line):
            found = _date_or_none(int(m[3]), month_number(m[2]), int(m[1]))
            if found:
                return found
    return None
