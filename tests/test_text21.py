"""Round 21 (acceptance): what the recipient is (a firm, another organisation, a person)
decides "your company" and "continued success"; contract names that name their kind
("engagement letter"); recommended providers whose article cannot be known; "Anbieter"
instead of "Dienstleister"; a refund says when; no two bracket groups in a row after a
contract name; the budget and scope reasons open differently; a subject's first word after
its colon has a capital; one person form (ich/wir) in every part; "the availability you
need"; a reason_note that says the reason's claim in its own words replaces it."""

from __future__ import annotations

from typing import Any

import pytest

import letterkit
from tests.test_text20 import ENGLISH, GERMAN, REGISTERS, compose, data, paragraph

EVERY = [(locale, "sie") for locale in ENGLISH] + [(locale, r) for locale in GERMAN for r in REGISTERS]


def recipient(company: str | None) -> dict[str, Any]:
    return {
        "company": company,
        "first_name": "Ruth",
        "last_name": "Okafor",
        "gender": "female",
        "email": "ruth@example.com",
    }


# --- 1. a church is no company -----------------------------------------------------------

KINDS = {
    # (company, kind)
    "firm": ("Bloggs Holdings Ltd", "company"),
    "firm_de": ("Muster Webdesign GmbH", "company"),
    "church": ("St. Mark's Episcopal Church", "organisation"),
    "school": ("Musikschule Klangwerk", "organisation"),
    "person": (None, "person"),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("locale", ENGLISH)
def test_english_accounts_go_to_what_the_recipient_is(locale: str, kind: str) -> None:
    company, _ = KINDS[kind]
    letter = compose(locale, recipient=recipient(company), handover={"accounts": ["tuning log"]}, wishes=True)
    data_text, wishes = paragraph(letter, "data"), paragraph(letter, "wishes")
    organisation = "organization" if locale == "en-US" else "organisation"
    future = "in the future" if locale == "en-US" else "for the future"  # round 24: American wish
    expected = {
        "firm": ("to your company.", "We wish you and your team all the best and continued success."),
        "firm_de": ("to your company.", "We wish you and your team all the best and continued success."),
        "church": (
            f"to your {organisation}.",
            f"We wish you and your colleagues all the best {future}.",
        ),
        "school": (
            f"to your {organisation}.",
            f"We wish you and your colleagues all the best {future}.",
        ),
        "person": ("to you.", f"We wish you all the best {future}."),
    }[kind]
    assert f"ownership of the tuning log {expected[0]}" in data_text
    assert wishes.endswith(expected[1])


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize(("locale", "register"), [(loc, r) for loc in GERMAN for r in REGISTERS])
def test_german_accounts_go_to_what_the_recipient_is(locale: str, register: str, kind: str) -> None:
    company, what = KINDS[kind]
    letter = compose(
        locale, register, recipient=recipient(company), handover={"accounts": ["Lohnportal"]}, wishes=True
    )
    data_text, wishes = paragraph(letter, "data"), paragraph(letter, "wishes")
    sie = register == "sie"
    if what == "company":
        assert ("auf Ihr Unternehmen." if sie else "auf dein Unternehmen.") in data_text
        assert wishes.endswith("Team alles Gute und weiterhin viel Erfolg.")
    else:
        assert ("das Lohnportal auf Sie." if sie else "das Lohnportal auf dich.") in data_text
        assert wishes.endswith("alles Gute.") and "Erfolg" not in wishes
        assert ("Team" in wishes) == (what == "organisation")


def test_the_reported_church() -> None:
    letter = compose(
        "en-US",
        solo=True,
        recipient=recipient("St. Mark's Episcopal Church"),
        handover={"accounts": ["Tuning log for the organ"]},
        wishes=True,
    )
    assert "to your organization." in paragraph(letter, "data")
    assert "company" not in letter.body and "success" not in letter.body
    assert paragraph(letter, "wishes").endswith("I wish you and your colleagues all the best in the future.")


# --- 2. contract names that name their kind ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Self Assessment engagement letter", "terminating the Self Assessment engagement letter."),
        ("Letter of engagement", "terminating the letter of engagement."),
        ("Gym membership (off-peak)", "terminating the gym membership (off-peak)."),
        ("Piano lessons agreement (weekly)", "terminating the piano lessons agreement (weekly)."),
        ("Website care", "terminating the {o}Website care{c} agreement."),  # no kind: quoted
    ],
)
@pytest.mark.parametrize("locale", ENGLISH)
def test_an_english_name_that_names_its_kind_is_not_called_an_agreement(
    locale: str, name: str, phrase: str
) -> None:
    o, c = ("‘", "’") if locale == "en-GB" else ("“", "”")
    text = paragraph(compose(locale, contract={"name": name}), "decision")
    assert phrase.format(o=o, c=c) in text
    if "{o}" not in phrase:
        assert " agreement’" not in text and " agreement”" not in text and o not in text


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Unterrichtsvereinbarung Klavier", "die Unterrichtsvereinbarung Klavier"),
        ("Mitgliedschaft Fitnessstudio", "die Mitgliedschaft Fitnessstudio"),
        ("Jahresabo", "das Jahresabo"),
        ("Dienstvertrag", "den Dienstvertrag"),
    ],
)
@pytest.mark.parametrize("locale", GERMAN)
def test_a_german_name_that_names_its_kind_stands_with_its_article(
    locale: str, name: str, phrase: str
) -> None:
    text = paragraph(compose(locale, contract={"name": name}), "decision")
    assert f"kündigen wir {phrase} fristgerecht" in text
    assert "den Vertrag" not in text


# --- 3./4. recommended providers, "Anbieter" --------------------------------------------------


@pytest.mark.parametrize(("locale", "register"), [(loc, r) for loc in GERMAN for r in REGISTERS])
@pytest.mark.parametrize(
    ("provider", "object_"),
    [
        ("Conservatorio della Svizzera italiana", None),  # das? the article cannot be known
        ("Jonas Weber", None),
        ("das Conservatorio della Svizzera italiana", "das Conservatorio della Svizzera italiana"),
        ("Die Musikschule Klangwerk", "die Musikschule Klangwerk"),
        ("der Musikverein Harmonie", None),  # nominative: "den" would be needed
        ("Rheinwerk Digital GmbH", "die Rheinwerk Digital GmbH"),
    ],
)
def test_a_german_provider_stands_in_the_sentence_only_with_a_known_article(
    locale: str, register: str, provider: str, object_: str | None
) -> None:
    text = paragraph(compose(locale, register, handover={"providers": [provider]}), "handover")
    you = "Ihnen" if register == "sie" else "dir"
    search = "einen neuen Anbieter suchen," if register == "sie" else "einen neuen Anbieter suchst,"
    assert search in text and "Dienstleister" not in text
    if object_:
        assert text.endswith(f"können wir {you} {object_} empfehlen.")
    else:
        assert text.endswith(f"können wir {you} eine Empfehlung geben: {provider}.")


@pytest.mark.parametrize(("locale", "register"), [(loc, r) for loc in GERMAN for r in REGISTERS])
def test_the_german_handover_says_anbieter(locale: str, register: str) -> None:
    handover = {"meeting": "2026-12-10", "providers": ["A GmbH", "Jonas Weber"]}
    text = paragraph(compose(locale, register, handover=handover), "handover")
    assert "künftigen Anbieter, sobald feststeht" in text and "Dienstleister" not in text
    assert text.endswith("folgende Empfehlungen geben: A GmbH und Jonas Weber.")


@pytest.mark.parametrize("locale", ENGLISH)
def test_the_english_handover_says_provider(locale: str) -> None:
    text = paragraph(
        compose(locale, handover={"providers": ["Conservatorio della Svizzera italiana"]}), "handover"
    )
    assert (
        text
        == "If you are looking for a new provider, we can recommend Conservatorio della Svizzera italiana."
    )


# --- 5. a refund says when the input says it, and never invents a time ---------------------


@pytest.mark.parametrize(("locale", "register"), EVERY)
@pytest.mark.parametrize("method", ["bank_transfer", "card", "paypal", "credit_note"])
@pytest.mark.parametrize("kind", [None, "prepayment", "overpayment", "credit_balance"])
def test_a_refund_without_a_date_names_no_time_of_its_own(locale: str, register: str, method: str, kind: str | None) -> None:
    """The unused part of a prepayment follows the end (only then is it known); any other
    refund without refund.by names no time: "in the next few days" would be a promise the
    sender never gave (round 21 had added it for a Swiss refund that read abruptly)."""
    refund = {"amount": 40, "method": method, "kind": kind}
    text = paragraph(compose(locale, register, refund=refund), "refund")
    assert "nächsten Tagen" not in text and "next few days" not in text, text
    if kind == "prepayment":
        assert ("nach dem Vertragsende" if locale.startswith("de") else "After our last day of service, we") in text, text


def test_the_reported_swiss_refund_ends_with_where_it_goes() -> None:
    text = paragraph(compose("de-CH", refund={"amount": 40, "method": "bank_transfer"}), "refund")
    assert text == "Ihr Guthaben in Höhe von CHF 40.00 überweisen wir Ihnen auf Ihr Konto."


@pytest.mark.parametrize(("locale", "register"), EVERY)
def test_a_refund_with_a_date_keeps_it(locale: str, register: str) -> None:
    refund = {"amount": 40, "method": "bank_transfer", "by": "2027-01-10"}
    text = paragraph(compose(locale, register, refund=refund), "refund")
    assert "nächsten Tagen" not in text and "next few days" not in text
    assert "10" in text


# --- 6. no two bracket groups in a row -------------------------------------------------------


@pytest.mark.parametrize(("locale", "register"), [(loc, r) for loc in GERMAN for r in REGISTERS])
@pytest.mark.parametrize("date", [None, "2024-03-01"])
def test_a_german_number_after_a_bracketed_name_follows_a_comma(
    locale: str, register: str, date: str | None
) -> None:
    contract = {
        "name": "Unterrichtsvereinbarung Klavier (Einzelunterricht mit 45 Minuten)",
        "reference": "KL-0912",
        "date": date,
    }
    letter = compose(locale, register, contract=contract)
    name = "Unterrichtsvereinbarung Klavier (Einzelunterricht mit 45 Minuten), Nr. KL-0912,"
    assert letter.subject.startswith(f"Kündigung {name} zum ")
    assert f"die {name} " in paragraph(letter, "decision")
    assert ") (" not in letter.subject and ") (" not in letter.body


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("date", [None, "2024-03-01"])
def test_an_english_reference_after_a_bracketed_name_follows_a_comma(locale: str, date: str | None) -> None:
    contract = {"name": "Piano lessons agreement (weekly)", "reference": "KL-0912", "date": date}
    letter = compose(locale, contract=contract)
    decision = paragraph(letter, "decision")
    assert ") (" not in letter.subject and ") (" not in decision
    assert ", Ref. KL-0912, " in letter.subject or ", ref. KL-0912, " in letter.subject
    ending = ", reference KL-0912, dated " if date else ", reference KL-0912."
    assert f"the piano lessons agreement (weekly){ending}" in decision


def test_a_bracketed_name_without_a_joined_head_keeps_its_number() -> None:
    text = paragraph(
        compose("de-DE", contract={"name": "Dienstvertrag (IT)", "reference": "X-1"}), "decision"
    )
    assert "den Dienstvertrag (IT) Nr. X-1 fristgerecht" in text


# --- 7. budget and scope open differently ------------------------------------------------------


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("solo", [False, True])
@pytest.mark.parametrize("reasons", [["budget", "scope"], ["scope", "budget"]])
def test_budget_and_scope_do_not_both_open_with_the_work(locale: str, solo: bool, reasons: list[str]) -> None:
    text = paragraph(compose(locale, solo=solo, reasons=reasons), "reasons")
    assert text.count("The work") == 1, text
    assert "What you now need is no longer covered by the agreed budget" in text


# --- 8. the first word after the subject's colon ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        # an email's subject (round 24: "Termination: …, last day …", shorter than the letter's)
        ("gym membership", "Termination: Gym membership, last day 31 December 2026"),
        ("iPhone support plan", "Termination: iPhone support plan, last day 31 December 2026"),
        ("SEO retainer", "Termination: SEO retainer, last day 31 December 2026"),
    ],
)
def test_the_subject_after_its_colon_starts_with_a_capital(name: str, subject: str) -> None:
    letter = compose("en-GB", contract={"name": name})
    assert letter.subject.startswith(subject)
    assert f"terminating the {name if name[0] != 'g' else 'gym membership'}" in paragraph(letter, "decision")


@pytest.mark.parametrize("locale", GERMAN)
def test_a_german_keyword_subject_starts_the_name_with_a_capital(locale: str) -> None:
    letter = compose(locale, contract={"name": "wartungsvertrag"})
    assert letter.subject.startswith("Kündigung Wartungsvertrag zum")
    assert "den Wartungsvertrag" in paragraph(letter, "decision")
    assert compose(locale, contract={"name": "eBay-Vertrag"}).subject.startswith("Kündigung eBay-Vertrag")


# --- 9. one person form in every part -------------------------------------------------------------


def _contact(letter: letterkit.Letter) -> str:
    return f" {paragraph(letter, 'contact')} "


@pytest.mark.parametrize(("locale", "register"), [(loc, r) for loc in GERMAN for r in REGISTERS])
@pytest.mark.parametrize("channel", ["letter", "email"])
@pytest.mark.parametrize("phone", [None, "+49 30 1234567"])
def test_a_german_company_says_wir_in_the_contact_paragraph_too(
    locale: str, register: str, channel: str, phone: str | None
) -> None:
    sender = {
        "company": "Klavierstudio Lind",
        "name": "Eva Lind",
        "email": "eva@example.com",
        "phone": phone,
        "street": "Hauptstraße 1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    rec = {
        **recipient("Beispiel AG"),
        "street": "Nebenweg 2",
        "postal_code": "80331",
        "city": "München",
        "country": "DE",
    }
    letter = compose(locale, register, channel=channel, sender=sender, recipient=rec)
    text = _contact(letter)
    assert " uns " in text
    for word in (" mir ", " mich ", " mir.", " mich."):
        assert word not in text, text
    assert " ich " not in f" {letter.body} "


@pytest.mark.parametrize(("locale", "register"), [(loc, r) for loc in GERMAN for r in REGISTERS])
def test_a_german_sender_without_a_company_still_says_mir(locale: str, register: str) -> None:
    text = _contact(
        compose(
            locale,
            register,
            solo=True,
            channel="letter",
            recipient={
                **recipient(None),
                "street": "Nebenweg 2",
                "postal_code": "80331",
                "city": "München",
                "country": "DE",
            },
        )
    )
    assert (" an mich " if register == "sie" else " bei mir ") in text and " uns " not in text


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("solo", [False, True])
def test_english_contact_follows_the_letters_person(locale: str, solo: bool) -> None:
    sender = {
        "company": None if solo else "Doe IT Support",
        "name": "Chris Doe",
        "email": "chris@example.com",
        "phone": "+44 117 496",
    }
    email = _contact(compose(locale, solo=solo, sender=sender))
    other = {"name": "Ruth Evans", "email": "ruth@example.org"}
    named = _contact(compose(locale, solo=solo, sender=sender, handover={"contact": other}))
    assert "please contact Ruth Evans at ruth@example.org." in named
    if solo:
        assert "call me directly" in email
    else:
        assert "call us directly" in email and " me " not in email


# --- 10. capacity without flattery ------------------------------------------------------------------


@pytest.mark.parametrize("locale", ENGLISH)
@pytest.mark.parametrize("solo", [False, True])
def test_capacity_offers_the_availability_you_need(locale: str, solo: bool) -> None:
    text = paragraph(compose(locale, solo=solo, reasons=["capacity"]), "reasons")
    assert text.endswith("can no longer offer you the availability you need.")
    assert "deserve" not in text


# --- 11. a note replaces a reason's first sentence only when it says the same ---------------
# (code review after round 21: a word of the reason's claim alone, "konzentrieren" or
# "focus", was found in notes that say something else, and the reason was lost; such a note
# now follows the reasons, and the reason stays)


@pytest.mark.parametrize(("locale", "register"), [(loc, r) for loc in GERMAN for r in REGISTERS])
def test_a_focus_note_that_shares_only_the_claims_word_follows_the_reason(locale: str, register: str) -> None:
    note = "Bis zum Vertragsende konzentrieren wir uns ganz auf den Abschluss des Relaunches."
    text = paragraph(compose(locale, register, reasons=["focus_change"], reason_note=note), "reasons")
    assert "engeres Leistungsspektrum" in text and text.endswith(note)


@pytest.mark.parametrize(
    ("locale", "reason", "note", "kept"),
    [
        ("de-DE", "fit", "Gern nennen wir Ihnen andere Anbieter.", "besser aufgestellt"),
        ("de-DE", "capacity", "Unser Team ist bis Ende 2027 vollständig ausgelastet.", "Kapazitäten"),
        ("en-GB", "focus_change", "Until the end date we will focus fully on completing your year-end accounts.", "narrowing"),
        ("en-GB", "focus_change", "From January we are focusing on individual coaching.", "narrowing"),
    ],
)
def test_a_note_that_says_something_else_keeps_the_reason(locale: str, reason: str, note: str, kept: str) -> None:
    text = paragraph(compose(locale, reasons=[reason], reason_note=note), "reasons")
    assert kept in text and text.endswith(note)


@pytest.mark.parametrize(
    ("locale", "reason", "note"),
    [
        ("de-DE", "focus_change", "Die Übergabe stimmen wir gern mit Ihrem neuen Team ab."),
        ("de-DE", "payment_terms", "Die letzten drei Zahlungen gingen erst nach Erinnerung ein."),
        ("en-GB", "focus_change", "We will gladly help with the handover."),
        ("en-GB", "capacity", "We will gladly help with the handover."),
    ],
)
def test_an_unrelated_note_still_follows_the_reasons(locale: str, reason: str, note: str) -> None:
    letter = letterkit.compose(data(locale, reasons=[reason], reason_note=note))
    text = paragraph(letter, "reasons")
    assert text.endswith(note) and not text.startswith(note)
