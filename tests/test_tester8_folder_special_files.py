"""A folder of drafts that holds a named pipe (tester 8): `letterkit lint FOLDER` opened
every file whose name ends like a draft, and reading a FIFO with no writer blocks for
ever, so the whole run hung. A folder's drafts are its regular files (and links to
them); a link that leads nowhere is still named, and reported as missing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from letterkit.lint.run import drafts_in

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX")


def test_a_named_pipe_in_a_folder_is_no_draft(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Thank you.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "b.md")
    (tmp_path / "link.txt").symlink_to(tmp_path / "pipe.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "c.txt").symlink_to(tmp_path / "a.txt")
    found = [Path(name).name for name in drafts_in([str(tmp_path)])]
    assert found == ["a.txt", "c.txt", "gone.txt"]


def test_a_pipe_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    """`letterkit lint <(cat draft.txt)` names a pipe: it is kept (and read)."""
    os.mkfifo(tmp_path / "pipe.txt")
    assert drafts_in([str(tmp_path / "pipe.txt")]) == [str(tmp_path / "pipe.txt")]
