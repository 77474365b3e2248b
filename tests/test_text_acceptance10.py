"""Acceptance run acc15: the texts of the letters.

1. The handover promises only what the input gives: accounts or keys without
   handover.export send no "all documents and files"; handover.by dates them instead.
2. Physical things read as things in both languages ("roof access key", "building pass",
   "master key" / Generalschlüssel, Sattelkammerschlüssel); handover.collect asks the
   client to give the sender's own things back (a coworking key card).
3. A contract's name keeps a leading word that belongs to it ("a la carte", "The Hut
   Group"); en-US headlines case the words either side of a dash.
4. An English refund's method follows a noun, never a verb it could attach to ("the
   £30.00 you overpaid by bank transfer", "the £22.50 due to you by bank transfer").
5. Reminders in a letter giving both payment and documents as reasons are neutral: the
   input does not say which the reminders were about.
6. English titles are never dropped: The Revd, Sir, Dame, and any other title typed as a
   word (Canon, Rabbi), in the address, the salutation and the email's To: alike.
7. A posted letter to a company without a contact person opens "Dear Sir or Madam" in
   both English locales; emails keep the team salutation.
8. The standard reasons fit ongoing services (pool care, bookkeeping): no "your project" /
   "das Projekt".
9. German refers back to the contract with the word its name uses ("die Rahmenvereinbarung
   … endet die Vereinbarung"), as English does with contract_refer_back.
11. The '?' lost-character error speaks to a file typed by hand and to a list exported from
    Excel; an English input's gender error shows an English example.
12. A sender's address naming a US state is in the United States whatever the letter's
    locale: an en-GB letter from Virginia to Plymouth prints the country line.
"""

from __future__ import annotations

from typing import Any

import pytest

import letterkit
from letterkit.compose import _accounts_and_things
from letterkit.model import Handover
from letterkit.parts import load
from tests.test_text_acceptance9 import VARIANTS, letter_input
from tests.test_text_review_fixes import _data_paragraph, _spelling

# --- 1. no files the input never mentions ---------------------------------------------

FILES = {"de": "Unterlagen und Dateien", "en": "documents and files"}
KEYS = {"de": ["den Büroschlüssel", "Drucker-Konto"], "en": ["the office keys", "the printer account"]}


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
@pytest.mark.parametrize("by", [None, "2026-12-31", "2026-12-20"])
def test_accounts_and_keys_promise_no_files(locale: str, channel: str, register: str | None, by: str | None) -> None:
    handover: dict[str, Any] = {"accounts": KEYS[locale[:2]]}
    if by:
        handover["by"] = by
    letter = letterkit.compose(letter_input(locale, channel, register, handover=handover))
    text = _data_paragraph(letter)
    assert FILES[locale[:2]] not in text, text
    if by == "2026-12-20":  # the date given is the date for the accounts and the keys
        assert ("20. Dezember 2026" if locale[:2] == "de" else "20") in text, text
    assert letter.findings == ()


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_a_date_alone_still_gives_all_files_by_then(locale: str) -> None:
    letter = letterkit.compose(letter_input(locale, "letter", None, handover={"by": "2026-12-20"}))
    assert FILES[locale[:2]] in _data_paragraph(letter)


# --- 2. things in both languages; handover.collect -------------------------------------

THINGS = {
    "en": ["roof access key", "keys to the boiler room", "key for the tack room", "master key",
           "the master key", "building pass", "security pass", "tack room key", "key safe code card"],
    "de": ["Sattelkammerschlüssel", "Dachschlüssel", "Dachzugangsschlüssel", "Heizungsraumschlüssel",
           "Stallschlüssel", "Generalschlüssel", "Hausausweis", "Schlüssel für den Heizungsraum"],
}
ACCOUNTS = {
    "en": ["AWS access key", "access key", "the KMS master key", "API key for the building automation system",
           "building automation login", "Stripe API key"],
    "de": ["API-Schlüssel", "Zugangsschlüssel", "Wiederherstellungsschlüssel", "Lizenzschlüssel für Office"],
}


@pytest.mark.parametrize(
    ("lang", "entry", "physical"),
    [(lang, e, True) for lang, es in THINGS.items() for e in es]
    + [(lang, e, False) for lang, es in ACCOUNTS.items() for e in es],
)
def test_physical_things_are_things_in_both_languages(lang: str, entry: str, physical: bool) -> None:
    accounts, things = _accounts_and_things(Handover(accounts=(entry,)), load(lang, "locale"))
    assert (things, accounts) == (([entry], []) if physical else ([], [entry]))


COLLECT = {"de": ["die Schlüsselkarte", "den Briefkastenschlüssel"], "en": ["the key card", "the mailbox key"]}
ASKED = {
    ("de", "sie"): "Bitte geben Sie uns bis zum Vertragsende Folgendes zurück: ",
    ("de", "du"): "Bitte gib uns bis zum Vertragsende Folgendes zurück: ",
    ("en", None): "Please return the following to us by our last day of service: ",
}


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
def test_collect_asks_the_client_to_return_the_senders_things(
    locale: str, channel: str, register: str | None
) -> None:
    lang = locale[:2]
    contract = {"name": "Mietvertrag" if lang == "de" else "membership agreement"}
    handover = {"collect": COLLECT[lang]}
    letter = letterkit.compose(letter_input(locale, channel, register, handover=handover, contract=contract))
    text = _data_paragraph(letter)
    asked = ASKED[(lang, register or "sie") if lang == "de" else (lang, None)]
    assert asked in text, text
    assert FILES[lang] not in text and "Passw" not in text and "transfer" not in text
    assert letter.findings == ()
    _spelling(letter, COLLECT[lang])


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_collect_after_dated_accounts_names_their_date(locale: str) -> None:
    # not "bis dahin" / "by then": the sentence just before is "Danach entfernen wir …" /
    # "After that, we will remove …", which gives no date (tester 46)
    lang = locale[:2]
    handover = {"accounts": ["Hosting"], "collect": COLLECT[lang], "by": "2026-12-20"}
    text = _data_paragraph(letterkit.compose(letter_input(locale, "letter", None, handover=handover)))
    expected = (
        "Bitte geben Sie uns bis zum 20. Dezember 2026 Folgendes zurück:"
        if lang == "de"
        else "Please return the following to us by December 20, 2026:"
    )
    assert expected in text, text
    assert "bis dahin" not in text and "by then" not in text


def test_collect_is_in_the_schema() -> None:
    handover = letterkit.json_schema()["properties"]["handover"]["properties"]
    assert handover["collect"]["type"] == "array"


# --- 3. a leading article that belongs to the name; dashes in headlines ---------------


@pytest.mark.parametrize(
    ("name", "us_subject", "phrase"),
    [
        ("a la carte design services", "A la Carte Design Services", "the “a la carte design services” agreement"),
        # a capitalised article or possessive is taken off: title case is the common case
        ("The Hut Group", "Hut Group", "the “Hut Group” agreement"),
        ("Our Website Maintenance", "Website Maintenance", "the “Website Maintenance” agreement"),
        ("Your Support", "Support", "the “Support” agreement"),
        ("The SEO Services", "SEO Services", "the “SEO Services” agreement"),
        ("A-Team support", "A-Team Support", "the “A-Team support” agreement"),
        ("the SEO retainer", "SEO Retainer", "the SEO retainer"),
        ("The SEO Retainer", "SEO Retainer", "the SEO Retainer"),
        ("a website maintenance agreement", "Website Maintenance Agreement", "the website maintenance agreement"),
        ("pest control service—quarterly", "Pest Control Service—Quarterly", "the “pest control service—quarterly”"),
        ("lawn care – front and back", "Lawn Care – Front and Back", "the “lawn care – front and back”"),
    ],
)
def test_a_leading_word_of_the_name_is_kept(name: str, us_subject: str, phrase: str) -> None:
    letter = letterkit.compose(letter_input("en-US", "letter", None, contract={"name": name}))
    assert f"Notice of Termination: {us_subject}, Last Day" in letter.subject, letter.subject
    assert phrase in letter.blocks[0].text, letter.blocks[0].text
    assert letter.findings == ()


# --- 4. the refund's method attaches to "refund" ---------------------------------------


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize("kind", [None, "prepayment", "overpayment", "credit_balance"])
@pytest.mark.parametrize("method", ["bank_transfer", "card", "paypal"])
def test_the_refund_method_cannot_attach_to_the_wrong_verb(locale: str, kind: str | None, method: str) -> None:
    refund: dict[str, Any] = {"amount": 30, "method": method}
    if kind:
        refund["kind"] = kind
    letter = letterkit.compose(letter_input(locale, "letter", None, refund=refund))
    text = next(block.text for block in letter.blocks if block.part == "refund")
    method_words = {"bank_transfer": " by bank transfer", "card": " to the card", "paypal": " via PayPal"}[method]
    before = text.partition(method_words)[0]
    assert method_words in text, text
    assert not before.endswith(("overpaid", "due to you", "paid")), text
    assert letter.findings == ()


def test_an_overpayment_and_an_unnamed_refund_read_unambiguously() -> None:
    overpaid = {"amount": 30, "kind": "overpayment", "method": "bank_transfer"}
    letter = letterkit.compose(letter_input("en-GB", "letter", None, refund=overpaid))
    assert "We will refund your overpayment of £30.00 by bank transfer." in letter.body
    unnamed = {"amount": 22.5, "method": "bank_transfer"}
    letter = letterkit.compose(letter_input("en-GB", "letter", None, refund=unnamed))
    assert "We will refund £22.50 to you by bank transfer." in letter.body


# --- 5. reminders with payment and documents among the reasons -----------------------


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
@pytest.mark.parametrize(
    "reasons",
    [["missing_inputs", "payment_terms"], ["payment_terms", "missing_inputs"], ["fit", "missing_inputs", "payment_terms"]],
)
def test_reminders_for_payment_and_documents_are_neutral(
    locale: str, channel: str, register: str | None, reasons: list[str]
) -> None:
    steps = [{"kind": "reminders", "count": 3}]
    letter = letterkit.compose(letter_input(locale, channel, register, reasons=reasons, steps_taken=steps))
    text = next(block.text for block in letter.blocks if block.part == "steps")
    assert not any(word in text for word in ("Zahlungserinnerung", "payment reminder", "Unterlagen", "documents")), text
    assert ("dreimal schriftlich" if locale[:2] == "de" else "in writing three times") in text, text
    assert letter.findings == ()


# --- 6. English titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "title", "gender", "address", "salutation"),
    [
        ("en-GB", "Revd", "male", "The Revd Alasdair Grey", "Dear Mr Grey"),
        ("en-GB", "The Revd", "female", "The Revd Alasdair Grey", "Dear Ms Grey"),
        ("en-GB", "Rev.", "unknown", "The Revd Alasdair Grey", "Dear Alasdair Grey"),
        ("en-US", "Revd", "male", "The Reverend Alasdair Grey", "Dear Reverend Grey:"),
        ("en-GB", "Sir", "male", "Sir Alasdair Grey", "Dear Sir Alasdair"),
        ("en-US", "Sir", "unknown", "Sir Alasdair Grey", "Dear Sir Alasdair:"),
        ("en-GB", "Dame", "female", "Dame Alasdair Grey", "Dear Dame Alasdair"),
        ("en-GB", "Canon", "male", "Canon Alasdair Grey", "Dear Canon Grey"),
        ("en-US", "Rabbi", "unknown", "Rabbi Alasdair Grey", "Dear Rabbi Grey:"),
        ("en-GB", "Mag.", "female", "Ms Alasdair Grey", "Dear Ms Grey"),
        # titles English does not use are left out, whatever they look like (review)
        ("en-GB", "KR", "male", "Mr Alasdair Grey", "Dear Mr Grey"),
        ("en-GB", "DDr.", "female", "Ms Alasdair Grey", "Dear Ms Grey"),
        ("en-US", "Doz.", "male", "Mr. Alasdair Grey", "Dear Mr. Grey:"),
        ("en-US", "Honorable", "male", "Mr. Alasdair Grey", "Dear Mr. Grey:"),
        ("en-GB", "Dr", "male", "Dr Alasdair Grey", "Dear Dr Grey"),
    ],
)
@pytest.mark.parametrize("channel", ["letter", "email"])
def test_english_titles_are_kept(
    locale: str, title: str, gender: str, address: str, salutation: str, channel: str
) -> None:
    data = letter_input(locale, channel, None)
    data["recipient"].update(title=title, gender=gender, first_name="Alasdair", last_name="Grey")
    letter = letterkit.compose(data)
    assert address in letter.recipient_address
    if channel == "email":
        salutation = salutation.rstrip(":") + ("," if locale == "en-US" else "")
        plain = address.removeprefix("Ms ").removeprefix("Mr. ").removeprefix("Mr ")
        assert letter.recipient_name == plain  # no honorific in To:
    assert letter.salutation == salutation
    assert letter.findings == ()


# --- 7. a company without a contact person -------------------------------------------


@pytest.mark.parametrize(
    ("locale", "channel", "salutation", "closing"),
    [
        ("en-US", "letter", "Dear Sir or Madam:", "Sincerely,"),
        ("en-GB", "letter", "Dear Sir or Madam", "Yours faithfully"),
        ("en-US", "email", "Dear Merrimack Valley Storage team,", "Best regards,"),
        ("en-GB", "email", "Dear Merrimack Valley Storage team", "Kind regards"),
    ],
)
def test_a_posted_letter_to_a_company_opens_formally(locale: str, channel: str, salutation: str, closing: str) -> None:
    data = letter_input(locale, channel, None)
    data["recipient"] = {
        key: value for key, value in data["recipient"].items() if key not in ("gender", "first_name", "last_name")
    }
    data["recipient"]["company"] = "Merrimack Valley Storage LLC"
    letter = letterkit.compose(data)
    assert (letter.salutation, letter.closing) == (salutation, closing)
    assert letter.findings == ()


# --- 12. the sender's country from its own address -----------------------------------


@pytest.mark.parametrize("state", ["VA", "va", "Virginia"])
def test_a_sender_in_a_us_state_sends_abroad_from_the_us(state: str) -> None:
    data = letter_input("en-GB", "letter", None)
    data["sender"] = {
        "company": "Tidewater Pool Care, Inc.",
        "name": "Rosalind Achebe",
        "street": "915 Granby Street",
        "postal_code": "23510",
        "city": "Norfolk",
        "state": state,
        "email": "rachebe@example.com",
    }
    data["recipient"].update(street="7 Harbour Row", postal_code="PL1 2AB", city="Plymouth")
    data["recipient"].pop("country", None)
    letter = letterkit.compose(data)
    assert letter.recipient_address[-3:] == ("PLYMOUTH", "PL1 2AB", "UNITED KINGDOM")
    assert list(letter.sender_address[-2:]) == ["Norfolk, VA 23510", "United States"]  # the state as its code (USPS); abroad: the country
    assert letter.findings == ()


# --- 9. German refers back with the contract's own word ------------------------------


@pytest.mark.parametrize(
    ("name", "noun"),
    [
        ("Rahmenvereinbarung IT-Service", "die Vereinbarung"),
        ("Vereinbarung über Suchmaschinenoptimierung", "die Vereinbarung"),
        ("Steuermandat", "das Mandat"),
        ("Software-Abonnement", "das Abonnement"),
        ("Wartungsvertrag", "der Vertrag"),
        ("Textbetreuung", "der Vertrag"),
    ],
)
@pytest.mark.parametrize("locale", ["de-DE", "de-CH"])
def test_german_refers_back_with_the_contracts_word(name: str, noun: str, locale: str) -> None:
    letter = letterkit.compose(letter_input(locale, "letter", "du", contract={"name": name}))
    assert f"endet {noun} zum nächstmöglichen Termin" in letter.blocks[0].text, letter.blocks[0].text
    assert letter.findings == ()


# --- 11. error messages for both cases and both languages ----------------------------


def test_a_lost_character_error_speaks_to_a_hand_typed_file_and_an_export() -> None:
    data = letter_input("de-DE", "letter", "sie")
    data["recipient"]["last_name"] = "?ahin"
    with pytest.raises(letterkit.LetterkitError) as caught:
        letterkit.validate(data)
    message = str(caught.value)
    assert "typed by hand" in message and "UTF-8" in message
    assert "exported from Excel" in message and '"CSV UTF-8"' in message


@pytest.mark.parametrize(("locale", "example"), [("en-GB", "(e.g. title: Dr)"), ("de-DE", "(e.g. title: Dr.)")])
def test_a_gender_error_gives_an_example_in_the_letters_language(locale: str, example: str) -> None:
    data = letter_input(locale, "letter", None)
    data["recipient"]["gender"] = "Doctor Herr"
    with pytest.raises(letterkit.LetterkitError) as caught:
        letterkit.validate(data)
    assert example in str(caught.value)


# --- 8. reasons that fit an ongoing service ------------------------------------------

REASONS = [
    "payment_terms", "scope", "fit", "focus_change", "capacity", "working_style", "availability", "budget",
    "changing_requirements", "conflict_of_interest", "professional_limits", "missing_inputs", "technology",
    "model_retired", "restructuring", "quality_expectations", "personal", "unspecified",
]


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
def test_no_reason_speaks_of_a_project(locale: str, channel: str, register: str | None) -> None:
    for reason in REASONS:
        letter = letterkit.compose(letter_input(locale, channel, register, reasons=[reason]))
        text = " ".join(block.text for block in letter.blocks if block.part == "reasons")
        assert "project" not in text.lower() and "projekt" not in text.lower(), (reason, text)
        assert letter.findings == ()


# --- review: a letter's own text passes the lint as a draft, wrapped lines included -------


@pytest.mark.parametrize("name", ["hosting", "support", "website maintenance"])
def test_a_letter_with_a_lower_case_contract_name_lints_clean_as_a_draft(name: str) -> None:
    """The .txt letter wraps 'the ‘hosting’' and 'agreement' onto two lines; the scare-quote
    rule let a quoted name before 'agreement' pass only with a space between them."""
    from letterkit.lint import lint

    data = letter_input("en-GB", "letter", None, contract={"name": name})
    text = letterkit.render(letterkit.compose(data), "txt").decode("utf-8")
    assert [f.rule for f in lint(text, lang="en", locale="en-GB")] == []
