"""`factcheck rules stats`: each rule's hit rate on promotional and editorial sentences.

After SpamAssassin's mass-check: a rule that fires as often on editorial text
as on promotions adds noise, whatever its examples say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .pipeline import build_nlp, run
from .rules import load_rules
from .train import read_corpus


@dataclass(frozen=True)
class RuleStat:
    rule: str
    category: str
    promo_hits: int
    editorial_hits: int
    promo_total: int
    editorial_total: int

    @property
    def promo_rate(self) -> float:
        return self.promo_hits / self.promo_total if self.promo_total else 0.0

    @property
    def editorial_rate(self) -> float:
        return self.editorial_hits / self.editorial_total if self.editorial_total else 0.0

    @property
    def precision(self) -> float:
        hits = self.promo_hits + self.editorial_hits
        return self.promo_hits / hits if hits else 0.0


def rule_stats(rule_paths: Sequence[Path], corpus: Path) -> list[RuleStat]:
    base = build_nlp()
    ruleset = load_rules(rule_paths, defaults=False, nlp=base)
    nlp = build_nlp(rules=ruleset)
    sentences, _ = read_corpus(corpus)
    n_promo = sum(s.label for s in sentences)
    n_edit = len(sentences) - n_promo
    promo, edit = {}, {}
    for s in sentences:
        fired = {h.rule for h in run(nlp, s.text)._.rule_hits}
        target = promo if s.label else edit
        for r in fired:
            target[r] = target.get(r, 0) + 1
    categories = {r.id: r.category for r in ruleset.rules}
    categories.update({"product." + p.id: "product_mention" for p in ruleset.products})
    rows = [RuleStat(r, categories.get(r, "?"), promo.get(r, 0), edit.get(r, 0), n_promo, n_edit)
            for r in sorted(set(categories) | set(promo) | set(edit))]
    return sorted(rows, key=lambda r: (-r.precision, -r.promo_hits, r.rule))


def stats_table(rows: list[RuleStat]) -> str:
    lines = [f"{'rule':40} {'category':17} {'promo':>7} {'editorial':>9} {'precision':>9}"]
    for r in rows:
        lines.append(f"{r.rule:40} {r.category:17} {r.promo_rate:7.1%} {r.editorial_rate:9.1%} "
                     f"{r.precision:9.2f}")
    silent = sum(1 for r in rows if not r.promo_hits and not r.editorial_hits)
    lines.append(f"{len(rows)} rules; {silent} never fired on this corpus")
    return "\n".join(lines) + "\n"
