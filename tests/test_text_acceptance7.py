"""Acceptance findings (seventh run) of a native-editor review of the wording: each test
names the finding it checks and fails on the wording the review found."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import BASE
from test_spelling import DICTIONARY, checkable, require_hunspell, unknown_words, without_names

import letterkit
from letterkit.lint import lint

SENDER = BASE["sender"]
RECIPIENT = {**BASE["recipient"], "email": "anna@beispiel.de"}
PERSON = {
    "gender": "female",
    "first_name": "Maren",
    "last_name": "Schulz",
    "street": "Domplatz 4",
    "postal_code": "99084",
    "city": "Erfurt",
    "email": "maren@example.de",
}


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
    """The text of the paragraph that holds part ``name`` ('' when the letter has none)."""
    return next((block.text for block in letter.blocks if name in block.parts), "")


def clean(letter: letterkit.Letter) -> None:
    """The letter passes letterkit's own lint (as composed and as plain text) and hunspell."""
    assert letter.findings == (), [(f.rule, f.text) for f in letter.findings]
    text = "\n\n".join([letter.subject, letter.salutation, letter.body, letter.closing, *letter.signature])
    assert lint(text, lang=letter.lang, locale=letter.locale) == []
    require_hunspell()
    prose = checkable(without_names(letter.body, NAMES), letter.lang)
    assert unknown_words(DICTIONARY[letter.locale], prose) == ()


def compose(locale: str = "de-DE", **changes: Any) -> letterkit.Letter:
    letter = letterkit.compose(data(locale, **changes))
    clean(letter)
    return letter


# proper names in these tests' letters, which the spelling check leaves out
NAMES = ("Elbe IT Service", "Main Data GmbH", "Tim Lorenz", "Ruth Evans", "Lorenz", "Evans")

CONTACT = {"name": "Tim Lorenz", "email": "t.lorenz@example.de", "phone": "+49 391 555"}


# 1. The contact sentence: "erreichen Sie Tim Lorenz." read as cut off; "you can reach" was
#    a calque of the German.


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ({"name": "Tim Lorenz"}, "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte an Tim Lorenz."),
        (
            CONTACT,
            "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte an Tim Lorenz unter t.lorenz@example.de "
            "oder telefonisch unter +49 391 555.",
        ),
    ],
)
def test_german_contact_asks_the_reader_to_turn_to_the_contact(contact: dict[str, str], expected: str) -> None:
    letter = compose(handover={"contact": contact})
    assert part(letter, "contact").startswith(expected)
    assert "erreichen Sie" not in letter.body


@pytest.mark.parametrize("channel", ["letter", "email"])
def test_german_du_contact_and_the_sender_herself(channel: str) -> None:
    du = compose(register="du", channel=channel, recipient=PERSON, handover={"contact": {"name": "Tim Lorenz"}})
    assert "Bei Fragen zum weiteren Ablauf melde dich gern bei Tim Lorenz." in part(du, "contact")
    herself = compose()
    assert part(herself, "contact").startswith(
        "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte direkt an mich unter erika.muster@example.de."
    )


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ({"name": "Ruth Evans"}, "If you have any questions about the next steps, please contact Ruth Evans."),
        (
            {"name": "Ruth Evans", "email": "ruth@example.com", "phone": "+44 117 496"},
            "If you have any questions about the next steps, please contact Ruth Evans "
            "(ruth@example.com or +44 117 496).",
        ),
    ],
)
def test_english_contact_is_not_a_calque(locale: str, contact: dict[str, str], expected: str) -> None:
    letter = compose(locale, handover={"contact": contact})
    assert part(letter, "contact").startswith(expected)
    assert "you can reach" not in letter.body
    herself = compose(locale)
    assert "please contact me directly (erika.muster@example.de)" in part(herself, "contact")


# 2. The reference label „Vertrag vom: 1. März 2019“ reads as half a sentence.


@pytest.mark.parametrize(
    ("locale", "label", "value"),
    [
        ("de-DE", "Vertragsdatum", "1. März 2019"),
        ("de-AT", "Vertragsdatum", "1. März 2019"),
        ("en-GB", "Contract date", "1 March 2019"),
        ("en-US", "Contract date", "March 1, 2019"),
    ],
)
def test_contract_date_label_is_a_noun(locale: str, label: str, value: str) -> None:
    name = "Wartungsvertrag" if locale.startswith("de") else "Support Agreement"
    letter = compose(locale, contract={"name": name, "date": "2019-03-01"})
    assert (label, value) in [(r.label, r.value) for r in letter.references]
    assert "Vertrag vom" not in [r.label for r in letter.references]


# 3. Words that differ between British and American business English: a credit note is a
#    credit memo in the US, and a handover is a transition.

CREDIT = {"amount": 50, "method": "credit_note", "by": "2027-01-05"}
MEETING = {"meeting": "2026-12-15", "support_until": "2027-01-31"}


def test_us_letters_send_a_credit_memo_and_uk_letters_a_credit_note() -> None:
    us = compose("en-US", refund=CREDIT, handover=MEETING)
    assert "we will send you a credit memo for the unused $50.00 of your prepayment." in part(us, "refund")
    assert "credit note" not in us.body
    uk = compose("en-GB", refund=CREDIT, handover=MEETING)
    assert "we will send you a credit note for the unused £50.00 of your prepayment." in part(uk, "refund")


def test_us_letters_speak_of_a_transition_and_uk_letters_of_a_handover() -> None:
    us = part(compose("en-US", handover=MEETING), "handover")
    assert us.startswith("For a smooth transition, we suggest a meeting on December 15, 2026.")
    assert "questions about the transition by email" in us
    assert "handover" not in us
    uk = part(compose("en-GB", handover=MEETING), "handover")
    assert uk.startswith("For a smooth handover, we suggest a meeting on 15 December 2026.")
    assert "questions about the handover by email" in uk


# 4. The handover paragraph invited "your new provider" and then recommended providers
#    "if you are still looking": with recommendations, the invitation is conditional.

PROVIDERS = {"meeting": "2026-12-15", "providers": ["Elbe IT Service", "Main Data GmbH"]}


@pytest.mark.parametrize(("register", "reader"), [("sie", "Ihrem"), ("du", "deinem")])
def test_german_invitation_waits_for_the_choice_of_provider(register: str, reader: str) -> None:
    recipient = PERSON if register == "du" else RECIPIENT
    text = part(compose(register=register, recipient=recipient, handover=PROVIDERS), "handover")
    assert (
        f"vor, gern auch gemeinsam mit {reader} künftigen Dienstleister, sobald feststeht, wer das sein wird."
    ) in text
    assert "auf der Suche" in text
    plain = part(compose(register=register, recipient=recipient, handover={"meeting": "2026-12-15"}), "handover")
    assert plain.endswith(f"vor, gern auch gemeinsam mit {reader} künftigen Dienstleister.")


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_english_invitation_waits_for_the_choice_of_provider(locale: str) -> None:
    text = part(compose(locale, handover=PROVIDERS), "handover")
    assert "Your new provider, once chosen, is welcome to join us. If you are still looking" in text
    plain = part(compose(locale, handover={"meeting": "2026-12-15"}), "handover")
    assert plain.endswith("Your new provider is welcome to join us.")


# 5. The scope reason: „und Sie sollen die Qualität erhalten …“ / "and you deserve the
#    quality …" told the reader what they deserve; now we say what we could no longer give.


@pytest.mark.parametrize(
    ("locale", "register", "expected"),
    [
        (
            "de-DE",
            "sie",
            "Unser Team ist auf diesen Umfang nicht ausgelegt; die Qualität, die Sie zu Recht erwarten, "
            "könnten wir so nicht mehr sicherstellen.",
        ),
        (
            "de-DE",
            "du",
            "Unser Team ist auf diesen Umfang nicht ausgelegt; die Qualität, die du zu Recht erwartest, "
            "könnten wir so nicht mehr sicherstellen.",
        ),
        (
            "en-GB",
            None,
            "Our team is not set up for work on that scale, and we could no longer give you the quality "
            "you rightly expect.",
        ),
        (
            "en-US",
            None,
            "Our team is not set up for work on that scale, and we could no longer give you the quality "
            "you rightly expect.",
        ),
    ],
)
def test_scope_reason_says_what_we_could_no_longer_give(locale: str, register: str | None, expected: str) -> None:
    extra: dict[str, Any] = {"register": register, "recipient": PERSON} if register == "du" else {}
    for channel in ("letter", "email"):
        text = part(compose(locale, reasons=["scope"], channel=channel, **extra), "reasons")
        assert text.endswith(expected)
