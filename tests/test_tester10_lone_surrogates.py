"""JSON that escapes one half of a UTF-16 pair alone (``"Be\\ud800rg"``) is named as the
input error it is, for ``generate`` and for the records of a merge, where it had been read
as a character that no file can hold: writing the letter or its file name failed with a
UnicodeEncodeError traceback (tester10). A pair (an emoji) stays a character."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

LETTER = {
    "locale": "de-DE",
    "channel": "email",
    "date": "2026-11-27",
    "end_date": "2027-01-31",
    "sender": {"name": "Tina Zehn", "email": "tina@zehn.example"},
    "recipient": {"gender": "female", "last_name": "BERG", "email": "b@berg.example"},
}


def _json(path: Path, data: object, name: str) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=True).replace("BERG", name), encoding="utf-8")
    return path


def test_generate_names_a_lone_surrogate_escape(tmp_path: Path) -> None:
    path = _json(tmp_path / "client.json", LETTER, "Be\\ud800rg")
    with pytest.raises(LetterkitError, match=r"holds the escape \\ud800, one half of a UTF-16 pair"):
        letterkit.compose(str(path))


def test_merge_of_a_json_list_names_it_before_any_file(tmp_path: Path) -> None:
    path = _json(tmp_path / "clients.json", [LETTER], "Be\\udc00rg")
    with pytest.raises(LetterkitError, match=r"holds the escape \\udc00"):
        letterkit.merge(path, out_dir=tmp_path / "out", fmt="eml")
    assert not (tmp_path / "out").exists()


def test_merge_of_json_lines_fails_that_row_only(tmp_path: Path) -> None:
    good = json.dumps(LETTER).replace("BERG", "Berg")
    bad = json.dumps(LETTER).replace("BERG", "Be\\ud800rg").replace("b@berg", "c@berg")
    path = tmp_path / "clients.jsonl"
    path.write_text(f"{good}\n{bad}\n", encoding="utf-8")
    report = letterkit.merge(path, out_dir=tmp_path / "out", fmt="eml")
    assert [r.status for r in report.results] == ["written", "failed"]
    assert "holds the escape \\ud800" in " ".join(report.results[1].problems)


def test_an_escaped_pair_is_one_character(tmp_path: Path) -> None:
    path = _json(
        tmp_path / "client.json", dict(LETTER, reason_note="BERG"), "Wir danken Ihnen \\ud83d\\ude42"
    )
    assert "\U0001f642" in " ".join(block.text for block in letterkit.compose(str(path)).blocks)
