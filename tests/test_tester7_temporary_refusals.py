"""A refusal for now (a 4xx reply to RCPT or after DATA: greylisting, a full mailbox) was
told as "refused: ... 451 4.7.1 greylisted, try again later" and counted as failed, like a
550, with nothing to say that the same command sends it later (tester7: a greylisting
server's first answer). The refusal line stays as the server said it; a line after the
messages says that those refused for now go out when the command is run again, and a
second run sends them, each once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from letterkit.merge.send import SendOptions, send_folder

GREY = "grey@example.com"
GONE = "gone@example.com"


class Greylisting:
    """451 for GREY the first time it is named, 550 for GONE; takes everything else."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.received: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address == GONE:
            return "550 5.1.1 no such user"
        if address == GREY and address not in self.seen:
            self.seen.add(address)
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted"


def _emails(folder: Path) -> list[Path]:
    files = []
    for number, address in enumerate(["ok@example.com", GREY, GONE], start=1):
        path = folder / f"000{number}-K.eml"
        path.write_bytes(
            f"From: a@example.de\r\nTo: {address}\r\nSubject: x\r\nMessage-ID: <{number}@example.de>\r\n\r\nx\r\n".encode()
        )
        files.append(path)
    return files


def test_a_refusal_for_now_says_the_next_run_sends_it(tmp_path: Path, server: Any) -> None:
    handler = Greylisting()
    settings = server(handler)
    files = _emails(tmp_path)
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    lines = list(report)
    assert f"refused: 0002-K.eml: {GREY}: 451 4.7.1 greylisted, try again later" in lines
    assert f"refused: 0003-K.eml: {GONE}: 550 5.1.1 no such user" in lines
    later = [line for line in lines if "refused for now" in line]
    assert later == [
        "1 email was refused for now (a 4xx reply: greylisting, a full mailbox, a busy server): 0002-K.eml; "
        "run the same command again later to send it (the sent-log skips what went out)"
    ]
    assert (report.sent, report.failed) == (1, 2)
    again = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    assert f"sent: 0002-K.eml to {GREY}" in list(again)
    assert sorted(handler.received) == sorted(["ok@example.com", GREY])
