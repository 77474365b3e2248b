"""Every sample input validates, composes, and reads the way its locale and register expect.

The expectations here are written down independently of letterkit's own code and data
(month names, salutation and closing rules from reference/domain-letters.md section 5),
so a wrong template or a wrong convention makes these tests fail.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from letterkit.compose import compose
from letterkit.letter import Letter
from letterkit.model import validate
from letterkit.parts import reason_codes
from letterkit.schema import LOCALES, STEP_KINDS
from letterkit.sources import read_input

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
SAMPLES = sorted(SAMPLES_DIR.glob("*.yaml"))
IDS = [path.stem for path in SAMPLES]
FIRST_LETTER_DATE = date(2026, 11, 26)

MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Address forms; "Sie" forms are matched case-sensitively (lower-case "sie"/"ihr" mean
# she/they/her), du forms in any case (they start sentences, too).
SIE_FORMS = re.compile(r"\b(Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres)\b")
DU_FORMS = re.compile(
    r"\b(du|dich|dir|dein|deine|deinem|deinen|deiner|deines|euch|euer|eure|eurem|euren|eurer)\b",
    re.IGNORECASE,
)


# --- helpers -------------------------------------------------------------------------


def raw(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def letter_of(path: Path) -> Letter:
    return compose(path)


def letter_text(letter: Letter) -> str:
    """What a reader reads: subject, salutation, body and closing."""
    return "\n".join((letter.subject, letter.salutation, letter.body, letter.closing))


def every_text(letter: Letter) -> str:
    """Every piece of text the letter carries, including addresses, footer and labels."""
    pieces = [
        letter.date_line,
        letter.subject,
        letter.salutation,
        letter.body,
        letter.closing,
        letter.sender_line,
        letter.enclosures_label,
        letter.recipient_name,
        letter.sender_name,
    ]
    pieces += [
        *letter.signature,
        *letter.sender_address,
        *letter.recipient_address,
        *letter.enclosures,
        *letter.footer,
        *letter.labels.values(),
    ]
    pieces += [f"{ref.label} {ref.value}" for ref in letter.references]
    return "\n".join(piece for piece in pieces if piece)


def spelled_date(value: date, locale: str) -> str:
    """The long date as a reader of ``locale`` writes it, without babel."""
    if locale.startswith("de"):
        month = "Jänner" if locale == "de-AT" and value.month == 1 else MONTHS_DE[value.month - 1]
        return f"{value.day}. {month} {value.year}"
    if locale == "en-US":
        return f"{MONTHS_EN[value.month - 1]} {value.day}, {value.year}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def address_form_errors(text: str, register: str) -> list[str]:
    """Words of the other form of address found in ``text``."""
    wrong = SIE_FORMS if register == "du" else DU_FORMS
    return sorted({match.group(0) for match in wrong.finditer(text)})


def _title_in_salutation(title: str | None, locale: str, gender: str) -> str:
    """The recipient's title as the salutation uses it, with a trailing space."""
    if not title:
        return ""
    if locale == "de-AT":  # every academic grade is used in Austria
        return title + " "
    tokens = [tok.strip(".").lower() for tok in title.replace(".", ". ").split()]
    if "prof" in tokens:
        if locale.startswith("de"):
            return {"female": "Professorin ", "male": "Professor "}.get(gender, "Prof. ")
        return "Professor "
    if "dr" in tokens:
        return "Dr " if locale == "en-GB" else "Dr. "
    return ""


def expected_salutations(data: dict[str, Any]) -> set[str]:
    """The salutations reference/domain-letters.md section 5 allows for a sample."""
    locale, channel = data["locale"], data.get("channel", "letter")
    register = data.get("register", "sie")
    r = data["recipient"]
    gender = r.get("gender", "unknown")
    first, last = r.get("first_name", ""), r.get("last_name", "")
    title = _title_in_salutation(r.get("title"), locale, gender)
    if locale.startswith("de"):
        return _german_salutations(locale, channel, register, gender, title, first, last)
    company = r.get("company", "")
    if locale == "en-GB":
        honorific = "" if title else {"female": "Ms ", "male": "Mr "}.get(gender, "")
        named = f"{title}{honorific}{last}" if (title or honorific) else f"{first} {last}"
        if not last:
            forms = {"Dear Sir or Madam", f"Dear {company} team", f"Dear {company} Team"}
        else:
            forms = {f"Dear {named}"} | ({f"Dear {first}"} if channel == "email" else set())
        return forms | {form + "," for form in forms}
    honorific = "" if title else {"female": "Ms. ", "male": "Mr. "}.get(gender, "")
    named = f"{title}{honorific}{last}" if (title or honorific) else f"{first} {last}"
    if not last:
        if channel == "letter":
            return {f"Dear {company} Team:", "Ladies and Gentlemen:"}
        return {f"Hello {company} team,", f"Hello {company} Team,", f"Dear {company} Team,"}
    if channel == "letter":
        return {f"Dear {named}:", f"Dear {named},"}
    return {f"Dear {named},", f"Hi {first},", f"Hello {first},"}


def _german_salutations(
    locale: str, channel: str, register: str, gender: str, title: str, first: str, last: str
) -> set[str]:
    swiss = locale == "de-CH"
    end = "" if swiss else ","
    comma = "" if swiss else ","
    if register == "du":
        named = {"female": f"Liebe {first}", "male": f"Lieber {first}"}.get(gender, f"Hallo {first}")
        forms = {named, f"Hallo {first}"} if channel == "email" else {named}
    elif not last:
        forms = {"Sehr geehrte Damen und Herren"}
        if channel == "email":
            forms.add("Guten Tag")
    elif gender in ("female", "male"):
        honorific = "Frau" if gender == "female" else "Herr"
        dear = "Sehr geehrte" if gender == "female" else "Sehr geehrter"
        forms = {f"{dear} {honorific} {title}{last}"}
        if channel == "email":
            forms.add(f"Guten Tag{comma} {honorific} {title}{last}")
    else:
        forms = {f"Guten Tag{comma} {title}{first} {last}"}
    return {form + end for form in forms}


def expected_closings(data: dict[str, Any], salutation: str) -> set[str]:
    """The closings reference/domain-letters.md section 5 allows for a sample."""
    locale, channel = data["locale"], data.get("channel", "letter")
    register = data.get("register", "sie")
    named = bool(data["recipient"].get("last_name"))
    if locale == "de-CH":
        return (
            {"Freundliche Grüsse"}
            if register == "sie"
            # a termination in du is still business: no "Liebe Grüsse"
            else {"Freundliche Grüsse", "Beste Grüsse", "Viele Grüsse"}
        )
    if locale.startswith("de"):
        if register == "du":
            return {"Viele Grüße", "Herzliche Grüße"} | ({"Liebe Grüße"} if locale == "de-AT" else set())
        return (
            {"Mit freundlichen Grüßen"}
            if channel == "letter"
            else {"Freundliche Grüße", "Mit freundlichen Grüßen"}
        )
    if locale == "en-GB":
        if channel == "letter":
            closings = {"Yours sincerely"} if named else {"Yours faithfully"}
        else:
            closings = {"Kind regards", "Best wishes", "Regards"}
        # open punctuation or a comma after both, never mixed
        return {c + "," for c in closings} if salutation.endswith(",") else closings
    if channel == "letter":
        return {"Sincerely,", "Sincerely yours,"}
    return {"Best regards,", "Regards,", "Sincerely,"}


# --- the collection as a whole -------------------------------------------------------


def test_samples_cover_locales_registers_channels_reasons_and_steps():
    data = [raw(path) for path in SAMPLES]
    assert len(SAMPLES) >= 10
    assert {d["locale"] for d in data} == set(LOCALES)
    german = [d for d in data if d["locale"].startswith("de")]
    assert {d.get("register", "sie") for d in german} == {"sie", "du"}
    for lang in ("de", "en"):
        channels = {d.get("channel", "letter") for d in data if d["locale"].startswith(lang)}
        assert channels == {"letter", "email"}, f"{lang}: samples need a letter and an email"
    used_reasons = {code for d in data for code in d.get("reasons", [])}
    assert set(reason_codes()) - used_reasons == set(), "reason codes without a sample"
    used_steps = {step["kind"] for d in data for step in d.get("steps_taken", [])}
    assert set(STEP_KINDS) - used_steps == set(), "step kinds without a sample"
    assert any(d.get("reason_note") for d in data)
    assert any(not d["recipient"].get("last_name") for d in data), "no company-only recipient"
    assert any(not d["recipient"].get("company") for d in data), "no private recipient"
    assert any(d["recipient"].get("gender") == "unknown" for d in data)


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_sample_starts_with_a_comment_and_is_dated_after_the_release(path):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# ") and len(first_line) > 20, "start with a one-line comment"
    data = raw(path)
    assert path.stem.startswith(data["locale"]), "file name starts with the locale"
    assert data["date"] >= FIRST_LETTER_DATE
    assert data["end_date"] > data["date"]


# --- each sample ---------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_sample_validates(path):
    data, lines = read_input(path)
    termination = validate(data, source=str(path), lines=lines)
    assert termination.locale == data["locale"]
    assert termination.end_date == data["end_date"]


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_sample_composes_with_subject_salutation_body_and_closing(path):
    letter = letter_of(path)
    assert letter.subject and letter.salutation and letter.closing
    assert len(letter.blocks) >= 3
    assert all(block.text.strip() for block in letter.blocks)
    assert "{{" not in letter_text(letter) and "{%" not in letter_text(letter)


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_decision_block_states_the_end_date(path):
    data, letter = raw(path), letter_of(path)
    decision = [block for block in letter.blocks if "decision" in block.parts]
    assert len(decision) == 1, "exactly one paragraph carries the decision"
    end = spelled_date(data["end_date"], data["locale"])
    assert end in decision[0].text, f"{end!r} not in the decision: {decision[0].text}"


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_salutation_matches_the_locale_convention(path):
    data, letter = raw(path), letter_of(path)
    assert letter.salutation in expected_salutations(data)


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_closing_matches_the_locale_and_the_salutation(path):
    data, letter = raw(path), letter_of(path)
    assert letter.closing in expected_closings(data, letter.salutation)


@pytest.mark.parametrize(
    "path",
    [p for p in SAMPLES if p.stem.startswith("de-CH")],
    ids=[p.stem for p in SAMPLES if p.stem.startswith("de-CH")],
)
def test_swiss_letter_has_no_sharp_s_and_starts_upper_case(path):
    letter = letter_of(path)
    text = every_text(letter)
    assert "ß" not in text, [line for line in text.splitlines() if "ß" in line]
    assert not letter.salutation.endswith(",")
    assert letter.blocks[0].text[0].isupper()


@pytest.mark.parametrize(
    "path",
    [p for p in SAMPLES if p.stem.startswith("de-")],
    ids=[p.stem for p in SAMPLES if p.stem.startswith("de-")],
)
def test_german_letter_keeps_one_form_of_address(path):
    data, letter = raw(path), letter_of(path)
    register = data.get("register", "sie")
    assert letter.register == register
    wrong = address_form_errors(letter_text(letter), register)
    assert wrong == [], f"{register} letter uses {wrong}:\n{letter_text(letter)}"


# --- the checks themselves can fail --------------------------------------------------


def test_address_form_check_catches_mixed_forms():
    assert address_form_errors("Bitte bestätigen Sie uns den Eingang.", "du") == ["Sie"]
    assert address_form_errors("Wir danken Ihnen für Ihr Vertrauen.", "du") == ["Ihnen", "Ihr"]
    assert address_form_errors("Dein Team und wir danken dir.", "sie") == ["Dein", "dir"]
    assert address_form_errors("Ohne sie geht es nicht; ihr Team auch.", "du") == []
    assert address_form_errors("Durch die Dienstleistung", "sie") == []


def test_spelled_dates_follow_each_locale():
    day = date(2027, 1, 5)
    assert spelled_date(day, "de-DE") == "5. Januar 2027"
    assert spelled_date(day, "de-AT") == "5. Jänner 2027"
    assert spelled_date(day, "en-GB") == "5 January 2027"
    assert spelled_date(day, "en-US") == "January 5, 2027"


def test_salutation_and_closing_rules_reject_wrong_forms():
    de = {
        "locale": "de-DE",
        "recipient": {"gender": "female", "first_name": "Anna", "last_name": "Schneider", "title": "Dr."},
    }
    assert "Sehr geehrte Frau Dr. Schneider," in expected_salutations(de)
    assert "Sehr geehrte Frau Schneider," not in expected_salutations(de)
    assert expected_closings(de, "Sehr geehrte Frau Dr. Schneider,") == {"Mit freundlichen Grüßen"}
    ch = {**de, "locale": "de-CH"}
    assert expected_salutations(ch) == {"Sehr geehrte Frau Dr. Schneider"}
    assert "Freundliche Grüße" not in expected_closings(ch, "")
    gb = {"locale": "en-GB", "recipient": {"gender": "female", "first_name": "Priya", "last_name": "Patel"}}
    assert "Dear Ms Patel" in expected_salutations(gb) and "Dear Ms. Patel" not in expected_salutations(gb)
    assert expected_closings(gb, "Dear Ms Patel") == {"Yours sincerely"}
    assert expected_closings({**gb, "recipient": {"company": "X Ltd"}}, "Dear Sir or Madam") == {
        "Yours faithfully"
    }
    us = {**gb, "locale": "en-US"}
    assert "Dear Ms. Patel:" in expected_salutations(us)
    assert "Yours sincerely" not in expected_closings(us, "Dear Ms. Patel:")
