"""Acceptance round 13: the end date is stated once, clearly, and later referred back to.

The subject and the decision give the end date; the paragraphs after it (services until
the end, the final invoice, the handover) say "bis zum Vertragsende", "bis dahin", "up
to that point" instead of repeating "31. Dezember 2026" four or five times. And a de-CH
termination in du closes as Swiss business writing does, not with "Liebe Grüsse".
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import letterkit

END = {
    "de-DE": "31. Dezember 2026",
    "de-AT": "31. Dezember 2026",
    "de-CH": "31. Dezember 2026",
    "en-GB": "31 December 2026",
    "en-US": "December 31, 2026",
}
VARIANTS = {
    # a letter with everything that once repeated the date
    "full": {
        "contract": {"name": "Wartungsvertrag", "reference": "W-1"},
        "steps_taken": [{"kind": "meeting", "date": "2026-10-12"}],
        "work": {"tasks": ["das Sicherheitsupdate"]},
        "final_invoice": {"number": "R-1", "amount": 500, "due_date": "2027-01-15"},
        "refund": {"amount": 40, "method": "bank_transfer", "by": "2027-01-10"},
        "handover": {
            "export": "alle Projektdateien",
            "accounts": ["Hosting"],
            "meeting": "2026-12-15",
            "support_until": "2027-01-31",
        },
    },
    # no contract, no further invoice (amount 0), a refund without date
    "bare": {
        "final_invoice": {"amount": 0},
        "refund": {"amount": 40, "method": "card"},
        "handover": {"export": "alle Projektdateien", "by": "2026-12-20", "accounts": ["Hosting", "Domain"]},
    },
    # an opening and an offset against the final invoice
    "opening": {
        "opening": {"discussed": "call", "date": "2026-11-20"},
        "contract": {"name": "Textbetreuung"},
        "final_invoice": {"amount": 500},
        "refund": {"amount": 40, "method": "offset"},
    },
}
GERMAN = [(loc, reg) for loc in ("de-DE", "de-AT", "de-CH") for reg in ("sie", "du")]
ENGLISH = [("en-GB", None), ("en-US", None)]


def letter_input(locale: str, register: str | None, channel: str, variant: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "locale": locale,
        "channel": channel,
        "date": "2026-11-26",
        "sender": {
            "company": "Muster GmbH",
            "name": "Erika Muster",
            "city": "Berlin",
            "country": "DE",
            "email": "erika@example.de",
        },
        "recipient": {
            "company": "Beispiel AG",
            "gender": "female",
            "first_name": "Anna",
            "last_name": "Schneider",
            "email": "anna@example.de",
            "street": "Nebenweg 2",
            "postal_code": "80331",
            "city": "München",
            "country": "DE",
        },
        "end_date": "2026-12-31",
        "reasons": ["capacity"],
        **VARIANTS[variant],
    }
    if register:
        data["register"] = register
    if locale.startswith("en"):
        if "work" in data:
            data["work"] = {"tasks": ["the security update"]}
        if "handover" in data:
            data["handover"] = {**data["handover"], "export": "all project files"}
        if "contract" in data:
            data["contract"] = {**data["contract"], "name": "maintenance contract"}
    return data


CASES = [
    (loc, reg, channel, variant)
    for (loc, reg), channel, variant in itertools.product(GERMAN + ENGLISH, ("letter", "email"), VARIANTS)
]


@pytest.mark.parametrize(("locale", "register", "channel", "variant"), CASES)
def test_end_date_is_stated_once_in_the_body(
    locale: str, register: str | None, channel: str, variant: str
) -> None:
    letter = letterkit.compose(letter_input(locale, register, channel, variant))
    end = END[locale]
    assert end in letter.subject
    decision = letter.part("opening") or letter.part("decision")
    assert end in decision[0].text, decision
    assert letter.body.count(end) == 1, letter.body


@pytest.mark.parametrize(("locale", "register", "channel", "variant"), CASES)
def test_the_final_invoice_follows_the_paragraph_it_refers_back_to(
    locale: str, register: str | None, channel: str, variant: str
) -> None:
    """The invoice's "Für alle bis dahin erbrachten Leistungen" / "up to that point" point back at the
    end of the services paragraph, which must therefore come right before the invoice."""
    letter = letterkit.compose(letter_input(locale, register, channel, variant))
    parts = [block.part for block in letter.blocks]
    invoice = parts.index("invoice")
    assert parts[invoice - 1] == "work"
    work = letter.part("work")[0].text
    if locale.startswith("de"):
        assert work.startswith(("Bis zum Vertragsende ", "Bis zum Ende unserer Zusammenarbeit "))
        assert "bis dahin" in letter.part("invoice")[0].text
        assert "Bis dahin" not in work  # "bis dahin" twice in a row
    else:
        assert work.startswith("Up to and including our last day of service, ")
        # named again, not "up to that point": the services paragraph may end on its tasks (tester 46)
        assert "up to our last day of service" in letter.part("invoice")[0].text


def test_the_german_handover_says_vertragsende_once() -> None:
    letter = letterkit.compose(letter_input("de-DE", "sie", "letter", "full"))
    data = letter.part("data")[0].text
    assert data == (
        "Vor dem Vertragsende stellen wir Ihnen alle Projektdateien bereit. Bis dahin übertragen wir "
        "ebenfalls den Zugang „Hosting“ auf Ihr Unternehmen. Danach entfernen wir "
        "unsere eigenen Berechtigungen und ändern die von uns genutzten Passwörter."
    )


def test_german_services_and_invoice_read_as_one_thought() -> None:
    letter = letterkit.compose(letter_input("de-DE", "du", "letter", "full"))
    assert letter.part("work")[0].text == (
        "Bis zum Vertragsende erbringen wir die vereinbarten Leistungen wie gewohnt und schließen "
        "noch das Sicherheitsupdate ab."
    )
    assert letter.part("invoice")[0].text.startswith(
        "Für alle bis dahin erbrachten Leistungen bekommst du gesondert die Schlussrechnung Nr. R-1 über "
        "500,00\u00a0€."
    )


@pytest.mark.parametrize(
    ("channel", "closing"), [("letter", "Freundliche Grüsse"), ("email", "Beste Grüsse")]
)
def test_swiss_du_termination_closes_as_business(channel: str, closing: str) -> None:
    letter = letterkit.compose(letter_input("de-CH", "du", channel, "opening"))
    assert letter.closing == closing
