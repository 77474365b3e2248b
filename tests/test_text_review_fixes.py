"""Fixes from a review of the texts and the input checks.

1. Handover: only real physical things (office keys, key cards, fobs, gate remotes) among
   handover.accounts are given back; digital keys, key vaults and remote access are
   accounts and are transferred. handover.returns names what is given back outright.
2. en-US headline subjects: a minor word is lower case only as a whole word or inside a
   hyphenated compound ("Support for In-House Systems", "Pay-per-Click"); a word typed in
   lower case is capitalised, with a possessive too ("Acme's"), as a lower-case brand is.
3. A '?' in a firm's name may be the firm's ("?What If! Ltd", "Frag?Mich GmbH"); in a
   person's name, a street or a city it is a letter lost in an old CSV export.
4. generate: an email written to .docx/.pdf is printed as a letter; a printed copy
   without a postal address is named as such.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.compose import _accounts_and_things
from letterkit.errors import InputError
from letterkit.model import Handover
from letterkit.parts import load
from tests.test_spelling import misspellings, report, require_hunspell
from tests.test_text_acceptance9 import VARIANTS, letter_input

# --- 1. handover: accounts are transferred, things given back -------------------------

PHYSICAL = {
    "en": [
        "the office keys",
        "the office key card",
        "car keys",
        "the keys to the building",
        "the keys",
        "spare key",
        "the key fob for the car park",
        "staff badges",
        "the access card",
        "the RFID transponder",
        "the gate remote",
        "the garage door opener",
        "the YubiKey",
    ],
    "de": [
        "den Büroschlüssel",
        "die Schlüssel",
        "Schlüssel für das Lager",
        "den Haustürschlüssel",
        "den Büro-Schlüssel",
        "den Torschlüssel",
        "den Autoschlüssel",
        "den Wohnungsschlüssel",
        "den Generalschlüssel",
        "Schlüsselkarte Haupteingang",
        "die Zutrittskarte",
        "den Transponder",
        "den Chip für die Tiefgarage",
        "den Mitarbeiterausweis",
        "den Handsender für das Hoftor",
        "die Garagenfernbedienung",
    ],
}
DIGITAL = {
    "en": [
        "remote desktop access (TeamViewer)",
        "remote access",
        "the Azure Key Vault",
        "the GPG signing keys",
        "the SSH keys",
        "the API key",
        "the licence keys",
        "the BitLocker recovery keys",
        "Azure Storage keys",
        "the keyword research tool",
        "the Google Maps card on the website",
        "Keycloak",
    ],
    "de": [
        "den Verschlüsselungsdienst (Boxcryptor)",
        "den Wiederherstellungsschlüssel für BitLocker",
        "den API-Schlüssel",
        "den SSH Schlüssel",
        "den privaten Schlüssel",
        "den Schlüssel für die API",
        "die Lizenzschlüssel",
        "die Google-Maps-Karte auf der Website",
        "das Schlüsselpaar für die Signatur",
        "die Fernwartung (TeamViewer)",
        "Chipotle-Bestellkonto",
    ],
}


@pytest.mark.parametrize(
    ("lang", "entry", "physical"),
    [(lang, e, True) for lang, es in PHYSICAL.items() for e in es]
    + [(lang, e, False) for lang, es in DIGITAL.items() for e in es],
)
def test_only_physical_things_among_the_accounts_are_given_back(
    lang: str, entry: str, physical: bool
) -> None:
    accounts, things = _accounts_and_things(Handover(accounts=(entry,)), load(lang, "locale"))
    assert (things, accounts) == (([entry], []) if physical else ([], [entry]))


MIXED: dict[str, dict[str, list[str]]] = {
    "en": {
        "accounts": ["remote desktop access (TeamViewer)", "the Azure Key Vault", "the GPG signing keys"],
        "things": ["the office keys", "the key card"],
        "returns": ["the company laptop"],
    },
    "de": {
        "accounts": [
            "den Verschlüsselungsdienst (Boxcryptor)",
            "den Wiederherstellungsschlüssel für BitLocker",
        ],
        "things": ["den Büroschlüssel", "die Zutrittskarte"],
        "returns": ["das Firmennotebook"],
    },
}
TRANSFERRED = {"de": "übertragen wir", "en": "transfer ownership of the following"}
RETURNED = {"de": "Folgendes zurück:", "en": "return the following to you:"}
PASSWORDS = {"de": "Passwörter", "en": "passwords"}


def _data_paragraph(letter: letterkit.Letter) -> str:
    return next(block.text for block in letter.blocks if block.part == "data")


def _spelling(letter: letterkit.Letter, entries: list[str]) -> None:
    """The letter's own words around the entries are spelled correctly (the entries are data)."""
    require_hunspell()
    dictionary = {"de-CH": "de_CH", "en-GB": "en_GB", "en-US": "en_US"}.get(letter.locale, "de_DE")
    texts = [letter.subject, letter.salutation, letter.closing, *(block.text for block in letter.blocks)]
    found = misspellings(dictionary, [("letter", text) for text in texts], letter.lang, tuple(entries))
    assert not found, report(dictionary, found)


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
def test_a_list_mixing_accounts_and_things_gives_both_sentences(
    locale: str, channel: str, register: str | None
) -> None:
    lang = locale[:2]
    mixed = MIXED[lang]
    handover = {"accounts": [*mixed["accounts"], *mixed["things"]], "returns": mixed["returns"]}
    letter = letterkit.compose(letter_input(locale, channel, register, handover=handover))
    transferred, _, returned = _data_paragraph(letter).partition(RETURNED[lang])
    assert TRANSFERRED[lang] in transferred and PASSWORDS[lang] in transferred
    assert all(account in transferred for account in mixed["accounts"])
    assert not any(thing in transferred for thing in [*mixed["things"], *mixed["returns"]])
    assert all(thing in returned for thing in [*mixed["things"], *mixed["returns"]]), returned
    assert not any(account in returned for account in mixed["accounts"])
    assert letter.findings == ()
    _spelling(letter, [*mixed["accounts"], *mixed["things"], *mixed["returns"]])


@pytest.mark.parametrize(("locale", "channel", "register"), VARIANTS)
def test_things_to_return_alone_are_returned_without_a_password_change(
    locale: str, channel: str, register: str | None
) -> None:
    lang = locale[:2]
    returns = MIXED[lang]["returns"]
    letter = letterkit.compose(letter_input(locale, channel, register, handover={"returns": returns}))
    text = _data_paragraph(letter)
    # one thing stands in the sentence, not after "Folgendes zurück:" (text18)
    woven = {"de": f"{returns[0]} zurück.", "en": f"return {returns[0]} to you."}
    assert woven[lang] in text and RETURNED[lang] not in text and PASSWORDS[lang] not in text
    assert TRANSFERRED[lang] not in text
    assert letter.findings == ()


def test_returns_is_in_the_schema_and_never_transferred() -> None:
    schema = letterkit.json_schema()
    assert schema["properties"]["handover"]["properties"]["returns"]["type"] == "array"
    # an entry listed in both is given back, not transferred
    both = {"accounts": ["hosting", "the laptop"], "returns": ["the laptop"]}
    text = _data_paragraph(letterkit.compose(letter_input("en-GB", "letter", None, handover=both)))
    transferred, _, returned = text.partition(" return ")
    assert "the laptop" in returned and "the laptop" not in transferred and "hosting" in transferred


def test_swiss_letters_write_things_to_return_with_ss() -> None:
    handover: dict[str, Any] = {"returns": ["den Schließfachschlüssel"]}
    letter = letterkit.compose(letter_input("de-CH", "letter", "sie", handover=handover))
    assert "den Schliessfachschlüssel" in _data_paragraph(letter)


# --- 2. en-US headline subjects --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "headline"),
    [
        ("support for in-house systems", "Support for In-House Systems"),
        ("website hosting (off-site backups)", "Website Hosting (Off-Site Backups)"),
        ("e-commerce and follow-up services", "E-Commerce and Follow-Up Services"),
        ("SEO and pay-per-click retainer", "SEO and Pay-per-Click Retainer"),
        ("up-to-date reporting", "Up-to-Date Reporting"),
        ("innocent drinks website retainer", "Innocent Drinks Website Retainer"),
        ("website care plan for acme's online store", "Website Care Plan for Acme's Online Store"),
        ("iPhone app support for eBay sellers", "iPhone App Support for eBay Sellers"),
    ],
)
def test_us_headline_subjects_capitalise_hyphenated_words_and_possessives(name: str, headline: str) -> None:
    letter = letterkit.compose(
        letter_input("en-US", "letter", None, contract={"name": name, "reference": "X-1"})
    )
    assert f"Notice of Termination: {headline} (Ref. X-1)" in letter.subject, letter.subject
    assert letter.findings == ()


def test_uk_subjects_keep_the_contract_name_as_typed() -> None:
    contract = {"name": "support for in-house systems", "reference": "X-1"}
    letter = letterkit.compose(letter_input("en-GB", "letter", None, contract=contract))
    # round 21: the first letter after the subject's colon is a capital, the rest as typed
    assert "Support for in-house systems" in letter.subject


# --- 3. a '?' in a firm's name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "key", "value", "refused"),
    [
        ("recipient", "company", "?What If! Ltd", False),
        ("recipient", "company", "Frag?Mich GmbH", False),
        ("recipient", "company", "Warum? GmbH", False),
        ("recipient", "company", "Was?! Werbung GmbH", False),
        ("recipient", "company", "Agentur (?) GmbH", False),
        ("sender", "company", "?What If! Ltd", False),
        ("recipient", "company", "?lmühle GmbH", True),
        ("recipient", "company", "M?ller AG", True),
        ("recipient", "company", "M?LLER GMBH", True),
        ("recipient", "company", "Gro?e Stra?e GmbH", True),
        ("recipient", "company", "Frag?mich GmbH", True),
        ("recipient", "last_name", "?ahin", True),
        ("recipient", "last_name", "M?ller", True),
        ("recipient", "first_name", "?What", True),
        ("recipient", "street", "Gro?e Stra?e 5", True),
        ("recipient", "city", "M?nchen", True),
        ("sender", "last_name", "M?ller", True),
    ],
)
def test_a_question_mark_is_accepted_in_a_firms_name_only(
    who: str, key: str, value: str, refused: bool
) -> None:
    data = letter_input("de-DE", "letter", "sie")
    data[who][key] = value
    if refused:
        with pytest.raises(InputError, match=f"{who}.{key}: '.*' has a '\\?' where a letter should be"):
            letterkit.validate(data)
    else:
        letter = letterkit.compose(data)
        assert value in letterkit.render(letter, "txt").decode("utf-8")


def test_a_question_mark_in_a_providers_name_is_taken_as_typed() -> None:
    handover = {"providers": ["?What If! Ltd"], "contact": {"name": "Jonas Weber", "email": "j@example.com"}}
    letter = letterkit.compose(letter_input("en-GB", "letter", None, handover=handover))
    assert "?What If! Ltd" in " ".join(block.text for block in letter.blocks)
    bad = {"contact": {"name": "J?rg Weber", "email": "j@example.com"}}
    with pytest.raises(InputError, match=r"handover\.contact\.name"):
        letterkit.validate(letter_input("de-DE", "letter", "sie", handover=bad))


# --- 4. generate: the printed copy of an email ----------------------------------------


def _generate(path: Path, out: Path) -> Any:
    return CliRunner().invoke(main, ["generate", str(path), "-o", str(out)])


def test_an_email_printed_without_a_postal_address_says_so(base, write_input, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for key in ("street", "postal_code", "city"):
        del base["recipient"][key]
    base["recipient"]["email"] = "anna@example.com"
    base["channel"] = "email"
    source = write_input(base)
    result = _generate(source, tmp_path / "letter.docx")
    assert result.exit_code == 0, result.output
    assert (
        f"Warning: {source}: the input is an email (channel: email), and its printed copy has no postal "
        "address (recipient.street, recipient.postal_code, recipient.city missing)"
    ) in result.output
    assert "write .eml to send the email" in result.output
    assert "a missing address is an error" not in result.output  # channel: letter is not the fix here
    email = _generate(source, tmp_path / "letter.eml")
    assert email.exit_code == 0 and "postal address" not in email.output


def test_a_us_email_printed_without_the_state_says_so(base, write_input, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base["locale"] = "en-US"
    base["channel"] = "email"
    base["recipient"].update(
        street="5 Park Avenue", postal_code="10001", city="New York", country="US", email="anna@example.com"
    )
    base["sender"].update(
        street="1 Main Street", postal_code="73301", city="Austin", state="TX", country="US"
    )
    source = write_input(base)
    result = _generate(source, tmp_path / "letter.docx")
    assert result.exit_code == 0, result.output
    assert "needs the recipient's state" in result.output
    assert "the input is an email (channel: email), and its printed copy cannot be posted" in result.output
    base["recipient"]["state"] = "NY"
    clean = _generate(write_input(base, "with-state.yaml"), tmp_path / "state.docx")
    assert clean.exit_code == 0 and "cannot be posted" not in clean.output and "Warning" not in clean.output
