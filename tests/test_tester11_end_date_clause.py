"""A date after "bis"/"until" is the end date when the sentence goes on until then ("Bis
zum 31. Dezember sind wir weiterhin für Sie da"). The going-on word must belong to the
date: a payment deadline followed by a clause with "weitere Maßnahmen" or "weiter
vorbereiten" ends nothing (tester 11: "Wir erwarten Ihre Zahlung bis spätestens 5. Dezember,
andernfalls sehen wir uns gezwungen, weitere Maßnahmen zu prüfen" stood in for the missing
end date of a whole letter)."""

from __future__ import annotations

import pytest

from letterkit.lint import lint

MISSING = "structure/missing-end-date"


def german(decision: str, other: str) -> str:
    return (
        f"Sehr geehrte Frau Hansen,\n\n{decision}\n\n{other}\n\n"
        "Vielen Dank für die gute Zusammenarbeit und alles Gute.\n\nMit freundlichen Grüßen\nLars Petersen\n"
    )


def english(decision: str, other: str) -> str:
    return (
        f"Dear Ms Hansen,\n\n{decision}\n\n{other}\n\n"
        "Thank you for working with us, and all the best.\n\nKind regards\nLars Petersen\n"
    )


def rules(text: str, lang: str) -> list[str]:
    return [f.rule for f in lint(text, lang=lang)]


@pytest.mark.parametrize(
    "other",
    [
        "Wir erwarten Ihre Zahlung bis spätestens 5. Dezember 2026, andernfalls sehen wir uns gezwungen, "
        "weitere Maßnahmen zu prüfen.",
        "Bitte senden Sie uns die Unterlagen bis zum 10. Dezember 2026, damit wir die Übergabe weiter "
        "vorbereiten können.",
    ],
)
def test_a_german_deadline_with_going_on_in_another_clause_is_no_end_date(other):
    decision = "Nach reiflicher Überlegung haben wir entschieden, die Betreuung Ihres Onlineshops zu beenden."
    assert MISSING in rules(german(decision, other), "de")


@pytest.mark.parametrize(
    "other",
    [
        "Please let us know until 5 December 2026, so that we can continue with the handover.",
        "Please return the keys until 20 January 2027; our office remains open for questions.",
    ],
)
def test_an_english_deadline_with_going_on_in_another_clause_is_no_end_date(other):
    assert MISSING in rules(english("We are ending our garden maintenance contract.", other), "en")


@pytest.mark.parametrize(
    "other",
    [
        "Bis zum 31. Dezember 2026 sind wir weiterhin für Sie da.",
        "Bis zum 31. Dezember 2026, dem letzten Tag des Vertrags, betreuen wir Ihren Shop weiterhin.",
        "Bis zum 31. März 2027 betreuen wir Ihren Shop wie gewohnt, danach übernimmt Ihre neue Agentur.",
        "Wir sind weiterhin für Sie da, und zwar bis zum 31. März 2027.",
        "Bis Ende Januar 2027 gestalten wir noch die Karte für die Wintersaison fertig.",
    ],
)
def test_a_german_end_date_that_goes_on_is_still_read(other):
    decision = "Nach reiflicher Überlegung haben wir entschieden, die Betreuung Ihres Onlineshops zu beenden."
    assert MISSING not in rules(german(decision, other), "de")


@pytest.mark.parametrize(
    "other",
    [
        "We will keep looking after your garden until 31 December 2026.",
        "Until 31 December 2026, as agreed, we will continue to look after your garden.",
        "We will continue to look after your garden, that is, until 31 December 2026.",
    ],
)
def test_an_english_end_date_that_goes_on_is_still_read(other):
    assert MISSING not in rules(english("We are ending our garden maintenance contract.", other), "en")
