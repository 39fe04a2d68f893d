"""Where the shipped rules, facts and model live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _first_dir(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def shipped_rules_dir() -> Path:
    # Installed wheels carry the packs as factcheck/_rules; a checkout has rules/.
    return _first_dir(_HERE / "_rules", _HERE.parent / "rules")


def shipped_facts_dir() -> Path:
    return _first_dir(_HERE / "_facts", _HERE.parent / "corpora" / "facts")


def shipped_model_dir() -> Path:
    return _HERE / "model"


def checkout_root() -> Path | None:
    """The source checkout holding corpora/, when running from one."""
    root = _HERE.parent
    return root if (root / "corpora").is_dir() else None


def yaml_files(path: Path) -> list[Path]:
    """A YAML file, or the sorted *.yaml / *.yml files of a folder (recursively)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


def display_path(path: Path) -> str:
    """How reports name a data file: shipped files by their place in the source tree
    (``corpora/facts/x.yaml``, ``rules/x.yaml``) wherever factcheck is installed, so
    output does not depend on the machine; other files relative to the working folder."""
    path = Path(path)
    resolved = path.resolve()
    for shipped, shown in ((shipped_facts_dir(), "corpora/facts"), (shipped_rules_dir(), "rules")):
        try:
            return f"{shown}/{resolved.relative_to(shipped.resolve()).as_posix()}"
        except ValueError:
            continue
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
