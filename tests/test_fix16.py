"""Fixes of the sixteenth round: lint false negatives and false alarms (put-downs of the
reader's work, an order in capitals, one finding for a curt refusal, charges ruled out, a
finished task, our own things, praise the tone model read as a threat) and input (a lost
first letter of a firm's name in capitals, yes/no spellings, English titles with a rank)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.errors import InputError
from letterkit.lint import lint


def rules(text: str, lang: str) -> list[str]:
    """The rules that report the text (the tone model included)."""
    return [f.rule for f in lint(text + "\n", lang=lang)]


# --- 1. a put-down of the reader's work; our own things and a damaged file stay quiet -----------


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        ("Deine Texte sind unlesbar.", "de", "hostile/abwertend"),
        ("Ihre Entwürfe waren dürftig.", "de", "hostile/abwertend"),
        ("Your texts are unreadable.", "en", "hostile/about-the-person"),
        ("Your handwriting is illegible.", "en", "hostile/about-the-person"),
    ],
)
def test_a_judgement_of_the_readers_work_is_flagged(text: str, lang: str, rule: str) -> None:
    assert rules(text, lang) == [rule]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die Datei war unbrauchbar, bitte senden Sie sie erneut.", "de"),
        ("Die Datei war unlesbar, bitte senden Sie sie erneut.", "de"),
        ("Ihr Scan war unlesbar; könnten Sie ihn noch einmal schicken?", "de"),
        ("Unsere erste Fassung war stümperhaft, das geben wir zu.", "de"),
        ("Danke, dass Sie unsere unlesbaren Notizen so geduldig entziffert haben.", "de"),
        ("Our first draft was sloppy, and we apologise.", "en"),
        ("Our old manual is useless now that the system has changed.", "en"),
        ("Your scan was unreadable; could you send it again?", "en"),
        ("Thank you for deciphering our unreadable notes so patiently.", "en"),
    ],
)
def test_the_same_words_about_our_things_or_a_damaged_file_stay_quiet(text: str, lang: str) -> None:
    assert rules(text, lang) == []


def test_our_staff_in_the_object_does_not_make_the_insult_ours() -> None:
    text = "Quite honestly, the way your site manager spoke to our staff was rude and unprofessional."
    assert "hostile/insult" in rules(text, "en")
    assert "hostile/beleidigend" in rules("Ihr Verhalten gegenüber unserem Techniker war unterirdisch.", "de")


# --- 2. an order in capitals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "RETURN ALL KEYS.",
        "Please return the keys by Friday. RETURN ALL KEYS BY 31 MARCH!",
        "RETURN ALL KEYS by Friday.",
    ],
)
def test_an_order_in_capitals_is_shouting(text: str) -> None:
    assert rules(text, "en") == ["shouting/capitals"]


@pytest.mark.parametrize(
    "text",
    ["Please send the NDA and the SLA.", "RETURN IT.", "MAKE IT HAPPEN."],
)
def test_acronyms_two_words_and_slogans_are_no_order_in_capitals(text: str) -> None:
    assert "shouting/capitals" not in rules(text, "en")


def test_a_letterhead_in_capitals_stays_quiet() -> None:
    draft = (
        "NORTHWIND DESIGN LTD\nSEND ENQUIRIES TO 12 HIGH STREET\n\nDear Ms Patel,\n\n"
        "We are ending our agreement on 31 March 2027. Please return the keys by then.\n\n"
        "Thank you for five good years.\n\nKind regards,\nEmma Clarke\n"
    )
    assert [f.rule for f in lint(draft, lang="en")] == []


# --- 3. to 5. one finding for a curt refusal; a charge ruled out; a finished task ----------------


def test_refusing_to_discuss_the_decision_is_one_curt_finding() -> None:
    assert rules("We will not discuss this decision any further.", "en") == ["hostile/end-of-discussion"]
    assert rules("Why don't we discuss the decision at our next call?", "en") == ["reopening/negotiable"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("We will not charge for any further support.", "en"),
        ("We won't bill you for any extra hours spent on the handover.", "en"),
        ("Wir stellen Ihnen für jede weitere Stunde nichts in Rechnung.", "de"),
        ("Für jeden weiteren Monat berechnen wir Ihnen keine Kosten.", "de"),
    ],
)
def test_a_charge_ruled_out_is_no_threat(text: str, lang: str) -> None:
    assert rules(text, lang) == []


def test_a_charge_as_a_consequence_is_still_a_threat() -> None:
    assert rules("If the hardware isn't back by Friday, we'll bill you for every additional day.", "en") == [
        "threat/or-else"
    ]
    text = "Für jeden weiteren Tag, den die Geräte nicht zurück sind, berechnen wir 20 Euro."
    assert "threat/andernfalls" in rules(text, "de")


def test_glad_to_be_done_with_a_task_is_quiet_with_the_reader_not() -> None:
    assert rules("We are happy to be done with the final invoice.", "en") == []
    assert rules("We are happy to be done with you.", "en") == ["hostile/nerve"]
    assert rules("We will be glad to be done with the whole account.", "en") == ["hostile/glad-to-be-rid"]


# --- 6. a judgement of our own things ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Unser chaotischer erster Monat", "de"),
        ("Unser chaotischer erster Monat hat Sie sicher Nerven gekostet.", "de"),
        ("Sie haben unseren chaotischen ersten Monat geduldig ertragen.", "de"),
        ("Unser Start war chaotisch, Sie waren trotzdem geduldig.", "de"),
        (
            "Die Umstellung auf die neue Plattform war anstrengend, und Ihr Team hat sie mit viel Einsatz getragen.",
            "de",
        ),
        ("Our start was chaotic, but you were patient.", "en"),
        ("You put up with our sloppy first drafts.", "en"),
    ],
)
def test_a_judgement_of_our_own_things_is_no_put_down(text: str, lang: str) -> None:
    assert rules(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        ("Ihre chaotische Planung hat uns viele Überstunden gekostet.", "de", "hostile/abwertend"),
        ("Unser Team fand Ihre Planung chaotisch.", "de", "hostile/abwertend"),
        ("Das war chaotisch, Sie haben uns nie informiert.", "de", "hostile/abwertend"),  # "Das": no thing
        ("Your project management is chaotic and disorganized.", "en", "hostile/about-the-person"),
    ],
)
def test_a_judgement_of_the_readers_things_is_still_flagged(text: str, lang: str, rule: str) -> None:
    assert rule in rules(text, lang)


@pytest.mark.parametrize(
    "text",
    ["Our biggest headache was your late payments.", "Our biggest headache has been you."],
)
def test_our_thing_said_to_be_the_readers_doing_is_still_flagged(text: str) -> None:
    assert "hostile/about-the-person" in rules(text, "en")


def test_our_things_as_the_object_of_a_blame_stay_the_readers_doing() -> None:
    # the possessive decides only for words that judge: "our hours" is what the reader cut
    # ("for no reason" is blame/no-reason since rules16b split it out of blame/sat-on-it)
    assert rules("Your invoice checkers slashed our hours for no reason.", "en") == ["blame/no-reason"]


# --- 7. praise the tone model read as a threat ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wir würden nicht zögern, Sie weiterzuempfehlen.",
        "Wir würden nicht zögern, Ihr Unternehmen weiterzuempfehlen.",
        "Wir würden keinen Moment zögern, Sie wieder zu beauftragen.",
    ],
)
def test_praise_with_nicht_zoegern_is_quiet(text: str) -> None:
    assert rules(text, "de") == []


def test_a_threat_with_nicht_zoegern_is_still_flagged() -> None:
    found = rules("Wir werden nicht zögern, den offenen Betrag gerichtlich einzufordern.", "de")
    assert "threat/nicht-zoegern" in found


# --- input: data for the input tests ---------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
BASE = str(ROOT / "samples" / "merge" / "base.yaml")
CSV_HEADER = "locale;recipient.company;recipient.email;end_date;channel"


def an_input(locale: str = "de-DE", **recipient: Any) -> dict[str, Any]:
    return {
        "locale": locale,
        "date": "2026-11-26",
        "channel": "email",
        "sender": {
            "company": "Muster GmbH",
            "name": "Erika Muster",
            "city": "Berlin",
            "email": "e@example.de",
        },
        "recipient": {"company": "Beispiel AG", "email": "anna@example.com", **recipient},
        "end_date": "2026-12-31",
    }


def merge_check(tmp_path: Path, rows: list[str], header: str = CSV_HEADER, encoding: str = "utf-8") -> str:
    source = tmp_path / "clients.csv"
    source.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    result = CliRunner().invoke(main, ["merge", str(source), "--base", BASE, "--check"])
    return result.output


# --- 8. a firm's name in capitals that lost its first letter -------------------------------------


def test_a_lost_first_letter_of_a_firms_name_in_capitals_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        letterkit.validate(an_input(company="?ZTÜRK GMBH"))
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith("recipient.company: '?ZTÜRK GMBH' has a '?' where a letter should be")
    assert 'save it as "CSV UTF-8"' in problem and "save it as UTF-8" in problem
    assert "in upper and lower case ('?What If! Ltd'" in problem  # the way round for a firm's own '?'


@pytest.mark.parametrize(
    "company", ["?What If! Ltd", "Why? Marketing GmbH", "Frag?Mich GmbH", "Agentur (?) GmbH"]
)
def test_a_firms_own_question_mark_is_still_taken_as_typed(company: str) -> None:
    assert letterkit.validate(an_input(company=company)).recipient.company == company


def test_a_merge_row_with_a_lost_first_letter_names_file_row_and_field(tmp_path: Path) -> None:
    rows = [
        "de-DE;Beispiel AG;a@example.com;2026-12-31;email",
        "de-DE;?ZTÜRK GMBH;b@example.com;2026-12-31;email",  # as Excel's old CSV format saves "ÖZTÜRK"
    ]
    output = merge_check(tmp_path, rows, encoding="cp1252")
    assert "clients.csv: row 3: recipient.company: '?ZTÜRK GMBH' has a '?' where a letter should be" in output
    assert "1 row(s) valid, 1 failed." in output


# --- 9. yes and no as people type them ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "flag"),
    [
        ("ja", True),
        ("JA", True),
        ("nein", False),
        ("Nein", False),
        ("yes", True),
        ("No", False),
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
    ],
)
def test_yes_and_no_spellings_are_read_as_booleans(typed: Any, flag: bool) -> None:
    termination = letterkit.validate(dict(an_input(), thanks=typed, wishes=typed))
    assert termination.wishes is flag
    assert (termination.thanks is not None) is flag


def test_thanks_ja_in_an_input_file(tmp_path: Path) -> None:
    source = tmp_path / "client.yaml"
    data = an_input()
    source.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "thanks: ja\nwishes: Nein\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["generate", str(source)])
    assert result.exit_code == 0, result.output
    assert "Vielen Dank" in result.output


@pytest.mark.parametrize(("key", "value"), [("wishes", "vielleicht"), ("thanks", "kaum"), ("wishes", 2)])
def test_anything_else_is_an_error_that_names_the_spellings(key: str, value: Any) -> None:
    with pytest.raises(InputError) as caught:
        letterkit.validate(dict(an_input(), **{key: value}))
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith(f"{key}: expected true")
    if isinstance(value, str):
        assert "yes/no, ja/nein" in problem and "1/0" in problem


def test_yes_and_no_in_csv_cells(tmp_path: Path) -> None:
    header = CSV_HEADER + ";thanks;wishes"
    rows = [
        "de-DE;Beispiel AG;a@example.com;2026-12-31;email;Ja;NEIN",
        "de-DE;Beispiel AG;b@example.com;2026-12-31;email;no;yes",
        "de-DE;Beispiel AG;c@example.com;2026-12-31;email;vielleicht;1",
    ]
    output = merge_check(tmp_path, rows, header=header)
    assert "row 4: thanks: expected true, false or a mapping" in output
    assert "for true and false also yes/no, ja/nein" in output
    assert "2 row(s) valid, 1 failed." in output


# --- 10. English titles with a rank and more than one word ---------------------------------------


@pytest.mark.parametrize(
    ("locale", "title", "address", "salutation"),
    [
        ("en-GB", "Rt Revd", "The Rt Revd Alasdair Grey", "Dear Bishop"),
        ("en-GB", "Right Reverend", "The Rt Revd Alasdair Grey", "Dear Bishop"),
        ("en-GB", "The Rt. Rev.", "The Rt Revd Alasdair Grey", "Dear Bishop"),
        ("en-US", "Rt Revd", "The Right Reverend Alasdair Grey", "Dear Bishop Grey:"),
        ("en-GB", "Very Revd", "The Very Revd Alasdair Grey", "Dear Dean"),  # a dean (round 17)
        ("en-GB", "Most Revd", "The Most Revd Alasdair Grey", "Dear Archbishop"),
        ("en-GB", "Ven", "The Ven Alasdair Grey", "Dear Archdeacon"),
        ("en-US", "Venerable", "The Venerable Alasdair Grey", "Dear Archdeacon Grey:"),
        ("en-GB", "Rt Hon", "The Rt Hon Alasdair Grey", "Dear Mr Grey"),
        ("en-GB", "Revd Canon", "The Revd Canon Alasdair Grey", "Dear Canon Grey"),
        ("en-GB", "Revd Dr", "The Revd Dr Alasdair Grey", "Dear Dr Grey"),
        ("en-US", "Rev. Dr.", "The Reverend Dr. Alasdair Grey", "Dear Dr. Grey:"),
        ("en-GB", "Rt Revd Dr", "The Rt Revd Dr Alasdair Grey", "Dear Bishop"),
        ("en-GB", "Professor", "Professor Alasdair Grey", "Dear Professor Grey"),
        ("en-GB", "Professor Sir", "Professor Sir Alasdair Grey", "Dear Sir Alasdair"),
        # as before
        ("en-GB", "Revd", "The Revd Alasdair Grey", "Dear Mr Grey"),
        ("en-US", "Revd", "The Reverend Alasdair Grey", "Dear Reverend Grey:"),
        ("en-GB", "Prof. Dr.", "Professor Alasdair Grey", "Dear Professor Grey"),
        ("en-GB", "Mag.", "Mr Alasdair Grey", "Dear Mr Grey"),
    ],
)
def test_every_word_of_an_english_title_is_kept(
    locale: str, title: str, address: str, salutation: str
) -> None:
    data = an_input(locale, title=title, gender="male", first_name="Alasdair", last_name="Grey")
    data.update(channel="letter")
    data["recipient"].update(street="1 High Street", postal_code="M1 1AA", city="Manchester")
    if locale == "en-US":
        data["recipient"].update(postal_code="10001", city="New York", state="NY")
    letter = letterkit.compose(data)
    assert letter.recipient_address[0] == address
    assert letter.salutation == salutation
    assert letter.findings == ()


def test_an_english_email_names_the_ranked_title_in_to() -> None:
    data = an_input("en-GB", title="Rt Revd", gender="male", first_name="Alasdair", last_name="Grey")
    letter = letterkit.compose(data)
    assert letter.recipient_name == "The Rt Revd Alasdair Grey"
