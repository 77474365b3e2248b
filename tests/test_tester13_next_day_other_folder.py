"""Tester 13: the list sent on one day, merged and sent again the next day into a new
folder (out-2026-11-30/), its input without a date: each email is dated the day it is made,
so it has another Message-ID, and every client got a second termination. An address that
got an email from another folder is now held back as it is within one folder, with the
way to send it all the same (--resend). Against a real aiosmtpd server on localhost."""

from __future__ import annotations

import calendar
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from test_send_acceptance24 import Inbox, row

from letterkit.cli import main

BASE = {"sender": {"company": "Muster GmbH", "name": "Erika Muster", "city": "Berlin", "email": "erika@example.de"}}


@pytest.fixture
def send(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    inbox = Inbox()
    settings = server(inbox)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    data, base = tmp_path / "rows.yaml", tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(BASE), encoding="utf-8")

    def run(day: str, rows: list[dict[str, Any]], folder: str, *options: str) -> Any:
        when = calendar.timegm(datetime.fromisoformat(day + "T08:00").timetuple())
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(when))
        data.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
        args = ["merge", str(data), "--base", str(base), "-o", str(tmp_path / folder), "--send", *options]
        return CliRunner().invoke(main, args)

    run.inbox = inbox  # type: ignore[attr-defined]
    return run


def test_the_next_days_list_in_a_new_folder_sends_no_second_email(send):
    first = send("2026-11-29", [row(0), row(1)], "out-1129", "--no-dry-run")
    assert first.exit_code == 0, first.output
    assert send.inbox.counts == {"k0@example.com": 1, "k1@example.com": 1}
    day2 = [row(0), row(1), row(2)]  # a client added; the others as they were
    for dry in ([], ["--no-dry-run"]):
        again = send("2026-11-30", day2, "out-1130", *dry)
        assert again.exit_code == 1, again.output
        assert "not sent: 0001-Kunde0.eml — k0@example.com got " in again.output
        assert "out-1129" in again.output and "run again with --resend 0001-Kunde0.eml" in again.output
        assert "0003-Kunde2.eml to k2@example.com" in again.output  # the new client is sent
    assert send.inbox.counts == {"k0@example.com": 1, "k1@example.com": 1, "k2@example.com": 1}
    asked = send("2026-11-30", day2, "out-1130", "--no-dry-run", "--resend", "0001-Kunde0.eml")
    assert asked.exit_code == 1, asked.output  # Kunde1 still held back
    assert send.inbox.counts == {"k0@example.com": 2, "k1@example.com": 1, "k2@example.com": 1}


def test_a_corrected_address_the_next_day_in_a_new_folder_is_held_back(send):
    first = send("2026-11-29", [row(0), row(1)], "out-1129", "--no-dry-run")
    assert first.exit_code == 0, first.output
    day2 = [row(2), row(0), row(1, "k1-new@example.com")]  # renumbered, Kunde 1's address corrected
    again = send("2026-11-30", day2, "out-1130", "--no-dry-run")
    assert again.exit_code == 1, again.output
    assert "not sent: 0003-Kunde1.eml — " in again.output and "k1@example.com on 2026-" in again.output
    assert "run again with --resend 0003-Kunde1.eml" in again.output
    assert send.inbox.counts == {"k0@example.com": 1, "k1@example.com": 1, "k2@example.com": 1}
