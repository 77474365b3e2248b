"""Sending merged emails to a real SMTP server on localhost (aiosmtpd), including one that
drops the connection halfway: nothing is ever sent twice."""

from __future__ import annotations

import email
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge
from letterkit.merge.send import SendOptions, SMTPSettings, send_folder, smtp_settings

BASE = {
    "date": "2026-11-26",
    "sender": {
        "company": "Müller & Söhne GmbH",
        "name": "Jürgen Müller",
        "city": "Köln",
        "email": "juergen@example.de",
    },
}


def rows(n: int) -> list[dict]:
    return [
        dict(
            BASE,
            locale="de-DE",
            end_date="2026-12-31",
            recipient={
                "company": f"Kunde {i} AG",
                "gender": "female",
                "last_name": f"Schön{i}",
                "email": f"kunde{i}@example.com",
            },
        )
        for i in range(n)
    ]


class Inbox:
    """Collects what arrives; can drop the connection while receiving one message."""

    def __init__(self, drop_on: int | None = None) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.drop_on = drop_on
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.drop_on:
            server.transport.close()  # the connection dies before the server answers 250
            return "421 closing"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server():
    started = []

    def start(inbox: Inbox) -> SMTPSettings:
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return SMTPSettings(host="127.0.0.1", port=port, timeout=5)

    yield start
    for controller in started:
        controller.stop()


def emails(tmp_path: Path, n: int) -> list[Path]:
    report = merge(rows(n), out_dir=tmp_path, fmt="eml", name="{recipient.last_name}")
    return [tmp_path / r.file for r in report.results]


def test_dry_run_sends_nothing(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    lines = list(send_folder(emails(tmp_path, 3), tmp_path, settings, SendOptions(dry_run=True)))
    assert len(lines) == 3 and all(line.startswith("would send:") for line in lines)
    assert inbox.messages == []


def test_messages_arrive_intact_and_never_twice(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = emails(tmp_path, 3)
    list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False)))
    again = list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False)))
    assert len(inbox.messages) == 3
    assert all(line.startswith("already sent:") for line in again)
    first = inbox.messages[0]
    assert first["To"].addresses[0].addr_spec == "kunde0@example.com"
    assert first["From"].addresses[0].display_name == "Jürgen Müller"
    assert first["Subject"] == "Beendigung unserer Zusammenarbeit zum 31. Dezember 2026"
    plain = first.get_body(("plain",)).get_content()
    html = first.get_body(("html",)).get_content()
    assert "Guten Tag, Frau Schön0," in plain and "Guten Tag, Frau Schön0," in html  # the email wording
    assert "Müller &amp; Söhne GmbH" in html and "Müller & Söhne GmbH" in plain


def test_limit_then_resume(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = emails(tmp_path, 4)
    list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False, limit=1)))
    assert len(inbox.messages) == 1
    list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False)))
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.messages) == [
        f"kunde{i}@example.com" for i in range(4)
    ]


def test_dropped_connection_is_never_resent_blindly(tmp_path, server):
    inbox = Inbox(drop_on=2)
    settings = server(inbox)
    files = emails(tmp_path, 4)
    lines = list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False)))
    assert any(line.startswith("uncertain:") for line in lines)
    assert len(inbox.messages) == 3  # the other three arrived after reconnecting
    rerun = list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False)))
    assert len(inbox.messages) == 3 and sum(line.startswith("uncertain:") for line in rerun) == 1
    list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False, retry_uncertain=True)))
    assert len(inbox.messages) == 4
    assert len({m["Message-ID"] for m in inbox.messages}) == 4


def test_unreachable_server_is_a_clear_error(tmp_path):
    from letterkit.merge.send import SendError

    settings = SMTPSettings(host="127.0.0.1", port=1, timeout=2)
    with pytest.raises(SendError, match=r"cannot connect to the SMTP server 127\.0\.0\.1:1"):
        list(send_folder(emails(tmp_path, 1), tmp_path, settings, SendOptions(dry_run=False)))


def test_password_is_never_read_from_a_file(tmp_path):
    from letterkit.errors import SourceError

    config = tmp_path / "smtp.yaml"
    config.write_text("host: mail.example.com\nusername: me\npassword: secret\n", encoding="utf-8")
    with pytest.raises(SourceError, match="must not hold the password"):
        smtp_settings(config)


def test_cli_send(tmp_path, server, monkeypatch):
    import yaml

    inbox = Inbox()
    settings = server(inbox)
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(2), allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", settings.host)
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    runner = CliRunner()
    dry = runner.invoke(main, ["merge", str(data), "-o", str(tmp_path / "out"), "--send"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.count("would send:") == 2 and inbox.messages == []
    real = runner.invoke(main, ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"])
    assert real.exit_code == 0, real.output
    assert len(inbox.messages) == 2


def test_attachments_in_merged_emails(tmp_path):
    invoice = tmp_path / "Rechnung 2026-118.pdf"
    invoice.write_bytes(b"%PDF-1.4 invoice")
    report = merge(rows(1), out_dir=tmp_path / "out", fmt="eml", attachments=[invoice])
    message = email.message_from_bytes(
        (tmp_path / "out" / report.results[0].file).read_bytes(), policy=policy.default
    )
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "Rechnung 2026-118.pdf"
    assert attached.get_content() == b"%PDF-1.4 invoice"
    assert "Guten Tag, Frau" in message.get_body(("plain",)).get_content()


def test_cli_generate_eml_with_attachment(tmp_path):
    import yaml

    data = tmp_path / "one.yaml"
    data.write_text(yaml.safe_dump(rows(1)[0], allow_unicode=True), encoding="utf-8")
    attachment = tmp_path / "notes.txt"
    attachment.write_text("Übergabeprotokoll", encoding="utf-8")
    out = tmp_path / "mail.eml"
    result = CliRunner().invoke(main, ["generate", str(data), "-o", str(out), "--attach", str(attachment)])
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(out.read_bytes(), policy=policy.default)
    assert [a.get_content() for a in message.iter_attachments()] == ["Übergabeprotokoll"]
    docx_out = tmp_path / "letter.docx"
    refused = CliRunner().invoke(
        main, ["generate", str(data), "-o", str(docx_out), "--attach", str(attachment)]
    )
    assert refused.exit_code == 1 and "attachments go into emails" in refused.output


def test_quoted_printable_line_by_line_equals_the_standard_library():
    """The emails' bodies are encoded line by line (and remembered); every text, with any
    line break, trailing space or '=' comes out exactly as email.quoprimime encodes it."""
    import random
    from email.quoprimime import body_encode

    from letterkit.render.email import CRLF, _qp

    rng = random.Random(2)
    alphabet = [*"abc =\t\n\r\v\f.äöü€\u2028\x85\x1cxyz", "  \n", "===", "a" * 80, " \n", "\n\n"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        assert _qp(text) == body_encode(text.encode("utf-8").decode("latin-1"), eol=CRLF), repr(text)
