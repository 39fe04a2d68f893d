"""schema.org ClaimReview JSON-LD: one object per supported or contradicted verdict.

https://schema.org/ClaimReview. Unverifiable verdicts are left out (there is
nothing to rate). A review has no web page of its own, so there is no ``url``;
the evidence goes into ``reviewBody`` and, when the fact's source is an http(s)
URL, into ``isBasedOn``. Objects follow the reports' order, then the text order
of the claims and their verdicts: the output is deterministic.
"""

from __future__ import annotations

import json
import re
from typing import Any, Sequence

from ..records import CONTRADICTED, SUPPORTED, Claim, Report, Verdict

CONTEXT = "https://schema.org"
AUTHOR = {"@type": "Organization", "name": "factcheck"}
RATINGS = {SUPPORTED: (5, "Supported"), CONTRADICTED: (1, "Contradicted")}
BEST, WORST = 5, 1

_URL = re.compile(r"(?i)https?://\S+$")


def _is_url(value: str | None) -> bool:
    return bool(value and _URL.match(value.strip()))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _appearance(source: str) -> dict[str, str]:
    key = "url" if _is_url(source) else "name"
    return {"@type": "CreativeWork", key: source.strip() if key == "url" else source}


def _review_body(v: Verdict) -> str:
    record = f"{v.entity}.{v.attribute} is {v.expected}"
    if v.qualifier:
        record += f" ({v.qualifier})"
    parts = [f"{RATINGS[v.status][1]}: the article says {v.claimed}; the record {record}."]
    if v.explanation:
        parts.append(_one_line(v.explanation))
    evidence = [e for e in (v.fact_file and f"fact file {v.fact_file}",
                            v.source and f"source {v.source}") if e]
    if evidence:
        parts.append("Evidence: " + "; ".join(evidence) + ".")
    return " ".join(parts)


def claim_review(report: Report, claim: Claim, v: Verdict) -> dict[str, Any]:
    value, name = RATINGS[v.status]
    published = report.published.isoformat() if report.published else None
    item: dict[str, Any] = {"@type": "Claim"}
    if published:
        item["datePublished"] = published
    item["appearance"] = _appearance(report.source)
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": _one_line(claim.text),
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": BEST,
                         "worstRating": WORST, "alternateName": name},
        "author": dict(AUTHOR),
    }
    if published:
        out["datePublished"] = published
    out["reviewBody"] = _review_body(v)
    if _is_url(v.source):
        out["isBasedOn"] = {"@type": "CreativeWork", "url": v.source.strip()}
    return out


def claim_reviews(reports: Sequence[Report]) -> list[dict[str, Any]]:
    return [claim_review(r, c, v)
            for r in reports
            for c in sorted(r.claims, key=lambda c: (c.start, c.end))
            for v in sorted(c.verdicts, key=lambda v: v.quantity_start)
            if v.status in RATINGS]


def render_claimreview(reports: Sequence[Report]) -> str:
    """A JSON array of ClaimReview objects (JSON-LD), indent 2, UTF-8 kept."""
    return json.dumps(claim_reviews(reports), ensure_ascii=False, indent=2) + "\n"
