"""A small workbook with one stray value far below its list (a space typed into
A1048576, a note far to the right) is read as the list it holds, in bounded memory:
read whole, every cell of the range up to the stray one was made as an object (tester10:
a 10 KB workbook took 3.4 GB and 40 s to check; with the space in XFD1048576 the
check filled the memory until it was killed)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import openpyxl

import letterkit
from letterkit.merge.xlsx import STREAM_ABOVE_CELLS, xlsx_rows

HEADER = [
    "locale",
    "channel",
    "recipient.gender",
    "recipient.first_name",
    "recipient.last_name",
    "recipient.email",
    "end_date",
    "date",
    "sender.name",
    "sender.email",
]
ROW = [
    "de-DE",
    "email",
    "Frau",
    "Jördis",
    "Berg",
    "j@berg.example",
    "2027-01-31",
    "2026-11-27",
    "Tina Zehn",
    "t@z.example",
]


def _workbook(path: Path, stray: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(ROW)
    sheet[stray] = " "
    book.save(path)
    return path


def test_a_stray_space_far_below_the_list_is_read_in_bounded_memory(tmp_path: Path) -> None:
    stray_row = STREAM_ABOVE_CELLS // len(HEADER) * 2
    path = _workbook(tmp_path / "clients.xlsx", f"A{stray_row}")
    tracemalloc.start()
    try:
        rows = list(xlsx_rows(path, None))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [number for number, _, _, _ in rows] == [1, 2]  # the header and the one client
    assert rows[1][2] is not None and rows[1][2][:5] == ROW[:5]
    assert peak < 40_000_000, f"{peak / 1e6:.0f} MB"


def test_the_list_of_such_a_workbook_merges_as_any_other(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "clients.xlsx", f"A{STREAM_ABOVE_CELLS}")
    report = letterkit.merge(path, out_dir=tmp_path / "out", fmt="eml")
    assert report.ok, [(r.row, r.problems) for r in report.results]
    assert [p.name for p in (tmp_path / "out").glob("*.eml")] == ["0002-Berg.eml"]
