"""A recipient given only as ``name`` (one field, as many client lists hold it) is greeted
by the whole of it: a middle name, a particle ("von Bülow", "de la Cruz"), a name written
last name first ("Schmidt, Anna"), a title before it or a degree after it, and a team
("the Friends of Hartley Library team") each stay what they are (tester9)."""

from __future__ import annotations

from typing import Any

import pytest

import letterkit

ADDRESS = {
    "en-GB": {"street": "4 Church Road", "postal_code": "LS6 2AB", "city": "Leeds"},
    "en-US": {"street": "17 Oak Lane", "postal_code": "60201", "city": "Evanston", "state": "IL"},
    "de-DE": {"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin"},
    "de-AT": {"street": "Ringstraße 3", "postal_code": "1010", "city": "Wien"},
}


def _salutation(locale: str, channel: str, **recipient: Any) -> str:
    data = {
        "locale": locale,
        "channel": channel,
        "date": "2026-11-30",
        "end_date": "2027-01-31",
        "sender": {"name": "Tom Ashworth", "email": "tom@harbourlane.example"},
        "recipient": {**recipient, **ADDRESS[locale], "email": "reader@example.org"},
    }
    return letterkit.compose(data).salutation


@pytest.mark.parametrize(
    ("locale", "channel", "recipient", "expected"),
    [
        (
            "en-GB",
            "letter",
            {"name": "the Friends of Hartley Library team"},
            "Dear Friends of Hartley Library team",
        ),
        (
            "en-GB",
            "email",
            {"name": "Friends of Hartley Library team"},
            "Dear Friends of Hartley Library team",
        ),
        (
            "en-GB",
            "letter",
            {"company": "Hartley Library", "name": "the Friends of Hartley Library team"},
            "Dear Friends of Hartley Library team",
        ),
        ("en-US", "letter", {"name": "The Events Team"}, "Dear Events Team:"),
        ("de-DE", "letter", {"name": "das Team der Altstadtbühne"}, "Guten Tag, Team der Altstadtbühne,"),
        ("en-GB", "letter", {"name": "Anna Maria Schneider"}, "Dear Anna Maria Schneider"),
        ("de-DE", "email", {"name": "Jan van der Berg"}, "Guten Tag, Jan van der Berg,"),
        ("en-GB", "letter", {"name": "Ana María de la Cruz", "gender": "female"}, "Dear Ms de la Cruz"),
        ("de-DE", "letter", {"name": "Hans von Bülow", "gender": "male"}, "Sehr geehrter Herr von Bülow,"),
        ("de-AT", "letter", {"name": "Hans von Bülow", "gender": "male"}, "Sehr geehrter Herr von Bülow,"),
        ("de-DE", "letter", {"name": "Schmidt, Anna", "gender": "female"}, "Sehr geehrte Frau Schmidt,"),
        ("en-GB", "email", {"name": "Schmidt, Anna", "gender": "female"}, "Dear Ms Schmidt"),
        ("en-GB", "email", {"name": "Schmidt, Anna, PhD"}, "Dear Anna Schmidt"),
        ("de-DE", "email", {"name": "von Bülow, Hans", "gender": "male"}, "Guten Tag, Herr von Bülow,"),
        ("en-GB", "letter", {"name": "Anna Schmidt PhD", "gender": "female"}, "Dear Ms Schmidt"),
        ("en-US", "letter", {"name": "Anna Schmidt, MBA", "gender": "female"}, "Dear Ms. Schmidt:"),
        (
            "de-DE",
            "letter",
            {"name": "Dr. Anna Schmidt", "gender": "female"},
            "Sehr geehrte Frau Dr. Schmidt,",
        ),
        ("en-GB", "letter", {"name": "Prof. Dr. Heinrich Groß", "gender": "male"}, "Dear Professor Groß"),
        (
            "de-DE",
            "letter",
            {"name": "Prof. Dr. Heinrich Groß", "gender": "male"},
            "Sehr geehrter Herr Professor Groß,",
        ),
        ("en-GB", "letter", {"name": "The Revd Alasdair Grey", "gender": "male"}, "Dear Mr Grey"),
        ("en-US", "letter", {"name": "The Revd Alasdair Grey", "gender": "male"}, "Dear Reverend Grey:"),
        ("de-AT", "letter", {"name": "J. R. Huber", "gender": "male"}, "Sehr geehrter Herr Huber,"),
        ("de-AT", "email", {"name": "Dipl.-Ing. Susanne Huber", "gender": "female"}, "Sehr geehrte Frau Dipl.-Ing. Huber,"),
        # a couple in one field ("Dear Mark Hughes" before)
        ("en-GB", "letter", {"name": "Mark and Linda Hughes"}, "Dear Mark and Linda Hughes"),
        ("de-DE", "letter", {"name": "Anna und Peter Müller"}, "Guten Tag, Anna und Peter Müller,"),
        # a form of address typed with the name gives the gender, and the salutation its own
        # form ("Guten Tag, Herrn Roth," before: the address's accusative)
        ("de-DE", "letter", {"name": "Herrn Dr. Jan Roth"}, "Sehr geehrter Herr Dr. Roth,"),
        ("de-DE", "email", {"name": "Frau Anna Schmidt"}, "Guten Tag, Frau Schmidt,"),
        ("en-GB", "letter", {"name": "Mrs Joan O'Neill"}, "Dear Mrs O'Neill"),
        ("en-US", "letter", {"name": "Mr. John Smith"}, "Dear Mr. Smith:"),
        ("en-GB", "letter", {"name": "Mx Alex Taylor"}, "Dear Mx Taylor"),
        ("de-DE", "letter", {"name": "Herr und Frau Müller"}, "Guten Tag, Herr und Frau Müller,"),
        ("de-DE", "letter", {"name": "Herr u. Frau Müller"}, "Guten Tag, Herr u. Frau Müller,"),
        ("en-GB", "email", {"name": "Mr and Mrs Hughes"}, "Dear Mr and Mrs Hughes"),
        # a degree with full stops after a comma is a degree too
        ("en-US", "letter", {"name": "Priya Patel, Ph.D.", "gender": "female"}, "Dear Ms. Patel:"),
        ("de-DE", "letter", {"name": "Anna Roth, LL.M.", "gender": "female"}, "Sehr geehrte Frau Roth,"),
        # a name given apart still wins over the one-field name
        (
            "en-GB",
            "letter",
            {"name": "Anna Schmidt", "last_name": "Schmidt-Weber", "gender": "female"},
            "Dear Ms Schmidt-Weber",
        ),
    ],
)
def test_a_name_in_one_field_is_greeted_whole(
    locale: str, channel: str, recipient: dict[str, str], expected: str
) -> None:
    assert _salutation(locale, channel, **recipient) == expected


def test_the_address_keeps_the_name_as_typed() -> None:
    data = {
        "locale": "de-DE",
        "channel": "letter",
        "date": "2026-11-30",
        "end_date": "2027-01-31",
        "sender": {"name": "Tom Ashworth"},
        "recipient": {"name": "Hans von Bülow", "gender": "male", **ADDRESS["de-DE"]},
    }
    letter = letterkit.compose(data)
    assert "Hans von Bülow" in letter.recipient_address[0]
    assert letter.salutation == "Sehr geehrter Herr von Bülow,"
