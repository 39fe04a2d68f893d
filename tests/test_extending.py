"""A user extends factcheck with YAML only: the README's worked example."""

from __future__ import annotations

import json

from conftest import ROOT
from factcheck.cli import main

EXAMPLE = str(ROOT / "corpora" / "examples" / "galaxy-s24-launch.txt")
MY_RULES = str(ROOT / "docs" / "examples" / "my-rules.yaml")


def _report(capsys, *extra):
    main([EXAMPLE, "--format", "json", *extra])
    return json.loads(capsys.readouterr().out)


def test_extending_user_rule_hits_appear_and_raise_the_passage(capsys):
    base = _report(capsys)
    mine = _report(capsys, "--rules", MY_RULES)
    hits = [h for h in mine["rule_hits"] if h["rule"] == "mine.kdrama_stars"]
    assert hits and hits[0]["text"] == "K-drama stars"
    assert not [h for h in base["rule_hits"] if h["rule"] == "mine.kdrama_stars"]
    start = hits[0]["start"]

    def passage_score(report):
        return max((p["score"] for p in report["promotions"] if p["start"] <= start < p["end"]),
                   default=0.0)

    assert passage_score(mine) >= passage_score(base)
    inside = [p for p in mine["promotions"] if p["start"] <= start < p["end"]]
    assert inside and any(s.get("rule") == "mine.kdrama_stars" for s in inside[0]["signals"])


def test_extending_user_rules_pass_their_own_examples(capsys):
    assert main(["rules", "test", MY_RULES]) == 0
    assert "0 missed, 0 false hit(s)" in capsys.readouterr().out
