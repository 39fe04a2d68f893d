"""Docs stay true: every command has help and is in the README, every rule is documented."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from factcheck.cli import app, main
from factcheck.rules import CATEGORIES, load_rules

README = (ROOT / "README.md").read_text("utf-8")
COMMANDS = [["check"], ["scan"], ["rules", "lint"], ["rules", "test"], ["rules", "stats"],
            ["facts", "lint"], ["train"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_docs_every_command_has_help(capsys, command):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage:" in out
    # the first line of help text, not just the usage line
    assert len([line for line in out.splitlines() if line.strip()]) > 3


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != ["check"]], ids=" ".join)
def test_docs_every_command_is_in_the_readme(command):
    assert f"factcheck {' '.join(command)}" in README


def test_docs_every_registered_command_is_listed():
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert names == {"check", "scan", "train", "rules", "facts"}


def test_docs_every_shipped_rule_is_documented():
    ruleset = load_rules()
    for rule in ruleset.rules:
        assert rule.description and len(rule.description) > 10, rule.id
        assert rule.category in CATEGORIES
    # each category used by the shipped packs is named in the README's list of packs
    for word in ("health", "testimonial", "commerce", "sales", "endorsement", "scarcity",
                 "call", "superlative", "price", "disclosure", "puffery"):
        assert re.search(word, README, re.I), word
