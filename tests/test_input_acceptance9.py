"""Input of the ninth acceptance run (acc14): --columns applies to JSON, JSONL and YAML
rows and to dicts from Python as it does to a CSV header; the default channel is the
letter's in every check; a '?' in a name is a character lost in an old CSV export; JSON
errors name their line; type errors name the forms a field accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit import merge
from letterkit.cli import main

SENDER = {"company": "Glanzwerk GmbH", "name": "Petra Lindner", "street": "Hafenstraße 21",
          "postal_code": "28217", "city": "Bremen", "email": "p.lindner@glanzwerk.de"}
BASE: dict[str, Any] = {"locale": "de-DE", "date": "2026-11-20", "sender": SENDER}
MAPPING = {"Anrede": "recipient.gender", "Nachname": "recipient.last_name", "Straße": "recipient.street",
           "PLZ": "recipient.postal_code", "Ort": "recipient.city", "Kanal": "channel",
           "Vertragsende": "end_date", "Gründe": "reasons", "Notiz": None}
RECORD = {"Anrede": "Herr", "Nachname": "Weiß", "Straße": "Am Wall 5", "PLZ": "28195", "Ort": "Bremen",
          "Kanal": "Brief", "Vertragsende": "31.12.2026", "Gründe": "focus_change; capacity",
          "Notiz": "zahlt spät"}


def _write_source(tmp_path: Path, suffix: str, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / f"kunden{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".yaml"])
def test_the_column_mapping_renames_the_keys_of_json_and_yaml_records(tmp_path: Path, suffix: str) -> None:
    source = _write_source(tmp_path, suffix, [RECORD])
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["merge", str(source), "--base", str(tmp_path / "base.yaml"),
               "--columns", str(tmp_path / "map.yaml"), "--check"]
    )
    assert result.exit_code == 0, result.output
    assert "unknown key" not in result.output
    assert "1 row(s) valid" in result.output


def test_the_column_mapping_applies_to_dicts_given_to_merge(tmp_path: Path) -> None:
    report = merge([RECORD], base=BASE, columns=MAPPING, check=True)
    assert [r.status for r in report.results] == ["valid"], report.results[0].problems


def test_a_mapped_key_given_twice_fails_the_row(tmp_path: Path) -> None:
    record = {**RECORD, "recipient.last_name": "Weiss"}
    report = merge([record], base=BASE, columns=MAPPING, check=True)
    (result,) = report.results
    assert result.status == "failed"
    assert "'Nachname' and 'recipient.last_name'" in result.problems[0] or (
        "'recipient.last_name' and 'Nachname'" in result.problems[0]
    )
