"""The working folders of PDF conversions: where they are, and that they go away.

A conversion needs a folder for the .docx it converts, the PDF LibreOffice writes and a
LibreOffice user profile of its own (``-env:UserInstallation``: parallel conversions —
threads, processes, a running desktop LibreOffice — never share a lock or a profile).

A folder is ``letterkit-pdf-<pid>-<random>`` in the system's temporary folder (private to
the user, mode 0700). It is kept for the next conversion in the same process, as setting up
a profile costs LibreOffice about a second, but the letters in it are removed as soon as
their conversion ends: between conversions it holds the profile only. It is removed

- when the process ends (``atexit``; in a worker process of a merge, when the worker ends),
- at once when a conversion is stopped (Ctrl-C, SIGTERM in the CLI) or fails,
- after ``kill -9``, which runs no code, by the next conversion or PDF merge: a folder whose
  process no longer runs is removed (``remove_stale``); so are the pid-less folders of
  earlier letterkit versions that are older than an hour (a conversion of theirs ended
  within two minutes).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..process_end import at_process_end

PREFIX = "letterkit-pdf-"
_OURS = re.compile(re.escape(PREFIX) + r"([0-9]+)-[a-z0-9_]{8}")
_OLDER_KIND = re.compile(re.escape(PREFIX) + r"[a-z0-9_]{8}")  # tempfile's name, no pid
OLDER_KIND_AGE = 3600.0  # seconds


class Workspace:
    """A private folder with a LibreOffice profile, used by one conversion at a time."""

    def __init__(self, root: str | None = None) -> None:
        _remove_at_exit()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))
        self.owner = os.getpid()

    @property
    def profile(self) -> str:
        """The profile's location as LibreOffice takes it (a file URL)."""
        return (self.folder / "profile").as_uri()

    def clear(self) -> None:
        """Remove everything but the profile: the letters of the last conversion."""
        for entry in os.scandir(self.folder):
            if entry.name == "profile":
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)

    def remove(self) -> None:
        """Remove the folder with everything in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_idle: list[Workspace] = []
_swept = False


@contextlib.contextmanager
def borrowed() -> Iterator[Workspace]:
    """A workspace for one conversion: an idle one of this process, or a new one. It is
    cleared and kept for the next conversion when the block ends normally, and removed when
    it ends with an exception (Ctrl-C, a failed conversion: its profile may be broken)."""
    global _swept
    with _lock:
        workspace = _idle.pop() if _idle else None
        sweep, _swept = not _swept, True
    if sweep:
        remove_stale()
    if workspace is None:
        workspace = Workspace()
    try:
        yield workspace
    except BaseException:
        workspace.remove()
        raise
    try:
        workspace.clear()
    except OSError:
        workspace.remove()
        return
    with _lock:
        _idle.append(workspace)


def remove_idle() -> None:
    """Remove this process's idle workspaces (when it ends)."""
    with _lock:
        mine = [w for w in _idle if w.owner == os.getpid()]
        _idle.clear()
    for workspace in mine:
        workspace.remove()


def remove_stale(root: str | Path | None = None) -> int:
    """Remove the workspaces of processes that no longer run (killed with ``kill -9``) in
    ``root`` (the temporary folder); the number removed. A folder of another user, of a
    running process, or of a process whose id is now another program's, is left alone."""
    from ..output import process_running

    folder = Path(root) if root is not None else Path(tempfile.gettempdir())
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        if not entry.name.startswith(PREFIX) or not _own_folder(entry):
            continue
        ours = _OURS.fullmatch(entry.name)
        if ours:
            stale = not process_running(int(ours.group(1)))
        else:
            stale = bool(_OLDER_KIND.fullmatch(entry.name)) and _age(entry) > OLDER_KIND_AGE
        if stale:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += not os.path.lexists(entry.path)
    return removed


def _own_folder(entry: os.DirEntry[str]) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not entry.is_dir(follow_symlinks=False):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _age(entry: os.DirEntry[str]) -> float:
    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _forget_in_child() -> None:
    """A forked process (a merge's worker) has none of its parent's workspaces: they are
    the parent's to use and to remove."""
    global _lock, _swept, _exit_registered
    _lock = threading.Lock()
    _idle.clear()
    _swept = True  # the parent looked already
    _exit_registered = None


_exit_registered: int | None = None  # the process that registered remove_idle


def _remove_at_exit() -> None:
    """Have ``remove_idle`` run when this process ends (``process_end.at_process_end``: also
    in a worker of a merge), registered once per process."""
    global _exit_registered
    if _exit_registered == os.getpid():
        return
    _exit_registered = os.getpid()
    at_process_end(remove_idle)

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
