"""``--sheet`` with a client list that has no sheets (CSV, JSON, YAML) is an error, as
``--header-row`` with JSON is: it was passed over without a word, so a CSV exported from
one sheet was merged while the command named another (tester10)."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("clients.csv", "locale,recipient.last_name,end_date\nde-DE,Berg,2027-01-31\n", "a CSV file"),
        ("clients.json", '[{"locale": "de-DE"}]', "JSON"),
        ("clients.yaml", "- locale: de-DE\n", "YAML"),
    ],
)
def test_sheet_with_a_list_without_sheets_is_refused(tmp_path: Path, name: str, text: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        LetterkitError, match=f"--sheet 'Kunden B' is for workbooks \\(.xlsx\\); {kind} has no sheets"
    ):
        letterkit.merge(path, out_dir=tmp_path / "out", check=True, sheet="Kunden B")
    assert not (tmp_path / "out").exists()
