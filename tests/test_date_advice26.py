"""A date that cannot be read is told how to write it in the letter's own way: an en-US
row is not told DD.MM.YYYY (tester13), and a two-digit year written with slashes is named
as such, as one written with dots is."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import InputError

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "en-US-web-design.yaml"


def problems(locale: str, end_date: str) -> list[str]:
    import yaml

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["locale"], data["end_date"] = locale, end_date
    with pytest.raises(InputError) as caught:
        letterkit.validate(data)
    return [str(p) for p in caught.value.problems if str(p).startswith("end_date")]


@pytest.mark.parametrize(
    ("locale", "written"),
    [("en-US", "MM/DD/YYYY (12/31/2026)"), ("en-GB", "DD/MM/YYYY (31/12/2026)"), ("de-AT", "DD.MM.YYYY (31.12.2026)")],
)
def test_the_advice_writes_the_date_as_the_locale_does(locale: str, written: str) -> None:
    assert problems(locale, "end of the year") == [
        f"end_date: 'end of the year' is not a date; write it as YYYY-MM-DD (2026-12-31) or {written}"
    ]


def test_a_two_digit_year_with_slashes_is_named() -> None:
    (problem,) = problems("en-US", "12/31/26")
    assert "'12/31/26' has a two-digit year, which could be 1926 or 2026" in problem
    assert "(12/31/2026)" in problem
