"""A postcode kept as a number in a workbook and shown with its leading zero by a format of
zeros (tester7): Excel's Special > Zip Code / Postleitzahl format "00000" shows 1067 as
01067, and letterkit read 1067 and failed the row ("did you mean '01067'? a spreadsheet
drops the leading zero unless the column is formatted as text"). It reads what the cell
shows, as it does for a currency or a percentage format; ZIP+4 ("00000-0000") too."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import letterkit

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"


def test_a_postcode_shown_with_its_leading_zero_keeps_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "channel", "recipient.company", "recipient.street", "recipient.postal_code",
                  "recipient.city", "end_date"])  # fmt: skip
    sheet.append(["de-DE", "letter", "A GmbH", "Weg 1", 1067, "Dresden", datetime.date(2026, 12, 31)])
    sheet.append(["en-US", "letter", "B Inc", "1 Main St", 21341234, "Boston, MA", datetime.date(2026, 12, 31)])
    sheet["E2"].number_format = "00000"
    sheet["E3"].number_format = "00000-0000"
    path = tmp_path / "clients.xlsx"
    book.save(path)
    report = letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert [r.status for r in report.results] == ["written", "written"], [r.problems for r in report.results]
    german, american = (tmp_path / "out" / r.file for r in report.results)
    assert "01067 Dresden" in german.read_text(encoding="utf-8")
    assert "Boston, MA 02134-1234" in american.read_text(encoding="utf-8")
