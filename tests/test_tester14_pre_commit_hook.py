"""letterkit ships a pre-commit hook (.pre-commit-hooks.yaml): it runs `letterkit lint`
on the drafts a commit changes, in every format the lint reads and in no other (tester14;
`pre-commit try-repo . letterkit-lint --all-files` ran it in a fresh repository)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint.run import DRAFT_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "letterkit-lint"]
    return hook


def test_the_hook_reads_the_formats_the_lint_reads():
    files = re.compile(str(_hook()["files"]))
    for suffix in DRAFT_SUFFIXES:
        assert files.search(f"letters/Kündigung Müller{suffix}") and files.search(f"a/B{suffix.upper()}")
    for other in ("app.py", "brief.rtf", "brief.doc", "notes.yaml", "draft.txt.bak", "report.pdf"):
        assert not files.search(other)


def test_the_hook_runs_the_lint_on_the_files_it_is_given(tmp_path, monkeypatch):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    hook = _hook()
    program, *args = shlex.split(str(hook["entry"]))
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert program in scripts and hook["language"] == "python"
    monkeypatch.chdir(tmp_path)
    Path("bad.txt").write_text("You failed to pay the invoice.\n", encoding="utf-8")
    Path("good.md").write_text("Thank you for six good years.\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--lang", "en", "bad.txt", "good.md"])
    assert result.exit_code == 1 and "bad.txt:1:5: blame/failed-to" in result.stdout
    result = CliRunner().invoke(main, [*args, "--lang", "en", "good.md"])
    assert result.exit_code == 0
