"""One exception root for everything letterkit reports to a user.

Every subclass carries the structured facts a user needs — which file, which
field, which row — so the CLI can print one clear paragraph and exit, and a
mail-merge script can catch ``LetterkitError`` once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .merge.report import MergeReport


class LetterkitError(Exception):
    """Root of every error letterkit raises on purpose. ``report``: the report so far of a
    merge that the error stopped (rows written, kept, failed and not reached), else None."""

    exit_code = 1
    report: MergeReport | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (dotted field path), what, how to fix."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "(top level)"
        if self.line is not None:
            where = f"line {self.line}: {where}"
        return f"{where}: {self.message}"


class InputError(LetterkitError):
    """The input data is invalid; lists every problem at once."""

    def __init__(self, problems: Sequence[Problem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self._format())

    def _format(self) -> str:
        origin = self.source or "input"
        count = len(self.problems)
        head = f"{origin}: {count} problem{'s' if count != 1 else ''} in the input"
        # in the order of the file's lines (tester 40: line 5 was named before line 4); those
        # without a line keep their order, after the others
        shown = sorted(self.problems, key=lambda p: (p.line is None, p.line or 0))
        return head + "\n" + "\n".join(f"  - {problem}" for problem in shown)


class SourceError(LetterkitError):
    """A file could not be read or parsed (missing, not YAML/JSON, wrong encoding)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path or "input"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class TemplateError(LetterkitError):
    """A built-in or user-supplied template is unusable."""


class RenderError(LetterkitError):
    """An output format could not be produced."""


class MissingToolError(RenderError):
    """An external program (LibreOffice) is needed and not installed."""


class OutputError(LetterkitError):
    """The output file cannot be written (exists without --force, not writable, ...)."""


class UsageError(LetterkitError, TypeError):
    """A function of the API was given an argument of the wrong type (a dict where a
    ``Letter`` belongs, ``None`` for a format). The message names what was passed and
    what the function takes; it is a ``TypeError`` too, as Python's own would be."""


def type_name(value: object) -> str:
    """How an error names a wrong argument: ``None``, or its type ("dict", "int")."""
    return "None" if value is None else type(value).__name__


# The errors that live with the part of letterkit that raises them, importable from here
# too (``from letterkit.errors import SendError``) without loading that part up front.
_ELSEWHERE = {
    "SettingError": "letterkit.lint.config",
    "LanguageError": "letterkit.lint",
    "SendError": "letterkit.merge.smtp",
    "SendLockedError": "letterkit.merge.send_lock",
    "Stopped": "letterkit.merge.produce",
}


def __getattr__(name: str) -> type[LetterkitError]:
    module = _ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'letterkit.errors' has no attribute {name!r}")
    from importlib import import_module

    found: type[LetterkitError] = getattr(import_module(module), name)
    return found
