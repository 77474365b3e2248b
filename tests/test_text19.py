"""Round 19: one item woven into its sentence reads as running text does. English common
nouns take "the", items with their own determiner, number or owner stay as typed, an
account that is a name takes a frame without an article ("the Xero account"), access is
transferred as itself; a German item named by its head noun before a preposition takes
that noun's article ("den Zugriff auf das Lager-Dashboard"), and a masculine item typed in
the nominative stands in the accusative ("der Anhänger" → "den Anhänger")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import letterkit
from letterkit.cli import main as cli

ENGLISH = ["en-GB", "en-US"]
GERMAN = ["de-DE", "de-AT", "de-CH"]
CHANNELS = ["letter", "email"]


def data(locale: str, register: str = "sie", channel: str = "letter", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "locale": locale,
        "date": "2026-11-20",
        "end_date": "2026-12-31",
        "sender": {"company": "Nordlicht Studio GmbH", "name": "Eva Lind", "email": "eva@example.com"},
        "recipient": {"first_name": "Ruth", "last_name": "Okafor", "gender": "female"},
        "contract": {"name": "Wartungsvertrag" if locale.startswith("de") else "Support Agreement"},
    }
    if channel == "email":  # a letter stays without the postal address it does not need here
        base["channel"] = "email"
        base["recipient"]["email"] = "ruth@example.com"
    if locale.startswith("de"):
        base["register"] = register
    base.update(changes)
    return base


def data_paragraph(letter: letterkit.Letter) -> str:
    return " ".join(next(b.text for b in letter.blocks if "data" in b.parts).split())


def compose(locale: str, register: str = "sie", channel: str = "letter", **handover: Any) -> letterkit.Letter:
    letter = letterkit.compose(data(locale, register, channel, handover=handover))
    assert letter.findings == (), [f.rule for f in letter.findings]
    return letter


# --- English: one item takes "the" unless it brings its own determiner -------------------

ENGLISH_THINGS = [
    ("returns", "label printer", "return the label printer to you."),
    ("returns", "Label printer", "return the label printer to you."),  # sentence case lowered
    ("returns", "Tripod", "return the tripod to you."),  # one capitalised word: a common noun
    ("returns", "USB stick", "return the USB stick to you."),  # an acronym stays
    ("returns", "Loaner iPad case", "return the loaner iPad case to you."),
    ("returns", "our demo laptop", "return our demo laptop to you."),
    ("returns", "Your archive boxes", "return your archive boxes to you."),
    ("returns", "three badges", "return three badges to you."),
    ("returns", "2 monitors", "return 2 monitors to you."),
    ("returns", "all signed forms", "return all signed forms to you."),
    ("returns", "a spare charger", "return a spare charger to you."),
    ("returns", "the spare router", "return the spare router to you."),
    ("returns", "Priya's tablet", "return Priya's tablet to you."),
    ("collect", "hand truck", "Please return the hand truck to us by"),
    ("collect", "some cable reels", "Please return some cable reels to us by"),
    ("collect", "Scanner", "Please return the scanner to us by"),
]


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(("field", "item", "expected"), ENGLISH_THINGS)
def test_an_english_thing_takes_its_article(
    locale: str, channel: str, field: str, item: str, expected: str
) -> None:
    text = data_paragraph(compose(locale, channel=channel, **{field: [item]}))
    assert expected in text, text


ENGLISH_ACCOUNTS = [
    ("Zendesk help center admin login", "transfer the Zendesk help center admin login to you."),
    ("Mailchimp audience", "transfer ownership of the Mailchimp audience to you."),
    ("Company newsletter list", "transfer ownership of the company newsletter list to you."),
    ("Domain", "transfer ownership of the domain to you."),
    ("our Vimeo channel", "transfer ownership of our Vimeo channel to you."),
    ("Xero", "transfer ownership of the Xero account to you."),  # a name: no article of its own
    ("Google Analytics", "transfer ownership of the Google Analytics account to you."),
    ("AWS", "transfer ownership of the AWS account to you."),
    ("Nordlicht Cloud", "transfer ownership of the Nordlicht Cloud account to you."),  # the sender's name
    ("Stripe Account", "transfer ownership of the Stripe Account to you."),  # no "account account"
    ("nordlicht-studio.de", "transfer ownership of nordlicht-studio.de to you."),  # an address
    ("Access to the staff rota", "transfer access to the staff rota to you."),
    ("Admin access to Shopify", "transfer admin access to Shopify to you."),
    ("Login for the supplier portal", "transfer the login for the supplier portal to you."),
]


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize(("item", "expected"), ENGLISH_ACCOUNTS)
def test_an_english_account_reads_as_running_text(locale: str, item: str, expected: str) -> None:
    text = data_paragraph(compose(locale, accounts=[item]))
    assert expected in text, text
    assert "ownership of access" not in text and "account account" not in text.casefold()


@pytest.mark.parametrize("locale", ENGLISH)
def test_english_lists_after_a_colon_stay_as_typed(locale: str) -> None:
    text = data_paragraph(
        compose(
            locale,
            channel="email",
            accounts=["Xero", "Company newsletter list"],
            returns=["tripod", "USB stick"],
            collect=["hand truck", "Scanner"],
        )
    )
    assert "transfer ownership of the following accounts to you: Xero and company newsletter list." in text, (
        text
    )
    assert "return the following to you: tripod and USB stick." in text, text
    # the date named again after "After that, we will remove …", which gives none, and "let us
    # have … back" after "We will also return …", not a second "return" (tester 46)
    assert re.search(
        r"Please let us have the following back by our last day of service: hand truck and Scanner\.", text
    ), text


# --- German: the head noun gives the article; nominative masculine → accusative ----------

GERMAN_ITEMS = [
    ("accounts", "Zugriff auf das Lager-Dashboard", "übertragen wir den Zugriff auf das Lager-Dashboard auf"),
    ("accounts", "Konto bei der Buchungsplattform", "übertragen wir das Konto bei der Buchungsplattform auf"),
    ("accounts", "Login für den Händlerbereich", "übertragen wir den Login für den Händlerbereich auf"),
    (
        "accounts",
        "Zugangsdaten zum Newsletter-Tool",
        "übertragen wir die Zugangsdaten zum Newsletter-Tool auf",
    ),
    ("accounts", "Kunden-Portal", "übertragen wir das Kunden-Portal auf"),  # the last part counts
    ("returns", "der Anhänger", "den Anhänger zurück."),
    ("returns", "Der große Sonnenschirm", "den großen Sonnenschirm zurück."),
    ("returns", "unser Werkzeugkoffer", None),  # gender unknown from "koffer": no guess
    ("returns", "ein Laptop", "einen Laptop zurück."),
    ("returns", "unser alter Monitor", "unseren alten Monitor zurück."),
    ("returns", "ein Tablet", "ein Tablet zurück."),  # neuter: as typed
    ("returns", "die Stehleiter", "die Stehleiter zurück."),
    ("returns", "neuer Drucker", None),  # an adjective without article: no guess
    ("returns", "Schlüssel für den Geräteschuppen", None),  # one key or several: no guess
    ("returns", "Ausweis für den Geräteschuppen", "den Ausweis für den Geräteschuppen zurück."),
    ("collect", "der Beamer", "den Beamer zurück."),
    ("collect", "das Diensthandy", "das Diensthandy zurück."),
]


@pytest.mark.parametrize("locale", GERMAN)
@pytest.mark.parametrize("register", ["sie", "du"])
@pytest.mark.parametrize(("field", "item", "expected"), GERMAN_ITEMS)
def test_a_german_item_stands_in_the_accusative(
    locale: str, register: str, field: str, item: str, expected: str | None
) -> None:
    for channel in CHANNELS:
        text = data_paragraph(compose(locale, register, channel, **{field: [item]}))
        if locale == "de-CH":
            expected = expected.replace("ß", "ss") if expected else None
        if expected is None:
            assert "Folgendes zurück:" in text, text
        else:
            assert expected in text, text
            assert "Folgende" not in text and "„" not in text, text


@pytest.mark.parametrize("register", ["sie", "du"])
def test_a_german_list_stays_as_typed(register: str) -> None:
    text = data_paragraph(compose("de-DE", register, returns=["der Anhänger", "die Stehleiter"]))
    assert "Folgendes zurück: der Anhänger und die Stehleiter." in text, text


def test_the_readers_own_thing_keeps_its_capital() -> None:
    text = data_paragraph(compose("de-DE", "sie", returns=["Ihr alter Laptop"]))
    assert "geben wir Ihnen Ihren alten Laptop zurück." in text, text


def test_the_cli_writes_the_article(tmp_path: Path) -> None:
    source = tmp_path / "client.yaml"
    termination = data(
        "en-US", channel="email", handover={"returns": ["Label printer"], "accounts": ["Xero"]}
    )
    source.write_text(yaml.safe_dump(termination, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(cli, ["generate", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(out.read_text(encoding="utf-8").split())
    assert "transfer ownership of the Xero account to your company." not in text  # a private reader
    assert "transfer ownership of the Xero account to you." in text, text
    assert "We will also return the label printer to you." in text, text
