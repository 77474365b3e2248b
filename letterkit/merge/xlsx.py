"""Rows from an Excel workbook (openpyxl): the chosen sheet, merged cells filled in (each
row told of them, see ``merged_cells``),
formulas read from their saved results, dates as dates (a date cell with a time of day
other than midnight is passed on as it is, so validation rejects it as it does in CSV).
Rows hidden in the sheet (an AutoFilter's, or by hand) fail with a message, also in a
workbook large enough to be streamed (over 15 MB, packed or unpacked), whose sheet XML is then read for them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime, time
from pathlib import Path
from typing import Any, TypeVar

from ..errors import SourceError
from .columns import (
    HEADER_SEARCH_ROWS,
    column_letter,
    header_hint,
    later_header,
    normalise_column,
    value_without_header,
)
from .merged_cells import RowNotes, merged_notes
from .number_formats import shown_value

_T = TypeVar("_T")

# Small workbooks are read whole (merged cells are known); large ones are streamed. Large
# by the size of their parts unpacked, too: a workbook read whole takes about ten times
# that in memory, and 100,000 rows fit into 7 MB packed (tester7: 865 MB for 100,000
# rows of 17 columns, saved by LibreOffice; streamed, the files are the same).
STREAM_ABOVE_BYTES = 15_000_000
# ... and by the range its cells span: a workbook read whole makes a cell object for every
# cell of the rows and columns it reads, so one stray value far down or to the right (a
# space in A1048576) made a small file take gigabytes (tester10: 3.4 GB and 40 s for a
# 10 KB file; with a space in XFD1048576, memory until the machine gave out).
STREAM_ABOVE_CELLS = 500_000


def _streamed(path: Path) -> bool:
    """Whether the workbook is large enough to be streamed: its file, or its parts unpacked
    (as the zip's directory gives their sizes), over STREAM_ABOVE_BYTES."""
    import zipfile

    if path.stat().st_size > STREAM_ABOVE_BYTES:
        return True
    try:
        with zipfile.ZipFile(path) as package:
            return sum(part.file_size for part in package.infolist()) > STREAM_ABOVE_BYTES
    except (zipfile.BadZipFile, OSError):  # said as openpyxl reads it
        return False


def xlsx_rows(
    path: Path,
    sheet: str | None,
    ignored: Collection[str] = (),
    header_row: int | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Iterator[tuple[int, list[str], list[Any] | None, str | RowNotes | None]]:
    """(spreadsheet row number, header, values, error) for each data row; the header first;
    for a row that is read, the error's place holds the notes of merged cells over it.
    The header is the first row that is not blank, or ``header_row``; a header cell merged
    over columns is an error (``mapping``: --columns, to tell a header below it). A file
    that is no workbook (encrypted, an old .xls, cut off, text) is named for what it is."""
    import zipfile
    import zlib

    _check_workbook(path)
    try:
        yield from _quiet(_rows(path, sheet, ignored, header_row, mapping))
    except (zipfile.BadZipFile, zlib.error, EOFError):  # a part damaged inside the package
        raise SourceError(_DAMAGED, str(path)) from None


def _quiet(rows: Iterator[_T]) -> Iterator[_T]:
    """The rows, read without openpyxl's warnings about the parts of a workbook it drops when
    it saves one ("Data Validation extension is not supported and will be removed", for a
    column with a drop-down list): letterkit only reads, the letters lose nothing, and a
    merge prints nothing of its own (tester7: printed for every such workbook, from the CLI
    and from Python). Scoped to each step of the reading, not set for the process."""
    while True:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            try:
                item = next(rows)
            except StopIteration:
                return
        yield item


def _rows(
    path: Path,
    sheet: str | None,
    ignored: Collection[str],
    header_row: int | None,
    mapping: Mapping[str, str] | None,
) -> Iterator[tuple[int, list[str], list[Any] | None, str | RowNotes | None]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    stream = _streamed(path)
    try:
        values_book = openpyxl.load_workbook(path, read_only=stream, data_only=True)
        formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise SourceError(f"is not a readable Excel workbook ({exc})", str(path)) from None
    values = _sheet(values_book, sheet, path)
    if not stream and values.max_row * values.max_column > STREAM_ABOVE_CELLS:
        stream = True
        values_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        values = values_book[values.title]
    formulas = formula_book[values.title]
    for streamed in (values, formulas) if stream else (formulas,):
        streamed.reset_dimensions()  # a saved size can be too small and would cut values off
    hidden: set[int] | None = None
    merges: Any = values  # what knows the merged ranges and their top-left values
    if stream:  # read-only mode keeps neither hidden rows nor merged ranges: the XML tells
        hidden, refs = _streamed_marks(path, values)
        merges = _StreamedMerges.read(values, refs) if refs else None
    fill = _merged_values(merges) if merges is not None else {}
    reach: dict[int, int] = {}  # row -> the last column a merged range fills in it
    for row, col in fill:
        reach[row] = max(reach.get(row, 0), col)
    last = _last_filled_row(path, formulas)  # not the formatted empty rows below (a million of them)
    if last is not None:  # a merged range's value fills the rows below its cell too
        last = max([last, 1, *(row for row, _ in fill)])
    rows = _shown_rows(values.iter_rows(max_row=last))
    formula_rows = formulas.iter_rows(max_row=last, values_only=True)
    header_row, header = _header(rows, formula_rows, values.title, path, header_row)
    if merges is not None:
        try:
            _check_merged_header(merges, header_row, path)
        except SourceError:
            found = later_header(xlsx_first_rows(path, sheet), header_row, mapping)
            if found is None:
                raise
            raise SourceError(header_hint(header_row, header, *found), str(path)) from None
    _check_hidden_columns(header, _hidden_columns(path, formulas), path, ignored)
    part = formulas._worksheet_path  # the sheet's XML in the package
    notes = merged_notes(merges, header, header_row, ignored, path, part) if merges is not None else {}
    yield header_row, header, None, None
    width = len(header)
    # a workbook in the 1904 date system (Excel for Mac's): its serial numbers count from
    # 1904, 1462 days later than those of a CSV or of other workbooks (tester6)
    dates_1904 = _date_columns(header, mapping) if values_book.epoch.year == 1904 else {}
    empty_results = _EmptyResults(path, formulas)
    for number, (cells, raw) in enumerate(zip(rows, formula_rows, strict=False), start=header_row + 1):
        if fill:  # a streamed row ends at its last written cell: a merged range may go further
            short = reach.get(number, 0) - len(cells)
            cells = [*cells, *([None] * short)] if short > 0 else cells
            cells = [fill.get((number, col), value) for col, value in enumerate(cells, start=1)]
        unsaved = _unsaved_formula(cells, raw, header, number, empty_results)
        if _blank(cells) and unsaved is None:
            continue  # a blank row (empty cells, only spaces, or formulas saved as "") is no record
        concealed = (_HIDDEN if number in hidden else None) if hidden is not None else _hidden(values, number)
        problem = concealed or unsaved
        if problem:
            yield number, header, None, problem
            continue
        note = notes.get(number)
        if dates_1904:
            cells, counted = _from_1904(cells, dates_1904)
            if counted:
                note = RowNotes(note.problems if note else [], [*(note.notices if note else []), *counted])
        beyond = value_without_header(cells, range(width, len(cells)))  # told with the row's others
        if beyond:
            note = RowNotes([*(note.problems if note else []), beyond], note.notices if note else [])
        yield number, header, _values(cells, width), note


_DAYS_1900_TO_1904 = 1462  # 1904-01-01 is serial number 1462 in the 1900 date system


def _date_columns(header: list[Any], mapping: Mapping[str, str] | None) -> dict[int, str]:
    """Column index → input key of the columns that hold dates (after --columns)."""
    from .serial_dates import is_date_field
    from .sources import mapping_table

    table = mapping_table(mapping) if mapping else {}
    found: dict[int, str] = {}
    for index, name in enumerate(header):
        key = normalise_column(str(name or ""))
        key = table.get(key) or key
        if is_date_field(key):
            found[index] = key
    return found


def _from_1904(cells: list[Any], columns: Mapping[int, str]) -> tuple[list[Any], list[str]]:
    """The row with each whole serial number in a date column (a number, or digits in a
    text cell) read as the day it counts to from 1904, and a notice for each (as a serial
    number in a CSV gets one)."""
    from datetime import timedelta

    from ..values import is_serial_date, serial_day

    cells = list(cells)
    notices: list[str] = []
    for index, key in columns.items():
        value = cells[index] if index < len(cells) else None
        if type(value) is float and value.is_integer():
            value = int(value)
        elif isinstance(value, str) and value.strip().isdigit():  # a serial number typed as text
            value = int(value.strip())
        if type(value) is not int or not is_serial_date(value + _DAYS_1900_TO_1904):
            continue
        day = serial_day(value) + timedelta(days=_DAYS_1900_TO_1904)
        cells[index] = day
        notices.append(
            f"{key}: {value} was read as an Excel date serial number, {day.isoformat()} (this workbook "
            "counts its dates from 1904, as Excel for Mac did); if that is not the date meant, format "
            "the column as a date in Excel, or write YYYY-MM-DD"
        )
    return cells, notices


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls files and of encrypted workbooks
_DAMAGED = (
    "is damaged: it is not a complete Excel workbook (.xlsx is a ZIP package, and this one is cut "
    "off or broken, as after an interrupted download or copy); open it in Excel and save it again, "
    "or export it anew"
)


def _check_workbook(path: Path) -> None:
    """Refuse what openpyxl cannot read with what it is: a workbook saved with a password
    (an OLE compound file holding an EncryptedPackage), an old .xls, a file cut off, text
    or a document of another kind under an .xlsx name."""
    import zipfile

    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", str(path)) from None
    problem = None
    if head.startswith(_OLE):
        problem = (
            "is encrypted (saved with a password), so it cannot be read; open it in Excel and save it "
            "without the password (File > Info > Protect Workbook > Encrypt with Password: clear it)"
            if _encrypted(path)
            else "is an old Excel 97–2003 workbook (.xls) or another Office file, not an .xlsx "
            "workbook; open it in Excel and save it as Excel Workbook (.xlsx)"
        )
    elif not head.startswith(b"PK"):
        problem = (
            "is not an Excel workbook (.xlsx): it does not start as one; if it is a CSV export, rename "
            "it to .csv, else export the client list again as .xlsx or CSV"
        )
    elif not zipfile.is_zipfile(path):
        problem = _DAMAGED
    else:
        problem = _other_package(path)
    if problem:
        raise SourceError(problem, str(path))


def _encrypted(path: Path) -> bool:
    """Whether an OLE compound file holds an EncryptedPackage stream (its name is stored
    in UTF-16), as Office saves a document protected with a password."""
    name = "EncryptedPackage".encode("utf-16-le")
    tail = b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            if name in tail + block:
                return True
            tail = block[-len(name) :]
    return False


def _other_package(path: Path) -> str | None:
    """A ZIP package that is no workbook: a Word document or an OpenDocument spreadsheet
    renamed to .xlsx, or another archive."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        workbook = next((n for n in names if n.lower() == "xl/workbook.xml"), None)
        head = archive.open(workbook).read(4096) if workbook else b""
    if workbook and _STRICT in head:
        # Excel's "Strict Open XML Spreadsheet": openpyxl finds no sheet in it (tester7: an
        # IndexError with a traceback)
        return (
            "is saved as Strict Open XML Spreadsheet, which letterkit cannot read; open it in Excel "
            "and save it as Excel Workbook (.xlsx), or export the client list as CSV"
        )
    if workbook:
        return None
    if "content.xml" in names:
        return (
            "is an OpenDocument file (.ods), not an Excel workbook; save it from LibreOffice as "
            "Excel 2007-365 (.xlsx) or as CSV"
        )
    if any(n.startswith("word/") for n in names):
        return "is a Word document (.docx), not an Excel workbook; the client list is a workbook or CSV"
    return "is a ZIP archive but not an Excel workbook; export the client list as .xlsx or CSV"


_STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"  # the namespace of a Strict workbook

_HIDDEN = (
    "the row is hidden in the sheet (filtered out, or hidden by hand), so it is not merged; "
    "to merge it, show it in Excel and save; to leave it out for good, delete it from the export"
)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_HIDDEN_ATTRIBUTE = re.compile(rb'\shidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')


def _hidden(sheet: Any, number: int) -> str | None:
    """A row hidden in the sheet (by a filter, or by hand) fails with a message, neither
    merged nor skipped unseen: a list filtered to the clients to write to must not write
    to the others, and a row hidden by mistake must not go missing."""
    dimension = sheet.row_dimensions.get(number)
    return _HIDDEN if dimension is not None and dimension.hidden else None


_COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_COL_RANGE = re.compile(rb'\smin="(\d+)"[^>]*?\smax="(\d+)"|\smax="(\d+)"[^>]*?\smin="(\d+)"')


def _hidden_columns(path: Path, sheet: Any) -> set[int]:
    """The (1-based) columns hidden in the sheet: its ``<cols>`` come before the rows, so
    the start of its XML tells."""
    import zipfile

    hidden: set[int] = set()
    try:
        with zipfile.ZipFile(path) as archive, archive.open(sheet._worksheet_path) as xml:
            head = b""
            while b"sheetData" not in head and len(head) < 1 << 22 and (block := xml.read(1 << 16)):
                head += block
    except (KeyError, OSError, zipfile.BadZipFile, AttributeError):
        return hidden
    head = head.split(b"sheetData", 1)[0]
    for tag in _COL_TAG.findall(head):
        span = _COL_RANGE.search(tag)
        if span and _HIDDEN_ATTRIBUTE.search(tag):
            low, high = (span.group(1), span.group(2)) if span.group(1) else (span.group(4), span.group(3))
            hidden.update(range(int(low), min(int(high), 16384) + 1))
    return hidden


def _check_hidden_columns(header: list[str], hidden: set[int], path: Path, ignored: Collection[str] = ()) -> None:
    """A hidden column with a header (an internal note, a field kept from the client) is
    not merged unseen: the user says whether it is meant for the letters — which a column
    mapping that ignores it (``"Interne Notiz": null``) has said. ``ignored``: such columns'
    names, normalised as the mapping's are."""
    named = [
        f"{column_letter(i - 1)} '{header[i - 1]}'"
        for i in sorted(hidden)
        if i <= len(header) and header[i - 1] and normalise_column(str(header[i - 1])) not in ignored
    ]
    if named:
        raise SourceError(
            f"has column(s) hidden in the sheet: {', '.join(named)}. Hidden columns often hold "
            "internal notes, so they are not merged unseen: show them in Excel to merge them, "
            "delete them from the export, or map them to null in --columns to leave them out",
            str(path),
        )


_XML_BLOCK = 1 << 20
_WORKSHEET = re.compile(rb"<(\w+:)?worksheet\b")
_ROW_START = re.compile(rb"<(?:\w+:)?row\b[^>]*>")


def _last_filled_row(path: Path, sheet: Any) -> int | None:
    """The number of the sheet's last row with a value or a formula, from its XML, or None
    if that cannot be told (a row tag without its number). Rows below it are blank, even
    when formatted: a sheet formatted down to row 1,048,576 would otherwise be read cell
    by cell, for minutes."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive, archive.open(sheet._worksheet_path) as xml:
            return _scan_last_row(xml)
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, AttributeError):
        return None


def _scan_last_row(xml: Any) -> int:
    """The last row with a value (``<v>``, ``<is>``) or a formula (``<f>``) in sheet XML, read
    in blocks and searched backwards at C speed: the last such tag of a block, and the row
    tag before it (or, when that row began in an earlier block, the last row begun there)."""
    last = row = 0  # the last filled row so far; the last row begun so far
    tail, prefix = b"", None
    while block := xml.read(_XML_BLOCK):
        data = tail + block
        cut = data.rfind(b"<")
        data, tail = data[:cut], data[cut:]
        if prefix is None:  # the tags as this file writes them: <v>, or <x:v> with a namespace prefix
            found = _WORKSHEET.search(data)
            if found is None:
                continue  # the root tag is still to come
            prefix = found.group(1) or b""
            values = [b"<" + prefix + name for name in (b"v>", b"v ", b"f>", b"f ", b"f/", b"is>", b"is ")]
            row_tag, end_tag = b"<" + prefix + b"row", b"</" + prefix + b"sheetData"
        end = data.find(end_tag)
        data = data[:end] if end >= 0 else data
        filled = max(data.rfind(tag) for tag in values)
        if filled >= 0:
            last = _row_number(data, data.rfind(row_tag, 0, filled)) or row
        row = _row_number(data, data.rfind(row_tag)) or row
        if end >= 0:
            break
    return last


def _row_number(data: bytes, start: int) -> int:
    """The r= of the row tag at ``start``, 0 if no row tag begins there; ValueError for a row
    tag without its number (rows are then counted, which this search cannot do)."""
    tag = _ROW_START.match(data, start) if start >= 0 else None
    if tag is None:
        return 0
    number = _ROW_NUMBER.search(tag.group(0))
    if number is None:
        raise ValueError("a row without its number")
    return int(number.group(1))


def _streamed_marks(path: Path, sheet: Any) -> tuple[set[int], list[str]]:
    """The numbers of the rows hidden in a streamed sheet and the references of its merged
    ranges (openpyxl's read-only mode keeps neither): its XML read in blocks for
    ``<row r="7" hidden="1">`` and ``<mergeCell ref="A2:A5"/>``."""
    import zipfile

    hidden: set[int] = set()
    merged: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive, archive.open(sheet._worksheet_path) as xml:
            tail = b""
            while block := xml.read(1 << 20):
                data = tail + block
                cut = data.rfind(b"<")
                data, tail = data[:cut], data[cut:]
                for tag in _ROW_TAG.findall(data):
                    number = _ROW_NUMBER.search(tag)
                    if number and _HIDDEN_ATTRIBUTE.search(tag):
                        hidden.add(int(number.group(1)))
                merged += [ref.decode("ascii") for ref in _MERGE_REF.findall(data)]
    except (KeyError, OSError, zipfile.BadZipFile, AttributeError):
        pass  # the rows themselves are read by openpyxl, which reports a broken file
    return hidden, merged


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\sref="([A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)"')


class _StreamedMerges:
    """The merged ranges of a streamed sheet and their top-left cells' values, in the shape
    ``merged_notes`` and ``_merged_values`` read from a sheet loaded whole
    (``merged_cells.ranges``, ``cell(row, col).value``)."""

    def __init__(self, ranges: list[Any], values: dict[tuple[int, int], Any]) -> None:
        from types import SimpleNamespace

        self.merged_cells = SimpleNamespace(ranges=ranges)
        self._values = values

    @classmethod
    def read(cls, sheet: Any, refs: list[str]) -> _StreamedMerges:
        """Each range's top-left value, from one more pass over the rows down to the last
        range's first row (a workbook without merged ranges makes no such pass)."""
        from openpyxl.worksheet.cell_range import CellRange

        ranges = [CellRange(ref) for ref in dict.fromkeys(refs)]
        wanted = {(r.min_row, r.min_col) for r in ranges}
        last = max(row for row, _ in wanted)
        values: dict[tuple[int, int], Any] = {}
        for number, cells in enumerate(sheet.iter_rows(max_row=last, values_only=True), start=1):
            for col, value in enumerate(cells, start=1):
                if (number, col) in wanted:
                    values[(number, col)] = value
        return cls(ranges, values)

    def cell(self, row: int, column: int) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(value=self._values.get((row, column)))


def _shown_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[Any]:
    """The rows' values, a number with a currency or percentage format as it is shown
    (``number_formats``: "EUR 1190.00", "19%"), so that the format is not lost."""
    for cells in rows:
        yield tuple(
            shown_value(value, cell.number_format) if type(value := cell.value) in (int, float) else value
            for cell in cells
        )


def _blank(cells: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in cells)


def _header(
    rows: Iterator[Any], formula_rows: Iterator[Any], title: str, path: Path, header_row: int | None = None
) -> tuple[int, list[Any]]:
    """The first row that is not blank (blank rows above it keep their numbers), or the
    row ``header_row`` (the rows above it are no records)."""
    for number, cells in enumerate(rows, start=1):
        next(formula_rows, None)
        if header_row is not None and number < header_row:
            continue
        if not _blank(list(cells)):
            return number, [("" if h is None else str(h)) for h in cells]
        if header_row is not None:
            raise SourceError(
                f"row {number} of sheet '{title}' is empty, so it is no header row; check --header-row",
                str(path),
            )
    if header_row is not None:
        raise SourceError(f"sheet '{title}' has no row {header_row}; check --header-row", str(path))
    raise SourceError(f"sheet '{title}' has no header row", str(path))


def xlsx_first_rows(path: Path, sheet: str | None) -> list[tuple[int, list[Any]]]:
    """The first rows of the sheet (number, values), to look for a header below a title."""
    import openpyxl

    with warnings.catch_warnings():  # as _quiet: what openpyxl would drop on saving is no matter here
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            values = _sheet(book, sheet, path)
            values.reset_dimensions()
            rows = values.iter_rows(max_row=HEADER_SEARCH_ROWS + 2, values_only=True)
            return [(number, list(cells)) for number, cells in enumerate(rows, start=1)]
        finally:
            book.close()


def _check_merged_header(sheet: Any, number: int, path: Path) -> None:
    """A header cell merged over several columns leaves the others without a name."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= number <= merged.max_row and merged.max_col > merged.min_col:
            value = sheet.cell(merged.min_row, merged.min_col).value
            first, last = column_letter(merged.min_col - 1), column_letter(merged.max_col - 1)
            raise SourceError(
                f"the header cell '{value}' is merged over columns {first}–{last} ({merged.coord}), so "
                f"column(s) after {first} have no header of their own; unmerge it and give each column "
                "its own header (an input key such as recipient.first_name)",
                str(path),
            )


def _sheet(book: Any, name: str | None, path: Path) -> Any:
    # a chart sheet (an Excel "Diagramm1" tab) holds no rows: not one to merge (tester7:
    # an AttributeError traceback, "'Chartsheet' object has no attribute 'max_row'")
    names = [n for n in book.sheetnames if hasattr(book[n], "iter_rows")]
    if name is not None:
        every = book.sheetnames
        if name not in every:
            # Excel's sheet names are the same in any case ('kunden' is the sheet Kunden), and
            # a name typed in a shell often loses its spaces at the ends (tester7)
            same = [n for n in every if n.strip().casefold() == name.strip().casefold()]
            if len(same) != 1:
                raise SourceError(f"has no sheet '{name}'; its sheets are: {', '.join(every)}", str(path))
            name = same[0]
        if name not in names:
            raise SourceError(
                f"the sheet '{name}' is a chart, not a table of rows; its sheets with rows are: "
                f"{', '.join(names) or 'none'}",
                str(path),
            )
        return book[name]
    # a hidden sheet (a lookup table, an old list) is not the one to merge unless named
    visible = [n for n in names if getattr(book[n], "sheet_state", "visible") == "visible"]
    used = [n for n in visible if book[n].max_row and book[n].max_row > 1]
    if len(used) > 1:
        raise SourceError(
            f"has several sheets with data ({', '.join(used)}); choose one with --sheet", str(path)
        )
    if not used:
        hidden = [n for n in names if n not in visible and book[n].max_row and book[n].max_row > 1]
        if hidden:
            raise SourceError(
                f"has no visible sheet with data; the data is on the hidden sheet(s) {', '.join(hidden)}, "
                "which is not merged unless you name it: --sheet NAME (or show it in Excel)",
                str(path),
            )
    if not names:  # a workbook openpyxl reads no sheet from: said, not an IndexError (tester7)
        raise SourceError(
            "has no sheet that can be read; open it in Excel and save it as Excel Workbook (.xlsx), "
            "or export the client list as CSV",
            str(path),
        )
    return book[used[0] if used else (visible or names)[0]]


def _merged_values(sheet: Any) -> dict[tuple[int, int], Any]:
    """Every cell of a merged range carries the value of its top-left cell."""
    fill: dict[tuple[int, int], Any] = {}
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                fill[(row, col)] = value
    return fill


def _unsaved_formula(
    cells: list[Any], raw: tuple[Any, ...], header: list[str], row: int, empty_results: _EmptyResults
) -> str | None:
    """The problem of a formula cell without a saved result (a sheet written by a script and
    never opened in Excel), None if every formula of the row has one. A row made only of such
    formulas is a record whose values are unknown, not a blank row. A formula whose saved
    result is the empty text (``=IF(A2="";"";A2)``) reads as None too; the sheet's XML
    tells it apart (``t="str"`` with an empty value), and it is an empty cell."""
    unsaved: list[tuple[str, str]] = []  # each one named: the row had told of its first only (tester3)
    for col, (value, formula) in enumerate(zip(cells, raw, strict=False)):
        if (
            value is None
            and isinstance(formula, str)
            and formula.startswith("=")
            and (row, col + 1) not in empty_results
        ):
            column = (
                f"'{header[col]}'" if col < len(header) and header[col] else f"column {column_letter(col)}"
            )
            unsaved.append((column, formula))
    if not unsaved:
        return None
    (column, formula), others = unsaved[0], [f"{c} ({f})" for c, f in unsaved[1:]]
    also = ""
    if others:
        also = f", and so {'do' if len(others) > 1 else 'does'} " + (
            others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
        )
    return (
        f"{column} holds the formula {formula} without a saved result{also}; open the workbook in "
        "Excel or LibreOffice and save it, or paste the values"
    )


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_STRING_TYPE = re.compile(rb'\st="str"')
_CELL_REF = re.compile(rb'\sr="([A-Z]+)(\d+)"')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f\b")
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?v>([^<]+)</")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")


class _EmptyResults:
    """The cells whose formula was saved with the empty text as its result, read from the
    sheet's XML the first time a formula without a value is met (most sheets never need it)."""

    def __init__(self, path: Path, sheet: Any) -> None:
        self._path, self._sheet = path, sheet
        self._cells: set[tuple[int, int]] | None = None

    def __contains__(self, cell: object) -> bool:
        if self._cells is None:
            self._cells = _empty_text_results(self._path, self._sheet)
        return cell in self._cells


def _empty_text_results(path: Path, sheet: Any) -> set[tuple[int, int]]:
    """(row, column) of every formula cell typed as text (``t="str"``) with no text saved,
    read in blocks of whole rows."""
    import zipfile

    from openpyxl.utils import column_index_from_string

    found: set[tuple[int, int]] = set()
    try:
        with zipfile.ZipFile(path) as archive, archive.open(sheet._worksheet_path) as xml:
            tail = b""
            while True:
                block = xml.read(_XML_BLOCK)
                data = tail + block
                ends = list(_ROW_END.finditer(data)) if block else []
                cut = ends[-1].end() if ends else (len(data) if not block else 0)
                data, tail = data[:cut], data[cut:]
                for cell in _CELL.finditer(data):
                    attributes, content = cell.group(1), cell.group(2) or b""
                    if (
                        _STRING_TYPE.search(attributes)
                        and _FORMULA_TAG.search(content)
                        and not _VALUE_TEXT.search(content)
                    ):
                        ref = _CELL_REF.search(attributes)
                        if ref:
                            found.add((int(ref.group(2)), column_index_from_string(ref.group(1).decode())))
                if not block:
                    return found
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, AttributeError):
        return found  # then such a cell is reported as without a result: a failed row, not a lost one


def _values(cells: list[Any], width: int) -> list[Any]:
    out: list[Any] = []
    for value in cells[:width]:
        if isinstance(value, datetime) and value.time() == time():
            value = value.date()  # a time of day is kept: the field's check reports it
        elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        out.append("" if value is None else value)
    out += [""] * (width - len(out))
    return out
