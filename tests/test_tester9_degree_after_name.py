"""A degree written after a name (PhD, MBA, LL.M.) stays after it in a German address and
an email's To: "Frau Anna Roth, PhD", not "Frau PhD Anna Roth" (tester9); a title before
the name stays before it ("Frau Dr. Anna Roth, MBA")."""

from __future__ import annotations

import pytest

import letterkit


def _letter(locale: str, title: str, channel: str = "letter") -> letterkit.Letter:
    data = {
        "locale": locale,
        "channel": channel,
        "date": "2026-11-30",
        "end_date": "2027-01-31",
        "sender": {"name": "Erika Muster", "email": "erika@muster.example"},
        "recipient": {
            "company": "Beispiel AG",
            "gender": "female",
            "title": title,
            "first_name": "Anna",
            "last_name": "Roth",
            "street": "Hauptstraße 1" if locale != "de-CH" else "Hauptstrasse 1",
            "postal_code": {"de-DE": "10115", "de-AT": "1010", "de-CH": "8001"}[locale],
            "city": {"de-DE": "Berlin", "de-AT": "Wien", "de-CH": "Zürich"}[locale],
            "email": "anna.roth@beispiel.example",
        },
    }
    return letterkit.compose(data)


@pytest.mark.parametrize(
    ("locale", "title", "person", "salutation"),
    [
        ("de-DE", "PhD", "Frau Anna Roth, PhD", "Sehr geehrte Frau Roth,"),
        ("de-AT", "MBA", "Frau Anna Roth, MBA", "Sehr geehrte Frau Roth,"),
        ("de-CH", "LL.M.", "Frau Anna Roth, LL.M.", "Sehr geehrte Frau Roth"),
        ("de-DE", "Dr. MBA", "Frau Dr. Anna Roth, MBA", "Sehr geehrte Frau Dr. Roth,"),
        ("de-AT", "Mag. MBA", "Frau Mag. Anna Roth, MBA", "Sehr geehrte Frau Mag. Roth,"),
        # a title before the name is unchanged
        ("de-DE", "Prof. Dr.", "Frau Prof. Dr. Anna Roth", "Sehr geehrte Frau Professorin Roth,"),
    ],
)
def test_a_degree_follows_the_name_in_the_address(locale: str, title: str, person: str, salutation: str) -> None:
    letter = _letter(locale, title)
    assert person in letter.recipient_address
    assert letter.salutation == salutation


def test_a_degree_follows_the_name_in_the_email_to() -> None:
    letter = _letter("de-DE", "Dr. MBA", channel="email")
    assert letter.recipient_name == "Dr. Anna Roth, MBA"


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_the_signers_degree_follows_the_name(locale: str) -> None:
    data = {
        "locale": locale,
        "date": "2026-11-30",
        "end_date": "2027-01-31",
        "sender": {"company": "Muster GmbH", "title": "Dr. MBA", "first_name": "Erika", "last_name": "Muster"},
        "recipient": {"company": "Beispiel AG"},
    }
    letter = letterkit.compose(data)
    assert letter.signature[0] == "Dr. Erika Muster, MBA"
    assert "Dr. Erika Muster, MBA" in letter.sender_address
