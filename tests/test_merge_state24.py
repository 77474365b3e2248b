"""Acceptance round 24, the output folder's state: files no row of this run made are named
(and never sent), repeats are told by the validated values, a resume does not make every
letter again, and a full disk says what was written."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge

BASE = {
    "date": "2026-11-26",
    "sender": {
        "company": "Muster GmbH",
        "name": "Erika Muster",
        "city": "Berlin",
        "email": "erika@example.de",
    },
}


def row(i: int, **changes: Any) -> dict[str, Any]:
    data = {
        "locale": "de-DE",
        "channel": "email",
        "end_date": "2026-12-31",
        "recipient": {"company": f"Kunde {i} AG", "last_name": f"Kunde{i}", "email": f"k{i}@example.com"},
    }
    data.update(changes)
    return data


def run_cli(tmp_path: Path, rows: list[dict[str, Any]], *options: str) -> Any:
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    return CliRunner().invoke(
        main, ["merge", str(data), "--base", str(base), "-o", str(tmp_path / "out"), *options]
    )


# --- 4. files of an earlier run that no row of this one made -------------------------------


def test_a_removed_client_s_file_is_named_and_not_sent(tmp_path):
    rows = [row(i) for i in range(4)]
    assert run_cli(tmp_path, rows, "--format", "eml").exit_code == 0
    del rows[3]  # the last client removed from the list
    result = run_cli(tmp_path, rows, "--send", "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    assert (
        "warning: 1 file in " + str(tmp_path / "out") + " was not made by this run: 0004-Kunde3.eml. It is "
        "from an earlier run"
    ) in result.output
    assert "--send does not send it" in result.output
    assert "0004-Kunde3.eml" not in result.output.split("not taken for this list's letters.")[1]
    assert "3 would be sent" in result.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["earlier_files"] == [
        "0004-Kunde3.eml"
    ]


def test_the_report_gives_this_run_s_emails_and_the_earlier_files(tmp_path):
    merge([row(i) for i in range(4)], base=BASE, out_dir=tmp_path, fmt="eml")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")  # a file of the user's
    (tmp_path / ".hidden.eml").write_text("x", encoding="utf-8")
    rows = [row(i) for i in (0, 2, 3)]
    rows.insert(1, row(9, recipient={"company": "Neu AG", "last_name": "Neu"}))  # no address: fails
    report = merge(rows, base=BASE, out_dir=tmp_path, fmt="eml")
    assert report.count("failed") == 1
    assert [p.name for p in report.emails()] == ["0001-Kunde0.eml", "0003-Kunde2.eml", "0004-Kunde3.eml"]
    assert all(p.parent == tmp_path for p in report.emails())
    # 0002-Kunde1.eml is no row's now; the failed row 2 would be 0002-Neu.eml; notes.txt is .txt
    assert report.earlier_files == ["0002-Kunde1.eml", "notes.txt"]


def test_a_folder_that_was_empty_has_no_earlier_files(tmp_path):
    report = merge([row(i) for i in range(2)], base=BASE, out_dir=tmp_path / "new", fmt="eml")
    assert report.earlier_files == [] and len(report.emails()) == 2
    again = merge([row(i) for i in range(2)], base=BASE, out_dir=tmp_path / "new", fmt="eml")
    assert again.earlier_files == [] and again.count("exists") == 2


def test_the_combined_document_and_the_superseded_folder_are_no_earlier_files(tmp_path):
    letters = [
        row(
            i,
            channel="letter",
            recipient={**row(i)["recipient"], "street": "Weg 1", "postal_code": "10115", "city": "Berlin"},
        )
        for i in range(2)
    ]
    merge(letters, base=BASE, out_dir=tmp_path, combined=tmp_path / "all.docx")
    (tmp_path / "superseded").mkdir()
    (tmp_path / "superseded" / "0001-Kunde0.eml").write_text("x", encoding="utf-8")
    again = merge(letters, base=BASE, out_dir=tmp_path, combined=tmp_path / "all.docx")
    assert again.combined_status == "kept" and again.earlier_files == []


# --- 6. a resume does not make every letter again ------------------------------------------




@pytest.mark.parametrize("fmt", ["eml", "docx", "txt"])
def test_a_finished_set_is_resumed_without_making_its_letters_again(tmp_path, composed, fmt):
    rows = [row(i, channel=None) for i in range(6)]
    out = tmp_path / "out"
    merge(rows, base=BASE, out_dir=out, fmt=fmt)
    assert composed == [1, 2, 3, 4, 5, 6]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    composed.clear()
    again = merge(rows, base=BASE, out_dir=out, fmt=fmt)
    assert again.count("exists") == 6 and composed == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and nothing of its own there


def test_a_file_changed_since_or_a_row_changed_since_is_checked_in_full(tmp_path, composed):
    rows = [row(i) for i in range(4)]
    out = tmp_path / "out"
    merge(rows, base=BASE, out_dir=out, fmt="eml")
    edited = out / "0002-Kunde1.eml"
    edited.write_bytes(edited.read_bytes().replace(b"Kunde", b"Kundin"))
    rows[2] = row(2, reasons=["capacity"])  # the row changed: the file no longer holds its letter
    composed.clear()
    again = merge(rows, base=BASE, out_dir=out, fmt="eml")
    assert composed == [2, 3]
    assert [r.status for r in again.results] == ["exists", "failed", "failed", "exists"]
    assert "already exists and holds another letter" in again.results[1].problems[0]
    assert "already exists and holds another letter" in again.results[2].problems[0]


def test_without_a_record_the_full_check_keeps_the_file_and_records_it(tmp_path, composed):
    rows = [row(i) for i in range(3)]
    out = tmp_path / "out"
    merge(rows, base=BASE, out_dir=out, fmt="eml")
    records = list((tmp_path / "cache" / "letterkit").glob("made-*.txt"))
    assert len(records) == 1 and records[0].stat().st_mode & 0o777 == 0o600
    records[0].unlink()  # another machine, say
    composed.clear()
    assert merge(rows, base=BASE, out_dir=out, fmt="eml").count("exists") == 3 and composed == [1, 2, 3]
    composed.clear()
    assert merge(rows, base=BASE, out_dir=out, fmt="eml").count("exists") == 3 and composed == []


def test_a_record_anyone_may_write_is_not_trusted(tmp_path, composed):
    if not hasattr(os, "getuid"):
        pytest.skip("POSIX file modes")
    rows = [row(0)]
    merge(rows, base=BASE, out_dir=tmp_path / "out", fmt="eml")
    (record,) = (tmp_path / "cache" / "letterkit").glob("made-*.txt")
    record.chmod(0o666)
    composed.clear()
    assert merge(rows, base=BASE, out_dir=tmp_path / "out", fmt="eml").count("exists") == 1 and composed == [
        1
    ]


# --- 7. a full disk -------------------------------------------------------------------------


@pytest.fixture
def disk_full_after(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``disk_full_after(folder, n)``: os.write fails with ENOSPC for files in ``folder`` after
    ``n`` writes there (the report's too, when it is in that folder)."""
    import errno

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc")

    def arm(folder: Path, n: int) -> None:
        real, done = os.write, [0]

        def write(fd: int, data: Any) -> int:
            if os.path.dirname(os.readlink(f"/proc/self/fd/{fd}")) == str(folder):
                if done[0] >= n:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                done[0] += 1
            return real(fd, data)

        monkeypatch.setattr(os, "write", write)

    return arm


def test_a_full_disk_says_which_file_was_not_written_how_many_were_and_how_to_go_on(
    tmp_path, disk_full_after
):
    out = tmp_path / "out"
    out.mkdir()
    rows = [row(i) for i in range(5)]
    merge(rows[:1], base=BASE, out_dir=out, fmt="eml")  # one kept from an earlier run
    disk_full_after(out, 2)
    result = run_cli(tmp_path, rows, "--format", "eml", "--report", str(out / "report.csv"))
    assert result.exit_code == 1
    error = result.output.strip().splitlines()[-1]
    assert error == (
        f"Error: {out / '0004-Kunde3.eml'}: cannot be written (No space left on device), so it was not "
        "written. The run stopped there: 2 files were written before it, each complete (1 kept from an "
        "earlier run), and the rows after it were not made. Free some space (if the disk is full) or fix "
        "what is said, then run the same command again: it keeps the files written and goes on with the rest"
    )
    assert "nothing was changed" not in error
    # the report is on the full disk too: said, without hiding the letters' error
    assert "Error: the report could not be written either: " in result.output
    assert sorted(p.name for p in out.iterdir()) == ["0001-Kunde0.eml", "0002-Kunde1.eml", "0003-Kunde2.eml"]
