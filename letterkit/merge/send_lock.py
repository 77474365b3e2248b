"""One send per folder: a real send holds an OS lock on a file next to the sent-log, so
two runs never send from one folder at once; the OS releases it when the process ends,
however it ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from ..errors import OutputError
from ..output import make_folder
from .smtp import SendError

SEND_LOCK = ".letterkit-sent.lock"  # next to the sent-log; held while a real send runs


class SendLockedError(SendError):
    """Another process is sending from the same folder; ``holder`` says which and since when."""

    def __init__(self, folder: Path, holder: str) -> None:
        self.folder = folder
        self.holder = holder
        super().__init__(
            f"another send is running on the folder {folder} ({holder}); wait for it to end, then "
            "run again: the sent-log makes it go on where that run stopped (a run that was "
            "killed holds no lock); nothing was sent"
        )


_held = threading.local()  # the send locks this thread holds: lock file -> depth


@contextlib.contextmanager
def sending_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's send lock, or raise SendLockedError at once if another process (or
    thread) holds it. An OS lock (``flock``; ``msvcrt.locking`` on Windows) on the file
    SEND_LOCK next to the sent-log: the OS drops it when the process ends, so a killed run
    never leaves the folder locked. Taken again by the thread that holds it, it nests."""
    created = not folder.exists()
    try:
        make_folder(folder, fix="choose another folder with -o (out_dir= in Python)")
    except OutputError as exc:
        raise SendError(str(exc)) from None
    path = (folder / SEND_LOCK).resolve()
    depths: dict[Path, int] = _held.__dict__.setdefault("depths", {})
    if path in depths:
        depths[path] += 1
        try:
            yield
        finally:
            # a send's generator closed only after the lock around it was released (SIGTERM
            # between two messages: the CLI's lock ends first) finds nothing left to undo
            if path in depths:
                depths[path] -= 1
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)  # Windows: no newline translation
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as exc:
        raise SendError(f"{folder}: cannot create the send lock {SEND_LOCK} ({exc.strerror})") from None
    empty = False
    with os.fdopen(descriptor, "r+b") as handle:
        if not _os_lock(handle):
            raise SendLockedError(folder, _lock_holder(handle))
        try:
            holder = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            try:
                handle.truncate(0)  # who holds it, for the message a second run prints
                handle.write(json.dumps(holder).encode("utf-8") + b"\n")
                handle.flush()
            except OSError as exc:  # a full disk: no room for the sent-log either
                raise SendError(
                    f"{folder}: cannot write the send lock {SEND_LOCK} ({exc.strerror or exc}); nothing "
                    "was sent. Free some disk space, then run the same command again."
                ) from None
            depths[path] = 1
            yield
        finally:
            depths.pop(path, None)
            # the run wrote nothing (every row failed): no folder left behind for the lock;
            # removed while still locked (a run starting now makes a new lock file), except
            # on Windows, which removes no open file
            empty = created and [p.name for p in folder.iterdir()] == [SEND_LOCK]
            if empty and sys.platform != "win32":
                _remove_folder(path)
            _os_unlock(handle)
    if empty and sys.platform == "win32":
        _remove_folder(path)


def _remove_folder(lock: Path) -> None:
    with contextlib.suppress(OSError):
        lock.unlink()
        lock.parent.rmdir()


_WINDOWS_LOCK_AT = 1 << 30  # Windows locks are mandatory: lock a byte past the holder's line


def _os_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_AT)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(0)
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held by another open file (process or thread)
        return False
    return True


def _os_unlock(handle: IO[bytes]) -> None:
    """Closing the file releases the lock too; on Windows only after a while, so say it."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_AT)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def _lock_holder(handle: IO[bytes]) -> str:
    """'pid 4242 on host, since 2026-11-27 09:14:03', from the lock file, as far as known."""
    try:
        handle.seek(0)
        holder = json.loads(handle.readline())
        since = datetime.fromisoformat(holder["since"]).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"pid {holder['pid']} on {holder['host']}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "the process that holds its lock did not say which it is"


def running_sender(folder: Path) -> str | None:
    """Who is sending from ``folder`` right now ("pid 4242 on host, since …"), or None: the
    lock file's holder when it names a process of this host that still runs. Read without
    taking the lock, so that a dry run never makes a real send starting now think the folder
    busy (a pid reused since is the rare cost: the note then warns in vain)."""
    from ..output import process_running

    try:
        with (folder / SEND_LOCK).open("rb") as handle:
            holder = json.loads(handle.readline())
            pid, host = int(holder["pid"]), str(holder["host"])
            running = host == socket.gethostname() and pid != os.getpid() and process_running(pid)
            return _lock_holder(handle) if running else None
    except (OSError, ValueError, KeyError, TypeError):
        return None

