"""A file whose size says nothing (/dev/zero, a pipe such as `<(git show HEAD:draft.txt)`)
is read no further than the largest draft letterkit lints, then refused: before, the run
read /dev/zero until memory ran out (tester14)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from letterkit.errors import SourceError
from letterkit.lint import readers


def _pipe(tmp_path: Path, data: bytes) -> Path:
    """A named pipe that a thread fills with ``data`` (as a shell's process substitution)."""
    pipe = tmp_path / "draft.txt"
    os.mkfifo(pipe)

    def write() -> None:
        try:
            with open(pipe, "wb") as out:
                out.write(data)
        except BrokenPipeError:  # the reader stopped at its limit
            pass

    threading.Thread(target=write, daemon=True).start()
    return pipe


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_stream_longer_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 4096)
    pipe = _pipe(tmp_path, b"You failed to pay.\n" * 1000)
    with pytest.raises(SourceError, match=r"draft\.txt: goes on past 0 MB; letterkit lints drafts up to 60 MB"):
        readers.read_draft(pipe)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_stream_within_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 4096)
    pipe = _pipe(tmp_path, b"You failed to pay.\n".ljust(4096, b" "))
    assert readers.read_draft(pipe).text.startswith("You failed to pay.")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_ends(monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 4096)
    with pytest.raises(SourceError, match="up to 60 MB"):
        readers.read_draft(Path("/dev/zero"))
