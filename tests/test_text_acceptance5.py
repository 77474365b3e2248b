"""Acceptance findings (fifth run) on the wording and formatting of letters: a refund's date
read as part of its method (1), the contact paragraph mixing "ich" and "wir" and repeating
the sender's own address in an email (2), a list of dates repeating the year (3) and a
foreign currency in a German letter written with its symbol (4)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from conftest import BASE

import letterkit
from letterkit import locales
from letterkit.lint import lint

# the shared test input's parties (conftest.BASE), the recipient with an email address
SENDER = BASE["sender"]
RECIPIENT = {**BASE["recipient"], "email": "anna@beispiel.de"}


def data(locale: str = "de-DE", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "locale": locale,
        "date": "2026-11-26",
        "sender": copy.deepcopy(SENDER),
        "recipient": copy.deepcopy(RECIPIENT),
        "end_date": "2026-12-31",
    }
    base.update(changes)
    return base


def part(letter: letterkit.Letter, name: str) -> str:
    """The text of the paragraph that holds part ``name``."""
    return next(block.text for block in letter.blocks if name in block.parts)


def clean(letter: letterkit.Letter) -> None:
    """The letter passes letterkit's own lint, as composed and as plain text."""
    assert letter.findings == (), [(f.rule, f.text) for f in letter.findings]
    text = "\n\n".join([letter.subject, letter.salutation, letter.body, letter.closing, *letter.signature])
    assert lint(text, lang=letter.lang, locale=letter.locale) == []


# 1. A refund's date opens the English sentence: at its end it read as part of the method
#    ("the card used for payment by 5 January 2027").

REFUNDS_EN = {
    "card": "By 5 January 2027, we will refund the unused £50.00 of your prepayment to the card you paid with.",
    "bank_transfer": "By 5 January 2027, we will refund the unused £50.00 of your prepayment by bank transfer.",
    "paypal": "By 5 January 2027, we will refund the unused £50.00 of your prepayment via PayPal.",
    "credit_note": "By 5 January 2027, we will send you a credit note for the unused £50.00 of your prepayment.",
    "": "By 5 January 2027, we will refund the unused £50.00 of your prepayment.",
}


def refund(method: str) -> dict[str, Any]:
    """A refund of 50 by 5 January 2027; method "" gives no method."""
    return {"amount": 50, "kind": "prepayment", "by": "2027-01-05", **({"method": method} if method else {})}


@pytest.mark.parametrize("method", sorted(REFUNDS_EN))
def test_english_refund_date_comes_first(method: str) -> None:
    letter = letterkit.compose(data("en-GB", refund=refund(method)))
    assert REFUNDS_EN[method] in part(letter, "refund")
    clean(letter)


def test_english_refund_without_date_and_us_comma() -> None:
    plain = letterkit.compose(data("en-GB", refund={"amount": 50, "kind": "prepayment", "method": "card"}))
    # round 21: a refund without a date says when; the unused prepayment after the last day
    assert (
        "After our last day of service, we will refund the unused £50.00 of your prepayment to the card you paid with."
        in plain.body
    )
    us = letterkit.compose(
        data("en-US", refund={"amount": 50, "kind": "prepayment", "method": "card", "by": "2027-01-05"})
    )
    assert "By January 5, 2027, we will refund the unused $50.00" in us.body


def test_english_due_date_is_not_read_as_the_invoice_date() -> None:
    letter = letterkit.compose(
        data("en-GB", final_invoice={"number": "A-1", "amount": 400, "due_date": "2027-01-15"})
    )
    assert "The amount is due by 15 January 2027, payable to the account shown on the invoice." in letter.body
    assert "invoice by" not in letter.body
    clean(letter)


@pytest.mark.parametrize("method", sorted(REFUNDS_EN))
def test_german_refund_names_the_date_before_the_method(method: str) -> None:
    letter = letterkit.compose(data(refund=refund(method)))
    text = part(letter, "refund")
    assert "bis zum 5. Januar 2027" in text
    assert text.rstrip(".").endswith(("zurück", "bezahlt haben", "PayPal", "Gutschrift", "2027"))
    clean(letter)


# 2. The contact paragraph keeps one person (ich with ich, wir with wir) and an email does
#    not spell out the sender's own address: the reader simply replies.


def test_german_email_from_the_contact_herself_offers_a_reply() -> None:
    letter = letterkit.compose(
        data(
            "de-CH",
            channel="email",
            register="du",
            recipient={"first_name": "Beat", "last_name": "Frei", "gender": "male", "email": "beat@frei.ch"},
            sender={"company": "Texterei Keller", "name": "Sandra Keller", "email": "e@s.ch", "city": "Bern"},
        )
    )
    text = part(letter, "contact")
    assert text == (
        # round 21: a company ("Texterei Keller") writes "wir" in every part, here too
        "Bei Fragen zum weiteren Ablauf antworte uns einfach auf diese E-Mail. Bitte bestätige uns kurz den Eingang."
    )
    assert "e@s.ch" not in letter.body
    clean(letter)


def test_german_email_with_the_senders_phone() -> None:
    sender = {**SENDER, "phone": "+49 30 1234567"}
    letter = letterkit.compose(data(channel="email", sender=sender))
    assert part(letter, "contact") == (
        # round 21: the sender is a company, which writes "wir" in every part
        "Bei Fragen zum weiteren Ablauf antworten Sie uns einfach auf diese E-Mail oder rufen Sie uns unter "
        "+49 30 1234567 an. Bitte bestätigen Sie uns kurz den Eingang."
    )
    clean(letter)


def test_german_letter_from_the_contact_herself_says_mir() -> None:
    # round 21: the paragraph keeps one person form, and it is the letter's: a company
    # (Muster Webdesign GmbH) says "uns" here as it says "wir" everywhere else
    letter = letterkit.compose(data(register="du"))
    text = part(letter, "contact")
    assert "melde dich gern bei uns unter erika.muster@example.de" in text
    assert "Bitte bestätige uns kurz den Eingang dieses Schreibens." in text
    assert " mir " not in f" {text} " and " mich " not in f" {text} "
    clean(letter)


def test_another_contact_keeps_we_and_their_address() -> None:
    contact = {"name": "Jonas Weber", "email": "jonas@example.de", "phone": "+49 30 555"}
    letter = letterkit.compose(data(channel="email", handover={"contact": contact}))
    assert part(letter, "contact") == (
        "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte an Jonas Weber unter jonas@example.de oder "
        "telefonisch unter +49 30 555. Bitte bestätigen Sie uns kurz den Eingang dieser E-Mail."
    )
    english = letterkit.compose(data("en-GB", channel="email", handover={"contact": contact}))
    assert "please contact Jonas Weber at jonas@example.de or +49 30 555." in part(english, "contact")


def test_english_email_does_not_repeat_the_senders_address() -> None:
    letter = letterkit.compose(
        data(
            "en-US",
            channel="email",
            sender={"company": "Doe IT Support", "name": "Chris Doe", "email": "chris@doeit.com"},
            recipient={
                "gender": "diverse",
                "first_name": "Sam",
                "last_name": "Taylor",
                "email": "s@example.com",
            },
        )
    )
    text = part(letter, "contact")
    assert text == (
        "Please confirm receipt of this email. If you have any questions about the next steps, just reply."
    )
    assert "chris@doeit.com" not in letter.body
    with_phone = letterkit.compose(data("en-GB", channel="email", sender={**SENDER, "phone": "+44 117 496"}))
    # round 21: a company says "us" here too
    assert part(with_phone, "contact").endswith("just reply or call us directly at +44 117 496.")
    clean(with_phone)


def test_english_letter_still_gives_the_address() -> None:
    letter = letterkit.compose(data("en-GB"))
    assert "please contact us at erika.muster@example.de." in part(letter, "contact")  # round 21: "us"


# 3. A list of dates in one year writes the year once, at the end.

DATES = [date(2026, 9, 1), date(2026, 10, 1)]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de-DE", "1. September und 1. Oktober 2026"),
        ("de-CH", "1. September und 1. Oktober 2026"),
        ("en-GB", "1 September and 1 October 2026"),
        ("en-US", "September 1 and October 1, 2026"),
    ],
)
def test_join_dates_writes_a_shared_year_once(locale: str, expected: str) -> None:
    assert locales.join_dates(DATES, locale) == expected


def test_join_dates_keeps_jaenner_lists_three_and_mixed_years() -> None:
    assert (
        locales.join_dates([date(2026, 1, 5), date(2026, 2, 1)], "de-AT") == "5. Jänner und 1. Februar 2026"
    )
    three = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    assert locales.join_dates(three, "en-US") == "August 1, September 1, and October 1, 2026"
    assert locales.join_dates(three, "en-GB") == "1 August, 1 September and 1 October 2026"
    mixed = [date(2025, 12, 1), date(2026, 1, 5)]
    assert locales.join_dates(mixed, "de-DE") == "1. Dezember 2025 und 5. Januar 2026"
    assert locales.join_dates(mixed, "en-US") == "December 1, 2025, and January 5, 2026"
    assert locales.join_dates([date(2026, 1, 5)], "de-AT") == "5. Jänner 2026"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de-DE", "Wir haben Ihnen Zahlungserinnerungen vom 1. September und 1. Oktober 2026 geschickt."),
        ("en-US", "On September 1 and October 1, 2026, we sent you payment reminders."),
    ],
)
def test_letter_lists_step_dates_with_one_year(locale: str, expected: str) -> None:
    steps = [{"kind": "reminders", "dates": ["2026-09-01", "2026-10-01"]}]
    letter = letterkit.compose(data(locale, reasons=["payment_terms"], steps_taken=steps))
    assert expected in part(letter, "steps")
    clean(letter)


# 4. A currency that is not the locale's own is written with its ISO code in German letters
#    (DIN 5008), where the locale puts the symbol; English keeps CLDR's symbols.


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("de-DE", "500", "USD", "500,00\u00a0USD"),
        ("de-DE", "500", "CHF", "500,00\u00a0CHF"),
        ("de-DE", "1250", "GBP", "1.250,00\u00a0GBP"),
        ("de-DE", "1190", "EUR", "1.190,00\u00a0€"),
        ("de-AT", "1190", "EUR", "€\u00a01.190,00"),
        ("de-AT", "500", "USD", "USD\u00a0500,00"),
        ("de-CH", "1250", "CHF", "CHF\u00a01’250.00"),
        ("de-CH", "1250", "USD", "USD\u00a01’250.00"),
        ("de-CH", "500", "EUR", "EUR\u00a0500.00"),
        ("en-GB", "500", "USD", "US$500.00"),
        ("en-US", "500", "EUR", "€500.00"),
    ],
)
def test_foreign_currency_in_german_by_iso_code(
    locale: str, amount: str, currency: str, expected: str
) -> None:
    assert locales.format_money(Decimal(amount), currency, locale) == expected


def test_german_letter_with_an_invoice_in_dollars() -> None:
    letter = letterkit.compose(
        data(
            final_invoice={"number": "A-1", "amount": 500, "currency": "USD"},
            refund={"amount": 20, "currency": "USD"},
        )
    )
    assert "Schlussrechnung Nr. A-1 über 500,00\u00a0USD." in letter.body
    assert "20,00\u00a0USD" in letter.body
    assert "$" not in letter.body
    clean(letter)
