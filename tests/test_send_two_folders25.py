"""The same client list merged and sent into a second output folder sends nothing twice:
an address that got the very email (its Message-ID) from another folder counts as sent,
and ``--resend FILE`` sends it again (tester7: all 8 clients got their email twice). The
record lives in the user's data folder (merge/sent_index.py), one per test here (conftest)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from letterkit.cli import main


class Inbox:
    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"

    @property
    def addresses(self) -> Counter[str]:
        return Counter(address for recipients in self.delivered for address in recipients)


@pytest.fixture
def list_and_inbox(send_list: Any) -> tuple[Inbox, list[str]]:
    inbox = Inbox()
    return inbox, send_list(inbox, 3)


def test_the_same_list_sent_from_a_second_folder_sends_nothing_twice(tmp_path: Path, list_and_inbox) -> None:
    inbox, command = list_and_inbox
    first = CliRunner().invoke(main, [*command, "-o", str(tmp_path / "first")])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(main, [*command, "-o", str(tmp_path / "second")])
    assert second.exit_code == 0, second.output
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(3))
    assert second.output.splitlines()[-1] == "0 sent, 3 already sent, 0 uncertain, 0 failed."
    there = str((tmp_path / "first").resolve() / "0001-Kunde0.eml")
    assert f"(as {there}: the same email); --resend 0001-Kunde0.eml sends it again" in second.output


def test_resend_sends_it_again_from_the_second_folder(tmp_path: Path, list_and_inbox) -> None:
    inbox, command = list_and_inbox
    CliRunner().invoke(main, [*command, "-o", str(tmp_path / "first")])
    again = CliRunner().invoke(main, [*command, "-o", str(tmp_path / "second"), "--resend", "0002-Kunde1.eml"])
    assert again.exit_code == 0, again.output
    assert inbox.addresses["kunde1@example.com"] == 2 and inbox.addresses["kunde0@example.com"] == 1


def test_a_resumed_send_in_the_same_folder_is_not_told_of_itself(tmp_path: Path, list_and_inbox) -> None:
    inbox, command = list_and_inbox
    out = ["-o", str(tmp_path / "first")]
    CliRunner().invoke(main, [*command, *out, "--limit", "1"])
    rest = CliRunner().invoke(main, [*command, *out])
    assert rest.output.splitlines()[-1] == "2 sent, 1 already sent, 0 uncertain, 0 failed.", rest.output
    assert "same email" not in rest.output
    assert inbox.addresses == Counter(f"kunde{i}@example.com" for i in range(3))


def test_the_record_is_the_users_own_and_a_damaged_line_is_passed_over(tmp_path: Path, list_and_inbox) -> None:
    inbox, command = list_and_inbox
    CliRunner().invoke(main, [*command, "-o", str(tmp_path / "first")])
    record = Path(os.environ["XDG_DATA_HOME"]) / "letterkit" / "sent-index.jsonl"
    assert record.stat().st_mode & 0o777 == 0o600
    lines = record.read_bytes().splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["to"] == ["kunde0@example.com"]
    record.write_bytes(b'{"id": "<cut\n' + b"\n".join(lines) + b"\n")
    second = CliRunner().invoke(main, [*command, "-o", str(tmp_path / "second")])
    assert second.exit_code == 0 and len(inbox.delivered) == 3, second.output
