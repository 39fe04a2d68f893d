"""The terminal report (rich): highlighted text, then claims and promotions tables.

Colour only on a terminal and never with NO_COLOR set (rich honours both);
piped output is plain text with the same content.
"""

from __future__ import annotations

import io
import os
from typing import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..records import Report
from .common import MARK, checked_verdicts, excerpt, segments

STYLE = {"supported": "bold green", "contradicted": "bold red reverse", "unverifiable": "yellow"}
PROMO_STYLE = "on dark_orange3"


def _article_text(report: Report) -> Text:
    out = Text()
    for seg in segments(report):
        piece = report.text[seg.start:seg.end]
        style = ""
        if seg.promotion is not None:
            style = PROMO_STYLE
        if seg.verdict:
            style = (style + " " + STYLE[seg.verdict]).strip()
            out.append(piece, style=style)
            out.append(f"[{MARK[seg.verdict]}]", style=STYLE[seg.verdict])
            continue
        out.append(piece, style=style or None)
    return out


def render_one(console: Console, report: Report, show_text: bool = True) -> None:
    s = report.summary
    published = report.published.isoformat() if report.published else "unknown"
    label = Text(s.label.upper(), style="bold red" if s.label == "advertorial" else "bold green")
    head = Text.assemble((report.source, "bold"), f"  published {published}  ", label,
                         f" (advertorial score {s.advertorial_score:.2f})")
    console.print(head)
    console.print(f"claims {s.claims}: {MARK['supported']} {s.supported} supported, "
                  f"{MARK['contradicted']} {s.contradicted} contradicted, "
                  f"{MARK['unverifiable']} {s.unverifiable} unverifiable; promotions {s.promotions}")
    for w in report.warnings:
        console.print(f"note: {w}", style="dim")
    if show_text:
        console.print()
        console.print(_article_text(report))
    rows = checked_verdicts(report)
    if rows:
        table = Table(title="Checked claims", show_lines=False, expand=False)
        for col in ("", "claim", "claimed", "record", "fact / source"):
            table.add_column(col, overflow="fold")
        for text, v in rows:
            table.add_row(Text(MARK[v.status], style=STYLE[v.status]), excerpt(text, 60),
                          v.claimed, v.expected or "", f"{v.entity}.{v.attribute}\n{v.source}")
        console.print(table)
    if report.promotions:
        table = Table(title="Promotions", expand=False)
        for col in ("chars", "product", "score", "signals"):
            table.add_column(col, overflow="fold")
        for p in report.promotions:
            rules = [sig.rule for sig in p.signals if sig.type == "rule"]
            others = [f"{sig.type} {sig.score:.2f}" for sig in p.signals if sig.type != "rule"]
            top = ", ".join(dict.fromkeys(rules[:6])) + ("; " if rules else "") + ", ".join(others)
            table.add_row(f"{p.start}-{p.end}", p.product or "?", f"{p.score:.2f}", top)
        console.print(table)


def render_text(reports: Sequence[Report], *, color: bool | None = None,
                width: int | None = None) -> str:
    buf = io.StringIO()
    no_color = bool(os.environ.get("NO_COLOR")) or color is False
    console = Console(file=buf, force_terminal=bool(color) and not no_color, no_color=no_color,
                      width=width or 100, highlight=False, soft_wrap=False)
    for i, report in enumerate(reports):
        if i:
            console.rule()
        render_one(console, report)
    return buf.getvalue()
