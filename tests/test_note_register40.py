"""Tester 40: a reason_note in the other form of address than the letter's (Sie in a du
letter, du in a Sie letter) is an input error, as blame in it is: the letter was written
with the mix, and a written letter must pass its own lint."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main

INPUT = {
    "locale": "de-DE",
    "channel": "email",
    "end_date": "2026-12-31",
    "sender": {"company": "Muster GmbH", "name": "Erika Muster", "city": "Berlin", "email": "e@muster.de"},
    "recipient": {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.org"},
}


@pytest.mark.parametrize(
    "register, note, word",
    [
        ("du", "Wir können Ihre Anfragen nicht mehr zeitnah bearbeiten.", "Ihre"),
        ("sie", "Wir können deine Anfragen nicht mehr zeitnah bearbeiten.", "deine"),
    ],
)
def test_a_note_in_the_other_form_of_address_is_an_input_error(tmp_path: Path, register, note, word):
    source = tmp_path / "client.yaml"
    source.write_text(yaml.safe_dump({**INPUT, "register": register, "reason_note": note}), encoding="utf-8")
    out = tmp_path / "mail.eml"
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert "reason_note: The letter mixes Sie and du" in result.output and f"('{word}')" in result.output
    assert not out.exists()


def test_a_note_in_the_letters_form_of_address_is_written(tmp_path: Path):
    source = tmp_path / "client.yaml"
    note = "Wir können deine Anfragen nicht mehr zeitnah bearbeiten."
    source.write_text(yaml.safe_dump({**INPUT, "register": "du", "reason_note": note}), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "mail.eml")])
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output


def test_reminders_counted_with_one_date_are_an_input_error(tmp_path: Path):
    """Tester 40: count 3 with one date read „Am 1. Oktober 2026 haben wir uns dreimal
    schriftlich an Sie gewandt“; the README counts it among the input errors."""
    source = tmp_path / "client.yaml"
    step = {"kind": "reminders", "count": 3, "dates": ["2026-10-01"]}
    source.write_text(yaml.safe_dump({**INPUT, "steps_taken": [step]}), encoding="utf-8")
    out = tmp_path / "mail.eml"
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert "steps_taken[0].count: 3 reminders with one date: the letter would say all 3 were sent that day" in result.output
    assert not out.exists()


def test_a_block_given_as_text_is_explained_in_json_too(tmp_path: Path):
    """Tester 40: a JSON input with "recipient": "Alex Morgan" was told only the YAML way."""
    import json

    source = tmp_path / "client.json"
    source.write_text(json.dumps({**INPUT, "recipient": "Alex Morgan"}), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "mail.eml")])
    assert result.exit_code == 1
    assert 'in JSON "recipient": {"company": ...}' in result.output


def test_problems_are_listed_in_the_order_of_the_files_lines(tmp_path: Path):
    """Tester 40: "line 5: recipient.email … / line 4: sender.email …"."""
    source = tmp_path / "client.yaml"
    source.write_text(
        "locale: de-DE\nchannel: email\nend_date: 2026-12-31\n"
        # both emails missing: the checks find the recipient's (line 5) before the sender's (line 4)
        "sender: {company: Muster GmbH, name: Erika Muster, city: Berlin}\n"
        "recipient: {first_name: Ann, last_name: Lee}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "mail.eml")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("  - line ")]
    numbers = [int(line.split()[2].rstrip(":")) for line in lines]
    assert len(numbers) >= 2 and numbers == sorted(numbers), result.output


def test_the_unattached_enclosures_warning_names_the_input(tmp_path: Path):
    """Tester 40: the only warning of `generate` that named no input file."""
    source = tmp_path / "client.yaml"
    data = {**INPUT, "enclosures": ["Schlussrechnung"], "final_invoice": {"amount": 100}}
    source.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "mail.eml")])
    assert result.exit_code == 0, result.output
    assert f"Warning: {source}: the email lists enclosures (Schlussrechnung) but attaches no file" in result.output


@pytest.mark.parametrize("piped", ["", "  \n\n"])
def test_an_empty_standard_input_is_said_to_be_empty(tmp_path: Path, piped: str):
    """Tester 40: empty stdin was "(top level): expected a YAML or JSON mapping"."""
    result = CliRunner().invoke(main, ["generate", "-", "-o", str(tmp_path / "x.txt")], input=piped)
    assert result.exit_code != 0
    assert "<stdin>: is empty: pipe the client's input into" in result.output
    assert not (tmp_path / "x.txt").exists()


def test_an_email_made_by_the_eml_output_says_so_in_its_problems(tmp_path: Path):
    """Tester 40: an input without a channel written to .eml was told "required for channel:
    email", a channel it never named."""
    data = {k: v for k, v in INPUT.items() if k != "channel"}
    data["recipient"] = {k: v for k, v in data["recipient"].items() if k != "email"}
    source = tmp_path / "client.yaml"
    source.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "mail.eml")])
    assert result.exit_code == 1
    assert "recipient.email: required for an email (-o mail.eml makes one)" in result.output


def test_force_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path):
    """Tester 40: --force over a read-only (0444) output left a 0644 file."""
    import stat as stat_module

    from letterkit.output import write_atomic

    target = tmp_path / "letter.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o444)
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert stat_module.S_IMODE(target.stat().st_mode) == 0o444
    fresh = write_atomic(tmp_path / "new.txt", b"x")
    assert stat_module.S_IMODE(fresh.stat().st_mode) & 0o600 == 0o600


def test_the_unattached_enclosures_warning_speaks_of_an_invoice_only_when_there_is_one(tmp_path: Path):
    """gen23: "(an invoice 'follows separately')" was said of an email with no final invoice."""
    source = tmp_path / "client.yaml"
    data = {**INPUT, "enclosures": ["Schlüsselliste"]}
    data.pop("final_invoice", None)
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "mail.eml")])
    assert result.exit_code == 0, result.output
    assert "lists enclosures (Schlüsselliste) but attaches no file" in result.output
    assert "invoice" not in result.output
    data["final_invoice"] = {"amount": 100}
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "mail2.eml")])
    assert result.exit_code == 0, result.output
    assert "(the final invoice 'follows separately')" in result.output
