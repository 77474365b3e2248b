"""A workbook in Excel's 1904 date system (Excel for Mac's, tester6): a date column holding
serial numbers (a General format) counts its days from 1904, so 44940 is 15 January 2027
there — it was read as 2023-01-14, four years and a day early."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import letterkit

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent


def _workbook(path: Path, epoch_1904: bool, header: tuple[str, str] = ("end_date", "final_invoice.due_date")) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["locale", "recipient.company", "recipient.email", *header, "final_invoice.amount", "channel"])
    # the end date as a date cell, the due date as the serial number of 15 January 2027
    sheet.append(["de-DE", "A GmbH", "a@example.com", datetime.date(2026, 12, 31), 44940 if epoch_1904 else 46402, 1190, "email"])
    sheet["D2"].number_format = "DD.MM.YYYY"
    book.save(path)


@pytest.mark.parametrize("epoch_1904", [True, False])
def test_a_serial_number_in_a_date_column_counts_from_the_workbooks_epoch(tmp_path: Path, epoch_1904: bool) -> None:
    book = tmp_path / "clients.xlsx"
    _workbook(book, epoch_1904)
    report = letterkit.merge(book, base=ROOT / "samples" / "merge" / "base.yaml", out_dir=tmp_path / "out", fmt="eml")
    (row,) = report.results
    assert row.status == "written", row.problems
    text = (tmp_path / "out" / row.file).read_bytes().decode("ascii")
    assert "15. Januar 2027" in _plain(tmp_path / "out" / row.file), text[:200]
    assert any("2027-01-15" in notice and "serial number" in notice for notice in row.problems), row.problems
    if epoch_1904:
        assert any("1904" in notice for notice in row.problems)


def test_a_mapped_column_is_known_as_a_date_column_too(tmp_path: Path) -> None:
    book = tmp_path / "clients.xlsx"
    _workbook(book, True, header=("Ende", "Fällig"))
    report = letterkit.merge(
        book,
        base=ROOT / "samples" / "merge" / "base.yaml",
        out_dir=tmp_path / "out",
        fmt="eml",
        columns={"Ende": "end_date", "Fällig": "final_invoice.due_date"},
    )
    (row,) = report.results
    assert row.status == "written", row.problems
    assert "15. Januar 2027" in _plain(tmp_path / "out" / row.file)


def test_an_amount_in_a_1904_workbook_stays_an_amount(tmp_path: Path) -> None:
    book = tmp_path / "clients.xlsx"
    _workbook(book, True)
    sheet_book = openpyxl.load_workbook(book)
    sheet_book.active["F2"] = 45000  # in the range of serial numbers, but an amount
    sheet_book.save(book)
    report = letterkit.merge(book, base=ROOT / "samples" / "merge" / "base.yaml", out_dir=tmp_path / "out", fmt="eml")
    (row,) = report.results
    assert row.status == "written", row.problems
    assert "45.000,00" in _plain(tmp_path / "out" / row.file)


def _plain(path: Path) -> str:
    import email
    import email.policy

    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())
