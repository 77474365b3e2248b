"""A lone surrogate in a value given from Python (half of a character, from a text cut or
decoded wrongly) is an input problem naming the field, not a UnicodeEncodeError when the
letter is written or merged (tester10)."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import InputError
from letterkit.merge import merge

DATA = {
    "locale": "de-DE",
    "date": "2026-11-26",
    "end_date": "2027-03-31",
    "sender": {"company": "Müller GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"},
    "recipient": {"company": "Kunde AG", "gender": "female", "last_name": "Be\ud800rg", "email": "k@example.com"},
}


def test_compose_names_the_field() -> None:
    with pytest.raises(InputError, match=r"recipient\.last_name.*lone surrogate U\+D800 at position 3"):
        letterkit.compose(DATA)


def test_a_merge_fails_that_row_and_writes_the_others(tmp_path: Path) -> None:
    good = {**DATA, "recipient": {**DATA["recipient"], "last_name": "Berg"}}
    report = merge([DATA, good], out_dir=tmp_path / "out", fmt="docx")
    (failed,) = report.failed
    assert failed.row == 1 and any("lone surrogate" in p for p in failed.problems)
    assert report.count("written") == 1
