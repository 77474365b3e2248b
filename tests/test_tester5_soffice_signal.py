"""Ctrl-C that comes as LibreOffice is being started is not lost.

``subprocess.Popen`` with a ``preexec_fn`` runs the interpreter's at-fork hooks in the
parent (the logging module's among them), and an exception raised in such a hook is
printed as "Exception ignored" and dropped. Ctrl-C that arrived while the child was
forked was therefore dropped at times: found as a failure of
test_ctrl_c_during_a_conversion_ends_libreoffice_and_removes_its_folder in a run of
scripts/test.sh on a busy machine (the warning "Exception ignored in: <function
_releaseLock> ... KeyboardInterrupt"); the conversion went on as if nothing had been
pressed. Here the hook that receives it is made certain: one that raises the signal
itself while a conversion's program is started."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from letterkit.render import soffice

_ARMED: list[bool] = []


def _interrupt_in_the_parent_after_fork() -> None:
    if _ARMED:
        _ARMED.clear()
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10_000):  # bytecode to run: the handler raises here, inside the hook
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_parent=_interrupt_in_the_parent_after_fork)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child's preexec_fn is Linux's")
def test_ctrl_c_while_the_program_is_started_stops_the_run_and_the_program(tmp_path) -> None:
    pid_file = tmp_path / "pid"
    program = tmp_path / "slow"
    program.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 30\n")
    program.chmod(0o755)
    _ARMED.append(True)
    try:
        with pytest.raises(KeyboardInterrupt):
            soffice.run([str(program)], timeout=8)  # without the fix: Timeout after 8 s
    finally:
        _ARMED.clear()
    if pid_file.exists():  # the program, if it got so far, was ended with the run
        pid = int(pid_file.read_text())
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}"):
            time.sleep(0.05)
        assert not os.path.exists(f"/proc/{pid}")
