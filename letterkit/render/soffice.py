"""Run LibreOffice as a child process that does not outlive its parent.

LibreOffice runs in its own process group (``start_new_session``): a timeout, Ctrl-C or
any other exception in the parent kills the whole group — ``soffice`` starts ``oosplash``,
which starts ``soffice.bin`` — before the exception goes on.

A parent killed outright (``kill -9``) runs no code. On Linux the child is therefore
started with ``PR_SET_PDEATHSIG`` (set through ``prctl`` with ctypes): the kernel sends
it SIGTERM when the parent dies, and ``oosplash`` ends ``soffice.bin`` on SIGTERM (SIGKILL
would leave ``soffice.bin`` running alone, as the signal is not passed on). Elsewhere
(macOS, Windows) there is no such call: a conversion the parent left behind ends on its
own, within the conversion's time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Timeout(Exception):
    """The program did not finish within its time; it was killed."""


def run(command: list[str], timeout: float, temporary: Path | None = None) -> tuple[int, bytes]:
    """Run ``command``; its exit code and error output. ``Timeout`` after ``timeout`` s;
    on a timeout or any exception here (KeyboardInterrupt) the program and the processes it
    started are killed first. ``temporary``: the program's temporary folder (TMPDIR), where
    LibreOffice keeps copies of what it converts (``lu*.tmp``) — in the working folder,
    they go with it even when the program is killed before it removes them."""
    env = None
    if temporary is not None:
        temporary.mkdir(exist_ok=True)
        env = {**os.environ, "TMPDIR": str(temporary), "TMP": str(temporary), "TEMP": str(temporary)}
    process = None
    try:
        with _signals_held():
            process = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, so ending it ends all of it
                preexec_fn=_dies_with_parent(),  # one prctl call in the child, its function looked up here
            )
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        assert process is not None
        kill(process)
        raise Timeout from None
    except BaseException:
        if process is not None:
            kill(process)
        raise
    return process.returncode, err


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM that come while the program is started take effect once it is:
    a ``preexec_fn`` makes Popen run the interpreter's at-fork hooks in this process, and
    an exception raised in one of them (KeyboardInterrupt from Ctrl-C, ``Terminated`` from
    the CLI's SIGTERM handler) is printed as "Exception ignored" and dropped, so the
    conversion went on as if Ctrl-C had not been pressed. Their handlers are called here
    afterwards instead, inside the caller's ``try`` that ends the program. Only the main
    thread may set handlers; elsewhere nothing changes."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, hold) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if caught:
        handler = previous[signal.Signals(caught[0])]
        if callable(handler):
            handler(caught[0], None)
        elif handler != signal.SIG_IGN:  # the default action (ends the process), or one set in C
            signal.raise_signal(caught[0])


def kill(process: subprocess.Popen[bytes]) -> None:
    """End the program with the helper processes it started, and wait for it."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):  # it ended meanwhile
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        process.kill()
    with contextlib.suppress(OSError, ValueError):
        process.communicate()


def _dies_with_parent() -> Callable[[], None] | None:
    """The function that, in the child before it runs the program, asks the kernel for
    SIGTERM when this process dies; None where there is no such call (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent = os.getpid()

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the call: no signal would come
            os._exit(1)

    return in_child
