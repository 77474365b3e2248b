"""The acceptance tester's sending findings (round 7), against a real aiosmtpd server on
localhost: two runs sending from one folder at once, a send resumed on a later day after
the emails were remade with that day's date, and a server that takes only so many
messages per connection (421)."""

from __future__ import annotations

import asyncio
import email
import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import date, timedelta
from email import policy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge, send
from letterkit.merge.send import SendOptions, SentLog, SMTPSettings, send_folder
from letterkit.model import current_day

TODAY = current_day()  # the day a letter without a date is dated (conftest fixes SOURCE_DATE_EPOCH)


def sent_on() -> date:
    """The day the sent-log records: the clock's, whatever the letters' day. Read when a test
    asserts, not when the module is imported: a run that went past midnight expected the day
    before (CI on ff8b7f5, started at 23:59 UTC: 8 failed)."""
    return date.today()


YESTERDAY = TODAY - timedelta(days=1)
SENDER = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}


def rows(n: int) -> list[dict[str, Any]]:
    """No date: a letter is dated the day it is made, as in the tester's base.yaml."""
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


def base(letter_date: date | None = None) -> dict[str, Any]:
    return {"sender": SENDER} | ({"date": letter_date} if letter_date else {})


def emails(folder: Path, n: int, letter_date: date | None = None, *, force: bool = False) -> list[Path]:
    report = merge(rows(n), base=base(letter_date), out_dir=folder, fmt="eml", force=force)
    return [folder / r.file for r in report.results]


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def env(monkeypatch: pytest.MonkeyPatch, settings: SMTPSettings) -> dict[str, str]:
    """LETTERKIT_SMTP_HOST/PORT for the CLI in this process; returned for a subprocess."""
    variables = {"LETTERKIT_SMTP_HOST": str(settings.host), "LETTERKIT_SMTP_PORT": str(settings.port)}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **variables}


class Inbox:
    """Counts what arrives, by envelope recipient, and the connections it came on."""

    def __init__(self) -> None:
        self.delivered: list[list[str]] = []
        self.messages: list[email.message.EmailMessage] = []
        self.sessions: set[int] = set()

    async def handle_DATA(self, server, session, envelope):
        self.sessions.add(id(session))
        self.delivered.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    @property
    def addresses(self) -> Counter[str]:
        return Counter(address for recipients in self.delivered for address in recipients)


# 1. two runs sending from one folder at once


class Held(Inbox):
    """Keeps the first message in DATA until released (at most 10 s), so a run is still
    sending when a second one starts."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.arrived.set()
        for _ in range(100):
            if self.release.is_set():
                break
            await asyncio.sleep(0.1)
        return await super().handle_DATA(server, session, envelope)


def test_a_second_send_on_the_same_folder_refuses_at_once(tmp_path, server, monkeypatch):
    inbox = Held()
    variables = env(monkeypatch, server(inbox))
    data, out = write_yaml(tmp_path / "rows.yaml", rows(4)), tmp_path / "out"
    args = ["merge", str(data), "--base", str(write_yaml(tmp_path / "base.yaml", base())), "-o", str(out)]
    args += ["--send", "--no-dry-run"]
    first = subprocess.Popen(
        [sys.executable, "-m", "letterkit", *args], env=variables, stderr=subprocess.PIPE, text=True
    )
    try:
        assert inbox.arrived.wait(60), "the first run sent nothing"
        second = CliRunner().invoke(main, args)
    finally:
        inbox.release.set()
        _, first_output = first.communicate(timeout=60)
    assert second.exit_code == 1, second.output
    assert f"another send is running on the folder {out} (pid {first.pid} on " in second.output
    assert ", since " in second.output and "nothing was sent" in second.output
    assert "written" not in second.output  # refused before the merge touched the folder
    assert first.returncode == 0, first_output
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(4))  # each once


HOLD_LOCK = """
import sys, time
from pathlib import Path
from letterkit.merge.send import sending_lock
with sending_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_killed_send_leaves_the_folder_unlocked(tmp_path, server, monkeypatch):
    inbox = Inbox()
    settings = server(inbox)
    env(monkeypatch, settings)
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        data = write_yaml(tmp_path / "rows.yaml", [r | base() for r in rows(2)])
        args = ["merge", str(data), "-o", str(out), "--send"]
        refused = CliRunner().invoke(main, [*args, "--no-dry-run"])
        assert refused.exit_code == 1 and f"(pid {holder.pid} on " in refused.output, refused.output
        assert not list(out.glob("*.eml")) and inbox.delivered == []
        with pytest.raises(send.SendLockedError, match="another send is running"):
            send_folder([], out, settings, SendOptions(dry_run=False))
        assert CliRunner().invoke(main, args).exit_code == 0  # a dry run sends nothing: no lock
    finally:
        holder.kill()
        holder.wait()
    sent = CliRunner().invoke(main, [*args, "--no-dry-run"])  # the OS dropped the dead run's lock
    assert sent.exit_code == 0, sent.output
    assert inbox.addresses == Counter(["kunde0@example.com", "kunde1@example.com"])
    assert lock_in_another_thread(out) == "held"  # the run let go of it when it ended


def lock_in_another_thread(folder: Path) -> str:
    """'held', or why not: another thread opens the lock file anew, as another process does."""
    outcome: list[str] = []

    def take() -> None:
        try:
            with send.sending_lock(folder):
                outcome.append("held")
        except send.SendLockedError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=take)
    thread.start()
    thread.join()
    return outcome[0]


def test_the_lock_nests_in_one_thread_and_refuses_another(tmp_path):
    with send.sending_lock(tmp_path), send.sending_lock(tmp_path):
        refused = lock_in_another_thread(tmp_path)
    assert refused.startswith("another send is running") and f"pid {os.getpid()} on " in refused
    assert lock_in_another_thread(tmp_path) == "held"  # released by the outer block


# 2. a send resumed on a later day


def day_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inbox: Inbox, server: Any) -> list[str]:
    """The tester's day 1, a day late: made with yesterday's date, two of four sent. Gives
    the same command without its --base."""
    env(monkeypatch, server(inbox))
    data = write_yaml(tmp_path / "rows.yaml", rows(4))
    command = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
    yesterday = write_yaml(tmp_path / "base-day1.yaml", base(YESTERDAY))
    first = CliRunner().invoke(main, [*command, "--base", str(yesterday), "--limit", "2"])
    assert first.exit_code == 0 and len(inbox.delivered) == 2, first.output
    return command


def test_a_later_day_without_force_reports_what_was_sent_and_sends_nothing_unasked(
    tmp_path, server, monkeypatch
):
    inbox = Inbox()
    command = day_one(tmp_path, monkeypatch, inbox, server)
    command += ["--base", str(write_yaml(tmp_path / "base.yaml", base()))]  # no date: today's
    again = CliRunner().invoke(main, command)
    assert again.exit_code == 1
    lines = again.output.splitlines()
    for i, name in enumerate(["0001-Kunde0.eml", "0002-Kunde1.eml"]):
        assert (
            f"already sent: {name} to kunde{i}@example.com on {sent_on()} (the file is kept as it was)" in lines
        )
    for name in ["0003-Kunde2.eml", "0004-Kunde3.eml"]:
        (line,) = [line for line in lines if line.startswith(f"not sent: {name}")]
        assert f"(dated {YESTERDAY})" in line and f"put date: {YESTERDAY} in --base" in line
        assert "--force to remake it dated today" in line
    assert lines[-1] == "0 sent, 2 already sent, 0 uncertain, 2 failed."
    assert len(inbox.delivered) == 2
    # --force remakes all four, dated today, and sends only the two that were not sent
    forced = CliRunner().invoke(main, [*command, "--force"])
    assert forced.exit_code == 0, forced.output
    assert f"already sent: 0001-Kunde0.eml to kunde0@example.com on {sent_on()}" in forced.output
    assert forced.output.splitlines()[-1] == "2 sent, 2 already sent, 0 uncertain, 0 failed."
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(4))  # each once


def test_a_later_day_with_the_letters_date_sends_the_rest_as_made(tmp_path, server, monkeypatch):
    inbox = Inbox()
    command = day_one(tmp_path, monkeypatch, inbox, server)
    pinned = write_yaml(tmp_path / "base.yaml", base(YESTERDAY))  # as the 'not sent' line says
    again = CliRunner().invoke(main, [*command, "--base", str(pinned)])
    assert again.exit_code == 0, again.output
    assert "4 kept from an earlier run" in again.output
    assert again.output.splitlines()[-1] == "2 sent, 2 already sent, 0 uncertain, 0 failed."
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(4))


def test_the_sent_log_knows_a_remade_email_by_file_name_and_address(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = emails(tmp_path, 2, YESTERDAY)
    sent_id = email.message_from_bytes(files[0].read_bytes())["Message-ID"]
    send_folder(files[:1], tmp_path, settings, SendOptions(dry_run=False)).run()
    # --force never replaces a sent email; one moved away (or replaced by an older letterkit)
    # is remade under the same name, dated today
    files[0].unlink()
    assert emails(tmp_path, 2, force=True) == files
    assert email.message_from_bytes(files[0].read_bytes())["Message-ID"] != sent_id
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    assert list(report) == [
        f"already sent: {files[0].name} to kunde0@example.com on {sent_on()}",
        f"sent: {files[1].name} to kunde1@example.com",
    ]
    # an address added to the file gets it; the one that got it does not get it again
    files[0].write_bytes(files[0].read_bytes().replace(b"To: ", b"To: neu@example.com, ", 1))
    added = send_folder(files[:1], tmp_path, settings, SendOptions(dry_run=False))
    assert list(added) == [f"sent: {files[0].name} to neu@example.com (kunde0@example.com got it on {sent_on()})"]
    assert inbox.addresses == Counter(["kunde0@example.com", "kunde1@example.com", "neu@example.com"])


# 3. a server that closes the session: nothing was sent, so reconnect and go on


class PerConnection(Inbox):
    """Like the tester's server2.py: '421 Too many messages in this session' at MAIL FROM
    after ``limit`` messages on one connection, which it then closes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if getattr(session, "count", 0) >= self.limit:
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return "421 4.7.0 Too many messages in this session"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        session.count = getattr(session, "count", 0) + 1
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(send, "RECONNECT_WAIT", 0.0, raising=False)


def test_a_421_after_some_messages_means_reconnect_and_go_on(tmp_path, server, no_wait):
    inbox = PerConnection(limit=2)
    settings = server(inbox)
    files = emails(tmp_path, 5)
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    assert list(report) == [f"sent: {path.name} to kunde{i}@example.com" for i, path in enumerate(files)]
    assert (report.sent, report.failed, report.uncertain, report.ok) == (5, 0, 0, True)
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(5))
    assert len(inbox.sessions) == 3


def test_cli_a_421_is_no_failure_and_leaves_nothing_uncertain(tmp_path, server, monkeypatch, no_wait):
    inbox = PerConnection(limit=3)
    env(monkeypatch, server(inbox))
    data = write_yaml(tmp_path / "rows.yaml", [r | base() for r in rows(4)])
    result = CliRunner().invoke(
        main, ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "uncertain:" not in result.output and "refused" not in result.output
    assert result.output.splitlines()[-1] == "4 sent, 0 already sent, 0 uncertain, 0 failed."


class DropsIdle(Inbox):
    """Closes a connection that comes back for a second message, without a word, as a
    server does with a connection it timed out: found closed at MAIL FROM."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if getattr(session, "used", False):
            server.transport.close()
            return "421 closing"  # never arrives
        session.used = True
        envelope.mail_from = address
        return "250 OK"


def test_a_connection_found_closed_before_mail_from_is_reopened(tmp_path, server, no_wait):
    inbox = DropsIdle()
    settings = server(inbox)
    files = emails(tmp_path, 3)
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (report.sent, report.uncertain, report.failed) == (3, 0, 0)
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(3))


class TryLater(Inbox):
    """Answers the first ``times`` MAIL FROM with a temporary error."""

    def __init__(self, times: int) -> None:
        super().__init__()
        self.times = times
        self.refused_on: list[int] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if len(self.refused_on) < self.times:
            self.refused_on.append(id(session))
            return "451 4.3.0 try again later"
        envelope.mail_from = address
        return "250 OK"


def test_a_4xx_before_data_is_tried_once_more_on_a_new_connection_then_left_unsent(tmp_path, server, no_wait):
    inbox = TryLater(times=2)
    settings = server(inbox)
    files = emails(tmp_path, 2)
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    assert list(report) == [
        f"not sent: {files[0].name} — 451 4.3.0 try again later, on a new connection too; run "
        "again later to send it",
        f"sent: {files[1].name} to kunde1@example.com",
    ]
    assert len(set(inbox.refused_on)) == 2  # the second try came on a new connection
    assert (report.sent, report.failed, report.uncertain) == (1, 1, 0)
    first_id = email.message_from_bytes(files[0].read_bytes())["Message-ID"]
    assert first_id not in SentLog(tmp_path).state  # never 'sending': nothing went out
    again = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (again.sent, again.already_sent, again.ok) == (1, 1, True)
    assert inbox.addresses == Counter(["kunde0@example.com", "kunde1@example.com"])


def test_the_lock_leaves_no_folder_behind_when_the_run_wrote_nothing(tmp_path: Path) -> None:
    from letterkit.merge.send import SEND_LOCK, sending_lock

    with sending_lock(tmp_path / "new"):
        assert (tmp_path / "new" / SEND_LOCK).is_file()
    assert not (tmp_path / "new").exists()  # every row failed: nothing was written
    with sending_lock(tmp_path / "used"):
        (tmp_path / "used" / "0001-A.eml").write_text("x")
    assert sorted(p.name for p in (tmp_path / "used").iterdir()) == sorted(["0001-A.eml", SEND_LOCK])
    (tmp_path / "old").mkdir()
    with sending_lock(tmp_path / "old"):
        pass
    assert (tmp_path / "old").is_dir()  # a folder the user made stays


class BusyAfter(Inbox):
    """Tester 39's server: takes ``taken`` messages, then answers every MAIL FROM with 421."""

    def __init__(self, taken: int) -> None:
        super().__init__()
        self.taken = taken
        self.tries = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if len(self.addresses) >= self.taken:
            self.tries += 1
            return "421 4.7.0 Too many messages, try later"
        envelope.mail_from = address
        return "250 OK"


def test_a_server_that_says_421_twice_is_left_alone_until_the_next_run(tmp_path, server, no_wait):
    inbox = BusyAfter(taken=2)
    settings = server(inbox)
    files = emails(tmp_path, 6)
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    lines = list(report)
    assert lines[:2] == [f"sent: {path.name} to kunde{i}@example.com" for i, path in enumerate(files[:2])]
    assert lines[2].startswith(f"not sent: {files[2].name} — 421 4.7.0 Too many messages, try later, on a new")
    assert lines[3] == (
        f"the server turned {files[2].name} away twice (421 4.7.0 Too many messages, try later); "
        "3 left for the next run: run again later to send them"
    )
    assert len(lines) == 4 and inbox.tries == 2  # not two more tries for each of the other three
    assert (report.sent, report.failed, report.remaining, report.ok) == (2, 1, 3, False)
    assert report.summary().endswith("; 3 left for the next run (the server asked to try later).")
    assert report.outcome(files[4])[1].startswith("left for the next run: the server turned")
    inbox.taken = 10
    again = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()
    assert (again.sent, again.already_sent, again.ok) == (4, 2, True)
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(6))
