"""Round 20 (acceptance): reasons reworded where they read awkwardly (en budget,
missing_inputs, technology; de capacity), one-person senders without corporate jargon,
every step that the sender took towards the reader says so ("mit Ihnen", "Ihnen eine
Frist", "asked you"), a reason_note that repeats a reason takes its first sentence's place,
contract names in sentence case lowered by what their words are, contact details after
"at" instead of in brackets, the German info block naming the body's contact person, and
US states as their postal code."""

from __future__ import annotations

import re
from typing import Any

import pytest

import letterkit

ENGLISH = ["en-GB", "en-US"]
GERMAN = ["de-DE", "de-AT", "de-CH"]
REGISTERS = ["sie", "du"]


def data(locale: str, register: str = "sie", *, solo: bool = False, **changes: Any) -> dict[str, Any]:
    german = locale.startswith("de")
    base: dict[str, Any] = {
        "locale": locale,
        "channel": "email",
        "date": "2026-11-20",
        "end_date": "2026-12-31",
        "sender": {
            "company": None if solo else "Nordlicht Studio GmbH",
            "name": "Eva Lind",
            "email": "eva@example.com",
        },
        "recipient": {
            "company": "Beispiel AG" if german else "Bloggs Holdings Ltd",
            "first_name": "Ruth",
            "last_name": "Okafor",
            "gender": "female",
            "email": "ruth@example.com",
        },
        "contract": {"name": "Wartungsvertrag" if german else "Support Agreement"},
    }
    if german:
        base["register"] = register
    base.update(changes)
    return base


def compose(*args: Any, **kwargs: Any) -> letterkit.Letter:
    letter = letterkit.compose(data(*args, **kwargs))
    assert letter.findings == (), [(f.rule, f.text) for f in letter.findings]
    return letter


def paragraph(letter: letterkit.Letter, part: str) -> str:
    return " ".join(next(b.text for b in letter.blocks if part in b.parts).split())


# --- 1-3. English reasons that read awkwardly -------------------------------------------


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("solo", [False, True])
def test_english_budget_says_the_work_is_not_covered(locale: str, solo: bool) -> None:
    us = "me" if solo else "us"
    text = paragraph(compose(locale, solo=solo, reasons=["budget"]), "reasons")
    assert text == (
        # round 21: "What you now need", as scope opens with "The work"
        "What you now need is no longer covered by the agreed budget, so continuing on these "
        f"terms is not commercially viable for {us}."
    )


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("solo", [False, True])
def test_english_missing_inputs_opens_with_the_purpose(locale: str, solo: bool) -> None:
    we = "I" if solo else "we"
    text = paragraph(compose(locale, solo=solo, reasons=["missing_inputs"]), "reasons")
    assert text == (
        f"To continue the work to the agreed standard, {we} need documents and approvals that {we} "
        "have not yet received."
    )


@pytest.mark.parametrize("locale", ENGLISH)
def test_english_technology_says_whose_requirements_moved(locale: str) -> None:
    alone = paragraph(compose(locale, reasons=["technology"]), "reasons")
    assert alone == (
        "Your technical requirements have moved away from our area of expertise, so other providers "
        "are now better placed to support you."
    )
    with_fit = paragraph(compose(locale, reasons=["fit", "technology"]), "reasons")
    assert with_fit.endswith("Your technical requirements have moved away from our area of expertise.")
    assert "moved apart" not in with_fit


# --- 4. Every step the sender took towards the reader says so --------------------------

STEP_KINDS = ["reminders", "revised_scope", "payment_plan", "escalation", "deadline"]
# meeting and call are told with the "we" of both sides ("haben wir … gemeinsam",
# "we met", "we spoke by phone"): the reader is in them already
READER = {"sie": r"\b(Sie|Ihnen|Ihrer)\b", "du": r"\b(dich|dir|eurer)\b"}


@pytest.mark.parametrize("locale", ["de-DE", "de-CH"])
@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("solo", [False, True])
@pytest.mark.parametrize("kind", STEP_KINDS)
@pytest.mark.parametrize("dated", [False, True])
def test_a_german_step_says_with_whom(locale: str, register: str, solo: bool, kind: str, dated: bool) -> None:
    step = {"kind": kind, **({"date": "2026-10-01"} if dated and kind != "reminders" else {})}
    text = paragraph(compose(locale, register, solo=solo, steps_taken=[step]), "steps")
    assert re.search(READER[register], text), text


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("solo", [False, True])
@pytest.mark.parametrize("kind", STEP_KINDS)
@pytest.mark.parametrize("previous", [None, "reminders"])
@pytest.mark.parametrize("dated", [False, True])
def test_an_english_step_says_with_whom(
    locale: str, solo: bool, kind: str, previous: str | None, dated: bool
) -> None:
    steps = [{"kind": previous}] if previous else []
    steps.append({"kind": kind, **({"date": "2026-10-01"} if dated and kind != "reminders" else {})})
    text = paragraph(compose(locale, solo=solo, steps_taken=steps), "steps")
    last = re.split(r"(?<=\.) ", text)[len(steps) - 1]
    assert re.search(r"\byou(r)?\b", last), last


def test_the_reported_german_steps() -> None:
    steps = [{"kind": "escalation", "date": "2026-10-01"}, {"kind": "deadline", "date": "2026-11-02"}]
    sie = paragraph(compose("de-DE", steps_taken=steps), "steps")
    assert (
        "Am 1. Oktober 2026 haben wir die offenen Punkte mit Ihnen auf Ebene der Geschäftsleitung besprochen."
        in sie
    )
    assert (
        "Danach haben wir Ihnen zur Klärung schriftlich eine Frist bis zum 2. November 2026 gesetzt." in sie
    )
    du = paragraph(compose("de-DE", "du", steps_taken=steps), "steps")
    assert "die offenen Punkte mit dir auf Ebene der Geschäftsleitung besprochen." in du
    assert "Danach haben wir dir zur Klärung schriftlich eine Frist" in du


def test_the_english_deadline_names_the_reader() -> None:
    alone = paragraph(compose("en-GB", steps_taken=[{"kind": "deadline"}]), "steps")
    assert alone == "We wrote to you to set a date for a resolution."
    after = paragraph(compose("en-GB", steps_taken=[{"kind": "reminders"}, {"kind": "deadline"}]), "steps")
    assert after.endswith("After that, we set you a date for a resolution.")


# --- 5. German capacity: the care requires the availability ----------------------------


@pytest.mark.parametrize("locale", GERMAN)
@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("solo", [False, True])
def test_capacity_is_what_the_care_requires(locale: str, register: str, solo: bool) -> None:
    text = paragraph(compose(locale, register, solo=solo, reasons=["capacity"]), "reasons")
    reader = "Ihre" if register == "sie" else "deine"
    assert text.endswith(f"die {reader} Betreuung erfordert.") and "verdient" not in text


# --- 6. One person does not write like a corporation ------------------------------------

ALL_REASONS = [
    "payment_terms",
    "scope",
    "fit",
    "focus_change",
    "capacity",
    "working_style",
    "availability",
    "budget",
    "changing_requirements",
    "conflict_of_interest",
    "professional_limits",
    "missing_inputs",
    "technology",
    "model_retired",
    "restructuring",
    "quality_expectations",
    "personal",
    "unspecified",
]
CORPORATE = {
    "de": ["Servicemodell", "Kapazitäten", "Unternehmen um", "betrieblichen"],
    "en": ["service model", "capacity is fully committed"],
}


@pytest.mark.parametrize(
    ("locale", "register"), [("de-AT", "sie"), ("de-AT", "du"), ("de-CH", "du"), ("en-GB", "sie")]
)
@pytest.mark.parametrize("reason", ALL_REASONS)
def test_one_person_writes_without_corporate_words(locale: str, register: str, reason: str) -> None:
    text = paragraph(compose(locale, register, solo=True, reasons=[reason]), "reasons")
    assert not [w for w in CORPORATE[locale[:2]] if w in text], text


def test_the_reported_trainer() -> None:
    letter = compose(
        "de-AT",
        "du",
        solo=True,
        reasons=["availability"],
        recipient={
            "first_name": "Lena",
            "last_name": "Huber",
            "gender": "female",
            "email": "lena@example.at",
        },
    )
    assert "Ich arbeite nur zu den üblichen Zeiten unter der Woche" in paragraph(letter, "reasons")
    english = compose("en-US", solo=True, reasons=["availability"])
    assert "I only work regular weekday hours and cannot meet that need." in paragraph(english, "reasons")


# --- 7. A reason_note that repeats a reason takes its first sentence's place -------------


def test_a_note_that_repeats_the_reason_replaces_its_first_sentence() -> None:
    note = "Wir richten unser Angebot künftig ausschließlich auf Webentwicklung aus."
    text = paragraph(compose("de-CH", reasons=["focus_change"], reason_note=note), "reasons")
    assert text == (
        "Wir richten unser Angebot künftig ausschliesslich auf Webentwicklung aus. "
        "Die Leistungen, die wir bisher für Sie erbracht haben, gehören nicht mehr dazu."
    )
    english = paragraph(
        compose(
            "en-GB", reasons=["focus_change"], reason_note="We are narrowing our services to web design."
        ),
        "reasons",
    )
    assert english == "We are narrowing our services to web design."


def test_a_note_that_adds_something_else_follows_the_reasons() -> None:
    note = "Das gilt ab Januar für alle Kundinnen und Kunden."
    text = paragraph(compose("de-DE", reasons=["focus_change"], reason_note=note), "reasons")
    assert text.startswith("Wir richten unser Angebot neu aus") and text.endswith(note)
    english = paragraph(
        compose(
            "en-GB", reasons=["capacity", "focus_change"], reason_note="We are moving our office to Leeds."
        ),
        "reasons",
    )
    assert english.startswith("Our capacity") and english.endswith("We are moving our office to Leeds.")


def test_a_note_takes_the_place_of_the_reason_it_repeats() -> None:
    note = "Wir richten unser Angebot künftig ganz auf Webentwicklung aus."
    text = paragraph(compose("de-DE", reasons=["focus_change", "capacity"], reason_note=note), "reasons")
    assert text.startswith(note + " Die Leistungen, die wir bisher") and "Unsere Kapazitäten" in text
    assert text.count("richten unser Angebot") == 1


# --- 8. Contract names in running text ----------------------------------------------------


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize(
    ("company", "name", "expected"),
    [
        (
            "Bluepeak Managed IT, Inc.",
            "Managed services agreement",
            "terminating the managed services agreement",
        ),
        ("Bluepeak IT, Inc.", "Managed services agreement", "terminating the managed services agreement"),
        ("Clarke Coaching Ltd", "Executive coaching package", "terminating the executive coaching package"),
        (
            "Clarke Coaching Ltd",
            "Professional development plan",
            "terminating the professional development plan",
        ),
        (
            "Bluepeak IT, Inc.",
            "Monthly Bookkeeping Agreement",
            "terminating the Monthly Bookkeeping Agreement",
        ),
        ("Bluepeak IT, Inc.", "Premium Care Plan", "terminating the Premium Care Plan"),
        (
            "Bluepeak IT, Inc.",
            "Manchester warehouse cleaning contract",
            "the Manchester warehouse cleaning contract",
        ),
        # the company's own first word is its name: kept
        ("Managed Services Ltd", "Managed services agreement", "terminating the Managed services agreement"),
    ],
)
def test_a_contract_name_in_sentence_case_is_a_common_noun(
    locale: str, company: str, name: str, expected: str
) -> None:
    sender = {"company": company, "name": "Dana Lee", "email": "dana@example.com"}
    letter = compose(locale, sender=sender, contract={"name": name})
    assert expected in paragraph(letter, "decision")


# --- 9. Contact details after "at", never in brackets -----------------------------------

PHONES = ["(512) 555-0147", "+1 512 555 0147", "512-555-0147", "+44 (0)117 496 0123"]


@pytest.mark.parametrize("locale", [*ENGLISH, *GERMAN])
@pytest.mark.parametrize("channel", ["letter", "email"])
@pytest.mark.parametrize("phone", PHONES)
@pytest.mark.parametrize("other", [False, True])
def test_contact_details_stand_without_brackets(locale: str, channel: str, phone: str, other: bool) -> None:
    sender = {"company": "Bluepeak IT, Inc.", "name": "Dana Lee", "email": "dana@example.com", "phone": phone}
    extra: dict[str, Any] = {"handover": {"contact": {"name": "Sam Ortiz", "phone": phone}}} if other else {}
    if channel == "letter":
        extra["recipient"] = {
            "company": "Oak Dental LLC",
            "first_name": "Ann",
            "last_name": "Roe",
            "gender": "female",
            "street": "2 Elm St",
            "postal_code": "60302",
            "city": "Oak Park",
            "state": "IL",
            "country": "US",
        }
    text = paragraph(compose(locale, channel=channel, sender=sender, **extra), "contact")
    assert phone in text
    assert f"({phone}" not in text and "((" not in text, text


def test_the_reported_us_email() -> None:
    sender = {
        "company": "Bluepeak IT, Inc.",
        "name": "Dana Lee",
        "email": "dana@example.com",
        "phone": "(512) 555-0147",
    }
    text = paragraph(compose("en-US", sender=sender), "contact")
    # round 21: a company says "us" here too, as in every other part of its letter
    assert text.endswith("just reply or call us directly at (512) 555-0147.")


# --- 10. The German info block names the body's contact person ---------------------------


def references(letter: letterkit.Letter) -> dict[str, str]:
    return {r.label: r.value for r in letter.references}


ADDRESS = {
    "company": "Beispiel AG",
    "first_name": "Ruth",
    "last_name": "Okafor",
    "gender": "female",
    "street": "Nebenweg 2",
    "postal_code": "8010",
    "city": "Graz",
    "country": "AT",
}


@pytest.mark.parametrize("locale", GERMAN)
def test_the_info_block_names_the_contact_of_the_body(locale: str) -> None:
    sender = {
        "company": "Hoffmann IT GmbH",
        "name": "Bernd Hoffmann",
        "email": "bh@example.de",
        "phone": "+49 30 1234567",
    }
    contact = {"name": "Sabine Kraus", "email": "sk@example.de"}
    letter = compose(
        locale, channel="letter", sender=sender, recipient=ADDRESS, handover={"contact": contact}
    )
    block = references(letter)
    assert block["Kontakt"] == "Sabine Kraus" and block["E-Mail"] == "sk@example.de"
    assert "Telefon" not in block  # not the signer's number under her name
    assert "an Sabine Kraus" in paragraph(letter, "contact")
    alone = references(compose(locale, channel="letter", sender=sender, recipient=ADDRESS))
    assert alone["Kontakt"] == "Bernd Hoffmann" and alone["Telefon"] == "+49 30 1234567"
    handover = {"contact": {"name": "Bernd Hoffmann"}}
    herself = references(
        compose(locale, channel="letter", sender=sender, recipient=ADDRESS, handover=handover)
    )
    assert herself["Kontakt"] == "Bernd Hoffmann" and herself["E-Mail"] == "bh@example.de"


# --- 11. US states as the Postal Service writes them -------------------------------------


@pytest.mark.parametrize(
    ("city", "state", "line"),
    [
        ("Oak Park, Illinois", None, "Oak Park, IL 60302"),
        ("Oak Park", "Illinois", "Oak Park, IL 60302"),
        ("Oak Park", "il", "Oak Park, IL 60302"),
        ("Oak Park IL", None, "Oak Park, IL 60302"),
        ("Oak Park, IL", None, "Oak Park, IL 60302"),
    ],
)
def test_a_us_state_is_printed_as_its_code(city: str, state: str | None, line: str) -> None:
    recipient = {
        "company": "Oak Dental LLC",
        "first_name": "Ann",
        "last_name": "Roe",
        "gender": "female",
        "street": "2 Elm St",
        "postal_code": "60302",
        "city": city,
        "state": state,
    }
    letter = compose("en-US", channel="letter", recipient=recipient)
    assert letter.recipient_address[-1] == line


@pytest.mark.parametrize(
    "note",
    [
        "Wir konzentrieren uns künftig auf Webentwicklung.",
        "Wir konzentrieren uns künftig ausschließlich auf den Straßenbau.",
        "Künftig bieten wir nur noch Webentwicklung an.",
    ],
)
def test_a_note_that_states_the_new_focus_for_the_future_replaces_the_first_sentence(note: str) -> None:
    """Said twice before: „… konzentrieren uns künftig auf ein engeres Leistungsspektrum. …
    Wir konzentrieren uns künftig auf Webentwicklung.“ (tester 36)."""
    text = paragraph(compose("de-DE", reasons=["focus_change"], reason_note=note), "reasons")
    assert text == note + " Die Leistungen, die wir bisher für Sie erbracht haben, gehören nicht mehr dazu."


def test_a_note_about_the_time_until_the_end_still_follows_the_reason() -> None:
    note = "Bis zum Vertragsende konzentrieren wir uns auf den Abschluss Ihres Relaunches."
    text = paragraph(compose("de-DE", reasons=["focus_change"], reason_note=note), "reasons")
    assert text.startswith("Wir richten unser Angebot neu aus") and text.endswith(note)
    english = paragraph(
        compose(
            "en-GB",
            reasons=["focus_change"],
            reason_note="We are focusing on your handover until the end date.",
        ),
        "reasons",
    )
    assert english.startswith("We are narrowing our business") and english.endswith("until the end date.")


# --- Several reasons side by side do not repeat one another's words (tester 36) ----------


def test_capacity_availability_and_fit_say_need_once() -> None:
    text = paragraph(compose("en-US", reasons=["capacity", "availability", "fit"]), "reasons")
    assert text.lower().count("need") == 2, text  # "needs support", "meet that need"
    assert "Your requirements have developed" in text
    alone = paragraph(compose("en-US", reasons=["capacity"]), "reasons")
    assert alone.endswith("so we can no longer offer you the availability you need.")
    assert paragraph(compose("en-GB", reasons=["fit"]), "reasons").startswith("Your needs have developed")


@pytest.mark.parametrize(
    ("locale", "linked"),
    [
        ("en-GB", "As part of this, we are retiring the support model"),
        ("de-DE", "Im Zuge dessen führen wir das bisherige Betreuungsmodell nicht weiter."),
    ],
)
def test_restructuring_then_a_retired_model_reads_as_one_change(locale: str, linked: str) -> None:
    text = paragraph(compose(locale, reasons=["restructuring", "model_retired"]), "reasons")
    assert linked in text
    assert text.count("our services") <= 1 and text.count("stellen unser") == 0


@pytest.mark.parametrize(
    ("locale", "closing"),
    [
        ("en-GB", "This is part of a wider restructuring of our company."),
        ("de-AT", "Das ist Teil einer umfassenden Neuaufstellung unseres Unternehmens."),
    ],
)
def test_a_retired_model_then_restructuring_names_the_restructuring_as_its_frame(
    locale: str, closing: str
) -> None:
    text = paragraph(compose(locale, reasons=["model_retired", "restructuring"]), "reasons")
    assert text.endswith(closing)
    assert text.count("our services") <= 1
