"""structure/spelling-locale: one English throughout. A British spelling in an American
letter, or one only American English uses in a British letter (-ize is British too), is
found in the body; a draft without a locale is read as the English its dates and formulas
show, and one that shows both or neither is not checked."""

from __future__ import annotations

from letterkit.lint import lint

US_HEAD = "Dear Ms. Patel:\n\nWe are ending the support contract on December 31, 2026. "
UK_HEAD = "Dear Ms Patel,\n\nWe are ending the support contract on 31 December 2026. "
THANKS = "Thank you for working with us, and all the best.\n\n"


def spelled(text: str, locale: str | None = None) -> list[tuple[str, str]]:
    return [(f.text, f.suggestion) for f in lint(text, locale=locale) if f.rule == "structure/spelling-locale"]


def test_british_words_in_an_american_letter_and_american_ones_in_a_british_letter() -> None:
    us = US_HEAD + "We apologise that the final cheque is late. " + THANKS + "Sincerely,\nJo Baker\n"
    assert spelled(us) == [("apologise", "apologize"), ("cheque", "check")]
    uk = UK_HEAD + "The color proofs were canceled. " + THANKS + "Yours sincerely\nJo Baker\n"
    assert spelled(uk) == [("color", "colour"), ("canceled", "cancelled")]


def test_oxford_spelling_names_and_links_are_no_slip() -> None:
    uk = (
        UK_HEAD
        + "We organized the handover at Lincoln Center; see www.color-lab.com or write to color@lab.com. "
        + THANKS
        + "Yours sincerely\nJo Baker\n"
    )
    assert spelled(uk) == []


def test_the_locale_given_wins_and_a_draft_without_signs_is_not_checked() -> None:
    plain = "We are ending the contract at the end of the year. The colour scheme stays yours. " + THANKS
    assert spelled(plain) == []
    assert spelled(plain, locale="en-US") == [("colour", "color")]
    both = US_HEAD + "The colour scheme stays yours. " + THANKS + "Yours sincerely\nJo Baker\n"
    assert spelled(both) == []  # signs of both Englishes: no guess
    assert spelled(both, locale="en-GB") == []
