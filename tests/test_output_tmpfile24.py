"""Atomic writes of new files on Linux: written unnamed (O_TMPFILE), then linked in.

The usual path (a temporary name, then a rename) stays for replacing a file and for file
systems without O_TMPFILE; both must give the same file, and the unnamed one must never
replace a file that appeared meanwhile (a rename would have).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from letterkit import output
from letterkit.errors import OutputError
from letterkit.output import write_atomic

unnamed = pytest.mark.skipif(not output._TMPFILE, reason="O_TMPFILE is Linux's")


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@unnamed
def test_a_new_file_never_has_another_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the bytes are written, the folder holds nothing: no temporary name to leave."""
    seen: list[list[str]] = []
    real = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        seen.append(_names(tmp_path))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    target = write_atomic(tmp_path / "letter.docx", b"x" * 10_000, durable=False, absent=True)
    assert target.read_bytes() == b"x" * 10_000
    assert seen and all(names == [] for names in seen)
    assert stat_mode(target) == 0o644 & ~current_umask()


@unnamed
def test_a_file_that_appeared_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    """``absent`` says no file was there when the merge began; one made since (by another
    program) stops the write instead of being overwritten."""
    target = tmp_path / "letter.docx"
    target.write_bytes(b"someone else's")
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, b"ours", durable=False, absent=True)
    assert target.read_bytes() == b"someone else's"
    assert _names(tmp_path) == ["letter.docx"]


def test_without_o_tmpfile_the_usual_path_writes_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that refuses O_TMPFILE (EOPNOTSUPP): the temporary name and rename."""
    real = os.open

    def refusing(path: str, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        if output._TMPFILE and flags & output._TMPFILE == output._TMPFILE:
            raise OSError(95, "Operation not supported")
        return real(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing)
    monkeypatch.setattr(output, "_NO_TMPFILE", set())
    first = write_atomic(tmp_path / "a.txt", b"one", durable=False)
    second = write_atomic(tmp_path / "b.txt", b"two")
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")
    assert _names(tmp_path) == ["a.txt", "b.txt"]
    if output._TMPFILE:
        assert str(tmp_path) in output._NO_TMPFILE  # asked once, not for every file


@unnamed
def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(tmp_path / "letter.txt", b"x", durable=False)
    assert _names(tmp_path) == []


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
