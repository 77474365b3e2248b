"""Columns without a header between named ones are named in the message, but a header far
to the right (a note typed into XFD1) does not list the thousands of columns between it
and the list: the message said 16,368 column letters, 80 KB (tester10)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import letterkit
from letterkit.errors import LetterkitError


def _workbook(path: Path, note_at: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "recipient.last_name", "end_date"])
    sheet.append(["de-DE", "Berg", "2027-01-31"])
    sheet[note_at] = "note"
    book.save(path)
    return path


def test_a_header_far_to_the_right_names_the_columns_between_in_short(tmp_path: Path) -> None:
    with pytest.raises(LetterkitError) as caught:
        letterkit.merge(_workbook(tmp_path / "c.xlsx", "XFD1"), out_dir=tmp_path / "out", check=True)
    message = str(caught.value)
    assert len(message) < 1_000, len(message)
    assert "D, E, F, G, H, I, J, … XFC (16,380 in all) have no header" in message
    assert "'note'" in message


def test_a_few_columns_between_are_each_named(tmp_path: Path) -> None:
    with pytest.raises(LetterkitError) as caught:
        letterkit.merge(_workbook(tmp_path / "c.xlsx", "F1"), out_dir=tmp_path / "out", check=True)
    assert "column(s) D, E have no header" in str(caught.value)
