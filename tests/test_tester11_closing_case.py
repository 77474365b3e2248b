""""Yours Faithfully," with a capital F after "Dear Ms Patel" is still "Yours faithfully"
after a name (tester 11: the check compared case-sensitively, so the capitalised slip,
common in typed letters, passed); likewise "Yours Sincerely" after "Dear Sir or Madam"."""

from __future__ import annotations

import pytest

from letterkit.lint import lint

MISMATCH = "structure/closing-mismatch"


def letter(salutation: str, closing: str) -> str:
    return (
        f"{salutation}\n\nWe are ending our website support agreement on 31 January 2027.\n\n"
        "We will hand over the source code and the hosting credentials by 15 January.\n\n"
        "Thank you for four good years; we wish you every success.\n\n"
        f"{closing}\n\nEmma Clarke\n"
    )


@pytest.mark.parametrize(
    "salutation, closing",
    [
        ("Dear Ms Patel,", "Yours Faithfully,"),
        ("Dear Ms Patel,", "YOURS FAITHFULLY,"),
        ("Dear Sir or Madam,", "Yours Sincerely,"),
    ],
)
def test_a_mismatched_closing_is_reported_whatever_its_case(salutation, closing):
    text = letter(salutation, closing)
    found = [f for f in lint(text, lang="en") if f.rule == MISMATCH]
    assert [f.text for f in found] == [closing.rstrip(",")]
    assert text[found[0].start : found[0].end] == found[0].text


@pytest.mark.parametrize(
    "salutation, closing",
    [("Dear Ms Patel,", "Yours Sincerely,"), ("Dear Sir or Madam,", "Yours Faithfully,")],
)
def test_a_matching_closing_passes_whatever_its_case(salutation, closing):
    assert MISMATCH not in [f.rule for f in lint(letter(salutation, closing), lang="en")]
