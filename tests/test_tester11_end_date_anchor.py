"""A missing end date is reported at the decision: the writer's sentence that ends or stops
something ("we have decided to stop handling deliveries", "hiermit kündigen wir"), not at
a later sentence that happens to hold a word for ending ("please give the depot office a
day's notice"; tester 11: the error underlined "notice" in the sentence about collecting
pallets)."""

from __future__ import annotations

import pytest

from letterkit.lint import lint

MISSING = "structure/missing-end-date"


def english(decision: str, other: str) -> str:
    return (
        f"Dear Mr Reid,\n\n{decision}\n\nWe will complete all deliveries already booked in our system. "
        f"{other}\n\nThank you for three good years, and all the best.\n\nKind regards\nHelen Croft\n"
    )


def german(decision: str, other: str) -> str:
    return (
        f"Sehr geehrter Herr Krause,\n\n{decision}\n\nAlle gebuchten Lieferungen führen wir noch aus. "
        f"{other}\n\nVielen Dank für die Zusammenarbeit und alles Gute.\n\nMit freundlichen Grüßen\nHelen Croft\n"
    )


def anchor(text: str, lang: str) -> str:
    found = [f for f in lint(text, lang=lang) if f.rule == MISSING]
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == found[0].text
    return found[0].sentence


@pytest.mark.parametrize(
    "decision",
    [
        "Following our review of accounts, we have decided to stop handling deliveries for Reid Furniture.",
        "After much thought, we will no longer handle deliveries for Reid Furniture.",
    ],
)
def test_the_writers_decision_to_stop_is_the_anchor_before_a_later_word_for_ending(decision):
    other = "Your pallets can be collected on any weekday; please give the depot office a day's notice."
    assert anchor(english(decision, other), "en") == decision


def test_a_german_decision_to_stop_is_the_anchor():
    decision = "Nach reiflicher Überlegung werden wir Ihre Lieferungen nicht mehr übernehmen."
    other = "Ihre Paletten können Sie werktags abholen; bitte kündigen Sie die Abholung einen Tag vorher an."
    assert anchor(german(decision, other), "de") == decision


def test_a_word_for_ending_in_the_writers_sentence_comes_before_a_reason_that_stops():
    decision = "Hiermit kündigen wir den Rahmenvertrag über die Auslieferung."
    text = german("Wir können die vereinbarten Zeiten nicht mehr garantieren. " + decision, "Danke.")
    assert anchor(text, "de") == decision


def test_without_the_writer_a_word_for_ending_is_still_the_anchor():
    decision = "Your delivery contract with Atlas Logistics ends."
    assert anchor(english(decision, "The depot stays open."), "en") == decision
