"""Merge names and the report (acceptance 18, findings 3 and 4).

3. A company-only row under ``--name "{recipient.last_name}-{contract.reference}.docx"``
   was named ``R-107.docx`` — the "-" after the empty field dropped, no notice — which
   reads as a name of its own. The row number now stands in for the empty field, and the
   row gets a notice in the report and on the terminal.
4. The report's status ``exists`` is what the terminal calls "kept from an earlier run":
   the report carries the terminal's words in an ``outcome`` column (the status values
   are the versioned report's and the API's, so they stay).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from test_merge import HEADER, ROWS, write_csv
from test_merge_qa4 import base_file, run_cli

from letterkit.merge import merge
from letterkit.merge.names import Namer

PATTERN = "{recipient.last_name}-{contract.reference}.txt"
COMPANY_ONLY = ROWS[1].replace(";Gruber;", ";;").replace(";W-2;", ";R-107;")


def test_an_empty_field_is_filled_with_the_row_number_not_dropped() -> None:
    namer = Namer(PATTERN, "txt")
    company = {"recipient": {"company": "Nord GmbH"}, "contract": {"reference": "R-107"}}
    assert namer.named(5, company) == ("row-0005-R-107.txt", True)
    # a value that is nothing once made safe counts as empty ('?' and '/' are replaced by '_')
    assert namer.named(6, {"recipient": {"last_name": "?"}, "contract": {"reference": "R-108"}}) == (
        "row-0006-R-108.txt",
        True,
    )
    assert namer.named(7, {"recipient": {"last_name": "Meier"}, "contract": {"reference": "R-1"}}) == (
        "Meier-R-1.txt",
        False,
    )
    # a name that is another row's stays unique, as before: the collision rule is unchanged
    assert namer.named(8, company) == ("row-0008-R-107.txt", True)
    assert namer.named(9, {"recipient": {"last_name": "row-0005"}, "contract": {"reference": "R-107"}}) == (
        "row-0005-R-107-2.txt",
        False,
    )


def test_every_such_name_carries_a_notice_that_names_the_field() -> None:
    named = Namer(PATTERN, "txt").give(5, {"contract": {"reference": "R-107"}})
    assert named.empty == ("recipient.last_name",)
    assert named.notice() == (
        "named row-0005-R-107.txt by its row number, which stands in for {recipient.last_name} (it is "
        "empty in this row); {recipient.last_name|recipient.company} names it by the firm instead"
    )
    numbered = Namer("{row:04d}-{recipient.last_name}", "txt").give(8, {})
    assert numbered.name == "0008.txt" and not numbered.by_number  # {row} tells the row already
    assert numbered.notice() == (
        "named 0008.txt without {recipient.last_name} (it is empty in this row; the name has the row "
        "number); {recipient.last_name|recipient.company} names it by the firm instead"
    )
    fallback = Namer("{recipient.last_name|recipient.company}", "txt").give(3, {"recipient": {"company": "X"}})
    assert fallback.name == "X.txt" and fallback.notice() is None


def test_the_company_only_row_is_named_by_its_row_number_with_a_notice(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, ROWS[0], COMPANY_ONLY, ROWS[2]])
    out, report_file = tmp_path / "out", tmp_path / "report.csv"
    code, output = run_cli(
        "merge", source, "--base", base_file(tmp_path), "-o", out, "--name", PATTERN,
        "--report", report_file,
    )  # fmt: skip
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == ["Patel-S-3.txt", "Schneider-W-1.txt", "row-0003-R-107.txt"]
    assert f"{source}: row 3 (row-0003-R-107.txt): warning: named row-0003-R-107.txt by its row number" in output
    rows = list(csv.DictReader(report_file.open(encoding="utf-8-sig"), delimiter=";"))  # as the list
    assert "stands in for {recipient.last_name} (it is empty in this row)" in rows[1]["problems"]
    assert rows[0]["problems"] == rows[2]["problems"] == ""
    again = merge(source, base=base_file(tmp_path), out_dir=out, fmt="txt", name=PATTERN)
    assert [r.file for r in again.results] == ["Schneider-W-1.txt", "row-0003-R-107.txt", "Patel-S-3.txt"]
    assert [r.status for r in again.results] == ["exists"] * 3  # the same names on every run


# --- finding 4: the report's words are the terminal's -----------------------------------


def test_the_report_says_kept_from_an_earlier_run_as_the_terminal_does(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, *ROWS])
    out = tmp_path / "out"
    argv = ["merge", source, "--base", base_file(tmp_path), "-o", out, "--format", "txt"]
    assert run_cli(*argv)[0] == 0
    (out / sorted(p.name for p in out.iterdir())[0]).unlink()
    code, output = run_cli(*argv, "--report", tmp_path / "report.csv")
    assert code == 0 and "1 written, 2 kept from an earlier run, 0 failed." in output
    rows = list(csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8-sig"), delimiter=";"))
    # columns are added at the end
    assert list(rows[0]) == ["row", "status", "file", "problems", "outcome", "send", "send_detail"]
    assert [(r["status"], r["outcome"]) for r in rows] == [
        ("written", "written"),
        ("exists", "kept from an earlier run"),
        ("exists", "kept from an earlier run"),
    ]
    assert run_cli(*argv, "--report", tmp_path / "report.json")[0] == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["version"] == 1
    assert [(r["status"], r["outcome"]) for r in report["results"]] == [("exists", "kept from an earlier run")] * 3


def test_every_status_has_the_terminals_words() -> None:
    from letterkit.merge.results import OUTCOMES, RowResult

    assert set(OUTCOMES) == {"written", "exists", "sent", "failed", "stopped", "valid"}
    assert RowResult(1, "exists").outcome == "kept from an earlier run"
    assert RowResult(1, "sent").outcome == "kept as it was sent"
    assert RowResult(1, "stopped").outcome == "not written: the run stopped"
