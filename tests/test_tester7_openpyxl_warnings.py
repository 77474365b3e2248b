"""A workbook with a drop-down list or conditional formatting of Excel 2010's kind (an
extension in the sheet's XML, as CRM exports and templates have them) made openpyxl print
"UserWarning: Data Validation extension is not supported and will be removed" when it was
merged, from the CLI and from Python, where a merge prints nothing (tester7). letterkit
only reads the workbook: nothing is removed from it, and nothing is printed."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest

import letterkit

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"
EXTENSIONS = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Listen!$A$1:$A$3</xm:f></x14:formula1>'
    "<xm:sqref>B2:B100</xm:sqref></x14:dataValidation></x14:dataValidations></ext>"
    '<ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings/></ext>'
    "</extLst>"
)


def _workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "channel", "recipient.company", "recipient.email", "end_date"])
    sheet.append(["de-DE", "email", "A GmbH", "a@example.com", "2026-12-31"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "clients.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", EXTENSIONS.encode() + b"</worksheet>")
            target.writestr(part, data)
    return path


@pytest.mark.parametrize("header_row", [None, 1])
def test_merging_a_workbook_with_extensions_warns_of_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header_row: int | None
) -> None:
    path = _workbook(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="eml", header_row=header_row)
    assert [r.status for r in report.results] == ["written"]
    assert [str(w.message) for w in caught] == []
    assert capsys.readouterr() == ("", "")
