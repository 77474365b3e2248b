"""A temporary file of a process that has ended but was not reaped (a zombie) is a leftover:
the worker of a merge killed with kill -9 ends with it, and where no one reaps it its files
were kept by every later run."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from letterkit.output import process_running, remove_leftovers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs fork and /proc")
def test_a_zombie_is_not_running_and_its_temporary_file_goes(tmp_path: Path) -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until it has ended (unreaped: a zombie)
            with open(f"/proc/{pid}/stat", "rb") as handle:
                if handle.read().rsplit(b")", 1)[1][1:2] == b"Z":
                    break
            time.sleep(0.01)
        os.kill(pid, 0)  # it still answers signals
        assert not process_running(pid)
        leftover = tmp_path / f".0001-Muster.docx.{pid}-0123abcd-1.tmp"
        leftover.write_bytes(b"half")
        mine = tmp_path / f".0002-Muster.docx.{os.getpid()}-0123abcd-2.tmp"
        mine.write_bytes(b"in progress")
        assert remove_leftovers(tmp_path) == 1
        assert not leftover.exists() and mine.exists()
    finally:
        os.waitpid(pid, 0)
    assert process_running(os.getpid())
