"""A workbook with a chart sheet (a tab that is a chart, as Excel makes with F11) was an
AttributeError with a traceback, "'Chartsheet' object has no attribute 'max_row'", with or
without --sheet (tester7). The chart sheet is passed over; named with --sheet, it is an
error that names the sheets with rows."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"


def _workbook(path: Path) -> None:
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kunden"
    sheet.append(["locale", "channel", "recipient.company", "recipient.email", "end_date", "final_invoice.amount"])
    sheet.append(["de-DE", "email", "A GmbH", "a@example.com", "2026-12-31", 100])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=6, min_row=1, max_row=2), titles_from_data=True)
    book.create_chartsheet("Diagramm", 0).add_chart(chart)
    book.save(path)


def test_a_chart_sheet_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    _workbook(path)
    report = letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="eml")
    assert [r.status for r in report.results] == ["written"]


def test_a_chart_sheet_named_with_sheet_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    _workbook(path)
    with pytest.raises(LetterkitError, match="the sheet 'Diagramm' is a chart, not a table of rows; its sheets with rows are: Kunden"):
        letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="eml", sheet="diagramm")
