"""An export whose first column is empty (LibreOffice's and many reports' layout: the
table starts in column B) with a column letterkit does not know (tester7): the error named
the empty column A as one that lost its header ("column(s) A have no header: give each an
input key or delete the column"), though the merge takes it as it is once the unknown
column is left out. A column without a header between named ones is still named."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"


def _merge(tmp_path: Path, header: str, row: str) -> str:
    data = tmp_path / "clients.csv"
    data.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(LetterkitError) as caught:
        letterkit.merge(data, base=BASE, out_dir=tmp_path / "out", fmt="eml")
    return str(caught.value)


def test_a_leading_empty_column_is_not_named(tmp_path: Path) -> None:
    message = _merge(
        tmp_path,
        ";locale;recipient.company;recipient.email;end_date;Bemerkung",
        ";de-DE;A GmbH;a@example.com;2026-12-31;zahlt spät",
    )
    assert "'Bemerkung'" in message
    assert "no header" not in message, message


def test_an_empty_column_between_named_ones_still_is(tmp_path: Path) -> None:
    message = _merge(
        tmp_path,
        "locale;;recipient.company;recipient.email;end_date;Bemerkung",
        "de-DE;;A GmbH;a@example.com;2026-12-31;zahlt spät",
    )
    assert "column(s) B have no header" in message, message
