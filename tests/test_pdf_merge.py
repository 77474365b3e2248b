"""A merge to PDF writes each batch's files as LibreOffice makes them, resumes after an
interruption, and leaves neither LibreOffice nor its working folders behind.

The batch tests run LibreOffice (a few runs of two letters); the tests of stopping and
killing use a stand-in ``soffice`` that only sleeps, so they take a second each.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge, produce
from letterkit.render import pdf, workspace

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))
NAMES = ("Adler", "Becker", "Cramer", "Dietz", "Ebert", "Fuchs")
CSV_HEADER = "locale,recipient.gender,recipient.last_name,recipient.street,recipient.postal_code,recipient.city,end_date"
needs_libreoffice = pytest.mark.skipif(
    pdf.shutil.which("soffice") is None, reason="LibreOffice (soffice) is needed"
)
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")


def rows(count: int) -> list[dict[str, str]]:
    return [
        {
            "locale": "de-DE",
            "recipient.gender": "female",
            "recipient.last_name": name,
            "recipient.street": f"Weg {n}",
            "recipient.postal_code": "10115",
            "recipient.city": "Berlin",
            "end_date": "2026-12-31",
        }
        for n, name in enumerate(NAMES[:count], start=1)
    ]


def write_csv(path: Path, count: int) -> Path:
    lines = [CSV_HEADER] + [
        f"de-DE,female,{name},Weg {n},10115,Berlin,2026-12-31" for n, name in enumerate(NAMES[:count], 1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary folder of the conversions: the test's own, with no idle workspace left
    from another test."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    workspace.remove_idle()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    workspace.remove_idle()


def workspaces(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(workspace.PREFIX))


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie nobody reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_for(condition, seconds: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def sleeping_soffice(folder: Path) -> tuple[Path, Path]:
    """A stand-in ``soffice`` that writes its process id, then sleeps (a hanging conversion)."""
    folder.mkdir(exist_ok=True)
    pid_file = folder / "soffice.pid"
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    program.chmod(0o755)
    return program, pid_file


@needs_libreoffice
def test_an_interrupted_pdf_merge_keeps_the_finished_batches_and_a_rerun_completes_the_set(
    tmp_path, private_tmp, monkeypatch
):
    monkeypatch.setattr(produce, "PDF_BATCH", 2)
    convert, runs = pdf.docx_to_pdfs, []

    def stopped_in_the_second_batch(documents, *args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(len(documents))
        if len(runs) == 2:
            raise KeyboardInterrupt  # Ctrl-C while LibreOffice converts the second batch
        return convert(documents, *args, **kwargs)

    monkeypatch.setattr(pdf, "docx_to_pdfs", stopped_in_the_second_batch)
    out, csv = tmp_path / "out", write_csv(tmp_path / "clients.csv", 5)
    with pytest.raises(KeyboardInterrupt) as stop:
        merge(csv, base=BASE, out_dir=out, fmt="pdf")
    assert runs == [2, 2]
    written = sorted(p.name for p in out.iterdir())
    assert written == ["0002-Adler.pdf", "0003-Becker.pdf"]  # rows 2 and 3: the header is row 1
    assert all((out / name).read_bytes().startswith(b"%PDF") for name in written)
    assert [r.status for r in stop.value.report.results] == ["written"] * 2 + ["stopped"] * 3  # type: ignore[attr-defined]
    # the first batch's folder waits for the next conversion (until the process ends), with
    # LibreOffice's profile but without the letters
    for folder in workspaces(private_tmp):
        assert [p.name for p in (private_tmp / folder).iterdir()] == ["profile"]

    monkeypatch.setattr(pdf, "docx_to_pdfs", convert)
    first = (out / "0002-Adler.pdf").stat().st_mtime_ns
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["merge", str(csv), "--base", str(tmp_path / "base.yaml"), "-o", str(out), "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    assert "3 written, 2 kept from an earlier run, 0 failed" in result.output
    assert len(list(out.glob("*.pdf"))) == 5 and (out / "0002-Adler.pdf").stat().st_mtime_ns == first


@needs_libreoffice
def test_a_pdf_found_without_a_record_is_kept_only_when_it_holds_the_rows_letter(
    tmp_path, private_tmp, monkeypatch
):
    # the records of what a merge wrote live in the user's cache; without them (another
    # machine, a cleared cache) a PDF in place is compared with the row's letter made again
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    out = tmp_path / "out"
    clients = rows(2)
    assert [r.status for r in merge(clients, base=BASE, out_dir=out, fmt="pdf").results] == ["written"] * 2

    def forget() -> None:
        for record in cache.rglob("made-*"):
            record.unlink()

    forget()
    again = merge(clients, base=BASE, out_dir=out, fmt="pdf")
    assert [r.status for r in again.results] == ["exists", "exists"], again.results
    clients[1] = {**clients[1], "recipient.street": "Neue Straße 9"}  # same file name, another letter
    forget()
    before = (out / "0002-Becker.pdf").read_bytes()
    changed = merge(clients, base=BASE, out_dir=out, fmt="pdf")
    assert [r.status for r in changed.results] == ["exists", "failed"]
    assert changed.failed[0].problems == [
        "0002-Becker.pdf already exists and holds another letter (from an earlier run with other data?); "
        "move it away or use --force (force=True in Python) to replace it"
    ]
    assert (out / "0002-Becker.pdf").read_bytes() == before  # nothing replaced
    forced = merge(clients, base=BASE, out_dir=out, fmt="pdf", force=True)
    assert [r.status for r in forced.results] == ["written", "written"]


@needs_libreoffice
def test_the_pdfs_of_a_merge_are_written_batch_by_batch(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(produce, "PDF_BATCH", 2)
    out, seen = tmp_path / "out", []
    convert = pdf.docx_to_pdfs

    def looking(documents, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(sorted(p.name for p in out.glob("*.pdf")))  # what is on disk when a batch starts
        return convert(documents, *args, **kwargs)

    monkeypatch.setattr(pdf, "docx_to_pdfs", looking)
    report = merge(rows(3), base=BASE, out_dir=out, fmt="pdf", jobs=1)
    assert [r.status for r in report.results] == ["written"] * 3
    assert seen == [[], ["0001-Adler.pdf", "0002-Becker.pdf"]]


def test_a_failed_letter_in_a_batch_fails_its_row_only(tmp_path, monkeypatch):
    def one_bad(documents, timeout=120.0):  # type: ignore[no-untyped-def]
        return [pdf.RenderError("LibreOffice finished but wrote no PDF") if n == 1 else b"%PDF-1.7 x"
                for n in range(len(documents))]  # fmt: skip

    monkeypatch.setattr(pdf, "docx_to_pdfs", one_bad)
    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    report = merge(rows(3), base=BASE, out_dir=tmp_path / "out", fmt="pdf")
    assert [r.status for r in report.results] == ["written", "failed", "written"]
    assert "wrote no PDF" in report.results[1].problems[0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0001-Adler.pdf", "0003-Cramer.pdf"]


def test_ctrl_c_during_a_conversion_ends_libreoffice_and_removes_its_folder(tmp_path, private_tmp, monkeypatch):
    program, pid_file = sleeping_soffice(tmp_path / "bin")
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(program))

    def interrupt_when_started() -> None:
        if wait_for(pid_file.exists, 10):
            os.kill(os.getpid(), signal.SIGINT)

    import threading

    threading.Thread(target=interrupt_when_started, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        pdf.docx_to_pdf(b"PK not really a document")
    assert not alive(int(pid_file.read_text()))
    assert workspaces(private_tmp) == []


@linux_only
def test_libreoffice_ends_with_a_killed_parent_and_the_next_run_removes_the_folder(tmp_path, private_tmp):
    program, pid_file = sleeping_soffice(tmp_path / "bin")
    script = (
        "import tempfile, sys\n"
        f"tempfile.tempdir = {str(private_tmp)!r}\n"
        "from letterkit.render import pdf\n"
        f"pdf.find_soffice = lambda: {str(program)!r}\n"
        "pdf.docx_to_pdf(b'letter')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        assert wait_for(pid_file.exists, 30), "the stand-in soffice did not start"
        (folder,) = workspaces(private_tmp)
        assert folder.startswith(f"{workspace.PREFIX}{parent.pid}-")
        parent.kill()  # kill -9: the parent runs no code
        parent.wait()
        soffice = int(pid_file.read_text())
        assert wait_for(lambda: not alive(soffice), 5), "soffice outlived its killed parent"
    finally:
        parent.kill()
        parent.wait()
    assert workspaces(private_tmp) == [folder]  # kill -9 leaves it ...
    assert workspace.remove_stale(private_tmp) == 1  # ... for the next run to remove
    assert workspaces(private_tmp) == []


def test_only_the_folders_of_ended_processes_are_removed(tmp_path):
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    names = {
        "ended": f"{workspace.PREFIX}{ended.pid}-abcd_123",
        "running": f"{workspace.PREFIX}{os.getpid()}-abcd_123",
        "older_kind_old": f"{workspace.PREFIX}k2j_9x0q",
        "older_kind_new": f"{workspace.PREFIX}m3n_8y1r",
        "not_ours": "letterkit-pdfs-other",
    }
    for name in names.values():
        (tmp_path / name).mkdir()
        (tmp_path / name / "letter.docx").write_bytes(b"client data")
    two_hours_ago = time.time() - 7200
    os.utime(tmp_path / names["older_kind_old"], (two_hours_ago, two_hours_ago))
    assert workspace.remove_stale(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        names[key] for key in ("running", "older_kind_new", "not_ours")
    )


def test_a_conversion_keeps_its_profile_for_the_next_but_not_the_letters(tmp_path, private_tmp, monkeypatch):
    program = tmp_path / "soffice"  # converts by copying: letter-0001.docx -> letter-0001.pdf
    program.write_text(
        "#!/bin/sh\nfor a; do case $a in --outdir) ;; *.docx) cp \"$a\" \"${a%.docx}.pdf\";; esac; done\n"
    )
    program.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(program))
    assert pdf.docx_to_pdfs([b"one", b"two"]) == [b"one", b"two"]
    (folder,) = workspaces(private_tmp)
    (private_tmp / folder / "profile").mkdir()  # as LibreOffice would make it
    assert sorted(p.name for p in (private_tmp / folder).iterdir()) == ["profile"]
    assert pdf.docx_to_pdf(b"three") == b"three"
    assert workspaces(private_tmp) == [folder]  # the same folder, its profile used again
    workspace.remove_idle()
    assert workspaces(private_tmp) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_sigterm_stops_a_pdf_merge_in_order(tmp_path, private_tmp):
    program, pid_file = sleeping_soffice(tmp_path / "bin")
    csv = write_csv(tmp_path / "clients.csv", 2)
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PATH": f"{program.parent}{os.pathsep}{os.environ['PATH']}",
        "TMPDIR": str(private_tmp),
    }
    command = [sys.executable, "-m", "letterkit", "merge", str(csv), "--base", str(tmp_path / "base.yaml")]
    run = subprocess.Popen(
        [*command, "-o", str(tmp_path / "out"), "--format", "pdf"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(pid_file.exists, 30), "the stand-in soffice did not start"
        run.send_signal(signal.SIGTERM)
        _out, err = run.communicate(timeout=30)
    finally:
        run.kill()
        run.wait()
    assert run.returncode == 143 and "Interrupted" in err and "Traceback" not in err
    assert not alive(int(pid_file.read_text()))
    assert workspaces(private_tmp) == []


@needs_libreoffice
@linux_only
def test_a_pdf_merge_killed_with_kill_9_resumes_and_leaves_no_libreoffice(tmp_path, private_tmp):
    csv, out = write_csv(tmp_path / "clients.csv", 6), tmp_path / "out"
    script = (
        "import sys\n"
        "from letterkit.merge import produce\n"
        "produce.PDF_BATCH = 2\n"
        "from letterkit.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    command = [sys.executable, "-c", script, "merge", str(csv), "--base", str(tmp_path / "base.yaml")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(private_tmp)}
    run = subprocess.Popen([*command, "-o", str(out), "--format", "pdf"], env=env)
    try:
        assert wait_for(lambda: out.is_dir() and len(list(out.glob("*.pdf"))) >= 2), "no PDF written"
        run.kill()
        run.wait()
    finally:
        run.kill()
        run.wait()
    kept = sorted(p.name for p in out.glob("*.pdf"))

    def libreoffice_of_the_run() -> list[str]:
        found = subprocess.run(["pgrep", "-f", str(private_tmp)], capture_output=True, text=True)
        return found.stdout.split()

    assert wait_for(lambda: not libreoffice_of_the_run(), 10), "LibreOffice outlived the killed merge"
    report = merge(csv, base=BASE, out_dir=out, fmt="pdf")
    assert [r.status for r in report.results].count("exists") == len(kept) >= 2
    assert len(list(out.glob("*.pdf"))) == 6 and not list(out.glob(".*.tmp"))
    assert f"{workspace.PREFIX}{run.pid}-" not in " ".join(workspaces(private_tmp))  # removed by the re-run
