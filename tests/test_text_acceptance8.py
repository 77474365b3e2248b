"""Acceptance findings (eighth run) of an outside user's review of generated letters: each
test names the finding it checks and fails on the wording the review found."""

from __future__ import annotations

from typing import Any

import pytest
from test_text_acceptance7 import clean

import letterkit

SENDER_GB = {
    "company": "Pennine Web Ltd",
    "name": "Tom Barker",
    "street": "1 Mill Lane",
    "postal_code": "HX1 1AA",
    "city": "Halifax",
}
RECIPIENT_GB = {
    "company": "Bell Print Ltd",
    "gender": "female",
    "first_name": "Jo",
    "last_name": "Bell",
    "street": "1 Albert Square",
    "postal_code": "M1 1AA",
    "city": "Manchester",
    "email": "jo@bellprint.example",
}
SENDER_US = {
    "company": "Lakeside Digital LLC",
    "name": "Dana Cruz",
    "street": "200 Main Street",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
}
RECIPIENT_US = {
    "company": "Harbor Goods Inc.",
    "gender": "male",
    "first_name": "Sam",
    "last_name": "Lee",
    "street": "12 Elm Street",
    "city": "Portland",
    "state": "OR",
    "postal_code": "97201",
    "email": "sam@harbor.example",
}


def english(locale: str, contract: dict[str, Any]) -> letterkit.Letter:
    gb = locale == "en-GB"
    letter = letterkit.compose(
        {
            "locale": locale,
            "date": "2026-11-26",
            "sender": SENDER_GB if gb else SENDER_US,
            "recipient": RECIPIENT_GB if gb else RECIPIENT_US,
            "contract": contract,
            "end_date": "2026-12-31",
            "reasons": ["capacity"],
        }
    )
    assert letter.findings == (), [(f.rule, f.text) for f in letter.findings]
    return letter


# P1. "we are terminating the Website maintenance (reference WM-1)": an English contract
# name that is not a kind of contract was put bare after "the", which reads as the service
# itself; it is now quoted and called an agreement, as German says "den Vertrag „…“".
@pytest.mark.parametrize(
    ("locale", "name", "phrase"),
    [
        ("en-GB", "Website maintenance", "terminating the ‘Website maintenance’ agreement (reference WM-1)."),
        (
            "en-US",
            "Social Media Management",
            "terminating the “Social Media Management” agreement (reference WM-1).",
        ),
        (
            "en-GB",
            "Bookkeeping services",
            "terminating the ‘Bookkeeping services’ agreement (reference WM-1).",
        ),
        ("en-GB", "the Brand refresh", "terminating the ‘Brand refresh’ agreement (reference WM-1)."),
        # a name that says what kind of contract it is stays as typed
        ("en-GB", "SEO retainer", "terminating the SEO retainer (reference WM-1)."),
        ("en-US", "Monthly hosting plan", "terminating the monthly hosting plan (reference WM-1)."),
        ("en-US", "Master Services Agreement", "terminating the Master Services Agreement (reference WM-1)."),
        # the head decides (code review): plurals, abbreviations, a name extended by "of"
        ("en-US", "MSA", "terminating the MSA (reference WM-1)."),
        ("en-GB", "Framework Agreements", "terminating the Framework Agreements (reference WM-1)."),
        ("en-GB", "Statement of Work", "terminating the Statement of Work (reference WM-1)."),
        ("en-GB", "Agreement for IT support", "terminating the Agreement for IT support (reference WM-1)."),
        ("en-GB", "Plan B hosting", "terminating the ‘Plan B hosting’ agreement (reference WM-1)."),
        # a year after the head, an owner before it (final acceptance run, F1, F2)
        (
            "en-GB",
            "Master Services Agreement 2024",
            "terminating the Master Services Agreement 2024 (reference WM-1).",
        ),
        (
            "en-US",
            "Website Maintenance Contract (2023)",
            # round 21: no second pair of brackets after the name's own
            "terminating the Website Maintenance Contract (2023), reference WM-1.",
        ),
        ("en-GB", "Bob's hosting plan", "terminating Bob's hosting plan (reference WM-1)."),
    ],
)
def test_an_english_contract_name_reads_as_a_contract(locale: str, name: str, phrase: str) -> None:
    letter = english(locale, {"name": name, "reference": "WM-1"})  # lint-clean
    assert phrase in " ".join(letter.body.split())
    if not any(word.isupper() for word in name.split()):  # hunspell knows no MSA or IT
        clean(letter)


# P13. Straight quotation marks typed in an English contract's name stayed straight
# (German made them typographic): now the locale's marks, nested the locale's way (UK:
# single outside, double inside; US: the other way round).
@pytest.mark.parametrize(
    ("locale", "name", "printed"),
    [
        ("en-GB", 'Cloud "Pro" plan', "the Cloud ‘Pro’ plan"),
        ("en-US", 'Cloud "Pro" plan', "the Cloud “Pro” plan"),
        ("en-GB", 'Cloudwerk "Pro"', "the ‘Cloudwerk “Pro”’ agreement"),
        ("en-US", 'Cloudwerk "Pro"', "the “Cloudwerk ‘Pro’” agreement"),
    ],
)
def test_quotation_marks_in_an_english_contract_name_are_the_locales(
    locale: str, name: str, printed: str
) -> None:
    letter = english(locale, {"name": name})
    body = " ".join(letter.body.split())
    assert printed in body
    assert '"' not in body


# F4 (final acceptance run). Dates that are the end date itself (the invoice's due date, a
# credit note, the handover, the handover meeting, questions answered until) repeated it
# up to six times; they now refer back to it.
@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_later_dates_that_are_the_end_date_refer_back_to_it(locale: str) -> None:
    end = "2026-12-31"
    data = {
        "locale": locale,
        "date": "2026-11-26",
        "sender": SENDER_GB,
        "recipient": RECIPIENT_GB,
        "contract": {"name": "Wartungsvertrag" if locale == "de-DE" else "Support agreement"},
        "end_date": end,
        "reasons": ["capacity"],
        "final_invoice": {"number": "R-1", "amount": "100", "due_date": end},
        "refund": {"amount": "20", "method": "credit_note", "by": end},
        "handover": {
            "export": "alle Dateien" if locale == "de-DE" else "all files",
            "by": end,
            "meeting": end,
            "support_until": end,
        },
    }
    letter = letterkit.compose(data)
    assert letter.findings == ()
    written = "31. Dezember 2026" if locale == "de-DE" else "31 December 2026"
    assert " ".join(letter.body.split()).count(written) == 1
    back = "Vertragsende" if locale == "de-DE" else "our last day of service"
    assert " ".join(letter.body.split()).count(back) >= 4
