"""The command line: a thin Typer layer over the library.

`factcheck ARTICLE ...` is shorthand for `factcheck check ARTICLE ...`.
Exit codes (../shared/contract.md): 0 no findings, 1 findings, 2 usage error,
unreadable input or invalid rules/facts. A user error is one line on stderr,
never a traceback (set FACTCHECK_DEBUG=1 to see one for an internal error).
"""

from __future__ import annotations

import os
import sys
import threading
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import FactcheckError, InputError, Problems
from .render import UNDECODABLE, Format

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = {"check", "scan", "rules", "facts", "train", "--help", "-h", "--version",
            "--install-completion", "--show-completion"}

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Check the numbers and dates of news articles against a facts file and "
                       "flag inserted product promotions.")
rules_app = typer.Typer(no_args_is_help=True, help="Validate, test and measure promotion rule files.")
facts_app = typer.Typer(no_args_is_help=True, help="Validate facts files.")
app.add_typer(rules_app, name="rules")
app.add_typer(facts_app, name="facts")


class ScanFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    html = "html"
    parquet = "parquet"


def _fail(message: str) -> "typer.Exit":
    typer.echo(f"factcheck: error: {' '.join(str(message).split())}", err=True)
    return typer.Exit(EXIT_ERROR)


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--published {value!r} is not a date; use YYYY-MM-DD") from None


def _write(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, "utf-8", errors=UNDECODABLE)
        tmp.replace(output)
    except OSError as exc:
        raise _fail(f"{output}: cannot write: {exc.strerror or exc}") from None


FactsOpt = Annotated[list[Path], typer.Option("--facts", help="Facts file or folder of *.yaml (repeatable), added to the shipped facts.")]
RulesOpt = Annotated[list[Path], typer.Option("--rules", help="Rule file or folder of *.yaml (repeatable), added to the shipped rules.")]
NoDefFacts = Annotated[bool, typer.Option("--no-default-facts", help="Do not load the shipped facts.")]
NoDefRules = Annotated[bool, typer.Option("--no-default-rules", help="Do not load the shipped rules.")]
PublishedOpt = Annotated[Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD (else read from the article's header).")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")]
ExitZeroOpt = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse inputs larger than this many bytes.")]
NoModelOpt = Annotated[bool, typer.Option("--no-model", help="Flag promotions with rules and topic drift only.")]


def _options(facts, rules, no_default_facts, no_default_rules, no_model, max_bytes):
    from .check import Options

    return Options(facts=tuple(map(str, facts)), rules=tuple(map(str, rules)),
                   default_facts=not no_default_facts, default_rules=not no_default_rules,
                   use_model=not no_model, max_bytes=max_bytes)


@app.command("check")
def check_cmd(
    articles: Annotated[list[str], typer.Argument(help="Article files (text, Markdown or HTML); - reads stdin.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    facts: FactsOpt = [],  # noqa: B006 - Typer reads the default, never mutates it
    rules: RulesOpt = [],  # noqa: B006
    no_default_facts: NoDefFacts = False,
    no_default_rules: NoDefRules = False,
    published: PublishedOpt = None,
    output: OutputOpt = None,
    exit_zero: ExitZeroOpt = False,
    max_bytes: MaxBytesOpt = 20 * 1024 * 1024,
    no_model: NoModelOpt = False,
    color: Annotated[Optional[bool], typer.Option("--color/--no-color", help="Force colour on or off in the text report.")] = None,
) -> None:
    """Check articles: verdicts on their numbers and dates, and promotion passages."""
    from .batch import BATCH_FILES
    from .check import Checker
    from .reader import read_article
    from .render import render

    pub = _parse_date(published)
    checker = Checker(_options(facts, rules, no_default_facts, no_default_rules, no_model, max_bytes))
    loaded, failed = [], []
    for a in articles:
        try:
            loaded.append(read_article(a, pub, checker.options.max_bytes))
        except InputError as exc:  # report the readable ones; name each unreadable one
            failed.append(exc)
    # in batches, as scan does: the same reports, each step run over a batch in turn
    reports = [report for at in range(0, len(loaded), BATCH_FILES)
               for report in checker.check_many(loaded[at:at + BATCH_FILES])]
    for exc in failed:
        typer.echo(f"factcheck: error: {exc}", err=True)
    if not reports:
        raise typer.Exit(EXIT_ERROR)
    if color is None and output is None and format is Format.text:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text = render(reports, format, color=color, many=len(articles) > 1,
                  width=None if output or not sys.stdout.isatty() else _terminal_width())
    _write(text, output)
    if failed:
        raise typer.Exit(EXIT_ERROR)
    findings = any(r.has_findings for r in reports)
    raise typer.Exit(EXIT_FINDINGS if findings and not exit_zero else EXIT_OK)


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


@app.command("scan")
def scan_cmd(
    dirs: Annotated[list[str], typer.Argument(help="Folders to scan recursively, or fsspec URLs (file:///..., s3://... with s3fs).")],
    format: Annotated[ScanFormat, typer.Option("--format", "-f", help="jsonl (default), json, csv, html (with --output DIR) or parquet (with --output DIR --partition-size N).")] = ScanFormat.jsonl,
    glob: Annotated[list[str], typer.Option("--glob", help="File pattern (repeatable; default *.txt, *.md, *.html): a name pattern matches at any depth, one with / matches the path below DIR (** = any folders), !PATTERN excludes.")] = [],  # noqa: B006
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Worker processes (default: the machine's cores).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip files already in --output with the same content hash.")] = False,
    facts: FactsOpt = [],  # noqa: B006
    rules: RulesOpt = [],  # noqa: B006
    no_default_facts: NoDefFacts = False,
    no_default_rules: NoDefRules = False,
    published: PublishedOpt = None,
    output: OutputOpt = None,
    exit_zero: ExitZeroOpt = False,
    max_bytes: MaxBytesOpt = 20 * 1024 * 1024,
    no_model: NoModelOpt = False,
    dask: Annotated[Optional[str], typer.Option("--dask", metavar="ADDRESS", help="Run the scan on a Dask scheduler (tcp://host:8786), or 'local' for a LocalCluster of --workers processes (default 2). Needs factcheck[dask].")] = None,
    partition_size: Annotated[Optional[int], typer.Option("--partition-size", min=1, help="With --output DIR: write part-00000.jsonl (or .parquet), ... of N records each.")] = None,
) -> None:
    """Batch-scan folders: one JSON report per line, a summary on stderr."""
    from .batch import is_url, run_scan

    if resume and output is None:
        raise _fail("--resume needs --output FILE (the results to resume)")
    if format is ScanFormat.parquet and partition_size is None:
        raise _fail("--format parquet needs --output DIR --partition-size N")
    if partition_size is not None and output is None:
        raise _fail("--partition-size needs --output DIR")
    if partition_size is not None and format not in (ScanFormat.jsonl, ScanFormat.parquet):
        raise _fail(f"--partition-size writes jsonl or parquet parts, not {format.value}")
    opts = _options(facts, rules, no_default_facts, no_default_rules, no_model, max_bytes)
    roots = [d if is_url(d) else Path(d) for d in dirs]
    try:
        summary = run_scan(roots, opts, output=output, fmt=format.value, globs=glob or None,
                           workers=workers, resume=resume, published=_parse_date(published),
                           dask=dask, partition_size=partition_size)
    except KeyboardInterrupt as exc:  # Typer would turn it into a silent exit 130
        _interrupted(getattr(exc, "output", None))
    if summary.read == 0 and summary.errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if summary.findings and not exit_zero else EXIT_OK)


def _interrupted(output: Optional[str]) -> None:
    if output:
        typer.echo(f"factcheck: interrupted; the complete records are kept in {output}: rerun "
                   "the same command with --resume to finish", err=True)
    else:
        typer.echo("factcheck: interrupted", err=True)
    raise typer.Exit(130)


@rules_app.command("lint")
def rules_lint(paths: Annotated[Optional[list[Path]], typer.Argument(help="Rule files or folders (default: the shipped packs).")] = None) -> None:
    """Validate rule files: schema, regex compile (RE2), duplicate ids; file:line per problem."""
    from .resources import shipped_rules_dir
    from .rules import lint_rules

    ruleset, problems = lint_rules(paths or [shipped_rules_dir()])
    for p in problems:
        typer.echo(str(p))
    typer.echo(f"{len(ruleset.files)} file(s), {len(ruleset.rules)} rule(s), "
               f"{len(ruleset.products)} product(s): {len(problems)} problem(s)", err=True)
    raise typer.Exit(EXIT_ERROR if problems else EXIT_OK)


@rules_app.command("test")
def rules_test(paths: Annotated[Optional[list[Path]], typer.Argument(help="Rule files or folders (default: the shipped packs).")] = None) -> None:
    """Run every rule's inline examples; list each missed match and each false hit."""
    from .resources import shipped_rules_dir
    from .rules import lint_rules, test_rules

    ruleset, problems = lint_rules(paths or [shipped_rules_dir()])
    if problems:
        for p in problems:
            typer.echo(str(p))
        raise typer.Exit(EXIT_ERROR)
    result = test_rules(ruleset)
    for f in result.failures:
        what = "missed match" if f.expected == "match" else "false hit (no_match fired)"
        typer.echo(f"{f.location}: {f.rule}: {what}: {f.text!r}")
    missed = sum(f.expected == "match" for f in result.failures)
    false_hits = len(result.failures) - missed
    typer.echo(f"{result.rules} rules: {result.match_cases - missed}/{result.match_cases} match cases "
               f"fired, {result.no_match_cases - false_hits}/{result.no_match_cases} no_match cases "
               f"stayed silent; {missed} missed, {false_hits} false hit(s)")
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@rules_app.command("stats")
def rules_stats(
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of labelled *.jsonl sentences (text, label promo|editorial).")],
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Rule files or folders (default: the shipped packs).")] = None,
) -> None:
    """Each rule's hit rate on promotional versus editorial text, and its precision."""
    from .resources import shipped_rules_dir
    from .stats import rule_stats, stats_table

    rows = rule_stats(paths or [shipped_rules_dir()], corpus)
    typer.echo(stats_table(rows))


@facts_app.command("lint")
def facts_lint(paths: Annotated[Optional[list[Path]], typer.Argument(help="Facts files or folders (default: the shipped facts).")] = None) -> None:
    """Validate facts files: unknown keys, wrong types, duplicate ids, bad dates; file:line per problem."""
    from .facts import lint_facts
    from .resources import shipped_facts_dir

    store, problems = lint_facts(paths or [shipped_facts_dir()])
    for p in problems:
        typer.echo(str(p))
    typer.echo(f"{len(store.files)} file(s), {len(store.entities)} entities, {len(store)} facts: "
               f"{len(problems)} problem(s)", err=True)
    raise typer.Exit(EXIT_ERROR if problems else EXIT_OK)


@app.command("train")
def train_cmd(
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of labelled sentence *.jsonl files.")] = Path("corpora/promo/sentences"),
    articles: Annotated[Path, typer.Option("--articles", help="Marked evaluation articles (held out).")] = Path("corpora/promo/articles"),
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Model folder (default: the package's model folder).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for the split and the folds.")] = 20240129,
) -> None:
    """Retrain the promotion classifier from corpora/ (deterministic) and print held-out metrics."""
    from .resources import shipped_model_dir
    from .train import train

    meta = train(corpus, output or shipped_model_dir(), articles, seed)
    s = meta["heldout_sentences"]
    typer.echo(f"model: {meta['estimator']}")
    typer.echo(f"corpus {meta['corpus_sha256'][:12]}: {meta['sentences']['train']} train / "
               f"{meta['sentences']['heldout']} held-out sentences, {meta['features']} features")
    typer.echo(f"held-out sentences: precision {s['precision']:.3f} recall {s['recall']:.3f} "
               f"F1 {s['f1']:.3f} ROC-AUC {s['roc_auc']:.3f} Brier {s['brier']:.3f}")
    for name, a in (meta.get("heldout_articles") or {}).items():
        typer.echo(f"held-out articles ({name}): passage precision {a['passage_precision']:.3f} "
                   f"recall {a['passage_recall']:.3f} F1 {a['passage_f1']:.3f} over "
                   f"{a['gold_passages']} passages; {a['clean_articles_flagged']:.1%} of "
                   f"{a['clean_articles']} clean articles flagged")
    typer.echo(f"wrote {(output or shipped_model_dir())}")


def entry() -> None:
    """The ``factcheck`` command: ``main``, then an exit that skips tearing the
    interpreter down.

    Python's normal exit frees the pipeline's hundreds of thousands of objects
    one by one (spaCy's vocabulary, the rules, the model): 0.12 s after checking
    one article, 0.18 s after a scan of 2,000, a sixth of a one-file run. By then
    the results are written and the output files closed; stdout and stderr are
    flushed here. When other threads or child processes are still alive (a Dask
    cluster winding down), or a flush fails (a closed pipe), the normal exit runs
    instead, so they are shut down and reported as usual.
    """
    code = main()
    mp = sys.modules.get("multiprocessing")
    if threading.active_count() > 1 or (mp is not None and mp.active_children()):
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream
        sys.exit(code)
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if getattr(sys.stdout, "errors", None) == "strict" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors=UNDECODABLE)  # PYTHONIOENCODING=utf-8 or a UTF-8 locale
    if args and args[0] not in COMMANDS:
        args.insert(0, "check")  # `factcheck article.txt` == `factcheck check article.txt`
    try:
        code = app(args=args, prog_name="factcheck", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except FactcheckError as exc:
        message = str(exc) if not isinstance(exc, Problems) else str(exc)
        typer.echo(f"factcheck: error: {message}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        typer.echo("factcheck: interrupted", err=True)
        return 130
    except _click_exceptions() as exc:
        return _click_error(exc)
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        typer.echo(f"factcheck: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
                   "(set FACTCHECK_DEBUG=1 for a traceback)", err=True)
        return EXIT_ERROR
    return code if isinstance(code, int) else EXIT_OK


def _click_exceptions():
    """Usage errors: Typer vendors its own copy of click, so take both when present."""
    kinds = []
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            module = __import__(name, fromlist=["ClickException"])
        except ImportError:
            continue
        kinds += [getattr(module, n) for n in ("ClickException", "Abort") if hasattr(module, n)]
    return tuple(kinds)


def _click_error(exc) -> int:
    if not hasattr(exc, "format_message"):  # Abort
        typer.echo("factcheck: aborted", err=True)
        return EXIT_ERROR
    typer.echo(f"factcheck: error: {' '.join(exc.format_message().split())} (see factcheck --help)",
               err=True)
    return EXIT_ERROR
