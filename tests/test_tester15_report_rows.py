"""A script reads a merge's rows from the report itself: ``for row in report`` gives every
row's outcome in row order (the same as ``report.results``), as the README shows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from test_tester15_name_extension_format import BASE, ROWS

import letterkit


def rows() -> list[dict[str, str]]:
    good = dict(ROWS[0])
    return [good, dict(good, **{"recipient.gender": "Dr."}), dict(good, **{"recipient.last_name": "Shah"})]


def test_iterating_the_report_gives_each_row(tmp_path: Path) -> None:
    report = letterkit.merge(rows(), base=BASE, out_dir=tmp_path / "out", fmt="txt")
    seen = [(r.row, r.status, r.file) for r in report]
    assert seen == [(r.row, r.status, r.file) for r in report.results]
    assert [status for _, status, _ in seen] == ["written", "failed", "written"]
    assert [r.row for r in report.failed] == [2]
    assert not report.ok
    # the files it names exist; the CSV and JSON reports say the same
    assert all((tmp_path / "out" / file).is_file() for _, status, file in seen if status == "written")
    from_csv = [(int(r["row"]), r["status"], r["file"]) for r in csv.DictReader(io.StringIO(report.to_csv()))]
    from_json = [(r["row"], r["status"], r["file"]) for r in json.loads(report.to_json())["results"]]
    assert from_csv == from_json == seen
