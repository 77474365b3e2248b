"""Ctrl-C while a letter is being written leaves no temporary file behind: the run that
was interrupted removes the one it was writing, as it does after a write error.

Found with `kill -INT` during `letterkit merge` of 4,000 rows: the run ended with exit
code 130 and the folder held `.1408-Çelik.docx.<pid>-<tag>-1407.tmp`; the signal had
come while the kernel created the temporary file, and Python raised KeyboardInterrupt as
os.open returned, before the file's name was handed back to write_atomic.

On Linux a new file is written unnamed and linked in when complete (output._unnamed):
nothing in the folder to leave behind. Each test runs on both paths ("named": the
temporary name and rename, as elsewhere and for --force)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_merge import BASE, HEADER, ROWS, write_csv

from letterkit import output
from letterkit.merge import merge
from letterkit.output import write_atomic


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def interrupt_after(monkeypatch, name: str, *, nth: int = 1, marker: str = "") -> None:
    """Make ``output.os.<name>`` do its work, then raise KeyboardInterrupt on its ``nth``
    call (counting calls whose first argument, a path, holds ``marker``), as Ctrl-C
    arriving during the system call does."""
    real = getattr(os, name)
    calls = {"n": 0}

    def call(*args, **kwargs):
        result = real(*args, **kwargs)
        if marker in str(args[0]):
            calls["n"] += 1
            if calls["n"] == nth:
                raise KeyboardInterrupt
        return result

    monkeypatch.setattr(output.os, name, call)


@pytest.fixture(params=["named", "unnamed"])
def path_kind(request, monkeypatch) -> str:
    """Which way write_atomic writes a new file: "named" turns the unnamed way off."""
    if request.param == "unnamed" and not output._TMPFILE:
        pytest.skip("O_TMPFILE is Linux's")
    if request.param == "named":
        monkeypatch.setattr(output, "_TMPFILE", 0)
    return str(request.param)


def test_an_interrupt_as_the_temporary_file_is_created_removes_it(
    tmp_path: Path, monkeypatch, path_kind: str
) -> None:
    interrupt_after(monkeypatch, "open")
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "letter.txt", b"x" * 1000)
    assert temporaries(tmp_path) == [] and not (tmp_path / "letter.txt").exists()


def test_an_interrupt_before_the_rename_removes_the_temporary_file(
    tmp_path: Path, monkeypatch, path_kind: str
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace" if path_kind == "named" else "link", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "letter.txt", b"x" * 1000)
    assert temporaries(tmp_path) == [] and not (tmp_path / "letter.txt").exists()


def test_a_merge_interrupted_while_writing_leaves_no_temporary_file(tmp_path: Path, path_kind: str) -> None:
    out = tmp_path / "out"
    source = write_csv(tmp_path, [HEADER, *ROWS])
    with pytest.MonkeyPatch.context() as patch:
        if path_kind == "named":
            interrupt_after(patch, "open", nth=2, marker=".txt.")  # the second letter's temporary file
        else:
            interrupt_after(patch, "link", nth=2)  # the second letter, written, as it is linked in
        with pytest.raises(KeyboardInterrupt):
            merge(source, base=BASE, out_dir=out, fmt="txt", jobs=1)
    assert temporaries(out) == []
    # named: stopped as the second letter's temporary file was made; unnamed: as the second
    # letter, complete, was given its name (a file is there whole or not at all)
    done = 1 if path_kind == "named" else 2
    assert len([p for p in out.iterdir() if p.suffix == ".txt"]) == done
    report = merge(source, base=BASE, out_dir=out, fmt="txt", jobs=1)  # the resume completes the set
    assert report.count("exists") == done and report.count("written") == len(ROWS) - done
