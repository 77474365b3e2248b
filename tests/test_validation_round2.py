"""Validation and layout found by QA, round 2: Swiss amounts of a million and more, a
currency written in the amount cell, postcodes a spreadsheet broke, a final invoice due
before the service ends, letters without a postal address, the team salutation of an
English letter and the layout of a foreign sender's address."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest

import letterkit
from letterkit import locales
from letterkit.errors import InputError
from letterkit.schema import LOCALES

BASE: dict[str, Any] = {
    "locale": "de-DE",
    "date": "2026-11-26",
    "sender": {
        "company": "Bergmann IT-Service GmbH",
        "name": "Jürgen Bergmann",
        "street": "Schloßstraße 12",
        "postal_code": "70173",
        "city": "Stuttgart",
        "country": "DE",
        "email": "juergen.bergmann@example.de",
    },
    "recipient": {
        "company": "Beispiel AG",
        "gender": "female",
        "last_name": "Schneider",
        "street": "Nebenweg 2",
        "postal_code": "80331",
        "city": "München",
    },
    "end_date": "2026-12-31",
}


def data(**changes: Any) -> dict[str, Any]:
    """BASE with top-level keys replaced and ``sender``/``recipient`` keys updated."""
    out = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key in ("sender", "recipient"):
            out[key].update(value)
        else:
            out[key] = value
    return out


def problems(raw: dict[str, Any], **options: Any) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        letterkit.validate(raw, **options)
    return [(p.path, p.message) for p in info.value.problems]


# -- 1. money: grouped in every locale, from 0 to the largest amount ------------------------

AMOUNTS = sorted(
    {Decimal(x) for x in ("0", "0.01", "1", "12.3", "999.99", "1000", "1234.5", "123456", "999999.99")}
    | {Decimal(10) ** k for k in range(10)} - {Decimal(10) ** 9}
    | {Decimal(10) ** k - Decimal("0.01") for k in range(1, 10)}
    | {Decimal("1234567"), Decimal("12345678.9"), Decimal("123456789.12"), Decimal("999999999.99")}
)

# locale → (currency, shape of the formatted amount with N for the grouped number)
MONEY_SHAPES = {
    "de-DE": ("EUR", "N\u00a0€", ".", ","),
    "de-AT": ("EUR", "€\u00a0N", ".", ","),
    "de-CH": ("CHF", "CHF\u00a0N", "’", "."),
    "en-GB": ("GBP", "£N", ",", "."),
    "en-US": ("USD", "$N", ",", "."),
}


def expected_money(amount: Decimal, locale: str) -> str:
    _, shape, group, decimal = MONEY_SHAPES[locale]
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", group)
    return shape.replace("N", f"{grouped}{decimal}{cents}")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_amount_is_grouped_in_threes_in_every_locale(locale: str) -> None:
    currency = MONEY_SHAPES[locale][0]
    for amount in AMOUNTS:
        assert locales.format_money(amount, currency, locale) == expected_money(amount, locale), amount


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("currency", ["EUR", "CHF", "GBP", "USD", "SEK", "JPY", "BHD"])
def test_amounts_are_written_as_babel_writes_them(locale: str, currency: str) -> None:
    """format_money's quick path (the locale's shape, read once) gives Babel's answer for
    any amount; what it cannot vouch for (no cents, three decimals, negative) is Babel's."""
    import random

    rng = random.Random(f"{locale}{currency}")
    amounts = [Decimal(rng.randrange(10 ** rng.randrange(1, 15))) / 100 for _ in range(400)]
    amounts += [Decimal(x) for x in ("0", "0.5", "1E+3", "1000.000", "12.345", "-3.50", "-0.00")]
    for amount in amounts:
        assert locales.format_money.__wrapped__(amount, currency, locale) == locales._babel_money(
            amount, currency, locale
        ), amount
    uses_shape = locales._money_shape(currency, locale) is not None
    assert uses_shape == (currency not in ("JPY", "BHD"))


def test_swiss_millions_keep_their_apostrophes() -> None:
    cases = {
        "123456.00": "CHF\u00a0123’456.00",
        "1234567.00": "CHF\u00a01’234’567.00",
        "12345678.90": "CHF\u00a012’345’678.90",
        "999999999.99": "CHF\u00a0999’999’999.99",
    }
    for amount, text in cases.items():
        assert locales.format_money(Decimal(amount), "CHF", "de-CH") == text
    # another currency in a Swiss letter is grouped the same way
    assert locales.format_money(Decimal("1234567"), "EUR", "de-CH") == "EUR\u00a01’234’567.00"


def test_a_swiss_letter_prints_a_million_grouped() -> None:
    raw = data(
        locale="de-CH",
        recipient={"postal_code": "8001", "city": "Zürich"},
        sender={"postal_code": "3011", "city": "Bern", "street": "Kramgasse 31", "country": "CH"},
        final_invoice={"amount": "1234567.00", "due_date": "2027-01-15"},
    )
    text = letterkit.render(letterkit.compose(raw), "txt").decode("utf-8")
    assert "CHF 1’234’567.00" in " ".join(text.split())


# -- 2. a currency in the amount cell --------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "cell", "named", "letters"),
    [
        ("de-DE", "£1,190.00", "GBP", "EUR"),
        ("de-DE", "$1,190.00", "dollars ($)", "EUR"),
        ("de-DE", "CHF 1'190.00", "CHF", "EUR"),
        ("de-DE", "1.190,00 SEK", "SEK", "EUR"),
        ("en-GB", "1.190,00 €", "EUR", "GBP"),
        ("en-GB", "USD 1,190.00", "USD", "GBP"),
        ("en-US", "£1,190.00", "GBP", "USD"),
        ("de-CH", "€ 1.190,00", "EUR", "CHF"),
        ("de-AT", "Fr. 1190", "CHF", "EUR"),
    ],
)
def test_a_currency_other_than_the_letters_is_an_error(
    locale: str, cell: str, named: str, letters: str
) -> None:
    found = problems(data(locale=locale, recipient={"country": "DE"}, final_invoice={"amount": cell}))
    assert len(found) == 1, found
    path, message = found[0]
    assert path == "final_invoice.amount"
    assert f"is in {named}, but this letter's amount is in {letters}" in message
    assert f"the currency of {locale}" in message


@pytest.mark.parametrize(
    ("locale", "cell"),
    [
        ("de-DE", "1.190,00 €"),
        ("de-DE", "EUR 1.190,00"),
        ("de-DE", "1190"),
        ("de-AT", "€ 1.190,00"),
        ("de-CH", "CHF 1’190.00"),
        ("de-CH", "Fr. 1190.00"),
        ("en-GB", "£1,190.00"),
        ("en-US", "$1,190.00"),
        ("en-US", "1,190.00 USD"),
    ],
)
def test_the_letters_own_currency_or_none_is_fine(locale: str, cell: str) -> None:
    termination = letterkit.validate(
        data(locale=locale, recipient={"country": "DE"}, final_invoice={"amount": cell})
    )
    assert termination.final_invoice is not None
    assert termination.final_invoice.amount.amount == Decimal("1190.00")
    assert termination.final_invoice.amount.currency == MONEY_SHAPES[locale][0]


def test_the_currency_key_decides_over_the_locale() -> None:
    ok = letterkit.validate(data(final_invoice={"amount": "£1,190.00", "currency": "GBP"}))
    assert ok.final_invoice is not None and ok.final_invoice.amount.currency == "GBP"
    dollars = letterkit.validate(data(refund={"amount": "$50", "currency": "CAD"}))  # $ is any dollar
    assert dollars.refund is not None and dollars.refund.amount.currency == "CAD"
    [(path, message)] = problems(data(refund={"amount": "£50.00", "currency": "USD"}))
    assert path == "refund.amount"
    assert "is in GBP, but this letter's amount is in USD (refund.currency is USD)" in message


def test_three_capitals_that_are_no_currency_are_no_amount() -> None:
    [(path, message)] = problems(data(final_invoice={"amount": "1190 ABC"}))
    assert path == "final_invoice.amount" and "is not an amount" in message


# -- 3. postcodes, due dates, postal addresses -----------------------------------------------


@pytest.mark.parametrize(
    ("locale", "party", "code", "country", "expect"),
    [
        ("de-DE", "recipient", "1067", None, ["German postcodes have 5 digits", "did you mean '01067'?"]),
        ("de-DE", "recipient", "010677", None, ["German postcodes have 5 digits", "give recipient.country"]),
        ("en-GB", "recipient", "1067", "DE", ["did you mean '01067'?"]),
        ("de-DE", "sender", "7017", "DE", ["did you mean '07017'?"]),
        ("de-AT", "recipient", "10115", None, ["Austrian postcodes have 4 digits"]),
        ("de-DE", "recipient", "801", "CH", ["Swiss postcodes have 4 digits"]),
        ("en-US", "recipient", "2134", None, ["US ZIP codes have 5 digits", "did you mean '02134'?"]),
        ("de-DE", "recipient", "D-80331", "DE", ["German postcodes have 5 digits"]),
    ],
)
def test_a_postcode_that_cannot_exist_in_its_country(
    locale: str, party: str, code: str, country: str | None, expect: list[str]
) -> None:
    fields: dict[str, Any] = {"postal_code": code}
    if country:
        fields["country"] = country
    found = problems(data(locale=locale, **{party: fields}))
    assert [path for path, _ in found] == [f"{party}.postal_code"], found
    for text in expect:
        assert text in found[0][1]
    if country:
        assert "give" not in found[0][1]  # the country was given: no hint to give one


@pytest.mark.parametrize(
    ("locale", "code", "country"),
    [
        ("de-DE", "01067", None),
        ("de-AT", "1010", None),
        ("de-CH", "8001", None),
        ("en-US", "62701", None),
        ("en-US", "62701-1234", None),
        ("en-GB", "SW1A 1AA", None),
        ("de-DE", "M1 1AA", None),  # a UK postcode: the address is in GB
        ("de-DE", "75001", "FR"),
        ("de-DE", "1012 AB", "NL"),
    ],
)
def test_valid_or_unchecked_postcodes_pass(locale: str, code: str, country: str | None) -> None:
    recipient: dict[str, Any] = {"postal_code": code, **({"country": country} if country else {})}
    letterkit.validate(data(locale=locale, recipient=recipient))


def test_a_final_invoice_cannot_fall_due_before_the_service_ends() -> None:
    [(path, message)] = problems(data(final_invoice={"amount": 100, "due_date": "2026-12-01"}))
    assert path == "final_invoice.due_date"
    assert "2026-12-01 is before the end date 2026-12-31" in message
    for due in ("2026-12-31", "2027-01-15"):
        letterkit.validate(data(final_invoice={"amount": 100, "due_date": due}))


def without_address(**changes: Any) -> dict[str, Any]:
    raw = data(**changes)
    for key in ("street", "postal_code", "city"):
        raw["recipient"].pop(key)
    return raw


def test_a_letter_needs_the_recipients_postal_address() -> None:
    with pytest.raises(InputError) as info:
        letterkit.compose(without_address(channel="letter"))
    [problem] = info.value.problems
    assert problem.path == "recipient"
    assert "recipient.street, recipient.postal_code, recipient.city are missing" in problem.message
    found = problems(without_address(channel="letter"), postal_address=True)
    assert found == [(problem.path, problem.message)]
    partial = data(channel="letter")
    partial["recipient"].pop("city")
    with pytest.raises(InputError) as info:
        letterkit.compose(partial)
    assert [(p.path, "recipient.city is missing" in p.message) for p in info.value.problems] == [
        ("recipient.city", True)
    ]


def test_an_email_or_an_input_without_a_channel_needs_no_postal_address() -> None:
    email = without_address(channel="email", recipient={"email": "anna.schneider@example.com"})
    assert letterkit.compose(email).channel == "email"
    letterkit.validate(email, postal_address=True)
    assert letterkit.compose(without_address()).channel == "letter"  # a draft: no channel given
    letterkit.validate(without_address(channel="letter"))  # only asked for by callers that post


# -- 4. English team salutations --------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "channel", "salutation", "closing"),
    [
        ("en-GB", "email", "Dear Acme team", "Kind regards"),  # without the legal form
        ("en-GB", "letter", "Dear Sir or Madam", "Yours faithfully"),
        ("en-US", "letter", "Dear Sir or Madam:", "Sincerely,"),  # a posted notice: formal (acc15)
        ("en-US", "email", "Dear Acme team,", "Best regards,"),
    ],
)
def test_a_company_without_a_contact_person(locale: str, channel: str, salutation: str, closing: str) -> None:
    place = {
        "en-GB": {"street": "1 High Street", "postal_code": "SW1A 1AA", "city": "London"},
        "en-US": {"street": "200 Main Street", "postal_code": "62701", "city": "Springfield", "state": "IL"},
    }[locale]
    raw = data(locale=locale, channel=channel)
    raw["recipient"] = {"company": "Acme Ltd", "email": "ops@acme.example.com", **place}
    letter = letterkit.compose(raw)
    assert (letter.salutation, letter.closing) == (salutation, closing)
    assert letter.findings == ()


# -- 5. the sender's own country lays out the sender's address --------------------------------

UK_SENDER = {
    "company": "Northwind Design Ltd",
    "name": "Emma Clarke",
    "street": "1 Deansgate",
    "postal_code": "M1 1AA",
    "city": "Manchester",
    "email": "emma@example.co.uk",
}


@pytest.mark.parametrize("country", [None, "GB", "gb"])
@pytest.mark.parametrize("channel", ["letter", "email"])
def test_a_uk_sender_of_a_german_letter_keeps_the_uk_layout(country: str | None, channel: str) -> None:
    raw = data(channel=channel, recipient={"email": "anna.schneider@example.com"})
    raw["sender"] = {**UK_SENDER, **({"country": country} if country else {})}
    letter = letterkit.compose(raw)
    # the UK layout, and the sender's country closes it: the letter crosses a border
    assert list(letter.sender_address[-2:]) == ["Manchester M1 1AA", "Vereinigtes Königreich"]
    assert letter.sender_line.endswith("1 Deansgate · Manchester M1 1AA · Vereinigtes Königreich")
    assert letter.footer[0] == "Northwind Design Ltd · 1 Deansgate · Manchester M1 1AA"
    # the recipient keeps the locale's layout, and the letter from the UK names the country
    assert list(letter.recipient_address[-2:]) == ["80331 München", "DEUTSCHLAND"]
    text = letterkit.render(letter, "txt").decode("utf-8")
    assert "M1 1AA Manchester" not in text
    assert letter.findings == ()


def test_the_country_of_an_address() -> None:
    assert locales.address_country(None, "M1 1AA", "de-DE") == "GB"
    assert locales.address_country(None, "SW1A 1AA", "en-US") == "GB"
    assert locales.address_country(None, "K1A 0B1", "de-DE") == "CA"
    assert locales.address_country(None, "01067", "en-GB") == "GB"  # digits say nothing: the locale's
    assert locales.address_country(None, None, "de-AT") == "AT"
    assert locales.address_country(" de ", "M1 1AA", "en-GB") == "DE"  # a given country decides


def test_amount_text_in_messages_keeps_its_apostrophe() -> None:
    """The message quotes the cell as written, so the user finds it in the sheet."""
    [(_, message)] = problems(data(final_invoice={"amount": "CHF 1'190.00"}))
    assert re.search(r"'CHF 1'190\.00' is in CHF", message)
