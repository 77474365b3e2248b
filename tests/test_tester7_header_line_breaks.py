"""Headers with a line break typed in the cell (Alt+Enter in Excel), as German exports have
them: 'E-Mail\\n(geschäftlich)', 'Vertrags-\\nende' (tester7). A --columns entry had to hold
the line break to match ("did you mean 'E-Mail<newline>(geschäftlich)'?"); the header is
now read as it reads: 'E-Mail (geschäftlich)', 'Vertrags-ende'."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"


def test_a_header_broken_over_two_lines_matches_its_one_line_spelling(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Sprache", "Kanal", "Firma", "E-Mail\n(geschäftlich)", "Vertrags-\nende", "Rechnungs-\r\n betrag"])
    sheet.append(["de-DE", "E-Mail", "A GmbH", "a@example.com", "2026-12-31", 1190])
    path = tmp_path / "clients.xlsx"
    book.save(path)
    columns = {
        "Sprache": "locale",
        "Kanal": "channel",
        "Firma": "recipient.company",
        "E-Mail (geschäftlich)": "recipient.email",
        "Vertrags-ende": "end_date",
        "Rechnungs-betrag": "final_invoice.amount",
    }
    report = letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="eml", columns=columns)
    (row,) = report.results
    assert row.status == "written", row.problems
    assert "1.190,00" in (tmp_path / "out" / row.file).read_text(encoding="utf-8")
