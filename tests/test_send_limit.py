"""--limit N: at most N messages accepted by the server in one run. A message the server
refuses (550 for its one address) or that is left unsent does not count, so the limit is
reached with the messages that were sendable; one whose connection dropped after the DATA
command does count, as it may have arrived. Against a real aiosmtpd server on localhost."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge
from letterkit.merge.send import SendOptions, send_folder

SENDER = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}


def rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "date": "2026-11-26",
            "sender": SENDER,
            "locale": "de-DE",
            "end_date": "2026-12-31",
            "recipient": {
                "company": f"Kunde {i} AG",
                "last_name": f"Kunde{i}",
                "email": f"kunde{i}@example.com",
            },
        }
        for i in range(n)
    ]


def emails(folder: Path, n: int) -> list[Path]:
    return [folder / r.file for r in merge(rows(n), out_dir=folder, fmt="eml").results]


class Refusing:
    """Refuses the listed addresses at RCPT TO (550), takes the others; can drop the
    connection while receiving the message to one address."""

    def __init__(self, *refused: str, drop_for: str = "") -> None:
        self.refused = set(refused)
        self.drop_for = drop_for
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_for in envelope.rcpt_tos:
            server.transport.close()  # gone before the server answers 250
            return "421 closing"
        self.delivered.extend(envelope.rcpt_tos)
        return "250 OK"


def test_a_refused_message_does_not_count_against_the_limit(tmp_path, server):
    inbox = Refusing("kunde1@example.com")
    files = emails(tmp_path, 5)
    report = send_folder(files, tmp_path, server(inbox), SendOptions(dry_run=False, limit=2))
    lines = list(report)
    assert lines == [
        f"sent: {files[0].name} to kunde0@example.com",
        f"refused: {files[1].name}: kunde1@example.com: 550 5.1.1 no such user",
        f"sent: {files[2].name} to kunde2@example.com",
        "limit of 2 reached; run again to send the rest",
    ]
    assert (report.sent, report.failed, report.remaining) == (2, 1, 2)
    assert inbox.delivered == ["kunde0@example.com", "kunde2@example.com"]


def test_a_message_sent_to_some_of_its_addresses_counts(tmp_path, server):
    inbox = Refusing("neu@example.com")
    files = emails(tmp_path, 3)
    files[0].write_bytes(files[0].read_bytes().replace(b"To: ", b"To: neu@example.com, ", 1))
    report = send_folder(files, tmp_path, server(inbox), SendOptions(dry_run=False, limit=1)).run()
    assert (report.sent, report.failed, report.remaining) == (0, 1, 2)  # accepted for kunde0
    assert inbox.delivered == ["kunde0@example.com"]


def test_a_message_that_may_have_arrived_counts(tmp_path, server):
    inbox = Refusing(drop_for="kunde0@example.com")
    files = emails(tmp_path, 3)
    report = send_folder(files, tmp_path, server(inbox), SendOptions(dry_run=False, limit=1)).run()
    assert (report.sent, report.uncertain, report.remaining) == (0, 1, 2)
    assert inbox.delivered == []


def test_cli_limit_counts_what_the_server_accepted(tmp_path, server, monkeypatch):
    inbox = Refusing("kunde1@example.com")
    settings = server(inbox)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(6), allow_unicode=True), encoding="utf-8")
    command = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run", "--limit", "3"]
    first = CliRunner().invoke(main, command)
    assert first.exit_code == 1  # one refused
    assert first.output.splitlines()[-1] == (
        "3 sent, 0 already sent, 0 uncertain, 1 failed; 2 left for the next run (limit reached)."
    )
    assert Counter(inbox.delivered) == Counter(f"kunde{i}@example.com" for i in (0, 2, 3))
    rest = CliRunner().invoke(main, command)  # the refused one is tried again, and the rest sent
    assert rest.output.splitlines()[-1] == "2 sent, 3 already sent, 0 uncertain, 1 failed."
    assert Counter(inbox.delivered) == Counter(f"kunde{i}@example.com" for i in (0, 2, 3, 4, 5))


def test_cli_help_says_what_the_limit_counts():
    help_text = " ".join(CliRunner().invoke(main, ["merge", "--help"]).output.split())
    assert "stop once the server has accepted N messages in this run" in help_text
