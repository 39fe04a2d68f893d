"""Helpers shared by the renderers: verdict marks, excerpts, text segments."""

from __future__ import annotations

from dataclasses import dataclass

from ..claims import claim_status
from ..records import CONTRADICTED, SUPPORTED, Report, Verdict

MARK = {"supported": "✔", "contradicted": "✘", "unverifiable": "?"}


def excerpt(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def checked_verdicts(report: Report) -> list[tuple[str, Verdict]]:
    """(claim text, verdict) for verdicts that compared with a fact, contradicted first."""
    rows = [(c.text, v) for c in report.claims for v in c.verdicts if v.expected is not None]
    order = {CONTRADICTED: 0, SUPPORTED: 1}
    return sorted(rows, key=lambda r: (order.get(r[1].status, 2), r[1].quantity_start))


def status_of_claims(report: Report) -> list[str]:
    return [claim_status(c) for c in report.claims]


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    promotion: int | None  # index into report.promotions
    verdict: str | None  # status of the quantity at this segment, if any
    title: str | None = None


def segments(report: Report) -> list[Segment]:
    """Cut the text at promotion and checked-quantity boundaries, for highlighting."""
    text = report.text
    marks: dict[int, tuple[str, str]] = {}  # quantity start -> (status, title)
    ends: dict[int, int] = {}
    for claim in report.claims:
        for q in claim.quantities:
            vs = [v for v in claim.verdicts if v.quantity_start == q.start and v.expected is not None]
            if vs:
                v = vs[0]
                marks[q.start] = (v.status, f"{v.status}: claimed {v.claimed}, record {v.expected}"
                                            f" ({v.source})")
                ends[q.start] = q.end
    cuts = {0, len(text)}
    for p in report.promotions:
        cuts.update((p.start, p.end))
    for s, e in ends.items():
        cuts.update((s, e))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in zip(points, points[1:]):
        promo = next((i for i, p in enumerate(report.promotions) if p.start <= a < p.end), None)
        q = next(((s, marks[s]) for s in marks if s <= a < ends[s]), None)
        out.append(Segment(a, b, promo, q[1][0] if q else None, q[1][1] if q else None))
    return out
