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


US_NO_STATE = {
    "locale": "en-US",
    "sender": {"company": "Acme LLC", "name": "Jo Doe"},
    "recipient": {"company": "X Inc", "gender": "female", "last_name": "Doe", "street": "1 Main St",
                  "postal_code": "10001", "city": "New York"},
    "end_date": "2026-12-31",
}


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    out = json.loads(json.dumps(data))
    for key in keys:
        out["recipient"].pop(key)
    return out


# --- 4. JSON errors name their line ---------------------------------------------------------


def test_a_json_input_error_names_the_line_of_the_field(tmp_path: Path) -> None:
    source = tmp_path / "client.json"
    data = dict(US_NO_STATE, channel="letter", thanks="vielleicht", steps_taken=[{"kind": "reminders", "count": "three"}])
    source.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source)])
    assert result.exit_code == 1
    lines = source.read_text().splitlines()
    thanks = next(n for n, text in enumerate(lines, 1) if '"thanks"' in text)
    count = next(n for n, text in enumerate(lines, 1) if '"count"' in text)
    city = next(n for n, text in enumerate(lines, 1) if '"city"' in text)
    assert f"line {thanks}: thanks:" in result.output
    assert f"line {count}: steps_taken[0].count:" in result.output
    assert f"line {city}: recipient.state:" in result.output  # named where the state goes


def test_a_json_key_given_twice_is_an_error_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "client.json"
    source.write_text('{\n  "locale": "de-DE",\n  "locale": "en-GB"\n}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source)])
    assert result.exit_code == 1
    assert "client.json:3: the key 'locale' appears twice; keep one" in result.output


# --- 5. type errors name the accepted forms -------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        # yes/no, ja/nein, 1/0 are true and false (fix16); anything else names the spellings
        ("thanks", "vielleicht", "thanks: expected true, false or a mapping with the key(s) since (thanks: {since: 2021}); for true and false also yes/no, ja/nein, wahr/falsch, y/n, j/n, 1/0 or x for yes (in any case); got text 'vielleicht'"),
        ("thanks", 2019, "thanks: expected true, false or a mapping with the key(s) since (thanks: {since: 2019})"),
        ("enclosures", "Rechnung", "enclosures: expected a list, got text 'Rechnung'; write it as [first, second]"),
        ("sender", "Acme", "sender: expected a mapping with the key(s) company, name"),
        ("wishes", "kaum", "wishes: expected true or false, or yes/no, ja/nein, wahr/falsch, y/n, j/n, 1/0 or x for yes (in any case); got 'kaum'"),
    ],
)
def test_a_value_of_the_wrong_kind_is_told_the_forms_it_may_take(key: str, value: Any, message: str) -> None:
    from letterkit import InputError, validate

    data = dict(US_NO_STATE, **{key: value})
    with pytest.raises(InputError) as caught:
        validate(data)
    assert any(str(p).startswith(message) or message in str(p) for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


def test_thanks_true_is_the_thanks_without_a_year() -> None:
    from letterkit import compose

    data = dict(US_NO_STATE, thanks=True)
    data["recipient"] = dict(data["recipient"], state="NY")
    letter = compose(data)
    assert any(block.part == "thanks" for block in letter.blocks)


# --- 3. a '?' in a name ------------------------------------------------------------------


def test_a_question_mark_in_a_name_fails_the_row_and_says_how_to_save_the_csv(tmp_path: Path) -> None:
    header = "Anrede;Nachname;Straße;PLZ;Ort;Vertragsende"
    source = tmp_path / "kunden.csv"
    source.write_bytes(f"{header}\nFrau;?ahin;Ostertorsteinweg 12;28203;Bremen;31.12.2026\n".encode("cp1252"))
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["merge", str(source), "--base", str(tmp_path / "base.yaml"),
               "--columns", str(tmp_path / "map.yaml"), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1, result.output
    assert "kunden.csv: row 2: recipient.last_name: '?ahin' has a '?' where a letter should be" in result.output
    assert "Excel's old CSV format" in result.output and '"CSV UTF-8"' in result.output
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


@pytest.mark.parametrize(
    ("key", "value", "refused"),
    [
        ("last_name", "?ahin", True),
        ("first_name", "Zo?", True),
        ("city", "K?ln", True),
        ("company", "Caf? ?lmühle", True),
        ("company", "Warum? Werbung GmbH", False),  # a '?' that ends a word may be the name's
        ("last_name", "Şahin", False),
        ("company", "=?utf-8?q?Evil_Corp?=", False),  # an encoded word, typed as it is
    ],
)
def test_which_question_marks_are_refused(key: str, value: str, refused: bool) -> None:
    from letterkit import InputError, validate

    data = json.loads(json.dumps(US_NO_STATE))
    data["recipient"].update({"state": "NY", key: value})
    if refused:
        with pytest.raises(InputError, match=f"recipient.{key}: '.*' has a '\\?' where a letter should be"):
            validate(data)
    else:
        validate(data)
