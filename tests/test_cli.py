"""The command line through click's CliRunner: every command, its output and its error paths."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "de-DE-wartungsvertrag.yaml"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("generate", "new", "parts", "schema"):
        assert command in result.output


def test_every_command_has_help_text():
    for name, command in main.commands.items():
        assert command.help, f"command {name} has no help text"
        assert run(name, "--help").exit_code == 0


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "letterkit, version" in result.output


def test_generate_prints_text_without_output():
    result = run("generate", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert "Sehr geehrte Frau Dr. Schneider," in result.output
    assert "Mit freundlichen Grüßen" in result.output


def test_generate_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "letter.html"
    assert run("generate", str(SAMPLE), "-o", str(out)).exit_code == 0
    first = out.read_bytes()
    assert b"<h1>K\xc3\xbcndigung Wartungsvertrag" in first
    again = run("generate", str(SAMPLE), "-o", str(out))
    assert again.exit_code == 1
    assert "already exists; use --force" in again.output
    assert run("generate", str(SAMPLE), "-o", str(out), "--force").exit_code == 0


def test_an_error_in_input_from_stdin_names_the_line():
    text = SAMPLE.read_text(encoding="utf-8").replace("end_date: 2026-12-31", "end_date: 2026-02-30")
    assert "end_date: 2026-02-30" in text
    result = run("generate", "-", input=text)
    assert result.exit_code == 1
    line = text.splitlines().index("end_date: 2026-02-30") + 1
    assert "<stdin>" in result.output
    assert f"line {line}: end_date:" in result.output


def test_generate_from_stdin():
    result = run("generate", "-", input=SAMPLE.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    assert "hiermit kündigen wir" in result.output


def test_unknown_extension_is_a_usage_error(tmp_path):
    result = run("generate", str(SAMPLE), "-o", str(tmp_path / "letter.odt"))
    assert result.exit_code == 2
    assert "end the name with one of .docx" in result.output
    assert not (tmp_path / "letter.odt").exists()


def test_invalid_input_lists_problems_with_lines_and_writes_nothing(tmp_path, write_input, base):
    base["recipient"]["gender"] = "Dr."
    base["end_date"] = "2026-01-01"
    path = write_input(base)
    out = tmp_path / "letter.txt"
    result = run("generate", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}: 2 problems in the input" in result.output
    assert "recipient.gender: 'Dr.' is not allowed" in result.output
    assert "end_date: 2026-01-01 is before the letter's date" in result.output
    assert "line " in result.output
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_malformed_yaml(write_input):
    path = write_input("locale: de-DE\nsender: {name: [x\n")
    result = run("generate", str(path))
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "is not valid YAML" in result.output


def test_missing_file():
    result = run("generate", "does-not-exist.yaml")
    assert result.exit_code == 1
    assert "does-not-exist.yaml: no such file" in result.output


def test_not_utf8(write_input, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("locale: de-DE\nsender: {name: Jürgen}\n".encode("latin-1"))
    result = run("generate", str(path))
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output


def test_json_input(tmp_path, base):
    path = tmp_path / "client.json"
    path.write_text(json.dumps(base), encoding="utf-8")
    result = run("generate", str(path))
    assert result.exit_code == 0 and "Beendigung unserer Zusammenarbeit" in result.output


def test_missing_output_folder(tmp_path):
    result = run("generate", str(SAMPLE), "-o", str(tmp_path / "nope" / "letter.txt"))
    assert result.exit_code == 1 and "does not exist; create it first" in result.output


def test_template_only_for_docx(tmp_path):
    result = run("generate", str(SAMPLE), "-o", str(tmp_path / "x.txt"), "--template", "t.docx")
    assert result.exit_code == 1 and "--template applies to .docx and .pdf" in result.output


def test_new_writes_a_starter_that_generates(tmp_path):
    for locale in ("de-DE", "de-AT", "de-CH", "en-GB", "en-US"):
        path = tmp_path / f"{locale}.yaml"
        result = run("new", str(path), "--locale", locale)
        assert result.exit_code == 0, result.output
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["locale"] == locale
        assert "#" in path.read_text(encoding="utf-8")
        generated = run("generate", str(path))
        assert generated.exit_code == 0, generated.output
    assert run("new", str(tmp_path / "de-DE.yaml")).exit_code == 1


@pytest.mark.parametrize(
    "locale,country,postcode,city",
    [("de-DE", "DE", r"\d{5}", "Berlin"), ("de-AT", "AT", r"\d{4}", "Wien"), ("de-CH", "CH", r"\d{4}", "Zürich"),
     ("en-GB", "GB", r"[A-Z0-9 ]+", "Manchester"), ("en-US", "US", r"\d{5}", "New York")],
)  # fmt: skip
def test_each_locales_starter_has_addresses_of_its_country(locale, country, postcode, city):
    text = run("new", "--locale", locale).output
    data = yaml.safe_load(text)
    assert data["sender"]["city"] == city
    for party in ("sender", "recipient"):
        assert data[party]["country"] == country
        assert re.fullmatch(postcode, data[party]["postal_code"]), data[party]
        assert (data[party].get("state") is not None) == (locale == "en-US")
    if locale not in ("de-DE", "en-GB"):  # nothing of Germany's or Britain's left
        assert not re.search(r"example\.(de|co\.uk)\b|Berlin|München|Leeds|\+49|\+44", text)
    if locale == "de-CH":
        assert "ß" not in text and "„" not in text and "Bahnhofstrasse" in text
    assert "postal_code: \"" in text  # postcodes quoted, as the comment asks


def test_parts_lists_catalogues():
    result = run("parts", "--locale", "de-DE")
    assert result.exit_code == 0
    assert "payment_terms" in result.output and "reminders" in result.output
    assert "Am 12. Oktober 2026" in result.output


def test_parts_lists_a_steps_wording_for_each_reason():
    """A step with wording of its own for one reason (by_reason) shows it under the step."""
    result = run("parts", "--locale", "en-GB")
    assert "reminders (payment_terms)" in result.output and "reminders (missing_inputs)" in result.output
    assert "payment reminders" in result.output and "documents and approvals" in result.output


def test_schema_is_json():
    result = run("schema")
    schema = json.loads(result.output)
    assert schema["properties"]["locale"]["enum"][0] == "de-DE"


def test_tricky_data_is_printed_literally_in_docx(tmp_path, write_input, base):
    import docx

    base["recipient"]["company"] = "Müller & Söhne <GmbH> {{ evil }} {% if x %}"
    base["recipient"]["last_name"] = "Schneider 😊"
    base["sender"]["company"] = "שלום Studio مرحبا"
    path = write_input(base)
    out = tmp_path / "letter.docx"
    result = run("generate", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    tables = "\n".join(c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells)
    everything = text + tables
    assert "Müller & Söhne <GmbH> {{ evil }} {% if x %}" in everything
    assert "Sehr geehrte Frau Schneider 😊," in everything


def test_control_character_is_rejected_before_writing(tmp_path, write_input, base):
    base["recipient"]["street"] = "Neben\x0bweg 2"
    path = write_input(base)
    out = tmp_path / "letter.docx"
    result = run("generate", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert "recipient.street: contains the invisible control character U+000B" in result.output
    assert not out.exists()


def test_bad_template_is_a_clear_error(tmp_path):
    not_docx = tmp_path / "letterhead.docx"
    not_docx.write_text("this is not a Word file", encoding="utf-8")
    out = tmp_path / "letter.docx"
    for template in (str(not_docx), str(tmp_path / "missing.docx")):
        result = run("generate", str(SAMPLE), "-o", str(out), "--template", template)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert template in result.output
        assert not out.exists()


def test_reason_note_with_blame_is_an_input_error(tmp_path, write_input, base):
    base["reason_note"] = "Sie haben es mehrfach versäumt, pünktlich zu zahlen."
    result = run("generate", str(write_input(base)))
    assert result.exit_code == 1
    assert "reason_note:" in result.output and "versäumt" in result.output


def test_docx_output_is_deterministic(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run("generate", str(SAMPLE), "-o", str(first)).exit_code == 0
    assert run("generate", str(SAMPLE), "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_whole_letter_warning_quotes_no_empty_text(write_input, base):
    base.update(thanks=False, wishes=False)
    result = run("generate", str(write_input(base)))
    assert result.exit_code == 0, result.output
    (warning,) = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert "missing-thanks" in warning and not warning.endswith("('')")


def test_an_email_of_a_letter_input_without_an_address_names_the_file_and_line(tmp_path, write_input, base):
    # channel: letter needs no address; written as .eml it does: named as input problems are
    source = write_input({**base, "channel": "letter"}, "letter.yaml")
    result = run("generate", str(source), "-o", str(tmp_path / "x.eml"))
    assert result.exit_code == 1 and not (tmp_path / "x.eml").exists()
    text = source.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.startswith("recipient:"))
    assert f"{source}: 1 problem in the input" in result.output
    # written as an email (with a note): the email's own requirement names the field
    assert f"line {line}: recipient.email: required for channel: email" in result.output
    assert "channel is letter, but .eml is an email" in result.output


def test_input_from_stdin_that_is_not_utf8_is_a_clear_error():
    """Windows-1252 or UTF-16 on standard input was a traceback (a surrogate escape)."""
    runner = CliRunner()
    for data, line in ((b"locale: de-DE\nsender: {company: M\xfcller GmbH}\n", 2), (b"\xff\xfel\x00o\x00", 1)):
        result = runner.invoke(main, ["generate", "-"], input=data)
        assert result.exit_code == 1, result.output
        assert f"<stdin>:{line}: is not UTF-8 text; save it as UTF-8" in result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize("today", ["2026-11-26", "2027-01-30", "2027-03-01", "2028-02-29", "2029-12-31"])
def test_a_starter_is_dated_for_the_day_it_is_written(tmp_path, monkeypatch, today):
    """The starter's dates follow the day ``new`` runs: the letter is dated that day, the
    call and the meeting lie before it, every deadline after it, the end date on the last
    day of a month; so the starter generates without a warning in any year."""
    import calendar
    from datetime import date, datetime, timezone

    day = date.fromisoformat(today)
    epoch = int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    for locale in ("de-DE", "de-CH", "en-GB", "en-US"):
        path = tmp_path / f"{locale}.yaml"
        assert run("new", str(path), "--locale", locale).exit_code == 0
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert data["date"] == day
        end = data["end_date"]
        assert day + timedelta(days=28) <= end <= day + timedelta(days=62)
        assert end.day == calendar.monthrange(end.year, end.month)[1]
        assert data["steps_taken"][0]["date"] < day
        opening = re.search(r"# opening: \{discussed: call, date: (\S+)\}", text)
        assert opening is not None and date.fromisoformat(opening.group(1)) < day
        assert day < data["handover"]["by"] < end < data["refund"]["by"] < data["final_invoice"]["due_date"]
        assert data["contract"]["date"] == date(2023, 2, 1)
        path.write_text(text.replace("# opening:", "opening:"), encoding="utf-8")
        generated = run("generate", str(path))
        assert generated.exit_code == 0, generated.output
        assert "has passed" not in generated.output and "Warning" not in generated.output
