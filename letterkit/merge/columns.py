"""Columns of a merge source: dotted input keys, their types, and turning a flat row into input.

A column is an input key written with dots (``recipient.last_name``,
``final_invoice.amount``, ``steps_taken.0.kind``). Cells are text in CSV; they are
converted by the kind of the key (numbers, yes/no, lists separated by ';').
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..errors import SourceError
from ..schema import INPUT, Spec
from ..values import brief_repr, yes_or_no

_INDEX = re.compile(r"\[(\d+)\]")
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")
_REASONS_SPLIT = re.compile(r"\s*[;|,]\s*")  # reason codes hold no comma: a comma separates them too


@lru_cache(maxsize=1)
def known_columns() -> dict[str, Spec]:
    """Every dotted key a column may name, with its spec (list items as ``key.0.sub``)."""
    found: dict[str, Spec] = {}

    def walk(spec: Spec, prefix: str) -> None:
        for name, sub in spec.fields.items():
            key = f"{prefix}{name}"
            found[key] = sub
            if sub.kind == "object":
                walk(sub, key + ".")
            elif sub.kind == "list" and sub.item is not None and sub.item.kind == "object":
                walk(sub.item, key + ".#.")

    walk(INPUT, "")
    return found


def normalise_column(name: str) -> str:
    """'Recipient.Last_Name ' → 'recipient.last_name'; 'steps_taken[0].kind' → 'steps_taken.0.kind'.
    A line break typed in a header cell (Alt+Enter in Excel: 'E-Mail\n(geschäftlich)') is a
    space, and one after a hyphen ('Vertrags-\nende') is none, as the header reads (tester7)."""
    if not name.isprintable():
        name = " ".join(_BROKEN_WORD.sub("-", name).split())
    return _INDEX.sub(r".\1", name.strip().lstrip("\ufeff")).lower()


_BROKEN_WORD = re.compile(r"-[^\S\n]*\r?\n\s*")  # a word split at its hyphen over two lines


_NUMBERED = re.compile(r"\.\d+\.")


@lru_cache(maxsize=4096)
def column_spec(column: str) -> Spec | None:
    """The spec of a (normalised) column, or None if no input key has that name."""
    return known_columns().get(_NUMBERED.sub(".#.", column))


def column_letter(index: int) -> str:
    """A column's name as a spreadsheet shows it: 0 → 'A', 26 → 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Headers of client exports and what they hold: suggestions only (a mapping file or a
# renamed header makes the choice); a client list describes recipients.
_HEADER_HINTS = {
    "vorname": "recipient.first_name",
    "nachname": "recipient.last_name",
    "familienname": "recipient.last_name",
    "firma": "recipient.company",
    "unternehmen": "recipient.company",
    "company": "recipient.company",
    "strasse": "recipient.street",
    "straße": "recipient.street",
    "adresszusatz": "recipient.address_extra",
    "address2": "recipient.address_extra",
    "address line 2": "recipient.address_extra",
    "street2": "recipient.address_extra",
    "plz": "recipient.postal_code",
    "postleitzahl": "recipient.postal_code",
    "zip": "recipient.postal_code",
    "ort": "recipient.city",
    "stadt": "recipient.city",
    "land": "recipient.country",
    "anrede": "recipient.gender",
    "titel": "recipient.title",
    "e-mail": "recipient.email",
    "mail": "recipient.email",
    "email": "recipient.email",
    # Outlook's and Google Contacts' CSV exports (tester7)
    "e-mail address": "recipient.email",
    "email address": "recipient.email",
    "e-mail 1 - value": "recipient.email",
    "given name": "recipient.first_name",
    "family name": "recipient.last_name",
    "organization 1 - name": "recipient.company",
    "organization name": "recipient.company",
    "business street": "recipient.street",
    "business city": "recipient.city",
    "business postal code": "recipient.postal_code",
    "business state": "recipient.state",
    "business country/region": "recipient.country",
    "postal code": "recipient.postal_code",
    "country/region": "recipient.country",
}


def _did_you_mean(column: str) -> str:
    """A key the column probably means: a known export header, the recipient's field of
    that name ('last name' → recipient.last_name), or a close spelling among the keys a
    client list holds (never the sender's, unless the column names the sender)."""
    from ..model import GERMAN_FIELDS

    bare = column.strip().lower()
    guess = _HEADER_HINTS.get(bare)
    block, _, last = bare.rpartition(".")
    if guess is None and block and last in GERMAN_FIELDS:  # 'recipient.nachname'
        named = f"{block}.{GERMAN_FIELDS[last]}"
        guess = named if named in known_columns() else None
    if guess is None:
        field = re.sub(r"[\s-]+", "_", bare)
        columns = known_columns()
        if "." not in field and f"recipient.{field}" in columns:
            guess = f"recipient.{field}"
        else:
            keys = [
                k
                for k in columns
                if "#" not in k and (bare.startswith("sender") or not k.startswith("sender."))
            ]
            close = difflib.get_close_matches(field, keys, n=1, cutoff=0.75)
            guess = close[0] if close else None
    return f" (did you mean '{guess}'?)" if guess else ""


class ColumnMapping(dict[str, str]):
    """A --columns mapping, header as written → input key ('' ignores the column), checked,
    with the file it came from and the line of each entry, so its mistakes point there."""

    def __init__(self, entries: Mapping[str, str], source: str, lines: Mapping[str, int] | None = None):
        super().__init__(entries)
        self.source = source
        self.lines = dict(lines or {})


def check_mapping(data: Any, source: str, lines: Mapping[str, int] | None = None) -> ColumnMapping:
    """A mapping of column names to input keys; null or "" ignores a column. Every wrong entry
    is reported at once, against the mapping's own file and line."""
    if not isinstance(data, Mapping):
        raise SourceError("must map column names to input keys, e.g. Nachname: recipient.last_name", source)
    lines = lines or {}
    entries: dict[str, str] = {}
    problems: list[tuple[int | None, str]] = []
    for header, key in data.items():
        if key is None or key == "":
            entries[str(header)] = ""
        elif isinstance(key, str) and column_spec(normalise_column(key)) is not None:
            entries[str(header)] = key
        else:
            shown = f"'{key}'" if isinstance(key, str) else brief_repr(key)
            hint = _did_you_mean(normalise_column(key)) if isinstance(key, str) else ""
            problems.append((lines.get(str(header)), f"{header}: {shown} is not an input key{hint}"))
    if problems:
        raise SourceError(
            "; ".join(text for _, text in problems) + ". Map each column to an input key such as "
            "recipient.last_name, or to null to ignore the column",
            source,
            problems[0][0],
        )
    return ColumnMapping(entries, source, lines)


def header_keys(names: list[str], mapping: Mapping[str, str] | None, source: str) -> list[str]:
    """The input key of each column (headers as written, stripped); '' for a column that is
    ignored or has no header. Raises SourceError for duplicate or unknown columns, quoting
    the headers as written and naming the mapping entry at fault."""
    if mapping is not None and not isinstance(mapping, ColumnMapping):
        mapping = check_mapping(mapping, "the column mapping (--columns)")
    _check_double_encoded(names, source)
    table = {normalise_column(k): normalise_column(v) for k, v in (mapping or {}).items()}
    keys = [table.get(normalise_column(n), normalise_column(n)) if n else "" for n in names]
    _check_duplicates(names, keys, source)
    unknown = [i for i, key in enumerate(keys) if key and column_spec(key) is None]
    if unknown and isinstance(mapping, ColumnMapping):
        _blame_mapping(mapping, [names[i] for i in unknown], names, source)
    if unknown:
        listed = ", ".join(f"'{names[i]}'{_did_you_mean(keys[i])}" for i in unknown)
        lines = " and ".join(_quoted(leave_out_line(names[i])) for i in unknown)
        the_lines = f"the line{'s' if len(unknown) > 1 else ''} {lines}"
        where = (
            f"map them to input keys in {mapping.source}, or leave them out with {the_lines} there"
            if isinstance(mapping, ColumnMapping)
            else f"or leave them out with --columns FILE, a YAML file with {the_lines} (a line such as "
            "'Nachname: recipient.last_name' renames a column instead)"
        )
        raise SourceError(
            f"unknown column(s) {listed}{_unnamed_note(names)}. Columns are input keys with dots, such "
            f"as recipient.last_name or final_invoice.amount; rename them, {where}",
            source,
        )
    return keys


def _check_double_encoded(names: list[str], source: str) -> None:
    """Headers such as 'StraÃŸe': the file's UTF-8 text was read as Windows-1252 and saved
    again, so every umlaut and ß in it is damaged; advice to spell a column that way
    would only carry the damage into the letters."""
    damaged = [(name, mended) for name in names if (mended := double_encoded(name))]
    if damaged:
        listed = ", ".join(f"'{name}' (for '{mended}')" for name, mended in damaged[:3])
        raise SourceError(
            f"looks double-encoded: the header has {listed}, UTF-8 text that was read as Windows-1252 "
            "and saved again, so the umlauts and ß of every row are damaged too; export the list "
            "again as UTF-8 (in Excel: Save As > CSV UTF-8), and open a UTF-8 export with that encoding "
            "before saving it (in Excel: Data > From Text/CSV, File Origin 65001: Unicode (UTF-8))",
            source,
        )


def double_encoded(text: str) -> str | None:
    """The text as it was before UTF-8 was read as Windows-1252 ('StraÃŸe' → 'Straße'), or
    None if it does not read as such (plain text, or text this could not come from)."""
    if text.isascii():
        return None
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if not 0x80 <= ord(char) <= 0x9F:  # the bytes Windows-1252 leaves undefined pass as such
                return None
            raw.append(ord(char))
    try:
        mended = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return mended if mended != text else None


def leave_out_line(name: str) -> str:
    """The --columns line that leaves a column (or a record's key) out: 'Bemerkung: null'
    (quoted as YAML needs it: '"Notiz: intern": null')."""
    import yaml

    return str(yaml.safe_dump({name: None}, allow_unicode=True, default_flow_style=False, width=1000)).strip()


def unknown_key_fix(path: str, message: str, keys: Iterable[str]) -> str:
    """The message for a key of one record (a JSON, JSONL or YAML row, a dict) that is no
    input key, with the fix: a close input key (did you mean), and, for a key the record
    has at its top level (as a table's header, ``favourite_colour`` or
    ``recipient.favourite``), the --columns line that leaves it out; a key inside a nested
    mapping cannot be renamed by --columns, so it is renamed or deleted."""
    written = next((k for k in keys if k == path or normalise_column(k) == normalise_column(path)), None)
    if written is None:
        return f"{_dotted_hint(path, message)}; rename it to an input key or delete it"
    # the whole key the record should hold ('recipient.last_name'), not the field the
    # validation names within its mapping ('last_name')
    hint = _did_you_mean(normalise_column(written))
    message = _HINT.sub("", message) + hint if hint else _dotted_hint(written, message)
    return (
        f"{message}; rename it to an input key, or leave it out with the line "
        f"{_quoted(leave_out_line(written))} in the --columns file (a columns= mapping in Python)"
    )


def _dotted_hint(key: str, message: str) -> str:
    """The message with its did-you-mean naming the whole key, written as ``key`` is: the
    validation names the field within its mapping ('email'), a merge row's keys are
    written whole ('recipient.email', 'steps_taken.0.kind'), as --columns and the other
    messages name them."""
    parent = key.rpartition(".")[0]
    if not parent:
        return message
    return _HINT.sub(lambda hint: f" (did you mean '{parent}.{hint.group(1)}'?)", message)


def _quoted(line: str) -> str:
    """A YAML line quoted in a message: 'Bemerkung: null', "'Notiz: intern': null"."""
    return f'"{line}"' if "'" in line else f"'{line}'"


_HINT = re.compile(r" \(did you mean '([^']*)'\?\)")


def _check_duplicates(names: list[str], keys: list[str], source: str) -> None:
    seen: dict[str, list[str]] = {}
    for name, key in zip(names, keys, strict=True):
        if key:
            seen.setdefault(key, []).append(name)
    twice = [(key, shown) for key, shown in seen.items() if len(shown) > 1]
    if twice:
        listed = ", ".join(
            f"'{shown[0]}'"
            if len(set(shown)) == 1
            else " and ".join(f"'{s}'" for s in shown) + f" (all {key})"
            for key, shown in twice
        )
        raise SourceError(f"the column(s) {listed} appear more than once; keep one of each", source)


def _blame_mapping(mapping: ColumnMapping, unknown: list[str], names: list[str], source: str) -> None:
    """An unknown column close to a mapping entry that matches no column: the entry is misspelt."""
    present = {normalise_column(n) for n in names}
    unused = {normalise_column(k): k for k in mapping if normalise_column(k) not in present}
    found = []
    for name in unknown:
        close = difflib.get_close_matches(normalise_column(name), list(unused), n=1, cutoff=0.75)
        if close:
            found.append((unused.pop(close[0]), name))
    if found:
        entries = "; ".join(
            f"the entry '{entry}' matches no column (did you mean '{name}'?)" for entry, name in found
        )
        raise SourceError(
            f"{entries}. An entry must spell the column as the header of {source} does (case aside)",
            mapping.source,
            mapping.lines.get(found[0][0]),
        )


# How far below the first row a header is looked for: a title, a date line and blank rows
# above it are common in CRM, DATEV ("EXTF ...") and Lexware exports.
HEADER_SEARCH_ROWS = 10


def later_header(
    rows: Iterable[tuple[int, Sequence[Any]]], header_row: int, mapping: Mapping[str, str] | None
) -> tuple[int, Sequence[Any]] | None:
    """A row near ``header_row`` (the number and cells) that looks more like a header than
    that row does: at least two of its cells name columns (input keys, the --columns
    mapping's headers, the usual export headers such as "Nachname" or "PLZ")."""
    names = {normalise_column(str(k)) for k in (mapping or {})}
    scored = [
        (n, cells, _header_score(cells, names)) for n, cells in rows if n <= header_row + HEADER_SEARCH_ROWS
    ]
    current = next((score for n, _, score in scored if n == header_row), 0)
    return next(
        ((n, cells) for n, cells, score in scored if n != header_row and score >= 2 and score > current), None
    )


def _header_score(cells: Sequence[Any], names: Collection[str]) -> int:
    return sum(_names_a_column(cell, names) for cell in cells)


def _names_a_column(cell: Any, names: Collection[str]) -> bool:
    if not isinstance(cell, str) or not cell.strip():
        return False
    name = normalise_column(cell)
    return name in names or name in _HEADER_HINTS or column_spec(name) is not None


def header_hint(header_row: int, cells: Sequence[Any], found: int, found_cells: Sequence[Any]) -> str:
    """The message for a header found in another row than the one read as the header."""
    was = _shown(cells)
    if was.startswith(("'EXTF'", "'DTVF'")):
        was += ", a DATEV export's format line"
    return (
        f"row {header_row} ({was}) does not look like the header; the header seems to be in row {found} "
        f"({_shown(found_cells)}): remove the rows above it, or use --header-row {found}"
    )


def _shown(cells: Sequence[Any], count: int = 3) -> str:
    filled = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    shown = ", ".join(f"'{c[:60]}{'…' if len(c) > 60 else ''}'" for c in filled[:count])
    return shown + (", …" if len(filled) > count else "") if shown else "empty"


def value_without_header(cells: list[Any], columns: Iterable[int]) -> str | None:
    """A value in a column without a header would be lost: the row fails instead."""
    for i in columns:
        value = cells[i]
        if value is not None and (not isinstance(value, str) or value.strip()):
            return (
                f"column {column_letter(i)} has no header, but this row has '{value}' in it; give the "
                "column a header (an input key such as recipient.last_name) or delete the value"
            )
    return None


def _unnamed_note(names: list[str]) -> str:
    """Columns without a header that lie between named ones: a header was probably lost."""
    named = [i for i, n in enumerate(names) if n]
    # columns before the first named one are an export's margin (a table that starts in
    # column B), not a lost header (tester7)
    gaps = [column_letter(i) for i, n in enumerate(names) if not n and named and named[0] < i < named[-1]]
    if not gaps:
        return ""
    if len(gaps) > _GAPS_SHOWN:  # a header far to the right (XFD1) left thousands between (tester10)
        listed = f"{', '.join(gaps[: _GAPS_SHOWN - 1])}, … {gaps[-1]} ({len(gaps):,} in all)"
    else:
        listed = ", ".join(gaps)
    return f"; column(s) {listed} have no header: give each an input key or delete the column"


_GAPS_SHOWN = 8


# Fields that hold digits to be written as typed: a postcode, a phone number, a contract's
# reference, an invoice number. A long one in a spreadsheet cell that is not formatted as
# Text becomes a number, which Excel keeps to 15 digits and shows (and saves as CSV) in
# exponent form: "1,23457E+19", with the digits after the sixth lost.
_DIGIT_FIELDS = frozenset({"postal_code", "phone", "reference", "number"})
_EXPONENT = re.compile(r"\d(?:[.,]\d+)?[eE][+-]\d{2,3}")  # as Excel writes it: 1,23457E+19
_AS_TEXT = "in Excel, format the column as Text, type the numbers again and save"


def digit_columns(keys: list[str]) -> list[tuple[int, str]]:
    """The (index, key) of the columns that hold digits written as typed (``_DIGIT_FIELDS``)."""
    return [(i, key) for i, key in enumerate(keys) if key and key.rpartition(".")[2] in _DIGIT_FIELDS]


def excel_exponent(cells: list[tuple[str, Any]]) -> str | None:
    """Why a row's cells of digit columns (``digit_columns``: key, value) cannot go into a
    letter: Excel wrote numbers in exponent form ('1,23457E+19' in a CSV), or a workbook
    holds a number of 16 digits or more (a float: its last digits are lost). An exact
    integer is written as its digits."""
    written = [
        (key, value.strip())
        for key, value in cells
        if isinstance(value, str) and ("e" in value or "E" in value) and _EXPONENT.fullmatch(value.strip())
    ]
    stored = [(key, value) for key, value in cells if isinstance(value, float) and abs(value) >= 1e15]
    if written:
        listed = _listed(f"{key} '{value}'" for key, value in written)
        return (
            f"{listed} {'is a number' if len(written) == 1 else 'are numbers'} Excel wrote in exponent "
            "form, so the digits are lost; in Excel, format the column as Text (or open the CSV with "
            "Data > From Text/CSV and set the column to Text), type the numbers again and save"
        )
    if stored:
        listed = _listed(f"{key} ({value:.16g})" for key, value in stored)
        return (
            f"{listed} {'holds a number' if len(stored) == 1 else 'hold numbers'} of 16 digits or more, "
            f"which Excel keeps to 15 digits, so the last digits are lost; {_AS_TEXT}"
        )
    return None


def _listed(items: Iterable[str]) -> str:
    names = list(items)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def convert_cell(column: str, value: Any) -> Any:
    """A cell's value as the input expects it; text cells are converted by the key's kind."""
    return convert_value(column_spec(column), value)


def convert_value(spec: Spec | None, value: Any) -> Any:
    """``convert_cell`` with the column's spec looked up already (once per column of a
    table, not once per cell)."""
    if spec is None or not isinstance(value, str):
        return value
    text = value.strip()
    if spec.kind in ("list", "reasons"):
        separator = _REASONS_SPLIT if spec.kind == "reasons" else _LIST_SPLIT
        return [item for item in separator.split(text) if item]
    if spec.kind == "bool" and not text:
        # an empty yes/no cell says nothing: the base's value or the input's default holds
        # (it had turned off a base's "wishes: true" without a word, tester 42); "nein",
        # "no", "0" or "false" say no
        return None
    if spec.kind == "bool" or spec.allow_false:
        flag = yes_or_no(text)  # the spellings the input accepts everywhere (values.yes_or_no)
        if flag is not None:
            return flag
    if spec.kind == "int" and text.isdigit():
        return int(text)
    return text


@lru_cache(maxsize=1024)
def _steps(column: str) -> tuple[tuple[str, ...], bool]:
    """A column's path (``recipient.last_name``: two steps) and whether a step is a list
    index (``steps_taken.0.kind``)."""
    parts = tuple(column.split("."))
    return parts, any(part.isdigit() for part in parts)


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{'recipient.last_name': 'X', 'steps_taken.0.kind': 'call'} → nested dicts and lists.
    Empty cells are left out, so an optional block with no values stays absent."""
    root: dict[str, Any] = {}
    for column, value in flat.items():
        if value is None or value == "" or (isinstance(value, list) and not value):
            continue
        parts, indexed = _steps(column)
        node: Any = root
        if not indexed:  # "recipient.last_name": mappings only
            for part in parts[:-1]:
                node = node.setdefault(part, {})
                if type(node) is not dict:
                    break
            else:
                node[parts[-1]] = value
                continue
            node = root  # a clash with another column: the general way says what it is
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt: Any = value if last else ([] if parts[i + 1].isdigit() else {})
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append({})
                if last:
                    node[index] = value
                node = node[index]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, nxt)
    return root


# Mappings a row replaces whole instead of merging into the base's: one person's name and
# email. Merged key by key, a row's handover.contact.name over the base's contact wrote
# "wenden Sie sich an Lea Kurz unter jonas@example.de" (tester 42).
WHOLE = frozenset({("handover", "contact")})


def deep_merge(
    base: dict[str, Any], row: dict[str, Any], whole: frozenset[tuple[str, ...]] = frozenset(), at: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The row's values over the base's (nested mappings merged, except those at the paths
    ``whole`` names; everything else replaced)."""
    out = dict(base)
    for key, value in row.items():
        here = (*at, key)
        if isinstance(value, dict) and isinstance(out.get(key), dict) and here not in whole:
            out[key] = deep_merge(out[key], value, whole, here)
        else:
            out[key] = value
    return out
