"""``letterkit.merge(name=...)`` and ``fmt`` agree as ``--name`` and ``--format`` do: a name
pattern ending in an output extension chooses the format when ``fmt`` is not given, and a
``fmt`` that says otherwise is an error before anything is written. The API wrote .docx
files for ``name="{recipient.last_name}.txt"``, silently."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

BASE = {
    "date": "2026-11-26",
    "sender": {"company": "Northwind Design Ltd", "name": "Emma Clarke", "email": "emma@example.co.uk"},
}
ROWS = [
    {
        "locale": "en-GB",
        "recipient.company": "Patel Consulting Ltd",
        "recipient.last_name": "Patel",
        "recipient.email": "priya@example.com",
        "end_date": "2026-12-31",
        "reasons": "capacity",
    }
]


@pytest.mark.parametrize(("pattern", "made"), [("{recipient.last_name}.txt", "Patel.txt"), ("{recipient.last_name}.HTML", "Patel.html"), ("{recipient.last_name}.eml", "Patel.eml"), ("{recipient.last_name}", "Patel.docx")])
def test_the_name_chooses_the_format_when_fmt_is_not_given(tmp_path: Path, pattern: str, made: str) -> None:
    report = letterkit.merge(ROWS, base=BASE, out_dir=tmp_path, name=pattern)
    assert [(r.status, r.file) for r in report] == [("written", made)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [made]


@pytest.mark.parametrize("fmt", ["txt", "TXT", ".txt"])
def test_a_name_and_fmt_that_agree(tmp_path: Path, fmt: str) -> None:
    report = letterkit.merge(ROWS, base=BASE, out_dir=tmp_path, name="{recipient.last_name}.txt", fmt=fmt)
    assert [r.file for r in report] == ["Patel.txt"]


def test_a_name_and_fmt_that_disagree_are_refused_before_writing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(LetterkitError) as caught:
        letterkit.merge(ROWS, base=BASE, out_dir=out, name="{recipient.last_name}.txt", fmt="docx")
    assert str(caught.value) == "name= ends in .txt but fmt= is docx; make them agree"
    assert not out.exists()


def test_without_name_or_fmt_letters_are_docx(tmp_path: Path) -> None:
    report = letterkit.merge(ROWS, base=BASE, out_dir=tmp_path)
    assert [r.file for r in report] == ["0001-Patel.docx"]
