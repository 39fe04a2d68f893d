"""Markdown report, for pasting into a ticket or a review."""

from __future__ import annotations

from ..records import Report
from .common import MARK, checked_verdicts, excerpt


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: Report) -> str:
    s = report.summary
    published = report.published.isoformat() if report.published else "unknown"
    lines = [f"## factcheck: `{_cell(report.source)}`", "",
             f"- published: {published}",
             f"- label: **{s.label}** (advertorial score {s.advertorial_score:.2f})",
             f"- claims: {s.claims} ({s.supported} supported, {s.contradicted} contradicted, "
             f"{s.unverifiable} unverifiable)",
             f"- promotions: {s.promotions}"]
    lines += [f"- note: {w}" for w in report.warnings]
    rows = checked_verdicts(report)
    if rows:
        lines += ["", "### Checked claims", "",
                  "| | claim | claimed | record | fact | source |", "|---|---|---|---|---|---|"]
        for text, v in rows:
            lines.append(f"| {MARK[v.status]} {v.status} | {_cell(excerpt(text, 80))} | {_cell(v.claimed)} "
                         f"| {_cell(v.expected or '')} | `{v.entity}.{v.attribute}` ({_cell(v.fact_file or '')}) "
                         f"| {_cell(v.source or '')} |")
        contradicted = [v for _, v in rows if v.status == "contradicted"]
        for v in contradicted:
            lines += ["", f"> **✘ {v.entity}.{v.attribute}**: {_cell(v.explanation)}"]
    if report.promotions:
        lines += ["", "### Promotions", ""]
        for i, p in enumerate(report.promotions, 1):
            rules = list(dict.fromkeys(sig.rule for sig in p.signals if sig.type == "rule"))
            scores = ", ".join(f"{sig.type} {sig.score:.2f}" for sig in p.signals if sig.type != "rule")
            lines += [f"{i}. **{_cell(p.product or 'unknown product')}**, score {p.score:.2f}, "
                      f"characters {p.start}-{p.end}", "",
                      f"   > {_cell(excerpt(p.text, 300))}", "",
                      f"   signals: {', '.join(f'`{r}`' for r in rules) or 'none'}"
                      + (f"; {scores}" if scores else ""), ""]
    return "\n".join(lines).rstrip() + "\n"
