"""The acceptance tester's sending findings (round 3), against a real aiosmtpd server on
localhost: a password prompt without a terminal, SMTP settings checked only after every
letter was written, --limit 0 on a folder already sent, refusals printed as Python values."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
import yaml
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge
from letterkit.merge.send import SendError, SendOptions, SentLog, SMTPSettings, send_folder

SENDER = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}


def rows(*addresses: str) -> list[dict]:
    return [
        {
            "date": "2026-11-26",
            "sender": SENDER,
            "locale": "de-DE",
            "end_date": "2026-12-31",
            "recipient": {"company": f"Kunde {i} AG", "last_name": f"Schön{i}", "email": address},
        }
        for i, address in enumerate(addresses)
    ]


class Inbox:
    """Collects what arrives. Like the tester's smtpd_bad.py: refuses 'bad' mailboxes at
    RCPT TO and answers a message to a 'tempfail' mailbox with 451 at DATA."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bad"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(a.startswith("tempfail") for a in envelope.rcpt_tos):
            return "451 4.3.0 try later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class Logins(list):
    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)


def emails(folder: Path, *addresses: str) -> list[Path]:
    report = merge(rows(*addresses), out_dir=folder, fmt="eml", name="{recipient.last_name}")
    return [folder / r.file for r in report.results]


def data_file(tmp_path: Path, *addresses: str) -> Path:
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(*addresses), allow_unicode=True), encoding="utf-8")
    return data


def env(monkeypatch, settings: SMTPSettings, **extra: str) -> None:
    for name, value in [("HOST", settings.host), ("PORT", settings.port), *extra.items()]:
        monkeypatch.setenv(f"LETTERKIT_SMTP_{name}", str(value))


# 1. the password prompt without a terminal; a server that offers no login


def test_no_terminal_stops_before_anything_is_written_or_sent(tmp_path, server, monkeypatch):
    """cron, CI, `</dev/null`: CliRunner's stdin is no terminal, as theirs is not."""
    inbox, logins = Inbox(), Logins()
    settings = server(inbox, authenticator=logins, auth_require_tls=False)
    env(monkeypatch, settings, USER="u", SECURITY="none")
    out = tmp_path / "out"
    args = ["merge", str(data_file(tmp_path, "ok@example.com")), "-o", str(out), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, args, input="")
    assert result.exit_code == 1, result.output
    assert "there is no terminal to ask for it; set LETTERKIT_SMTP_PASSWORD" in result.output
    assert "SMTP password" not in result.output and "written" not in result.output
    assert not out.exists() and logins == [] and inbox.messages == []
    # the dry run needs no password, and with the variable set the same run sends
    assert CliRunner().invoke(main, args[:-1], input="").exit_code == 0
    monkeypatch.setenv("LETTERKIT_SMTP_PASSWORD", "s3cret")
    sent = CliRunner().invoke(main, args, input="")
    assert sent.exit_code == 0, sent.output
    # the login tried before the merge writes anything, then the send's own
    assert logins == [("u", "s3cret")] * 2 and len(inbox.messages) == 1


def test_no_terminal_the_cli_never_prompts(monkeypatch):
    from letterkit import cli

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli._can_ask_password() is False
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert cli._can_ask_password() is True


def test_library_login_without_password_or_prompt_is_refused_before_sending(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = emails(tmp_path, "ok@example.com")
    user = SMTPSettings(settings.host, settings.port, security="none", username="u", timeout=5)
    with pytest.raises(SendError, match="LETTERKIT_SMTP_PASSWORD"):
        send_folder(files, tmp_path, user, SendOptions(dry_run=False))
    assert send_folder(files, tmp_path, user, SendOptions(dry_run=True)).run().would_send == 1
    assert inbox.messages == [] and SentLog(tmp_path).state == {}


def test_a_server_without_auth_is_not_reported_as_a_connection_failure(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)  # aiosmtpd offers no AUTH on a connection without TLS
    files = emails(tmp_path, "ok@example.com")
    user = SMTPSettings(settings.host, settings.port, security="none", username="u", password="p", timeout=5)
    with pytest.raises(SendError) as error:
        list(send_folder(files, tmp_path, user, SendOptions(dry_run=False)))
    message = str(error.value)
    assert "does not offer login (AUTH); remove username from the settings" in message
    assert "submission port" in message and "cannot connect" not in message
    assert inbox.messages == [] and SentLog(tmp_path).state == {}


def test_a_server_without_auth_is_found_before_the_prompt(tmp_path, server, monkeypatch):
    inbox = Inbox()
    env(monkeypatch, server(inbox), USER="u", SECURITY="none")
    monkeypatch.setattr("letterkit.cli._can_ask_password", lambda: True)  # a user at a terminal
    args = ["merge", str(data_file(tmp_path, "ok@example.com")), "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(main, [*args, "--send", "--no-dry-run"], input="s3cret\n")
    assert result.exit_code == 1
    assert "does not offer login (AUTH)" in result.output and "SMTP password" not in result.output
    assert inbox.messages == []


def test_an_empty_password_from_the_prompt_is_not_used(tmp_path, server):
    """click's prompt asks again on an empty answer; an ask_password of one's own may not."""
    inbox, logins = Inbox(), Logins()
    settings = server(inbox, authenticator=logins, auth_require_tls=False)
    files = emails(tmp_path, "ok@example.com")
    user = SMTPSettings(settings.host, settings.port, security="none", username="u", timeout=5)
    with pytest.raises(SendError, match="no password was given for u; nothing was sent"):
        list(send_folder(files, tmp_path, user, SendOptions(dry_run=False, ask_password=lambda: "")))
    assert logins == [] and inbox.messages == [] and SentLog(tmp_path).state == {}


# 2. the SMTP settings are checked before pass 2 writes anything


@pytest.mark.parametrize(
    "variables, config, dry_run, error",
    [
        ({"HOST": "127.0.0.1", "PORT": "abc"}, None, True, "SMTP port 'abc' is not a number"),
        ({"HOST": "127.0.0.1", "SECURITY": "tls"}, None, True, "SMTP security 'tls' is not one of"),
        ({}, None, False, "no SMTP server is set; set LETTERKIT_SMTP_HOST"),
        ({}, "host: 127.0.0.1\nusername: u\npassword: p\n", True, "must not hold the password"),
        ({}, "host: 127.0.0.1\nhots: mail\n", True, "unknown SMTP setting(s) hots"),
    ],
    ids=["port", "security", "no-host", "password-key", "unknown-key"],
)
def test_settings_errors_come_before_any_letter_is_written(
    tmp_path, monkeypatch, variables, config, dry_run, error
):
    for name, value in variables.items():
        monkeypatch.setenv(f"LETTERKIT_SMTP_{name}", value)
    out = tmp_path / "out"
    args = ["merge", str(data_file(tmp_path, "a@example.com", "b@example.com")), "-o", str(out), "--send"]
    if config is not None:
        (tmp_path / "smtp.yaml").write_text(config, encoding="utf-8")
        args += ["--smtp-config", str(tmp_path / "smtp.yaml")]
    if not dry_run:
        args.append("--no-dry-run")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and error in result.output
    assert "written" not in result.output and not out.exists()


# 3. --limit on a folder already sent


def test_limit_counts_what_was_already_sent_as_such(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = emails(tmp_path, *(f"kunde{i}@example.com" for i in range(4)))
    assert send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run().sent == 4
    for limit in (1, 0):  # the CLI refuses 0; the library reads it as "send nothing"
        again = send_folder(files, tmp_path, settings, SendOptions(dry_run=False, limit=limit))
        lines = list(again)
        assert (again.sent, again.already_sent, again.remaining, again.ok) == (0, 4, 0, True)
        assert again.summary() == "0 sent, 4 already sent, 0 uncertain, 0 failed."
        assert not any("limit" in line for line in lines)
    assert len(inbox.messages) == 4


def test_limit_leaves_only_the_unsent_for_the_next_run(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = emails(tmp_path, *(f"kunde{i}@example.com" for i in range(5)))
    send_folder(files[1:3], tmp_path, settings, SendOptions(dry_run=False)).run()  # two sent earlier
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False, limit=1))
    lines = list(report)
    assert (report.sent, report.already_sent, report.remaining) == (1, 2, 2)
    assert lines[-1] == "limit of 1 reached; run again to send the rest"
    assert (
        report.summary()
        == "1 sent, 2 already sent, 0 uncertain, 0 failed; 2 left for the next run (limit reached)."
    )
    rest = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (rest.sent, rest.already_sent, rest.remaining) == (2, 3, 0)
    assert len(inbox.messages) == 5 and len({m["Message-ID"] for m in inbox.messages}) == 5


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_cli_limit_must_be_one_or_more(tmp_path, server, monkeypatch, limit):
    inbox = Inbox()
    env(monkeypatch, server(inbox))
    out = tmp_path / "out"
    args = ["merge", str(data_file(tmp_path, "a@example.com")), "-o", str(out), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, [*args, "--limit", limit])
    assert result.exit_code == 2 and "--limit must be 1 or more" in result.output
    assert not out.exists() and inbox.messages == []


# 4. what the server refused, in plain text


def test_refusals_are_printed_as_the_server_said_them(tmp_path, server, monkeypatch):
    inbox = Inbox()
    env(monkeypatch, server(inbox))
    addresses = ["ok1@example.com", "bad@example.com", "tempfail@example.com"]
    args = [
        "merge",
        str(data_file(tmp_path, *addresses)),
        "-o",
        str(tmp_path / "out"),
        "--send",
        "--no-dry-run",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "refused: 0002-Schön1.eml: bad@example.com: 550 5.1.1 no such user" in lines
    assert "refused: 0003-Schön2.eml: 451 4.3.0 try later" in lines
    assert "{" not in result.output and "b'" not in result.output
    assert lines[-1] == "1 sent, 0 already sent, 0 uncertain, 2 failed."
    assert len(inbox.messages) == 1


def test_a_message_refused_for_some_recipients_names_them_with_the_reason(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    (path,) = emails(tmp_path, "ok@example.com")
    path.write_bytes(path.read_bytes().replace(b"To: ", b"To: bad@example.com, ", 1))
    report = send_folder([path], tmp_path, settings, SendOptions(dry_run=False))
    (line,) = list(report)
    assert line == f"sent: {path.name} to ok@example.com; refused: bad@example.com: 550 5.1.1 no such user"
    assert (report.sent, report.failed) == (0, 1) and len(inbox.messages) == 1
