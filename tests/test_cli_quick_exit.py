"""``letterkit lint`` ends its process without the interpreter's clean-up (cli.run): the
exit handlers still run (the rules cache is written), the report is complete and the exit
code is the lint's; every other command exits the usual way."""

from __future__ import annotations

import gc
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


_FINALIZED = """
import runpy, sys, threading

# runs in the interpreter's own shutdown (after the exit handlers), which os._exit skips
threading._register_atexit(lambda: sys.stderr.write("finalized\\n"))
sys.argv = ["letterkit", *sys.argv[1:]]
runpy.run_module("letterkit", run_name="__main__", alter_sys=True)
"""


def test_only_the_lint_process_skips_the_clean_up(tmp_path: Path) -> None:
    """The witness runs at an ordinary exit and not after a lint ended with os._exit (the
    program is letterkit.__main__ here, as with python -m letterkit)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    draft = tmp_path / "draft.txt"
    draft.write_text("Vielen Dank für die gute Zusammenarbeit.\n", encoding="utf-8")
    lint = subprocess.run(
        [sys.executable, "-c", _FINALIZED, "lint", "--lang", "de", str(draft)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert lint.returncode == 0 and lint.stdout.strip() == "All clean." and "finalized" not in lint.stderr
    other = subprocess.run(
        [sys.executable, "-c", _FINALIZED, "--version"], capture_output=True, text=True, env=env
    )
    assert other.returncode == 0 and "finalized" in other.stderr


def test_a_caller_of_run_is_not_ended_by_an_earlier_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lint through click's test runner, then ``run`` in the same process (a harness
    calling the entry point): run raises SystemExit as usual instead of ending the process."""
    from click.testing import CliRunner

    draft = tmp_path / "draft.txt"
    draft.write_text("Vielen Dank für die gute Zusammenarbeit.\n", encoding="utf-8")
    assert CliRunner().invoke(cli.main, ["lint", "--lang", "de", str(draft)]).exit_code == 0
    monkeypatch.setattr(sys, "argv", ["letterkit", "--version"])
    with pytest.raises(SystemExit) as exit_info:
        cli.run()
    assert exit_info.value.code == 0
    monkeypatch.setattr(sys, "argv", ["letterkit", "lint", "--lang", "de", str(draft)])
    with pytest.raises(SystemExit) as exit_info:  # not the program: a lint exits as usual too
        cli.run()
    assert exit_info.value.code == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_report_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Sie haben es versäumt, die Rechnung zu bezahlen.\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "letterkit", "lint", str(draft)], stdout=full, stderr=subprocess.PIPE,
            text=True, env=env,
        )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "the report cannot be written to standard output (No space left on device)" in done.stderr
    closed = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m letterkit lint "{draft}" >&-'], capture_output=True, text=True, env=env
    )
    assert closed.returncode == 2 and "Traceback" not in closed.stderr
    assert "there is no standard output to print the report on" in closed.stderr


@pytest.mark.parametrize("collecting", [True, False])
def test_loading_the_command_line_leaves_the_collector_as_it_was(collecting: bool) -> None:
    """cli.py pauses the cyclic collector while click and the commands load (objects that
    live as long as the process); a program that imports it finds the collector as it left it."""
    script = (
        "import gc\n"
        f"if not {collecting}: gc.disable()\n"
        "import letterkit.cli\n"
        f"assert gc.isenabled() is {collecting}, gc.isenabled()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


_COLLECTIONS = """
import gc, importlib, runpy, sys

run = importlib.import_module("letterkit.lint.run")
started = []
real = run.run_lint

def run_lint(*args, **kwargs):
    started.append(True)
    return real(*args, **kwargs)

run.run_lint = run_lint
gc.callbacks.append(lambda phase, info: phase == "start" and started and sys.stderr.write("collected\\n"))
sys.argv = ["letterkit", *sys.argv[1:]]
runpy.run_module("letterkit", run_name="__main__", alter_sys=True)
"""


def test_the_lint_process_does_not_collect_after_the_lint(tmp_path: Path) -> None:
    """The collector the lint paused stays paused in the process that ends after it (no pass
    over every object the lint made); a caller of the command in its own process (click's
    test runner here) finds it running again."""
    from click.testing import CliRunner

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    draft = tmp_path / "draft.txt"
    draft.write_text("Sie haben es versäumt, die Rechnung zu bezahlen. Vielen Dank.\n\n" * 300, encoding="utf-8")
    lint = subprocess.run(
        [sys.executable, "-c", _COLLECTIONS, "lint", "--lang", "de", str(draft)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert lint.returncode == 1 and lint.stdout.count("blame/versaeumt") == 300
    assert "collected" not in lint.stderr
    assert gc.isenabled()
    assert CliRunner().invoke(cli.main, ["lint", "--lang", "de", str(draft)]).exit_code == 1
    assert gc.isenabled()
