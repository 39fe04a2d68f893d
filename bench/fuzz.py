"""Time-bounded fuzzing of factcheck's input boundaries, driven by hypothesis.

Targets (default: all four; the time is shared equally):

  reader      ``reader.article_from_bytes`` on random bytes, BOM-prefixed junk and
              news text in assorted encodings, as .txt and .html: an Article
              (non-empty text) or ``InputError``, nothing else.
  quantities  ``quantities.extract_quantities`` on arbitrary Unicode and news-like
              text: never raises, every span is ``text[start:end] == q.text``.
  facts       ``yamlsafe.load_yaml`` and ``facts.lint_facts`` on random and mutated
              facts YAML (seeded with the shipped facts files): only ``DataError`` /
              ``Problems``, and every problem is one line naming the file.
  rules       the same for rule files (``rules.lint_rules``), seeded with the shipped
              rule packs.
  checker     (opt-in) the whole ``Checker.check_text``: never raises, spans hold.

Hypothesis generates and, on a failure, shrinks the input; each round uses a new
random seed until the target's time is up. Prints, per target, how many inputs it
tried and how many distinct failures it found, with the first failing input
(repr, truncated). Exit status 1 when anything failed.

    python bench/fuzz.py                      # 60 s over reader, quantities, facts, rules
    python bench/fuzz.py --seconds 600 --targets reader,checker --seed 7
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from factcheck.errors import DataError, InputError, Problems  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from strategies import news_text  # noqa: E402  (shared with tests/test_properties.py)

DEFAULT_TARGETS = ("reader", "quantities", "facts", "rules")
ROUND_EXAMPLES = 300
REPR_LIMIT = 300

# --- input strategies -------------------------------------------------------------------------

TEXT = st.one_of(st.text(max_size=400), news_text(max_parts=60))

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030",
             "big5", "shift_jis", "cp1252", "latin-1", "koi8-r", "cp437"]
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
HTML_WRAP = ["{}", "<html><body><p>{}</p></body></html>", "<!DOCTYPE html><title>{}</title>",
             "<script>{}</script>", "<style>{}</style><p>{}", "<!-- {} --><html>{}",
             "<p>{}<script>var x = '{}'</script>", "<html><head><title>{}</title></head></html>"]


@st.composite
def article_bytes(draw) -> tuple[bytes, str]:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        raw = draw(st.binary(max_size=2000))
    elif kind == 1:
        raw = draw(st.sampled_from(BOMS)) + draw(st.binary(max_size=500))
    else:
        text = draw(TEXT)
        if kind == 3:
            text = draw(st.sampled_from(HTML_WRAP)).replace("{}", text)
        raw = text.encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")
        if draw(st.booleans()):  # damage a few bytes
            data = bytearray(raw)
            for _ in range(draw(st.integers(1, 4))):
                if data:
                    data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
            raw = bytes(data)
    return raw, draw(st.sampled_from(["fuzz.txt", "fuzz.html", "-"]))


YAML_BITS = ["version: 1\n", "entities:\n", "rules:\n", "products:\n", "attributes:\n",
             "  - id: x\n", "    name: X\n", "    facts:\n", "      - attribute: price\n",
             "        value: 3999\n", "        unit: CNY\n", "    kind: regex\n",
             "    patterns: ['(a+)+$']\n", "    patterns: ['(\\w)\\1']\n", "- ", "  ", ": ",
             "&a ", "*a ", "!!python/object:os.system ", "!!python/object/apply:os.system ",
             "!!binary ", "!!set ", "!!omap ", "!!timestamp ", "!!float ", "? ", "[", "]", "{",
             "}", ",", "'", '"', "|\n", ">\n", "#", "---\n", "...\n", "%YAML 1.1\n",
             "%TAG ! tag:x,2000:\n", "<<: ", "\t", "\n", "~", "null", "2023-10-26", "2023-02-30",
             "1e9", ".inf", ".nan", "-1", "0x1F", "yes", "\\", "\x85", "\ufeff", "\u2028", "\x00",
             "\x07", "99999999999999999999999", "12%", "200%", "tolerance: ", "weight: ",
             "threshold: ", "examples: ", "match: ", "no_match: ", "scope: ", "unless: ",
             "min_categories: ", "categories: ", "aliases: ", "cues: ", "fuzzy: "]


def _seed_texts(folder: Path) -> list[str]:
    return [p.read_text("utf-8") for p in sorted(folder.glob("*.yaml"))] or ["version: 1\n"]


@st.composite
def mutated_yaml(draw, seeds: list[str]) -> str:
    if draw(st.integers(0, 4)) == 0:  # pure noise
        return draw(st.one_of(st.text(max_size=300),
                              st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join)))
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "dup_line", "drop_line",
                                   "swap_lines", "indent"]))
        pos = draw(st.integers(0, max(0, len(text))))
        bit = draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=6)))
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "insert":
            text = text[:pos] + bit + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 40)):]
        elif op == "replace":
            text = text[:pos] + bit + text[pos + len(bit):]
        elif lines and op == "dup_line":
            text = "".join(lines[:i + 1] + lines[i:])
        elif lines and op == "drop_line":
            text = "".join(lines[:i] + lines[i + 1:])
        elif lines and op == "swap_lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif lines and op == "indent":
            lines[i] = draw(st.sampled_from(["  ", "\t", " "])) + lines[i]
            text = "".join(lines)
    return text


# --- targets ------------------------------------------------------------------------------------

class Unexpected(AssertionError):
    """The target broke its contract (an exception type or a property)."""


@dataclass
class Target:
    name: str
    strategy: st.SearchStrategy
    run: Callable[[object], None]


def reader_target() -> Target:
    from factcheck.reader import article_from_bytes

    def run(case) -> None:
        raw, source = case
        source = "<stdin>" if source == "-" else source
        try:
            article = article_from_bytes(raw, source)
        except InputError as exc:
            if "\n" in str(exc) or source not in str(exc):
                raise Unexpected(f"InputError message not one line naming the file: {exc!s}")
            return
        if not isinstance(article.text, str) or not article.text.strip():
            raise Unexpected("article_from_bytes returned an empty article")

    return Target("reader", article_bytes(), run)


def quantities_target() -> Target:
    from factcheck.quantities import extract_quantities

    def run(text) -> None:
        for q in extract_quantities(text):
            if not (0 <= q.start < q.end <= len(text)) or text[q.start:q.end] != q.text:
                raise Unexpected(f"bad span {q.start}:{q.end} {q.text!r}")

    return Target("quantities", TEXT, run)


def _yaml_target(name: str, seeds_dir: Path, lint: Callable[[list[Path]], tuple]) -> Target:
    from factcheck.yamlsafe import load_yaml

    workdir = Path(tempfile.mkdtemp(prefix=f"factcheck-fuzz-{name}-"))
    atexit.register(shutil.rmtree, workdir, True)
    path = workdir / f"fuzz-{name}.yaml"

    def run(text) -> None:
        try:
            load_yaml(path.name, text)
        except DataError as exc:
            if "\n" in str(exc) or path.name not in str(exc):
                raise Unexpected(f"DataError message not one line naming the file: {exc!s}")
        path.write_text(text, "utf-8", errors="surrogatepass")
        try:
            _, problems = lint([path])
        except (DataError, Problems):
            return
        for p in problems:
            if "\n" in str(p) or path.name not in str(p):
                raise Unexpected(f"problem not one line naming the file: {p!s}")

    return Target(name, mutated_yaml(_seed_texts(seeds_dir)), run)


def facts_target() -> Target:
    from factcheck.facts import lint_facts
    from factcheck.resources import shipped_facts_dir

    return _yaml_target("facts", shipped_facts_dir(), lint_facts)


def rules_target() -> Target:
    from factcheck.pipeline import build_nlp
    from factcheck.resources import shipped_rules_dir
    from factcheck.rules import lint_rules

    nlp = build_nlp()
    return _yaml_target("rules", shipped_rules_dir(), lambda paths: lint_rules(paths, nlp))


def checker_target() -> Target:
    from factcheck.check import Checker

    checker = Checker()

    def spans(text: str, node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("start"), int) and "text" in node:
                if text[node["start"]:node.get("end", -1)] != node["text"]:
                    raise Unexpected(f"bad span {node}")
            for v in node.values():
                spans(text, v)
        elif isinstance(node, list):
            for v in node:
                spans(text, v)

    def run(text) -> None:
        spans(text, checker.check_text(text, "fuzz.txt").as_dict())

    return Target("checker", TEXT, run)


TARGETS = {"reader": reader_target, "quantities": quantities_target, "facts": facts_target,
           "rules": rules_target, "checker": checker_target}


# --- the loop --------------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    tried: int = 0
    rounds: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # signature -> failing input repr
    first: str | None = None


def fuzz(target: Target, seconds: float, rng: random.Random) -> Result:
    result = Result(target.name)
    deadline = time.monotonic() + seconds
    failing: list[object] = []

    def body(case) -> None:
        if time.monotonic() > deadline:
            return  # time is up: let the round finish at once
        result.tried += 1
        try:
            target.run(case)
        except Exception:
            failing.append(case)
            raise

    while time.monotonic() < deadline:
        failing.clear()
        test = settings(max_examples=ROUND_EXAMPLES, deadline=None, database=None,
                        derandomize=False, phases=[Phase.generate, Phase.shrink],
                        suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                        )(given(target.strategy)(body))
        test = seed(rng.getrandbits(64))(test)
        result.rounds += 1
        try:
            test()
        except Exception as exc:  # hypothesis re-raises the shrunk failure
            signature = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            shown = repr(failing[-1]) if failing else "?"
            if len(shown) > REPR_LIMIT:
                shown = shown[:REPR_LIMIT] + f"... ({len(shown)} chars)"
            if signature not in result.failures:
                result.failures[signature] = shown
                result.first = result.first or f"{signature}\n      input: {shown}"
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="total time budget, shared by the targets (default 60)")
    parser.add_argument("--targets", default=",".join(DEFAULT_TARGETS),
                        help="comma-separated: " + ", ".join(TARGETS))
    parser.add_argument("--seed", type=int, default=None, help="seed for reproducible rounds")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    rng = random.Random(args.seed if args.seed is not None else int.from_bytes(os.urandom(8), "big"))
    share = args.seconds / len(names)
    total = 0
    for name in names:
        started = time.monotonic()
        target = TARGETS[name]()  # setup (loading the pipeline) is not part of the budget
        result = fuzz(target, share, rng)
        failures = len(result.failures)
        total += failures
        print(f"{name:11s} {result.tried:7d} inputs in {time.monotonic() - started:5.1f} s "
              f"({result.rounds} rounds): {failures} failure(s)")
        if result.first:
            print(f"    first failure: {result.first}")
        for signature in list(result.failures)[1:5]:
            print(f"    also: {signature}")
        sys.stdout.flush()
    print(f"total: {total} failure(s)")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
