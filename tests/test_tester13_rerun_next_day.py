"""Tester 13: a merge run again on a later day, its input without a date, finds each file
dated the day it was made: the row is told that the dates differ and how to go on (a date in
--base keeps the files, --force remakes them), not "from an earlier run with other data?"."""

from __future__ import annotations

import calendar
from datetime import datetime

import pytest

from letterkit.merge import merge

SENDER = {"company": "Muster GmbH", "name": "Erika Muster", "city": "Berlin", "email": "erika@example.de"}
ROW = {"locale": "en-GB", "end_date": "2027-03-31",
       "recipient": {"company": "Patel Ltd", "last_name": "Patel", "email": "p@example.com",
                     "street": "1 High Street", "postal_code": "M1 1AA", "city": "Manchester"}}  # fmt: skip


def on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(calendar.timegm(datetime.fromisoformat(day + "T08:00").timetuple())))


@pytest.mark.parametrize("fmt", ["docx", "eml"])
def test_a_rerun_on_a_later_day_says_the_dates_differ(tmp_path, monkeypatch, fmt):
    on(monkeypatch, "2026-11-29")
    first = merge([ROW], base={"sender": SENDER}, out_dir=tmp_path, fmt=fmt)
    assert [r.status for r in first.results] == ["written"]
    on(monkeypatch, "2026-11-30")
    again = merge([ROW], base={"sender": SENDER}, out_dir=tmp_path, fmt=fmt)
    [result] = again.results
    assert result.status == "failed"
    [problem] = result.problems
    assert "dated 2026-11-29" in problem and "dated 2026-11-30" in problem
    assert "put date: 2026-11-29 in --base" in problem and "--force" in problem
    assert "other data?" not in problem
    # as it says: the date in the base keeps the file as it was made
    kept = merge([ROW], base={"sender": SENDER, "date": "2026-11-29"}, out_dir=tmp_path, fmt=fmt)
    assert [r.status for r in kept.results] == ["exists"]


def test_a_file_of_the_same_day_with_other_data_is_still_a_clash(tmp_path, monkeypatch):
    on(monkeypatch, "2026-11-29")
    merge([ROW], base={"sender": SENDER}, out_dir=tmp_path, fmt="docx")
    other = {**ROW, "end_date": "2027-04-30"}
    [result] = merge([other], base={"sender": SENDER}, out_dir=tmp_path, fmt="docx").results
    assert result.status == "failed" and "other data?" in result.problems[0]
