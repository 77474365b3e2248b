"""Tester 13: a --base may hold defaults for the recipient that every row completes (the
country of an office's clients, say): it is not refused for lacking the recipient's name,
which only the rows can give. A mistake of the base's own is still told once, for the base."""

from __future__ import annotations

import pytest

from letterkit.errors import InputError
from letterkit.merge import merge

SENDER = {"company": "Alpenblick GmbH", "name": "Lena Hofer", "city": "Wien", "email": "lena@alpenblick.example"}
ROW = {"locale": "de-AT", "end_date": "2026-12-31",
       "recipient": {"last_name": "Gruber", "gender": "male", "street": "Ring 1", "postal_code": "1010", "city": "Wien"}}  # fmt: skip


@pytest.mark.parametrize("defaults", [{"country": "AT"}, {"country": "AT", "gender": "female"}])
def test_recipient_defaults_in_the_base_are_completed_by_the_rows(defaults):
    report = merge([ROW], base={"sender": SENDER, "recipient": defaults}, check=True)
    assert [r.status for r in report.results] == ["valid"], [r.problems for r in report.results]


def test_a_row_without_a_recipient_name_still_fails_as_that_row():
    row = {**ROW, "recipient": {"street": "Ring 1", "postal_code": "1010", "city": "Wien"}}
    report = merge([row], base={"sender": SENDER, "recipient": {"country": "AT"}}, check=True)
    assert [r.status for r in report.results] == ["failed"]
    assert any("recipient" in p for p in report.results[0].problems)


def test_an_unknown_key_of_the_base_is_still_the_bases():
    with pytest.raises(InputError) as caught:
        merge([ROW], base={"sender": SENDER, "recipent": {"country": "AT"}}, check=True)
    assert "recipent" in str(caught.value)
