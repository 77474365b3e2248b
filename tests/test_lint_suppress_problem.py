"""A letterkit-ignore marker silences the problem it was put on: a finding that the one
shown stood for (same category, overlapping words) does not come out in its place
(tester 33: suppressing threat/vorbehalten brought out threat/verzugszinsen)."""

from __future__ import annotations

from letterkit.lint import lint

SENTENCE = (
    "Wir kündigen den Vertrag auf den 31. März 2027, wobei wir uns für den Fall, dass die ausstehenden "
    "Beträge nicht innert der gesetzten Nachfrist beglichen werden, die Geltendmachung sämtlicher uns "
    "zustehenden Ansprüche einschliesslich Verzugszinsen ausdrücklich vorbehalten."
)


def draft(marker: str = "") -> str:
    return f"Sehr geehrte Frau Keller\n\n{marker}{SENTENCE}\n\nFreundliche Grüsse\nAnna Roth\n"


def threats(text: str) -> list[str]:
    return [f.rule for f in lint(text, lang="de", locale="de-CH") if f.category == "threat"]


def test_the_shown_finding_suppressed_takes_the_problem_with_it() -> None:
    assert threats(draft()) == ["threat/vorbehalten"]
    assert threats(draft("<!-- letterkit-ignore: threat/vorbehalten -->\n")) == []


def test_a_marker_for_another_category_leaves_the_problem() -> None:
    assert threats(draft("<!-- letterkit-ignore: blame -->\n")) == ["threat/vorbehalten"]
