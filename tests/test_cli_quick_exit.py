"""``letterkit lint`` ends its process without the interpreter's clean-up (cli.run): the
exit handlers still run (the rules cache is written), the report is complete and the exit
code is the lint's; every other command exits the usual way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from letterkit import cli


def _letterkit(*args: str, cache: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "letterkit", *args], input=stdin, capture_output=True, text=True, env=env
    )


def test_a_lint_ends_with_its_report_its_code_and_the_cache_written(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Sie haben es versäumt, die Rechnung zu bezahlen.\n" * 400, encoding="utf-8")
    done = _letterkit("lint", "--format", "json", str(draft), cache=tmp_path / "cache")
    assert done.returncode == 1, done.stderr
    assert done.stdout.count('"rule": "blame/versaeumt"') == 400  # the whole report, flushed
    assert list((tmp_path / "cache" / "letterkit").glob("rules-de-*.pickle"))  # the exit handlers ran
    clean = _letterkit("lint", "--lang", "de", "-", cache=tmp_path / "cache", stdin="Vielen Dank für alles.\n")
    assert (clean.returncode, clean.stdout.strip()) == (0, "All clean.")
    missing = _letterkit("lint", str(tmp_path / "missing.txt"), cache=tmp_path / "cache")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_other_commands_exit_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["letterkit", "--version"])
    monkeypatch.setattr(cli, "_QUICK_EXIT", False)
    with pytest.raises(SystemExit) as exit_info:
        cli.run()
    assert exit_info.value.code == 0
