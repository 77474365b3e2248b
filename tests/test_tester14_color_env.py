"""Colour in the text report follows the conventions terminals and CI set: NO_COLOR
(https://no-color.org) turns it off on a terminal, FORCE_COLOR turns it on in a pipe, as
a CI log that shows colours asks (tester14)."""

from __future__ import annotations

import io

from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint.report import wants_color


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_color_and_force_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert wants_color(_Terminal()) and not wants_color(io.StringIO()) and not wants_color(None)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(_Terminal())
    monkeypatch.setenv("NO_COLOR", "")  # empty: as if unset (no-color.org)
    assert wants_color(_Terminal())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert wants_color(io.StringIO())
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert not wants_color(io.StringIO())
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")  # both: no colour wins
    assert not wants_color(io.StringIO())


def test_force_color_in_a_pipe(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "d.txt").write_text("You failed to pay the invoice.\n", encoding="utf-8")
    plain = CliRunner().invoke(main, ["lint", "--lang", "en", "d.txt"], env={"FORCE_COLOR": None})
    painted = CliRunner().invoke(main, ["lint", "--lang", "en", "d.txt"], env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "d.txt:1:5: blame/failed-to" in plain.stdout
    assert "\x1b[1md.txt:1:5:\x1b[0m" in painted.stdout
