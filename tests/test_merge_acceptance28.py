"""Merge, acceptance 28 (an outside tester's exports): an empty YAML list says it is empty,
a spreadsheet's total row fails as what it is, and a dry run beside a running send says
that send is running (its message in flight read as 'uncertain', unexplained)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import test_merge_review27 as review

from letterkit.errors import SourceError
from letterkit.merge import merge
from letterkit.merge.send import SEND_LOCK, SendOptions, SMTPSettings, send_folder


@pytest.mark.parametrize("text", ["", "\n\n", "# Kundenliste, noch leer\n"])
def test_an_empty_yaml_list_says_it_is_empty(tmp_path: Path, text: str) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match="is empty; it needs a YAML list of records"):
        merge(path, base=review.BASE, check=True)


def test_a_total_row_fails_as_what_it_is(tmp_path: Path) -> None:
    total = ["Summe", None, None, None, None, None, None, None, 3190]
    path = review._workbook(
        tmp_path, [review._client("Eva", "Erste", 1190), review._client("Max", "Zweite", 2000), total], merged=[]
    )
    report = merge(path, base=review.BASE, check=True, columns=review.MAPPING)
    assert [r.status for r in report.results] == ["valid", "valid", "failed"]
    assert report.results[2].problems == [
        "looks like the list's total row ('Summe' and the sums of the columns above), not a client; "
        "delete it from the export, or end the exported range above it"
    ]
    csv_path = tmp_path / "list.csv"
    csv_path.write_text(
        ";".join(review.HEADER) + "\n" + ";".join(str(v) for v in review._client("Eva", "Erste", "1.190,00"))
        + "\nGesamt:;;;;;;;;1.190,00 €\n",
        encoding="utf-8",
    )  # fmt: skip
    report = merge(csv_path, base=review.BASE, check=True, columns=review.MAPPING)
    assert [r.status for r in report.results] == ["valid", "failed"]
    assert "total row ('Gesamt'" in report.results[1].problems[0]


def test_a_client_named_like_a_total_is_a_client(tmp_path: Path) -> None:
    path = review._workbook(tmp_path, [review._client("Eva", "Summe", 1190)], merged=[])
    report = merge(path, base=review.BASE, check=True, columns=review.MAPPING)
    assert [r.status for r in report.results] == ["valid"]


def test_a_dry_run_beside_a_running_send_says_so(tmp_path: Path) -> None:
    settings = SMTPSettings(host="localhost", port=8025)
    lines = list(send_folder([], tmp_path, settings, SendOptions(dry_run=True)))
    assert not [line for line in lines if "another send is running" in line]
    sender = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        holder = {"pid": sender.pid, "host": socket.gethostname(), "since": "2026-11-28T09:00:00+00:00"}
        (tmp_path / SEND_LOCK).write_text(json.dumps(holder) + "\n", encoding="utf-8")
        lines = list(send_folder([], tmp_path, settings, SendOptions(dry_run=True)))
        assert lines[0].startswith(f"note: another send is running on this folder (pid {sender.pid} on ")
        assert "shows as uncertain here" in lines[0]
    finally:
        sender.kill()
        sender.wait()
    # the process is gone: its lock file says nothing any more
    lines = list(send_folder([], tmp_path, settings, SendOptions(dry_run=True)))
    assert not [line for line in lines if "another send is running" in line]


def test_a_merge_says_how_many_rows_it_has_checked(tmp_path: Path) -> None:
    from letterkit.merge.run import CHECKING_EVERY

    rows = [review._client("Eva", f"Kundin{i}", 1190) for i in range(CHECKING_EVERY * 2 + 7)]
    path = review._workbook(tmp_path, rows, merged=[])
    counts: list[int] = []
    merge(path, base=review.BASE, check=True, columns=review.MAPPING, checking=counts.append)
    assert counts == [CHECKING_EVERY, CHECKING_EVERY * 2, CHECKING_EVERY * 2 + 7]
