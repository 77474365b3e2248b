"""A serial number typed as text in a date column of a workbook in Excel's 1904 date
system (tester7): it counts from 1904 as the same number in a number cell does; it was
read from 1900, four years and a day early (44940 as 2023-01-14, not 2027-01-15)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import letterkit

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent


def test_a_serial_number_typed_as_text_counts_from_1904(tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["locale", "recipient.company", "recipient.email", "end_date", "final_invoice.due_date", "final_invoice.amount", "channel"])
    sheet.append(["de-DE", "A GmbH", "a@example.com", datetime.date(2026, 12, 31), " 44940", 1190, "email"])
    sheet["D2"].number_format = "DD.MM.YYYY"
    sheet["E2"].number_format = "@"
    path = tmp_path / "clients.xlsx"
    book.save(path)
    report = letterkit.merge(path, base=ROOT / "samples" / "merge" / "base.yaml", out_dir=tmp_path / "out", fmt="eml")
    (row,) = report.results
    assert row.status == "written", row.problems
    assert any("2027-01-15" in notice and "1904" in notice for notice in row.problems), row.problems
