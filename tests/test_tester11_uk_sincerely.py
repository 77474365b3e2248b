"""In a British letter (``locale="en-GB"``) the closing after "Dear Ms Patel" is "Yours
sincerely"; a bare American "Sincerely," is the US form, as the rule's message says, and
is reported like "Yours faithfully" in a US letter (tester 11: an en-GB letter closing
"Sincerely," passed). Without a British locale, or in a US letter, it stays quiet."""

from __future__ import annotations

import pytest

from letterkit.lint import lint

MISMATCH = "structure/closing-mismatch"


def letter(closing: str, salutation: str = "Dear Ms Patel,") -> str:
    return (
        "Northwind Design Ltd\n12 Quay Street\nManchester M3 3HN\n\n27 November 2026\n\n"
        f"{salutation}\n\nWe are ending our website support agreement on 31 January 2027.\n\n"
        "We will hand over the source code and the hosting credentials by 15 January.\n\n"
        "Thank you for four good years; we wish you every success.\n\n"
        f"{closing}\n\nEmma Clarke\nDirector\n"
    )


@pytest.mark.parametrize("closing", ["Sincerely,", "Sincerely", "Sincerely yours,", "  Sincerely,"])
def test_an_american_closing_in_a_british_letter_is_reported_at_it(closing):
    text = letter(closing)
    found = [f for f in lint(text, lang="en", locale="en-GB") if f.rule == MISMATCH]
    assert len(found) == 1
    assert found[0].text == closing.strip().rstrip(",")
    assert text[found[0].start : found[0].end] == found[0].text
    assert found[0].line == text[: found[0].start].count("\n") + 1


@pytest.mark.parametrize("salutation", ["Dear Ms Patel,", "Dear Sir or Madam,"])
def test_a_british_closing_in_a_british_letter_passes(salutation):
    closing = "Yours sincerely," if salutation.startswith("Dear Ms") else "Yours faithfully,"
    assert MISMATCH not in [f.rule for f in lint(letter(closing, salutation), lang="en", locale="en-GB")]


@pytest.mark.parametrize("locale", ["en-US", None])
def test_sincerely_is_left_alone_outside_a_british_letter(locale):
    assert MISMATCH not in [f.rule for f in lint(letter("Sincerely,"), lang="en", locale=locale)]


def test_sincerely_inside_a_sentence_is_no_closing():
    text = letter("Yours sincerely,").replace(
        "Thank you for four good years;", "Sincerely, thank you for four good years;"
    )
    assert MISMATCH not in [f.rule for f in lint(text, lang="en", locale="en-GB")]
