"""What a merge wrote, remembered so that a resumed run checks each file cheaply.

A re-run keeps a file only when it holds its row's letter. Checking that the full way
means making the letter again and comparing, which made resuming a finished set cost
more than making it. So when a file is written (or found to hold its row's letter), a
record of it is kept: a digest of what made it — the row's validated input, the file's
format and attachments, and a stamp of the run (letterkit's code and templates, the
dependencies that render, the --template) — taken together with a digest of the file's
bytes. A later run whose row gives the same input digest, and whose file still has the
same bytes, holds exactly what letterkit made for that input: it is kept without making
the letter again. Anything else (another input, a file edited since, no record) is
checked the full way, so a record can only save time, never keep a wrong file.

The records are kept in the user's cache folder, one file per output folder (the
output folder holds only the letters, the sent-log and what the user put there), as lines
``<16 hex digits> <file name>``; the last record of a name counts. A cut or damaged line
is passed over (its file is then checked the full way). In memory a record takes 16 bytes
(two 64-bit digests in a flat table), so 100,000 files cost ~3 MB; new records are
written out a thousand at a time. A file grown to many times its records (a folder made
again and again with --force) is started afresh.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import stat
import sys
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .repeats import validated_digest

_KEEP = 100  # output folders whose records are kept; the oldest beyond that are removed
_PREFIX = "made-"
_WRITE_EVERY = 1000  # new records held before they are written out


def run_stamp(fmt: str, template: str | None, attach_pdf: bool, attachments: Iterable[Path]) -> str:
    """What every file of this run depends on besides its row: letterkit's version, code
    and templates (by size and time of change of their files), Python's and the rendering
    libraries' versions, the format, the --template and the fixed attachments."""
    from ..resources import templates_dir

    parts = [_code_stamp(), fmt, f"attach_pdf={attach_pdf}", *_stamps(templates_dir())]
    parts += _stamps_of([Path(template)] if template else [])
    parts += _stamps_of(attachments)
    return "\n".join(parts)


@functools.cache
def _code_stamp() -> str:
    """letterkit's version and code, Python's, and the libraries that render (each by the
    file of its package, with its size and time of change: a library installed in another
    version has other files): once a process (the code a process runs does not change
    under it, unlike a template). Looked up without importing ``importlib.metadata``,
    which alone took longer than stamping every file (~10 ms of a first merge)."""
    from .. import __version__

    parts = [f"letterkit {__version__}", sys.version]
    for name in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        parts += _stamps_of([Path(origin)]) if origin else [f"{name} -"]
    return "\n".join([*parts, *_stamps(Path(__file__).resolve().parent.parent)])


# the libraries whose code makes a file's bytes: templates, locale data, .docx, compression
_LIBRARIES = ("jinja2", "markupsafe", "babel", "docxtpl", "docx", "lxml", "isal")


def _stamps(folder: Path) -> list[str]:
    """Every file under ``folder`` (not compiled code) with its size and time of change; the
    folder's path resolved once, not each file's (a path resolved is a system call for each
    of its parts, and a run stamps some two hundred files)."""
    found = []
    top = os.path.realpath(folder)
    for root, folders, files in os.walk(top):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
                found.append(f"{path} {info.st_size} {info.st_mtime_ns}")
            except OSError:
                found.append(f"{path} ?")
    return found


def _stamps_of(paths: Iterable[Path]) -> list[str]:
    found = []
    for path in paths:
        try:
            info = path.stat()
            found.append(f"{path.resolve()} {info.st_size} {info.st_mtime_ns}")
        except OSError:
            found.append(f"{path} ?")
    return found


def input_key(
    stamp: str, fmt: str, termination: Any, attachments: Iterable[Path] | None, validated: bytes = b""
) -> bytes:
    """The digest of what makes a row's file: the run's stamp, the file's format, the
    row's validated input (``validated``: its digest, as the first pass worked it out,
    else worked out here) and its own attachments (names, sizes, times of change)."""
    row = (validated or validated_digest(termination)).hex()
    text = "\n".join([_stamp_digest(stamp), fmt, row, *_stamps_of(attachments or ())])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@functools.lru_cache(maxsize=8)
def _stamp_digest(stamp: str) -> str:
    """The run's stamp (every file of letterkit with its size and time: kilobytes of text)
    as a digest, taken once, not encoded and hashed again for every row's file."""
    return hashlib.blake2b(stamp.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def record(key: bytes, data: bytes) -> str:
    """The record of a file with bytes ``data`` made from ``key`` (16 hex digits). The file's
    bytes (a letter's ~9 KB) are taken by SHA-256, which the processor computes (OpenSSL's
    SHA extensions): Python's BLAKE2 is portable C, ~4% of a merge's instructions. (Records
    of an earlier letterkit never match anyway: ``run_stamp`` holds its code's files.)"""
    content = hashlib.sha256(data).digest()[:16]
    return hashlib.blake2b(key + content, digest_size=8).hexdigest()


def file_record(
    stamp: str,
    fmt: str,
    termination: Any,
    attachments: Iterable[Path] | None,
    data: bytes,
    validated: bytes = b"",
) -> str:
    """The record of a row's file with bytes ``data`` ('' without a stamp or validated input)."""
    if not stamp or termination is None:
        return ""
    return record(input_key(stamp, fmt, termination, attachments, validated), data)


class MadeLog:
    """The records of the files of one output folder: ``get`` a name's, ``add`` new ones
    (written a thousand at a time, and when the run ends or is stopped: ``save``). Without
    a cache folder that can be written (a read-only home), nothing is kept and every check
    is the full one."""

    def __init__(self, folder: Path, fresh: bool = False) -> None:
        """``fresh``: the folder holds no file (or is not there yet), so no record of an
        earlier run can name one of its files: they are not read (a folder emptied and merged
        into again had its thousands of lines read for nothing), and their file goes."""
        from ..lint.rules import cache_folder

        where = str(folder.resolve()).encode("utf-8", "surrogateescape")
        self.path = cache_folder() / f"{_PREFIX}{hashlib.blake2b(where, digest_size=10).hexdigest()}.txt"
        self._table = _Table()
        self._new: list[str] = []
        if not fresh:
            self._read()
            return
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)  # (a link planted there: the link goes, not its target)

    def _read(self) -> None:
        handle = _own_file(self.path)
        if handle is None:
            return
        lines = 0
        with handle:
            for line in handle.read().split(b"\n"):
                made, _, name = line.partition(b" ")
                if len(made) == 16 and name:
                    with contextlib.suppress(ValueError):
                        self._table.put(_name_digest(name.decode("utf-8")), int(made, 16))
                        lines += 1
        if lines > 4 * len(self._table) + 10_000:  # made again and again: start afresh
            self._table = _Table()
            with contextlib.suppress(OSError):
                self.path.unlink()

    def get(self, name: str) -> str:
        """The record of the file ``name`` ('' if none)."""
        made = self._table.get(_name_digest(name))
        return f"{made:016x}" if made else ""

    def add(self, name: str, made: str) -> None:
        digest, value = _name_digest(name), int(made, 16)
        if self._table.get(digest) != value:
            self._table.put(digest, value)
            self._new.append(f"{made} {name}\n")
            if len(self._new) >= _WRITE_EVERY:
                self.save()

    def save(self) -> None:
        """Write the new records out; errors are ignored (the next run checks in full)."""
        if not self._new:
            return
        new, self._new = self._new, []
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self.path.exists():
                _remove_oldest(self.path.parent)
            cut = _cut(self.path)  # the last line was cut as it was written: start a new one
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(self.path, flags | getattr(os, "O_BINARY", 0), 0o600), "wb") as handle:
                handle.write((b"\n" if cut else b"") + "".join(new).encode("utf-8", "surrogateescape"))


def _name_digest(name: str) -> int:
    """A non-zero 64-bit digest of a file name."""
    return (
        int.from_bytes(
            hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=8).digest(), "big"
        )
        or 1
    )


class _Table:
    """64-bit keys (non-zero) to 64-bit values in two flat arrays (open addressing, at most
    half full): 16 bytes a record instead of a dict's ~100."""

    def __init__(self) -> None:
        self._keys = array("Q", [0]) * 1024
        self._values = array("Q", [0]) * 1024
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def _find(self, key: int) -> int:
        keys, mask = self._keys, len(self._keys) - 1
        at = key & mask
        while keys[at] and keys[at] != key:
            at = (at + 1) & mask
        return at

    def get(self, key: int) -> int:
        at = self._find(key)
        return self._values[at] if self._keys[at] else 0

    def put(self, key: int, value: int) -> None:
        at = self._find(key)
        if not self._keys[at]:
            if 2 * (self._size + 1) > len(self._keys):
                keys, values = self._keys, self._values
                self._keys, self._values = (
                    array("Q", [0]) * (2 * len(keys)),
                    array("Q", [0]) * (2 * len(keys)),
                )
                self._size = 0
                for old_key, old_value in zip(keys, values, strict=True):
                    if old_key:
                        self.put(old_key, old_value)
                at = self._find(key)
            self._keys[at] = key
            self._size += 1
        self._values[at] = value


def _cut(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            if not handle.seek(0, os.SEEK_END):
                return False
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) != b"\n"
    except OSError:
        return False


def _own_file(path: Path) -> IO[bytes] | None:
    """``path`` opened for reading if it is a regular file of this user's that no one else
    may write (on POSIX), else None: another user must not make a run keep a file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.fdopen(os.open(path, flags), "rb")
    except OSError:
        return None
    if hasattr(os, "getuid"):
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
            handle.close()
            return None
    return handle


def _remove_oldest(folder: Path) -> None:
    """Keep the records of the ``_KEEP`` output folders written to last."""
    with contextlib.suppress(OSError):
        kept = sorted(
            (entry.stat().st_mtime, entry.path)
            for entry in os.scandir(folder)
            if entry.name.startswith(_PREFIX) and entry.is_file(follow_symlinks=False)
        )
        for _, path in kept[: max(len(kept) - _KEEP + 1, 0)]:
            os.remove(path)
