"""A workbook saved as Excel's "Strict Open XML Spreadsheet" (its parts in the purl.oclc.org
namespaces) was an IndexError with a traceback: openpyxl reads no sheet from it (tester7).
It is named for what it is, with how to save it so that it can be merged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"
TRANSITIONAL = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
}


def test_a_strict_workbook_is_named_for_what_it_is(tmp_path: Path) -> None:
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
            for old, new in TRANSITIONAL.items():
                data = data.replace(old, new)
            target.writestr(part, data)
    with pytest.raises(LetterkitError, match=r"Strict Open XML Spreadsheet.*save it as Excel Workbook"):
        letterkit.merge(path, base=BASE, out_dir=tmp_path / "out", fmt="eml")
    assert not (tmp_path / "out").exists()
