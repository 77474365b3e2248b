"""A server that drops the connection after taking every email's text: after two such
emails in a row the send leaves the rest for the next run, instead of making every email
of the list uncertain (tester10: 35 of 35 became uncertain)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from letterkit.cli import main


class Drops:
    """Drops the connection while each message arrives (before the server's 250), the
    first ``drops`` times; takes the others."""

    def __init__(self, drops: int) -> None:
        self.drops = drops
        self.delivered: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.drops:
            self.drops -= 1
            server.transport.close()
            return "421 closing"
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"


def test_two_drops_in_a_row_leave_the_rest_for_the_next_run(tmp_path: Path, send_list: Any) -> None:
    inbox = Drops(drops=100)
    result = CliRunner().invoke(main, [*send_list(inbox, 5), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sum(line.startswith("uncertain: ") for line in lines) == 2
    assert lines[-2] == (
        "the server dropped the connection after taking the text of 0001-Kunde0.eml and of "
        "0002-Kunde1.eml (both uncertain); 3 left for the next run: run again later to send them"
    )
    assert inbox.delivered == []


def test_one_drop_does_not_stop_the_send(tmp_path: Path, send_list: Any) -> None:
    inbox = Drops(drops=1)
    result = CliRunner().invoke(main, [*send_list(inbox, 4), "-o", str(tmp_path / "out")])
    assert result.output.splitlines()[-1] == "3 sent, 0 already sent, 1 uncertain, 0 failed."
    assert len(inbox.delivered) == 3
