"""``letterkit.merge(fmt=...)`` takes a format as an extension is written: "EML", ".docx"
(tester7: fmt="EML" was 'unknown format')."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit.errors import LetterkitError
from letterkit.merge import merge

ROW = {
    "locale": "de-DE",
    "date": "2026-11-26",
    "end_date": "2027-03-31",
    "sender": {"company": "Müller GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"},
    "recipient": {"company": "Kunde AG", "last_name": "Kunde", "email": "kunde@example.com"},
}


@pytest.mark.parametrize(("given", "suffix"), [("EML", ".eml"), (".docx", ".docx"), ("Docx", ".docx")])
def test_a_format_is_read_as_an_extension_is_written(tmp_path: Path, given: str, suffix: str) -> None:
    report = merge([ROW], out_dir=tmp_path / "out", fmt=given)
    assert report.ok
    assert [p.suffix for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")] == [suffix]


def test_an_unknown_format_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(LetterkitError, match="unknown format 'odt'"):
        merge([ROW], out_dir=tmp_path / "out", fmt="odt")
