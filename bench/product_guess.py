"""How often a flagged passage names the right product when no watched product
(a rule file's ``products``) is in it, so ``factcheck.product_guess`` chose it.

  own    the project's held-out ad articles (corpora/promo/articles): each gold
         passage that a flagged passage overlaps, against its marked product
  webis  Webis native-ad responses labelled as ads (../shared/data, skipped when
         absent) that factcheck flags, against the labelled advertised brand

A guess is right when one of the passage's products and the gold name match
after case and accent folding (rapidfuzz partial_ratio >= 85: "Mercedes-Benz
E63 AMG" for "Mercedes-Benz" counts; "Hermès" for "Hermes" counts), none when
the passage has no product, wrong otherwise.

Usage: python bench/product_guess.py [--show-misses]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import promo_eval  # noqa: E402  (its Webis loaders; bench/ is this script's folder)
from rapidfuzz import fuzz  # noqa: E402

from factcheck.check import Checker, Options  # noqa: E402
from factcheck.evaluation import load_marked, overlap  # noqa: E402

WEBIS = promo_eval.SHARED / "webis-dev"


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def same(guess: str, gold: str) -> bool:
    a, b = fold(guess), fold(gold)
    return min(len(a), len(b)) >= 3 and fuzz.partial_ratio(a, b) >= 85


def own_pairs(checker: Checker) -> list[tuple[str, list[str]]]:
    pairs = []
    for article in load_marked(ROOT / "corpora" / "promo" / "articles"):
        report = checker.check_text(article.text, article.name)
        for start, end, gold in article.spans:
            found = [p for p in report.promotions if overlap((p.start, p.end), (start, end)) > 0]
            if found:
                pairs.append((gold, [p.product for p in found if p.product]))
    return pairs


def webis_pairs(checker: Checker) -> list[tuple[str, list[str]]]:
    advertised = {i: row["advertisement"] for i, row in promo_eval.webis_labels().items()}
    pairs = []
    for response_id, text, label, _span in promo_eval.webis(None):
        if label == 1:
            report = checker.check_text(text, response_id)
            if report.promotions:
                pairs.append((advertised[response_id],
                              [p.product for p in report.promotions if p.product]))
    return pairs


def tally(name: str, pairs: list[tuple[str, list[str]]], show: bool) -> None:
    n = len(pairs)
    right = sum(any(same(p, gold) for p in found) for gold, found in pairs)
    none = sum(not found for _, found in pairs)
    wrong = n - right - none
    print(f"| {name} | {n} | {right / n:.1%} | {none / n:.1%} | {wrong / n:.1%} |")
    if show:
        for gold, found in pairs:
            if not any(same(p, gold) for p in found):
                print(f"    gold {gold!r}: {found or 'none'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    checker = Checker(Options())
    print("| set | flagged passages | right | none | wrong |")
    print("|---|---|---|---|---|")
    tally("own held-out ad articles", own_pairs(checker), args.show_misses)
    if WEBIS.is_dir():
        tally("Webis ad responses (dev)", webis_pairs(checker), args.show_misses)
    else:
        print(f"(Webis skipped: {WEBIS} not found; development data is not part of a checkout)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
