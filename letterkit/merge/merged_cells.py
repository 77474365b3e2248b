"""What a sheet's merged cells mean for the rows they cover.

A merged range shows one value (its top-left cell's) over several cells. Down one column
(a company name over the rows of its contacts) that value fills each row, and every row
it fills after the first says so in a notice: the value may not be that client's. Across
columns (first and last name in one cell) one value would fill several fields, and a
value hidden under a merged range (Excel keeps what other programs wrote there; openpyxl
drops it) would be lost: such rows fail with the range and the fix. The rows' notes are
``RowNotes``: problems fail the row (with its other problems, all at once), notices do not.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .columns import column_letter, normalise_column

_UNMERGE = "unmerge them (in Excel: Home > Merge & Center > Unmerge Cells)"


@dataclass
class RowNotes:
    """What reading a row found beside its values: ``problems`` fail it, ``notices`` do not."""

    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def merged_notes(
    sheet: Any, header: list[str], header_row: int, ignored: Collection[str], path: Path, part: str
) -> dict[int, RowNotes]:
    """Row number → the notes of the merged ranges over the row (rows below the header only).
    ``ignored``: the normalised names of the columns the mapping leaves out; ``part``: the
    sheet's XML in the workbook's package."""
    ranges = [m for m in sheet.merged_cells.ranges if m.max_row > header_row]
    if not ranges:
        return {}
    hidden = _hidden_values(path, part, ranges)
    notes: dict[int, RowNotes] = {}

    def named(col: int) -> str:
        name = str(header[col - 1]) if col <= len(header) else ""
        return name if name.strip() and normalise_column(name) not in ignored else ""

    for merged in ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        filled = value is not None and not (isinstance(value, str) and not value.strip())
        columns = [named(c) for c in range(merged.min_col, merged.max_col + 1) if named(c)]
        for row in range(max(merged.min_row, header_row + 1), merged.max_row + 1):
            note = notes.setdefault(row, RowNotes())
            own = [
                (c, hidden[(row, c)]) for c in range(merged.min_col, merged.max_col + 1) if (row, c) in hidden
            ]
            if filled and len(columns) > 1:
                note.problems.append(_across(merged, columns, value) + _also_hidden(row, own))
            elif own:
                note.problems.extend(_hidden(merged, row, col, text, named(col), value) for col, text in own)
            elif filled and columns and row > merged.min_row:
                note.notices.append(
                    f"'{columns[0]}' comes from the merged cells {merged.coord} (row {merged.min_row}'s value): "
                    "check that it is this client's"
                )
    return {row: note for row, note in notes.items() if note.problems or note.notices}


def _across(merged: Any, columns: list[str], value: Any) -> str:
    first, last = column_letter(merged.min_col - 1), column_letter(merged.max_col - 1)
    names = ", ".join(f"'{c}'" for c in columns[:-1]) + f" and '{columns[-1]}'"
    return (
        f"the cells {merged.coord} are merged across the columns {names} ({first}–{last}), so the one "
        f"value '{value}' would go into each of them; {_UNMERGE} and put each value in its own column"
    )


def _also_hidden(row: int, own: list[tuple[int, str]]) -> str:
    """The values of their own that the merged cells hide in this row ("D7 holds 'Nass'")."""
    cells = [f"{column_letter(col - 1)}{row} holds '{text}'" if text else f"{column_letter(col - 1)}{row} holds a value" for col, text in own]
    return f" ({', '.join(cells)}, hidden under them)" if cells else ""


def _hidden(merged: Any, row: int, col: int, text: str, name: str, value: Any) -> str:
    cell = f"{column_letter(col - 1)}{row}"
    column = f"'{name}'" if name else f"column {column_letter(col - 1)}"
    own = f" ({text})" if text else ""
    return (
        f"{column} holds a value of its own in {cell}{own}, hidden under the merged cells {merged.coord}, "
        f"which show row {merged.min_row}'s value '{value}' instead, so it would be lost; {_UNMERGE}, "
        "check which value is this client's and save"
    )


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_CELL_REF = re.compile(rb'\sr="([A-Z]+)(\d+)"')
_SHARED = re.compile(rb'\st="s"')
_TEXT = re.compile(rb"<(?:\w+:)?(?:v|t)(?:\s[^>]*)?>([^<]*)</", re.DOTALL)


def _hidden_values(path: Path, part: str, ranges: list[Any]) -> dict[tuple[int, int], str]:
    """(row, column) → the value (as written in the XML; '' for a shared string) of each cell
    under a merged range but its top-left one that holds a value in the sheet's XML. The XML
    is read in blocks (a streamed workbook's sheet may be hundreds of megabytes), and only
    the cells of rows a range covers are looked at."""
    import zipfile
    from html import unescape

    from openpyxl.utils import column_index_from_string

    by_row: dict[int, list[Any]] = {}
    for merged in ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            by_row.setdefault(row, []).append(merged)
    found: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as xml:
            tail = b""
            while True:
                block = xml.read(1 << 20)
                data = tail + block
                cut = data.rfind(b"<c") if block else len(data)  # a cell ends before the next begins
                if block and cut <= 0:
                    tail = data
                    continue
                data, tail = data[:cut], data[cut:]
                _cells_under(data, by_row, found, unescape, column_index_from_string)
                if not block:
                    break
    except (KeyError, OSError, zipfile.BadZipFile):
        return found
    return found


def _cells_under(
    data: bytes, by_row: dict[int, list[Any]], found: dict[tuple[int, int], str], unescape: Any, index: Any
) -> None:
    for cell in _CELL.finditer(data):
        ref = _CELL_REF.search(cell.group(1))
        if ref is None:
            continue
        row = int(ref.group(2))
        covering = by_row.get(row)
        if not covering:
            continue
        text = _TEXT.search(cell.group(2) or b"")
        if text is None or not text.group(1).strip():
            continue
        col = index(ref.group(1).decode())
        for merged in covering:
            inside = merged.min_col <= col <= merged.max_col
            if inside and (row, col) != (merged.min_row, merged.min_col):
                shared = _SHARED.search(cell.group(1)) is not None
                found[(row, col)] = "" if shared else unescape(text.group(1).decode("utf-8", "replace"))
