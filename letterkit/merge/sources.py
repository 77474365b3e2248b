"""Rows for a merge from CSV, XLSX, JSON, JSONL or YAML, read as a stream.

CSV is read the way spreadsheets write it: UTF-8 with or without BOM, or
Windows-1252 as German Excel saves it; comma, semicolon or tab, sniffed. Column
names are dotted input keys, optionally renamed by a mapping file (German export
headers such as "Nachname"). A malformed row becomes a Row with an error; a problem
with the whole file (empty, duplicate or unknown columns) is a SourceError.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .columns import convert_cell, normalise_column, unflatten, unknown_columns

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson", ".yaml", ".yml")


@dataclass
class Row:
    """One record of a source: its number as the user sees it (spreadsheet row), the input
    dict, and an error if the record itself is malformed."""

    number: int
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def read_rows(
    path: str | Path, *, sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> Iterator[Row]:
    """The rows of a file, by its extension; lazily, so a large file is never held whole."""
    path = Path(path)
    if not path.is_file():
        raise SourceError("no such file; check the path", str(path))
    if path.stat().st_size == 0:
        raise SourceError("is empty; it needs a header row and at least one row of data", str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx import xlsx_rows

        return _mapped(xlsx_rows(path, sheet), mapping, str(path))
    if suffix in (".json",):
        return _records(_json_records(path), str(path))
    if suffix in (".jsonl", ".ndjson"):
        return _records(_jsonl_records(path), str(path))
    if suffix in (".yaml", ".yml"):
        return _records(_yaml_records(path), str(path))
    return _mapped(_csv_rows(path), mapping, str(path))


def row_from_record(number: int, record: Any) -> Row:
    """A Row from a Python dict (nested, or with dotted keys like a CSV header)."""
    if isinstance(record, _Broken):
        return Row(number, error=record.error)
    if not isinstance(record, Mapping):
        return Row(number, error=f"expected a mapping of keys, got {type(record).__name__}")
    flat = {k: v for k, v in record.items() if "." in str(k) or "[" in str(k)}
    nested = {k: v for k, v in record.items() if k not in flat}
    if flat:
        nested = _merge_nested(
            nested,
            unflatten({normalise_column(k): convert_cell(normalise_column(k), v) for k, v in flat.items()}),
        )
    return Row(number, dict(nested))


def _merge_nested(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    from .columns import deep_merge

    return deep_merge(a, b)


def _records(records: Iterator[Any], name: str) -> Iterator[Row]:
    seen = False
    for number, record in records:
        seen = True
        yield row_from_record(number, record)
    if not seen:
        raise SourceError("holds no records", name)


# --- CSV -----------------------------------------------------------------------------


def sniff_encoding(sample: bytes, truncated: bool = False) -> str:
    """utf-16 with a BOM, utf-8(-sig), else cp1252 (what German Excel writes)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if truncated and exc.start > len(sample) - 4:  # a character cut at the end of the sample
            return "utf-8-sig"
        return "cp1252"


def sniff_delimiter(header: str) -> str:
    """The delimiter of the header line: the most frequent of ; , tab outside quotes."""
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str], list[str] | None, str | None]]:
    """(line number, header, fields, error) for each record."""
    with path.open("rb") as handle:
        sample = handle.read(65536)
    encoding = sniff_encoding(sample, truncated=len(sample) == 65536)
    with path.open(encoding=encoding, newline="", errors="strict") as handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise SourceError(f"is not readable as {encoding}; save it as UTF-8", str(path)) from None
        delimiter = sniff_delimiter(first)
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
            while header and not any(cell.strip() for cell in header):
                header = next(reader)
        except StopIteration:
            raise SourceError("has no header row", str(path)) from None
        header = [normalise_column(h) for h in header]
        yield 0, header, None, None
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                yield reader.line_num + 1, header, None, f"is not valid {encoding}; save the file as UTF-8"
                return
            except csv.Error as exc:
                yield reader.line_num, header, None, f"cannot be read as CSV ({exc})"
                continue
            if not any(cell.strip() for cell in fields):
                continue  # a blank line is no record
            yield reader.line_num, header, fields, None


def _mapped(
    rows: Iterator[tuple[int, list[str], list[Any] | None, str | None]],
    mapping: Mapping[str, str] | None,
    name: str,
) -> Iterator[Row]:
    """Check the header once, then turn each record into a Row."""
    try:
        _, header, _, _ = next(rows)
    except StopIteration:
        raise SourceError("has no header row", name) from None
    header = _rename(header, mapping)
    _check_header(header, name)
    count = 0
    for number, _, fields, error in rows:
        count += 1
        if error or fields is None:
            yield Row(number, error=error or "cannot be read")
            continue
        if len(fields) != len(header):
            yield Row(number, error=_field_count_message(len(fields), len(header)))
            continue
        flat = {col: convert_cell(col, value) for col, value in zip(header, fields, strict=True) if col}
        yield Row(number, unflatten(flat))
    if count == 0:
        raise SourceError("has a header but no rows of data", name)


def _field_count_message(got: int, expected: int) -> str:
    if got > expected:
        return (
            f"has {got} fields but the header has {expected}; a value probably contains the "
            "delimiter: put it in double quotes"
        )
    return f"has {got} fields but the header has {expected}; add the missing fields (they may be empty)"


def _rename(header: list[str], mapping: Mapping[str, str] | None) -> list[str]:
    if not mapping:
        return header
    table = {normalise_column(k): normalise_column(v) for k, v in mapping.items()}
    return [table.get(column, column) for column in header]


def _check_header(header: list[str], name: str) -> None:
    duplicates = sorted({c for c in header if c and header.count(c) > 1})
    if duplicates:
        raise SourceError(
            f"the column(s) {', '.join(duplicates)} appear more than once; keep one of each", name
        )
    unknown = unknown_columns(header)
    if unknown:
        raise SourceError(
            f"unknown column(s) {', '.join(unknown)}. Columns are input keys with dots, such as "
            "recipient.last_name or final_invoice.amount; rename them or map them with --columns",
            name,
        )


# --- JSON, JSONL, YAML -----------------------------------------------------------------


def _json_records(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"is not valid JSON ({exc})", str(path)) from None
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise SourceError('must be a JSON list of records (or {"rows": [...]})', str(path))
    yield from enumerate(records, start=1)


def _jsonl_records(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError as exc:
                yield number, _Broken(f"is not valid JSON ({exc})")


class _Broken(dict):  # type: ignore[type-arg]
    """A JSONL line that does not parse: validation reports it as the row's error."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


def _yaml_records(path: Path) -> Iterator[tuple[int, Any]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=loader)
    except yaml.YAMLError as exc:
        raise SourceError(f"is not valid YAML ({exc})", str(path)) from None
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise SourceError("must be a YAML list of records (or rows: [...])", str(path))
    yield from enumerate(records, start=1)


def read_mapping(path: str | Path) -> dict[str, str]:
    """A column mapping file (YAML or JSON): {"Nachname": "recipient.last_name", ...}."""
    from ..sources import read_input

    data, _ = read_input(path)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise SourceError(
            "must map column names to input keys, e.g. Nachname: recipient.last_name", str(path)
        )
    return {str(k): v for k, v in data.items()}
