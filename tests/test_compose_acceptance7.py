"""Acceptance findings (seventh run) on composed letters: the German article chosen from the
last word of a name whose head noun comes first ("die Rahmenvertrag IT-Betreuung"), a
name in quotation marks where the head noun is known ("den Vertrag „Mietverhältnis“"), an
article typed before the name doubled ("the the SEO retainer"), a number after a long name
read as its last word's, the person below the company in an English inside address, and
an offset prepayment that never said what remains to pay."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import BASE

import letterkit


def data(locale: str = "de-DE", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "locale": locale,
        "date": "2026-05-01",
        "sender": copy.deepcopy(BASE["sender"]),
        "recipient": {**copy.deepcopy(BASE["recipient"]), "first_name": "Anna"},
        "end_date": "2026-08-31",
    }
    base.update(changes)
    return base


def decision(letter: letterkit.Letter) -> str:
    return letter.blocks[0].text


def body(letter: letterkit.Letter) -> str:
    """The body with its no-break spaces (between amount and currency) as spaces."""
    return letter.body.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Rahmenvertrag IT-Betreuung", "den Rahmenvertrag IT-Betreuung Nr. X-1"),
        ("Mandat Steuerberatung", "das Mandat Steuerberatung Nr. X-1"),
        ("Dauerauftrag Reinigung", "den Dauerauftrag Reinigung Nr. X-1"),
        ("Mietverhältnis", "das Mietverhältnis Nr. X-1"),
        ("Dienstvertrag (IT)", "den Dienstvertrag (IT) Nr. X-1"),
        ('Software-Abonnement "Cloudwerk Pro"', "das Software-Abonnement „Cloudwerk Pro“ Nr. X-1"),
        ("Hosting Paket", "das Hosting Paket Nr. X-1"),
        ("Online-Marketing Betreuung", "die Online-Marketing Betreuung Nr. X-1"),
        ("SEO-Betreuung", "die SEO-Betreuung Nr. X-1"),
        ("Lizenz", "die Lizenz Nr. X-1"),
        ("den Wartungsvertrag", "den Wartungsvertrag Nr. X-1"),
        ("Pflege & Support", "den Vertrag „Pflege & Support“ Nr. X-1"),
        # a preposition adds to the head: the number in brackets, not read as the last word's
        ("Vertrag über Suchmaschinenoptimierung", "den Vertrag über Suchmaschinenoptimierung (Nr. X-1)"),
        (
            "Treuhandmandat für die Lohnbuchhaltung und die Mehrwertsteuerabrechnung",
            "das Treuhandmandat für die Lohnbuchhaltung und die Mehrwertsteuerabrechnung (Nr. X-1)",
        ),
    ],
)
def test_german_contract_phrase_follows_the_head_noun(name: str, phrase: str) -> None:
    letter = letterkit.compose(data(contract={"name": name, "reference": "X-1"}))
    assert f"kündigen wir {phrase} fristgerecht" in decision(letter)
    assert letter.findings == ()


def test_the_subject_puts_the_number_of_a_joined_name_in_brackets() -> None:
    name = "Treuhandmandat für die Lohnbuchhaltung"
    letter = letterkit.compose(data("de-CH", contract={"name": name, "reference": "TM-004"}))
    assert letter.subject == f"Kündigung {name} (Nr. TM-004) zum 31. August 2026"


@pytest.mark.parametrize(
    "typed", ["the SEO retainer", "The SEO retainer", "our SEO retainer", "SEO retainer"]
)
def test_an_article_typed_before_an_english_name_is_not_doubled(typed: str) -> None:
    letter = letterkit.compose(data("en-GB", contract={"name": typed, "reference": "BS-31"}))
    assert "terminating the SEO retainer (reference BS-31)" in decision(letter)
    assert letter.subject.startswith("Notice of termination: SEO retainer BS-31")


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_the_person_stands_above_the_company_in_an_english_address(locale: str) -> None:
    letter = letterkit.compose(data(locale))
    company = BASE["recipient"]["company"]
    lines = list(letter.recipient_address)
    assert lines[0].endswith("Anna " + BASE["recipient"]["last_name"]) and lines[1] == company


def test_the_company_stands_above_the_person_in_a_german_address() -> None:
    lines = list(letterkit.compose(data()).recipient_address)
    assert lines[0] == BASE["recipient"]["company"] and lines[1].startswith("Frau ")


OFFSET = {"amount": 500, "method": "offset"}


@pytest.mark.parametrize(
    ("locale", "register", "expected"),
    [
        (
            "de-DE",
            "sie",
            "Vorauszahlung in Höhe von 500,00 € ab; es verbleiben 700,00 €. Bitte überweisen Sie diesen "
            "Betrag bis zum 15. September 2026",
        ),
        ("de-CH", "du", "in Höhe von CHF 500.00 ab; es verbleiben CHF 700.00. Bitte überweise diesen Betrag"),
        (
            "en-US",
            "sie",
            "from this amount, leaving $700.00 to pay. The remaining amount is due by September 15, 2026",
        ),
    ],
)
def test_an_offset_prepayment_says_what_remains(locale: str, register: str, expected: str) -> None:
    invoice = {"amount": 1200, "due_date": "2026-09-15"}
    letter = letterkit.compose(data(locale, register=register, final_invoice=invoice, refund=OFFSET))
    assert expected in body(letter)
    assert letter.findings == ()


@pytest.mark.parametrize(
    ("locale", "expected", "absent"),
    [
        ("de-DE", "500,00 € ab; damit ist die Rechnung vollständig beglichen.", "überweisen"),
        ("en-GB", "from this amount, which settles it in full.", "is due by"),
    ],
)
def test_an_offset_that_covers_the_invoice_asks_for_no_payment(
    locale: str, expected: str, absent: str
) -> None:
    invoice = {"amount": 500, "due_date": "2026-09-15"}
    letter = letterkit.compose(data(locale, final_invoice=invoice, refund=OFFSET))
    assert expected in body(letter) and absent not in body(letter)
