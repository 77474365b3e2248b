"""Fixes of the sixteenth round: lint false negatives and false alarms (put-downs of the
reader's work, an order in capitals, one finding for a curt refusal, charges ruled out, a
finished task, our own things, praise the tone model read as a threat) and input (a lost
first letter of a firm's name in capitals, yes/no spellings, English titles with a rank)."""

from __future__ import annotations

import pytest

from letterkit.lint import lint


def rules(text: str, lang: str) -> list[str]:
    """The rules that report the text (the tone model included)."""
    return [f.rule for f in lint(text + "\n", lang=lang)]


# --- 1. a put-down of the reader's work; our own things and a damaged file stay quiet -----------


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        ("Deine Texte sind unlesbar.", "de", "hostile/abwertend"),
        ("Ihre Entwürfe waren dürftig.", "de", "hostile/abwertend"),
        ("Your texts are unreadable.", "en", "hostile/about-the-person"),
        ("Your handwriting is illegible.", "en", "hostile/about-the-person"),
    ],
)
def test_a_judgement_of_the_readers_work_is_flagged(text: str, lang: str, rule: str) -> None:
    assert rules(text, lang) == [rule]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die Datei war unbrauchbar, bitte senden Sie sie erneut.", "de"),
        ("Die Datei war unlesbar, bitte senden Sie sie erneut.", "de"),
        ("Ihr Scan war unlesbar; könnten Sie ihn noch einmal schicken?", "de"),
        ("Unsere erste Fassung war stümperhaft, das geben wir zu.", "de"),
        ("Danke, dass Sie unsere unlesbaren Notizen so geduldig entziffert haben.", "de"),
        ("Our first draft was sloppy, and we apologise.", "en"),
        ("Our old manual is useless now that the system has changed.", "en"),
        ("Your scan was unreadable; could you send it again?", "en"),
        ("Thank you for deciphering our unreadable notes so patiently.", "en"),
    ],
)
def test_the_same_words_about_our_things_or_a_damaged_file_stay_quiet(text: str, lang: str) -> None:
    assert rules(text, lang) == []


def test_our_staff_in_the_object_does_not_make_the_insult_ours() -> None:
    text = "Quite honestly, the way your site manager spoke to our staff was rude and unprofessional."
    assert "hostile/insult" in rules(text, "en")
    assert "hostile/beleidigend" in rules("Ihr Verhalten gegenüber unserem Techniker war unterirdisch.", "de")


# --- 2. an order in capitals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "RETURN ALL KEYS.",
        "Please return the keys by Friday. RETURN ALL KEYS BY 31 MARCH!",
        "RETURN ALL KEYS by Friday.",
    ],
)
def test_an_order_in_capitals_is_shouting(text: str) -> None:
    assert rules(text, "en") == ["shouting/capitals"]


@pytest.mark.parametrize(
    "text",
    ["Please send the NDA and the SLA.", "RETURN IT.", "MAKE IT HAPPEN."],
)
def test_acronyms_two_words_and_slogans_are_no_order_in_capitals(text: str) -> None:
    assert "shouting/capitals" not in rules(text, "en")


def test_a_letterhead_in_capitals_stays_quiet() -> None:
    draft = (
        "NORTHWIND DESIGN LTD\nSEND ENQUIRIES TO 12 HIGH STREET\n\nDear Ms Patel,\n\n"
        "We are ending our agreement on 31 March 2027. Please return the keys by then.\n\n"
        "Thank you for five good years.\n\nKind regards,\nEmma Clarke\n"
    )
    assert [f.rule for f in lint(draft, lang="en")] == []


# --- 3. to 5. one finding for a curt refusal; a charge ruled out; a finished task ----------------


def test_refusing_to_discuss_the_decision_is_one_curt_finding() -> None:
    assert rules("We will not discuss this decision any further.", "en") == ["hostile/end-of-discussion"]
    assert rules("Why don't we discuss the decision at our next call?", "en") == ["reopening/negotiable"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We will not charge for any further support.", "en"),
        ("We won't bill you for any extra hours spent on the handover.", "en"),
        ("Wir stellen Ihnen für jede weitere Stunde nichts in Rechnung.", "de"),
        ("Für jeden weiteren Monat berechnen wir Ihnen keine Kosten.", "de"),
    ],
)
def test_a_charge_ruled_out_is_no_threat(text: str, lang: str) -> None:
    assert rules(text, lang) == []


def test_a_charge_as_a_consequence_is_still_a_threat() -> None:
    assert rules("If the hardware isn't back by Friday, we'll bill you for every additional day.", "en") == [
        "threat/or-else"
    ]
    text = "Für jeden weiteren Tag, den die Geräte nicht zurück sind, berechnen wir 20 Euro."
    assert "threat/andernfalls" in rules(text, "de")


def test_glad_to_be_done_with_a_task_is_quiet_with_the_reader_not() -> None:
    assert rules("We are happy to be done with the final invoice.", "en") == []
    assert rules("We are happy to be done with you.", "en") == ["hostile/nerve"]
    assert rules("We will be glad to be done with the whole account.", "en") == ["hostile/glad-to-be-rid"]


# --- 6. a judgement of our own things ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Unser chaotischer erster Monat", "de"),
        ("Unser chaotischer erster Monat hat Sie sicher Nerven gekostet.", "de"),
        ("Sie haben unseren chaotischen ersten Monat geduldig ertragen.", "de"),
        ("Unser Start war chaotisch, Sie waren trotzdem geduldig.", "de"),
        (
            "Die Umstellung auf die neue Plattform war anstrengend, und Ihr Team hat sie mit viel Einsatz getragen.",
            "de",
        ),
        ("Our start was chaotic, but you were patient.", "en"),
        ("You put up with our sloppy first drafts.", "en"),
    ],
)
def test_a_judgement_of_our_own_things_is_no_put_down(text: str, lang: str) -> None:
    assert rules(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        ("Ihre chaotische Planung hat uns viele Überstunden gekostet.", "de", "hostile/abwertend"),
        ("Unser Team fand Ihre Planung chaotisch.", "de", "hostile/abwertend"),
        ("Your project management is chaotic and disorganized.", "en", "hostile/about-the-person"),
    ],
)
def test_a_judgement_of_the_readers_things_is_still_flagged(text: str, lang: str, rule: str) -> None:
    assert rule in rules(text, lang)


def test_our_things_as_the_object_of_a_blame_stay_the_readers_doing() -> None:
    # the possessive decides only for words that judge: "our hours" is what the reader cut
    assert rules("Your invoice checkers slashed our hours for no reason.", "en") == ["blame/sat-on-it"]


# --- 7. praise the tone model read as a threat ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wir würden nicht zögern, Sie weiterzuempfehlen.",
        "Wir würden nicht zögern, Ihr Unternehmen weiterzuempfehlen.",
        "Wir würden keinen Moment zögern, Sie wieder zu beauftragen.",
    ],
)
def test_praise_with_nicht_zoegern_is_quiet(text: str) -> None:
    assert rules(text, "de") == []


def test_a_threat_with_nicht_zoegern_is_still_flagged() -> None:
    found = rules("Wir werden nicht zögern, den offenen Betrag gerichtlich einzufordern.", "de")
    assert "threat/nicht-zoegern" in found
