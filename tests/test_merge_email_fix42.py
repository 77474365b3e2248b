"""Testers 42 and 43: attachment file names cannot carry a header, long ones are continued
(RFC 2231); rows from data frames (NaN, NaT, float postcodes), keys given twice in two
spellings, an empty yes/no cell under a base; an email that attaches nothing does not say
it does, and one with the letter's PDF lists it; addresses keep their hyphens on a line."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.errors import UsageError
from letterkit.render.email import render_eml
from letterkit.render.typography import NB_HYPHEN, keep_together

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "de-DE-email-buchhaltung.yaml"


@pytest.fixture(scope="module")
def letter() -> letterkit.Letter:
    return letterkit.compose(SAMPLE)


@pytest.mark.parametrize(
    "name, says",
    [
        ("a\r\nBcc: evil@x.org.pdf", "line break"),
        ("a\nb.pdf", "line break"),
        ("../../etc/passwd", "folder"),
        ("", "no file name"),
    ],
)
def test_an_attachment_name_cannot_break_the_header(letter, name, says):
    with pytest.raises(UsageError, match=says):
        letterkit.to_email(letter, attachments=[(name, b"%PDF x")])


def test_an_attached_file_with_a_line_break_in_its_name_is_refused(tmp_path, letter):
    odd = tmp_path / "evil\nBcc: x@evil.org.pdf"
    odd.write_bytes(b"%PDF x")
    with pytest.raises(UsageError, match="line break"):
        letterkit.to_email(letter, attachments=[odd])


def test_a_long_non_ascii_file_name_is_continued_and_reads_back(letter):
    name = "Schlussrechnung für die Wartung der Heizungsanlage im Gebäude Müllerstraße 12 – Dezember 2026.pdf"
    raw = render_eml(letter, [(name, b"%PDF x")])
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert [part.get_filename() for part in message.iter_attachments()] == [name]
    # a decomposed (macOS) name is written composed
    decomposed = "Rechnung Ma\u0308rz.pdf"
    raw = render_eml(letter, [(decomposed, b"%PDF x")])
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert [part.get_filename() for part in message.iter_attachments()] == ["Rechnung März.pdf"]


BASE = yaml.safe_load((ROOT / "samples" / "de-DE-wartungsvertrag.yaml").read_text("utf-8"))


def test_data_frame_rows_nan_nat_and_float_postcodes(tmp_path):
    class NaTType:  # pandas' NaT, as far as the row reader can tell
        pass

    rows = [
        {
            "recipient.last_name": "Bauer",
            "recipient.first_name": float("nan"),
            "recipient.company": float("nan"),
            "recipient.postal_code": 80331.0,
        },
        {"recipient.last_name": "Cee", "end_date": float("nan")},
        {"recipient.last_name": "Dee", "contract": {"date": NaTType()}},
        {"recipient.last_name": "NULL"},
    ]
    report = letterkit.merge(rows, base=BASE, out_dir=tmp_path, fmt="txt")
    assert [r.status for r in report.results] == ["written"] * 4
    first = (tmp_path / report.results[0].file).read_text("utf-8")
    assert "nan" not in first.lower().split() and "80331 München" in first
    assert any("NaN read as empty" in p for p in report.results[0].problems)
    assert any("end_date: NaN" in p for p in report.results[1].problems)
    assert any("contract.date: NaT" in p for p in report.results[2].problems)
    assert "NULL" not in (tmp_path / report.results[3].file).read_text("utf-8")


def test_a_key_given_twice_in_two_spellings_fails_its_row(tmp_path):
    rows = [{"recipient.last_name": "Xlower", "Recipient.Last_Name": "Yupper"}]
    report = letterkit.merge(rows, base=BASE, out_dir=tmp_path, fmt="txt")
    assert report.results[0].status == "failed"
    assert "name the same field" in report.results[0].problems[0]


def test_a_dataclass_row_is_told_how_to_pass_it(tmp_path):
    from dataclasses import dataclass

    @dataclass
    class Client:
        last_name: str

    report = letterkit.merge([Client("X")], base=BASE, out_dir=tmp_path, fmt="txt")
    assert "dataclasses.asdict" in report.results[0].problems[0]


def test_an_empty_yes_no_cell_keeps_the_base(tmp_path):
    base = {**BASE, "wishes": True}
    rows = [
        {"recipient.last_name": "Leer", "wishes": ""},
        {"recipient.last_name": "Nein", "wishes": "nein"},
    ]
    report = letterkit.merge(rows, base=base, out_dir=tmp_path, fmt="txt")
    texts = [(tmp_path / r.file).read_text("utf-8") for r in report.results]
    assert "alles Gute" in texts[0] and "alles Gute" not in texts[1]


def _eml(tmp_path: Path, *args: str) -> tuple[email.message.EmailMessage, str]:
    data = yaml.safe_load(SAMPLE.read_text("utf-8"))
    data["enclosures"] = ["Schlussrechnung Nr. R-2027-031", "Übersicht der Zugänge"]
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.eml"
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(out), "--force", *args])
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    return message, result.output


def test_an_email_that_attaches_nothing_does_not_say_it_does(tmp_path):
    message, output = _eml(tmp_path)
    text = message.get_body(("plain",)).get_content()
    assert "erhalten Sie gesondert die Schlussrechnung" in text
    assert "im Anhang" not in text and "Anhänge:" not in text
    assert not list(message.iter_attachments())
    assert "written without them" in output


def test_an_email_with_the_letter_pdf_lists_it_and_not_what_it_lacks(tmp_path, monkeypatch):
    from letterkit.render import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda letter, template=None: b"%PDF-1.7 x")
    message, _ = _eml(tmp_path, "--attach-letter-pdf")
    text = message.get_body(("plain",)).get_content()
    files = [part.get_filename() for part in message.iter_attachments()]
    assert len(files) == 1 and files[0] in text
    assert "Übersicht der Zugänge" not in text  # listed in the input, not attached
    invoice = tmp_path / "R-2027-031.pdf"
    invoice.write_bytes(b"%PDF x")
    message, output = _eml(tmp_path, "--attach", str(invoice), "--attach-letter-pdf")
    text = message.get_body(("plain",)).get_content()
    files = [part.get_filename() for part in message.iter_attachments()]
    assert files[0] == "R-2027-031.pdf" and files[1] in text  # the letter's PDF is listed
    assert "im Anhang die Schlussrechnung" in text
    assert "lists 2 enclosures" in output and "attaches 1 file" in output


def test_email_and_web_addresses_keep_their_hyphens_on_one_line():
    text = keep_together("Schreiben Sie an post@lektorat-sommer.example oder www.lektorat-sommer.example.")
    assert f"post@lektorat{NB_HYPHEN}sommer.example" in text
    assert f"www.lektorat{NB_HYPHEN}sommer.example" in text
    assert keep_together("Ihre E-Mail-Adresse") == "Ihre E-Mail-Adresse"


def test_a_stopped_run_does_not_call_a_folder_or_a_users_file_written(tmp_path):
    import os
    import time

    out = tmp_path / "out"
    (out / "0002-B.docx").mkdir(parents=True)  # stops the run
    own = out / "0004-D.docx"
    own.write_text("my own notes", encoding="utf-8")
    old = time.time() - 2 * 86400
    os.utime(own, (old, old))
    rows = [{"recipient.last_name": name} for name in "ABCD"]
    with pytest.raises(letterkit.LetterkitError) as caught:
        letterkit.merge(rows, base=BASE, out_dir=out, fmt="docx")
    report = caught.value.report  # type: ignore[attr-defined]
    assert [r.status for r in report.results] == ["written", "stopped", "stopped", "stopped"]
    assert "1 file was written before it" in str(caught.value)


def test_smtp_settings_name_their_keys_and_take_a_cafile(tmp_path, monkeypatch):
    from letterkit.errors import LetterkitError
    from letterkit.merge.send import smtp_settings

    config = tmp_path / "smtp.yaml"
    config.write_text("host: localhost\nCAfile: x.pem\n", encoding="utf-8")
    with pytest.raises(LetterkitError, match="the settings are host, port, security, username, timeout, cafile"):
        smtp_settings(config)
    pem = tmp_path / "server.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    config.write_text(f"host: localhost\ncafile: {pem}\n", encoding="utf-8")
    assert smtp_settings(config).cafile == str(pem)
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", "abc")
    with pytest.raises(LetterkitError, match="LETTERKIT_SMTP_PORT"):
        smtp_settings(config)


def test_a_connection_that_times_out_on_port_465_says_to_use_ssl():
    from letterkit.merge.smtp import SMTPSettings, _hint

    said = _hint(SMTPSettings("localhost", 465, security="auto"), TimeoutError("timed out"))
    assert "set security: ssl" in said
    assert _hint(SMTPSettings("localhost", 587), ConnectionRefusedError("refused")) == ""


def test_a_rows_handover_contact_replaces_the_bases_whole(tmp_path):
    base = {
        **BASE,
        "handover": {**BASE.get("handover", {}), "contact": {"name": "Jonas Weber", "email": "jonas@example.de"}},
    }
    rows = [
        {"recipient.last_name": "Kurz", "handover.contact.name": "Lea Kurz", "handover.contact.email": "lea@example.de"},
        {"recipient.last_name": "Nur", "handover.contact.name": "Lea Nur"},
        {"recipient.last_name": "Basis"},
    ]
    report = letterkit.merge(rows, base=base, out_dir=tmp_path, fmt="txt")
    texts = {r.row: (tmp_path / r.file).read_text("utf-8") if r.file else "" for r in report.results}
    assert "lea@example.de" in texts[1] and "jonas@example.de" not in texts[1]
    assert "Lea Nur" not in texts[2] or "jonas@example.de" not in texts[2]  # never the two mixed
    assert "Jonas Weber" in texts[3] and "jonas@example.de" in texts[3]


def test_names_write_dates_and_amounts_one_way_across_rows(tmp_path):
    import datetime

    rows = [
        {"recipient.last_name": "A", "end_date": "2026-12-31", "final_invoice.amount": 1190.5},
        {"recipient.last_name": "B", "end_date": datetime.datetime(2026, 12, 31), "final_invoice.amount": "1190.50"},
        {"recipient.last_name": "C", "end_date": "31.12.2026", "final_invoice.amount": "1.190,50 €"},
    ]
    report = letterkit.merge(
        rows, base=BASE, out_dir=tmp_path, fmt="txt", name="{recipient.last_name}-{end_date}-{final_invoice.amount}.txt"
    )
    assert [r.file for r in report.results] == [f"{n}-2026-12-31-1190.50.txt" for n in "ABC"]


def test_footer_details_take_several_lines_and_keep_an_iban_whole(tmp_path):
    from letterkit.render.typography import NBSP, keep_footer_parts

    data = yaml.safe_load((ROOT / "samples" / "de-DE-wartungsvertrag.yaml").read_text("utf-8"))
    data["sender"]["legal"] = [
        "Amtsgericht Hamburg HRB 12345 · Geschäftsführerin: Erika Muster · USt-IdNr. DE123456789",
        "Hamburger Sparkasse · IBAN DE89 3704 0044 0532 0130 00 · BIC HASPDEHHXXX",
    ]
    letter = letterkit.compose(data)
    assert letter.footer[-2:] == tuple(data["sender"]["legal"])
    data["sender"]["legal"] = "\n".join(data["sender"]["legal"])  # with line breaks: the same
    assert letterkit.compose(data).footer == letter.footer
    kept = keep_footer_parts(letter.footer[-1])
    assert f"IBAN{NBSP}DE89{NBSP}3704{NBSP}0044{NBSP}0532{NBSP}0130{NBSP}00" in kept
    assert f"Hamburger{NBSP}Sparkasse · " in kept  # it breaks between the parts only
    from letterkit.render.docx import render_docx

    assert "Hamburger\u00a0Sparkasse" in zipfile_text(render_docx(letter))


def zipfile_text(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("word/footer"))


def test_keys_a_scripts_csv_reader_leaves_are_explained(tmp_path):
    rows = [
        {"recipient.last_name": "A", None: ["extra"]},
        {"\ufefflocale": "de-DE", "recipient.last_name": "B"},
    ]
    report = letterkit.merge(rows, base=BASE, out_dir=tmp_path, fmt="txt")
    problems = [r.problems[0] for r in report.results]
    assert "csv.DictReader" in problems[0] and "None: null" not in problems[0]
    assert "utf-8-sig" in problems[1]


def test_an_emails_html_keeps_dates_together_and_its_text_part_wraps_as_before(letter):
    message = letterkit.to_email(letter)
    html = message.get_body(("html",)).get_content()
    assert "31.\u00a0März\u00a02027" in html
    assert "31.\u00a0März" not in message.get_body(("plain",)).get_content()


def test_errors_raised_by_one_part_are_importable_from_letterkit_and_letterkit_errors():
    import letterkit.errors as errors

    for name in ("SettingError", "LanguageError", "SendError", "SendLockedError"):
        assert getattr(letterkit, name) is getattr(errors, name)
        assert issubclass(getattr(letterkit, name), letterkit.LetterkitError)
    assert issubclass(errors.Stopped, letterkit.LetterkitError)


@pytest.mark.parametrize("wrong", [42, None, b"recipient: x", ["a"]])
def test_compose_names_what_it_takes(wrong):
    with pytest.raises(UsageError, match=r"compose\(\) takes a dict, a file path"):
        letterkit.compose(wrong)


def test_select_with_a_rules_bare_id_names_the_whole_id():
    from letterkit.lint.config import SettingError

    with pytest.raises(SettingError, match="did you mean absolute/nie"):
        letterkit.lint("Du hast nie bezahlt.", lang="de", select=["nie"])


def test_a_letter_is_immutable_and_hashable_down_to_its_labels():
    import pickle

    letter = letterkit.compose(SAMPLE)
    with pytest.raises(TypeError):
        letter.labels["page"] = "x"  # type: ignore[index]
    assert hash(letter) == hash(letterkit.compose(SAMPLE))
    assert pickle.loads(pickle.dumps(letter)) == letter
    assert dict(letter.labels)["page"]
