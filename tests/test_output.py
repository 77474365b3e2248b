"""Atomic writes (letterkit/output.py): all or nothing, even when the disk is full."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
import yaml
from test_merge import BASE, HEADER, ROWS, write_csv

from letterkit.errors import OutputError
from letterkit.merge import merge
from letterkit.output import write_atomic


def base_file(folder: Path) -> Path:
    """The merge sample's shared fields as a --base file."""
    base = folder / "base.yaml"
    base.write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    return base


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_the_bytes_readable_by_all_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "letter.docx", b"x" * 70_000)
    assert target.read_bytes() == b"x" * 70_000
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert write_atomic(tmp_path / "empty.txt", b"", durable=False).read_bytes() == b""
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "letter.txt"
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"


def test_a_folder_or_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        write_atomic(tmp_path, b"x", force=True)
    with pytest.raises(OutputError, match=r"the folder .*missing does not exist; create it first"):
        write_atomic(tmp_path / "missing" / "letter.txt", b"x")


@pytest.fixture
def disk_full_after(monkeypatch: pytest.MonkeyPatch):
    """Make os.write fail with ENOSPC after ``n`` successful writes to files in a folder."""

    def arm(folder: Path, n: int) -> None:
        real = os.write
        done = [0]

        def write(fd: int, data: bytes | memoryview) -> int:
            if os.path.dirname(os.readlink(f"/proc/self/fd/{fd}")) == str(folder):
                if done[0] >= n:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                done[0] += 1
            return real(fd, data)

        monkeypatch.setattr(os, "write", write)

    return arm


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_full_disk_changes_nothing(tmp_path: Path, disk_full_after) -> None:
    target = tmp_path / "letter.txt"
    target.write_bytes(b"old")
    disk_full_after(tmp_path, 0)
    with pytest.raises(OutputError, match=r"No space left on device.*nothing was changed"):
        write_atomic(target, b"new" * 1000, force=True)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_merge_stops_on_a_full_disk_and_completes_when_run_again(
    tmp_path: Path, disk_full_after, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letters written before the disk filled up stay whole; the run stops with a clear
    error instead of reporting every later row as failed; a second run completes the set."""
    source = write_csv(tmp_path, [HEADER, *ROWS])
    out = tmp_path / "out"
    out.mkdir()
    disk_full_after(out, 1)
    with pytest.raises(OutputError, match="No space left on device"):
        merge(source, base=BASE, out_dir=out, fmt="txt")
    first = sorted(p.name for p in out.iterdir())
    assert len(first) == 1 and leftovers(out) == []
    whole = (out / first[0]).read_text(encoding="utf-8")
    monkeypatch.undo()
    report = merge(source, base=BASE, out_dir=out, fmt="txt")
    assert [r.status for r in report.results].count("exists") == 1
    assert report.count("written") == 2 and leftovers(out) == []
    assert (out / first[0]).read_text(encoding="utf-8") == whole


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_the_cli_reports_a_full_disk_without_a_traceback(tmp_path: Path, disk_full_after) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    base = base_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    disk_full_after(out, 0)
    source = write_csv(tmp_path, [HEADER, *ROWS])
    result = CliRunner().invoke(
        main, ["merge", str(source), "--base", str(base), "-o", str(out), "--format", "txt"]
    )
    assert result.exit_code == 1, result.output  # as every library error (cli.py)
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(out.iterdir()) == []


def test_a_rerun_removes_what_a_killed_run_was_writing(tmp_path: Path) -> None:
    import subprocess
    import sys

    from letterkit.output import remove_leftovers

    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = int(finished.stdout)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".0001-Schneider.txt.{dead}-0badcafe-7.tmp"
    mine = out / f".0002-Gruber.txt.{os.getpid()}-0badcafe-8.tmp"
    unrelated = [out / ".notes.tmp", out / f"Schneider.{dead}-0badcafe-7.tmp", out / "keep.txt"]
    for path in [stale, mine, *unrelated]:
        path.write_bytes(b"half")
    assert remove_leftovers(out) == 1
    assert not stale.exists() and mine.exists() and all(path.exists() for path in unrelated)
    mine.unlink()
    stale.write_bytes(b"half")
    report = merge(write_csv(tmp_path, [HEADER, *ROWS]), base=BASE, out_dir=out, fmt="txt")
    assert report.count("written") == 3 and not stale.exists()


def test_kill_9_in_the_middle_of_a_merge_then_resume(tmp_path: Path) -> None:
    """A real interruption: the merge process is killed while writing; the re-run keeps
    every letter already written, writes the rest, and leaves no temporary file."""
    import email
    import signal
    import subprocess
    import sys
    import time

    rows = [HEADER] + [
        ROWS[n % 3].replace("W-1", f"W-{n}").replace("Schneider", f"Schneider{n}") for n in range(600)
    ]
    source = write_csv(tmp_path, rows)
    base = base_file(tmp_path)
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "letterkit", "merge", str(source), "--base", str(base), "-o", str(out)]
    argv += ["--format", "eml"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and sum(1 for _ in out.iterdir()) >= 20:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix == ".eml"}
    if len(before) >= 600:
        pytest.skip("the merge finished before it could be interrupted")
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(after) == 600 and leftovers(out) == []
    assert all(after[name] == data for name, data in before.items())
    for data in after.values():
        message = email.message_from_bytes(data)
        assert message["To"] and message.is_multipart()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_the_report_lists_what_was_done_when_the_disk_fills_up(tmp_path: Path, disk_full_after) -> None:
    import csv

    from click.testing import CliRunner

    from letterkit.cli import main

    base = base_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    disk_full_after(out, 1)
    report = tmp_path / "report.csv"
    argv = ["merge", str(write_csv(tmp_path, [HEADER, *ROWS])), "--base", str(base), "-o", str(out)]
    result = CliRunner().invoke(main, [*argv, "--format", "txt", "--report", str(report)])
    assert result.exit_code == 1 and "No space left on device" in result.output
    rows = list(csv.DictReader(report.open(encoding="utf-8"), delimiter=";"))  # as the list
    assert [row["status"] for row in rows] == ["written", "stopped", "stopped"]
    assert "the run stopped" in rows[1]["problems"]


def test_sending_options_without_send_are_a_usage_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    source = write_csv(tmp_path, [HEADER, *ROWS])
    result = CliRunner().invoke(main, ["merge", str(source), "-o", str(tmp_path / "o"), "--limit", "5"])
    assert result.exit_code == 2 and "--limit works only with --send" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_workers_end_when_the_merge_process_is_killed(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    rows = [HEADER] + [
        ROWS[n % 3].replace("W-1", f"W-{n}").replace("Schneider", f"Schneider{n}") for n in range(3000)
    ]
    base = base_file(tmp_path)
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "letterkit", "merge", str(write_csv(tmp_path, rows)), "--base", str(base)]
    process = subprocess.Popen([*argv, "-o", str(out), "--format", "txt", "--jobs", "2"])
    children: list[int] = []
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline and process.poll() is None and not (out.is_dir() and any(out.iterdir()))
    ):
        time.sleep(0.01)
    children_file = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    if children_file.exists():
        children = [int(pid) for pid in children_file.read_text().split()]
    process.send_signal(signal.SIGKILL)
    process.wait()
    if not children:
        pytest.skip("the merge finished (or had no workers yet) before it could be killed")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.1)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "worker processes outlived the killed merge"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_a_report_that_matches_the_files(tmp_path: Path, jobs: str) -> None:
    """Interrupted with SIGINT (Ctrl-C): every letter on disk is 'written' in the report, every
    row marked 'stopped' has no file — also with worker processes, whose finished letters
    are counted after they stop."""
    import csv
    import signal
    import subprocess
    import sys
    import time

    rows = [HEADER] + [
        ROWS[n % 3].replace("W-1", f"W-{n}").replace("Schneider", f"Schneider{n}") for n in range(3000)
    ]
    base = base_file(tmp_path)
    out, report = tmp_path / "out", tmp_path / "report.csv"
    argv = [sys.executable, "-m", "letterkit", "merge", str(write_csv(tmp_path, rows)), "--base", str(base)]
    argv += ["-o", str(out), "--format", "txt", "--jobs", jobs, "--report", str(report)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and sum(1 for _ in out.iterdir()) >= 100:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the merge finished before it could be interrupted")
    assert process.returncode == 130, errors
    assert b"Traceback" not in errors
    outcomes = {
        row["file"]: row["status"]
        for row in csv.DictReader(report.open(encoding="utf-8"), delimiter=";")
        if row["file"]
    }
    statuses = [row["status"] for row in csv.DictReader(report.open(encoding="utf-8"), delimiter=";")]
    on_disk = {p.name for p in out.iterdir() if not p.name.endswith(".tmp")}
    assert on_disk == {name for name, status in outcomes.items() if status == "written"}
    assert statuses.count("written") == len(on_disk) and statuses.count("stopped") == 3000 - len(on_disk)


def test_a_process_is_never_signalled_on_windows_to_see_whether_it_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """os.kill(pid, 0) sends Ctrl-C on Windows (CTRL_C_EVENT is 0): never used there."""
    import os
    import sys

    from letterkit import output

    def refused(*args: object) -> None:
        raise AssertionError("os.kill on Windows")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", refused)
    monkeypatch.setattr(output, "_windows_process_running", lambda pid: pid == 42)
    assert output.process_running(42) is True
    assert output.process_running(43) is False


def test_a_stopped_run_matches_outcomes_to_rows_by_number() -> None:
    """Ctrl-C as a worker's batch is being taken can hand an outcome twice or lose one: the
    report pairs each outcome with its own row, stops at a lost one, and a row whose file
    is in place counts as written (it had gone 'stopped' beside a file on disk)."""
    from letterkit.merge.produce import _outcomes
    from letterkit.merge.results import RowLog, RowResult

    planned = RowLog()
    for row in (2, 3, 4, 5):
        planned.append(RowResult(row, "valid", f"{row}.txt"))
    done = RowLog()
    # row 3's outcome given twice, row 4's lost
    given = iter([(2, "written", []), (3, "written", []), (3, "written", []), (5, "written", [])])
    _outcomes(planned, done, given, 4, None)
    assert [(r.row, r.status) for r in done] == [(2, "written"), (3, "written")]


def test_the_report_of_a_stopped_run_counts_every_file_in_place(tmp_path: Path) -> None:
    from letterkit.merge.produce import stopped
    from letterkit.merge.results import RowLog, RowResult

    planned = RowLog()
    for row in (2, 3, 4, 5):
        planned.append(RowResult(row, "valid", f"{row}.txt"))
    done = RowLog()
    done.append(RowResult(2, "written", "2.txt"))
    for row in (2, 4, 5):
        (tmp_path / f"{row}.txt").write_text("x")
    report = stopped(planned, done, tmp_path)
    assert [(r.row, r.status) for r in report] == [
        (2, "written"),
        (3, "stopped"),
        (4, "written"),
        (5, "written"),
    ]
