"""The files a mail merge attaches to its emails: one file for every email, or one per row.

``--attach terms.pdf`` puts the same file into every email (terms and conditions, a
leaflet). ``--attach "invoices/{final_invoice.number}.pdf"`` names each row's own file
with the fields of its input, as ``--name`` does: a client's final invoice goes to that
client only. A field's value is read from the row as --name reads it and put into the
path as it is, except that a path separator in it becomes ``_`` (an invoice number
"R/2026/7" names ``R_2026_7``) and a value of ``.`` or ``..`` names no file, so a value
can never lead out of the folder the pattern names. Each row's files are looked
up when the rows are checked, before anything is written: a missing file fails that
row, naming the file, the pattern and the field to check. A row without the part the
pattern's field is in (no ``final_invoice``: a client with no invoice) gets no file from
that pattern, and a notice saying so.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LetterkitError
from .names import check_pattern, field_value

_SEPARATORS = str.maketrans({"/": "_", "\\": "_", "\x00": "_"})


@dataclass(frozen=True)
class Attachments:
    """The ``--attach`` values of a merge: fixed files and per-row patterns."""

    fixed: tuple[Path, ...] = ()
    patterns: tuple[str, ...] = ()

    @classmethod
    def of(cls, given: Iterable[str | Path]) -> Attachments:
        """Sort the values into fixed files and patterns (a pattern holds a ``{field}``);
        a pattern is checked like a --name pattern (known fields, with a did-you-mean)."""
        fixed: list[Path] = []
        patterns: list[str] = []
        for value in given:
            text = str(value)
            try:
                fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            except ValueError:
                fields = []  # a lone brace: a file name, not a pattern
            if fields:
                check_pattern(text, "--attach")
                patterns.append(text)
            else:
                fixed.append(Path(text))
        return cls(tuple(fixed), tuple(patterns))

    def __bool__(self) -> bool:
        return bool(self.fixed or self.patterns)

    def check_fixed(self) -> None:
        """The fixed files must be readable before the first email is written."""
        for path in self.fixed:
            if path.is_dir():  # "not found" had sent the user looking for a path that is there
                raise LetterkitError(
                    f"{path}: is a folder; --attach takes a file (each file with its own --attach)"
                )
            if not path.is_file():
                raise LetterkitError(f"{path}: attachment not found; check the path")
            _check_not_empty(path)
        twice = named_twice(self.fixed)
        if twice:
            raise LetterkitError(twice)

    def for_row(self, row: int, data: Any, notes: list[str] | None = None) -> list[Path]:
        """The row's files: the fixed ones, then each pattern filled from ``data`` (the
        row's input, as --name reads it); a LetterkitError says which is missing and why.
        A pattern whose field is in a part the row does not have at all (no final_invoice:
        a client with no invoice to send) gives no file; with ``notes``, a line says so."""
        found = list(self.fixed)
        for pattern in self.patterns:
            path, empty = _filled(pattern, row, data)
            part = _absent_part(data, empty) if empty else None
            if part is not None and notes is not None:
                notes.append(f"this row has no {part}, so --attach '{pattern}' attaches nothing to its email")
                continue
            if empty:
                raise LetterkitError(
                    f"--attach '{pattern}': {{{empty}}} is empty in this row (or '.'/'..'), so it names "
                    "no file; fill it in, or leave the row out of the merge"
                )
            if not path.is_file():
                raise LetterkitError(
                    f"attachment {path} not found (from --attach '{pattern}'); put the file there or "
                    f"check the row's {', '.join(_fields(pattern))}"
                )
            _check_not_empty(path, pattern)
            found.append(path)
        twice = named_twice(found)
        if twice:
            raise LetterkitError(twice)
        return found


def named_twice(paths: list[Path] | tuple[Path, ...], carrier: str = "every email") -> str | None:
    """Two attachments of one name: the same file given twice (every email carried it twice,
    listed twice under "Anhänge:", tester3), or two files the client cannot tell apart.
    ``carrier`` is what would carry it: "every email" of a merge, "the email" of generate."""
    seen: dict[str, Path] = {}
    for path in paths:
        key = path.name.casefold()
        first = seen.setdefault(key, path)
        if first is path:
            continue
        try:
            same = first.samefile(path)
        except OSError:
            same = False
        if same:
            given = "" if str(first) == str(path) else f" (as {first} and {path})"
            return f"--attach: {path.name} is given twice{given}, so {carrier} would carry it twice; give it once"
        return (
            f"--attach: {first} and {path} are both named {path.name}, so the client could not tell the "
            "two attachments apart; rename one of the files"
        )
    return None


def _check_not_empty(path: Path, pattern: str | None = None) -> None:
    """An empty file (an export that failed, a PDF not yet written) is no attachment."""
    if path.stat().st_size == 0:
        origin = f" (from --attach '{pattern}')" if pattern else ""
        raise LetterkitError(f"attachment {path}{origin} is empty (0 bytes); put the real file there")


def _filled(pattern: str, row: int, data: Any) -> tuple[Path, str | None]:
    """The pattern with the row's values, and the first field that had none (if any)."""
    out: list[str] = []
    for literal, field, spec, _ in string.Formatter().parse(pattern):
        out.append(literal)
        if field is None:
            continue
        if field == "row":
            out.append(format(row, spec or ""))
            continue
        value = field_value(data, field).translate(_SEPARATORS)
        if value.strip() in ("", ".", ".."):  # nothing, or a step out of the folder
            return Path(), field
        out.append(value)
    return Path("".join(out)), None


def _absent_part(data: Any, field: str) -> str | None:
    """The part of the input (``final_invoice``) that holds each alternative of ``field``
    and that the row lacks altogether; None when a field is at the top or a part is there."""
    parts = {option.split(".")[0] for option in field.split("|") if "." in option}
    if len(parts) != 1 or len(parts) != len(field.split("|")):
        return None
    (part,) = parts
    held = data.get(part) if isinstance(data, dict) else getattr(data, part, None)
    return part if held in (None, "", {}, []) else None


def _fields(pattern: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(pattern) if f not in (None, "row")]
