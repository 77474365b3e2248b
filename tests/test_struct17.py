"""Acceptance round 17 (structure checks, merge messages, English titles):

1. in a du letter, a sentence's first "Sie" after a plural is "they", and "Ihr (beiden)
   habt" is the plural of du; a slip to Sie stays reported;
2. "per Du", "das Du" and the words of a firm's name address no one;
3. a comma after a closing that names a place, or before the name on the same line;
4. the closing-comma suggestion is the closing as written, without the comma;
5. '2.500' in an English row (and '2,500' in a German one) names both readings;
6. Very Revd, Most Revd and the other ranks of the clergy are greeted by their office;
7. the did-you-mean for a key in a nested mapping names the whole dotted key.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.lint import lint
from letterkit.values import read_amount

DU_HEAD = "Liebe Sophie,\n\nich beende unsere Zusammenarbeit zum 31. März 2027. "
DU_END = "\n\nDanke für dein Vertrauen und alles Gute!\n\nViele Grüße\nNele\n"
SIE_HEAD = "Sehr geehrte Frau Lorenz,\n\nwir beenden unsere Zusammenarbeit zum 31. März 2027. "
SIE_END = "\n\nVielen Dank für Ihr Vertrauen.\n\nMit freundlichen Grüßen\nNele Brandt\n"


def mixed(text: str) -> list[str]:
    """The words the Sie/du check reports."""
    return [f.text for f in lint(text, lang="de") if f.rule == "structure/mixed-address"]


# 1. "Sie" for "they", "Ihr" for the plural of du, in a du letter --------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Die Rechnungen vom Herbst habe ich geprüft. Sie sind alle korrekt.",
        "Grüß bitte Tom und Eva von mir. Sie waren immer sehr hilfsbereit.",
        "Ihr beiden habt das Café toll aufgebaut.",
        "Die neuen Agenturen habe ich dir genannt. Sie können sofort starten.",
        "Ihr seid ein tolles Team.",
        "Die Unterlagen habe ich dir geschickt. Ihre Seiten sind nummeriert.",
    ],
)
def test_they_and_the_plural_of_du_are_no_switch_to_sie(body):
    assert mixed(DU_HEAD + body + DU_END) == []


@pytest.mark.parametrize(
    "body,stray",
    [
        ("Sie haben die Rechnung nicht bezahlt.", "Sie"),
        ("Die Rechnung habe ich geprüft. Sie haben sie nicht bezahlt.", "Sie"),  # a singular before
        ("Ich habe eine Frage. Können Sie mir die Daten schicken?", "Sie"),  # within the sentence
    ],
)
def test_a_switch_to_sie_in_a_du_letter_is_still_reported(body, stray):
    assert mixed(DU_HEAD + body + DU_END) == [stray]


def test_a_plural_before_a_sentences_sie_is_the_reader_in_a_sie_letter():
    # "Sie" after a plural stays the reader where the letter says Sie: no "du" appears
    text = (
        SIE_HEAD
        + "Die Unterlagen haben wir geprüft. Sie können sie jederzeit abholen. Du hast Zeit."
        + SIE_END
    )
    assert mixed(text) == ["Du"]


@pytest.mark.parametrize(
    "body",
    ["Ihr gut gemeinter Rat hat uns geholfen.", "Ihr erst kürzlich eröffnetes Café läuft gut."],
)
def test_ihr_before_an_adverb_and_a_noun_is_a_possessive(body):
    # "gut", "erst" end in -t but are no verb of "Ihr habt": the letter stays in Sie
    assert mixed(SIE_HEAD + body + SIE_END) == []
    assert mixed(SIE_HEAD + "Ihr habt uns sehr geholfen." + SIE_END) == ["Ihr"]


# 2. "das Du" and firm names ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Auch wenn wir seit dem Sommerfest per Du sind, schreibe ich Ihnen förmlich.",
        "Wir sind per du, und trotzdem schreibe ich Ihnen förmlich.",
        "Das Du, das Sie uns angeboten haben, hat uns sehr gefreut.",
        "Danke für das Du, das Sie uns angeboten haben.",
        "Frau Berg hat uns ihr Du angeboten.",
        "Ab April betreut Sie die Agentur Dein Auftritt GmbH.",
        "Ihre neue Agentur, Deine Stadt Medien e.K., meldet sich bei Ihnen.",
        "Die Agentur Du & Ich GmbH übernimmt ab April die Betreuung.",
        "Die Du & Ich GmbH übernimmt ab April die Betreuung.",
    ],
)
def test_the_noun_du_and_firm_names_address_no_one(body):
    assert mixed(SIE_HEAD + body + SIE_END) == []


@pytest.mark.parametrize(
    "body,stray",
    [
        ("Kannst Du die Nord GmbH fragen?", "Du"),
        ("Kannst Du Nord GmbH fragen?", "Du"),  # a verb before: no name
        ("Wir empfehlen Dir Nord Design GmbH.", "Dir"),
        ("Das Projekt, für das Du so viel getan hast, endet.", "Du"),  # a relative pronoun
    ],
)
def test_du_addressing_the_reader_in_a_sie_letter_is_still_reported(body, stray):
    assert mixed(SIE_HEAD + body + SIE_END) == [stray]


def test_the_testers_firm_name_letter_reports_only_the_slip():
    text = (
        "Hallo Herr Brenner,\n\nwie besprochen endet unser Vertrag am 31. März 2027. Sie bekommen die "
        "Unterlagen bis zum 15. März.\n\nDie Agentur Du & Ich GmbH übernimmt ab April die Betreuung. "
        "Kannst du uns den Kontakt dort schicken?\n\nVielen Dank für die Zusammenarbeit.\n\n"
        "Mit freundlichen Grüßen\nSandra Vogt\n"
    )
    assert mixed(text) == ["du"]


# 3. and 4. The closing's comma -------------------------------------------------------------


def comma(closing_lines: str) -> list[tuple[int, int, str | None]]:
    text = SIE_HEAD + "\n\nVielen Dank für die Zusammenarbeit.\n\n" + closing_lines
    return [
        (f.line, f.column, f.suggestion) for f in lint(text, lang="de") if f.rule == "structure/closing-comma"
    ]


@pytest.mark.parametrize(
    "lines,column,closing",
    [
        ("Viele Grüße aus Leipzig,\nHanna Berg\n", 24, "Viele Grüße aus Leipzig"),
        ("Mit freundlichen Grüßen aus Dresden,\nHanna Berg\n", 36, "Mit freundlichen Grüßen aus Dresden"),
        ("Mit freundlichen Grüßen, Ihre Hanna Berg\n", 24, "Mit freundlichen Grüßen"),
        ("Viele Grüße,\nHanna\n", 12, "Viele Grüße"),
        ("Herzliche Grüße aus dem schönen Allgäu,\nHanna\n", 39, "Herzliche Grüße aus dem schönen Allgäu"),
        ("Viele Grüße nach Frankfurt am Main,\nHanna\n", 35, "Viele Grüße nach Frankfurt am Main"),
    ],
)
def test_a_comma_after_a_closing_with_a_place_or_before_the_name_is_reported(lines, column, closing):
    assert comma(lines) == [(7, column, f"Die Grußformel ohne Komma: „{closing}“, darunter der Name.")]


@pytest.mark.parametrize(
    "lines",
    [
        "Viele Grüße aus Leipzig\nHanna Berg\n",
        "Viele Grüße, auch an dein Team, und bis bald.\n",
        "Herzliche Grüße aus Leipzig, auch von Herrn Kraus, soll ich Ihnen ausrichten.\n",
        "Viele Grüße, und bis bald\n",
    ],
)
def test_no_comma_finding_without_one_or_in_a_sentence(lines):
    assert comma(lines) == []


def test_the_suggestion_of_a_du_letters_closing_keeps_its_closing():
    text = DU_HEAD + "Danke für alles!\n\nViele Grüße,\nNele\n"
    (found,) = [f for f in lint(text, lang="de") if f.rule == "structure/closing-comma"]
    assert "„Viele Grüße“" in (found.suggestion or "")
    assert "Mit freundlichen Grüßen" not in (found.suggestion or "")


def test_the_rule_explains_the_closing_as_written():
    explained = CliRunner().invoke(main, ["rules", "structure/closing-comma"]).output
    assert "ohne Komma, wie geschrieben" in explained


# 5. Amounts with a lone separator before three digits -----------------------------------


@pytest.mark.parametrize(
    "locale,text,message",
    [
        (
            "en-US",
            "2.500",
            "'2.500' is ambiguous in en-US: it is 2.50 with the decimal point of en-US, and 2,500.00 with the "
            "point separating thousands, as de-DE and de-AT write numbers; write 2.50 or 2500.00 (2,500.00) "
            "to say which",
        ),
        (
            "de-DE",
            "2,500",
            "'2,500' is ambiguous in de-DE: it is 2,50 with the decimal comma of de-DE, and 2.500,00 with the "
            "comma separating thousands, as en-GB and en-US write numbers; write 2,50 or 2500,00 (2.500,00) "
            "to say which",
        ),
        (
            "en-GB",
            "2.505",
            "'2.505' is no amount in en-GB: with the decimal point of en-GB it has three decimal places "
            "(2.505), and an amount is written to the cent; if 2,505.00 was meant (the point separating "
            "thousands, as de-DE and de-AT write numbers), write 2505.00 or 2,505.00",
        ),
        (
            "de-CH",
            "2,500",
            "'2,500' is ambiguous in de-CH, which writes neither thousands nor decimals with a comma: it is "
            "2'500.00 if the comma separates thousands, and 2.50 if it is a decimal comma; write 2500.00 "
            "(2'500.00) or 2.50 to say which",
        ),
    ],
)
def test_a_lone_separator_names_both_readings(locale, text, message):
    assert read_amount(text, locale) == message


def test_no_message_says_a_number_with_one_decimal_has_more_than_two():
    for locale, text in (("en-US", "2.500"), ("en-GB", "12.500"), ("de-DE", "2,500"), ("de-AT", "7,550")):
        message = str(read_amount(text, locale))
        assert "more than two decimal places" not in message and "is read as" not in message


def test_the_merge_row_names_both_readings(tmp_path):
    data = tmp_path / "rows.jsonl"
    row = {
        "locale": "en-US",
        "channel": "email",
        "sender.company": "Northwind LLC",
        "sender.email": "a@example.com",
        "recipient.gender": "female",
        "recipient.last_name": "Park",
        "recipient.email": "park@example.org",
        "end_date": "2027-03-31",
        "final_invoice.amount": "2.500",
        "final_invoice.due_date": "2027-04-30",
    }
    data.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["merge", str(data), "-o", str(tmp_path / "out"), "--check"])
    assert "row 1: final_invoice.amount: '2.500' is ambiguous in en-US: it is 2.50" in result.output


# 6. The clergy's ranks ---------------------------------------------------------------------


def salutation(locale: str, title: str, gender: str = "male") -> str:
    letter = letterkit.compose(
        {
            "locale": locale,
            "channel": "email",
            "sender": {
                "company": "Thornbury Organ Builders Ltd",
                "name": "Gareth Pryce",
                "email": "g@example.org",
            },
            "recipient": {
                "gender": gender,
                "title": title,
                "first_name": "Peter",
                "last_name": "Ashdown",
                "email": "p@example.org",
            },
            "end_date": "2027-03-31",
        }
    )
    return letter.salutation


@pytest.mark.parametrize(
    "title,gb,us",
    [
        ("Rt Revd", "Dear Bishop", "Dear Bishop Ashdown,"),
        ("Very Revd", "Dear Dean", "Dear Dean Ashdown,"),
        ("Very Rev.", "Dear Dean", "Dear Dean Ashdown,"),
        ("Very Revd Dr", "Dear Dean", "Dear Dean Ashdown,"),
        ("Most Revd", "Dear Archbishop", "Dear Bishop Ashdown,"),
        ("Most Reverend", "Dear Archbishop", "Dear Bishop Ashdown,"),
        ("Ven", "Dear Archdeacon", "Dear Archdeacon Ashdown,"),
        ("Revd", "Dear Mr Ashdown", "Dear Reverend Ashdown,"),
        ("Revd Canon", "Dear Canon Ashdown", "Dear Canon Ashdown,"),
        ("Provost", "Dear Provost Ashdown", "Dear Provost Ashdown,"),
    ],
)
def test_the_clergy_are_greeted_by_their_office(title, gb, us):
    assert salutation("en-GB", title) == gb
    assert salutation("en-US", title) == us


@pytest.mark.parametrize(
    "title", ["Rt Revd", "Very Revd", "Most Revd", "Ven", "Very Revd Dr", "Most Revd Dr"]
)
@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize("gender", ["male", "female"])
def test_a_rank_of_the_clergy_is_never_mr_or_reverend(title, locale, gender):
    greeting = salutation(locale, title, gender)
    assert not any(word in greeting for word in ("Mr", "Ms", "Reverend", "Dr"))


# 7. The did-you-mean of a nested key -------------------------------------------------------


def test_a_nested_keys_did_you_mean_is_the_whole_dotted_key(tmp_path):
    data = tmp_path / "rows.jsonl"
    row = {
        "locale": "en-GB",
        "channel": "email",
        "sender": {"company": "Northwind Ltd", "email": "a@example.com"},
        "recipient": {"gender": "female", "first_name": "Jo", "last_name": "Bain", "emial": "jo@example.org"},
        "steps_taken": [{"kindd": "call"}],
        "end_date": "2027-03-31",
    }
    data.write_text(json.dumps(row) + "\n", encoding="utf-8")
    output = CliRunner().invoke(main, ["merge", str(data), "-o", str(tmp_path / "out"), "--check"]).output
    assert (
        "row 1: recipient.emial: unknown key (did you mean 'recipient.email'?); rename it to an input key "
        "or delete it" in output
    )
    assert "steps_taken[0].kindd: unknown key (did you mean 'steps_taken[0].kind'?)" in output
    # a list item's key written flat, as a table's header: the key as written, and the --columns line
    flat = {
        **row,
        "recipient": {**row["recipient"], "email": "jo@example.org"},
        "steps_taken.0.kindd": "call",
    }
    del flat["steps_taken"], flat["recipient"]["emial"]
    data.write_text(json.dumps(flat) + "\n", encoding="utf-8")
    output = CliRunner().invoke(main, ["merge", str(data), "-o", str(tmp_path / "out"), "--check"]).output
    assert (
        "row 1: steps_taken[0].kindd: unknown key (did you mean 'steps_taken.0.kind'?); rename it to an "
        "input key, or leave it out with the line 'steps_taken.0.kindd: null' in the --columns file" in output
    )
