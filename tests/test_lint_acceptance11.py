"""Lint fixes from the eleventh acceptance run, where whole drafts are needed: a line of
capitals alone in its paragraph, one apology problem over a sentence, and the findings of a
draft that mixes the new cases with their plain neighbours."""

from __future__ import annotations

from typing import Any

from letterkit.lint import lint


def findings(text: str, lang: str, **options: Any) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in lint(text, lang=lang, **options)]


# A line of capitals with a date in it, alone in its paragraph: nothing in lower case stands
# before it on its line, so it must end the sentence; the date no longer hides that it does.
DRAFT_CAPITALS = """Dear Mr Pemberton,

We are ending the grounds maintenance contract on 31 March 2027.

PLEASE RETURN THE GATE FOB BY 31 MARCH.

Thank you for your business over the years.

Kind regards,
Gareth Fenwick
"""


def test_capitals_with_a_date_alone_in_their_paragraph_are_shouting() -> None:
    assert [rule for rule, _ in findings(DRAFT_CAPITALS, "en")] == ["shouting/capitals"]


def test_a_letterhead_line_of_capitals_and_numbers_stays_quiet() -> None:
    text = "FENWICK & HALE LANDSCAPING LTD, 12 HIGH STREET\n\n" + DRAFT_CAPITALS.replace(
        "PLEASE RETURN THE GATE FOB BY 31 MARCH.", "Please return the gate fob by 31 March."
    )
    assert not findings(text, "en")


# Three matches of one rule in a sentence: "terribly sorry", "sorry ... apologise" and
# "apologise again". The one between overlaps both others, so all three are one problem.
def test_matches_of_one_rule_joined_by_a_dropped_one_are_one_finding() -> None:
    text = "We are so terribly sorry for the trouble and we sincerely apologise again."
    assert [rule for rule, _ in findings(text, "en")] == ["over_apology/so-sorry"]


def test_two_apologies_far_apart_in_a_sentence_are_one_finding() -> None:
    text = "We are so terribly sorry for any inconvenience this may cause and we sincerely apologise again."
    assert [rule for rule, _ in findings(text, "en")] == ["over_apology/so-sorry"]


def test_apologies_in_two_sentences_stay_two_findings() -> None:
    text = "We are so terribly sorry for the trouble. Please accept our deepest apologies."
    assert [rule for rule, _ in findings(text, "en")] == ["over_apology/so-sorry"] * 2


DRAFT_EN = """Dear Mr Osei,

We are ending the website support retainer on 31 May 2027.

Your developers broke the staging site twice and it was never our fault.

Unless we hear otherwise, the contract ends on 31 March.

I must say I'm honestly quite hurt by the way our crew was spoken to last month.

No further discussion will be entered into.

We won't miss the 6 a.m. phone calls, that's for sure.

Unless you object, we will send the files to your new agency. We won't miss the handover
deadline; the files are ready.

Thank you for the work together since 2022, and all the best.

Rhiannon Price
"""


def test_the_english_draft_reports_each_problem_in_its_own_category() -> None:
    found = findings(DRAFT_EN, "en")
    rules = [rule for rule, _ in found]
    assert "absolute/never" not in rules  # the "never" is about us: blame/not-our-fault
    assert ("blame/not-our-fault", "never our fault") in found
    assert "reopening/unless-you-object" in rules
    assert "emotion/hurt" in rules and "emotion/feelings" not in rules
    assert "hostile/end-of-discussion" in rules
    assert rules.count("sarcasm/wont-miss") == 1
    assert not [f for f in lint(DRAFT_EN, lang="en") if "files" in f.sentence and f.category != "structure"]


def test_hurt_is_described_as_our_feeling() -> None:
    (finding,) = lint("I'm honestly quite hurt by your email.", lang="en")
    assert "about the reader" not in finding.message and "we are hurt" in finding.message


DRAFT_DE = """Hallo Jonas,

wir beenden unsere Zusammenarbeit zum 28. Februar 2027. Die Entscheidung ist endgültig.

Die Agentur „Blaupause“ findet deine Texte „unlesbar“, aber das ist nur ihre Meinung.

Wenn du bis zum 15. Januar nicht schriftlich widersprichst, gilt der Vertrag als beendet.

Die Anrufe um 6 Uhr morgens werden wir sicher nicht vermissen.

Du hast uns keine andere Wahl gelassen.

Wenn wir bis Freitag nichts von dir hören, schicken wir die Unterlagen an deine Steuerberaterin.

Danke für die gemeinsame Zeit seit 2021, und alles Gute!

Mia
"""


def test_the_german_draft_reports_each_problem() -> None:
    found = lint(DRAFT_DE, lang="de")
    rules = [f.rule for f in found]
    assert "passive_aggressive/nur-ihre-meinung" in rules
    assert "reopening/bedingung" in rules
    assert "sarcasm/nicht-vermissen" in rules
    (choice,) = [f for f in found if f.rule == "threat/keine-wahl-gelassen"]
    assert "gezwungen" not in choice.message
    assert not [f for f in found if "Steuerberaterin" in f.sentence and f.category != "structure"]
