"""Acceptance findings (seventh run) on input checks: a date that does not exist in a YAML
file (a traceback from the YAML parser before), the tone of ``reason_note`` reported
without the file and line, a refund offset against a final invoice the input does not
have, a step dated after the letter, and ``register: Du`` refused while other choices
ignore capitals."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import BASE

import letterkit
from letterkit.cli import main
from letterkit.errors import InputError


def data(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "locale": "de-DE",
        "date": "2026-05-01",
        "sender": copy.deepcopy(BASE["sender"]),
        "recipient": copy.deepcopy(BASE["recipient"]),
        "end_date": "2026-08-31",
    }
    base.update(changes)
    return base


def problems(**changes: Any) -> list[str]:
    with pytest.raises(InputError) as caught:
        letterkit.compose(data(**changes))
    return [str(p) for p in caught.value.problems]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2026-02-30", "'2026-02-30' is not a date: February 2026 has 28 days"),
        ("2027-04-31", "'2027-04-31' is not a date: April 2027 has 30 days"),
        ("2026-13-01", "'2026-13-01' is not a date: there is no month 13"),
        ("2026-02-30 10:00:00", "February 2026 has 28 days"),
    ],
)
def test_a_date_that_does_not_exist_is_named_not_a_traceback(
    tmp_path: Path, written: str, message: str
) -> None:
    text = (
        yaml.safe_dump(data(), allow_unicode=True, sort_keys=False)
        + f"contract: {{name: Wartungsvertrag, date: {written}}}\n"
    )
    result = CliRunner().invoke(
        main, ["generate", str(write(tmp_path, text)), "-o", str(tmp_path / "out.txt")]
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # no ValueError from the parser
    assert "client.yaml: 1 problem" in result.output
    assert "contract.date:" in result.output and message in result.output
    assert not (tmp_path / "out.txt").exists()


def test_german_dates_that_do_not_exist_say_why() -> None:
    assert any(
        "29.02.2025' is not a date: February 2025 has 28 days" in p for p in problems(end_date="29.02.2025")
    )
    letter = letterkit.compose(data(end_date="29.02.2028", date="2026-05-01"))
    assert "29. Februar 2028" in letter.body


def test_a_reproach_in_reason_note_names_the_file_and_line(tmp_path: Path) -> None:
    text = yaml.safe_dump(data(), allow_unicode=True, sort_keys=False)
    text += "reason_note: Sie haben es versäumt, die Rechnungen pünktlich zu zahlen.\n"
    lines = text.count("\n")
    path = write(tmp_path, text)
    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 1
    assert f"Error: {path}: 1 problem in the input" in result.output
    assert f"line {lines}: reason_note:" in result.output and "versäumt" in result.output
    assert not (tmp_path / "out.docx").exists()
    # through the API with a path, too
    with pytest.raises(InputError) as caught:
        letterkit.compose(path)
    assert caught.value.source == str(path) and caught.value.problems[0].line == lines


def test_an_offset_refund_needs_a_final_invoice() -> None:
    found = problems(refund={"amount": 50, "method": "offset"})
    assert len(found) == 1 and found[0].startswith(
        "refund.method: offset deducts the refund from the final invoice"
    )
    # with the invoice it is fine, and by transfer it needs none
    letterkit.compose(data(refund={"amount": 50, "method": "offset"}, final_invoice={"amount": 400}))
    letterkit.compose(data(refund={"amount": 50, "method": "bank_transfer"}))


def test_a_step_dated_after_the_letter_is_refused() -> None:
    found = problems(steps_taken=[{"kind": "meeting", "date": "2027-01-01"}])
    assert found == [
        "steps_taken[0].date: 2027-01-01 is after the letter's date (2026-05-01); the letter tells "
        "what was already done, so give the date it happened"
    ]
    letterkit.compose(data(steps_taken=[{"kind": "meeting", "date": "2026-05-01"}]))


@pytest.mark.parametrize(
    ("field", "written", "read"),
    [("register", "Du", "du"), ("register", "SIE", "sie"), ("channel", "EMAIL", "email")],
)
def test_choices_ignore_capitals(field: str, written: str, read: str) -> None:
    changes: dict[str, Any] = {field: written}
    if field == "channel":
        changes["recipient"] = {**BASE["recipient"], "email": "anna@beispiel.de"}
    if read == "du":
        changes["recipient"] = {**BASE["recipient"], "first_name": "Anna"}
    letter = letterkit.compose(data(**changes))
    assert getattr(letter, field) == read


def test_a_tone_warning_on_the_reason_note_names_the_file_and_line(tmp_path: Path) -> None:
    text = yaml.safe_dump(data(), allow_unicode=True, sort_keys=False)
    # a sentence the tone model reads as blame by a wide margin (0.87 of 0.50): what is tested
    # is where the warning points, not a borderline reading a retrain may move
    text += "reason_note: Durch Ihre Verzögerungen ist uns ein erheblicher Mehraufwand entstanden.\n"
    path = write(tmp_path, text)
    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}:{text.count(chr(10))}: judged/tone:" in result.output


@pytest.mark.parametrize(("written", "locale"), [("02/30/2027", "en-US"), ("30/02/2027", "en-GB")])
def test_a_slashed_date_that_does_not_exist_says_why(written: str, locale: str) -> None:
    from letterkit.values import slashed_date

    assert (
        slashed_date(written, locale)
        == f"'{written}' is not a date: February 2027 has 28 days; check the day"
    )
