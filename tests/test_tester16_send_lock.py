"""A send stopped between two messages (SIGTERM while the CLI prints a line) releases the
folder's lock around it first; its generator, closed later, must not raise KeyError
("Exception ignored in: <generator _send_all>" and a traceback at exit) (tester16)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

from letterkit.merge import merge
from letterkit.merge.send import SendOptions, SMTPSettings, send_folder, sending_lock

BASE = {
    "date": "2026-11-26",
    "sender": {"company": "Muster GmbH", "name": "Erika Muster", "city": "Berlin", "email": "erika@example.de"},
}


class Inbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def test_a_send_closed_after_its_outer_lock_ends_cleanly(tmp_path: Path, server: Any) -> None:
    inbox = Inbox()
    settings: SMTPSettings = server(inbox)
    rows = [
        {**BASE, "locale": "de-DE", "end_date": "2026-12-31",
         "recipient": {"company": f"Kunde {i} AG", "last_name": f"K{i}", "email": f"k{i}@example.com"}}
        for i in range(3)
    ]  # fmt: skip
    files = merge(rows, out_dir=tmp_path, fmt="eml").emails()
    unraisable: list[Any] = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        with sending_lock(tmp_path):  # as the CLI holds it around the merge and the send
            lines = iter(send_folder(files, tmp_path, settings, SendOptions(dry_run=False)))
            assert next(lines).startswith("sent:")
        # the lock is released; the send's generator is closed afterwards (here: collected)
        del lines
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert [str(u.exc_value) for u in unraisable] == []
    assert inbox.count == 1
    with sending_lock(tmp_path):  # the folder can be locked again: nothing is left held
        pass
