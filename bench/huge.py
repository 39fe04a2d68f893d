"""Huge single articles: seconds and peak memory of `factcheck FILE --format json`.

The inputs are built from the project's own text (no ../shared needed), the
same way every run, so the rows of docs/bad-inputs.md can be measured again:

  news N MB      the 800 corpora/scan-bench articles joined by blank lines,
                 repeated and cut at N MB: one article of thousands of
                 paragraphs (0.5, 1, 2 and 5 MB, to show time and memory grow
                 in proportion to the size)
  ad copy        the promotional training sentences (corpora/promo/sentences/
                 promo-*.jsonl) joined by spaces to 5.9 MB: one paragraph, a
                 rule hit every few words, one passage
  one line       the news text with every line break a space, 10 MB
  digits         a 1 MB "word" of base64-like letters and digits inside a sentence

Each runs the real command in a fresh process (start-up included, ~1 s); the
seconds are wall time, the memory the process's peak resident set size.

Usage: python bench/huge.py [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan import measure  # noqa: E402  (bench/scan.py: a command's own peak memory)
MB = 1_000_000


def news(size: int) -> str:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpora" / "scan-bench").rglob("*.txt"))]
    text = "\n\n".join(texts)
    while len(text) < size:
        text += "\n\n" + text
    return text[:size]


def ad_copy(size: int) -> str:
    sentences = []
    for path in sorted((ROOT / "corpora" / "promo" / "sentences").glob("promo*.jsonl")):
        sentences += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()
                      if line.strip()]
    out, n = [], 0
    while n < size:
        out.append(sentences[len(out) % len(sentences)])
        n += len(out[-1]) + 1
    return " ".join(out)


def digits(size: int) -> str:
    rng = random.Random(0)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    blob = "".join(rng.choice(alphabet) for _ in range(size))
    return f"The attachment was pasted inline: {blob} and the story went on.\n"


INPUTS = {
    "news 0.5 MB": lambda: news(MB // 2),
    "news 1 MB": lambda: news(MB),
    "news 2 MB": lambda: news(2 * MB),
    "news 5 MB": lambda: news(5 * MB),
    "ad copy 5.9 MB": lambda: ad_copy(5_900_000),
    "one line 10 MB": lambda: news(10 * MB).replace("\n", " "),
    "digits 1 MB": lambda: digits(MB),
}


def run(path: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit status of `factcheck PATH --format json`."""
    wall, rss, code, _ = measure([sys.executable, "-m", "factcheck", str(path), "--format", "json"])
    return wall, rss, code


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="run the inputs whose name contains this")
    args = ap.parse_args()
    print("| input | characters | seconds | seconds per MB | peak RSS | exit |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in INPUTS.items():
            if args.only and args.only not in name:
                continue
            text = build()
            path = Path(tmp) / "article.txt"
            path.write_text(text, "utf-8")
            secs, rss, code = run(path)
            print(f"| {name} | {len(text):,} | {secs:.1f} | {secs / (len(text) / MB):.1f} | "
                  f"{rss:,.0f} MB | {code} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
