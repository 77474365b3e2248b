"""A report written with -o to a device, a pipe or a link is written into it (or into the
file the link names), never replaced by a file of its own.

Found with `letterkit lint big.txt --format json -o /dev/null --force`: the atomic write
renamed its temporary file over /dev/null, which became a regular file of the machine
(mode rw-rw-rw-) until it was made again with mknod. `-o /dev/stdout --force` would have
replaced the link /dev/stdout so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.output import write_atomic

DRAFT = "Sehr geehrter Herr Krause,\n\nSie haben es versäumt, die Rechnung zu zahlen.\n"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def draft(folder: Path) -> Path:
    path = folder / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


@needs_fifo
def test_a_report_to_a_named_pipe_goes_into_the_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so that the writer's open does not wait
    try:
        result = CliRunner().invoke(main, ["lint", str(draft(tmp_path)), "-o", str(pipe), "--force"])
        received = os.read(reader, 65536).decode("utf-8")
    finally:
        os.close(reader)
    assert result.exit_code == 1, result.output
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)  # still the pipe, not a file in its place
    assert "blame/versaeumt" in received


def test_a_link_to_a_report_stays_a_link_and_its_file_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "lint.json"
    real.parent.mkdir()
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "lint.json"
    link.symlink_to(real)
    result = CliRunner().invoke(
        main, ["lint", str(draft(tmp_path)), "--format", "json", "-o", str(link), "--force"]
    )
    assert result.exit_code == 1, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "blame/versaeumt" in real.read_text(encoding="utf-8")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_link_to_the_null_device_stays_a_link(tmp_path: Path) -> None:
    link = tmp_path / "nowhere"
    link.symlink_to("/dev/null")
    write_atomic(link, b"report", force=True)
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
