"""A sent-log that cannot be written (a full disk, a read-only file) stops the send with
one clear error before any email goes out unrecorded: never a traceback, never a
"connection dropped" for a connection that did not drop, and the next run resumes
without sending any email twice (tester 34)."""

from __future__ import annotations

import errno
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import send_lock, sent_log
from letterkit.model import current_day

SENDER = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}
FULL = OSError(errno.ENOSPC, "No space left on device")


class Inbox:
    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.delivered += envelope.rcpt_tos
        return "250 OK"


@pytest.fixture
def command(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Inbox, list[str]]:
    inbox = Inbox()
    settings = server(inbox)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    end = current_day().replace(year=current_day().year + 1).isoformat()
    rows = [
        {"locale": "de-DE", "end_date": end, "recipient": {"last_name": f"Kunde{i}", "email": f"k{i}@example.com"}}
        for i in range(6)
    ]
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump({"sender": SENDER}, allow_unicode=True), encoding="utf-8")
    return inbox, ["merge", str(data), "--base", str(base), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]


def fsync_fails_after(monkeypatch: pytest.MonkeyPatch, calls: int) -> None:
    """The sent-log's writes succeed ``calls`` times, then the disk is full."""
    real = os.fsync
    done = [0]

    def fsync(descriptor: int) -> None:
        done[0] += 1
        if done[0] > calls:
            raise FULL
        real(descriptor)

    monkeypatch.setattr(sent_log.os, "fsync", fsync)


@pytest.mark.parametrize("calls", [0, 1, 4, 5])
def test_a_full_disk_mid_send_stops_with_one_error_and_the_rerun_sends_each_email_once(
    command: tuple[Inbox, list[str]], monkeypatch: pytest.MonkeyPatch, calls: int
) -> None:
    inbox, argv = command
    with monkeypatch.context() as patched:
        fsync_fails_after(patched, calls)
        result = CliRunner().invoke(main, argv)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "cannot write the sent-log (No space left on device); the send stopped" in result.output
    assert "connection dropped" not in result.output
    # each email takes two records ("sending", then "sent"): a failure at an odd one is after
    # the server took the message, which the error says and the next run holds as uncertain
    went = calls // 2 + calls % 2
    assert len(inbox.delivered) == went
    assert ("went out, but may not be recorded as sent" in result.output) == (calls % 2 == 1)
    assert "The send stopped" in result.output
    again = CliRunner().invoke(main, argv)
    number = went if calls % 2 else went + 1  # the email the failed record was about
    about = [line for line in again.output.splitlines() if f" 000{number}-" in line]
    # the line was written, the disk full at its flush: read back as written
    assert about and about[0].startswith("already sent: " if calls % 2 else "uncertain: "), again.output
    if calls % 2 == 0:  # stopped before its text went out: it never arrived, and is sent on request
        assert "did not arrive: send it with --retry-uncertain" in result.output
        CliRunner().invoke(main, [*argv, "--retry-uncertain"])
    delivered = Counter(inbox.delivered)
    assert sorted(delivered) == [f"k{i}@example.com" for i in range(6)]
    assert set(delivered.values()) == {1}, delivered  # none twice, none missing


def test_a_read_only_sent_log_stops_the_send_before_the_first_email(
    command: tuple[Inbox, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, argv = command
    real_open = Path.open

    def refused(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self.name == sent_log.SENT_LOG and "a" in mode:
            raise PermissionError(errno.EPERM, "Operation not permitted", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refused)
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 1
    assert "cannot write the sent-log (Operation not permitted); nothing was sent" in result.output
    assert "uncertain" not in result.output and "connection dropped" not in result.output
    assert inbox.delivered == []


def test_a_full_disk_for_the_send_lock_is_a_clear_error(
    command: tuple[Inbox, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, argv = command

    class FullFile:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def __enter__(self) -> FullFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def flush(self) -> None:
            raise FULL

    real_fdopen = os.fdopen
    monkeypatch.setattr(send_lock.os, "fdopen", lambda *a, **k: FullFile(real_fdopen(*a, **k)))
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 1
    assert "cannot write the send lock" in result.output and "nothing was sent" in result.output
    assert "Traceback" not in result.output
    assert inbox.delivered == []
