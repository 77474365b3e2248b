"""A merge that names no number of workers (no --jobs, jobs=None) shares a large list out
between forked copies of itself, one per core (at most four); a small one, one that names
its number, or one that cannot fork stays as asked. The files and the report are the same."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_merge import BASE, write_csv
from test_merge_rows import _varied_lines, rows

from letterkit.cli import main
from letterkit.merge import merge, produce

pytestmark = pytest.mark.skipif(not produce.can_fork(), reason="the workers are forked copies of the merge")


@pytest.fixture
def workers_started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of forked workers each merge started (none: the letters made here)."""
    started: list[int] = []
    forked = produce._forked

    def spy(*args: Any) -> None:
        started.append(args[6])  # workers
        forked(*args)

    monkeypatch.setattr(produce, "_forked", spy)
    return started


def _cores(monkeypatch: pytest.MonkeyPatch, count: int, busy: int = 0) -> None:
    """``count`` cores, of which other work keeps ``busy`` busy."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(count)))
    monkeypatch.setattr(produce, "busy_cores", lambda: busy)


def test_a_large_merge_without_jobs_uses_a_worker_per_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers_started: list[int]
) -> None:
    monkeypatch.setattr(produce, "AUTO_ROWS", produce.BATCH * 3)
    _cores(monkeypatch, 2)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH * 4)))
    one = merge(source, base=BASE, out_dir=tmp_path / "one", fmt="txt", jobs=1)
    assert workers_started == []  # jobs=1: this process, as asked
    auto = merge(source, base=BASE, out_dir=tmp_path / "auto", fmt="txt")
    assert workers_started == [2]
    assert auto.to_csv() == one.to_csv() and one.count("written") > produce.BATCH * 3
    files = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    assert {p.name: p.read_bytes() for p in (tmp_path / "auto").iterdir()} == files


def test_workers_are_at_most_four_and_one_core_makes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers_started: list[int]
) -> None:
    monkeypatch.setattr(produce, "AUTO_ROWS", produce.BATCH)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH * 6)))
    _cores(monkeypatch, 16)
    merge(source, base=BASE, out_dir=tmp_path / "many", fmt="txt")
    _cores(monkeypatch, 1)
    merge(source, base=BASE, out_dir=tmp_path / "one-core", fmt="txt")
    assert workers_started == [produce.AUTO_LIMIT] and produce.AUTO_LIMIT == 4


def test_a_merge_below_the_size_stays_in_its_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers_started: list[int]
) -> None:
    _cores(monkeypatch, 2)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH * 3)))
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.count("written") < produce.AUTO_ROWS and workers_started == []


def test_a_merge_that_cannot_fork_uses_no_process_pool_unasked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers_started: list[int]
) -> None:
    """Another thread running (a web server's, say): no forked copy, and no process pool
    either unless --jobs asks for one."""

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started unasked")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr(produce, "can_fork", lambda: False)
    monkeypatch.setattr(produce, "AUTO_ROWS", produce.BATCH)
    _cores(monkeypatch, 2)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH * 3)))
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.count("written") > produce.BATCH and workers_started == []


def test_the_cli_without_jobs_leaves_it_to_the_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers_started: list[int]
) -> None:
    monkeypatch.setattr(produce, "AUTO_ROWS", produce.BATCH * 2)
    _cores(monkeypatch, 2)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH * 3)))
    base = tmp_path / "base.yaml"
    import yaml

    base.write_text(yaml.safe_dump(BASE), encoding="utf-8")
    argv = ["merge", str(source), "--base", str(base), "--format", "txt"]
    result = CliRunner().invoke(main, [*argv, "-o", str(tmp_path / "auto")])
    assert result.exit_code == 1, result.output  # the rows that fail (gender w?) on purpose
    result = CliRunner().invoke(main, [*argv, "-o", str(tmp_path / "one"), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert workers_started == [2]
    files = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    assert {p.name: p.read_bytes() for p in (tmp_path / "auto").iterdir()} == files


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_a_forked_worker_ends_with_the_merge_killed_with_kill_9(tmp_path: Path) -> None:
    """A merge killed with kill -9 takes its workers with it (not up to half a second later,
    when their watch would see it): a resume started at once meets no worker still writing.
    Here the worker has no watch of its own and would sleep a minute."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import os, sys, time\n"
        "from letterkit.merge import produce\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    produce._ends_with(parent)\n"
        "    os.write(1, b'ready\\n')\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "os.write(1, b'%d\\n' % child)\n"
        "time.sleep(60)\n"
    )
    # each line one write(2) (a pipe takes it whole): print() under PYTHONUNBUFFERED=1 writes a
    # line and its end apart, and the other process's line came between them (tester5: the
    # lines read were '' and '3653ready', about one run in 20)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines = {process.stdout.readline().strip() for _ in range(2)}
    child = int(next(line for line in lines if line.isdigit()))
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
        time.sleep(0.05)
    alive = Path(f"/proc/{child}").exists()
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive, "the worker outlived the killed merge"


def test_only_the_cores_other_work_leaves_free_get_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers_started: list[int]
) -> None:
    """On a busy machine a second worker gains nothing (Linux shares the processor between
    sessions, not processes) and the workers contend for the folder: the load average
    decides how many cores are free."""
    monkeypatch.setattr(produce, "AUTO_ROWS", produce.BATCH)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH * 6)))
    _cores(monkeypatch, 2, busy=2)  # both cores busy with other work: this process only
    busy = merge(source, base=BASE, out_dir=tmp_path / "busy", fmt="txt")
    assert workers_started == []
    _cores(monkeypatch, 8, busy=5)  # three cores free
    merge(source, base=BASE, out_dir=tmp_path / "some", fmt="txt")
    _cores(monkeypatch, 2, busy=0)  # both free
    free = merge(source, base=BASE, out_dir=tmp_path / "free", fmt="txt")
    assert workers_started == [3, 2] and free.to_csv() == busy.to_csv()
    assert produce.auto_jobs(produce.BATCH * 6) == 2 and produce.auto_jobs(produce.BATCH - 1) == 1
    files = {p.name: p.read_bytes() for p in (tmp_path / "busy").iterdir()}
    assert {p.name: p.read_bytes() for p in (tmp_path / "free").iterdir()} == files


@pytest.mark.skipif(not os.path.isfile("/proc/loadavg"), reason="needs /proc")
def test_busy_cores_counts_the_other_processes_running_now(tmp_path: Path) -> None:
    """A process kept running beside the merge is a busy core; the merge itself is not
    (the load average, which counts a process busy for the last minute, would count it)."""
    import subprocess
    import sys

    alone = produce.busy_cores()
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(3)]
    try:
        import time

        time.sleep(0.3)
        beside = produce.busy_cores()
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    assert beside >= alone + 1 and beside >= 1
