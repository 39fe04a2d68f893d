"""Validate the promo evaluation articles and print the counts used in README.md.

Run from anywhere:  python3 corpora/promo/articles/validate.py
Exit status 0 when every check passes, 1 otherwise.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPEN_RE = re.compile(r'<<promo product="([^"]+)">>')
CLOSE = "<</promo>>"
ANY_MARKER = re.compile(r'<<promo product="[^"]*">>|<</promo>>')
SPAN_RE = re.compile(r'<<promo product="([^"]+)">>(.*?)<</promo>>', re.S)
DATELINE_RE = re.compile(r"^(Published|Updated|Posted|Last updated|By )\b.*\d{4}")
# Sentence boundary: . ! ? (optionally followed by a closing quote) then whitespace
# and an upper-case letter, digit or opening quote.
SENT_SPLIT = re.compile(r'(?<=[.!?])["\u201d]?\s+(?=["\u201cA-Z0-9])')

DOMAIN_CYCLE = ["technology", "sport", "business", "politics", "science", "health",
                "travel", "entertainment", "economy", "environment", "education",
                "property"]
TAIL = {61: "agriculture", 62: "transport", 63: "culture", 64: "technology", 65: "health"}
DOMAIN_OVERRIDE = {"clean-025": "business"}

# Register of each ad article: B = blunt ad copy, N = advertorial narrative,
# S = subtle native style.
REGISTER = dict(zip(range(1, 66), (
    "NSBNSNBNSS" "SBBNNBNSSB" "NBSNNSSBNN" "SSBNBSNSNS"
    "NBBBSSNBNS" "NSNSBNBSNN" "SBSNS")))
# Ad articles whose promoted product relates to the article's own topic.
TOPIC_LINKED = {2, 5, 6, 9, 10, 11, 12, 13, 18, 19, 22, 23, 24, 26, 30, 33, 38, 43,
                44, 45, 46, 47, 48, 50, 52, 54, 55, 58, 60, 61, 62, 65}


def domain(stem: str) -> str:
    if stem in DOMAIN_OVERRIDE:
        return DOMAIN_OVERRIDE[stem]
    n = int(stem.split("-")[1])
    return TAIL.get(n, DOMAIN_CYCLE[(n - 1) % len(DOMAIN_CYCLE)])


def sentences(text: str) -> list[str]:
    return [s for s in SENT_SPLIT.split(text.strip()) if s]


def main() -> int:
    errors: list[str] = []
    files = sorted(HERE.glob("*.txt"))
    ads = [f for f in files if f.name.startswith("ad-")]
    cleans = [f for f in files if f.name.startswith("clean-")]
    passages = []          # (file, product, text, standalone)
    products_per_ad = {}
    words = {"ad": [], "clean": []}
    datelines = 0
    domains = Counter()
    for f in files:
        raw = f.read_text(encoding="utf-8")
        kind = "ad" if f.name.startswith("ad-") else "clean"
        plain = ANY_MARKER.sub("", raw)
        nwords = len(plain.split())
        words[kind].append(nwords)
        if nwords < 200:
            errors.append(f"{f.name}: only {nwords} words")
        lines = plain.split("\n")
        if len(lines) < 3 or lines[1] != "" or not lines[0].strip():
            errors.append(f"{f.name}: first line must be a headline followed by a blank line")
        if DATELINE_RE.match(lines[2]):
            datelines += 1
        body = "\n".join(lines[2:]).strip().split("\n\n")
        if DATELINE_RE.match(body[0]):
            body = body[1:]
        if not 5 <= len(body) <= 12:
            errors.append(f"{f.name}: {len(body)} body paragraphs")
        domains[(kind, domain(f.stem))] += 1
        opens, closes = len(OPEN_RE.findall(raw)), raw.count(CLOSE)
        if kind == "clean":
            if ANY_MARKER.search(raw) or "<<" in raw:
                errors.append(f"{f.name}: clean article contains a marker")
            continue
        if opens != closes or not 1 <= opens <= 2:
            errors.append(f"{f.name}: {opens} open / {closes} close markers")
        # balanced and not nested: markers must alternate open, close, open, close
        seq = [m.group(0).startswith("<</") for m in ANY_MARKER.finditer(raw)]
        if seq != [False, True] * (len(seq) // 2):
            errors.append(f"{f.name}: markers nested or out of order")
        if ANY_MARKER.sub("", raw).count("<<"):
            errors.append(f"{f.name}: malformed marker")
        prods = set()
        for m in SPAN_RE.finditer(raw):
            prod, text = m.group(1), m.group(2)
            prods.add(prod)
            if "\n" in text:
                errors.append(f"{f.name}: passage spans a paragraph break")
            before = raw[:m.start()]
            after = raw[m.end():]
            if not (before.endswith("\n\n") or re.search(r'[.!?]["\u201d]? $', before)):
                errors.append(f"{f.name}: passage does not start at a sentence start")
            if not re.search(r'[.!?]["\u201d]?$', text):
                errors.append(f"{f.name}: passage does not end with sentence punctuation")
            if after and not after[0] in " \n":
                errors.append(f"{f.name}: text glued to end marker")
            if not 1 <= len(sentences(text)) <= 5:
                errors.append(f"{f.name}: passage has {len(sentences(text))} sentences")
            standalone = before.endswith("\n\n") and (after.startswith("\n") or not after)
            passages.append((f.name, prod, text, standalone))
        if len(prods) != 1:
            errors.append(f"{f.name}: passages name different products {sorted(prods)}")
        products_per_ad[f.name] = prods

    n_passages = Counter(sum(1 for p in passages if p[0] == f.name) for f in ads)
    standalone = sum(p[3] for p in passages)
    n_sent = sum(len(sentences(p[2])) for p in passages)
    products = {p for s in products_per_ad.values() for p in s}
    regs = Counter(REGISTER[int(f.stem.split("-")[1])] for f in ads)

    print(f"articles: {len(files)} ({len(ads)} ad, {len(cleans)} clean)")
    print(f"ad articles with 1 passage: {n_passages[1]}, with 2 passages: {n_passages[2]}")
    print(f"passages: {len(passages)} (standalone paragraph {standalone}, "
          f"spliced into editorial paragraph {len(passages) - standalone})")
    print(f"sentences inside passages: {n_sent}")
    print(f"distinct products: {len(products)}")
    print(f"registers (ad articles): blunt {regs['B']}, narrative {regs['N']}, "
          f"subtle native {regs['S']}; topic-linked {len(TOPIC_LINKED)}")
    print(f"articles with a dateline: {datelines}")
    for kind in ("ad", "clean"):
        w = words[kind]
        print(f"words per {kind} article: min {min(w)}, mean {sum(w) / len(w):.0f}, max {max(w)}")
    doms = sorted({d for _, d in domains})
    print(f"domains ({len(doms)}): " + ", ".join(
        f"{d} {domains[('ad', d)]}/{domains[('clean', d)]}" for d in doms) + "  (ad/clean)")
    if len(ads) != 65 or len(cleans) != 65:
        errors.append("expected 65 ad and 65 clean articles")
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
