"""What facts files and rule files share: finding them, and collecting problems.

Both loaders validate every file and report every problem as ``file:line:
message``; lint commands list them all, a check stops at the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .errors import DataError, FactcheckError
from .resources import display_path, yaml_files
from .yamlsafe import Located, load_yaml


class Collector:
    """Problems of one file, each with its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[FactcheckError] = []

    def add(self, message: str, line: int | None, hint: str | None = None) -> None:
        self.problems.append(DataError(message, path=self.path, line=line, hint=hint))

    def unknown_keys(self, mapping: Located, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(f"unknown key {key!r} in {what}", mapping.line_of(str(key)),
                         hint="allowed: " + ", ".join(sorted(allowed)))

    def version_1(self, doc: Located) -> bool:
        if doc.get("version") == 1:
            return True
        self.add(f"unsupported version {doc.get('version')!r}; this factcheck reads version 1",
                 doc.line_of("version"))
        return False


def gather(paths: Iterable[Path], what: str) -> tuple[list[Path], list[FactcheckError]]:
    """The YAML files named by ``paths`` (files, or folders searched recursively)."""
    files: list[Path] = []
    problems: list[FactcheckError] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            problems.append(DataError("no such file or folder", path=str(p)))
            continue
        found = yaml_files(p)
        if p.is_dir() and not found:
            problems.append(DataError(f"folder holds no *.yaml {what} files", path=str(p)))
        files.extend(found)
    return files, problems


def load_all(files: list[Path]) -> list[tuple[str, Located | None, FactcheckError | None]]:
    """Each file read once: (display path, document or None, load error or None)."""
    out = []
    for f in files:
        display = display_path(f)
        try:
            out.append((display, load_yaml(f), None))
        except DataError as exc:
            exc.path = display
            out.append((display, None, exc))
    return out
