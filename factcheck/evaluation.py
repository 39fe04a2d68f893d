"""Scoring promotion passages against labelled spans (used by `train` and bench/).

Evaluation articles mark promotions inline:
    <<promo product="Liver Formula">>...<</promo>>
``load_marked`` strips the markers and returns the clean text with offsets.
A predicted passage matches a gold one when they share at least half of the
shorter of the two (in characters); precision, recall and F1 count passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_MARK = re.compile(r'<<promo product="([^"]*)">>|<</promo>>')


@dataclass(frozen=True)
class GoldArticle:
    name: str
    text: str
    spans: tuple[tuple[int, int, str], ...]  # start, end, product


def strip_markers(marked: str, name: str = "") -> GoldArticle:
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    open_at: tuple[int, str] | None = None
    for m in _MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        length += m.start() - pos
        pos = m.end()
        if m[1] is not None:
            if open_at is not None:
                raise ValueError(f"{name}: nested promo marker")
            open_at = (length, m[1])
        else:
            if open_at is None:
                raise ValueError(f"{name}: closing marker without an opening one")
            spans.append((open_at[0], length, open_at[1]))
            open_at = None
    if open_at is not None:
        raise ValueError(f"{name}: unclosed promo marker")
    out.append(marked[pos:])
    return GoldArticle(name, "".join(out), tuple(spans))


def load_marked(folder: Path) -> list[GoldArticle]:
    return [strip_markers(p.read_text("utf-8"), p.name) for p in sorted(Path(folder).glob("*.txt"))]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matches(pred: tuple[int, int], gold: tuple[int, int]) -> bool:
    shorter = min(pred[1] - pred[0], gold[1] - gold[0])
    return shorter > 0 and overlap(pred, gold) >= 0.5 * shorter


@dataclass
class PassageScores:
    tp_pred: int = 0  # predicted passages that match a gold passage
    n_pred: int = 0
    tp_gold: int = 0  # gold passages matched by a prediction
    n_gold: int = 0
    flagged_clean: int = 0  # articles without gold passages that got a prediction
    n_clean: int = 0
    flagged_ads: int = 0
    n_ads: int = 0

    def add(self, predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> None:
        self.n_pred += len(predicted)
        self.n_gold += len(gold)
        self.tp_pred += sum(any(matches(p, g) for g in gold) for p in predicted)
        self.tp_gold += sum(any(matches(p, g) for p in predicted) for g in gold)
        if gold:
            self.n_ads += 1
            self.flagged_ads += bool(predicted)
        else:
            self.n_clean += 1
            self.flagged_clean += bool(predicted)

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def clean_flag_rate(self) -> float:
        return self.flagged_clean / self.n_clean if self.n_clean else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"passage_precision": round(self.precision, 4), "passage_recall": round(self.recall, 4),
                "passage_f1": round(self.f1, 4), "clean_articles_flagged": round(self.clean_flag_rate, 4),
                "ad_articles_flagged": round(self.flagged_ads / self.n_ads, 4) if self.n_ads else 0.0,
                "articles": self.n_ads + self.n_clean, "clean_articles": self.n_clean,
                "gold_passages": self.n_gold}
