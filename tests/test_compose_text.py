"""Wording that depends on other parts of the input: the reminders step and the reasons.

A reminder step says what the reminders were about when one of the letter's reasons
tells it (payment_terms: payment reminders; missing_inputs: documents and approvals;
payment first when both are given); with other reasons or none it stays neutral. It never mentions
invoices or payments the input does not.
"""

from __future__ import annotations

from typing import Any

import pytest

import letterkit
from letterkit.parts import reason_codes

REGISTERS = [
    ("de-DE", "sie"),
    ("de-DE", "du"),
    ("de-AT", "sie"),
    ("de-CH", "du"),
    ("en-GB", None),
    ("en-US", None),
]
PAYMENT_WORDS = {"de": ("Rechnung", "Zahlung"), "en": ("invoice", "payment", "unpaid", "outstanding")}
SPECIFIC = {
    "payment_terms": {"de": "Zahlungserinnerungen", "en": "payment reminders"},
    "missing_inputs": {
        "de": "an die benötigten Unterlagen und Freigaben erinnert",
        "en": "reminders about the documents",
    },
}
NEUTRAL = {"de": "schriftlich an", "en": "followed up with you in writing"}


def letter_input(
    locale: str, register: str | None, reasons: list[str], step: dict[str, Any]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "locale": locale,
        "date": "2026-11-26",
        "sender": {"company": "Muster GmbH", "name": "Erika Muster", "city": "Berlin", "country": "DE"},
        "recipient": {
            "company": "Beispiel AG",
            "gender": "female",
            "first_name": "Anna",
            "last_name": "Schneider",
        },
        "end_date": "2026-12-31",
        "reasons": reasons,
        "steps_taken": [{"kind": "reminders", **step}],
    }
    if register:
        data["register"] = register
    return data


def steps_text(data: dict[str, Any]) -> str:
    letter = letterkit.compose(data)
    assert letter.findings == (), [(f.rule, f.text) for f in letter.findings]
    return next(block.text for block in letter.blocks if block.part == "steps")


@pytest.mark.parametrize("reason", reason_codes())
@pytest.mark.parametrize(("locale", "register"), REGISTERS)
def test_reminders_fit_each_reason(locale: str, register: str | None, reason: str) -> None:
    lang = locale[:2]
    text = steps_text(letter_input(locale, register, [reason], {"count": 3}))
    sentence = text.split(". ")[0]
    if reason in SPECIFIC:
        assert SPECIFIC[reason][lang] in sentence, sentence
    else:
        assert NEUTRAL[lang] in sentence, sentence
    if reason != "payment_terms":
        assert not any(word.lower() in sentence.lower() for word in PAYMENT_WORDS[lang]), sentence


@pytest.mark.parametrize(("locale", "register"), REGISTERS)
@pytest.mark.parametrize("reasons", [[], ["capacity"], ["capacity", "working_style"]])
def test_reminders_are_neutral_without_a_reason_that_tells_what_about(
    locale: str, register: str | None, reasons: list[str]
) -> None:
    lang = locale[:2]
    sentence = steps_text(letter_input(locale, register, reasons, {"count": 2})).split(". ")[0]
    assert NEUTRAL[lang] in sentence
    assert not any(word.lower() in sentence.lower() for word in PAYMENT_WORDS[lang]), sentence


@pytest.mark.parametrize(
    ("locale", "reason", "step", "expected"),
    [
        ("en-GB", "payment_terms", {"count": 3}, "We have sent you three payment reminders."),
        ("en-GB", "payment_terms", {"count": 1}, "We have sent you a payment reminder."),
        (
            "en-US",
            "payment_terms",
            {"count": 2, "dates": ["2026-08-05", "2026-09-02"]},
            "On August 5 and September 2, 2026, we sent you payment reminders.",
        ),
        (
            "en-GB",
            "missing_inputs",
            {"dates": ["2026-08-05"]},
            "On 5 August 2026, we sent you a reminder about the documents and approvals we need.",
        ),
        ("en-GB", "working_style", {"count": 2}, "We have followed up with you in writing twice."),
        ("en-GB", "working_style", {"count": 3}, "We have followed up with you in writing three times."),
        ("en-GB", "working_style", {}, "We have followed up with you in writing."),
        ("de-DE", "payment_terms", {"count": 3}, "Wir haben Ihnen drei Zahlungserinnerungen geschickt."),
        (
            "de-DE",
            "payment_terms",
            {"dates": ["2026-08-05", "2026-09-02"]},
            "Wir haben Ihnen Zahlungserinnerungen vom 5. August und 2. September 2026 geschickt.",
        ),
        (
            "de-DE",
            "missing_inputs",
            {"count": 2},
            "Wir haben Sie zweimal an die benötigten Unterlagen und Freigaben erinnert.",
        ),
        ("de-DE", "working_style", {"count": 3}, "Wir haben uns dreimal schriftlich an Sie gewandt."),
        ("de-DE", "working_style", {"count": 1}, "Wir haben uns schriftlich an Sie gewandt."),
        (
            "de-DE",
            "working_style",
            {"dates": ["2026-08-05"]},
            "Am 5. August 2026 haben wir uns schriftlich an Sie gewandt.",
        ),
    ],
)
def test_reminder_sentences(locale: str, reason: str, step: dict[str, Any], expected: str) -> None:
    text = steps_text(letter_input(locale, "sie" if locale.startswith("de") else None, [reason], step))
    assert text.startswith(expected), text


def test_recommendation_after_a_handover_meeting_says_still_looking() -> None:
    data = letter_input("en-GB", None, ["capacity"], {"count": 2})
    data["handover"] = {"meeting": "2026-12-10", "providers": ["Calder Accounts Ltd"]}
    letter = letterkit.compose(data)
    handover = next(block.text for block in letter.blocks if block.part == "handover")
    assert "Your new provider, once chosen, is welcome to join us." in handover
    assert "If you are still looking for a new provider, we can recommend Calder Accounts Ltd." in handover
    del data["handover"]["meeting"]
    handover = next(block.text for block in letterkit.compose(data).blocks if block.part == "handover")
    assert handover == "If you are looking for a new provider, we can recommend Calder Accounts Ltd."


@pytest.mark.parametrize(
    ("accounts", "expected"),
    [
        (["Xero"], "ownership of the Xero account to your company."),
        (["Xero", "Dropbox"], "the following accounts to your company: Xero and Dropbox."),
    ],
)
def test_one_account_is_singular(accounts: list[str], expected: str) -> None:
    data = letter_input("en-GB", None, ["capacity"], {"count": 2})
    data["handover"] = {"accounts": accounts}
    letter = letterkit.compose(data)
    assert expected in next(block.text for block in letter.blocks if block.part == "data")


def test_word_sets_of_the_locale_data_are_made_once_per_data_and_key() -> None:
    """The legal forms, nobility ranks ... as sets, kept per loaded data: another data
    object (another language, a changed file loaded again) gets its own."""
    from letterkit.compose import _word_set

    first, other = {"legal_forms": ["Inc.", "LLC"]}, {"legal_forms": ["GmbH"]}
    assert _word_set(first, "legal_forms", fold=True) == {"inc.", "llc"}
    assert _word_set(first, "legal_forms") == {"Inc.", "LLC"}
    assert _word_set(other, "legal_forms", fold=True) == {"gmbh"}
    assert _word_set(first, "missing") == frozenset()
    assert _word_set(first, "legal_forms", fold=True) is _word_set(first, "legal_forms", fold=True)
