"""The command line: the contract's JSON shape, exit codes and determinism."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from factcheck.cli import main

EXAMPLE = str(ROOT / "corpora" / "examples" / "galaxy-s24-launch.txt")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_report_follows_contract(capsys):
    code, out, err = run(capsys, EXAMPLE, "--format", "json")
    assert code == 1  # the example has contradicted claims and a promotion
    report = json.loads(out)
    assert report["schema"] == "factcheck.report/1"
    assert list(report)[:3] == ["schema", "source", "published"]
    assert report["published"] == "2024-02-05"
    assert set(report["summary"]) >= {"claims", "supported", "contradicted", "unverifiable",
                                      "promotions", "advertorial_score", "label"}
    s = report["summary"]
    assert s["claims"] == s["supported"] + s["contradicted"] + s["unverifiable"] == len(report["claims"])
    text = open(EXAMPLE, encoding="utf-8").read()
    for claim in report["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["text"]
        assert 0.0 <= claim["checkworthiness"] <= 1.0
        for q in claim["quantities"]:
            assert text[q["start"]:q["end"]] == q["text"]
            assert q["kind"] in ("date", "money", "percent", "count", "multiple", "duration")
        for v in claim["verdicts"]:
            assert v["status"] in ("supported", "contradicted", "unverifiable")
            assert {"claimed", "quantity_start", "explanation"} <= set(v)
    for p in report["promotions"]:
        assert text[p["start"]:p["end"]] == p["text"]
        for sig in p["signals"]:
            if "start" in sig:
                assert text[sig["start"]:sig["end"]] == sig["text"]
    for h in report["rule_hits"]:
        assert text[h["start"]:h["end"]] == h["text"]
        assert set(h) == {"rule", "category", "text", "start", "end"}


def test_cli_json_is_byte_identical_across_runs(capsys):
    _, first, _ = run(capsys, EXAMPLE, "--format", "json")
    _, second, _ = run(capsys, EXAMPLE, "--format", "json")
    assert first == second


def test_cli_several_articles_give_a_json_array(capsys, tmp_path):
    other = tmp_path / "plain.txt"
    other.write_text("The weather was mild on Tuesday.\n", "utf-8")
    code, out, _ = run(capsys, EXAMPLE, str(other), "--format", "json")
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    assert data[1]["summary"]["label"] == "clean"


def test_cli_exit_zero_and_clean_article(capsys, tmp_path):
    code, _, _ = run(capsys, EXAMPLE, "--exit-zero", "--format", "json")
    assert code == 0
    clean = tmp_path / "clean.txt"
    clean.write_text("Council meets\n\nThe council met on Tuesday to discuss road repairs.\n", "utf-8")
    code, out, _ = run(capsys, str(clean), "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["label"] == "clean"


def test_cli_published_option_overrides_header(capsys, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("Updated on 2024-01-29\n\nThe study appeared in April this year.\n", "utf-8")
    _, out, _ = run(capsys, str(art), "--format", "json", "--published", "2025-03-01")
    report = json.loads(out)
    assert report["published"] == "2025-03-01"
    values = [q["value"] for c in report["claims"] for q in c["quantities"]]
    assert "2025-04" in values


@pytest.mark.parametrize("args,needle", [
    (["--published", "29/01/2024"], "--published"),
    (["--format", "yaml"], "format"),
])
def test_cli_usage_errors_exit_2_with_one_line(capsys, args, needle):
    code, out, err = run(capsys, EXAMPLE, *args)
    assert code == 2
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_user_facts_extend_shipped(capsys, tmp_path):
    facts = tmp_path / "mine.yaml"
    facts.write_text("""version: 1
entities:
  - id: hanbit-essence
    name: Hanbit Ginseng Essence
    facts:
      - {attribute: price, value: 59, unit: USD, source: "https://example.org/hanbit"}
""", "utf-8")
    art = tmp_path / "a.txt"
    art.write_text("Hanbit Ginseng Essence costs $79 a bottle, and the Galaxy S24 starts at $799.99.\n", "utf-8")
    _, out, _ = run(capsys, str(art), "--facts", str(facts), "--format", "json", "--no-model")
    verdicts = {v["claimed"]: v for c in json.loads(out)["claims"] for v in c["verdicts"]}
    assert verdicts["79 USD"]["status"] == "contradicted"
    assert verdicts["79 USD"]["fact_file"].endswith("mine.yaml:6")
    assert verdicts["799.99 USD"]["status"] == "supported"  # shipped facts still loaded
    _, out, _ = run(capsys, str(art), "--facts", str(facts), "--no-default-facts", "--format", "json")
    verdicts = {v["claimed"]: v for c in json.loads(out)["claims"] for v in c["verdicts"]}
    assert verdicts["799.99 USD"]["status"] == "unverifiable"


def test_cli_markdown_and_text_render(capsys):
    _, md, _ = run(capsys, EXAMPLE, "--format", "markdown")
    assert md.startswith("## factcheck:") and "| ✘ contradicted |" in md
    _, text, _ = run(capsys, EXAMPLE, "--no-color")
    assert "\x1b[" not in text and "contradicted" in text


def test_cli_rules_and_facts_lint_pass_on_shipped_data(capsys):
    assert run(capsys, "rules", "lint")[0] == 0
    assert run(capsys, "facts", "lint")[0] == 0
    code, out, _ = run(capsys, "rules", "test")
    assert code == 0 and "0 missed, 0 false hit(s)" in out


def test_cli_rules_test_lists_misses_and_false_hits(capsys, tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("""version: 1
rules:
  - id: mine.buy_now
    category: call_to_action
    kind: phrase
    patterns: [buy now]
    description: Tells the reader to buy
    examples:
      match: ["Buy now while stocks last.", "Order today."]
      no_match: ["Investors did not buy bonds now, the bank said.", "Shoppers buy now and pay later."]
""", "utf-8")
    code, out, _ = run(capsys, "rules", "test", str(rules))
    assert code == 1
    assert "missed match: 'Order today.'" in out
    assert "false hit (no_match fired): 'Shoppers buy now and pay later.'" in out
    assert "1 missed, 1 false hit(s)" in out


def test_cli_json_identical_across_processes_and_hash_seeds(tmp_path):
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-m", "factcheck", EXAMPLE, "--format", "json"],
                              capture_output=True, env=env, cwd=tmp_path, check=False)
        assert done.returncode == 1, done.stderr
        outs.append(done.stdout)
    assert outs[0] == outs[1]


def test_cli_one_bad_file_among_several_loses_nothing(capsys, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    code, out, err = run(capsys, EXAMPLE, str(bad), "--format", "json")
    assert code == 2
    (report,) = json.loads(out)  # still an array, as for several articles: the good one is in it
    assert report["source"].endswith("galaxy-s24-launch.txt")
    assert err.strip().splitlines() == [f"factcheck: error: {bad}: empty file (no text to check)"]


def test_console_command_exits_with_its_code_and_whole_output(tmp_path):
    """`factcheck` (cli.entry) ends with os._exit after flushing: the exit code and
    every byte of block-buffered output (stdout to a file) must survive it."""
    import subprocess
    import sys

    out = tmp_path / "out.json"
    with open(out, "wb") as fh:
        done = subprocess.run([sys.executable, "-m", "factcheck", EXAMPLE, "--format", "json"],
                              stdout=fh, stderr=subprocess.PIPE, cwd=tmp_path, check=False)
    assert done.returncode == 1, done.stderr
    assert json.loads(out.read_text("utf-8"))["summary"]["contradicted"] >= 1


def test_console_command_waits_for_a_live_thread(tmp_path):
    """With another thread still running, entry() takes Python's normal exit, which
    waits for it; os._exit would kill it before it wrote its file."""
    import subprocess
    import sys

    marker = tmp_path / "thread-finished"
    # the thread writes its file only after main() has returned, as entry() exits
    script = (
        "import sys, threading, time\n"
        "from factcheck import cli\n"
        "returned = threading.Event()\n"
        "def later():\n"
        "    returned.wait()\n"
        "    time.sleep(0.3)\n"
        f"    open({str(marker)!r}, 'w').write('done')\n"
        "threading.Thread(target=later).start()\n"
        "main = cli.main\n"
        "def main_then_signal():\n"
        "    code = main()\n"
        "    returned.set()\n"
        "    return code\n"
        "cli.main = main_then_signal\n"
        f"sys.argv = ['factcheck', {EXAMPLE!r}, '--format', 'json']\n"
        "cli.entry()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=tmp_path,
                          check=False)
    assert done.returncode == 1, done.stderr
    assert marker.read_text() == "done"
