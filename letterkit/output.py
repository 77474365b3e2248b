"""Atomic file output: write to a temporary file beside the target, then rename (on
Linux a new file is written unnamed, then linked in: see ``_unnamed``).

A reader never sees a half-written letter, an interrupted run leaves no partial
file behind, and an existing file is only replaced when the caller says so.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import secrets
import stat
import sys
from pathlib import Path

from .errors import OutputError

# Temporary names: ".<target>.<pid>-<random>-<counter>.tmp", created exclusively; the
# process id lets a later run tell the leftovers of a killed run from files in progress.
_PROCESS_TAG = secrets.token_hex(4)
_COUNTER = itertools.count()
_TEMPORARY = re.compile(r"\..+\.([0-9]+)-[0-9a-f]{8}-[0-9]+\.tmp")


class WriteError(OutputError):
    """The file ``path`` could not be written (``reason``: the system's words, "No space left
    on device"); nothing of it was left behind, and a file it was to replace is unchanged."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot be written ({reason}); nothing was changed")


def write_atomic(
    path: str | Path, data: bytes, *, force: bool = False, durable: bool = True, absent: bool = False
) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to overwrite unless ``force``.

    ``durable`` also flushes the file to disk before the rename (a power cut cannot leave
    an empty file); a merge of thousands of files skips that per file for speed — the
    rename alone already guarantees that no reader ever sees a half-written file.
    ``absent``: the caller knows there is no file of this name (a merge into a folder
    that was empty when it began), so none is looked for.
    A full disk or any other write error, or an interruption (Ctrl-C), removes the
    temporary file and changes nothing.
    A new file is readable by all (0644), less what the user's umask takes away; a file
    replaced (``force``) keeps its permissions."""
    # paths as text: a merge writes thousands of files, and each Path made on the way (the
    # folder, the joined name) cost more than the work of the system calls around it
    target = given = str(path if isinstance(path, Path) else Path(path))  # as a Path spells it ('out/' is 'out')
    try:
        mode = None if absent else os.lstat(target).st_mode
        if mode is not None and stat.S_ISLNK(mode):
            # a link (-o /dev/stdout, a report linked elsewhere) is followed: the rename would
            # put a file in the link's place (tester5: `-o /dev/stdout --force`)
            target = os.path.realpath(target)
            mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a part of the path is a file (b.yaml/x.docx), a folder not ours
        parent = os.path.dirname(target)
        problem = folder_problem(Path(parent) if parent else Path("."))
        raise OutputError(f"{target}: {problem or f'cannot be written ({exc.strerror})'}") from None
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise OutputError(f"{target}: is a folder; give a file name such as {Path(target) / 'letter.docx'}")
        if not stat.S_ISREG(mode):
            # a device or a pipe (-o /dev/null): written into, as a shell's > does; the
            # rename would put a file in its place (tester5: `lint -o /dev/null --force`
            # made /dev/null a file of the machine)
            _write_into(target, data)
            return path if isinstance(path, Path) else Path(given)
        if not force:
            raise OutputError(f"{given}: already exists; use --force to replace it")
    folder = os.path.dirname(target) or "."
    if mode is None and _TMPFILE and _unnamed(target, folder, data, durable):
        return path if isinstance(path, Path) else Path(given)
    tried: list[str] = []  # the temporary names tried, the last of which may exist
    try:
        fd, tmp = _create_temporary(target, folder, tried)
        try:
            _write_all(fd, data)
            if mode is not None and hasattr(os, "fchmod"):  # --force keeps the file's permissions (a read-only one stays so)
                os.fchmod(fd, stat.S_IMODE(mode))
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(Path(target), exc.strerror or str(exc)) from None
    except BaseException:
        # Ctrl-C or SIGTERM (or an error) on the way: the temporary file goes too. Ctrl-C
        # most often arrives while the kernel creates the file, and Python raises it as
        # soon as os.open returns, before its descriptor and name are handed back: the
        # name is known from ``tried`` (each name is this process's own, never another's)
        if tried:
            with contextlib.suppress(OSError):
                os.unlink(tried[-1])
        raise
    return path if isinstance(path, Path) else Path(given)


# Linux: a new file is written unnamed (O_TMPFILE) and given its name when complete
# (linkat): no temporary name, one change to the folder instead of two (create, rename),
# and nothing left behind by a run killed in between (an unnamed file goes with its last
# descriptor). A merge writes a file per letter, and in a folder that has just seen many
# files come and go each change can cost a tenth of a millisecond or more: measured in one
# process, 1,000 files of 9 KB on ext4, 0.059-0.063 ms a file this way against
# 0.070-0.077 ms with a temporary name and a rename (the floor without atomicity: 0.055).
_TMPFILE: int = getattr(os, "O_TMPFILE", 0) if sys.platform.startswith("linux") else 0
_NO_TMPFILE: set[str] = set()  # folders whose file system refused it: not asked again


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (os.write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _unnamed(target: str, folder: str, data: bytes, durable: bool) -> bool:
    """Write ``data`` to a new file ``target`` unnamed, then link it in; False (nothing
    changed) where that cannot be done: the file system has no O_TMPFILE, /proc is not
    mounted, or the folder takes no file, which the caller's usual path then explains."""
    if folder in _NO_TMPFILE:
        return False
    try:
        fd = os.open(folder, os.O_WRONLY | _TMPFILE | os.O_CLOEXEC, 0o644)
    except OSError:
        _NO_TMPFILE.add(folder)
        return False
    try:
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        except OSError as exc:
            raise WriteError(Path(target), exc.strerror or str(exc)) from None
        # a directory descriptor given makes Python call linkat with AT_SYMLINK_FOLLOW (it
        # calls link(), which links the /proc entry itself, otherwise); an absolute source
        # path makes linkat ignore which descriptor it is
        try:
            os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=fd)
        except FileExistsError:  # made since it was looked for: never replaced unasked
            if _holds(target, data):  # the same bytes: a second merge of the list at the same time
                return True
            raise OutputError(
                f"{target}: already exists: it was made while this run was writing, by another program or a "
                "second run writing into the same folder at the same time, and holds something else; it was "
                "not replaced. Let the other run finish, then run again (--force replaces it)"
            ) from None
        except OSError:
            _NO_TMPFILE.add(folder)
            return False
    finally:
        os.close(fd)
    return True


def _holds(target: str, data: bytes) -> bool:
    """Whether the file ``target`` holds exactly ``data`` (False when it cannot be read)."""
    try:
        if os.path.getsize(target) != len(data):
            return False
        with open(target, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def is_stream(path: str | Path) -> bool:
    """Whether ``path`` is a device or a pipe (followed through links): ``-o /dev/null`` or
    ``-o /dev/stdout`` is written into as a shell's ``>`` does, without --force."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_into(target: str, data: bytes) -> None:
    """Write ``data`` into the device or pipe ``target`` (no temporary file, no rename)."""
    try:
        with open(target, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise WriteError(Path(target), exc.strerror or str(exc)) from None


def _create_temporary(target: str, folder: str, tried: list[str] | None = None) -> tuple[int, str]:
    """A new, empty file beside ``target`` (0644 less the umask, as the file will be): its
    descriptor and path. Its name is hidden and unique; no one else reads it before the
    rename, and setting the mode at creation saves a call per file. Each name is added to
    ``tried`` before it is created, so that a caller interrupted meanwhile can remove it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    name = os.path.basename(target)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.getpid()}-{_PROCESS_TAG}-{next(_COUNTER)}.tmp")
        if tried is not None:
            tried.append(tmp)
        try:
            return os.open(tmp, flags, 0o644), tmp
        except FileExistsError:
            continue
        except OSError as exc:  # why, named by the part of the path at fault
            problem = folder_problem(folder, failed=exc) or f"cannot write to {folder} ({exc.strerror})"
            raise OutputError(f"{target}: {problem}") from None
    raise OutputError(f"{target}: cannot create a temporary file in {folder}")


def folder_problem(
    folder: str | Path,
    *,
    may_create: bool = False,
    fix: str = "choose another folder",
    failed: OSError | None = None,
) -> str | None:
    """Why no file can be created in ``folder``, naming the part of the path at fault and
    how to go on; None when one can. A part of the path that is a file ("b.yaml is a file,
    not a folder"), a folder that is missing (unless ``may_create``: the caller makes it),
    or a folder that exists and takes no new files: read-only, not ours, or a system
    folder such as /proc (which answers "no such file" for a folder that is there).
    ``failed`` is the error creating a file in ``folder`` gave, if it was tried; else a
    file is created there and removed again to find out (``os.access`` is no answer: it
    says yes to root, also on a read-only file system). ``fix`` ends the sentence."""
    folder = Path(folder)
    existing = None
    for place in (folder, *folder.parents):
        try:
            mode = os.stat(place).st_mode
        except PermissionError:  # a folder above it cannot be looked into: not "missing"
            return f"cannot look into {_closed_folder(place)} (permission denied); {fix}"
        except OSError:  # missing, or under a file (found further up)
            continue
        if not stat.S_ISDIR(mode):
            return f"{place} is a file, not a folder; {fix}"
        existing = place
        break
    if existing is None:
        return None  # nothing on the path can be looked at: the error itself says it best
    if existing != folder and not may_create:
        return f"the folder {folder} does not exist; create it first"
    error = failed if failed is not None and existing == folder else _try_creating(existing)
    if error is None:
        return None
    if existing == folder:
        return f"cannot create files in the folder {folder} ({_reason(error)}); {fix}"
    return f"cannot create folders in {existing} ({_reason(error)}); {fix}"


def _closed_folder(place: Path) -> Path:
    """The folder that stops ``place`` from being looked at: the nearest one above it that
    can be looked at itself but not into (a stat of everything below it is refused)."""
    for parent in place.parents:
        try:
            os.stat(parent)
        except PermissionError:
            continue
        except OSError:
            return place.parent
        return parent
    return place.parent


def _try_creating(folder: Path) -> OSError | None:
    """Create a file in ``folder`` and remove it: the error, or None if it could be made.
    Named as an atomic write's temporary file, so a run killed in between leaves nothing
    that the next run does not remove."""
    probe = os.path.join(folder, f".letterkit-probe.{os.getpid()}-{_PROCESS_TAG}-{next(_COUNTER)}.tmp")
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        return exc
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return None


def make_folder(folder: str | Path, *, fix: str = "choose another folder") -> None:
    """Create ``folder`` (and the folders above it) unless it exists; an OutputError that
    says why it cannot be made, as ``folder_problem`` does, if it cannot."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = folder_problem(folder, may_create=True, fix=fix)
        raise OutputError(f"{folder}: {problem or f'cannot be created ({exc.strerror})'}") from None
    if not folder.is_dir():  # a file by that name: mkdir(exist_ok) lets only a folder pass
        raise OutputError(f"{folder} is a file, not a folder; {fix}")


def _reason(error: OSError) -> str:
    """Why a folder that exists takes no new file, in words."""
    if error.errno == errno.EROFS:
        return "read-only file system"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):  # the folder is there: a system folder (/proc)
        return "this file system takes no new files"
    return (error.strerror or str(error)).lower()


def remove_leftovers(folder: Path) -> int:
    """Remove the temporary files a killed run left in ``folder`` (those of processes that
    no longer run); the number removed. Nothing else is touched."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found and not process_running(int(found.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def process_running(pid: int) -> bool:
    """Whether a process with this id runs (this one counts as running)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) there sends Ctrl-C (CTRL_C_EVENT is 0)
        return _windows_process_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's, or not knowable here: leave its files alone
    return not _ended(pid)


def _ended(pid: int) -> bool:
    """Whether a process that signals still answer has ended all the same: a zombie, which
    writes nothing more. The worker of a merge killed with kill -9 ends with it, but where no
    one reaps it (a container whose first process does not) it stays a zombie, and its
    temporary file was kept by every later run (tests/test_output.py, kill -9)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return False  # no /proc (not Linux), or gone between the two looks: the caller decides
    state = data[data.rfind(b")") + 2 :][:1]  # the field after the command name, which may hold ")"
    return state in (b"Z", b"X")


def _windows_process_running(pid: int) -> bool:
    """Whether a process runs, asked of Windows without signalling it (OpenProcess and
    GetExitCodeProcess); one that cannot be asked about counts as running."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, wintypes.DWORD(pid))  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:  # ERROR_INVALID_PARAMETER (87): there is no such process
        error: int = ctypes.get_last_error()  # type: ignore[attr-defined,unused-ignore]
        return error != 87
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def check_writable(path: str | Path, option: str, created: str | Path | None = None) -> None:
    """Refuse, before any work, a file that could not be written: its folder is missing,
    read-only or not ours, or the name is a folder (a merge's --report, --combined). A
    file in ``created`` (the merge's output folder, which it creates) is fine while that
    folder is still to be made, if the folder above it can be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{option} {target}: is a folder; give a file name")
    may_create = created is not None and _same_place(folder, Path(created))
    problem = folder_problem(folder, may_create=may_create)
    if problem:
        raise OutputError(f"{option} {target}: {problem}")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"{option} {target}: the file is read-only; choose another place")


def _same_place(a: Path, b: Path) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
