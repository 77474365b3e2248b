"""A send resumed on a later day, from the CLI, against a real aiosmtpd server on
localhost: the emails were made yesterday (no date in the input: a letter is dated the day
it is made), some were sent; today's run says one clear line per email, and a file that
was sent is never replaced, not with --force either."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge
from letterkit.merge.send import SendOptions, send_folder
from letterkit.model import current_day

TODAY = current_day()  # the day a letter without a date is dated (conftest fixes SOURCE_DATE_EPOCH)


def sent_on() -> date:
    """The day the sent-log records: the clock's, whatever the letters' day. Read when a test
    asserts, not when the module is imported: a run that went past midnight expected the day
    before (CI on ff8b7f5, started at 23:59 UTC: 8 failed)."""
    return date.today()


YESTERDAY = TODAY - timedelta(days=1)
SENDER = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}
NAMES = [f"000{i + 1}-Kunde{i}.eml" for i in range(4)]


def rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "locale": "de-DE",
            "end_date": (TODAY + timedelta(days=90)).isoformat(),
            "recipient": {
                "company": f"Kunde {i} AG",
                "last_name": f"Kunde{i}",
                "email": f"kunde{i}@example.com",
            },
        }
        for i in range(n)
    ]


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


class Inbox:
    """Counts what arrives, by envelope recipient."""

    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"

    @property
    def addresses(self) -> Counter[str]:
        return Counter(address for recipients in self.delivered for address in recipients)


@pytest.fixture
def day_one(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``day_one(sent)``: yesterday's run made the four emails (dated yesterday) and sent
    the first ``sent``; gives the inbox and today's command (no date in --base)."""

    def run(sent: int) -> tuple[Inbox, list[str]]:
        inbox = Inbox()
        settings = server(inbox)
        monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
        monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
        data = write_yaml(tmp_path / "rows.yaml", rows(4))
        command = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
        yesterday = write_yaml(tmp_path / "base-day1.yaml", {"sender": SENDER, "date": YESTERDAY})
        first = CliRunner().invoke(main, [*command, "--base", str(yesterday), "--limit", str(sent)])
        assert first.exit_code == 0 and len(inbox.delivered) == sent, first.output
        today = write_yaml(tmp_path / "base.yaml", {"sender": SENDER})
        return inbox, [*command, "--base", str(today)]

    return run


def lines_about(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if name in line]


# 1. one clear line per email


def test_a_later_day_says_one_line_per_email_and_no_already_exists(day_one):
    inbox, command = day_one(sent=2)
    again = CliRunner().invoke(main, command)
    assert again.exit_code == 1, again.output  # two wait for the user's choice
    assert "already exists" not in again.output and "from an earlier run with other data" not in again.output
    for i, name in enumerate(NAMES):
        (line,) = lines_about(again.output, name)
        if i < 2:
            assert line.startswith(f"already sent: {name} to kunde{i}@example.com on {sent_on()}")
        else:
            assert line.startswith(f"not sent: {name} holds an email made earlier (dated {YESTERDAY})")
    lines = again.output.splitlines()
    assert (
        lines[0]
        == "0 written, 0 kept from an earlier run, 0 failed; 4 emails made earlier left as they are (see below)."
    )
    assert lines[-1] == "0 sent, 2 already sent, 0 uncertain, 2 failed."
    assert len(inbox.delivered) == 2


def test_a_later_day_when_everything_was_sent_is_no_failure(day_one):
    inbox, command = day_one(sent=4)
    for dry_run in (True, False):
        again = CliRunner().invoke(main, [c for c in command if not (dry_run and c == "--no-dry-run")])
        assert again.exit_code == 0, again.output
        assert "already exists" not in again.output
        lines = again.output.splitlines()
        assert lines[1:-1] == [
            f"already sent: {name} to kunde{i}@example.com on {sent_on()} (the file is kept as it was)"
            for i, name in enumerate(NAMES)
        ]
        last = "0 would be sent" if dry_run else "0 sent"
        assert lines[-1] == f"{last}, 4 already sent, 0 uncertain, 0 failed."
    assert len(inbox.delivered) == 4


def test_a_later_day_dry_run_still_fails_for_the_emails_that_wait_for_a_choice(day_one):
    _, command = day_one(sent=2)
    dry = CliRunner().invoke(main, [c for c in command if c != "--no-dry-run"])
    assert dry.exit_code == 1, dry.output
    assert "already exists" not in dry.output
    assert dry.output.splitlines()[-1] == "0 would be sent, 2 already sent, 0 uncertain, 2 failed."


# 2. a file that was sent is never replaced, not with --force either


def test_force_remakes_the_unsent_emails_and_keeps_the_sent_ones_as_they_were(tmp_path, day_one):
    inbox, command = day_one(sent=2)
    out = tmp_path / "out"
    before = {name: (out / name).read_bytes() for name in NAMES}
    forced = CliRunner().invoke(main, [*command, "--force"])
    assert forced.exit_code == 0, forced.output
    for name in NAMES[:2]:  # what the clients got
        assert (out / name).read_bytes() == before[name]
    for name in NAMES[2:]:  # remade, dated today, and sent
        assert (out / name).read_bytes() != before[name]
        assert f"Date: {TODAY.strftime('%a, %d %b %Y')}" in (out / name).read_text(encoding="utf-8")
    for name in NAMES:
        assert len(lines_about(forced.output, name)) == 1, forced.output
    lines = forced.output.splitlines()
    assert (
        lines[0]
        == "2 written, 0 kept from an earlier run, 0 failed; 2 emails made earlier left as they are (see below)."
    )
    assert f"already sent: {NAMES[0]} to kunde0@example.com on {sent_on()} (the file is kept as it was)" in lines
    assert lines[-1] == "2 sent, 2 already sent, 0 uncertain, 0 failed."
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(4))  # each once


def test_force_without_send_keeps_a_sent_email_and_says_so(tmp_path, day_one):
    _, command = day_one(sent=1)
    out = tmp_path / "out"
    sent = (out / NAMES[0]).read_bytes()
    merge_only = [c for c in command if c not in ("--send", "--no-dry-run")]
    forced = CliRunner().invoke(main, [*merge_only, "--format", "eml", "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / NAMES[0]).read_bytes() == sent
    (line,) = lines_about(forced.output, NAMES[0])
    assert line.endswith(
        f"row 1: {NAMES[0]} was sent to kunde0@example.com on {sent_on()} and is kept as it was: an email "
        "that was sent is never replaced, not even with --force (it is what the client received)"
    )
    assert (
        forced.output.splitlines()[-1]
        == "3 written, 0 kept from an earlier run, 1 kept as they were sent, 0 failed."
    )


def test_the_python_api_keeps_a_sent_email_too(tmp_path, server):
    settings = server(Inbox())
    yesterday = [r | {"sender": SENDER, "date": YESTERDAY.isoformat()} for r in rows(2)]
    made = merge(yesterday, out_dir=tmp_path, fmt="eml")
    files = [tmp_path / r.file for r in made.results]
    send_folder(files[:1], tmp_path, settings, SendOptions(dry_run=False)).run()
    sent = files[0].read_bytes()
    remade = merge([r | {"sender": SENDER} for r in rows(2)], out_dir=tmp_path, fmt="eml", force=True)
    assert [r.status for r in remade.results] == ["sent", "written"] and remade.ok
    assert files[0].read_bytes() == sent
    assert (
        remade.results[0].problems[0].startswith(f"{files[0].name} was sent to kunde0@example.com on {sent_on()}")
    )


class RefusesNeu(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("neu@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_an_email_sent_to_some_of_its_addresses_is_kept_and_the_others_are_told_how(
    tmp_path, server, monkeypatch
):
    inbox = RefusesNeu()
    settings = server(inbox)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    made = merge(
        [r | {"sender": SENDER, "date": YESTERDAY.isoformat()} for r in rows(1)],
        out_dir=tmp_path / "out",
        fmt="eml",
    )
    path = tmp_path / "out" / made.results[0].file
    path.write_bytes(path.read_bytes().replace(b"To: ", b"To: neu@example.com, ", 1))
    first = send_folder([path], tmp_path / "out", settings, SendOptions(dry_run=False)).run()
    assert (first.sent, first.failed) == (0, 1) and inbox.addresses == Counter(["kunde0@example.com"])
    sent = path.read_bytes()
    data = write_yaml(tmp_path / "rows.yaml", rows(1))
    today = write_yaml(tmp_path / "base.yaml", {"sender": SENDER})
    command = [
        "merge",
        str(data),
        "--base",
        str(today),
        "-o",
        str(tmp_path / "out"),
        "--send",
        "--no-dry-run",
    ]
    forced = CliRunner().invoke(main, [*command, "--force"])
    assert forced.exit_code == 1, forced.output
    assert path.read_bytes() == sent
    (line,) = lines_about(forced.output, path.name)
    assert line == (
        f"not sent: {path.name} to neu@example.com — the file is the email kunde0@example.com got on {sent_on()} "
        f"(made earlier, dated {YESTERDAY}), kept as it was sent: an email that was sent is never replaced, "
        f"not even with --force; if only the date differs, put date: {YESTERDAY} in --base to send it as it "
        "is to the others"
    )
    assert inbox.addresses == Counter(["kunde0@example.com"])


# 3. what else a later day may find in the folder


def test_a_file_that_is_no_email_is_named_and_the_send_goes_on(tmp_path, day_one):
    inbox, command = day_one(sent=1)
    (tmp_path / "out" / NAMES[1]).write_bytes(b"not an email\r\n")
    pinned = write_yaml(tmp_path / "base.yaml", {"sender": SENDER, "date": YESTERDAY})  # the rest as made
    again = CliRunner().invoke(main, [*command, "--base", str(pinned)])
    assert again.exit_code == 1
    assert "Error" not in again.output
    (line,) = lines_about(again.output, NAMES[1])
    assert line == (
        f"not sent: {NAMES[1]} is not a complete email (it needs From, To and Message-ID); move it away, "
        "or use --force to replace it with its row's email"
    )
    assert again.output.splitlines()[-1] == "2 sent, 1 already sent, 0 uncertain, 1 failed."
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in (0, 2, 3))


class DropsFirst(Inbox):
    """The connection drops while the first message arrives (before the server's 250)."""

    async def handle_DATA(self, server, session, envelope):
        if not getattr(self, "dropped", False):
            self.dropped = True
            server.transport.close()
            return "421 closing"
        return await super().handle_DATA(server, session, envelope)


def test_an_uncertain_email_made_earlier_says_how_to_send_it_again(tmp_path, server, monkeypatch):
    inbox = DropsFirst()
    settings = server(inbox)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    data = write_yaml(tmp_path / "rows.yaml", rows(2))
    command = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
    yesterday = write_yaml(tmp_path / "base-day1.yaml", {"sender": SENDER, "date": YESTERDAY})
    first = CliRunner().invoke(main, [*command, "--base", str(yesterday)])
    assert "uncertain: 0001-Kunde0.eml" in first.output and len(inbox.delivered) == 1
    today = write_yaml(tmp_path / "base.yaml", {"sender": SENDER})
    retried = CliRunner().invoke(main, [*command, "--base", str(today), "--retry-uncertain"])
    (line,) = lines_about(retried.output, NAMES[0])
    # --retry-uncertain cannot send a file made earlier: the line says what will
    assert line == (
        f"uncertain: {NAMES[0]} — an earlier run was cut off while sending it (the connection dropped, "
        "or the run was stopped or killed) after the server had accepted its DATA command, so it may "
        "have arrived; check whether it arrived; the file was made earlier and differs from its row's email now: if only the date "
        f"differs, put date: {YESTERDAY} in --base and use --retry-uncertain to send it again as it "
        "was made (the file is kept as it was)"
    )
    again = CliRunner().invoke(main, [*command, "--base", str(yesterday), "--retry-uncertain"])
    assert again.exit_code == 0, again.output
    assert inbox.addresses == Counter(["kunde0@example.com", "kunde1@example.com"])


def test_a_sent_email_damaged_since_is_kept_too(tmp_path, day_one):
    """The sent-log knows the file by its name: a sent email whose file was cut short or
    garbled afterwards (no headers left to read) is still not replaced by --force."""
    _, command = day_one(sent=1)
    out = tmp_path / "out"
    (out / NAMES[0]).write_bytes(b"\x00garbled")
    merge_only = [c for c in command if c not in ("--send", "--no-dry-run")]
    forced = CliRunner().invoke(main, [*merge_only, "--format", "eml", "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / NAMES[0]).read_bytes() == b"\x00garbled"
    assert "1 kept as they were sent" in forced.output.splitlines()[-1]
