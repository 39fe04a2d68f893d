"""Renderers: plain records in, text out. They never see spaCy objects."""

from __future__ import annotations

import json
from enum import Enum
from typing import Sequence

from ..records import Report

# A file name that is not valid UTF-8 reaches Python as lone surrogates (PEP 383).
# Writers use this handler so a report on it keeps the name's own bytes, as `ls`
# prints them, where strict UTF-8 would fail on the whole report.
UNDECODABLE = "surrogateescape"


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    html = "html"
    claimreview = "claimreview"


def to_json(reports: Sequence[Report], *, many: bool | None = None) -> str:
    many = len(reports) != 1 if many is None else many
    body = [r.as_dict() for r in reports] if many else reports[0].as_dict()
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def to_jsonl_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def render(reports: Sequence[Report], fmt: Format, *, color: bool | None = None,
           width: int | None = None, many: bool | None = None) -> str:
    """``many``: the user named several articles (JSON is then an array, even if some failed)."""
    if fmt is Format.json:
        return to_json(reports, many=many)
    if fmt is Format.jsonl:
        return "".join(to_jsonl_line(r.as_dict()) for r in reports)
    if fmt is Format.markdown:
        from .markdown import render_markdown

        return "\n".join(render_markdown(r) for r in reports)
    if fmt is Format.html:
        from .html import render_html

        return render_html(reports)
    if fmt is Format.claimreview:
        from .claimreview import render_claimreview

        return render_claimreview(reports)
    from .text import render_text

    return render_text(reports, color=color, width=width)
