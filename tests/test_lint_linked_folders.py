"""A folder given to the lint is read with its linked subfolders (as the folders they lead
to, each once): a link to drafts kept elsewhere is not skipped without a word, and a link
that loops back to a folder above it adds nothing and does not hang the run."""

from __future__ import annotations

import os

from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint.run import drafts_in


def test_a_linked_subfolder_is_read_and_a_loop_adds_nothing(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.txt").write_text("You never pay on time.\n", encoding="utf-8")
    drafts = tmp_path / "drafts"
    (drafts / "sub").mkdir(parents=True)
    (drafts / "sub" / "b.txt").write_text("You failed to pay.\n", encoding="utf-8")
    os.symlink(elsewhere, drafts / "linked")
    os.symlink("..", drafts / "sub" / "up")  # a loop back to drafts/

    found = drafts_in([str(drafts)])
    assert sorted(os.path.relpath(f, drafts) for f in found) == ["linked/c.txt", "sub/b.txt"]

    result = CliRunner().invoke(main, ["lint", str(drafts), "--format", "github"])
    assert result.exit_code == 1, result.output
    assert "linked/c.txt" in result.output and "absolute/never" in result.output
    assert result.output.count("sub/b.txt") == 1
