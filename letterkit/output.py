"""Atomic file output: write to a temporary file beside the target, then rename.

A reader never sees a half-written letter, an interrupted run leaves no partial
file behind, and an existing file is only replaced when the caller says so.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: str | Path, data: bytes, *, force: bool = False, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to overwrite unless ``force``.

    ``durable`` also flushes the file to disk before the rename (a power cut cannot leave
    an empty file); a merge of thousands of files skips that per file for speed — the
    rename alone already guarantees that no reader ever sees a half-written file."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists; use --force to replace it")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name such as {target / 'letter.docx'}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist; create it first")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write to {folder} ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{target}: cannot be written ({exc.strerror}); nothing was changed") from None
    return target
