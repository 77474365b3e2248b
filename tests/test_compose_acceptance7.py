"""Acceptance findings (seventh run) on composed letters: the German article chosen from the
last word of a name whose head noun comes first ("die Rahmenvertrag IT-Betreuung"), a
name in quotation marks where the head noun is known ("den Vertrag „Mietverhältnis“"), an
article typed before the name doubled ("the the SEO retainer"), a number after a long name
read as its last word's, the person below the company in an English inside address, and
an offset prepayment that never said what remains to pay."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import BASE

import letterkit


def data(locale: str = "de-DE", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "locale": locale,
        "date": "2026-05-01",
        "sender": copy.deepcopy(BASE["sender"]),
        "recipient": {**copy.deepcopy(BASE["recipient"]), "first_name": "Anna"},
        "end_date": "2026-08-31",
    }
    base.update(changes)
    return base


def decision(letter: letterkit.Letter) -> str:
    return letter.blocks[0].text


def body(letter: letterkit.Letter) -> str:
    """The body with its no-break spaces (between amount and currency) as spaces."""
    return letter.body.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Rahmenvertrag IT-Betreuung", "den Rahmenvertrag IT-Betreuung Nr. X-1"),
        ("Mandat Steuerberatung", "das Mandat Steuerberatung Nr. X-1"),
        ("Dauerauftrag Reinigung", "den Dauerauftrag Reinigung Nr. X-1"),
        ("Mietverhältnis", "das Mietverhältnis Nr. X-1"),
        ("Dienstvertrag (IT)", "den Dienstvertrag (IT) Nr. X-1"),
        ('Software-Abonnement "Cloudwerk Pro"', "das Software-Abonnement „Cloudwerk Pro“ Nr. X-1"),
        ("Hosting Paket", "das Hosting Paket Nr. X-1"),
        ("Online-Marketing Betreuung", "die Online-Marketing Betreuung Nr. X-1"),
        ("SEO-Betreuung", "die SEO-Betreuung Nr. X-1"),
        ("Lizenz", "die Lizenz Nr. X-1"),
        ("den Wartungsvertrag", "den Wartungsvertrag Nr. X-1"),
        ("Pflege & Support", "den Vertrag „Pflege & Support“ Nr. X-1"),
        # a preposition adds to the head: the number in brackets, not read as the last word's
        ("Vertrag über Suchmaschinenoptimierung", "den Vertrag über Suchmaschinenoptimierung (Nr. X-1)"),
        (
            "Treuhandmandat für die Lohnbuchhaltung und die Mehrwertsteuerabrechnung",
            "das Treuhandmandat für die Lohnbuchhaltung und die Mehrwertsteuerabrechnung (Nr. X-1)",
        ),
    ],
)
def test_german_contract_phrase_follows_the_head_noun(name: str, phrase: str) -> None:
    letter = letterkit.compose(data(contract={"name": name, "reference": "X-1"}))
    assert f"kündigen wir {phrase} fristgerecht" in decision(letter)
    assert letter.findings == ()


def test_the_subject_puts_the_number_of_a_joined_name_in_brackets() -> None:
    name = "Treuhandmandat für die Lohnbuchhaltung"
    letter = letterkit.compose(data("de-CH", contract={"name": name, "reference": "TM-004"}))
    assert letter.subject == f"Kündigung {name} (Nr. TM-004) zum 31. August 2026"


@pytest.mark.parametrize(
    "typed", ["the SEO retainer", "The SEO retainer", "our SEO retainer", "SEO retainer"]
)
def test_an_article_typed_before_an_english_name_is_not_doubled(typed: str) -> None:
    letter = letterkit.compose(data("en-GB", contract={"name": typed, "reference": "BS-31"}))
    assert "terminating the SEO retainer (reference BS-31)" in decision(letter)
    assert letter.subject.startswith("Notice of termination: SEO retainer (ref. BS-31)")


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_the_person_stands_above_the_company_in_an_english_address(locale: str) -> None:
    letter = letterkit.compose(data(locale))
    company = BASE["recipient"]["company"]
    lines = list(letter.recipient_address)
    assert lines[0].endswith("Anna " + BASE["recipient"]["last_name"]) and lines[1] == company


def test_the_company_stands_above_the_person_in_a_german_address() -> None:
    lines = list(letterkit.compose(data()).recipient_address)
    assert lines[0] == BASE["recipient"]["company"] and lines[1].startswith("Frau ")


OFFSET = {"amount": 500, "kind": "prepayment", "method": "offset"}


@pytest.mark.parametrize(
    ("locale", "register", "expected"),
    [
        (
            "de-DE",
            "sie",
            "die nicht verbrauchten 500,00 € Ihrer Vorauszahlung ab; es verbleiben 700,00 €. "
            "Bitte überweisen Sie diesen Betrag bis zum 15. September 2026",
        ),
        (
            "de-CH",
            "du",
            "verbrauchten CHF 500.00 deiner Vorauszahlung ab; es verbleiben CHF 700.00. Bitte überweise diesen Betrag",
        ),
        (
            "en-US",
            "sie",
            "from this amount, leaving $700.00 to pay. The remaining amount is due by September 15, 2026",
        ),
    ],
)
def test_an_offset_prepayment_says_what_remains(locale: str, register: str, expected: str) -> None:
    invoice = {"amount": 1200, "due_date": "2026-09-15"}
    letter = letterkit.compose(data(locale, register=register, final_invoice=invoice, refund=OFFSET))
    assert expected in body(letter)
    assert letter.findings == ()


@pytest.mark.parametrize(
    ("locale", "expected", "absent"),
    [
        ("de-DE", "500,00 € Ihrer Vorauszahlung ab; damit ist die Rechnung vollständig beglichen.", "überweisen"),
        ("en-GB", "from this amount, which settles the invoice in full.", "is due by"),
    ],
)
def test_an_offset_that_covers_the_invoice_asks_for_no_payment(
    locale: str, expected: str, absent: str
) -> None:
    invoice = {"amount": 500, "due_date": "2026-09-15"}
    letter = letterkit.compose(data(locale, final_invoice=invoice, refund=OFFSET))
    assert expected in body(letter) and absent not in body(letter)


# Second native-editor review of the day's wording.


@pytest.mark.parametrize(
    ("name", "phrase", "subject"),
    [
        ("Laufender Wartungsvertrag", "den laufenden Wartungsvertrag", "Kündigung Laufender Wartungsvertrag"),
        ("Monatliches Wartungspaket", "das monatliche Wartungspaket", "Kündigung Monatliches Wartungspaket"),
        ("Großes Wartungspaket", "das große Wartungspaket", "Kündigung Großes Wartungspaket"),
        ("Jährlicher Supportvertrag", "den jährlichen Supportvertrag", "Kündigung Jährlicher Supportvertrag"),
        ("Laufende Vereinbarung", "die laufende Vereinbarung", "Kündigung Laufende Vereinbarung"),
        (
            "Server Wartungsvertrag",
            "den Server Wartungsvertrag",
            "Kündigung Server Wartungsvertrag",
        ),  # a noun
    ],
)
def test_an_adjective_before_the_head_noun_is_declined(name: str, phrase: str, subject: str) -> None:
    letter = letterkit.compose(data(contract={"name": name, "reference": "X-1"}))
    assert f"kündigen wir {phrase} Nr. X-1 fristgerecht" in decision(letter)
    assert letter.subject.startswith(f"{subject} Nr. X-1")


def solo_sender() -> dict[str, Any]:
    return {k: v for k, v in BASE["sender"].items() if k not in ("company", "legal")}


@pytest.mark.parametrize(
    ("locale", "register", "company", "expected"),
    [
        ("de-DE", "sie", True, "habe ich die offenen Punkte mit Ihrer Geschäftsführung besprochen."),
        ("de-AT", "du", True, "habe ich die offenen Punkte mit eurer Geschäftsführung besprochen."),
        ("de-DE", "sie", False, "habe ich die offenen Punkte persönlich mit Ihnen besprochen."),
        ("en-GB", "sie", True, "I discussed the situation with your management."),
    ],
)
def test_a_sole_sender_has_no_management_level(
    locale: str, register: str, company: bool, expected: str
) -> None:
    recipient = {**BASE["recipient"], "first_name": "Anna"}
    if not company:
        recipient.pop("company", None)
    steps = [{"kind": "escalation", "date": "2026-04-02"}]
    letter = letterkit.compose(
        data(locale, register=register, sender=solo_sender(), recipient=recipient, steps_taken=steps)
    )
    assert expected in letter.body
    assert "Geschäftsleitung" not in letter.body and "management level" not in letter.body
    assert letter.findings == ()


@pytest.mark.parametrize(
    ("locale", "expected"), [("en-US", "You need support beyond"), ("de-DE", "Sie benötigen auch abends")]
)
def test_a_team_salutation_is_not_followed_by_your_team(locale: str, expected: str) -> None:
    recipient = {
        "company": "Hillside Family Dental",
        "street": "1 Main St",
        "postal_code": "10001",
        "city": "Berlin",
    }
    letter = letterkit.compose(data(locale, recipient=recipient, reasons=["availability"]))
    assert (
        expected in letter.body
        and "Your team needs" not in letter.body
        and "Ihr Team benötigt" not in letter.body
    )


def test_the_signer_named_without_a_title_is_me() -> None:
    sender = {**solo_sender(), "title": "Dr."} if "name" not in BASE["sender"] else {**solo_sender()}
    sender["name"] = "Dr. Miriam Kraus"
    sender.pop("first_name", None)
    sender.pop("last_name", None)
    handover = {"contact": {"name": "Miriam Kraus", "phone": "+49 69 1234567"}}
    letter = letterkit.compose(data(sender=sender, handover=handover))
    assert "wenden Sie sich bitte direkt an mich unter +49 69 1234567." in body(letter)


def test_reminder_dates_are_told_in_calendar_order() -> None:
    steps = [{"kind": "reminders", "dates": ["2026-04-01", "2026-03-01"]}]
    letter = letterkit.compose(data("en-US", steps_taken=steps))
    assert "March 1 and April 1, 2026" in letter.body


# Third native-editor review.


@pytest.mark.parametrize(
    ("locale", "other"), [("de-DE", "Aus persönlichen Gründen"), ("en-GB", "For personal reasons")]
)
def test_no_details_given_is_left_out_beside_reasons_that_give_some(locale: str, other: str) -> None:
    letter = letterkit.compose(data(locale, reasons=["unspecified", "personal"]))
    assert other in letter.body
    assert "betrieblichen Gründen" not in letter.body and "business reasons" not in letter.body
    alone = letterkit.compose(data(locale, reasons=["unspecified"]))
    assert "betrieblichen Gründen" in alone.body or "business reasons" in alone.body


def test_dated_steps_are_told_in_the_order_they_happened() -> None:
    steps = [
        {"kind": "deadline", "date": "2026-04-20"},
        {"kind": "reminders", "dates": ["2026-02-01", "2026-03-01"]},
        {"kind": "meeting", "date": "2026-03-15"},
    ]
    text = body(letterkit.compose(data(steps_taken=steps)))
    assert (
        text.index("1. Februar und 1. März 2026") < text.index("15. März 2026") < text.index("20. April 2026")
    )
    assert "Zuletzt haben wir Ihnen zur Klärung schriftlich eine Frist bis zum 20. April 2026 gesetzt." in text


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        (
            ["the data cleaning for wave 3", "the interim report"],
            "the data cleaning for wave 3 and the interim report",
        ),
        (["August 1, 2026", "September 1, 2026"], "August 1, 2026, and September 1, 2026"),
        (["Server 2", "the domain", "the mail"], "Server 2, the domain, and the mail"),
    ],
)
def test_us_lists_take_a_comma_before_and_only_after_a_year(items: list[str], joined: str) -> None:
    from letterkit.locales import join_list

    assert join_list(items, "en-US") == joined


@pytest.mark.parametrize(
    ("locale", "one", "two"),
    [("de-DE", "Anlage", "Anlagen"), ("de-CH", "Beilage", "Beilagen"), ("en-US", "Enclosure", "Enclosures")],
)
def test_one_enclosure_is_labelled_in_the_singular(locale: str, one: str, two: str) -> None:
    assert letterkit.compose(data(locale, enclosures=["Schlussrechnung"])).enclosures_label == one
    assert (
        letterkit.compose(data(locale, enclosures=["Schlussrechnung", "Datenexport"])).enclosures_label == two
    )


@pytest.mark.parametrize(
    ("locale", "phrase"), [("en-GB", "at management level"), ("en-US", "at the management level")]
)
def test_management_level_as_each_english_writes_it(locale: str, phrase: str) -> None:
    letter = letterkit.compose(data(locale, steps_taken=[{"kind": "escalation", "date": "2026-04-02"}]))
    assert f"we discussed the situation with you {phrase}." in letter.body


def test_capacity_speaks_of_the_care_not_a_project() -> None:
    recipient = {k: v for k, v in BASE["recipient"].items() if k != "company"}
    letter = letterkit.compose(data(recipient=recipient, reasons=["capacity"]))
    assert "die Verfügbarkeit bieten können, die Ihre Betreuung erfordert." in letter.body


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_a_name_ending_in_a_full_stop_gets_no_second_one(locale: str) -> None:
    handover = {"providers": ["Nord Inkasso e.K."], "accounts": ["Hosting etc."]}
    letter = letterkit.compose(data(locale, handover=handover))
    assert "e.K.." not in letter.body and "etc.." not in letter.body
    # English running text writes a name typed in sentence case in lower case (text18)
    hosting = "hosting etc." if locale == "en-GB" else "Hosting etc."
    assert "Nord Inkasso e.K." in letter.body and hosting in letter.body


@pytest.mark.parametrize(
    ("typed", "phrase", "subject"),
    [
        ("laufender Wartungsvertrag", "den laufenden Wartungsvertrag", "Kündigung Laufender Wartungsvertrag"),
        (
            "der laufende Wartungsvertrag",
            "den laufenden Wartungsvertrag",
            "Kündigung Laufender Wartungsvertrag",
        ),
        ("das große Wartungspaket", "das große Wartungspaket", "Kündigung Großes Wartungspaket"),
        (
            "erweiterter Supportvertrag Gold",
            "den erweiterten Supportvertrag Gold",
            "Kündigung Erweiterter Supportvertrag Gold",
        ),
        (
            "Neuer monatlicher Wartungsvertrag",
            "den neuen monatlichen Wartungsvertrag",
            "Kündigung Neuer monatlicher Wartungsvertrag",
        ),
    ],
)
def test_adjectives_are_declined_however_they_are_typed(typed: str, phrase: str, subject: str) -> None:
    letter = letterkit.compose(data(contract={"name": typed, "reference": "X-1"}))
    assert f"kündigen wir {phrase} Nr. X-1" in decision(letter)
    assert letter.subject.startswith(f"{subject} Nr. X-1")


@pytest.mark.parametrize(("locale", "once"), [("de-DE", "andere Anbieter"), ("en-GB", "other providers")])
def test_fit_and_technology_say_that_others_are_better_once(locale: str, once: str) -> None:
    both = letterkit.compose(data(locale, reasons=["fit", "technology"]))
    assert both.body.count(once) == 1 and both.findings == ()
    alone = letterkit.compose(data(locale, reasons=["technology"]))
    assert alone.body.count(once) == 1


@pytest.mark.parametrize(("locale", "twice"), [("de-DE", "gute"), ("en-GB", "good result")])
def test_working_style_and_quality_do_not_repeat_the_good_result(locale: str, twice: str) -> None:
    both = letterkit.compose(data(locale, reasons=["working_style", "quality_expectations"]))
    assert both.body.count(twice) == 1 and both.findings == ()
    assert "Qualität" in both.body or "quality" in both.body
