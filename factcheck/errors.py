"""Every error a user can cause, in one place (after spaCy's errors.py).

Each exception renders as one line: where (file:line when known), what
failed, and how to fix it. The CLI prints ``str(exc)`` and exits 2; nothing
here ever shows a traceback to a user.
"""

from __future__ import annotations


class FactcheckError(Exception):
    """Base class: a problem with the user's input, data or options."""

    def __init__(self, message: str, *, path: str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        # One line, whatever the message contained.
        return " ".join(text.split())


class InputError(FactcheckError):
    """An article could not be read or decoded."""


class DataError(FactcheckError):
    """A facts or rules file is invalid."""


class ModelError(FactcheckError):
    """A model file is missing, altered or of an unknown format."""


class Problems(FactcheckError):
    """Several DataErrors found while linting one set of files."""

    def __init__(self, problems: list[FactcheckError]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s); run the lint command to list them)" \
            if len(problems) > 1 else ""
        super().__init__(str(first) + more)
        self.problems = problems

    def __str__(self) -> str:
        return self.message
