"""``--mark-sent FILE``: an email left uncertain by a send cut off mid-message, which the
user checked did arrive, is recorded as sent and not sent again; without it every later run
said '1 uncertain' and exited 1 (tester7: the only ways out were editing the sent-log by hand
or sending it again)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from letterkit.cli import main

FIRST = "0001-Kunde0.eml"


class DropsFirst:
    """The connection drops while the first message arrives (before the server's 250)."""

    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if not getattr(self, "dropped", False):
            self.dropped = True
            server.transport.close()
            return "421 closing"
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def uncertain(tmp_path: Path, send_list: Any) -> tuple[DropsFirst, list[str]]:
    inbox = DropsFirst()
    command = [*send_list(inbox, 2), "-o", str(tmp_path / "out")]
    first = CliRunner().invoke(main, command)
    assert first.exit_code == 1 and f"uncertain: {FIRST}" in first.output, first.output
    assert f"--mark-sent {FIRST}" in first.output  # the line says how to clear it
    return inbox, command


def test_an_uncertain_email_marked_as_sent_is_recorded_and_not_sent_again(uncertain) -> None:
    inbox, command = uncertain
    marked = CliRunner().invoke(main, [*command, "--mark-sent", FIRST])
    assert marked.exit_code == 0, marked.output
    assert f"marked as sent (not sent again): {FIRST} to kunde0@example.com" in marked.output
    assert marked.output.splitlines()[-1] == "0 sent, 2 already sent, 0 uncertain, 0 failed."
    later = CliRunner().invoke(main, command)
    assert later.exit_code == 0, later.output
    assert f"already sent: {FIRST}" in later.output
    assert inbox.delivered == [["kunde1@example.com"]]  # kunde0's never went out again


def test_a_dry_run_only_says_it_would_mark_it(uncertain) -> None:
    _inbox, command = uncertain
    dry = [option for option in command if option != "--no-dry-run"]
    said = CliRunner().invoke(main, [*dry, "--mark-sent", FIRST])
    assert f"would mark as sent (not send): {FIRST}" in said.output
    again = CliRunner().invoke(main, command)
    assert again.exit_code == 1 and f"uncertain: {FIRST}" in again.output


def test_an_email_that_is_not_uncertain_is_not_marked(uncertain) -> None:
    inbox, command = uncertain
    result = CliRunner().invoke(main, [*command, "--mark-sent", "0002-Kunde1.eml"])
    assert "marked as sent" not in result.output
    assert Counter(a for r in inbox.delivered for a in r) == Counter(["kunde1@example.com"])


def test_mark_sent_needs_send(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text("recipient.last_name\nMuster\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["merge", str(data), "-o", str(tmp_path / "out"), "--mark-sent", FIRST])
    assert result.exit_code == 2 and "--mark-sent works only with --send" in result.output
