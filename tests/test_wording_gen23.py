"""Wording an outside reader found wrong in letters composed from unseen input (gen23).

- A reason that points back to the one before ("Auch unsere Vorstellungen von Qualität",
  "as well"; "Im Zuge dessen", "As part of this"; "Das ist Teil …", "This is part of …")
  does so only when that reason really stands before it: first in the list, or with a
  third reason in between, it would point to nothing or to the wrong sentence.
- restructuring followed by focus_change joins the two ("Im Zuge dessen konzentrieren wir
  uns …", "As part of this, we are narrowing our focus …"), and focus_change followed by
  restructuring says the restructuring is the frame ("Das ist Teil einer umfassenden
  Neuaufstellung …"), instead of two sentences in a row that each announce a change of the
  business.
- A contract name typed in sentence case whose first word is a common word of such names
  ("Estate accounts retainer", "Organ maintenance contract") is lowered in running text.
- A recipient whose legal form is written with full stops ("Hill Country Dental Group,
  P.C.", "Acme S.A."), an Austrian e.U. and a Portuguese Lda are firms: "Ihr Unternehmen",
  "weiterhin viel Erfolg", "your company", "continued success".
"""

from __future__ import annotations

from typing import Any

import pytest

import letterkit
from letterkit.lint import lint
from letterkit.parts import load
from letterkit.phrases import has_legal_form

CASES = [("de-DE", "sie"), ("de-DE", "du"), ("de-CH", "sie"), ("de-AT", "du"), ("en-GB", None), ("en-US", None)]


def compose(
    locale: str, register: str | None, reasons: list[str], solo: bool = False, company: str = "Beispiel AG"
) -> letterkit.Letter:
    sender: dict[str, Any] = {"name": "Erika Muster", "city": "Berlin"}
    if not solo:
        sender["company"] = "Muster GmbH"
    data: dict[str, Any] = {
        "locale": locale,
        "date": "2026-11-26",
        "sender": sender,
        "recipient": {"company": company, "gender": "female", "first_name": "Anna", "last_name": "Schneider"},
        "end_date": "2026-12-31",
        "reasons": reasons,
    }
    if register:
        data["register"] = register
    return letterkit.compose(data)


def reasons_text(letter: letterkit.Letter) -> str:
    return " ".join(b.text for b in letter.blocks if b.part == "reasons")


def assert_clean(letter: letterkit.Letter) -> None:
    assert letter.findings == (), [(f.rule, f.text) for f in letter.findings]
    text = "\n\n".join([letter.subject, letter.salutation, letter.body, letter.closing, *letter.signature])
    again = lint(text, lang=letter.lang, locale=letter.locale)
    assert again == [], [(f.rule, f.text, f.sentence) for f in again]


@pytest.mark.parametrize(("locale", "register"), CASES)
@pytest.mark.parametrize("solo", [False, True])
def test_quality_says_also_only_after_working_style(locale: str, register: str | None, solo: bool) -> None:
    first = compose(locale, register, ["quality_expectations", "working_style"], solo)
    second = compose(locale, register, ["working_style", "quality_expectations"], solo)
    if locale.startswith("de"):
        assert reasons_text(first).startswith("Unsere Vorstellungen von Qualität gehen auseinander. ")
        assert "Auch" not in reasons_text(first)
        assert "Auch unsere Vorstellungen von Qualität gehen auseinander." in reasons_text(second)
        repeated = "gute"
    else:
        assert reasons_text(first).startswith("Our views on quality differ, and ")
        assert "as well" not in reasons_text(first)
        assert "Our views on quality differ as well, and " in reasons_text(second)
        repeated = "good result"
    for letter in (first, second):
        assert reasons_text(letter).count(repeated) == 1
        assert_clean(letter)


BACK = {
    "de": {"model_retired": "Im Zuge dessen führen wir", "restructuring": "Das ist Teil einer umfassenden Neuaufstellung"},
    "en": {"model_retired": "As part of this, we are retiring", "restructuring": "This is part of a wider restructuring"},
}
OWN = {
    "de": {"model_retired": "Wir stellen unser Leistungsangebot um", "restructuring": "Wir strukturieren unser Unternehmen um"},
    "en": {"model_retired": "We are changing how we offer our services", "restructuring": "We are restructuring our company"},
}


@pytest.mark.parametrize(("locale", "register"), CASES)
def test_back_references_only_to_the_reason_right_before(locale: str, register: str | None) -> None:
    lang = locale[:2]
    apart = reasons_text(compose(locale, register, ["restructuring", "payment_terms", "model_retired"]))
    assert BACK[lang]["model_retired"] not in apart and OWN[lang]["model_retired"] in apart
    apart = reasons_text(compose(locale, register, ["model_retired", "payment_terms", "restructuring"]))
    assert BACK[lang]["restructuring"] not in apart and OWN[lang]["restructuring"] in apart
    # side by side they still join
    assert BACK[lang]["model_retired"] in reasons_text(compose(locale, register, ["restructuring", "model_retired"]))
    assert BACK[lang]["restructuring"] in reasons_text(compose(locale, register, ["model_retired", "restructuring"]))


JOINED = {
    ("de", False): "Wir strukturieren unser Unternehmen um und fassen unsere Leistungsbereiche zusammen. "
    "Im Zuge dessen konzentrieren wir uns künftig auf ein engeres Leistungsspektrum. Die Leistungen, die wir",
    ("de", True): "Ich stelle mein Geschäft neu auf und bündle mein Angebot. "
    "Im Zuge dessen konzentriere ich mich künftig auf ein engeres Leistungsspektrum. Die Leistungen, die ich",
    ("en", False): "We are restructuring our company and consolidating our services. "
    "As part of this, we are narrowing our focus, and the work we currently do for you no longer falls within it.",
    ("en", True): "I am restructuring my business and consolidating my services. "
    "As part of this, I am narrowing my focus, and the work I currently do for you no longer falls within it.",
}
FRAMED = {
    ("de", False): "gehören nicht mehr dazu. Das ist Teil einer umfassenden Neuaufstellung unseres Unternehmens.",
    ("de", True): "gehören nicht mehr dazu. Das ist Teil einer umfassenden Neuaufstellung meines Geschäfts.",
    ("en", False): "falls outside that range. This is part of a wider restructuring of our company.",
    ("en", True): "falls outside that range. This is part of a wider restructuring of my business.",
}


@pytest.mark.parametrize(("locale", "register"), CASES)
@pytest.mark.parametrize("solo", [False, True])
def test_restructuring_and_focus_change_are_one_change(locale: str, register: str | None, solo: bool) -> None:
    lang = locale[:2]
    joined = compose(locale, register, ["restructuring", "focus_change"], solo)
    framed = compose(locale, register, ["focus_change", "restructuring"], solo)
    assert reasons_text(joined).startswith(JOINED[lang, solo])
    assert reasons_text(framed).endswith(FRAMED[lang, solo])
    for letter in (joined, framed):
        assert_clean(letter)
    # with a third reason in between, each says its own
    apart = reasons_text(compose(locale, register, ["restructuring", "capacity", "focus_change"], solo))
    assert "Im Zuge dessen" not in apart and "As part of this" not in apart


@pytest.mark.parametrize(
    ("locale", "company", "firm"),
    [
        ("en-US", "Hill Country Dental Group, P.C.", "continued success"),
        ("en-GB", "Vinhos do Douro Lda", "continued success"),
        ("en-GB", "Marlow Holdings S.A.", "continued success"),
        ("de-AT", "Tischlerei Gruber e.U.", "weiterhin viel Erfolg"),
        ("de-DE", "Sunrise Dental, P.C.", "weiterhin viel Erfolg"),
    ],
)
def test_legal_forms_with_full_stops_and_abroad_are_firms(locale: str, company: str, firm: str) -> None:
    letter = compose(locale, "sie" if locale.startswith("de") else None, ["capacity"], company=company)
    assert firm in letter.body
    assert_clean(letter)
    # a name without a legal form stays an organisation
    other = compose(locale, "sie" if locale.startswith("de") else None, ["capacity"], company="Friends of the Park")
    assert firm not in other.body


@pytest.mark.parametrize(
    ("lang", "name", "expected"),
    [
        ("en", "Acme S.A.", True),
        ("en", "Acme, L.L.C.", True),
        ("en", "Bright Path Tutoring", False),
        ("de", "Muster Ges.m.b.H.", True),
        ("de", "Gruber e.U.", True),
        ("de", "Turnverein Musterstadt e.V.", False),
    ],
)
def test_has_legal_form_ignores_full_stops(lang: str, name: str, expected: bool) -> None:
    assert has_legal_form(name, load(lang, "locale")) is expected


@pytest.mark.parametrize(
    ("typed", "in_text"),
    [
        ("Estate accounts retainer", "the estate accounts retainer"),
        ("Organ maintenance contract", "the organ maintenance contract"),
        ("Property management agreement", "the property management agreement"),
        ("Chimney sweeping contract", "the chimney sweeping contract"),
        ("Hexham estate cleaning contract", "the Hexham estate cleaning contract"),  # a place keeps its capital
    ],
)
@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_contract_names_in_sentence_case_are_lowered_in_running_text(locale: str, typed: str, in_text: str) -> None:
    data: dict[str, Any] = {
        "locale": locale,
        "date": "2026-11-26",
        "sender": {"company": "Muster Ltd", "name": "Erika Muster", "city": "Leeds"},
        "recipient": {"company": "Beispiel Ltd", "gender": "male", "first_name": "Tom", "last_name": "Reed"},
        "contract": {"name": typed, "reference": "C-1"},
        "end_date": "2026-12-31",
        "reasons": ["capacity"],
    }
    letter = letterkit.compose(data)
    decision = " ".join(b.text for b in letter.blocks if b.part == "decision")
    assert f"terminating {in_text} (reference C-1)" in decision
    assert typed.casefold() in letter.subject.casefold()  # the subject as typed (en-US: in title case)
    assert_clean(letter)


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize("solo", [False, True])
@pytest.mark.parametrize("reasons", [["scope", "missing_inputs"], ["missing_inputs", "scope"]])
def test_missing_inputs_beside_scope_says_the_standard_once(locale: str, solo: bool, reasons: list[str]) -> None:
    letter = compose(locale, None, reasons, solo)
    text = reasons_text(letter)
    we = "I" if solo else "we"
    assert "the quality you rightly expect" in text and "agreed standard" not in text
    sentence = f"{we.capitalize()} need documents and approvals that {we} have not yet received; without them, "
    assert sentence + f"{we} cannot proceed as agreed." in text
    assert_clean(letter)
    alone = reasons_text(compose(locale, None, ["missing_inputs"], solo))
    assert alone.startswith(f"To continue the work to the agreed standard, {we} need documents")


@pytest.mark.parametrize(("locale", "register"), [c for c in CASES if c[0].startswith("de")])
@pytest.mark.parametrize("solo", [False, True])
@pytest.mark.parametrize("reasons", [["capacity", "availability"], ["availability", "capacity"]])
def test_german_capacity_beside_availability_says_the_availability_once(
    locale: str, register: str | None, solo: bool, reasons: list[str]
) -> None:
    letter = compose(locale, register, reasons, solo)
    text = reasons_text(letter)
    assert ("Ich bin" if solo else "Unsere Kapazitäten sind") + " auf absehbare Zeit voll ausgelastet." in text
    assert "Verfügbarkeit" not in text and text.count("Bedarf") == 1
    assert_clean(letter)
    alone = reasons_text(compose(locale, register, ["capacity"], solo))
    assert "nicht mehr die Verfügbarkeit bieten" in alone


@pytest.mark.parametrize(("locale", "register"), [c for c in CASES if c[0].startswith("de")])
@pytest.mark.parametrize("other", ["budget", "changing_requirements", "model_retired", "technology"])
@pytest.mark.parametrize("fit_first", [True, False])
def test_german_fit_does_not_repeat_the_requirements_of_another_reason(
    locale: str, register: str | None, other: str, fit_first: bool
) -> None:
    letter = compose(locale, register, ["fit", other] if fit_first else [other, "fit"])
    text = reasons_text(letter)
    your = "Dein" if register == "du" else "Ihr"
    assert f"{your} Bedarf hat sich in eine Richtung entwickelt, für die andere Anbieter besser aufgestellt" in text
    assert f"{your}e Anforderungen haben sich" not in text
    assert_clean(letter)
    # alone, and beside availability (which says "diesen Bedarf"), fit names the requirements
    assert f"{your}e Anforderungen haben sich" in reasons_text(compose(locale, register, ["fit"]))
    beside = reasons_text(compose(locale, register, ["fit", other, "availability"]))
    assert f"{your}e Anforderungen haben sich" in beside and beside.count("Bedarf") == 1


@pytest.mark.parametrize(
    ("company", "team"),
    [("Vinhos do Douro Lda", "Vinhos do Douro"), ("Nordic Design ApS", "Nordic Design"), ("Huber GesmbH", "Huber")],
)
def test_an_english_team_greeting_leaves_out_the_forms_that_make_a_firm(company: str, team: str) -> None:
    data: dict[str, Any] = {
        "locale": "en-GB",
        "channel": "email",
        "date": "2026-11-26",
        "sender": {"company": "Muster Ltd", "name": "Erika Muster", "city": "Leeds", "email": "e@example.co.uk"},
        "recipient": {"company": company, "email": "x@example.com"},
        "end_date": "2026-12-31",
        "reasons": ["capacity"],
    }
    letter = letterkit.compose(data)
    assert letter.salutation == f"Dear {team} team"
    assert "continued success" in letter.body
    assert_clean(letter)
