"""Rows of a CSV client list, read as a stream, as spreadsheets write it: UTF-8 with or
without BOM, Windows-1252 as German Excel saves it or Mac Roman as Excel for Mac does (a
file that mixes UTF-8 and Windows-1252 is decoded line by line); comma, semicolon or tab,
sniffed, or set by Excel's ``sep=;`` first line.

Rows are numbered as a spreadsheet shows them (header row 1, first record row 2; a record
whose quoted cell holds line breaks is one row; blank rows keep their numbers); a row that
cannot be read (a quote never closed, a cell over the field size limit, a wrong number of
fields) carries its error, and the rows after it are read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .columns import HEADER_SEARCH_ROWS, column_letter

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
_BLOCK = 1 << 18  # read at a time: the check of a large file holds a few of these (~1 MB), not its size
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
def text_lines(path: Path, encoding: str) -> Iterator[Iterator[str]]:
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


def csv_rows(
    path: Path, header_row: int | None = None
) -> Iterator[tuple[int, list[str], list[str] | None, str | None]]:
    """(row number, header, fields, error) for each record; the header first, with fields None.

    Rows are counted as a spreadsheet shows them: one per record (a quoted cell with line
    breaks does not add rows), blank ones included; Excel's ``sep=;`` line is no row. The
    header is the first row that is not blank, or ``header_row``."""
    encoding = csv_encoding(path)

    def line_at(line: int) -> str:  # a line of the file, for a message about it
        with text_lines(path, encoding) as lines:
            return next(islice(lines, line - 1, None), "")

    try:
        with text_lines(path, encoding) as lines:
            head, delimiter, skipped = head_lines(lines, header_row)
            reader = csv.reader(chain(head, lines, (_END,)), delimiter=delimiter)
            number, header = _header(reader, str(path), header_row)
            yield number, header, None, None
            shape = _Shape(header, delimiter, line_at)
            resume = yield from _csv_records(reader, number, skipped, shape)
        while resume is not None:  # after a quote never closed: read on from the next line
            number, line = resume
            with text_lines(path, encoding) as lines:
                reader = csv.reader(chain(islice(lines, line, None), (_END,)), delimiter=delimiter)
                resume = yield from _csv_records(reader, number, line, shape)
    except UnicodeDecodeError as exc:  # only if the file changed since csv_encoding read it
        raise SourceError(
            f"is not readable as {encoding} ({exc.reason}); save it as UTF-8", str(path)
        ) from None


def head_lines(lines: Iterator[str], header_row: int | None = None) -> tuple[list[str], str, int]:
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


def csv_first_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The first rows of a CSV file as cells, each line split by its own delimiter, to look
    for a header below a title line (``later_header``); a line is a row here."""
    with text_lines(path, csv_encoding(path)) as lines:
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
        if len(fields) > width and not any(cell.strip() for cell in fields[width:]):
            fields = fields[:width]  # empty cells after the last column ("…;31.12.2026;;"): nothing is lost
        rows_inside = end > first and _holds_rows(fields, delimiter, width)
        if len(fields) != width or rows_inside:
            lines = f"lines {line_base + first}–{line_base + end}" if end > first else ""
            yield number, [], None, _field_count_message(len(fields), width, lines, rows_inside)
            continue
        if '="' in "".join(fields):  # rare: a quick look at the whole row first (0.2 µs)
            fields = [_text_formula(cell) for cell in fields]
        yield number, [], fields, None
    return None


# Excel's way to keep a value as text in a CSV file ("=""01067""", read as ="01067"): a formula
# that is a string and nothing else, which Excel shows as the string. Exporters write postcodes,
# contract and invoice numbers so, to keep their leading zeros; it had been printed into the
# letter as it stands ("Vertrag Nr. ="00123"", tester3).
_TEXT_FORMULA = re.compile(r'="((?:[^"]|"")*)"')


def _text_formula(cell: str) -> str:
    """The string of a cell that holds ="…" only; any other cell as it is."""
    found = _TEXT_FORMULA.fullmatch(cell.strip())
    return found.group(1).replace('""', '"') if found else cell


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


def _field_count_message(got: int, expected: int, lines: str = "", rows_inside: bool = False) -> str:
    """Why a row has another number of fields than the header. Over several lines, a quote
    left open is the likely cause only when a cell's lines hold a row's delimiters (rows
    read into it); else the row's cells are what they seem (a note with line breaks in
    closed quotes), and the count is the problem."""
    if rows_inside:
        return (
            f"has {got} fields (the header has {expected}) and runs over {lines} of the file: a quote "
            '(") in it is probably not closed where it should be, so the lines after it were read '
            "into this row; close the quote or remove it"
        )
    where = f" (it runs over {lines} of the file, in a quoted cell with line breaks)" if lines else ""
    if got > expected:
        return (
            f"has {got} fields but the header has {expected}{where}; a value probably contains the "
            "delimiter: put it in double quotes, or remove the extra fields at the end of the row"
        )
    return f"has {got} fields but the header has {expected}{where}; add the missing fields (they may be empty)"
