"""Shared fixtures. Everything runs on spacy.blank("en"); nothing is downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fixture_facts():
    from factcheck.facts import load_facts

    return load_facts([FIXTURES / "facts"], defaults=False)


@pytest.fixture(scope="session")
def shipped_checker():
    from factcheck.check import Checker

    return Checker()


def shared_file(*parts: str) -> Path:
    """A file of ../shared, or skip: a user's checkout has no ../shared."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (development data lives outside the project)")
    return path
