"""Acceptance fixes: information that is no threat, a reader cleared of blame, a regret that
is no good wish, an ordinary apology as an info note in both languages."""

from __future__ import annotations

import pytest

import letterkit

EN = """Dear Ms Carter,

we are writing to let you know that we will end our maintenance contract on 31 March 2027.
Our team is moving to a new focus, and we can no longer offer the service.

All files and passwords will be handed over in the week of 14 March. Your account stays open
until the end date.

{last}

Kind regards,
Tom Baker
"""

DE = """Sehr geehrte Frau Berg,

wir beenden unseren Wartungsvertrag zum 31. März 2027. Unser Team konzentriert sich künftig
auf andere Aufgaben, und wir können den Service nicht mehr anbieten.

Alle Dateien und Zugänge übergeben wir in der Woche ab dem 14. März. Ihr Konto bleibt bis zum
Vertragsende bestehen.

{last}

Mit freundlichen Grüßen
Tom Becker
"""


def _rules(text: str, lang: str) -> list[str]:
    return [f.rule for f in letterkit.lint(text, lang=lang)]


@pytest.mark.parametrize(
    ("template", "lang", "last", "thanked"),
    [
        (EN, "en", "We wish things had gone differently.", False),
        (EN, "en", "I wish we could have stayed longer on this project.", False),
        (EN, "en", "We wish you and your team every happiness.", True),
        (EN, "en", "With best wishes for the new year.", True),
        (DE, "de", "Wir hätten uns einen anderen Verlauf gewünscht.", False),
        (DE, "de", "Ich wünschte, es wäre anders gekommen.", False),
        (DE, "de", "Für die Zukunft wünschen wir Ihnen alles Gute.", True),
        (DE, "de", "Mit den besten Wünschen für das neue Jahr.", True),
    ],
)
def test_a_regret_is_no_good_wish(template: str, lang: str, last: str, thanked: bool) -> None:
    found = "structure/missing-thanks" in _rules(template.format(last=last), lang)
    assert found is not thanked


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The delays were caused by our supplier, not by you.\n", "en"),
        ("The outage was caused by our hosting provider and not by your team.\n", "en"),
        ("You are not to blame for the delays in March.\n", "en"),
        ("Die Verzögerung im März lag allein an uns, nicht an Ihnen.\n", "de"),
        ("Die Verspätung wurde von unserem Zulieferer verursacht, nicht von Ihrem Team.\n", "de"),
        ("Dich trifft keine Schuld; der Fehler lag bei unserem Dienstleister.\n", "de"),
    ],
)
def test_a_sentence_that_clears_the_reader_is_quiet(text: str, lang: str) -> None:
    assert _rules(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        ("You caused the delays, not our supplier.\n", "en", "blame/you-caused"),
        ("Die Verzögerung lag allein an Ihnen.\n", "de", "blame/liegt-bei-ihnen"),
    ],
)
def test_blame_without_a_clearing_stays(text: str, lang: str, rule: str) -> None:
    assert rule in _rules(text, lang)


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        ("If not you, who else is responsible for the constant delays?\n", "en", "absolute/repeatedly"),
        ("Was it not you who always paid late?\n", "en", "absolute/always"),
    ],
)
def test_a_negation_in_a_question_accuses_rather_than_clears(text: str, lang: str, rule: str) -> None:
    """"not you" clears the reader in a statement; in a rhetorical question it accuses
    (the code review: the clearing dropped these absolutes)."""
    assert rule in _rules(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We are sorry for any inconvenience this may cause.\n", "en"),
        ("We regret that we cannot continue.\n", "en"),
        ("Wir bedauern, Ihnen mitteilen zu müssen, dass wir den Vertrag kündigen.\n", "de"),
    ],
)
def test_an_ordinary_regret_is_an_info_note_in_both_languages(text: str, lang: str) -> None:
    findings = letterkit.lint(text, lang=lang)
    assert findings and {f.severity for f in findings} == {"info"}
    assert {f.category for f in findings} == {"negative_framing"}


def test_an_invitation_to_review_is_no_threat_but_a_review_threat_says_what_it_is() -> None:
    assert _rules("Eine Bewertung auf unserer Website können Sie gern hinterlassen.\n", "de") == []
    found = letterkit.lint("Wir werden unsere Bewertung auf Google veröffentlichen.\n", lang="de")
    assert [f.rule for f in found] == ["threat/anprangern"]
    assert "expose" in found[0].message
