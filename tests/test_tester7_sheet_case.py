"""--sheet names a sheet in any case, as Excel does (tester7: `--sheet kunden` for the sheet
Kunden was "has no sheet 'kunden'; its sheets are: Kunden, Archiv"); a name that is no
sheet's is still an error."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"
HEADER = ["locale", "channel", "recipient.company", "recipient.email", "end_date"]


def _workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Kunden"
    first.append(HEADER)
    first.append(["de-DE", "email", "A GmbH", "a@example.com", "2026-12-31"])
    second = book.create_sheet("Archiv")
    second.append(HEADER)
    second.append(["de-DE", "email", "Alt GmbH", "alt@example.com", "2026-12-31"])
    book.save(path)


def test_a_sheet_named_in_another_case_is_that_sheet(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    _workbook(path)
    report = letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="eml", sheet="kunden")
    (row,) = report.results
    assert row.status == "written"
    assert "a@example.com" in (tmp_path / "out" / row.file).read_text(encoding="utf-8")


def test_a_name_of_no_sheet_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    _workbook(path)
    with pytest.raises(LetterkitError, match="has no sheet 'Kunde'; its sheets are: Kunden, Archiv"):
        letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="eml", sheet="Kunde")
