"""Rows for a merge from CSV, XLSX, JSON, JSONL or YAML, read as a stream.

The kind of file is told by its name and read by its module: ``csv_rows`` (encodings,
delimiters and quotes as spreadsheets write them), ``xlsx`` (workbooks) and ``records``
(JSON, JSONL and YAML records); this module checks a table's header once and turns
every record into a Row. Column names are dotted input keys, optionally renamed by a
mapping file (German export headers such as "Nachname"; null ignores a column). A malformed row becomes a Row with
an error; a problem with the whole file (empty, duplicate or unknown columns) is a
SourceError. Rows that are blank (no cell, or only spaces) are no records and are skipped.

A row's number is where the user finds it: in a CSV or a workbook the spreadsheet row
(header row 1, first record row 2; a record whose quoted cell holds line breaks is one
row, as in Excel; blank rows keep their numbers); in JSONL the line; in JSON and YAML
the record's place in the list, from 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..schema import Spec
from .columns import (
    ColumnMapping,
    check_mapping,
    column_spec,
    convert_cell,
    convert_value,
    digit_columns,
    excel_exponent,
    header_hint,
    header_keys,
    later_header,
    normalise_column,
    unflatten,
    value_without_header,
)
from .csv_rows import csv_encoding, csv_first_rows, csv_rows, head_lines, text_lines
from .merged_cells import RowNotes
from .records import Broken, json_records, jsonl_records, yaml_records

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson", ".yaml", ".yml")


@dataclass
class Row:
    """One record of a source: its number as the user sees it (spreadsheet row), the input
    dict, and an error if the record itself is malformed. ``problems``: what reading the row
    found wrong with some of its cells (``error`` is then set too, and ``data`` is kept, so a
    merge checks the other fields and tells every problem at once; ``told``: the fields these
    name); ``notices``: what the row is to be told though it does not fail (a value a merged
    cell gives it)."""

    number: int
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    keys: tuple[str, ...] = ()  # a record's top-level keys as written (for the messages of unknown ones)
    problems: tuple[str, ...] = ()
    told: frozenset[str] = frozenset()
    notices: tuple[str, ...] = ()


def read_rows(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    header_row: int | None = None,
) -> Iterator[Row]:
    """The rows of a file, by its extension; lazily, so a large file is never held whole.
    ``header_row``: the row of a CSV file or a sheet that holds the column names (rows
    above it are no records), when a title or an export's format line comes first."""
    path = Path(path)
    if str(path) == "-" or (path.exists() and not path.is_dir() and not path.is_file()):
        # standard input, a pipe, /dev/stdin (tester 39: "no such file" for a pipe that is there)
        raise SourceError(
            "is not a file: merge reads the list from a file, whose extension tells its format "
            "(.csv, .xlsx, .json, .jsonl, .yaml); save the rows to a file first (… > clients.csv)",
            "standard input" if str(path) == "-" else str(path),
        )
    if not path.is_file():
        raise SourceError("no such file; check the path", str(path))
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        needs = {
            ".yaml": "a YAML list of records, one per client (or rows: [...])",
            ".yml": "a YAML list of records, one per client (or rows: [...])",
            ".json": "a JSON list of records, one per client",
            ".jsonl": "one JSON record per line, one per client",
        }.get(suffix, "a header row and at least one row of data")
        raise SourceError(f"is empty; it needs {needs}", str(path))
    if header_row is not None and suffix in _TEXT_KINDS:
        raise SourceError(
            f"--header-row is for CSV files and workbooks; {_TEXT_KINDS[suffix]} has no header row", str(path)
        )
    if header_row is not None and header_row < 1:
        raise SourceError(f"--header-row {header_row}: rows are numbered from 1", str(path))
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx import xlsx_first_rows, xlsx_rows

        ignored = {normalise_column(str(k)) for k, v in (mapping or {}).items() if not v}
        rows = xlsx_rows(path, sheet, ignored, header_row, mapping)
        return _mapped(rows, mapping, str(path), lambda: xlsx_first_rows(path, sheet))
    if sheet is not None:  # said, not passed over: the list read would not be the sheet named (tester10)
        raise SourceError(
            f"--sheet '{sheet}' is for workbooks (.xlsx); {_TEXT_KINDS.get(suffix, 'a CSV file')} has no sheets: "
            "leave --sheet out, or merge the workbook itself",
            str(path),
        )
    _check_text(path, _TEXT_KINDS.get(suffix, "CSV"))
    if suffix in (".json",):
        return _records(json_records(path), str(path), mapping)
    if suffix in (".jsonl", ".ndjson"):
        return _records(jsonl_records(path), str(path), mapping)
    if suffix in (".yaml", ".yml"):
        return _records(yaml_records(path), str(path), mapping)
    return _mapped(csv_rows(path, header_row), mapping, str(path), lambda: csv_first_rows(path))


_TEXT_KINDS = {
    ".json": "JSON",
    ".jsonl": "JSON Lines",
    ".ndjson": "JSON Lines",
    ".yaml": "YAML",
    ".yml": "YAML",
}


def _check_text(path: Path, expected: str) -> None:
    """Refuse a file that is not text at all (a workbook or document under a .csv name, a
    program) with what it is, instead of advice about its encoding that would not help."""
    from ..sources import HEAD_BYTES, not_text

    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", str(path)) from None
    problem = not_text(head, path, expected)
    if problem:
        raise SourceError(problem, str(path))


def _record_hint(record: object) -> str:
    """How to turn a record that is no mapping into one: the call for the kinds of object
    scripts pass (a dataclass, a pydantic model, an attrs class, a named tuple)."""
    if hasattr(record, "__dataclass_fields__"):
        return "; pass dataclasses.asdict(row)"
    if _renamed_fields(record):
        return (
            '; pass the data frame\'s records, df.to_dict("records"): df.itertuples() renames '
            "columns such as recipient.last_name to _1, _2, …"
        )
    if hasattr(record, "_asdict"):
        return "; pass row._asdict()"
    if callable(getattr(record, "model_dump", None)):  # pydantic 2
        return "; pass row.model_dump()"
    if hasattr(record, "__attrs_attrs__"):
        return "; pass attrs.asdict(row)"
    return '; write each record as one object of fields, such as {"recipient.last_name": "Muster", "end_date": "2026-12-31"}'


def row_from_record(number: int, record: Any, mapping: Mapping[str, str] | None = None) -> Row:
    """A Row from a Python dict (nested, or with dotted keys like a CSV header). A column
    ``mapping`` (--columns) renames the record's top-level keys as it renames a CSV header:
    a JSON or YAML record's flat keys are the export's column names."""
    if isinstance(record, Broken):
        return Row(number, error=record.error)
    if not isinstance(record, Mapping):
        kind = type(record).__name__
        return Row(number, error=f"expected a mapping of keys, got {kind}{_record_hint(record)}")
    if mapping:
        record, twice = rename_keys(record, mapping)
        if twice:
            return Row(number, error=twice)
    odd = _odd_key(record)
    if odd:
        return Row(number, error=odd)
    same = _same_key_twice(record)
    if same:
        return Row(number, error=same)
    nulls: list[str] = []
    record = _without_nulls(record, "", nulls, {})
    flat = {k: v for k, v in record.items() if "." in str(k) or "[" in str(k)}
    # a top-level cell written as a CSV cell is read as one: "reasons": "capacity;budget"
    nested = {
        k: convert_cell(normalise_column(k), v) if isinstance(v, str) else v
        for k, v in record.items()
        if k not in flat
    }
    if flat:
        dotted = unflatten(
            {normalise_column(k): convert_cell(normalise_column(k), v) for k, v in flat.items()}
        )
        twice = _given_twice(nested, dotted)
        if twice:
            return Row(
                number,
                error=f"{twice} is given twice, as the key '{twice}' and inside '{twice.split('.')[0]}'; keep one",
            )
        nested = _merge_nested(nested, dotted)
    notices = tuple(
        f"{', '.join(keys)}: {what} read as empty (a mark for no value)"
        for what, keys in _by_mark(n.split("\0", 1) for n in nulls)
    )
    return Row(number, dict(nested), keys=tuple(str(k) for k in record), notices=notices)


def _by_mark(found: Iterable[Sequence[str]]) -> list[tuple[str, list[str]]]:
    """(mark, the keys or columns that held it) from (key, mark) pairs, in order: one
    notice per mark in a row, not one per cell (a data frame's row with five empty columns
    said "NaN read as empty" five times, in every row)."""
    keys: dict[str, list[str]] = {}
    for key, mark in found:
        keys.setdefault(mark, []).append(key)
    return list(keys.items())


def _renamed_fields(record: object) -> bool:
    """Whether a named tuple has fields renamed for being no identifiers (``_1``, ``_2``):
    df.itertuples()'s rows of a data frame whose columns are dotted keys (tester7)."""
    fields = getattr(record, "_fields", ())
    return isinstance(fields, tuple) and any(
        isinstance(f, str) and f[:1] == "_" and f[1:].isdigit() for f in fields
    )


def _odd_key(record: Mapping[Any, Any]) -> str | None:
    """What a script's reader left in a record's keys: csv.DictReader's None (a row with
    more cells than the header), a key that is no string (a data frame's numbered columns)
    and a byte-order mark before the first header (a file read as utf-8 that was written as
    utf-8-sig) (tester 42)."""
    for key in record:
        if key is None:
            return (
                "the record has cells beyond the header (csv.DictReader puts them under the key None); "
                "fix the row, or pass the file's path to merge(), which names the row and its cells"
            )
        if not isinstance(key, str):
            # a data frame read without a header has numbered columns: df.to_dict("records")
            # gives {0: ..., 1: ...} (tester6: a traceback, 'int' object has no attribute 'strip')
            return (
                f"the key {key!r} ({type(key).__name__}) is no column name: a record's keys are field names "
                "such as 'recipient.last_name'; a data frame read without a header has numbered columns: "
                "read it with its header row, or rename the columns"
            )
        if key.startswith("\ufeff"):
            return (
                f"the key {key!r} starts with a byte-order mark; read the file with encoding='utf-8-sig', "
                "or pass the file's path to merge(), which reads it"
            )
    return None


def _same_key_twice(record: Mapping[Any, Any]) -> str | None:
    """Two keys of a record that name one field ('recipient.last_name' and
    'Recipient.Last_Name'), refused as a CSV's repeated column is: which would win?"""
    seen: dict[str, str] = {}
    for key in record:
        name = normalise_column(str(key))
        if name in seen:
            return f"the keys '{seen[name]}' and '{key}' name the same field; keep one"
        seen[name] = str(key)
    return None


_NO_VALUE = object()  # a value that is a mark for none: its key is left out


def _without_nulls(value: Any, key: str, nulls: list[str], done: dict[int, Any]) -> Any:
    """The record with Python's and data frames' marks for no value read as empty (None):
    a float NaN (pandas' empty cell), pandas' NaT, and the texts a database writes (NULL,
    nan, …), each noted as "key\0what" in ``nulls``; a float postcode (80331.0, as pandas
    reads a column of numbers) becomes its digits. ``done``: the mapping or list made of
    each one gone through, by its id: one that the record holds more than once (a YAML
    alias, ``*sender``) is gone through once and shared as in the record, as nested
    aliases (the "billion laughs") would otherwise be copied out in full."""
    if isinstance(value, (Mapping, list)) and id(value) in done:
        return done[id(value)]
    if isinstance(value, Mapping):  # a key with no value is left out, as an empty CSV cell is
        pairs = ((k, _without_nulls(v, f"{key}.{k}" if key else str(k), nulls, done)) for k, v in value.items())
        done[id(value)] = made = {k: v for k, v in pairs if v is not _NO_VALUE}
        return made
    native = _native(value)
    if native is None and value is not None:  # numpy's NaT
        nulls.append(f"{key}\0NaT")
        return _NO_VALUE
    if isinstance(native, list):
        items = (_without_nulls(v, f"{key}.{i}", nulls, done) for i, v in enumerate(native))
        kept = [v for v in items if v is not _NO_VALUE]
        if native is value:  # the record's own list (a numpy array's .tolist() is a new one)
            done[id(value)] = kept
        return kept
    value = native
    if isinstance(value, float) and value != value:  # NaN
        nulls.append(f"{key}\0NaN")
        return _NO_VALUE
    if type(value).__name__ == "NaTType":
        nulls.append(f"{key}\0NaT")
        return _NO_VALUE
    if _is_null(value):
        nulls.append(f"{key}\0'{value.strip()}'")
        return _NO_VALUE
    if isinstance(value, float) and key.endswith("postal_code") and value.is_integer():
        return str(int(value))
    return value


def _native(value: Any) -> Any:
    """A numpy value (a data frame's cell from ``.iterrows()`` or ``.to_numpy()``: int64,
    float64, bool_, datetime64, an array) as the Python value it holds (int, float, bool,
    date or datetime, list; None for NaT), read as that value is. Compared with ``== []``,
    an int64 had raised "the truth value of an empty array is ambiguous" (tester3);
    numpy itself is not imported."""
    if type(value).__module__ != "numpy" or not hasattr(value, "tolist"):
        return value
    if type(value).__name__ == "datetime64":
        value = value.astype("datetime64[us]")  # .tolist() of nanoseconds would be an int
    return value.tolist()


def mapping_table(mapping: Mapping[str, str]) -> Mapping[str, str]:
    """A column mapping, checked (a plain dict from Python too), as a lookup: normalised
    header → normalised input key ('' ignores the column)."""
    if isinstance(mapping, _Table):
        return mapping
    if not isinstance(mapping, ColumnMapping):
        mapping = check_mapping(mapping, "the column mapping (--columns)")
    return _Table({normalise_column(k): normalise_column(v) for k, v in mapping.items()})


def rename_keys(record: Mapping[str, Any], mapping: Mapping[str, str]) -> tuple[dict[str, Any], str | None]:
    """The record with its top-level keys renamed by the column mapping (keys mapped to
    null dropped), and a message if two keys then name the same field."""
    table = mapping_table(mapping)
    out: dict[str, Any] = {}
    written: dict[str, str] = {}
    for key, value in record.items():
        target = table.get(normalise_column(str(key)))
        if target == "":
            continue
        name = key if target is None else target
        same = written.get(normalise_column(str(name)))
        if same is not None:
            return {}, (
                f"'{same}' and '{key}' both give {normalise_column(str(name))} "
                f"(the column mapping renames one to the other); keep one"
            )
        written[normalise_column(str(name))] = str(key)
        out[name] = value
    return out, None


class _Table(dict[str, str]):
    """A column mapping already turned into a lookup (read once per file, not per record)."""


def _given_twice(nested: Any, dotted: Any, path: str = "") -> str | None:
    """The first field both a nested mapping and a dotted key give a value (which would
    win silently), or None."""
    if not (isinstance(nested, Mapping) and isinstance(dotted, Mapping)):
        return path or None
    for key, value in dotted.items():
        if key in nested and nested[key] not in (None, ""):
            found = _given_twice(nested[key], value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    return None


def _merge_nested(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    from .columns import deep_merge

    return deep_merge(a, b)


def _records(records: Iterator[Any], name: str, mapping: Mapping[str, str] | None = None) -> Iterator[Row]:
    table = mapping_table(mapping) if mapping else None
    seen = False
    for number, record in records:
        seen = True
        yield row_from_record(number, record, table)
    if not seen:
        raise SourceError("holds no records", name)


def csv_delimiter(path: str | Path, header_row: int | None = None) -> str | None:
    """The delimiter a CSV client list is read with (Excel's ``sep=`` line, or the header
    line's), or None for a file that is no CSV (by its name) or cannot be read."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", *_TEXT_KINDS):
        return None
    try:
        with text_lines(path, csv_encoding(path)) as lines:
            return head_lines(lines, header_row)[1]
    except (OSError, UnicodeDecodeError, SourceError):
        return None


def _mapped(
    rows: Iterator[tuple[int, list[Any], list[Any] | None, str | RowNotes | None]],
    mapping: Mapping[str, str] | None,
    name: str,
    first_rows: Callable[[], Iterable[tuple[int, Sequence[Any]]]] | None = None,
) -> Iterator[Row]:
    """Check the header once, then turn each record into a Row. When the header does not
    name the columns and a row below it looks like the real header (``first_rows``: the
    file's first rows), the error says so."""
    try:
        header_row, header, _, _ = next(rows)
    except StopIteration:
        raise SourceError("has no header row", name) from None
    names = ["" if h is None else str(h).strip().lstrip("\ufeff").strip() for h in header]
    try:
        keys = header_keys(names, mapping, name)
    except SourceError:
        found = later_header(first_rows(), header_row, mapping) if first_rows else None
        if found is None:
            raise
        raise SourceError(header_hint(header_row, names, *found), name) from None
    unnamed = [i for i, n in enumerate(names) if not n]
    numbers = digit_columns(keys)
    specs = [column_spec(key) if key else None for key in keys]  # how each column's cells are read
    # the columns whose text cells convert_value only strips (most of them), read so here:
    # fifteen calls a row of a client list saved
    stripped = [_only_stripped(spec) for spec in specs]
    count = 0
    for number, _, fields, error in rows:
        count += 1
        if isinstance(error, str) or fields is None:
            yield Row(number, error=error if isinstance(error, str) and error else "cannot be read")
            continue
        total = _total_row(fields)
        if total:
            yield Row(number, error=total)
            continue
        problems = list(error.problems) if error else []
        unheaded = value_without_header(fields, unnamed) if unnamed else None
        digits = [(key, fields[i]) for i, key in numbers]
        exponent = excel_exponent(digits)
        problems += [p for p in (unheaded, exponent) if p]
        told = (
            frozenset(key for key, value in digits if excel_exponent([(key, value)]))
            if exponent
            else frozenset()
        )
        nulls = [
            (col, value)
            for col, value in zip(keys, fields, strict=True)
            if col and (value.strip() in _NULLS if type(value) is str else _is_null(value))
        ]
        if nulls:
            flat = {
                col: convert_value(spec, "" if _is_null(value) else value)
                for col, spec, value in zip(keys, specs, fields, strict=True)
                if col
            }
        else:
            flat = {
                col: value.strip() if plain and type(value) is str else convert_value(spec, value)
                for col, spec, plain, value in zip(keys, specs, stripped, fields, strict=True)
                if col
            }
        notices = tuple(error.notices) if error else ()
        if nulls:  # a database export's NULL had been printed into the letter (tester 39)
            notices += tuple(
                f"{', '.join(cols)}: {mark} read as {'empty cells' if len(cols) > 1 else 'an empty cell'} "
                "(a database's mark for no value)"
                for mark, cols in _by_mark((col, f"'{value.strip()}'") for col, value in nulls)
            )
        error_text = "; ".join(problems) if problems else None
        yield Row(number, unflatten(flat), error_text, problems=tuple(problems), told=told, notices=notices)
    if count == 0:
        raise SourceError("has a header but no rows of data", name)


# What database and data-frame exports write for no value (NULL in SQL, \\N in MySQL's and
# PostgreSQL's dumps, None and nan from Python): never a client's data, read as empty (a
# spreadsheet's error value, #N/A, fails its row: a formula went wrong).
_NULLS = frozenset({"NULL", "null", "\\N", "(null)", "<null>", "<NULL>", "None", "nan", "NaN"})


def _is_null(value: Any) -> bool:
    return isinstance(value, str) and value.strip() in _NULLS


def _only_stripped(spec: Spec | None) -> bool:
    """Whether ``convert_value`` gives a text cell of this column stripped and nothing more:
    a column of text (not a list, reasons, a yes/no or a number)."""
    return spec is not None and spec.kind not in ("list", "reasons", "bool", "int") and not spec.allow_false


# The word a spreadsheet's total row starts with, in German and English exports.
_TOTAL_WORDS = frozenset(
    {"summe", "gesamt", "gesamtsumme", "insgesamt", "zwischensumme", "total", "totals", "sum",
     "grand total", "subtotal", "sub-total", "gesamtbetrag", "endsumme", "total amount",
     "ergebnis", "gesamtergebnis", "summen", "totals row"}
)  # fmt: skip


def _total_row(fields: Sequence[Any]) -> str | None:
    """A spreadsheet's total row ("Summe" and the sums of the columns above) is no client:
    it fails with what it is, instead of three errors about a locale 'Summe' and missing
    fields. Its first filled cell is the word; every other filled cell is a number."""
    first = next((v for v in fields if v is not None and not (isinstance(v, str) and not v.strip())), None)
    if not isinstance(first, str):  # a client's row: its first cell (a locale, a name) ends it here
        return None
    word = first.strip().rstrip(":").strip()
    if word.lower() not in _TOTAL_WORDS:
        return None
    filled = [v for v in fields if v is not None and not (isinstance(v, str) and not v.strip())]
    if not all(_is_number(v) for v in filled[1:]):
        return None
    return (
        f"looks like the list's total row ('{word}' and the sums of the columns above), not a client; "
        "delete it from the export, or end the exported range above it"
    )


def _is_number(value: Any) -> bool:
    from decimal import Decimal

    from ..values import read_amount

    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    return isinstance(value, str) and isinstance(read_amount(value), Decimal)


def read_mapping(path: str | Path) -> ColumnMapping:
    """A column mapping file (YAML or JSON): {"Nachname": "recipient.last_name", "Notiz": null, ...};
    null or "" ignores a column. A wrong entry is reported with the file and its line."""
    from ..sources import read_input

    data, lines = read_input(path)
    return check_mapping(data, str(path), lines)
