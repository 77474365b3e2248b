"""Output file names from a pattern such as ``{recipient.last_name}-{contract.reference}.docx``.

Names are made safe for every file system (no folders, no reserved characters or
names, bounded length) and made unique in row order: a second ``Meier.docx``
becomes ``Meier-2.docx``, the same on every run. A field that a row leaves empty (a
company-only row's ``{recipient.last_name}``) is filled with the row number, so the name
keeps its shape and still tells the row: ``row-0005.docx``, ``row-0005-R-107.docx`` under
``{recipient.last_name}-{contract.reference}`` (a pattern with ``{row}`` tells it already:
the field is left empty there). A name that is nothing once made safe is the row number
too. Either way the row gets a notice naming the empty field.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import string
import unicodedata
from array import array
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from ..errors import LetterkitError

DEFAULT_PATTERN = "{row:04d}-{recipient.last_name|recipient.company}"
_RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}")
_WINDOWS = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_BYTES = 150
MIN_FIELD_BYTES = 24  # what a field keeps at least when a name too long is cut


def check_pattern(pattern: str, option: str = "--name", *, needs_field: bool = True) -> None:
    """Refuse a pattern that does not parse, with the reason (``option`` names it)."""
    try:
        parsed = [(f, spec, conversion) for _, f, spec, conversion in string.Formatter().parse(pattern)]
        fields = [f for f, _, _ in parsed if f is not None]
    except ValueError as exc:
        raise LetterkitError(
            f"{option} '{pattern}' is not a valid pattern ({exc}); write fields as {{recipient.last_name}}"
        ) from None
    if not fields and needs_field:
        raise LetterkitError(f"{option} '{pattern}' has no {{field}}; every letter would get the same name")
    for field_name, spec, conversion in parsed:
        if field_name is None:
            continue
        if conversion or (spec and field_name != "row"):
            raise LetterkitError(
                f"{option} '{pattern}': {{{field_name}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}} — only {{row}} takes a format such as {{row:04d}}; "
                "write other fields plainly, as {recipient.last_name}"
            )
        if field_name == "row" and spec:
            _check_row_format(pattern, spec, option)
        for alternative in field_name.split("|"):
            _check_field(pattern, alternative, option)


# The width of a format spec: [[fill]align][sign][z][#][0][width]...
_WIDTH = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)", re.DOTALL)


def _check_row_format(pattern: str, spec: str, option: str) -> None:
    """``{row:SPEC}`` must format a row number, no wider than a file name can be: a width
    of millions would fill the memory before any name is cut (tester10)."""
    width = _WIDTH.match(spec)
    digits = width.group(1) if width else ""
    if digits and (len(digits) > 4 or int(digits) > MAX_BYTES):
        raise LetterkitError(
            f"{option} '{pattern}': {{row:{spec}}} is wider than a file name can be "
            f"({MAX_BYTES} bytes); use a format such as {{row:04d}}"
        )
    try:
        shown = format(1, spec)
    except ValueError as exc:
        raise LetterkitError(
            f"{option} '{pattern}': {{row:{spec}}} is not a format for the row number ({exc}); "
            "use one such as {row:04d}"
        ) from None
    if "1" not in shown:  # {row:c}: the character of that code, row 10 a line break, 55296 none at all
        raise LetterkitError(
            f"{option} '{pattern}': {{row:{spec}}} is not a format for the row number (it writes a "
            "character, not the number); use one such as {row:04d}"
        )


# Kinds of input key that hold no single value to name a file by: a block of fields, and
# lists (``reasons`` is one of codes: it had named files "['capacity', 'scope'].docx", tester3).
_NOT_ONE_VALUE = ("object", "list", "reasons")


def _check_field(pattern: str, field: str, option: str = "--name") -> None:
    """A field names ``row`` or an input key holding a value (not a group such as ``recipient``)."""
    from .columns import known_columns

    keys = {key: spec for key, spec in known_columns().items() if "#" not in key}
    spec = keys.get(field)
    if field == "row" or (spec is not None and spec.kind not in _NOT_ONE_VALUE):
        return
    values = ["row", *(key for key, spec in keys.items() if spec.kind not in _NOT_ONE_VALUE)]
    close = difflib.get_close_matches(field, values, n=1, cutoff=0.6)
    hint = f"did you mean {{{close[0]}}}? " if close and spec is None else ""  # not a neighbour of a known key
    what = (
        "is not an input key"
        if spec is None
        else "is a group of fields, not one value"
        if spec.kind == "object"
        else "is a list, not one value"
    )
    raise LetterkitError(
        f"{option} '{pattern}': {{{field}}} {what}; {hint}use fields such as {{recipient.last_name}}, "
        "{contract.reference} or {row}"
    )


def field_value(data: Any, dotted: str) -> str:
    """'recipient.last_name|recipient.company': the first non-empty of the alternatives.
    A date is written as 2026-12-31 and an amount as 1190.50 whatever the row's spelling
    (a datetime, "31.12.2026", "1.190,50 €"), so that names have one shape across the rows
    (tester 42); a value that is no date or amount stays as typed."""
    for option in dotted.split("|"):
        node = data
        for part in option.split("."):
            node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
            if node is None:
                break
        if node not in (None, ""):
            return _plain(option, node, data)
    return ""


def _plain(option: str, value: Any, data: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    kind = _kind(option)
    if kind == "date":
        from ..values import _parse_date

        parsed = _parse_date(value)
        return parsed.isoformat() if isinstance(parsed, date) else str(value)
    if kind == "amount":
        from ..values import read_amount

        locale = data.get("locale") if isinstance(data, dict) else getattr(data, "locale", None)
        amount = read_amount(value, str(locale) if locale else None)
        return f"{amount:.2f}" if not isinstance(amount, str) else str(value)
    return str(value)


@lru_cache(maxsize=256)
def _kind(option: str) -> str:
    from .columns import column_spec

    spec = column_spec(option)
    return spec.kind if spec is not None else ""


def expand(pattern: str, row: int, data: Any) -> str:
    """Fill the pattern's fields from the row (``row`` is the row number)."""
    return _expand(pattern, row, data).text


@lru_cache(maxsize=16)
def _parsed(pattern: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """The pattern's literal text, field and format spec, piece by piece (parsed once)."""
    return tuple((literal, field, spec) for literal, field, spec, _ in string.Formatter().parse(pattern))


class _Expanded(NamedTuple):
    text: str
    empty: tuple[str, ...]  # the pattern's fields this row leaves empty, in order
    by_number: bool  # the row number stands in for one of them
    shortened: tuple[str, ...] = ()  # the fields cut short to keep the name within MAX_BYTES


def _expand(pattern: str, row: int, data: Any) -> _Expanded:
    """The filled pattern, the fields the row leaves empty (or that are nothing once made
    safe: "?", "..."), and whether the row number stands in for one. In a pattern without
    ``{row}`` the first empty field becomes ``row-0005``: the name keeps its shape and
    still tells the row ("row-0005-R-107", not "R-107", which reads as another client's
    name); a pattern with ``{row}`` tells it already, and an empty field is left empty."""
    # each piece: its literal text, field, value (text, or the row number) and whether the
    # value is blank (worked out once a field, not once for ``empty`` and again below)
    parts: list[tuple[str, str | None, Any, str | None, bool]] = []
    for literal, field, spec in _parsed(pattern):
        if field in (None, "row"):
            parts.append((literal, field, row, spec, False))
        else:
            value = str(field_value(data, field))
            parts.append((literal, field, value, spec, _blank(value)))
    numbered = any(field == "row" for _, field, _, _, _ in parts)
    empty = tuple(field for _, field, _, _, blank in parts if blank and field is not None)
    stand_in = bool(empty) and not numbered
    out: list[str] = []
    values: dict[int, str] = {}  # where each field's own value stands in ``out``
    for literal, field, value, spec, blank in parts:
        out.append(literal)
        if field == "row":
            out.append(format(value, spec or ""))
        elif blank:
            out.append(row_name(row) if stand_in else "")
            stand_in = False
        elif field is not None:
            values[len(out)] = field
            # half a character (a lone surrogate) cannot be in a file name: the row itself
            # fails its check and says so; its name is reserved without it (no search for
            # one in text of ASCII alone, as most names are)
            out.append(value if value.isascii() else _SURROGATES.sub("", value))
    shortened = _fit(out, values)
    return _Expanded("".join(out), empty, bool(empty) and not numbered, shortened)


_SURROGATES = re.compile("[\ud800-\udfff]")


def _fit(out: list[str], values: dict[int, str]) -> tuple[str, ...]:
    """Cut the longest field values of a name that is too long (``out``, its pieces; the
    fields' at ``values``) until it fits MAX_BYTES, each at a space where one is near, so
    that every field keeps its beginning ("Ärztegemeinschaft Dr. Müller-Lüdenscheidt-Schneider",
    not a company name that fills it and drops the last name); the fields cut, in order."""
    if len("".join(out).encode("utf-8")) < MAX_BYTES:  # cleaning adds one "_" at most: it fits
        return ()
    cut: set[str] = set()
    while values and len(_clean("".join(out)).encode("utf-8")) > MAX_BYTES:
        at = max(values, key=lambda i: len(out[i].encode("utf-8")))
        value = out[at]
        excess = len(_clean("".join(out)).encode("utf-8")) - MAX_BYTES
        keep = max(len(value.encode("utf-8")) - excess, MIN_FIELD_BYTES)
        shorter = value.encode("utf-8")[:keep].decode("utf-8", "ignore")
        space = shorter.rstrip().rfind(" ")
        if space >= len(shorter) * 2 // 3:  # a word boundary close to the cut
            shorter = shorter[:space]
        shorter = shorter.rstrip(" .-_,;&")
        if len(shorter) >= len(value):  # nothing more to take from the fields: _safe_stem cuts
            break
        out[at] = shorter
        cut.add(values[at])
    return tuple(field for field in dict.fromkeys(values.values()) if field in cut)


def _blank(value: str) -> bool:
    """A value that gives a name nothing: empty, or only spaces, dots, dashes and characters
    that a file name cannot hold."""
    return not _RESERVED.sub("_", value).strip(" .-_\t\n\r")


def row_name(row: int) -> str:
    """The name of a row the pattern gives none: its number, as the report shows it."""
    return f"row-{row:04d}"


OUTPUT_EXTENSIONS = ("docx", "pdf", "eml", "txt", "md", "html")


def format_from_pattern(pattern: str | None) -> str | None:
    """The output format a name pattern ends in (``{recipient.last_name}.txt``: txt), if any:
    it chooses the format when none is given (``--name`` without ``--format``)."""
    if pattern and "." in pattern.rsplit("}", 1)[-1]:
        ext = pattern.rsplit(".", 1)[-1].lower()
        return ext if ext in OUTPUT_EXTENSIONS else None
    return None


def safe_name(name: str, extension: str) -> str:
    """A file name without folders or reserved characters, ending in ``.extension`` (an
    output extension the pattern ends with is replaced: an email row of a pattern
    ``{x}.docx`` becomes ``x.eml``)."""
    return f"{_safe_stem(name) or '_'}.{extension}"


def _safe_stem(name: str) -> str:
    """The name without an output extension, reserved characters, runs of spaces or dots,
    or a reserved Windows name, within MAX_BYTES; empty when nothing usable is left."""
    stem = _clean(name)
    while len(stem.encode("utf-8")) > MAX_BYTES:
        stem = stem[:-1]
    return stem


def _clean(name: str) -> str:
    """``_safe_stem`` at any length."""
    name = unicodedata.normalize("NFC", name)
    stem, dot, ending = name.rpartition(".")
    if not (dot and ending.lower() in OUTPUT_EXTENSIONS):
        stem = name
    stem = _RESERVED.sub("_", stem)
    stem = _SPACES.sub(" ", stem).strip(" .-_")
    stem = _DOTS.sub(".", stem)
    if stem and _WINDOWS.match(stem):
        stem = f"_{stem}"
    return stem


class Namer:
    """Gives each row a unique, safe name; case-insensitive, in row order.

    The names given are remembered as 64-bit digests in a flat table (16 bytes per
    row instead of ~150 for a set of strings); two different names with the same
    digest — about one chance in 10^9 for 100,000 rows — would only add a needless "-2".
    """

    def __init__(self, pattern: str | None, extension: str) -> None:
        self.pattern = pattern or DEFAULT_PATTERN
        check_pattern(self.pattern)
        self.extension = extension
        self.used = DigestSet()

    def name(self, row: int, data: Any, extension: str | None = None) -> str:
        """The next unique name for a row (``extension``: this row's, if not the merge's)."""
        return self.give(row, data, extension).name

    def named(self, row: int, data: Any, extension: str | None = None) -> tuple[str, bool]:
        """The next unique name for a row, and whether the row number stands in for what the
        pattern gives this row no value for."""
        given = self.give(row, data, extension)
        return given.name, given.by_number

    def gave(self, name: str) -> bool:
        """Whether a row of this run was given ``name`` (case-insensitive)."""
        return _digest(name) in self.used

    def give(self, row: int, data: Any, extension: str | None = None) -> Named:
        """The next unique name for a row, with the pattern's fields the row leaves empty and
        whether its row number stands in for them (see ``notice``)."""
        extension = extension or self.extension
        expanded = _expand(self.pattern, row, data)
        stem, by_number = _safe_stem(expanded.text), expanded.by_number
        if not stem:  # nothing usable is left of it (a name of only '/' or '?', say)
            stem, by_number = row_name(row), True
        base = f"{stem}.{extension}"
        candidate, counter = base, 1
        digest = _digest(candidate)
        while digest in self.used:
            counter += 1
            stem = base[: -len(extension) - 1]
            candidate = f"{stem}-{counter}.{extension}"
            digest = _digest(candidate)
        self.used.add(digest)
        return Named(candidate, by_number, expanded.empty, expanded.shortened)


class Named(NamedTuple):
    """A row's file name; whether its row number stands in for an empty field (or for the
    whole name); the pattern's fields the row leaves empty."""

    name: str
    by_number: bool
    empty: tuple[str, ...] = ()
    shortened: tuple[str, ...] = ()

    def notice(self) -> str | None:
        """What the report and the terminal say of a name with an empty field or one cut
        short, or None: which field, what stands in for it, and how to fall back to another."""
        if self.shortened and not self.empty and not self.by_number:
            fields = " and ".join(f"{{{field}}}" for field in self.shortened)
            return (
                f"named {self.name}: {fields} cut short to keep the name within {MAX_BYTES} bytes "
                "(file systems allow 255); the file holds them in full"
            )
        if not self.empty and not self.by_number:
            return None
        fields = " and ".join(f"{{{field}}}" for field in self.empty)
        if not self.empty:  # nothing usable was left of the values (only '?' or '/')
            return f"named {self.name} by its row number: the --name pattern gives this row no name"
        empty = f"{'it is' if len(self.empty) == 1 else 'they are'} empty in this row"
        hint = _fallback_hint(self.empty[0])
        if self.by_number:
            return f"named {self.name} by its row number, which stands in for {fields} ({empty}){hint}"
        return f"named {self.name} without {fields} ({empty}; the name has the row number){hint}"


def _fallback_hint(field: str) -> str:
    """How to name such a row by another field: a recipient's name by the firm's."""
    if field.startswith("recipient.") and field != "recipient.company" and "|" not in field:
        return f"; {{{field}|recipient.company}} names it by the firm instead"
    return ""


def _digest(name: str) -> int:
    """A non-zero 64-bit digest of the name, case-insensitive."""
    digest = int.from_bytes(hashlib.blake2b(name.lower().encode("utf-8"), digest_size=8).digest(), "big")
    return digest or 1


class DigestSet:
    """A set of non-zero 64-bit integers in one array (open addressing, at most half full)."""

    def __init__(self) -> None:
        self._slots = array("Q", [0]) * 1024
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def __contains__(self, digest: int) -> bool:
        slots, mask = self._slots, len(self._slots) - 1
        at = digest & mask
        while slots[at]:
            if slots[at] == digest:
                return True
            at = (at + 1) & mask
        return False

    def add(self, digest: int) -> None:
        if digest in self:
            return
        if 2 * (self._size + 1) > len(self._slots):
            old, self._slots = self._slots, array("Q", [0]) * (2 * len(self._slots))
            self._size = 0
            for value in old:
                if value:
                    self._insert(value)
        self._insert(digest)

    def _insert(self, digest: int) -> None:
        slots, mask = self._slots, len(self._slots) - 1
        at = digest & mask
        while slots[at]:
            at = (at + 1) & mask
        slots[at] = digest
        self._size += 1
