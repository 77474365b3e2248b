"""Sending merged emails to a real SMTP server on localhost (aiosmtpd), including one that
drops the connection halfway: nothing is ever sent twice."""

from __future__ import annotations

import email
import json
import ssl
from datetime import datetime, timedelta, timezone
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from conftest import self_signed_certificate

from letterkit.cli import main
from letterkit.merge import merge
from letterkit.merge.send import (
    SENT_LOG,
    SendError,
    SendOptions,
    SentLog,
    SMTPSettings,
    send_folder,
    smtp_settings,
)

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


class Logins(list):
    """An aiosmtpd authenticator that accepts every login and remembers it, and whether
    the connection was encrypted at that moment."""

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.append((auth_data.login.decode(), auth_data.password.decode(), session.ssl is not None))
        return AuthResult(success=True)


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


def auth_server(server, inbox: Inbox, logins: Logins) -> SMTPSettings:
    """Like the QA's authserver.py: AUTH offered on a connection without TLS."""
    return server(inbox, authenticator=logins, auth_require_tls=False)


def test_password_is_not_sent_in_clear_text_by_default(tmp_path, server):
    inbox, logins = Inbox(), Logins()
    settings = auth_server(server, inbox, logins)
    files = emails(tmp_path, 2)
    bob = SMTPSettings(settings.host, settings.port, username="bob", password="s3cret", timeout=5)
    assert bob.security == "auto"
    with pytest.raises(SendError, match="clear text") as refused:
        list(send_folder(files, tmp_path, bob, SendOptions(dry_run=False)))
    assert "security: ssl" in str(refused.value) and "security: none" in str(refused.value)
    assert logins == [] and inbox.messages == []
    assert SentLog(tmp_path).state == {}  # nothing is left uncertain: nothing was tried


def test_security_none_is_the_explicit_way_to_log_in_without_encryption(tmp_path, server, monkeypatch):
    inbox, logins = Inbox(), Logins()
    settings = auth_server(server, inbox, logins)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", settings.host)
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    monkeypatch.setenv("LETTERKIT_SMTP_USER", "bob")
    monkeypatch.setenv("LETTERKIT_SMTP_PASSWORD", "s3cret")
    assert smtp_settings().security == "auto"
    monkeypatch.setenv("LETTERKIT_SMTP_SECURITY", "none")
    report = send_folder(emails(tmp_path, 2), tmp_path, smtp_settings(), SendOptions(dry_run=False)).run()
    assert report.sent == 2 and len(inbox.messages) == 2
    assert logins == [("bob", "s3cret", False)]


def test_cli_refuses_the_clear_text_login_the_qa_found(tmp_path, server, monkeypatch):
    import yaml

    inbox, logins = Inbox(), Logins()
    settings = auth_server(server, inbox, logins)
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(2), allow_unicode=True), encoding="utf-8")
    for name, value in [
        ("HOST", settings.host),
        ("PORT", settings.port),
        ("USER", "bob"),
        ("PASSWORD", "s3cret"),
    ]:
        monkeypatch.setenv(f"LETTERKIT_SMTP_{name}", str(value))
    args = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "would travel in clear text" in result.output
    assert logins == [] and inbox.messages == []


def _cli_send_env(monkeypatch, settings: SMTPSettings, **extra: str) -> None:
    for name, value in [("HOST", settings.host), ("PORT", settings.port), *extra.items()]:
        monkeypatch.setenv(f"LETTERKIT_SMTP_{name}", str(value))


@pytest.fixture
def terminal(monkeypatch):
    """A user at a terminal, who can be asked for the password (CliRunner's stdin is none)."""
    monkeypatch.setattr("letterkit.cli._can_ask_password", lambda: True)


def test_cli_asks_for_no_password_a_clear_text_server_would_see(tmp_path, server, monkeypatch, terminal):
    """The refusal comes before the prompt: nobody types a password that cannot be used."""
    import yaml

    inbox, logins = Inbox(), Logins()
    _cli_send_env(monkeypatch, auth_server(server, inbox, logins), USER="bob")
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(1), allow_unicode=True), encoding="utf-8")
    args = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, args, input="s3cret\n")
    assert result.exit_code == 1 and "would travel in clear text" in result.output
    assert "SMTP password" not in result.output
    assert logins == [] and inbox.messages == []


def test_cli_asks_for_the_password_once_the_connection_allows_a_login(
    tmp_path, server, monkeypatch, terminal
):
    import yaml

    inbox, logins = Inbox(), Logins()
    _cli_send_env(monkeypatch, auth_server(server, inbox, logins), USER="bob", SECURITY="none")
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(2), allow_unicode=True), encoding="utf-8")
    args = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, args, input="s3cret\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("SMTP password for bob") == 1
    # logged in before the merge wrote anything (the password checked then), then to send
    assert logins == [("bob", "s3cret", False)] * 2 and len(inbox.messages) == 2
    again = CliRunner().invoke(main, args, input="")  # everything already sent: no login, no prompt
    assert again.exit_code == 0, again.output
    assert "SMTP password" not in again.output and "already sent" in again.output


@pytest.fixture
def tls_certificate(tmp_path_factory, monkeypatch) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 that this test process trusts (SSL_CERT_FILE)."""
    cert, key = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return cert, key


def starttls_server(server, certificate):
    """A server that offers STARTTLS with ``certificate`` and login only after it: its inbox,
    its logins and its settings."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    inbox, logins = Inbox(), Logins()
    settings = server(inbox, tls_context=context, authenticator=logins, auth_require_tls=True)
    return inbox, logins, settings


def test_default_security_uses_starttls_when_the_server_offers_it(tmp_path, server, tls_certificate):
    inbox, logins, settings = starttls_server(server, tls_certificate)
    bob = SMTPSettings(settings.host, settings.port, username="bob", password="s3cret", timeout=5)
    report = send_folder(emails(tmp_path, 1), tmp_path, bob, SendOptions(dry_run=False)).run()
    assert report.sent == 1 and len(inbox.messages) == 1
    assert logins == [("bob", "s3cret", True)]


def test_security_none_against_a_server_that_offers_login_only_after_starttls(tmp_path, server, tls_certificate):
    """tester 34: the message had said the server offers no login at all."""
    inbox, logins, settings = starttls_server(server, tls_certificate)
    plain = SMTPSettings(settings.host, settings.port, security="none", username="bob", password="s3cret", timeout=5)
    with pytest.raises(SendError, match=r"offers login \(AUTH\) only over an encrypted connection.*starttls"):
        list(send_folder(emails(tmp_path, 1), tmp_path, plain, SendOptions(dry_run=False)))
    assert inbox.messages == [] and logins == []


def test_starttls_asked_for_but_not_offered_is_a_clear_error(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    insist = SMTPSettings(settings.host, settings.port, security="starttls", timeout=5)
    with pytest.raises(SendError, match="does not offer STARTTLS"):
        list(send_folder(emails(tmp_path, 1), tmp_path, insist, SendOptions(dry_run=False)))
    assert inbox.messages == []


def test_sent_message_carries_the_moment_it_was_sent(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    (path,) = emails(tmp_path, 1)
    on_disk = path.read_bytes()
    letter_date = email.message_from_bytes(on_disk, policy=policy.default)["Date"]
    assert letter_date == "Thu, 26 Nov 2026 09:00:00 +0000"  # the letter's date, deterministic
    send_folder([path], tmp_path, settings, SendOptions(dry_run=False)).run()
    (arrived,) = inbox.messages
    assert len(arrived.get_all("Date")) == 1
    sent_at = parsedate_to_datetime(arrived["Date"])
    assert abs(sent_at - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert path.read_bytes() == on_disk  # the .eml file stays as it was
    assert arrived["Message-ID"] == email.message_from_bytes(on_disk, policy=policy.default)["Message-ID"]
    assert arrived.get_body(("plain",)).get_content() == (
        email.message_from_bytes(on_disk, policy=policy.default).get_body(("plain",)).get_content()
    )


def test_report_counts_every_outcome(tmp_path, server):
    inbox = Inbox(drop_on=2)
    settings = server(inbox)
    files = emails(tmp_path, 4)
    dry = send_folder(files, tmp_path, settings, SendOptions(dry_run=True)).run()
    assert (dry.would_send, dry.sent, dry.ok) == (4, 0, True)
    assert dry.summary() == "4 would be sent, 0 already sent, 0 uncertain, 0 failed."
    first = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (first.sent, first.uncertain, first.failed, first.ok) == (3, 1, 0, False)
    assert first.summary() == "3 sent, 0 already sent, 1 uncertain, 0 failed."
    again = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (again.sent, again.already_sent, again.uncertain, again.ok) == (0, 3, 1, False)
    retry = SendOptions(dry_run=False, retry_uncertain=True)
    last = send_folder(files, tmp_path, settings, retry).run()
    assert (last.sent, last.already_sent, last.uncertain, last.ok) == (1, 3, 0, True)


class Refusing(Inbox):
    """Refuses one mailbox at RCPT TO."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == "kunde1@example.com":
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_report_counts_refused_messages_and_the_limit(tmp_path, server):
    settings = server(Refusing())
    files = emails(tmp_path, 4)
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False, limit=2))
    lines = list(report)
    assert report.finished and not report.ok
    # the refused message does not count against the limit: two were accepted
    assert (report.sent, report.failed, report.remaining) == (2, 1, 1)
    assert lines[-1] == "limit of 2 reached; run again to send the rest"
    assert (
        report.summary()
        == "2 sent, 0 already sent, 0 uncertain, 1 failed; 1 left for the next run (limit reached)."
    )


def test_a_message_refused_for_some_recipients_counts_as_failed(tmp_path, server):
    inbox = Refusing()
    settings = server(inbox)
    (path,) = emails(tmp_path, 1)
    two = path.read_bytes().replace(b"To: ", b"To: kunde1@example.com, ", 1)
    path.write_bytes(two)
    report = send_folder([path], tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (report.sent, report.failed, report.ok) == (0, 1, False)
    assert len(inbox.messages) == 1  # it did reach the other recipient


def test_report_is_not_ok_before_it_has_run(tmp_path, server):
    report = send_folder(emails(tmp_path, 1), tmp_path, server(Inbox()), SendOptions(dry_run=False))
    assert not report.ok and not report.finished
    assert list(report) and report.ok and list(report) == []  # iterating again sends nothing


def test_cli_exit_status_when_a_message_is_uncertain(tmp_path, server, monkeypatch):
    import yaml

    settings = server(Inbox(drop_on=1))
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(2), allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", settings.host)
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    args = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, args)
    assert "uncertain:" in result.output
    assert result.exit_code == 1, result.output


def test_no_smtp_host_is_a_clear_error_but_a_dry_run_works(tmp_path, monkeypatch):
    import yaml

    assert smtp_settings().host is None
    files = emails(tmp_path / "api", 1)
    assert (
        send_folder(files, tmp_path / "api", SMTPSettings(), SendOptions(dry_run=True)).run().would_send == 1
    )
    with pytest.raises(SendError, match=r"LETTERKIT_SMTP_HOST or 'host:'"):
        send_folder(files, tmp_path / "api", SMTPSettings(), SendOptions(dry_run=False))
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(1), allow_unicode=True), encoding="utf-8")
    args = ["merge", str(data), "-o", str(tmp_path / "out"), "--send"]
    assert CliRunner().invoke(main, args).exit_code == 0
    real = CliRunner().invoke(main, [*args, "--no-dry-run"])
    assert real.exit_code == 1 and "LETTERKIT_SMTP_HOST" in real.output


def test_sent_log_with_a_cut_last_line_loses_no_record(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = emails(tmp_path, 3)
    send_folder(files[:1], tmp_path, settings, SendOptions(dry_run=False)).run()
    log = tmp_path / SENT_LOG
    record = json.dumps({"id": "<cut>", "file": "Schön1.eml", "state": "sending"}, ensure_ascii=False)
    cut = record.encode("utf-8")[: record.encode("utf-8").index("ö".encode()) + 1]  # mid-character
    log.write_bytes(log.read_bytes() + cut)  # killed while writing: no newline at the end
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (report.already_sent, report.sent) == (1, 2) and len(inbox.messages) == 3
    states = SentLog(tmp_path).state
    assert len(states) == 3 and set(states.values()) == {"sent"}
    lines = log.read_bytes().split(b"\n")
    assert cut in lines and lines[-1] == b""  # the cut line stays alone; new records start a line
    again = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert again.already_sent == 3 and len(inbox.messages) == 3


def test_sent_log_recovers_a_record_glued_to_a_cut_line(tmp_path):
    glued = '{"id": "<a@x>", "file": "A.eml", "st' + json.dumps(
        {"id": "<b@x>", "file": "B.eml", "state": "sent"}
    )
    (tmp_path / SENT_LOG).write_text(glued + "\n", encoding="utf-8")
    assert SentLog(tmp_path).state == {"<b@x>": "sent"}


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


def test_an_untrusted_certificate_says_how_to_go_on(tmp_path, server, untrusted_tls):
    """STARTTLS with a certificate this machine does not trust: a clear error naming the way
    out (security: none only on a trusted network), nothing sent."""
    inbox = Inbox()
    settings = server(inbox, tls_context=untrusted_tls)
    with pytest.raises(SendError, match=r"certificate cannot be verified.*security: none"):
        list(send_folder(emails(tmp_path / "out", 1), tmp_path / "out", settings, SendOptions(dry_run=False)))
    assert inbox.messages == []
