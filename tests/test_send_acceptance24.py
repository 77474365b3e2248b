"""Acceptance round 24, sending: what the tool says was sent must be what was sent.

Against a real aiosmtpd server on localhost: a damaged sent-log stops the send, a row whose
address changed since its email was sent is named (and sent to the new address only when
asked), and the --report carries each row's send outcome."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge
from letterkit.merge.send import SENT_LOG, SendOptions, SentLog, SentLogDamaged, send_folder

BASE = {
    "date": "2026-11-26",
    "sender": {
        "company": "Muster GmbH",
        "name": "Erika Muster",
        "city": "Berlin",
        "email": "erika@example.de",
    },
}


def row(i: int, address: str | None = None) -> dict[str, Any]:
    return {
        "locale": "de-DE",
        "channel": "email",
        "end_date": "2026-12-31",
        "recipient": {
            "company": f"Kunde {i} AG",
            "last_name": f"Kunde{i}",
            "email": address or f"k{i}@example.com",
        },
    }


class Inbox:
    """What arrives, by envelope recipient; refuses the addresses in ``refuse``."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.delivered: list[str] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.extend(envelope.rcpt_tos)
        return "250 OK"

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.delivered)


def made(folder: Path, n: int) -> list[Path]:
    report = merge([row(i) for i in range(n)], base=BASE, out_dir=folder, fmt="eml")
    return [folder / r.file for r in report.results]


def write_yaml(path: Path, data: Any) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def cli(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``cli(rows, *options, inbox=...)``: the merge command on these rows into tmp/out."""
    inboxes: dict[int, Inbox] = {}

    def run(rows: list[dict[str, Any]], *options: str, inbox: Inbox | None = None) -> Any:
        if inbox is not None and id(inbox) not in inboxes:
            inboxes[id(inbox)] = inbox
            settings = server(inbox)
            monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
            monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
        data = write_yaml(tmp_path / "rows.yaml", rows)
        base = write_yaml(tmp_path / "base.yaml", BASE)
        args = ["merge", str(data), "--base", str(base), "-o", str(tmp_path / "out"), *options]
        return CliRunner().invoke(main, args)

    return run


# --- 1. a damaged line in the middle of the sent-log --------------------------------------


@pytest.mark.parametrize("damage", [b"garbage{{", b'{"id": "<abc@exa', b'{"unexpected": 1}'])
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_damaged_line_in_the_middle_of_the_sent_log_stops_the_send(tmp_path, server, damage, dry_run):
    inbox = Inbox()
    settings = server(inbox)
    files = made(tmp_path, 3)
    send_folder(files[:2], tmp_path, settings, SendOptions(dry_run=False)).run()
    log = tmp_path / SENT_LOG
    lines = log.read_bytes().split(b"\n")
    log.write_bytes(b"\n".join([damage, *lines[1:]]))  # the first record (sending) damaged
    with pytest.raises(SentLogDamaged) as info:
        send_folder(files, tmp_path, settings, SendOptions(dry_run=dry_run)).run()
    message = str(info.value)
    assert message.startswith(f"{log}:1: this line of the sent-log is damaged")
    assert "restore the sent-log from a backup" in message and "nothing was sent" in message
    assert inbox.counts == Counter({"k0@example.com": 1, "k1@example.com": 1})


def test_a_cut_last_line_is_passed_over_and_marked_when_the_log_goes_on(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = made(tmp_path, 3)
    send_folder(files[:1], tmp_path, settings, SendOptions(dry_run=False)).run()
    log = tmp_path / SENT_LOG
    log.write_bytes(log.read_bytes() + b'{"id": "<abc@exa')  # killed while writing a record
    assert send_folder(files, tmp_path, settings, SendOptions(dry_run=True)).run().would_send == 2
    send_folder(files[:2], tmp_path, settings, SendOptions(dry_run=False)).run()
    lines = log.read_bytes().split(b"\n")
    cut = lines.index(b'{"id": "<abc@exa')
    assert json.loads(lines[cut + 1])["cut"].startswith("the line above was cut off")
    again = send_folder(
        files, tmp_path, settings, SendOptions(dry_run=False)
    ).run()  # the cut line: in the middle now
    assert (again.already_sent, again.sent) == (2, 1)
    assert inbox.counts == Counter({f"k{i}@example.com": 1 for i in range(3)})


def test_the_cli_stops_on_a_damaged_sent_log_before_writing_or_sending(tmp_path, cli):
    inbox = Inbox()
    rows = [row(i) for i in range(3)]
    first = cli(rows, "--send", "--no-dry-run", "--limit", "1", inbox=inbox)
    assert first.exit_code == 0, first.output
    log = tmp_path / "out" / SENT_LOG
    log.write_bytes(b"garbage{{\n" + log.read_bytes())
    (tmp_path / "out" / "0002-Kunde1.eml").unlink()
    for options in (["--send"], ["--send", "--no-dry-run"], ["--send", "--no-dry-run", "--force"]):
        result = cli(rows, *options, inbox=inbox)
        assert result.exit_code == 1
        assert f"Error: {log}:1: this line of the sent-log is damaged: 'garbage{{{{'" in result.output
        assert "would send" not in result.output and "sent:" not in result.output
        assert not (tmp_path / "out" / "0002-Kunde1.eml").exists()  # nothing written either
    assert inbox.counts == Counter({"k0@example.com": 1})


def test_every_damaged_line_is_named(tmp_path):
    record = json.dumps({"id": "<x@y>", "file": "A.eml", "to": ["a@example.com"], "state": "sent", "at": ""})
    lines = ["garbage{{", "garbage{{", record, record, '{"id": "<abc@exa', record, "x", record]
    (tmp_path / SENT_LOG).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SentLogDamaged) as info:
        SentLog(tmp_path)
    assert info.value.lines == [1, 2, 5, 7]
    assert str(info.value).startswith(
        f"{tmp_path / SENT_LOG}:1: this line of the sent-log is damaged: 'garbage{{{{'; so are lines 2, 5 and 7."
    )


def test_a_damaged_line_names_the_file_it_seems_to_be_about(tmp_path):
    record = {"id": "<x@y>", "file": "0005-Müller.eml", "to": ["a@example.com"], "state": "sent"}
    text = json.dumps(record, ensure_ascii=False)[:-8]  # its end lost
    (tmp_path / SENT_LOG).write_text(text + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(SentLogDamaged, match=r"it seems to be about 0005-Müller\.eml"):
        SentLog(tmp_path)


# --- 3. the --report carries each row's send outcome --------------------------------------


class Dropping(Inbox):
    """Closes the connection while receiving the ``drop_on``-th message, before answering."""

    def __init__(self, drop_on: int, refuse: tuple[str, ...] = ()) -> None:
        super().__init__(refuse)
        self.drop_on, self.seen = drop_on, 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.drop_on:
            server.transport.close()
            return "421 closing"
        return await super().handle_DATA(server, session, envelope)


def report_rows(path: Path) -> dict[int, tuple[str, str]]:
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return {r["row"]: (r["send"], r["send_detail"]) for r in data["results"]}
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {int(r["row"]): (r["send"], r["send_detail"]) for r in csv.DictReader(handle)}


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_the_report_says_what_became_of_each_email(tmp_path, cli, suffix):
    inbox = Dropping(drop_on=3, refuse=("k1@example.com",))
    rows = [row(i) for i in range(5)]
    address = {"street": "Weg 1", "postal_code": "10115", "city": "Berlin"}
    rows.insert(2, {**row(9), "channel": "letter", "recipient": {**row(9)["recipient"], **address}})
    report = tmp_path / f"report{suffix}"
    result = cli(rows, "--send", "--no-dry-run", "--limit", "3", "--report", str(report), inbox=inbox)
    assert result.exit_code == 1, result.output
    assert "refused: 0002-Kunde1.eml" in result.output and "uncertain: 0005-Kunde3.eml" in result.output
    assert report_rows(report) == {
        1: ("sent", "k0@example.com"),
        2: ("refused", "k1@example.com: 550 5.1.1 no such user"),
        3: ("", ""),  # a letter: not sent by email
        4: ("sent", "k2@example.com"),
        5: ("uncertain", report_rows(report)[5][1]),
        6: ("not sent", "left for the next run: the limit of 3 was reached"),
    }
    assert report_rows(report)[5][1].startswith(
        "the connection dropped after the server accepted the DATA command"
    )
    again = cli(rows, "--send", "--report", str(report), inbox=inbox)  # a dry run
    assert report_rows(report) == {
        1: ("already sent", report_rows(report)[1][1]),
        2: ("would send", "k1@example.com"),
        3: ("", ""),
        4: ("already sent", report_rows(report)[4][1]),
        5: (
            "uncertain",
            "sending was cut off after the server accepted the DATA command: it may have arrived",
        ),
        6: ("would send", "k4@example.com"),
    }, again.output
    assert report_rows(report)[1][1].startswith("k0@example.com on ")


def test_the_json_report_has_the_send_summary_and_a_merge_without_send_has_empty_fields(tmp_path, cli):
    report = tmp_path / "report.json"
    assert cli([row(0)], "--format", "eml", "--report", str(report)).exit_code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (
        data["send_summary"] == "" and data["results"][0]["send"] == data["results"][0]["send_detail"] == ""
    )
    assert cli([row(0)], "--send", "--report", str(report), inbox=Inbox()).exit_code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["send_summary"] == "1 would be sent, 0 already sent, 0 uncertain, 0 failed."
    assert data["results"][0]["send"] == "would send"


def test_send_report_gives_each_message_its_outcome(tmp_path, server):
    settings = server(Inbox(refuse=("k1@example.com",)))
    files = made(tmp_path, 4)
    sending = send_folder(files, tmp_path, settings, SendOptions(dry_run=False, limit=2))
    assert sending.outcome(files[0]) == ("not sent", "the send did not reach this email")  # not run yet
    sending.run()
    assert [sending.outcome(f) for f in files] == [
        ("sent", "k0@example.com"),
        ("refused", "k1@example.com: 550 5.1.1 no such user"),
        ("sent", "k2@example.com"),
        ("not sent", "left for the next run: the limit of 2 was reached"),
    ]


# --- 2. a row whose address was corrected after its email was sent -------------------------


def test_a_corrected_address_is_named_and_not_called_already_sent(tmp_path, cli):
    inbox = Inbox()
    rows = [row(0), row(1)]
    assert cli(rows, "--send", "--no-dry-run", inbox=inbox).exit_code == 0
    rows[1] = row(1, "k1-neu@example.com")  # the bounce corrected in the list
    for options in (["--send"], ["--send", "--no-dry-run"]):
        result = cli(rows, *options, "--report", str(tmp_path / "r.json"), inbox=inbox)
        assert result.exit_code == 1, result.output
        assert "already sent: 0002-Kunde1.eml" not in result.output
        assert (
            "not sent: 0002-Kunde1.eml: this row's address is now k1-neu@example.com, but the file was "
            "sent to k1@example.com on "
        ) in result.output
        assert "to send it there, run again with --resend 0002-Kunde1.eml" in result.output
        assert "1 email was sent to an address its row no longer has, not to the new one" in result.output
        send = report_rows(tmp_path / "r.json")[2]
        assert send[0] == "not sent" and "--resend 0002-Kunde1.eml" in send[1]
    plain = cli(rows)  # a merge without --send says it too
    assert plain.exit_code == 1
    assert "row 2: 0002-Kunde1.eml: this row's address is now k1-neu@example.com" in plain.output
    assert inbox.counts == Counter({"k0@example.com": 1, "k1@example.com": 1})


def test_the_api_report_is_not_ok_while_a_corrected_address_has_not_got_its_email(tmp_path, server):
    # a mail-merge script checks report.ok, as the CLI checks its exit code
    inbox = Inbox()
    settings = server(inbox)
    out = tmp_path / "out"
    first = merge([row(0), row(1)], base=BASE, out_dir=out, fmt="eml")
    assert first.ok
    send_folder(first.emails(), out, settings, SendOptions(dry_run=False)).run()
    again = merge([row(0), row(1, "k1-neu@example.com")], base=BASE, out_dir=out, fmt="eml")
    assert not again.failed and not again.ok
    assert list(again.readdressed()) == [2]
    assert "--resend 0002-Kunde1.eml" in again.readdressed()[2]
    resent = merge(
        [row(0), row(1, "k1-neu@example.com")], base=BASE, out_dir=out, fmt="eml", resend=["0002-Kunde1.eml"]
    )
    assert resent.ok and resent.readdressed() == {}


def test_resend_sends_the_row_email_to_the_new_address_once_and_keeps_the_one_sent(tmp_path, cli):
    inbox = Inbox()
    rows = [row(0), row(1)]
    assert cli(rows, "--send", "--no-dry-run", inbox=inbox).exit_code == 0
    out = tmp_path / "out"
    sent_before = (out / "0002-Kunde1.eml").read_bytes()
    rows[1] = row(1, "k1-neu@example.com")
    result = cli(rows, "--send", "--no-dry-run", "--resend", "0002-Kunde1.eml", inbox=inbox)
    assert result.exit_code == 0, result.output
    assert "sent: 0002-Kunde1.eml to k1-neu@example.com" in result.output
    assert "the email as it was sent to k1@example.com on" in result.output
    assert "is kept as superseded/0002-Kunde1.eml" in result.output
    assert (out / "superseded" / "0002-Kunde1.eml").read_bytes() == sent_before
    assert b"k1-neu@example.com" in (out / "0002-Kunde1.eml").read_bytes()
    for options in (["--resend", "0002-Kunde1.eml"], []):  # again: nothing goes out twice
        again = cli(rows, "--send", "--no-dry-run", *options, inbox=inbox)
        assert again.exit_code == 0 and "already sent: 0002-Kunde1.eml to k1-neu@example.com" in again.output
    assert sorted(p.name for p in (out / "superseded").iterdir()) == ["0002-Kunde1.eml"]
    counts = Counter({"k0@example.com": 1, "k1@example.com": 1, "k1-neu@example.com": 1})
    assert inbox.counts == counts


def test_resend_back_to_an_address_that_got_it_sends_nothing_twice(tmp_path, cli):
    inbox = Inbox()
    assert cli([row(0)], "--send", "--no-dry-run", inbox=inbox).exit_code == 0
    assert (
        cli(
            [row(0, "new@example.com")], "--send", "--no-dry-run", "--resend", "0001-Kunde0.eml", inbox=inbox
        ).exit_code
        == 0
    )
    back = cli([row(0)], "--send", "--no-dry-run", "--resend", "0001-Kunde0.eml", inbox=inbox)
    assert back.exit_code == 0 and "already sent: 0001-Kunde0.eml to k0@example.com" in back.output
    assert inbox.counts == Counter({"k0@example.com": 1, "new@example.com": 1})
    assert sorted(p.name for p in (tmp_path / "out" / "superseded").iterdir()) == [
        "0001-Kunde0-2.eml",
        "0001-Kunde0.eml",
    ]


def test_resend_names_an_email_of_the_merge(tmp_path, cli):
    result = cli([row(0)], "--format", "eml", "--resend", "0001-Kunde9.eml")
    assert result.exit_code == 1
    assert "--resend 0001-Kunde9.eml: no row of this merge makes an email of that name" in result.output
    assert "(such as 0001-Kunde0.eml)" in result.output and not (tmp_path / "out").exists()


# --- 5. rows whose values differ only in how they are written ------------------------------


def amounts(*written: str) -> list[dict[str, Any]]:
    return [{**row(0), "final_invoice": {"amount": amount, "due_date": "2027-01-15"}} for amount in written]


def test_rows_that_differ_only_in_spelling_are_repeats_and_their_email_goes_out_once(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    report = merge(
        amounts("1.190,00 €", "1190,-", "1.190", "1190.5", "1190,50"), base=BASE, out_dir=tmp_path, fmt="eml"
    )
    assert [r.repeats for r in report.results] == [0, 1, 1, 0, 4]
    assert report.results[1].problems[0].startswith("repeats row 1: the same input as read")
    files = report.emails()
    dry = send_folder(files, tmp_path, settings, SendOptions(dry_run=True)).run()
    real = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    lines = list(real)
    assert (dry.would_send, dry.same_email) == (real.sent, real.same_email) == (2, 3)
    assert dry.summary().startswith(
        "2 would be sent, 3 the same as another email of this run (not sent twice)"
    )
    assert lines[1] == (
        "not sent twice: 0002-Kunde0.eml is the same email (Message-ID) as 0001-Kunde0.eml, which went out "
        "in this run to k0@example.com: sent once"
    )
    assert real.ok and inbox.counts == Counter({"k0@example.com": 2})
    assert real.outcome(files[1])[0] == "not sent" and "the same email" in real.outcome(files[1])[1]
    later = list(send_folder(files, tmp_path, settings, SendOptions(dry_run=True)))
    assert later[1].startswith("already sent: 0002-Kunde0.eml to k0@example.com on ")
    assert later[1].endswith(" (as 0001-Kunde0.eml: the same email)")


def test_rows_whose_address_differs_only_in_case_are_repeats_and_go_out_once(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    report = merge([row(0), row(1), row(0, "K0@Example.COM")], base=BASE, out_dir=tmp_path, fmt="eml")
    assert [r.repeats for r in report.results] == [0, 0, 1]
    real = send_folder(report.emails(), tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (real.sent, real.same_email) == (2, 1)
    assert inbox.counts == Counter({"k0@example.com": 1, "k1@example.com": 1})


# --- 8. what the terminal says ---------------------------------------------------------------


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_an_untrusted_certificate_is_said_in_words_with_ssl_as_with_starttls(
    tmp_path, server, security, untrusted_tls
):
    from letterkit.merge.send import SendError, SMTPSettings

    inbox = Inbox()
    option = {"ssl_context": untrusted_tls} if security == "ssl" else {"tls_context": untrusted_tls}
    plain = server(inbox, **option)
    settings = SMTPSettings(plain.host, plain.port, security=security, timeout=5)
    with pytest.raises(SendError) as info:
        send_folder(made(tmp_path / "out", 1), tmp_path / "out", settings, SendOptions(dry_run=False)).run()
    message = str(info.value)
    assert message.startswith(
        f"the SMTP server 127.0.0.1:{plain.port} offers encryption, but its certificate"
    )
    assert "cafile: FILE.pem" in message and "nothing was sent" in message and "[SSL" not in message
    # security: none cannot reach a server that speaks SSL from the first byte (tester 42)
    assert ("security: none" in message) is (security == "starttls")
    assert inbox.delivered == []
    # trusting the server's certificate (cafile) lets the same send through
    trusted = SMTPSettings(plain.host, plain.port, security=security, timeout=5, cafile=str(tmp_path / "cert.pem"))
    sent = send_folder(made(tmp_path / "out", 1), tmp_path / "out", trusted, SendOptions(dry_run=False)).run()
    assert sent.sent == 1 and len(inbox.delivered) == 1


def test_an_uncertain_email_of_an_earlier_run_is_not_said_to_be_a_dropped_connection(tmp_path, server):
    settings = server(Inbox())
    files = made(tmp_path, 1)
    log = SentLog(tmp_path)  # as a run killed (kill -9) right after the server took DATA leaves it
    message_id = next(line for line in files[0].read_text().splitlines() if line.startswith("Message-ID:"))
    log.record(message_id.split(": ", 1)[1], files[0].name, "sending", ["k0@example.com"])
    (line,) = list(send_folder(files, tmp_path, settings, SendOptions(dry_run=False)))
    assert line == (
        "uncertain: 0001-Kunde0.eml — an earlier run was cut off while sending it (the connection "
        "dropped, or the run was stopped or killed) after the server had accepted its DATA command, so "
        "it may have arrived; check whether it arrived, then use --retry-uncertain (retry_uncertain=True in Python) to send it again"
        # and, since session 25, how to record it as sent when it did arrive
        ", or, if it did arrive, --mark-sent 0001-Kunde0.eml (arrived={'0001-Kunde0.eml'}) to record it as sent"
    )


def test_an_interrupted_send_counts_each_email_once() -> None:
    from letterkit.merge.send import SendReport

    report = SendReport(
        False, iter(()), sent=12, uncertain=1, failed=2, total=42, folder="out", interrupted=True
    )
    assert report.stopped_summary().startswith(
        "Interrupted while sending: 12 emails sent in this run, 1 uncertain (it may have arrived), "
        "2 failed, 27 not sent yet. Run the same command again"
    )


class Logins(list):
    """Accepts the password 's3cret' only, and remembers each login."""

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.append(auth_data.password.decode())
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)


def _login_env(monkeypatch, settings, **more: str) -> None:
    """The variables of a send to ``settings`` that logs in as bob, without encryption."""
    for name, value in {"HOST": settings.host, "PORT": settings.port, "USER": "bob", "SECURITY": "none", **more}.items():
        monkeypatch.setenv(f"LETTERKIT_SMTP_{name}", str(value))


@pytest.mark.parametrize(("typed", "code"), [("s3cret", 0), ("wrong", 1)])
def test_the_password_is_asked_for_before_the_merge_writes_anything(
    tmp_path, server, monkeypatch, typed, code
):
    import click

    inbox, logins = Inbox(), Logins()
    _login_env(monkeypatch, server(inbox, authenticator=logins, auth_require_tls=False))
    monkeypatch.setattr("letterkit.cli._can_ask_password", lambda: True)
    out = tmp_path / "out"
    written_when_asked: list[int] = []

    def prompt(text: str, **options: Any) -> str:
        written_when_asked.append(len(list(out.glob("*.eml"))) if out.exists() else 0)
        return typed

    monkeypatch.setattr(click, "prompt", prompt)
    data = write_yaml(tmp_path / "rows.yaml", [row(i) for i in range(3)])
    base = write_yaml(tmp_path / "base.yaml", BASE)
    args = ["merge", str(data), "--base", str(base), "-o", str(out), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    assert written_when_asked == [0]  # asked once, before the first letter
    if typed == "wrong":
        assert "refused the login for bob" in result.output and not list(out.glob("*.eml"))
        assert inbox.delivered == []
    else:
        assert inbox.counts == Counter({f"k{i}@example.com": 1 for i in range(3)})
        again = CliRunner().invoke(main, args)  # everything sent: nothing to log in for
        assert again.exit_code == 0 and written_when_asked == [0] and "already sent" in again.output


def test_an_email_edited_by_hand_is_not_told_to_put_its_own_date_in_the_base(tmp_path, cli):
    rows = [row(0), row(1)]
    assert cli(rows, "--format", "eml").exit_code == 0
    edited = tmp_path / "out" / "0002-Kunde1.eml"
    edited.write_bytes(edited.read_bytes().replace(b"Guten Tag,", b"Hallo,", 1))
    result = cli(rows, "--send", inbox=Inbox())
    assert result.exit_code == 1
    assert "put date:" not in result.output  # the base has that date already
    assert (
        "not sent: 0002-Kunde1.eml already exists and holds another letter than its row's email, of the "
        "same date: edited by hand since it was made, or made from other data; move it away, or use "
        "--force (force=True in Python) to replace it with its row's email"
    ) in result.output
    assert "1 email differs from its row's in more than the date (see below)" in result.output
    assert "1 would be sent" in result.output


@pytest.mark.parametrize("password", ["s3cret", "wrong"])
def test_a_password_from_the_environment_is_tried_before_the_merge_writes_anything(
    tmp_path, server, monkeypatch, password
):
    """Tester 32: with LETTERKIT_SMTP_PASSWORD set, a wrong password (or port) was found only
    after the whole merge was written; the login is now tried first whatever gives the password."""
    inbox, logins = Inbox(), Logins()
    _login_env(monkeypatch, server(inbox, authenticator=logins, auth_require_tls=False), PASSWORD=password)
    out = tmp_path / "out"
    data = write_yaml(tmp_path / "rows.yaml", [row(i) for i in range(3)])
    base = write_yaml(tmp_path / "base.yaml", BASE)
    args = ["merge", str(data), "--base", str(base), "-o", str(out), "--send", "--no-dry-run"]
    result = CliRunner().invoke(main, args)
    if password == "wrong":
        assert result.exit_code == 1, result.output
        assert "refused the login for bob" in result.output
        assert not out.exists() or not list(out.glob("*.eml"))  # found before the first letter
        assert set(logins) == {"wrong"} and inbox.delivered == []  # (smtplib tries each mechanism)
    else:
        assert result.exit_code == 0, result.output
        assert logins[0] == "s3cret" and inbox.counts == Counter({f"k{i}@example.com": 1 for i in range(3)})


def test_a_server_that_is_not_there_is_found_before_the_merge_writes_anything(tmp_path, monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for name, value in [("HOST", "127.0.0.1"), ("PORT", port), ("SECURITY", "none")]:
        monkeypatch.setenv(f"LETTERKIT_SMTP_{name}", str(value))
    out = tmp_path / "out"
    data = write_yaml(tmp_path / "rows.yaml", [row(i) for i in range(3)])
    base = write_yaml(tmp_path / "base.yaml", BASE)
    result = CliRunner().invoke(main, ["merge", str(data), "--base", str(base), "-o", str(out), "--send", "--no-dry-run"])
    assert result.exit_code == 1, result.output
    assert not out.exists() or not list(out.glob("*.eml")), result.output
