"""A merge stopped by an error (a full disk) raises a ``LetterkitError`` that carries the
report so far as ``exc.report``, as ``merge``'s docstring says: the attribute is declared,
so a script checked with ``mypy --strict`` may read it (None on any other error)."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = '''
from __future__ import annotations

import letterkit
from letterkit import LetterkitError


def run() -> int:
    try:
        letterkit.merge("clients.csv", base="base.yaml", out_dir="out")
    except LetterkitError as exc:
        if exc.report is not None:
            print(exc.report.count("written"), "written before it stopped")
        return 1
    return 0
'''


def test_a_typed_script_reads_the_report_of_a_stopped_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    script = tmp_path / "nightly.py"
    script.write_text(SCRIPT, encoding="utf-8")
    monkeypatch.setenv("MYPYPATH", str(ROOT))
    monkeypatch.chdir(tmp_path)
    out, err, status = api.run(
        ["--strict", "--follow-imports=silent", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(script)]
    )
    assert status == 0, out + err


def test_another_error_has_no_report() -> None:
    with pytest.raises(LetterkitError) as caught:
        letterkit.compose("no-such-file.yaml")
    assert caught.value.report is None
