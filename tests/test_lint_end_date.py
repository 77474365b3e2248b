"""The end-date check reads which date ends the relationship: a date in a sentence that
ends something, or after a word that makes it the last day ("per", "effective", "bis" in
a sentence that goes on until then). A date of something else (the tools collected on a
day, the keys handed over by a day) does not stand in for it (tester 27: any date did)."""

from __future__ import annotations

import pytest

from letterkit.lint import lint

MISSING = "structure/missing-end-date"


def german(decision: str, other: str) -> str:
    return (
        f"Sehr geehrte Frau Berger,\n\n{decision}\n\n{other}\n\n"
        "Vielen Dank für die gute Zusammenarbeit und alles Gute.\n\nMit freundlichen Grüßen\nJens Gärtner\n"
    )


def english(decision: str, other: str) -> str:
    return (
        f"Dear Ms Berger,\n\n{decision}\n\n{other}\n\n"
        "Thank you for working with us, and all the best.\n\nKind regards\nJames Gardner\n"
    )


def rules(text: str, lang: str) -> list[str]:
    return [f.rule for f in lint(text, lang=lang)]


@pytest.mark.parametrize(
    "other",
    [
        "Die Gartengeräte holen wir am 15. Januar 2027 ab.",
        "Die Zugangsdaten übergeben wir Ihnen bis zum 15. Februar 2027.",
        "Bitte senden Sie uns die Schlüssel bis 20.01.2027 zurück.",
        "Am 12. Januar rufen wir Sie wegen der Übergabe an.",
    ],
)
def test_a_german_date_of_something_else_is_no_end_date(other):
    assert MISSING in rules(german("Hiermit kündigen wir den Pflegevertrag für Ihren Garten.", other), "de")


@pytest.mark.parametrize(
    "decision, other",
    [
        ("Hiermit kündigen wir den Pflegevertrag zum 31. Dezember 2026.", "Die Geräte holen wir ab."),
        ("Unsere Zusammenarbeit endet am 31.12.2026.", "Die Geräte holen wir am 15. Januar 2027 ab."),
        (
            "Hiermit kündigen wir den Pflegevertrag für Ihren Garten.",
            "Bis zum 31. Dezember 2026 sind wir weiterhin für Sie da.",
        ),
        ("Wir beenden den Vertrag.", "Mit Wirkung zum 31. März 2027 betreut Sie dann die Grünwerk GmbH."),
        ("Wir lösen den Vertrag auf.", "Er ist noch gültig bis 31. März 2027."),
        ("Wir beenden die Zusammenarbeit.", "Per 31. Dezember 2026 übergeben wir alle Unterlagen."),
    ],
)
def test_a_german_end_date_is_read_where_it_stands(decision, other):
    assert MISSING not in rules(german(decision, other), "de")


@pytest.mark.parametrize(
    "other",
    [
        "We will collect our tools on 15 January 2027.",
        "Please return the keys until 20 January 2027, when we change the locks.",
        "We will call you on Monday, 11 January, about the handover.",
    ],
)
def test_an_english_date_of_something_else_is_no_end_date(other):
    assert MISSING in rules(english("We are ending our garden maintenance contract.", other), "en")


@pytest.mark.parametrize(
    "decision, other",
    [
        ("We are ending our maintenance contract on 31 December 2026.", "We will collect our tools."),
        ("We are ending our maintenance contract.", "The change is effective December 31, 2026."),
        ("We are ending our maintenance contract.", "We will keep looking after your garden until 31 December 2026."),
        ("We are ending our maintenance contract.", "As of 1 January 2027, GreenWorks Ltd will look after it."),
    ],
)
def test_an_english_end_date_is_read_where_it_stands(decision, other):
    assert MISSING not in rules(english(decision, other), "en")


@pytest.mark.parametrize(
    "decision, other, lang",
    [
        # tester 38: the date came first, "the end of the year" in the next sentence took over
        (
            "We will no longer be able to see your cats after December 31, 2026.",
            "Our senior vet is retiring at the end of the year.",
            "en",
        ),
        ("We are ending our care for your cats.", "We will not treat them any more after 31 December 2026.", "en"),
        (
            "Wir können Ihre Katzen nach dem 31. Dezember 2026 nicht mehr behandeln.",
            "Unsere Tierärztin geht zum Jahresende in den Ruhestand.",
            "de",
        ),
        ("Wir beenden die Betreuung.", "Nach dem 31.12.2026 gibt es bei uns keine Termine mehr.", "de"),
    ],
)
def test_a_date_after_which_nothing_more_happens_is_the_end(decision, other, lang):
    text = german(decision, other) if lang == "de" else english(decision, other)
    assert MISSING not in rules(text, lang)


@pytest.mark.parametrize(
    "decision, other, lang",
    [
        ("We are ending our care for your cats.", "After 1 March 2027, please call our new number.", "en"),
        ("Wir beenden die Betreuung.", "Nach dem 1. März 2027 erreichen Sie uns unter der neuen Nummer.", "de"),
    ],
)
def test_a_date_after_which_something_starts_is_no_end_date(decision, other, lang):
    text = german(decision, other) if lang == "de" else english(decision, other)
    assert MISSING in rules(text, lang)
