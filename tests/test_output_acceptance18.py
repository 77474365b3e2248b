"""Write errors name the part of the path at fault (acceptance 18, finding 1).

A folder that exists but takes no new files (/proc, read-only, not ours) is not called
missing, and a path that runs through a file names that file — for generate, lint -o,
merge's output folder, --report and --combined alike (they share letterkit/output.py).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_merge import HEADER, ROWS, write_csv
from test_output import base_file, leftovers

from letterkit import output
from letterkit.cli import main
from letterkit.errors import OutputError
from letterkit.output import check_writable, write_atomic

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "de-DE-wartungsvertrag.yaml"
PROC = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def merge_argv(tmp_path: Path) -> list[object]:
    return ["merge", write_csv(tmp_path, [HEADER, *ROWS]), "--base", base_file(tmp_path), "--format", "txt"]


@PROC
def test_a_folder_that_takes_no_files_is_not_called_missing() -> None:
    code, output = run("generate", SAMPLE, "-o", "/proc/x.docx")
    assert code == 1 and "Traceback" not in output
    assert "/proc/x.docx: cannot create files in the folder /proc (" in output
    assert "choose another folder" in output and "does not exist" not in output


def test_a_path_through_a_file_names_the_file(tmp_path: Path) -> None:
    a_file = tmp_path / "client.yaml"
    a_file.write_text("x", encoding="utf-8")
    for target in (a_file / "x.docx", a_file / "sub" / "x.docx"):
        code, output = run("generate", SAMPLE, "-o", target)
        assert code == 1, output
        assert f"{target}: {a_file} is a file, not a folder; choose another folder" in output
        assert "Not a directory" not in output
    assert a_file.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("code", "reason"), [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only file system")]
)
def test_a_folder_that_refuses_files_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    """As root no folder refuses a file for its permissions, so the refusal is made here."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_open = os.open

    def refusing(path: str, *args: object, **kwargs: object) -> int:
        # a file made in the folder, or an unnamed one made by opening it (O_TMPFILE, Linux)
        flags = int(args[0]) if args and isinstance(args[0], int) else 0
        unnamed = output._TMPFILE > 0 and str(path) == str(locked) and flags & output._TMPFILE == output._TMPFILE
        if os.path.dirname(str(path)) == str(locked) or unnamed:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    from letterkit.output import folder_problem

    monkeypatch.setattr(os, "open", refusing)
    expected = f"cannot create files in the folder {locked} ({reason}); choose another folder"
    with pytest.raises(OutputError, match="x.txt: " + expected.replace("(", r"\(").replace(")", r"\)")):
        write_atomic(locked / "x.txt", b"x")
    assert folder_problem(locked) == expected
    with pytest.raises(OutputError, match=r"--report .*r\.csv: cannot create files in the folder"):
        check_writable(locked / "r.csv", "--report")
    assert list(locked.iterdir()) == []


def test_lint_merge_report_and_combined_name_the_file_in_the_path(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("Vielen Dank für die gute Zusammenarbeit.\n", encoding="utf-8")
    code, output = run("lint", a_file, "-o", a_file / "report.txt")
    assert code == 2 and f"{a_file} is a file, not a folder" in output
    out = tmp_path / "out"
    code, output = run(*merge_argv(tmp_path), "-o", a_file / "out")
    assert (
        code == 1
        and f"{a_file / 'out'}: {a_file} is a file, not a folder; choose another folder with -o" in output
    )
    for option, name in (("--report", "r.csv"), ("--combined", "all.docx")):
        argv = (
            merge_argv(tmp_path) if option == "--report" else [*merge_argv(tmp_path)[:-2], "--format", "docx"]
        )
        code, output = run(*argv, "-o", out, option, a_file / name)
        assert code == 1 and f"{option} {a_file / name}: {a_file} is a file, not a folder" in output, output
        assert not out.exists()  # refused before any letter was written


@PROC
def test_merge_into_proc_is_refused_before_any_letter_is_written(tmp_path: Path) -> None:
    code, output = run(*merge_argv(tmp_path), "-o", "/proc/letterkit-out")
    assert code == 1 and "/proc/letterkit-out: cannot create folders in /proc (" in output
    assert "choose another folder with -o" in output
    out = tmp_path / "out"
    for option, target in (("--report", "/proc/r.csv"), ("--combined", "/proc/all.docx")):
        argv = (
            merge_argv(tmp_path) if option == "--report" else [*merge_argv(tmp_path)[:-2], "--format", "docx"]
        )
        code, output = run(*argv, "-o", out, option, target)
        assert code == 1 and f"{option} {target}: cannot create files in the folder /proc (" in output
        assert not out.exists()  # os.access says yes to root; the check does not ask it


def test_a_missing_folder_is_still_called_missing_and_the_check_leaves_nothing(tmp_path: Path) -> None:
    from letterkit.output import folder_problem

    assert (
        folder_problem(tmp_path / "nope") == f"the folder {tmp_path / 'nope'} does not exist; create it first"
    )
    assert folder_problem(tmp_path / "nope", may_create=True) is None  # it can be made
    assert folder_problem(tmp_path) is None
    assert leftovers(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_looked_into_is_not_called_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from letterkit.output import folder_problem

    hidden = tmp_path / "private" / "letters" / "2026"
    real_stat = os.stat

    def no_entry(path: object, *args: object, **kwargs: object) -> os.stat_result:
        # as a folder without search permission behaves: it can be looked at, not into
        if str(path).startswith(str(tmp_path / "private") + os.sep):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    (tmp_path / "private").mkdir()
    monkeypatch.setattr(os, "stat", no_entry)
    # the folder at fault is named, not the deepest path (the code review's case)
    assert folder_problem(hidden) == f"cannot look into {tmp_path / 'private'} (permission denied); choose another folder"
