"""Acceptance round 9 (the tester's round 14): names stay as typed, the text fits the facts.

- A name is data, not prose: the tidying of the parts' own punctuation never reaches into
  it ("Frau !Berg" keeps its space; "Hallo !Werbung GmbH" its space; "A..B" its stops). A
  '?' in a person's name is refused on input (a character lost in an old CSV export:
  tests/test_input_acceptance9.py), so a '?' is tried in a firm's name here.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

import letterkit
from tests.conftest import BASE

ADDRESSES = {
    "de-DE": {"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
    "de-AT": {"street": "Ringstraße 1", "postal_code": "1010", "city": "Wien", "country": "AT"},
    "de-CH": {"street": "Bahnhofstrasse 1", "postal_code": "8001", "city": "Zürich", "country": "CH"},
    "en-GB": {"street": "1 High Street", "postal_code": "SW1A 1AA", "city": "London", "country": "GB"},
    "en-US": {
        "street": "1 Main Street",
        "postal_code": "10001",
        "city": "New York",
        "state": "NY",
        "country": "US",
    },
}
VARIANTS = [
    (loc, ch, reg)
    for loc, ch in itertools.product(ADDRESSES, ("letter", "email"))
    for reg in (("sie", "du") if loc.startswith("de") else (None,))
]


def letter_input(locale: str, channel: str, register: str | None, **extra: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["locale"], data["channel"] = locale, channel
    data["sender"].update(ADDRESSES[locale])
    data["recipient"].update(ADDRESSES[locale], email="anna@example.com")
    if register:
        data["register"] = register
    data.update(extra)
    return data


def flat(letter: letterkit.Letter) -> str:
    text = letterkit.render(letter, "txt").decode("utf-8")
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


# --- 1. names are data ----------------------------------------------------------------

ODD_NAMES = [
    "!Berg",
    ":Kern",
    ";Lutz",
    "«Moser»",
    "Wolf !Sahin",
    "A..B",
    ")Ott",
    "Yahoo !",
    "Moin ; Co",
]
ODD_FIRMS = [
    "Hallo !Werbung GmbH",
    "Warum? Agentur AG",
    "«Alpha» Beta AG",
    "Muster..Bau GmbH",
    "Zeit : Raum GmbH",
]


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
def test_names_with_punctuation_are_printed_as_typed(locale: str, channel: str, register: str | None) -> None:
    for last_name, firm in zip(ODD_NAMES, itertools.cycle(ODD_FIRMS)):
        data = letter_input(
            locale, channel, register, handover={"providers": [firm], "contact": {"name": f"Jo {last_name}"}}
        )
        data["recipient"].update(last_name=last_name, company=firm)
        text = flat(letterkit.compose(data))
        assert last_name in text and firm in text and f"Jo {last_name}" in text, (last_name, firm, text)


def test_a_name_that_starts_with_a_mark_keeps_the_space_in_the_greeting() -> None:
    data = letter_input("de-DE", "email", "sie")
    data["recipient"]["last_name"] = "!Berg"
    assert letterkit.compose(data).salutation == "Guten Tag, Frau !Berg,"


# --- 2. reminders among several reasons -------------------------------------------------

REMINDERS = {"de": "Zahlungserinnerungen", "en": "payment reminders"}
DOCUMENTS = {
    "de": "an die benötigten Unterlagen und Freigaben erinnert",
    "en": "reminders about the documents",
}
# payment and documents both given: the reminders' subject is open, so neutral (acc15)
NEUTRAL = {"de": "schriftlich an", "en": "followed up with you in writing"}


@pytest.mark.parametrize(("locale", "channel", "register"), [v for v in VARIANTS if v[1] == "letter"])
@pytest.mark.parametrize(
    ("reasons", "wording"),
    [
        (["payment_terms", "capacity"], REMINDERS),
        (["capacity", "payment_terms"], REMINDERS),
        (["missing_inputs", "payment_terms"], NEUTRAL),
        (["working_style", "missing_inputs"], DOCUMENTS),
    ],
)
def test_reminders_take_the_wording_of_a_reason_among_several(
    locale: str, channel: str, register: str | None, reasons: list[str], wording: dict[str, str]
) -> None:
    data = letter_input(
        locale, channel, register, reasons=reasons, steps_taken=[{"kind": "reminders", "count": 4}]
    )
    letter = letterkit.compose(data)
    assert wording[locale[:2]] in flat(letter)
    assert letter.findings == ()


# --- 3. what a refund is ----------------------------------------------------------------

REFUND_WORDING = {
    "prepayment": {"de-sie": "die nicht verbrauchten", "en": "of your prepayment"},
    "overpayment": {"de-sie": "den zu viel gezahlten Betrag", "en": "your overpayment of"},
    "credit_balance": {"de-sie": "Ihr Guthaben", "en": "your credit balance of"},
    # with a method after it, the amount alone ("refund £40.00 to you by bank transfer"; acc15)
    None: {"de-sie": "Ihr Guthaben in Höhe von", "en": "40.00"},
}


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
@pytest.mark.parametrize("kind", list(REFUND_WORDING))
@pytest.mark.parametrize("method", ["bank_transfer", "card", "paypal", "credit_note", "offset", None])
def test_the_refund_says_what_is_refunded(
    locale: str, channel: str, register: str | None, kind: str | None, method: str | None
) -> None:
    refund: dict[str, Any] = {"amount": 40, "by": "2027-01-10"}
    if kind:
        refund["kind"] = kind
    if method:
        refund["method"] = method
    extra: dict[str, Any] = {"refund": refund}
    if method == "offset":
        extra["final_invoice"] = {"amount": 500, "due_date": "2027-01-15"}
    letter = letterkit.compose(letter_input(locale, channel, register, **extra))
    text = flat(letter)
    if locale.startswith("en"):
        assert REFUND_WORDING[kind]["en"] in text
    elif register == "sie":  # "Den …" at the start of a sentence
        assert REFUND_WORDING[kind]["de-sie"].lower() in text.lower(), text
    if kind != "prepayment":
        assert "Vorauszahlung" not in text and "prepayment" not in text
    assert letter.findings == ()


def test_a_refund_kind_that_is_not_known_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(letterkit.LetterkitError, match="did you mean 'overpayment'"):
        letterkit.compose(letter_input("de-DE", "letter", "sie", refund={"amount": 40, "kind": "overpaid"}))


# --- 4. keys are given back, accounts transferred -------------------------------------

THINGS = {"de": ["Schlüsselkarte Haupteingang", "Schlüsselkarte Tiefgarage"], "en": ["the office key card"]}
ACCOUNTS = {"de": ["Hosting", "API-Schlüssel"], "en": ["hosting", "the API key"]}
PASSWORDS = {"de": "Passwörter", "en": "passwords"}
RETURNED = {"de": "Folgendes zurück:", "en": " return "}  # one thing stands in the sentence (text18)


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
@pytest.mark.parametrize("export", [None, "all files"])
def test_key_cards_are_returned_without_a_password_change(
    locale: str, channel: str, register: str | None, export: str | None
) -> None:
    lang = locale[:2]
    handover: dict[str, Any] = {"accounts": THINGS[lang]}
    if export:
        handover["export"] = export
    letter = letterkit.compose(letter_input(locale, channel, register, handover=handover))
    text = flat(letter)
    assert RETURNED[lang] in text and PASSWORDS[lang] not in text, text
    assert letter.findings == ()


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
def test_accounts_and_keys_together(locale: str, channel: str, register: str | None) -> None:
    lang = locale[:2]
    handover = {"accounts": [*ACCOUNTS[lang], *THINGS[lang]]}
    letter = letterkit.compose(letter_input(locale, channel, register, handover=handover))
    data = next(block.text for block in letter.blocks if block.part == "data")
    accounts, _, things = data.partition(RETURNED[lang])
    assert all(account in accounts for account in ACCOUNTS[lang]) and PASSWORDS[lang] in accounts
    assert all(thing in things for thing in THINGS[lang])
    assert letter.findings == ()


# --- 5. subject capitals per locale; the contract is referred to by its own word ---------

CLEANING = {"name": "janitorial services contract", "reference": "SPC-882", "date": "2024-01-15"}


def test_us_subject_is_headline_style_and_uk_sentence_case() -> None:
    us = letterkit.compose(letter_input("en-US", "letter", None, contract=CLEANING))
    assert us.subject == (
        "Notice of Termination: Janitorial Services Contract (Ref. SPC-882), Last Day of Service December 31, 2026"
    )
    uk = letterkit.compose(letter_input("en-GB", "letter", None, contract=CLEANING))
    assert (
        uk.subject
        # round 21: a capital after the colon, the rest of the name as typed
        == "Notice of termination: Janitorial services contract (ref. SPC-882), last day of service 31 December 2026"
    )
    plain = letterkit.compose(letter_input("en-US", "email", None))
    assert plain.subject == "End of Our Work Together, Last Day of Service December 31, 2026"
    # without a contract, as with one: "…, last day of service …" (a colon gave "…: Last day" in en-GB)
    plain = letterkit.compose(letter_input("en-GB", "email", None))
    assert plain.subject == "End of our work together, last day of service 31 December 2026"


def test_a_headline_keeps_words_typed_with_capitals() -> None:
    contract = {"name": "iPhone app follow-up support for SEO", "reference": "a-1"}
    us = letterkit.compose(letter_input("en-US", "letter", None, contract=contract))
    assert us.subject.startswith("Notice of Termination: iPhone App Follow-Up Support for SEO (Ref. a-1)")


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize(
    ("name", "noun"),
    [
        ("janitorial services contract", "contract"),
        ("Managed IT Support Agreement", "agreement"),
        ("SEO retainer", "agreement"),
    ],
)
def test_the_letter_refers_to_the_contract_by_its_own_word(locale: str, name: str, noun: str) -> None:
    letter = letterkit.compose(letter_input(locale, "letter", None, contract={"name": name}))
    other = {"contract": "agreement", "agreement": "contract"}[noun]
    assert f"If the {noun} requires" in letter.body and f"the {other}" not in letter.body
    assert letter.findings == ()


# --- 6. "Herrn" in the German address field ---------------------------------------------


@pytest.mark.parametrize(("locale", "expected"), [("de-DE", "Herrn"), ("de-AT", "Herrn"), ("de-CH", "Herr")])
@pytest.mark.parametrize("register", ["sie", "du"])
def test_the_german_address_field_names_a_man_in_the_accusative(
    locale: str, expected: str, register: str
) -> None:
    data = letter_input(locale, "letter", register)
    data["recipient"].update(gender="male", title="Dr.", first_name="Jonas", last_name="Weber")
    letter = letterkit.compose(data)
    assert f"{expected} Dr. Jonas Weber" in letter.recipient_address
    # the salutation keeps the nominative
    assert "Herr Dr. Weber" in letter.salutation or "Jonas" in letter.salutation
    assert letter.findings == ()


# --- 9. an ordinary return line fits the address field ----------------------------------


def test_an_ordinary_return_line_fits_and_a_long_one_is_still_reported() -> None:
    from letterkit.render.fit import overflows

    data = letter_input("de-DE", "letter", "sie")
    data["sender"].update(
        company="Glanzwerk Gebäudeservice GmbH", street="Hafenstraße 21", postal_code="28217"
    )
    data["sender"]["city"] = "Bremen"
    letter = letterkit.compose(data)
    assert letter.sender_line == "Glanzwerk Gebäudeservice GmbH · Hafenstraße 21 · 28217 Bremen"
    assert overflows(letter) == []
    data["sender"]["company"] = "Glanzwerk Gebäudeservice und Facility-Management Norddeutschland GmbH"
    assert any("return address line" in warning for warning in overflows(letterkit.compose(data)))


# --- 8. an email input printed as .docx is a letter -------------------------------------


@pytest.mark.parametrize(("locale", "register"), [("en-US", None), ("de-DE", "sie"), ("de-CH", "du")])
def test_an_email_input_written_as_docx_reads_as_a_letter(
    tmp_path: Any, write_input: Any, locale: str, register: str | None
) -> None:
    import docx
    from click.testing import CliRunner

    from letterkit.cli import main

    data = letter_input(locale, "email", register)
    source = write_input(data)
    out = tmp_path / "printed.docx"
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "written as a letter" in result.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    for email_only in (
        "just reply",
        "dieser E-Mail",
        "antworten Sie",
        "antworte einfach",
        "Freundliche Grüße",
    ):
        assert email_only not in text
    assert ("this letter" in text) if locale.startswith("en") else ("Schreibens" in text)


# --- 7. a long email address in the info block is not broken at its hyphen --------------


def info_block(data: dict[str, Any]) -> list[str]:
    import io

    import docx

    blob = letterkit.render(letterkit.compose(data), "docx")
    return [p.text for cell in docx.Document(io.BytesIO(blob)).tables[0]._cells for p in cell.paragraphs]


def test_a_long_email_address_goes_below_its_label_in_the_docx() -> None:
    data = letter_input("de-DE", "letter", "sie")
    data["sender"]["email"] = "k.hoffmann@zahntechnik-hoffmann.de"
    texts = info_block(data)
    # the label on its own line, the address whole on the next (not broken at its hyphen)
    assert "E-Mail:" in texts and "k.hoffmann@zahntechnik-hoffmann.de" in texts, texts
    assert "E-Mail:\terika.muster@example.de" in info_block(letter_input("de-DE", "letter", "sie"))
