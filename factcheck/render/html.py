"""Self-contained HTML reports: one file, inline CSS and JS, no external assets.

* ``render_html(reports)``: one document; per article a summary header, the
  article text with promotion passages as ``<mark class="promo">`` and each
  checked quantity as a badge linking to its evidence (``#ev-N``), then the
  evidence list and the promotion cards.
* ``write_scan_html(records, out_dir, checker)``: ``out_dir/index.html`` (a
  sortable table of the scan) plus one page per article under ``articles/``.

Safety: every piece of article-derived text (text, source, products, signal
text, claimed values, explanations, fact sources) goes through ``html.escape``;
a source becomes an ``href`` only when it starts with http:// or https://.
Article text never enters a ``<script>``. As a second layer, a Content Security
Policy allows no network access and only the report's own script (by hash).

Output is deterministic: no timestamps, everything in text or input order.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from ..records import Claim, Promotion, Report, Signal, Verdict
from .common import MARK, checked_verdicts, excerpt, segments

__all__ = ["render_html", "write_scan_html", "page_name"]


def esc(value: object) -> str:
    """Escape for text and for quoted attribute values alike."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL (usable as an href), else None."""
    if not value:
        return None
    v = str(value).strip()
    if re.match(r"(?i)https?://[^\s]+$", v):
        return v
    return None


def _link_or_text(value: str | None, label: str | None = None) -> str:
    url = safe_url(value)
    if url:
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(label or url)}</a>'
    return esc(value or "")


def _score(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


# --- the page frame ----------------------------------------------------------

CSS = """
:root{--fg:#1d1d1f;--muted:#5f6368;--bg:#fff;--panel:#f6f7f9;--line:#dadce0;
--ok:#137333;--ok-bg:#e6f4ea;--bad:#b3261e;--bad-bg:#fce8e6;--promo:#ffe08a;--promo-line:#e37400}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:var(--fg);background:var(--bg)}
main{max-width:72rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}
h1{font-size:1.35rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:0 0 .25rem;word-break:break-all}
h3{font-size:1rem;margin:1.75rem 0 .5rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
a{color:#1a56c4}
nav.back{margin-bottom:1rem}
section.report{border-top:3px solid var(--line);padding-top:1.25rem;margin-top:1.5rem}
section.report:first-of-type{border-top:0;margin-top:0;padding-top:0}
.summary{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.9rem 1rem}
.summary dl{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:.5rem 0 0}
.summary dl div{display:flex;gap:.4rem}
.summary dt{color:var(--muted)}
.summary dd{margin:0;font-weight:600}
.label{display:inline-block;border-radius:999px;padding:0 .6rem;font-weight:700;font-size:.85rem;
text-transform:uppercase;letter-spacing:.03em}
.label-advertorial{background:var(--bad-bg);color:var(--bad)}
.label-clean{background:var(--ok-bg);color:var(--ok)}
.note{color:var(--muted);font-size:.9rem;margin:.4rem 0 0}
.warn{background:#fef7e0;border:1px solid #f9ab00;border-radius:6px;padding:.5rem .75rem}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;font-size:.9rem;color:var(--muted);margin:1rem 0 .5rem}
.legend span{display:inline-flex;align-items:center;gap:.35rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"Times New Roman",serif;
font-size:1.05rem;line-height:1.7;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem}
mark.promo,mark.promo-sample{background:var(--promo);color:inherit;border-bottom:2px solid var(--promo-line);
cursor:pointer;border-radius:2px}
mark.promo:hover,mark.promo:focus,mark.promo.active{background:#ffc94d;outline:2px solid var(--promo-line)}
a.q{color:inherit;text-decoration:none;border-bottom:2px solid;border-radius:2px}
a.q.supported{border-color:var(--ok);background:var(--ok-bg)}
a.q.contradicted{border-color:var(--bad);background:var(--bad-bg)}
a.q:hover,a.q:focus{outline:2px solid currentColor}
.badge{display:inline-block;font:700 .72rem/1.3 system-ui,sans-serif;border-radius:4px;
padding:0 .3rem;margin-left:.15rem;vertical-align:.15em;white-space:nowrap}
.badge.supported{background:var(--ok);color:#fff}
.badge.contradicted{background:var(--bad);color:#fff}
.badge.unverifiable{background:#80868b;color:#fff}
ol.evidence,ol.promos{padding-left:1.5rem}
ol.evidence li,ol.promos li{margin:.5rem 0;padding:.5rem .75rem;border:1px solid var(--line);border-radius:6px}
ol.evidence li:target{outline:3px solid #1a56c4}
ol.evidence li.contradicted{border-left:5px solid var(--bad)}
ol.evidence li.supported{border-left:5px solid var(--ok)}
.claim{font-style:italic;color:var(--muted)}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.35rem 0 0;font-size:.92rem}
.kv dt{color:var(--muted)}
.kv dd{margin:0;overflow-wrap:anywhere}
code{font-size:.88em;background:var(--panel);padding:0 .2rem;border-radius:3px}
.promo-card{border-left:5px solid var(--promo-line)}
.promo-card blockquote{margin:.4rem 0;padding-left:.75rem;border-left:3px solid var(--line);color:var(--muted)}
.signals{margin:.3rem 0 0;padding-left:1.1rem;font-size:.9rem}
#fc-popover{position:absolute;z-index:10;max-width:32rem;background:#fff;border:1px solid var(--line);
border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.18);padding:.75rem 1rem;font-size:.92rem}
#fc-popover .promo-card{border:0;padding:0;margin:0}
details{margin-top:1rem}
summary{cursor:pointer;color:var(--muted)}
table.scan{border-collapse:collapse;width:100%;font-size:.93rem}
table.scan th,table.scan td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
table.scan td.num,table.scan th.num{text-align:right}
table.scan th button{all:unset;cursor:pointer;font-weight:700}
table.scan th button::after{content:" \\2195";color:var(--muted)}
table.scan th[aria-sort=ascending] button::after{content:" \\2191"}
table.scan th[aria-sort=descending] button::after{content:" \\2193"}
table.scan tr.error td{color:var(--bad)}
table.scan td.src{overflow-wrap:anywhere;min-width:16rem}
table.scan th{white-space:nowrap}
@media print{mark.promo{outline:0}#fc-popover{display:none}}
"""

JS = """
(function () {
  "use strict";
  var pop = document.getElementById("fc-popover");
  var current = null;
  function hide() {
    if (!pop) { return; }
    pop.hidden = true;
    pop.replaceChildren();
    if (current) { current.classList.remove("active"); current.setAttribute("aria-expanded", "false"); }
    current = null;
  }
  function show(mark) {
    var card = document.getElementById(mark.getAttribute("data-card"));
    if (!pop || !card) { return; }
    hide();
    var copy = card.cloneNode(true);
    copy.removeAttribute("id");
    pop.appendChild(copy);
    pop.hidden = false;
    var r = mark.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
    pop.style.left = Math.max(8, Math.min(window.scrollX + r.left,
      window.scrollX + width - pop.offsetWidth - 8)) + "px";
    current = mark;
    mark.classList.add("active");
    mark.setAttribute("aria-expanded", "true");
  }
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) { return; }
    var mark = t.closest("mark.promo");
    if (mark && !t.closest("a")) {
      if (mark === current) { hide(); } else { show(mark); }
      return;
    }
    if (!t.closest("#fc-popover")) { hide(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hide(); return; }
    var t = e.target;
    if ((e.key === "Enter" || e.key === " ") && t instanceof Element && t.matches("mark.promo")) {
      e.preventDefault();
      if (t === current) { hide(); } else { show(t); }
    }
  });
  function key(td, type) {
    var v = td ? td.getAttribute("data-sort") : "";
    if (type === "num") { return v === "" || v === null ? null : parseFloat(v); }
    return (v || "").toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var type = th.getAttribute("data-type") || "text";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
        rows.sort(function (a, b) {
          var x = key(a.cells[col], type), y = key(b.cells[col], type);
          if (x === null && y === null) { return 0; }
          if (x === null) { return 1; }
          if (y === null) { return -1; }
          if (x < y) { return -dir; }
          if (x > y) { return dir; }
          return parseInt(a.getAttribute("data-order"), 10) - parseInt(b.getAttribute("data-order"), 10);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.body.setAttribute("data-js", "ready");
}());
"""

_JS_HASH = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode("ascii")
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       f"script-src 'sha256-{_JS_HASH}'; base-uri 'none'; form-action 'none'")


def _document(title: str, body: str) -> str:
    doc = ("<!DOCTYPE html>\n"
           '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
           f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           '<meta name="referrer" content="no-referrer">\n'
           '<meta name="generator" content="factcheck">\n'
           f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
           f"{body}"
           "</main>\n"
           '<div id="fc-popover" role="dialog" aria-label="promotion details" hidden></div>\n'
           f"<script>{JS}</script>\n</body>\n</html>\n")
    # Lone surrogates (undecodable file names) cannot be written as UTF-8.
    return doc.encode("utf-8", "replace").decode("utf-8")


# --- one report ----------------------------------------------------------------


class _Ids:
    """Document-wide counters, so several reports in one file keep unique ids."""

    def __init__(self) -> None:
        self.ev = 0
        self.promo = 0
        self.report = 0


def _verdict_rows(report: Report) -> list[tuple[Claim, Verdict]]:
    """Checked verdicts with their claim, in ``checked_verdicts`` order."""
    owner = {id(v): c for c in report.claims for v in c.verdicts}
    return [(owner[id(v)], v) for _, v in checked_verdicts(report)]


def _quantity_targets(report: Report) -> dict[int, tuple[int, int, Verdict]]:
    """quantity start -> (start, end, verdict) for the verdict ``segments`` shows there."""
    out: dict[int, tuple[int, int, Verdict]] = {}
    for claim in report.claims:
        for q in claim.quantities:
            vs = [v for v in claim.verdicts if v.quantity_start == q.start and v.expected is not None]
            if vs:
                out[q.start] = (q.start, q.end, vs[0])
    return out


def _signal_line(sig: Signal) -> str:
    if sig.type == "rule":
        what = f"<code>{esc(sig.rule)}</code>"
        if sig.category:
            what += f" ({esc(sig.category)})"
        if sig.text:
            what += f": \u201c{esc(excerpt(sig.text, 80))}\u201d"
        return f"rule {what}"
    line = esc(sig.type)
    if sig.score is not None:
        line += f" {_score(sig.score)}"
    if sig.text:
        line += f": \u201c{esc(excerpt(sig.text, 80))}\u201d"
    return line


def _signal_summary(p: Promotion) -> str:
    rules = list(dict.fromkeys(s.rule for s in p.signals if s.type == "rule" and s.rule))
    others = [f"{s.type} {_score(s.score)}".strip() for s in p.signals if s.type != "rule"]
    return ", ".join(rules[:8] + (["\u2026"] if len(rules) > 8 else []) + others) or "none"


def _summary_html(report: Report, heading_id: str) -> str:
    s = report.summary
    published = report.published.isoformat() if report.published else "unknown"
    label = esc(s.label)
    parts = [f'<header class="summary">\n<h2 id="{heading_id}">{_link_or_text(report.source)}</h2>\n',
             f'<span class="label label-{label}">{label}</span>\n<dl>',
             f"<div><dt>published</dt><dd>{esc(published)}</dd></div>",
             f"<div><dt>advertorial score</dt><dd>{_score(s.advertorial_score)}</dd></div>",
             f"<div><dt>claims</dt><dd>{s.claims}</dd></div>",
             f'<div><dt>{MARK["supported"]} supported</dt><dd>{s.supported}</dd></div>',
             f'<div><dt>{MARK["contradicted"]} contradicted</dt><dd>{s.contradicted}</dd></div>',
             f'<div><dt>{MARK["unverifiable"]} unverifiable</dt><dd>{s.unverifiable}</dd></div>',
             f"<div><dt>promotions</dt><dd>{s.promotions}</dd></div>",
             "</dl>\n"]
    parts += [f'<p class="note">note: {esc(w)}</p>\n' for w in report.warnings]
    parts.append("</header>\n")
    return "".join(parts)


_LEGEND = ('<div class="legend" aria-label="legend">'
           '<span><mark class="promo-sample">promotion</mark> inserted promotion '
           "(hover or click for its score and signals)</span>"
           '<span><span class="badge supported">\u2714 supported</span> matches the facts</span>'
           '<span><span class="badge contradicted">\u2718 contradicted</span> differs from the facts</span>'
           "</div>\n")


def _text_html(report: Report, ev_of: dict[int, int], promo_ids: list[int]) -> str:
    text = report.text
    if not text:
        return '<p class="note">(the article text is not available)</p>\n'
    targets = _quantity_targets(report)
    out: list[str] = ['<div class="text">']
    open_promo: int | None = None
    opened: set[int] = set()
    for seg in segments(report):
        if seg.promotion != open_promo:
            if open_promo is not None:
                out.append("</mark>")
            open_promo = seg.promotion
            if open_promo is not None:
                p = report.promotions[open_promo]
                n = promo_ids[open_promo]
                first = open_promo not in opened
                opened.add(open_promo)
                title = (f"Promotion {n}: {p.product or 'unknown product'}, score {_score(p.score)}; "
                         f"signals: {_signal_summary(p)}")
                anchor = f' id="promo-{n}"' if first else ""
                out.append(f'<mark class="promo"{anchor} '
                           f'data-promo="{n}" data-card="promo-card-{n}" data-score="{_score(p.score)}" '
                           f'data-product="{esc(p.product or "")}" title="{esc(title)}" tabindex="0" '
                           f'role="button" aria-expanded="false">')
        piece = esc(text[seg.start:seg.end])
        q = next((t for s, t in targets.items() if s <= seg.start < t[1]), None)
        if q is None or seg.verdict is None:
            out.append(piece)
            continue
        qs, qe, v = q
        n = ev_of[id(v)]
        status = esc(v.status)
        anchor = f' id="q-{n}"' if seg.start == qs else ""
        title = f"{v.status}: claimed {v.claimed}, record {v.expected}"
        out.append(f'<a class="q {status}"{anchor} href="#ev-{n}" data-status="{status}" '
                   f'title="{esc(title)}">{piece}')
        if seg.end >= qe:
            out.append(f'<span class="badge {status}">{MARK.get(v.status, "?")} {status}</span>')
        out.append("</a>")
    if open_promo is not None:
        out.append("</mark>")
    out.append("</div>\n")
    return "".join(out)


def _evidence_html(rows: list[tuple[Claim, Verdict]], ev_of: dict[int, int],
                   linked: set[int]) -> str:
    if not rows:
        return ""
    out = ["<h3>Evidence</h3>\n<ol class=\"evidence\">\n"]
    for claim, v in rows:
        n = ev_of[id(v)]
        status = esc(v.status)
        record = esc(v.expected or "")
        if v.qualifier:
            record += f" <span class=\"note\">({esc(v.qualifier)})</span>"
        back = f' <a href="#q-{n}" class="back" aria-label="back to the text">\u2191 text</a>' if n in linked else ""
        out.append(
            f'<li id="ev-{n}" class="{status}" value="{n}">'
            f'<span class="badge {status}">{MARK.get(v.status, "?")} {status}</span>{back}\n'
            f'<div class="claim">{esc(excerpt(claim.text, 240))}</div>\n<dl class="kv">'
            f"<dt>claimed</dt><dd>{esc(v.claimed)}</dd>"
            f"<dt>expected</dt><dd>{record}</dd>"
            f"<dt>fact</dt><dd><code>{esc(v.entity)}.{esc(v.attribute)}</code></dd>"
            f"<dt>fact file</dt><dd><code>{esc(v.fact_file or 'unknown')}</code></dd>"
            f"<dt>source</dt><dd>{_link_or_text(v.source) or 'none'}</dd>"
            f"<dt>why</dt><dd>{esc(v.explanation)}</dd>"
            "</dl></li>\n")
    out.append("</ol>\n")
    return "".join(out)


def _promotions_html(report: Report, promo_ids: list[int]) -> str:
    if not report.promotions:
        return ""
    out = ["<h3>Promotions</h3>\n<ol class=\"promos\">\n"]
    for p, n in zip(report.promotions, promo_ids):
        signals = "".join(f"<li>{_signal_line(s)}</li>" for s in p.signals)
        out.append(
            f'<li value="{n}"><div class="promo-card" id="promo-card-{n}">'
            f"<strong>{esc(p.product or 'unknown product')}</strong> "
            f'score <strong>{_score(p.score)}</strong>, characters {p.start}\u2013{p.end} '
            f'<a href="#promo-{n}">show in text</a>\n'
            f"<blockquote>{esc(excerpt(p.text, 400))}</blockquote>\n"
            f'<div>signals:</div><ul class="signals">{signals or "<li>none</li>"}</ul>'
            "</div></li>\n")
    out.append("</ol>\n")
    return "".join(out)


def _unchecked_html(report: Report) -> str:
    rows = [(c, v) for c in report.claims for v in c.verdicts if v.expected is None]
    if not rows:
        return ""
    out = [f"<details><summary>{len(rows)} quantit{'y' if len(rows) == 1 else 'ies'} "
           "with no matching fact (unverifiable)</summary>\n<ul>\n"]
    for claim, v in sorted(rows, key=lambda r: r[1].quantity_start):
        out.append(f'<li><span class="badge unverifiable">{MARK["unverifiable"]} unverifiable</span> '
                   f"<strong>{esc(v.claimed)}</strong>: {esc(v.explanation)} "
                   f'<span class="claim">{esc(excerpt(claim.text, 160))}</span></li>\n')
    out.append("</ul></details>\n")
    return "".join(out)


def _report_html(report: Report, ids: _Ids) -> str:
    ids.report += 1
    rows = _verdict_rows(report)
    ev_of: dict[int, int] = {}
    for _, v in rows:
        ids.ev += 1
        ev_of[id(v)] = ids.ev
    promo_ids = []
    for _ in report.promotions:
        ids.promo += 1
        promo_ids.append(ids.promo)
    linked = {ev_of[id(v)] for _, _, v in _quantity_targets(report).values() if id(v) in ev_of}
    return (f'<section class="report" id="report-{ids.report}" '
            f'aria-labelledby="report-{ids.report}-title">\n'
            + _summary_html(report, f"report-{ids.report}-title")
            + _LEGEND
            + _text_html(report, ev_of, promo_ids)
            + _evidence_html(rows, ev_of, linked)
            + _promotions_html(report, promo_ids)
            + _unchecked_html(report)
            + "</section>\n")


def _reports_body(reports: Sequence[Report]) -> str:
    ids = _Ids()
    body = ["<h1>factcheck report</h1>\n"]
    if len(reports) > 1:
        body.append('<nav class="toc"><ol>')
        for i, r in enumerate(reports, 1):
            body.append(f'<li><a href="#report-{i}">{esc(r.source)}</a> '
                        f'<span class="label label-{esc(r.summary.label)}">{esc(r.summary.label)}</span></li>')
        body.append("</ol></nav>\n")
    body += [_report_html(r, ids) for r in reports]
    return "".join(body)


def render_html(reports: Sequence[Report]) -> str:
    """One self-contained HTML document for ``reports``."""
    reports = list(reports)
    title = "factcheck: " + (reports[0].source if len(reports) == 1 else f"{len(reports)} articles")
    return _document(title, _reports_body(reports))


# --- scan output -----------------------------------------------------------------

PAGES_DIR = "articles"


def page_name(source: str) -> str:
    """A stable, filesystem-safe page name: a slug of the path plus a short hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", source.lower()).strip("-")
    slug = slug[-60:].strip("-") or "article"
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug}-{digest}.html"


def _products(record: dict) -> list[str]:
    return sorted({p["product"] for p in record.get("promotions", []) if p.get("product")})


def _recheck(record: dict, checker) -> tuple[Report | None, str | None, bool]:
    """The full Report for a scan record (records hold no text): (report, error, changed).

    ``read_article`` in two steps (read_bytes, article_from_bytes), so that the
    content hash can be compared with the record's: ``changed`` is True when the
    file is no longer the one that was scanned.
    """
    from ..errors import FactcheckError
    from ..reader import article_from_bytes, read_bytes

    source = record["source"]
    try:
        raw = read_bytes(source, checker.options.max_bytes)
        changed = bool(record.get("sha256")) and hashlib.sha256(raw).hexdigest() != record["sha256"]
        report = checker.check(article_from_bytes(raw, source))
        wanted = record.get("published")
        if wanted and (report.published is None or report.published.isoformat() != wanted):
            # The scan was given --published: check with the same date.
            report = checker.check(article_from_bytes(raw, source, date.fromisoformat(wanted)))
    except FactcheckError as exc:
        return None, exc.message, False
    except (RecursionError, ValueError) as exc:
        return None, f"cannot re-check: {exc}", False
    return report, None, changed


def _index_row(record: dict, href: str | None, note: str | None) -> str:
    source = record.get("source", "")
    src = f'<a href="{esc(href)}">{esc(source)}</a>' if href else esc(source)
    if "error" in record:
        err = record["error"]
        return (f'<tr class="error"><td class="src" data-sort="{esc(source)}">{src}</td>'
                '<td data-sort=""></td><td class="num" data-sort=""></td>'
                '<td class="num" data-sort=""></td><td data-sort=""></td>'
                f'<td data-sort="{esc(err)}">{esc(err)}</td></tr>\n')
    s = record["summary"]
    products = _products(record)
    label = esc(s["label"])
    err = note or ""
    return (f'<tr><td class="src" data-sort="{esc(source)}">{src}</td>'
            f'<td data-sort="{label}"><span class="label label-{label}">{label}</span></td>'
            f'<td class="num" data-sort="{float(s["advertorial_score"]):.3f}">'
            f'{_score(s["advertorial_score"])}</td>'
            f'<td class="num" data-sort="{int(s["contradicted"])}">{int(s["contradicted"])}</td>'
            f'<td data-sort="{esc("; ".join(products))}">{esc("; ".join(products))}</td>'
            f'<td data-sort="{esc(err)}">{esc(err)}</td></tr>\n')


def _index_html(rows: Iterable[str], counts: dict[str, int]) -> str:
    heads = [("source", "text", ""), ("label", "text", ""), ("advertorial score", "num", "num"),
             ("contradicted", "num", "num"), ("product(s)", "text", ""), ("error", "text", "")]
    head = "".join(f'<th scope="col" data-type="{t}" class="{c}"><button type="button">{esc(h)}</button></th>'
                   for h, t, c in heads)
    summary = ", ".join(f"{v} {k if v != 1 else k[:-1]}" for k, v in counts.items())
    body = ("<h1>factcheck scan</h1>\n"
            f'<p class="note">{esc(summary)}. Click a column header to sort; '
            "click a source for its full report.</p>\n"
            f'<table class="scan sortable">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
            + "".join(rows) + "</tbody>\n</table>\n")
    return _document("factcheck scan", body)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)


def write_scan_html(records: list[dict], out_dir: Path, checker) -> None:
    """``out_dir/index.html`` (sortable table) and one page per readable article."""
    from ..errors import FactcheckError

    out_dir = Path(out_dir)
    pages = out_dir / PAGES_DIR
    try:
        pages.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FactcheckError(f"cannot write: {exc.strerror or exc}", path=str(out_dir)) from None
    rows: list[str] = []
    counts = {"articles": 0, "advertorials": 0, "contradicted claims": 0, "errors": 0}
    used: set[str] = set()
    for record in records:
        if "error" in record:
            counts["errors"] += 1
            rows.append(_index_row(record, None, None))
            continue
        counts["articles"] += 1
        counts["advertorials"] += record["summary"]["label"] == "advertorial"
        counts["contradicted claims"] += int(record["summary"]["contradicted"])
        report, problem, changed = _recheck(record, checker)
        if report is None:
            rows.append(_index_row(record, None, f"no page: {problem}"))
            continue
        name = page_name(record["source"])
        if name in used:  # the same source twice (e.g. given twice): one page is enough
            rows.append(_index_row(record, f"{PAGES_DIR}/{name}", None))
            continue
        used.add(name)
        banner = ""
        if changed:
            banner = ('<p class="warn">This file changed since the scan: the page shows its '
                      "current content, the index row the scanned one.</p>\n")
        body = ('<nav class="back"><a href="../index.html">\u2190 all articles</a></nav>\n'
                + banner + _reports_body([report]))
        try:
            _write(pages / name, _document(f"factcheck: {record['source']}", body))
        except OSError as exc:
            raise FactcheckError(f"cannot write: {exc.strerror or exc}", path=str(pages / name)) from None
        rows.append(_index_row(record, f"{PAGES_DIR}/{name}", None))
    try:
        _write(out_dir / "index.html", _index_html(rows, counts))
    except OSError as exc:
        raise FactcheckError(f"cannot write: {exc.strerror or exc}", path=str(out_dir / "index.html")) from None
