"""Defects found by tester 25 in hand-written drafts (lintfix27): English rules match both the
contracted and the written-out form, suggestions fit any letter, the text report shows a long
finding from its start, Swiss German suggestions write ss, and thanks said in mockery are no
thanks."""

from __future__ import annotations

import re

import pytest

from letterkit.lint import lint
from letterkit.lint.rules import load_rules

# The pairs a writer types either way. "can't" is "cannot" in one word.
CONTRACTIONS = [
    ("we're", "we are"),
    ("you're", "you are"),
    ("don't", "do not"),
    ("won't", "will not"),
    ("can't", "cannot"),
    ("it's", "it is"),
    ("I'm", "I am"),
]
# where only one form is English: "people like you are the reason" (no "you're" before a
# complement that is stressed), "why don't we" (no "why do not we")
_UNNATURAL = re.compile(r"\blike you're\b|\bdo not we\b|\bwe're(?=[.!?]?$)", re.IGNORECASE)


def _swapped(text: str) -> list[str]:
    """The text with one pair at a time turned into its other form (each direction)."""
    out = []
    for short, long in CONTRACTIONS:
        for a, b in ((short, long), (long, short)):
            pattern = re.compile(
                r"(?<![\w'’])" + re.escape(a).replace("'", "['’]") + r"(?![\w'’])", re.IGNORECASE
            )
            if pattern.search(text):
                swapped = pattern.sub(
                    lambda m, b=b: b[0].upper() + b[1:] if m.group()[0].isupper() else b, text
                )
                if not _UNNATURAL.search(swapped):
                    out.append(swapped)
    return out


def _contraction_cases():
    for rule in load_rules("en"):
        if rule.category == "shouting":  # "DON'T" is about the capitals, not the words
            continue
        for text in rule.examples.get("fail", []):
            for variant in _swapped(text):
                yield pytest.param(rule.id, variant, id=f"{rule.id}:{variant[:40]}")


@pytest.mark.parametrize("rule_id,text", list(_contraction_cases()))
def test_english_rules_match_the_contracted_and_the_written_out_form(rule_id, text):
    assert [f for f in lint(text, lang="en", select=[rule_id])], f"{rule_id} misses {text!r}"


SARCASTIC_THANKS = (
    "Hallo Marco\n\nwir kündigen deine Mitgliedschaft per 28. Februar 2027.\n\n"
    'Vielen Dank auch für die "tolle" Zusammenarbeit!\n\nViele Grüße\nAndrea\n'
)


def test_thanks_said_in_mockery_are_no_thanks():
    rules = {f.rule for f in lint(SARCASTIC_THANKS, lang="de")}
    assert "sarcasm/anfuehrungszeichen" in rules and "structure/missing-thanks" in rules
    sincere = SARCASTIC_THANKS.replace(
        'Vielen Dank auch für die "tolle" Zusammenarbeit!', "Vielen Dank für die Zusammenarbeit!"
    )
    assert "structure/missing-thanks" not in {f.rule for f in lint(sincere, lang="de")}


SWISS = "Hallo Marco\n\nWir kündigen deine Mitgliedschaft per 28. Februar 2027. Danke für alles.\n\nGruss\nAndrea\n"


def test_swiss_suggestions_write_ss_and_quote_the_draft():
    [closing] = [f for f in lint(SWISS, locale="de-CH") if f.rule == "structure/abbreviated-closing"]
    assert "ß" not in closing.suggestion and "„Gruss“" in closing.suggestion
    assert "Gruß" not in closing.message
    # a tone rule's suggestion too ("schließen", "Grüße")
    hostile = (
        "Hallo Marco\n\nDein Verhalten am Empfang ist respektlos. Danke für alles.\n\nViele Grüsse\nAndrea\n"
    )
    suggestions = [f.suggestion for f in lint(hostile, locale="de-CH") if f.suggestion]
    assert suggestions and all("ß" not in s for s in suggestions)
    # a German letter keeps its ß
    german = [
        f
        for f in lint(SWISS.replace("Gruss", "Gruß"), locale="de-DE")
        if f.rule == "structure/abbreviated-closing"
    ]
    assert "Grüßen" in german[0].suggestion and "„Gruß“" in german[0].suggestion


def test_a_finding_longer_than_the_excerpt_is_shown_from_its_start_with_a_caret():
    from letterkit.lint.findings import Finding
    from letterkit.lint.report import SNIPPET, to_text

    sentence = (
        "Wie Sie wissen, hat sich die Umstellung "
        + "sehr lange hingezogen, " * 8
        + "weil die Daten spät kamen."
    )
    assert len(sentence) > SNIPPET
    finding = Finding(
        rule="judged/tone",
        category="blame",
        severity="warning",
        message="m",
        text=sentence,
        start=0,
        end=len(sentence),
        line=1,
        column=1,
        paragraph=1,
        sentence=sentence,
        sentence_at=0,
    )
    shown, caret = to_text([finding]).splitlines()[1:3]
    assert shown.startswith("    Wie Sie wissen") and caret.startswith("    ^^^")
    assert len(caret) <= len(shown)


# A suggestion fits any letter: a placeholder (…) where a date, a number or an amount goes, not
# the dates and sums of some other story ("Am 3. Mai wurde unsere Rechnung um 20 % gekürzt").
# Only the end-date check shows what a date looks like.
_CONCRETE = re.compile(
    r"\d|[%€£$]|\bCHF\b"
    r"|\b(?:Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember|January|February|March|June|July|October|December)\b"
    r"|\b(?:zwei|drei|vier|fünf|sechs|zwölf|elf|fünfzehn|sechsmal|dreimal|two|three|four|five|six|twelve|eleven|fifteen)\b"
    r"|\b(?:Montag|Freitag|Monday|Friday)\b",
    re.IGNORECASE,
)
_SHOWS_A_DATE = {"structure/missing-end-date"}


def _suggestion_texts():
    for lang in ("de", "en"):
        for rule in load_rules(lang):
            if rule.id in _SHOWS_A_DATE:
                continue
            texts = [rule.suggest, *(rule.options.get("suggestions") or {}).values()]
            for text in texts:
                if isinstance(text, str) and text:
                    yield pytest.param(rule.id, text, id=f"{lang}:{rule.id}")


@pytest.mark.parametrize("rule_id,text", list(_suggestion_texts()))
def test_suggestions_hold_no_dates_or_amounts_of_another_story(rule_id, text):
    assert not _CONCRETE.search(text), f"{rule_id}: {text}"
