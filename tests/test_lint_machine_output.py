"""Pasted machine output (log lines, stack traces) is not linted, and a notice says which
lines were left out; three such lines in a row make a block, and a letter's own dated
list is no log."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint import lint
from letterkit.lint.machine import machine_blocks

LETTER = "Dear Ms Patel,\n\nThe sync log from last week follows for your IT team.\n\n{block}\n\nKind regards\nEmma Clarke\n"
LOG = "\n".join(
    f"2026-11-2{n % 9} 0{n % 10}:01:07,00{n % 10} ERROR [api] You must provide a valid API key; request {n} rejected"
    for n in range(40)
)
PYTHON_TRACE = """Traceback (most recent call last):
  File "sync.py", line 12, in <module>
    run()
  File "sync.py", line 8, in run
    raise RuntimeError("You failed to authenticate")
RuntimeError: You failed to authenticate"""
JAVA_TRACE = """Exception in thread "main" java.lang.IllegalStateException: you never closed the session
\tat com.example.Sync.run(Sync.java:41)
\tat com.example.Sync.main(Sync.java:12)
\tat java.base/java.lang.Thread.run(Thread.java:833)
Caused by: java.io.IOException: connection reset"""


def test_a_pasted_log_is_left_out_and_named() -> None:
    text = LETTER.format(block=LOG)
    assert not [f for f in lint(text, lang="en") if f.rule == "negative_framing/must"]
    block = machine_blocks(text)
    assert len(block) == 1
    start, end = block[0]
    assert text[start:end] == LOG


def test_stack_traces_are_blocks_too() -> None:
    for trace in (PYTHON_TRACE, JAVA_TRACE):
        text = LETTER.format(block=trace)
        blocks = machine_blocks(text)
        assert len(blocks) == 1
        # the frames and the code lines between them are one block
        assert text[blocks[0][0] : blocks[0][1]].count("\n") >= 3


def test_the_lines_around_a_log_are_still_linted() -> None:
    text = LETTER.format(block=LOG).replace("follows for your IT team.", "follows. You failed to renew the key.")
    assert any(f.rule.startswith("blame/") for f in lint(text, lang="en"))


def test_two_log_lines_or_a_dated_list_are_the_writers_text() -> None:
    two = "\n".join(LOG.split("\n")[:2])
    assert machine_blocks(LETTER.format(block=two)) == []
    dated = "14.10.2026 10:00 Besprechung\n21.10.2026 14:30 Abnahme\n28.10.2026 09:00 Übergabe\n04.11.2026 11:00 Schulung"
    assert machine_blocks(dated) == []
    info = "INFORMATION zum Ablauf:\nINFO-Abend am Montag\nWARNUNG vor Betrug"
    assert machine_blocks(info) == []


def test_the_notice_names_the_lines_and_the_html_report_greys_them(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(LETTER.format(block=LOG), encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--lang", "en", str(draft)])
    assert result.exit_code == 0, result.output
    assert f"{draft}: lines 5–44 not checked, read as pasted log output" in result.output
    report = tmp_path / "report.html"
    CliRunner().invoke(main, ["lint", "--lang", "en", "--format", "html", "-o", str(report), str(draft)])
    greyed = re.findall(r"<span class='skipped' title='[^']*'>(.*?)</span>", report.read_text(encoding="utf-8"), re.DOTALL)
    assert len(greyed) == 1
    assert "request 0 rejected" in greyed[0] and "request 39 rejected" in greyed[0]


def test_a_log_in_an_email_and_in_markdown(tmp_path: Path) -> None:
    eml = tmp_path / "reply.eml"
    eml.write_bytes(
        b"From: a@example.com\nTo: b@example.com\nSubject: Handover\nContent-Type: text/plain; charset=utf-8\n\n"
        + LETTER.format(block=LOG).encode()
    )
    md = tmp_path / "draft.md"
    md.write_text(LETTER.format(block=LOG), encoding="utf-8")
    for path in (eml, md):
        result = CliRunner().invoke(main, ["lint", "--lang", "en", str(path)])
        assert result.exit_code == 0, result.output
        assert "read as pasted log output" in result.output


def test_a_log_inside_quoted_history_gets_no_notice_of_its_own(tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    draft.write_text(
        "Hi Sam,\n\nThanks, see below.\n\nOn Mon, 3 Nov 2025 at 10:00, Sam <sam@example.com> wrote:\n" + LOG + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["lint", "--lang", "en", str(draft)])
    assert "reply history" in result.output
    assert "pasted log output" not in result.output
