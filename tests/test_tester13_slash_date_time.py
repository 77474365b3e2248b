"""Tester 13: a slash date with a midnight time, as Excel's CSV writes a date-and-time cell
(``12/31/2026 0:00`` in en-US, ``31/12/2026 00:00`` in en-GB), is read as the date, as
``31.12.2026 00:00`` and ``2026-12-31 00:00:00`` are; another time of day is an error that
says so. It was "not a date; write it as YYYY-MM-DD or DD.MM.YYYY"."""

from __future__ import annotations

import pytest

from letterkit.merge import merge

BASE = {"sender": {"company": "Northwind Ltd", "name": "Emma Clarke", "city": "Manchester"}, "date": "2026-11-26"}


def row(locale: str, end: str) -> dict[str, object]:
    return {"locale": locale, "end_date": end, "recipient": {"company": "Patel Ltd"}}


@pytest.mark.parametrize(
    ("locale", "end"),
    [("en-US", "12/31/2026 0:00"), ("en-GB", "31/12/2026 00:00"), ("en-US", "12/31/2026 00:00:00")],
)
def test_a_slash_date_at_midnight_is_the_date(locale, end):
    [result] = merge([row(locale, end)], base=BASE, check=True).results
    assert result.status == "valid", result.problems


def test_a_slash_date_with_another_time_says_so():
    [result] = merge([row("en-US", "12/31/2026 14:30")], base=BASE, check=True).results
    assert result.status == "failed"
    assert "has a time of day" in result.problems[0] and "2026-12-31" in result.problems[0]


def test_an_ambiguous_slash_date_with_a_time_is_still_refused_with_both_readings():
    [result] = merge([row("en-US", "03/04/2027 0:00")], base=BASE, check=True).results
    assert result.status == "failed" and "2027-04-03" in result.problems[0] and "2027-03-04" in result.problems[0]
