"""Address blocks: without a country an address is laid out as the letter's locale expects,
unless its postcode can only be British (M1 1AA) or Canadian (K1A 0B1).

en-GB (Royal Mail): post town in capitals and the postcode on lines of their own;
en-US: "Springfield, IL 62701"; de-DE/de-AT/de-CH: "80331 München". The same rule holds
for the sender's address block, the sender line above the window and the footer. A
country line is printed when the recipient's country differs from the sender's, both worked
out the same way (given, else from an unmistakable postcode, else the locale's).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

import letterkit
from letterkit import locales
from letterkit.compose import _city_lines
from letterkit.schema import PARTY_FIELDS

PEOPLE: dict[str, dict[str, Any]] = {
    "company and person": {
        "company": "Gamma Ltd",
        "gender": "female",
        "first_name": "Grace",
        "last_name": "Green",
    },
    "person only": {"gender": "female", "first_name": "Grace", "last_name": "Green"},
    "company only": {"company": "Gamma Ltd"},
}

# locale → (street, postal code, city) of a recipient there, and the expected last lines.
PLACES: dict[str, tuple[dict[str, str], list[str]]] = {
    "en-GB": (
        {"street": "1 High Street", "postal_code": "SW1A 1AA", "city": "London"},
        ["LONDON", "SW1A 1AA"],
    ),
    "en-US": (
        {"street": "200 Main Street", "postal_code": "62701", "city": "Springfield, IL"},
        ["Springfield, IL 62701"],
    ),
    "de-DE": ({"street": "Nebenweg 2", "postal_code": "80331", "city": "München"}, ["80331 München"]),
    "de-AT": (
        {"street": "Linzer Straße 15", "postal_code": "3100", "city": "St. Pölten"},
        ["3100 St. Pölten"],
    ),
    "de-CH": ({"street": "Steinenvorstadt 22", "postal_code": "4051", "city": "Basel"}, ["4051 Basel"]),
}

SENDERS: dict[str, tuple[dict[str, str], str]] = {
    "en-GB": ({"street": "14 Park Row", "postal_code": "LS1 5HD", "city": "Leeds"}, "Leeds LS1 5HD"),
    "en-US": (
        {"street": "1120 Morrison Street", "postal_code": "97205", "city": "Portland, OR"},
        "Portland, OR 97205",
    ),
    "de-DE": ({"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin"}, "10115 Berlin"),
    "de-AT": ({"street": "Griesgasse 12", "postal_code": "8020", "city": "Graz"}, "8020 Graz"),
    "de-CH": ({"street": "Hardstrasse 201", "postal_code": "8005", "city": "Zürich"}, "8005 Zürich"),
}


def termination(
    locale: str, recipient: dict[str, Any], sender: dict[str, Any] | None = None
) -> dict[str, Any]:
    place, _ = SENDERS[locale]
    return {
        "locale": locale,
        "date": "2026-11-26",
        "sender": sender or {"company": "Lindqvist Studio", "name": "Marie Lindqvist", **place},
        "recipient": recipient,
        "end_date": "2026-12-31",
    }


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("locale", PLACES)
def test_recipient_without_country_follows_the_locale(locale: str, who: str) -> None:
    place, expected = PLACES[locale]
    letter = letterkit.compose(termination(locale, {**PEOPLE[who], **place}))
    lines = list(letter.recipient_address)
    assert lines[-len(expected) :] == expected, lines
    assert lines[-len(expected) - 1] == place["street"]
    if "company" in PEOPLE[who]:
        # the person above the company in English (Royal Mail, USPS), below it in German (DIN 5008)
        person_first = locale.startswith("en") and "last_name" in PEOPLE[who]
        assert lines[1 if person_first else 0] == "Gamma Ltd"
    if "last_name" in PEOPLE[who]:
        assert any("Grace Green" in line for line in lines)
    assert letter.findings == ()


@pytest.mark.parametrize("locale", PLACES)
def test_an_explicit_country_gives_the_same_layout(locale: str) -> None:
    place, expected = PLACES[locale]
    country = locale[-2:]
    sender_place, _ = SENDERS[locale]
    sender = {"company": "Lindqvist Studio", "name": "Marie Lindqvist", **sender_place, "country": country}
    letter = letterkit.compose(
        termination(locale, {**PEOPLE["person only"], **place, "country": country}, sender)
    )
    assert list(letter.recipient_address[-len(expected) :]) == expected


@pytest.mark.parametrize("locale", SENDERS)
def test_sender_block_sender_line_and_footer_without_country_follow_the_locale(locale: str) -> None:
    place, expected = SENDERS[locale]
    recipient = {**PEOPLE["company and person"], **PLACES[locale][0]}
    letter = letterkit.compose(termination(locale, recipient))
    assert letter.sender_address[-1] == expected  # one line in the letterhead
    assert letter.sender_line.endswith(f"{place['street']} · {expected}")
    assert f"{place['street']} · {expected}" in letter.footer[0]


def test_the_recipient_country_decides_over_the_locale() -> None:
    """A German client of an English letter keeps the German layout and gets a country line."""
    place, _ = SENDERS["en-GB"]
    sender = {"company": "Ledgerline Ltd", "name": "Helen Marsh", **place, "country": "GB"}
    recipient = {**PEOPLE["person only"], **PLACES["de-DE"][0], "country": "DE"}
    letter = letterkit.compose(termination("en-GB", recipient, sender))
    assert list(letter.recipient_address[-2:]) == ["80331 München", "GERMANY"]


def test_a_recipient_without_a_country_is_in_the_locales_country_and_gets_its_line() -> None:
    """The address's country is worked out as validation does (the locale's); it differs
    from the sender's, so the letter names it, as it does when the input gives it."""
    place, _ = SENDERS["de-DE"]
    sender = {"company": "Lindqvist Studio", "name": "Marie Lindqvist", **place, "country": "DE"}
    recipient = {**PEOPLE["person only"], **PLACES["en-GB"][0]}
    letter = letterkit.compose(termination("en-GB", recipient, sender))
    assert list(letter.recipient_address[-3:]) == ["LONDON", "SW1A 1AA", "UNITED KINGDOM"]
    given = letterkit.compose(termination("en-GB", {**recipient, "country": "GB"}, sender))
    assert given.recipient_address == letter.recipient_address


@pytest.mark.parametrize(
    ("city", "state", "expected"),
    [
        ("Springfield", "IL", "Springfield, IL 62701"),
        ("Springfield, IL", None, "Springfield, IL 62701"),
        ("Springfield", None, "Springfield 62701"),
    ],
)
def test_us_city_line_puts_the_state_between_city_and_zip(
    city: str, state: str | None, expected: str
) -> None:
    party = SimpleNamespace(country=None, city=city, postal_code="62701", state=state)
    conv = locales.conventions("en-US")
    assert _city_lines(party, conv, one_line=False) == [expected]  # type: ignore[arg-type]
    assert _city_lines(party, conv, one_line=True) == [expected]  # type: ignore[arg-type]


@pytest.mark.skipif("state" not in PARTY_FIELDS, reason="the input contract has no recipient.state yet")
def test_us_state_from_the_input() -> None:
    recipient = {**PEOPLE["company and person"], "street": "200 Main Street", "postal_code": "62701"}
    recipient.update({"city": "Springfield", "state": "IL"})
    letter = letterkit.compose(termination("en-US", recipient))
    assert letter.recipient_address[-1] == "Springfield, IL 62701"


def test_a_british_postcode_without_a_country_gets_the_british_layout_in_a_german_letter() -> None:
    """The postcode's shape tells the country; no country line is guessed from it."""
    place, _ = SENDERS["de-DE"]
    sender = {"company": "Lindqvist Studio", "name": "Marie Lindqvist", **place}
    recipient = {**PEOPLE["person only"], **PLACES["en-GB"][0]}
    letter = letterkit.compose(termination("de-DE", recipient, sender))
    assert list(letter.recipient_address[-4:]) == [
        "1 High Street",
        "LONDON",
        "SW1A 1AA",
        "VEREINIGTES KÖNIGREICH",  # the postcode says GB, the sender is in Germany
    ]
    uk_sender = {"company": "Ledgerline Ltd", "name": "Helen Marsh", **SENDERS["en-GB"][0]}
    letter = letterkit.compose(
        termination("de-DE", {**PEOPLE["person only"], **PLACES["de-DE"][0]}, uk_sender)
    )
    # the letter crosses a border: the sender's country closes its address (in the letter's language)
    assert list(letter.sender_address[-2:]) == ["Leeds LS1 5HD", "Vereinigtes Königreich"]
    assert letter.sender_line.endswith("Leeds LS1 5HD · Vereinigtes Königreich")
    assert "14 Park Row · Leeds LS1 5HD" in letter.footer[0]
    assert letter.findings == ()


# --- address_extra: the further address line (c/o, department, flat or suite) ---------------

EXTRA = {
    "de-DE": ("Abteilung Einkauf", ["Gamma GmbH", "Frau Grace Green", "Abteilung Einkauf", "Nebenweg 2", "80331 München"]),
    "en-GB": ("Flat 3", ["Ms Grace Green", "Gamma Ltd", "Flat 3", "1 High Street", "LONDON", "SW1A 1AA"]),
    "en-US": ("Suite 200", ["Ms. Grace Green", "Gamma Ltd", "Suite 200", "200 Main Street", "Springfield, IL 62701"]),
}


@pytest.mark.parametrize("locale", EXTRA)
def test_the_further_address_line_stands_above_the_street(locale: str) -> None:
    extra, expected = EXTRA[locale]
    place, _ = PLACES[locale]
    company = "Gamma GmbH" if locale.startswith("de") else "Gamma Ltd"
    recipient = {**PEOPLE["company and person"], "company": company, **place, "address_extra": extra}
    letter = letterkit.compose(termination(locale, recipient))
    assert list(letter.recipient_address) == expected
    assert not letter.findings  # the line is data: the lint reads it masked
    sender = {"company": "Lindqvist Studio", "name": "Marie Lindqvist", **SENDERS[locale][0], "address_extra": "c/o Hub 5"}
    letter = letterkit.compose(termination(locale, recipient, sender))
    assert "c/o Hub 5" not in letter.sender_line  # the one-line return address keeps to street and town


def test_an_address_too_long_for_the_window_is_named() -> None:
    from letterkit.render.fit import overflows

    recipient = {
        **PEOPLE["company and person"],
        "company": "Gamma Ltd",
        **PLACES["en-GB"][0],
        "country": "GB",
        "address_extra": "Flat 3",
    }
    letter = letterkit.compose(termination("de-DE", recipient))
    assert len(letter.recipient_address) == 7  # company, person, flat, street, TOWN, postcode, country
    assert any("the address has 7 lines, more than the 6" in w for w in overflows(letter))
    del recipient["address_extra"]
    assert not any("lines, more than" in w for w in overflows(letterkit.compose(termination("de-DE", recipient))))


def test_a_lost_character_in_the_further_line_fails_the_input() -> None:
    recipient = {**PEOPLE["company only"], **PLACES["de-DE"][0], "address_extra": "c/o ?ahin"}
    with pytest.raises(letterkit.InputError, match=r"recipient\.address_extra"):
        letterkit.compose(termination("de-DE", recipient))


def test_an_export_column_adresszusatz_is_suggested_as_the_further_line(tmp_path) -> None:
    from letterkit.errors import SourceError
    from letterkit.merge import merge

    data = tmp_path / "clients.csv"
    data.write_text("recipient.company;Adresszusatz\nGamma GmbH;Hinterhaus\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"recipient\.address_extra"):
        merge(data, check=True)
