"""The HTML report: escaping of hostile articles, and a real headless Chromium."""

from __future__ import annotations

import html
from html.parser import HTMLParser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

EXAMPLE = ROOT / "corpora" / "examples" / "galaxy-s24-launch.txt"
INJECTED = ("<script>window.__factcheck_injected=1;"
            "document.body.setAttribute('data-pwned','1')</script>")
IMG = "<img src=x onerror=alert(2)>"


def hostile_report():
    """A Report whose every text field carries markup, with offsets that hit it."""
    from factcheck.records import (Claim, Promotion, Quantity, Report, RuleHit, Signal, Summary,
                                   Verdict)

    text = ("Breaking <script>alert(1)</script> news " + IMG + "\n\n"
            "The Widget costs $10 today " + INJECTED + ".\n\n"
            "Buy \"Evil<b>Tonic</b>\" on Tmall now " + IMG + " " + INJECTED + " while stocks last.\n")
    q_start = text.index("$10")
    q = Quantity("$10", "money", 10, "USD", q_start, q_start + 3)
    c_start = text.index("The Widget")
    c_end = text.index(".\n\n", c_start) + 1
    v = Verdict("contradicted", "<script>alert(3)</script>", "price\"onerror=alert(4)",
                "10 USD " + IMG, "12 USD <script>alert(5)</script>", q_start,
                "facts/<evil>.yaml:3", "javascript:alert(6)", "Claimed " + INJECTED,
                "qual " + IMG)
    claim = Claim(text[c_start:c_end], c_start, c_end, 0.9, (q,), (v,))
    p_start = text.index("Buy")
    p_end = len(text) - 1
    hit_start = text.index("Tmall")
    sig = Signal("rule", rule="commerce.<script>x</script>", category="commerce_channel",
                 text="Tmall " + IMG, start=hit_start, end=hit_start + 5)
    promo = Promotion(p_start, p_end, text[p_start:p_end], 0.97, "Evil<b>Tonic</b> " + INJECTED,
                      (sig, Signal("classifier", score=0.9)))
    hit = RuleHit("commerce.platform", "commerce_channel", "Tmall", hit_start, hit_start + 5)
    summary = Summary(1, 0, 1, 0, 1, 0.97, "advertorial")
    return Report("news/<script>alert(7)</script>.txt", None, summary, (claim,), (promo,), (hit,),
                  text=text, warnings=("warn " + IMG,))


class _Tags(HTMLParser):
    """Every element and attribute a browser would build from a document."""

    def __init__(self, doc: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(doc)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _assert_inert(doc: str, scripts: int) -> None:
    tags = _Tags(doc).tags
    names = [t for t, _ in tags]
    assert names.count("script") == scripts
    assert not {"img", "iframe", "object", "embed", "b", "svg", "base", "form"} & set(names)
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "data-pwned" not in attrs, (tag, attrs)
        for a in ("href", "src", "action"):
            value = (attrs.get(a) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


def test_render_html_escapes_hostile_article():
    from factcheck.render import Format, render

    doc = render([hostile_report()], Format.html)
    # The report's own script is the only <script> element, and it is at the end.
    assert doc.count("<script") == 1
    assert doc.index("<script>") > doc.index("</main>")
    assert "<script>alert" not in doc
    assert "<img" not in doc and "<b>" not in doc
    # Outside escaped text: tags with their (escaped, quoted) attribute values removed.
    bare_tags = [re.sub(r'"[^"]*"', '""', t) for t in re.findall(r"<[^<>]*>", doc)]
    assert not [t for t in bare_tags if "onerror" in t or "<script" in t and t != "<script>"]
    assert not re.search(r"\sonerror=", re.sub(r'"[^"]*"', '""', doc.split("<script>")[0]).replace(
        "&lt;img src=x onerror=alert(2)&gt;", ""))
    assert 'href="javascript' not in doc
    _assert_inert(doc, scripts=1)
    # The text is all there, escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&lt;img src=x onerror=alert(2)&gt;" in doc
    assert "javascript:alert(6)" in doc  # the bad source is shown as text, not linked
    # Highlighting still works around and inside the hostile text.
    assert re.search(r'<mark class="promo" id="promo-1" [^>]*data-product="Evil&lt;b&gt;Tonic', doc)
    assert re.search(r'<a class="q contradicted" id="q-1" href="#ev-1"', doc)
    assert 'id="ev-1"' in doc


def test_render_html_only_http_sources_become_links():
    from factcheck.render.html import safe_url

    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("HTTP://example.org") == "HTTP://example.org"
    for bad in ("javascript:alert(1)", "data:text/html,x", " java\nscript:x", "//evil", "ftp://x",
                "https://a b", None, ""):
        assert safe_url(bad) is None


def test_render_html_example_structure(shipped_checker):
    from factcheck.render import Format, render

    report = shipped_checker.check_path(EXAMPLE)
    doc = render([report], Format.html)
    assert doc == render([report], Format.html)  # deterministic
    assert doc.startswith("<!DOCTYPE html>")
    # No external assets: nothing to load, no stylesheet or image links.
    assert "<link" not in doc and " src=" not in doc and "url(" not in doc and "@import" not in doc
    for p in report.promotions:
        assert f'data-score="{p.score:.2f}"' in doc
    n_checked = sum(1 for c in report.claims for v in c.verdicts if v.expected is not None)
    for i in range(1, n_checked + 1):
        assert f'id="ev-{i}"' in doc
    links = set(re.findall(r'<a class="q (?:supported|contradicted)"[^>]*href="#(ev-\d+)"', doc))
    assert links and all(f'id="{t}"' in doc for t in links)
    assert 'class="badge contradicted"' in doc
    for a in re.findall(r"<a [^>]*https?://[^>]*>", doc):
        assert 'rel="noopener' in a
    # The text is the article's, in order, once the markup is removed.
    text_div = re.search(r'<div class="text">(.*?)</div>\n', doc, re.S).group(1)
    plain = re.sub(r'<span class="badge[^"]*">[^<]*</span>', "", text_div)
    assert html.unescape(re.sub(r"<[^>]+>", "", plain)) == report.text


def test_render_html_several_reports_unique_ids(shipped_checker):
    from factcheck.render import Format, render

    a = shipped_checker.check_path(EXAMPLE)
    doc = render([a, hostile_report(), a], Format.html)
    ids = re.findall(r'\sid="([^"]+)"', doc)
    assert len(ids) == len(set(ids))
    assert doc.count('<section class="report"') == 3


def test_render_html_scan_index_and_pages(tmp_path, shipped_checker):
    from factcheck.render.html import page_name, write_scan_html
    import hashlib

    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "a<b>.txt"
    good.write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    record = shipped_checker.check_path(good).as_dict()
    record["sha256"] = hashlib.sha256(good.read_bytes()).hexdigest()
    records = [record, {"source": str(folder / "empty.txt"), "error": "empty file (no text to check)"},
               {"source": "gone/", "error": "no such folder"}]
    out = tmp_path / "out"
    write_scan_html(records, out, shipped_checker)
    index = (out / "index.html").read_text("utf-8")
    assert 'class="scan sortable"' in index and 'data-type="num"' in index
    name = page_name(str(good))
    assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{10}\.html", name)
    assert page_name(str(good)) == name  # stable
    assert f'href="articles/{name}"' in index
    assert "a&lt;b&gt;.txt" in index and "<b>" not in index
    assert "no such folder" in index and "empty file" in index
    page = (out / "articles" / name).read_text("utf-8")
    assert '<mark class="promo"' in page and 'href="../index.html"' in page
    assert "changed since the scan" not in page
    assert sorted(p.name for p in (out / "articles").iterdir()) == [name]
    # A file changed after the scan gets a note on its page.
    good.write_text(EXAMPLE.read_text("utf-8").replace("$1,199.99", "$1,299.99"), "utf-8")
    write_scan_html(records[:1], out, shipped_checker)
    assert "changed since the scan" in (out / "articles" / name).read_text("utf-8")


# --- a real browser ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium; "
                             ".ci/run installs it)")


def _chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", *extra, url]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("chromium did not finish within 60 s (a blocking alert() from injected "
                    "script would do that)", pytrace=False)


def _dump_dom(tmp_path: Path, page: Path) -> str:
    result = _chromium(tmp_path, page.as_uri(), "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<body" in result.stdout, result.stderr[-2000:]
    return result.stdout


@needs_chromium
def test_render_html_browser_example_highlights_and_screenshot(tmp_path, shipped_checker):
    from factcheck.render import Format, render

    report = shipped_checker.check_path(EXAMPLE)
    page = tmp_path / "report.html"
    page.write_text(render([report], Format.html), "utf-8")
    dom = _dump_dom(tmp_path, page)
    assert re.search(r'<body[^>]*\bdata-js="ready"', dom)  # our script ran (the CSP allows it)
    marks = re.findall(r'<mark class="promo"[^>]*data-score="([0-9.]+)"', dom)
    assert len(marks) >= len(report.promotions) >= 1
    assert 'data-product="Hanbit Ginseng Essence"' in dom
    assert re.search(r'<a class="q contradicted"[^>]*href="#ev-\d+"', dom)

    shot = tmp_path / "report.png"
    result = _chromium(tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1280,2000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 1000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_render_html_browser_hostile_article_runs_nothing(tmp_path):
    from factcheck.render import Format, render

    doc = render([hostile_report()], Format.html)
    # Test the escaping itself, not the CSP behind it: drop the CSP, and add a
    # probe (run after the article) that records whether the payload ran.
    doc, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", doc)
    assert n == 1
    probe = ("<script>document.documentElement.setAttribute('data-probe', "
             "typeof window.__factcheck_injected);</script>")
    doc = doc.replace("</body>", probe + "</body>")
    page = tmp_path / "hostile.html"
    page.write_text(doc, "utf-8")
    dom = _dump_dom(tmp_path, page)
    assert 'data-probe="undefined"' in dom  # the probe ran; the payload did not
    body_tag = re.search(r"<body[^>]*>", dom).group(0)
    assert "data-pwned" not in body_tag and 'data-js="ready"' in body_tag
    _assert_inert(dom, scripts=2)  # the report's script and the probe, nothing else
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_render_html_scan_page_keeps_the_scan_published_date(tmp_path, shipped_checker):
    """A scan run with --published: the re-checked page uses the same date."""
    from datetime import date

    from factcheck.render.html import page_name, write_scan_html

    src = tmp_path / "undated.txt"
    src.write_text("Samsung, founded in 1938 in Daegu, launched a phone last year.\n", "utf-8")
    record = shipped_checker.check_path(src, date(2021, 6, 30)).as_dict()
    write_scan_html([record], tmp_path / "out", shipped_checker)
    page = (tmp_path / "out" / "articles" / page_name(str(src))).read_text("utf-8")
    assert "<dd>2021-06-30</dd>" in page
    assert "changed since the scan" not in page  # no sha256 in the record: nothing to compare
