"""Rows for a merge from CSV, XLSX, JSON, JSONL or YAML, read as a stream.

CSV is read the way spreadsheets write it: UTF-8 with or without BOM, or
Windows-1252 as German Excel saves it (a file that mixes the two is decoded line by
line); comma, semicolon or tab, sniffed, or set by Excel's ``sep=;`` first line. Column
names are dotted input keys, optionally renamed by a mapping file (German export
headers such as "Nachname"; null ignores a column). A malformed row becomes a Row with
an error; a problem with the whole file (empty, duplicate or unknown columns) is a
SourceError. Rows that are blank (no cell, or only spaces) are no records and are skipped.

A row's number is where the user finds it: in a CSV or a workbook the spreadsheet row
(header row 1, first record row 2; a record whose quoted cell holds line breaks is one
row, as in Excel; blank rows keep their numbers); in JSONL the line; in JSON and YAML
the record's place in the list, from 1.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .columns import (
    HEADER_SEARCH_ROWS,
    ColumnMapping,
    check_mapping,
    column_letter,
    convert_cell,
    digit_columns,
    excel_exponent,
    header_hint,
    header_keys,
    later_header,
    normalise_column,
    unflatten,
    value_without_header,
)
from .records import Broken, json_records, jsonl_records, yaml_records

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson", ".yaml", ".yml")


@dataclass
class Row:
    """One record of a source: its number as the user sees it (spreadsheet row), the input
    dict, and an error if the record itself is malformed."""

    number: int
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    keys: tuple[str, ...] = ()  # a record's top-level keys as written (for the messages of unknown ones)


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
    if not path.is_file():
        raise SourceError("no such file; check the path", str(path))
    if path.stat().st_size == 0:
        raise SourceError("is empty; it needs a header row and at least one row of data", str(path))
    suffix = path.suffix.lower()
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
    _check_text(path, _TEXT_KINDS.get(suffix, "CSV"))
    if suffix in (".json",):
        return _records(json_records(path), str(path), mapping)
    if suffix in (".jsonl", ".ndjson"):
        return _records(jsonl_records(path), str(path), mapping)
    if suffix in (".yaml", ".yml"):
        return _records(yaml_records(path), str(path), mapping)
    return _mapped(_csv_rows(path, header_row), mapping, str(path), lambda: _csv_first_rows(path))


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


def row_from_record(number: int, record: Any, mapping: Mapping[str, str] | None = None) -> Row:
    """A Row from a Python dict (nested, or with dotted keys like a CSV header). A column
    ``mapping`` (--columns) renames the record's top-level keys as it renames a CSV header:
    a JSON or YAML record's flat keys are the export's column names."""
    if isinstance(record, Broken):
        return Row(number, error=record.error)
    if not isinstance(record, Mapping):
        return Row(number, error=f"expected a mapping of keys, got {type(record).__name__}")
    if mapping:
        record, twice = rename_keys(record, mapping)
        if twice:
            return Row(number, error=twice)
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
    return Row(number, dict(nested), keys=tuple(str(k) for k in record))


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


# --- CSV -----------------------------------------------------------------------------

# A last line no CSV holds: if it ends up inside a cell, a quote was never closed.
_END = "\ue000letterkit: end of file\ue000"
_SEP_LINE = re.compile(r"^\ufeff?sep=([^\"\r\n])\s*$", re.IGNORECASE)  # Excel's delimiter line
_UTF8_START = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")  # how every UTF-8 character beyond ASCII starts
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")  # the five bytes Windows-1252 leaves undefined
# Excel for Mac's "CSV (Macintosh)" is Mac Roman: its ä ö ü ß are bytes that Windows-1252
# reads as Š š Ÿ § ("Wei§", "Mšller"). Seen at least twice after a letter, with none of
# Windows-1252's own accented letters after one anywhere (ä ö ü ß é à ... : bytes from
# 0xD8 and Ä Ö Ü É; not 0xC0-0xD7, which Mac Roman uses for ’ – “ ” « » …), the file is
# Mac Roman. One such byte alone may be a Slavic š in a Windows file ("Dušan"); but a
# capital Š or Ÿ or a § right after a lower-case letter ("BŠckerei", "Stra§e"), or a
# capital Š or Ÿ between a capital and a lower-case letter ("MŸller"; a French "HAŸ" is
# all capitals) is in no Windows text, so one of those is enough: Mac Roman's ä, ü or ß.
_MAC_UMLAUT = re.compile(rb"[A-Za-z\x8a\x9a\x9f\xa7][\x8a\x9a\x9f\xa7]")
_MAC_SURE = re.compile(rb"[a-z\x8a\x9a\x9f\xa7][\x8a\x9f\xa7]|[A-Z][\x8a\x9f][a-z]")
_CP1252_UMLAUT = re.compile(rb"[A-Za-z][\xd8-\xff\xc4\xc9\xd6]")
_BLOCK = 1 << 20
_UNCLOSED = (
    'a quote (") opened in this row is never closed, so the rest of the file would be one cell; '
    "close the quote or remove it (the rows after it were read on their own)"
)


def csv_encoding(path: Path) -> str:
    """'utf-16' (with a BOM), 'utf-8-sig', 'cp1252' (what German Excel writes), 'mac_roman'
    (Excel for Mac's "CSV (Macintosh)") or 'mixed': some lines UTF-8 and others
    Windows-1252, which are then decoded line by line.

    The whole file is checked, in blocks and at C speed (about 50 ms for 50 MB), so a
    Windows-1252 line far down a UTF-8 file is neither mis-decoded nor a surprise mid-merge."""
    with path.open("rb") as handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16"
        handle.seek(0)
        utf8_lines = cp1252_lines = windows = sure = False
        mac = 0
        line, tail = 1, b""
        while True:
            block = handle.read(_BLOCK)
            data = tail + block
            cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1 if block else len(data)
            chunk, tail = data[:cut], data[cut:]
            try:
                chunk.decode("utf-8")
                utf8_lines = utf8_lines or not chunk.isascii()
            except UnicodeDecodeError:
                cp1252_lines = True
                utf8_lines = utf8_lines or any(
                    _is_utf8(_line_at(chunk, m.start())) for m in _UTF8_START.finditer(chunk)
                )
                mac += len(_MAC_UMLAUT.findall(chunk)) if mac < 2 else 0
                sure = sure or _MAC_SURE.search(chunk) is not None
                windows = windows or _CP1252_UMLAUT.search(chunk) is not None
                try:
                    chunk.decode("cp1252")
                except UnicodeDecodeError:
                    if not (mac >= 2 or sure) or windows:
                        _check_cp1252(chunk, line, str(path))
            if utf8_lines and cp1252_lines:
                return "mixed"
            line += chunk.count(b"\n")
            if not block:
                if cp1252_lines and (mac >= 2 or sure) and not windows:
                    return "mac_roman"
                return "cp1252" if cp1252_lines else "utf-8-sig"


def _line_at(chunk: bytes, offset: int) -> bytes:
    start = max(chunk.rfind(b"\n", 0, offset), chunk.rfind(b"\r", 0, offset)) + 1
    ends = [e for e in (chunk.find(b"\n", offset), chunk.find(b"\r", offset)) if e >= 0]
    return chunk[start : min(ends, default=len(chunk))]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_cp1252(chunk: bytes, first_line: int, name: str) -> None:
    for match in _NOT_CP1252.finditer(chunk):
        if not _is_utf8(_line_at(chunk, match.start())):
            line = first_line + chunk.count(b"\n", 0, match.start())
            raise SourceError(
                f"is neither UTF-8 nor Windows-1252 (byte 0x{chunk[match.start()]:02X}); "
                "save the file as UTF-8 (in Excel: CSV UTF-8)",
                name,
                line,
            )


@contextmanager
def _text_lines(path: Path, encoding: str) -> Iterator[Iterator[str]]:
    """The file's lines as text, line endings kept (what csv.reader wants)."""
    if encoding != "mixed":
        with path.open(encoding=encoding, newline="", errors="strict") as handle:
            yield handle
        return
    with path.open("rb") as raw:
        yield _mixed_lines(raw, str(path))


def _mixed_lines(raw: Iterator[bytes], name: str) -> Iterator[str]:
    """Each line in its own encoding: UTF-8 where it is valid UTF-8, else Windows-1252."""
    for number, line in enumerate(raw, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = line.decode("cp1252")
            except UnicodeDecodeError:  # seen by csv_encoding unless the file changed since
                raise SourceError(
                    "is neither UTF-8 nor Windows-1252; save it as UTF-8", name, number
                ) from None
        yield text.lstrip("\ufeff") if number == 1 else text


def sniff_delimiter(header: str) -> str:
    """The delimiter of the header line: the most frequent of ; , tab."""
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(
    path: Path, header_row: int | None = None
) -> Iterator[tuple[int, list[str], list[str] | None, str | None]]:
    """(row number, header, fields, error) for each record; the header first, with fields None.

    Rows are counted as a spreadsheet shows them: one per record (a quoted cell with line
    breaks does not add rows), blank ones included; Excel's ``sep=;`` line is no row. The
    header is the first row that is not blank, or ``header_row``."""
    encoding = csv_encoding(path)

    def line_at(line: int) -> str:  # a line of the file, for a message about it
        with _text_lines(path, encoding) as lines:
            return next(islice(lines, line - 1, None), "")

    try:
        with _text_lines(path, encoding) as lines:
            head, delimiter, skipped = _head(lines, header_row)
            reader = csv.reader(chain(head, lines, (_END,)), delimiter=delimiter)
            number, header = _header(reader, str(path), header_row)
            yield number, header, None, None
            shape = _Shape(header, delimiter, line_at)
            resume = yield from _csv_records(reader, number, skipped, shape)
        while resume is not None:  # after a quote never closed: read on from the next line
            number, line = resume
            with _text_lines(path, encoding) as lines:
                reader = csv.reader(chain(islice(lines, line, None), (_END,)), delimiter=delimiter)
                resume = yield from _csv_records(reader, number, line, shape)
    except UnicodeDecodeError as exc:  # only if the file changed since csv_encoding read it
        raise SourceError(
            f"is not readable as {encoding} ({exc.reason}); save it as UTF-8", str(path)
        ) from None


def _head(lines: Iterator[str], header_row: int | None = None) -> tuple[list[str], str, int]:
    """The lines up to the header's, its delimiter, and 1 if Excel's sep= line came first
    (it is taken out: Excel does not show it as a row). The delimiter is the header line's:
    a title line above it may have none."""
    head: list[str] = []
    for line in lines:
        sep = _SEP_LINE.match(line) if not head else None
        if sep:
            delimiter = sep.group(1)
            return [], delimiter, 1
        head.append(line)
        if len(head) == header_row or (header_row is None and line.strip()):
            return head, sniff_delimiter(line), 0
    return head, ",", 0


def csv_delimiter(path: str | Path, header_row: int | None = None) -> str | None:
    """The delimiter a CSV client list is read with (Excel's ``sep=`` line, or the header
    line's), or None for a file that is no CSV (by its name) or cannot be read."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", *_TEXT_KINDS):
        return None
    try:
        with _text_lines(path, csv_encoding(path)) as lines:
            return _head(lines, header_row)[1]
    except (OSError, UnicodeDecodeError, SourceError):
        return None


def _csv_first_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The first rows of a CSV file as cells, each line split by its own delimiter, to look
    for a header below a title line (``later_header``); a line is a row here."""
    with _text_lines(path, csv_encoding(path)) as lines:
        first = True
        for number, line in enumerate(islice(lines, HEADER_SEARCH_ROWS + 2), start=1):
            if first and _SEP_LINE.match(line):
                return  # the delimiter is Excel's, the header the first row: no title above it
            first = False
            yield number, next(csv.reader([line], delimiter=sniff_delimiter(line)), [])


def _header(reader: Any, name: str, header_row: int | None = None) -> tuple[int, list[str]]:
    for number, cells in enumerate(_parsed(reader), start=1):
        if isinstance(cells, csv.Error):
            raise SourceError(f"row {number}, the header, cannot be read: {_csv_problem(cells)}", name)
        if cells and cells[-1].endswith(_END):
            if cells == [_END]:
                break
            raise SourceError(f"row {number}, the header, opens a quote that is never closed; close it", name)
        if header_row is not None and number < header_row:
            continue  # a title or format line above the header
        if any(cell.strip() for cell in cells):
            return number, cells
        if header_row is not None:
            raise SourceError(f"row {number} is empty, so it is no header row; check --header-row", name)
    if header_row is not None:
        raise SourceError(f"has no row {header_row}; check --header-row", name)
    raise SourceError("has no header row", name)


@dataclass(frozen=True)
class _Shape:
    """What reading a CSV's records needs of it: the header, the delimiter, and a way to
    fetch one of its lines (for the message about a cell too long to read)."""

    header: list[str]
    delimiter: str
    line_at: Callable[[int], str]


def _parsed(reader: Any) -> Iterator[list[str] | csv.Error]:
    """The reader's records, and the error of one it cannot read (a cell over the field size
    limit): the reader then reads on from the next line."""
    while True:
        try:
            yield from reader
            return
        except csv.Error as exc:
            yield exc


def _csv_problem(error: csv.Error) -> str:
    if "field limit" in str(error):
        return (
            f"a cell holds more than {csv.field_size_limit():,} characters, which no field of a letter "
            "needs; shorten it"
        )
    return f"it is no valid CSV ({error})"


def _csv_records(
    reader: Any, number: int, line_base: int, shape: _Shape
) -> Generator[tuple[int, list[str], list[str] | None, str | None], None, tuple[int, int] | None]:
    """The records after the header; returns (row, line) to read on from when a quote opened
    in a row is never closed (that row is reported, the lines after it are rows again)."""
    header, delimiter = shape.header, shape.delimiter
    width, end = len(header), reader.line_num
    for fields in _parsed(reader):
        number += 1
        first, end = end + 1, reader.line_num
        if isinstance(fields, csv.Error):
            if end > first:  # a quoted cell went on over lines: most likely a quote never closed
                yield number, [], None, _overlong_quote(line_base + first, line_base + end)
                return number, line_base + first
            yield number, [], None, _overlong_cell(fields, shape.line_at(line_base + end), shape)
            continue
        if end > first and fields[-1].endswith(_END):
            yield number, [], None, _UNCLOSED
            return number, line_base + first
        if not any(cell.strip() for cell in fields):
            continue  # a blank row is no record
        if len(fields) == 1 and fields[0] == _END:
            return None
        if len(fields) != width or (end > first and _holds_rows(fields, delimiter, width)):
            lines = f"lines {line_base + first}–{line_base + end}" if end > first else ""
            yield number, [], None, _field_count_message(len(fields), width, lines)
            continue
        yield number, [], fields, None
    return None


def _overlong_quote(first: int, last: int) -> str:
    return (
        f"a quoted cell that starts in this row runs over lines {first}–{last} of the file and past "
        f'{csv.field_size_limit():,} characters: a quote (") is probably not closed where it should be; '
        "close the quote or remove it (the lines after this row were read on their own)"
    )


def _overlong_cell(error: csv.Error, line: str, shape: _Shape) -> str:
    """The message for a row the reader could not read: a cell longer than the field size
    limit (named by its column), or what the reader says."""
    limit = csv.field_size_limit()
    if "field limit" not in str(error):
        return _csv_problem(error)
    column, start, quoted = 0, 0, False
    for position, char in enumerate(line):  # the cell in which the line passes the limit
        if char == '"':
            quoted = not quoted
        elif char == shape.delimiter and not quoted:
            column, start = column + 1, position + 1
        elif position - start >= limit:
            break
    header = shape.header
    name = f"'{header[column]}'" if column < len(header) and header[column].strip() else "a cell"
    return (
        f"{name} (column {column_letter(column)}) holds more than {limit:,} characters, which no field "
        "of a letter needs; shorten it"
    )


def _holds_rows(fields: list[str], delimiter: str, width: int) -> bool:
    """A quoted value whose lines hold as many delimiters as a row: rows were read into it."""
    return width > 1 and any(
        line.count(delimiter) >= width - 1
        for value in fields
        if "\n" in value or "\r" in value
        for line in value.splitlines()
    )


def _field_count_message(got: int, expected: int, lines: str = "") -> str:
    if lines:
        return (
            f"has {got} fields (the header has {expected}) and runs over {lines} of the file: a quote "
            '(") in it is probably not closed where it should be, so the lines after it were read '
            "into this row; close the quote or remove it"
        )
    if got > expected:
        return (
            f"has {got} fields but the header has {expected}; a value probably contains the "
            "delimiter: put it in double quotes"
        )
    return f"has {got} fields but the header has {expected}; add the missing fields (they may be empty)"


def _mapped(
    rows: Iterator[tuple[int, list[Any], list[Any] | None, str | None]],
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
    count = 0
    for number, _, fields, error in rows:
        count += 1
        if error or fields is None:
            yield Row(number, error=error or "cannot be read")
            continue
        problem = value_without_header(fields, unnamed) if unnamed else None
        problem = problem or excel_exponent([(key, fields[i]) for i, key in numbers])
        if problem:
            yield Row(number, error=problem)
            continue
        flat = {col: convert_cell(col, value) for col, value in zip(keys, fields, strict=True) if col}
        yield Row(number, unflatten(flat))
    if count == 0:
        raise SourceError("has a header but no rows of data", name)


def read_mapping(path: str | Path) -> ColumnMapping:
    """A column mapping file (YAML or JSON): {"Nachname": "recipient.last_name", "Notiz": null, ...};
    null or "" ignores a column. A wrong entry is reported with the file and its line."""
    from ..sources import read_input

    data, lines = read_input(path)
    return check_mapping(data, str(path), lines)
