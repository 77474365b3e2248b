"""An email to a firm without a contact person greets its team ("Dear Bloggs Holdings
team"); a recipient whose name already names a group of people (a department, a
committee, the trustees) is greeted by that name, without "team" after it (tester9: "Dear
Accounts Department team")."""

from __future__ import annotations

import pytest

import letterkit


def _salutation(locale: str, company: str) -> str:
    data = {
        "locale": locale,
        "channel": "email",
        "date": "2026-11-30",
        "end_date": "2027-01-31",
        "sender": {"name": "Tom Ashworth", "email": "tom@harbourlane.example"},
        "recipient": {"company": company, "email": "office@example.org"},
    }
    return letterkit.compose(data).salutation


@pytest.mark.parametrize(
    ("locale", "company", "expected"),
    [
        ("en-GB", "Accounts Department", "Dear Accounts Department"),
        ("en-GB", "Hartley Library Events Committee", "Dear Hartley Library Events Committee"),
        ("en-US", "Board of Trustees", "Dear Board of Trustees,"),
        ("en-US", "Hartley Library Events Team", "Dear Hartley Library Events Team,"),
        ("en-GB", "Events Team Ltd", "Dear Events Team"),
        ("en-GB", "Accounts Dept.", "Dear Accounts Dept."),
        # a firm's name, also one that ends in a word for a group of firms, still takes "team"
        ("en-GB", "Bloggs Holdings, Inc.", "Dear Bloggs Holdings team"),
        ("en-GB", "The Hartford Group", "Dear Hartford Group team"),
        ("en-US", "Friends of Hartley Library", "Dear Friends of Hartley Library team,"),
    ],
)
def test_a_group_is_greeted_by_its_name(locale: str, company: str, expected: str) -> None:
    assert _salutation(locale, company) == expected
