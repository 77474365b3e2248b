"""Round 24 (acceptance): the German refund names the amount that comes back, not the
prepayment's size; a final invoice listed as an enclosure is said to be enclosed, one that
is not is said to follow; en-US wishes and payment lines read American; the email's
"Anhang:"/"Attachment:" label is written alike in every format; a shorter English email
subject."""

from __future__ import annotations

import re
from typing import Any

import pytest

import letterkit
from tests.test_text20 import GERMAN, REGISTERS, compose, paragraph

# --- 1. the refunded amount is what comes back ------------------------------------------

METHODS = ["bank_transfer", "card", "paypal", "credit_note", "offset", None]


@pytest.mark.parametrize("channel", ["letter", "email"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("locale", GERMAN)
def test_the_unused_amount_of_a_prepayment_is_what_comes_back(
    locale: str, register: str, method: str | None, channel: str
) -> None:
    refund: dict[str, Any] = {"amount": 380, "kind": "prepayment", "by": "2027-01-10"}
    if method:
        refund["method"] = method
    extra: dict[str, Any] = {"refund": refund, "channel": channel}
    if channel == "letter":
        extra["recipient"] = {
            "company": "Beispiel AG", "first_name": "Ruth", "last_name": "Okafor", "gender": "female",
            "street": "Nebenweg 2", "postal_code": "80331", "city": "München", "country": "DE",
        }
        extra["sender"] = {
            "company": "Nordlicht Studio GmbH", "name": "Eva Lind", "street": "Hauptstraße 1",
            "postal_code": "10115", "city": "Berlin", "country": "DE",
        }
    if method == "offset":
        extra["final_invoice"] = {"amount": 500, "due_date": "2027-01-15"}
    text = paragraph(compose(locale, register, **extra), "invoice" if method == "offset" else "refund")
    your = "Ihrer" if register == "sie" else "deiner"
    amount = {"de-DE": "380,00 €", "de-AT": "€ 380,00", "de-CH": "CHF 380.00"}[locale]
    assert re.search(f"[Dd]ie nicht verbrauchten {amount} {your} Vorauszahlung", text), text
    assert "in Höhe von" not in text and "Teil" not in text, text


# --- 2. an enclosed final invoice is enclosed, one that is not follows ---------------------

INVOICE = {"number": "2026-311", "amount": 1250.50, "due_date": "2027-01-15"}
SAYS = {
    # (language, channel, enclosed): the words of the invoice sentence
    ("de", "letter", True): "erhalten Sie mit diesem Schreiben die Schlussrechnung Nr. 2026-311 über",
    ("de", "email", True): "erhalten Sie im Anhang die Schlussrechnung Nr. 2026-311 über",
    ("de", "letter", False): "erhalten Sie gesondert die Schlussrechnung Nr. 2026-311 über",
    ("de", "email", False): "erhalten Sie gesondert die Schlussrechnung Nr. 2026-311 über",
    ("en", "letter", True): "Enclosed is our final invoice (number 2026-311) for",
    ("en", "email", True): "Attached is our final invoice (number 2026-311) for",
    ("en", "letter", False): "You will receive our final invoice (number 2026-311) for",
    ("en", "email", False): "You will receive our final invoice (number 2026-311) for",
}
ENCLOSED = {
    "de": ["Schlussrechnung Nr. 2026-311", "Rechnung 2026-311 (PDF)", "Schlussrechnung"],
    "en": ["Final invoice 2026-311", "Invoice no. 2026-311", "Final invoice"],
}
NOT_ENCLOSED = {
    "de": ["Übersicht der Zugänge", "Rechnung Nr. 2025-044", "Rechnungskopien", "Nr. 2026-3110"],
    "en": ["Handover checklist", "Invoice 2025-044", "Copies of invoices", "Log 2026-3110"],
}


def letter_parties(locale: str) -> dict[str, Any]:
    country = {"de-DE": "DE", "de-AT": "DE", "de-CH": "DE", "en-GB": "GB", "en-US": "GB"}[locale]
    return {
        "sender": {"company": "Nordlicht Studio GmbH", "name": "Eva Lind", "street": "1 High Street",
                   "postal_code": "SW1A 1AA" if country == "GB" else "10115", "city": "London"
                   if country == "GB" else "Berlin", "country": country},
        "recipient": {"company": "Beispiel AG", "first_name": "Ruth", "last_name": "Okafor",
                      "gender": "female", "street": "2 Low Road", "postal_code": "M1 1AE"
                      if country == "GB" else "80331", "city": "Manchester" if country == "GB"
                      else "München", "country": country, "email": "ruth@example.com"},
    }


@pytest.mark.parametrize("enclosed", [True, False])
@pytest.mark.parametrize("channel", ["letter", "email"])
@pytest.mark.parametrize("locale", [*GERMAN, "en-GB", "en-US"])
def test_the_final_invoice_is_enclosed_only_when_it_is_an_enclosure(
    locale: str, channel: str, enclosed: bool
) -> None:
    lang = locale[:2]
    extra = letter_parties(locale) if channel == "letter" else {}
    for enclosure in (ENCLOSED if enclosed else NOT_ENCLOSED)[lang]:
        letter = compose(
            locale, channel=channel, final_invoice=INVOICE, enclosures=[enclosure, "Datenexport"], **extra
        )
        text = paragraph(letter, "invoice")
        assert SAYS[lang, channel, enclosed] in text, (enclosure, text)
    letter = compose(locale, channel=channel, final_invoice=INVOICE, **extra)
    assert SAYS[lang, channel, False] in paragraph(letter, "invoice")


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("channel", ["letter", "email"])
def test_an_enclosed_invoice_without_a_number_is_the_invoice(channel: str, register: str) -> None:
    extra = letter_parties("de-DE") if channel == "letter" else {}
    invoice = {"amount": 500, "due_date": "2027-01-15"}
    text = paragraph(
        compose("de-DE", register, channel=channel, final_invoice=invoice, enclosures=["Rechnung"], **extra),
        "invoice",
    )
    where = "im Anhang" if channel == "email" else "mit diesem Schreiben"
    verb = "erhalten Sie" if register == "sie" else "bekommst du"
    assert f"{verb} {where} die Schlussrechnung über 500,00 €." in text
    alone = compose("de-DE", register, channel=channel, final_invoice=invoice, **extra)
    assert f"{verb} gesondert eine Schlussrechnung über 500,00 €." in paragraph(alone, "invoice")


@pytest.mark.parametrize("locale", [*GERMAN, "en-GB", "en-US"])
def test_the_starter_says_its_enclosed_invoice_is_enclosed(locale: str) -> None:
    import yaml

    from letterkit.starter import starter

    data = yaml.safe_load(starter(locale))
    enclosed = paragraph(letterkit.compose(data), "invoice")
    assert ("mit diesem Schreiben" if locale.startswith("de") else "Enclosed is our final invoice") in enclosed
    data.pop("enclosures")
    following = paragraph(letterkit.compose(data), "invoice")
    assert ("gesondert" if locale.startswith("de") else "You will receive our final invoice") in following


# --- 3. en-US reads American ----------------------------------------------------------------


@pytest.mark.parametrize("company", ["St. Mark's Episcopal Church", None])
@pytest.mark.parametrize(("locale", "future"), [("en-US", "in the future"), ("en-GB", "for the future")])
def test_the_wish_for_the_future_is_american_in_en_us(locale: str, future: str, company: str | None) -> None:
    recipient = {"company": company, "first_name": "Ruth", "last_name": "Okafor", "gender": "female",
                 "email": "ruth@example.com"}
    wishes = paragraph(compose(locale, recipient=recipient, wishes=True), "wishes")
    assert wishes.endswith(f"all the best {future}."), wishes


@pytest.mark.parametrize("offset", [False, True])
@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_the_us_payment_line_points_to_the_instructions(locale: str, offset: bool) -> None:
    extra: dict[str, Any] = {"final_invoice": {"amount": 900, "due_date": "2027-01-15"}}
    if offset:
        extra["refund"] = {"amount": 100, "kind": "prepayment", "method": "offset"}
    text = paragraph(compose(locale, **extra), "invoice")
    amount = "remaining amount" if offset else "amount"
    if locale == "en-US":
        assert f"The {amount} is due by January 15, 2027. Payment instructions are on the invoice." in text
        assert "payable" not in text
    else:
        assert f"The {amount} is due by 15 January 2027, payable to the account shown on the invoice." in text


# --- 4. the enclosures' label is written alike in every format ------------------------------


def formats_text(letter: letterkit.Letter) -> dict[str, str]:
    import io
    import re as regex

    from docx import Document

    msg = letterkit.to_email(letter) if letter.channel == "email" else None
    out = {fmt: letterkit.render(letter, fmt).decode("utf-8") for fmt in ("txt", "md")}
    out["html"] = regex.sub(r"<[^>]+>", "\n", letterkit.render(letter, "html").decode("utf-8"))
    out["docx"] = "\n".join(p.text for p in Document(io.BytesIO(letterkit.render(letter, "docx"))).paragraphs)
    if msg is not None:
        out["eml-plain"] = msg.get_body(("plain",)).get_content()
        out["eml-html"] = regex.sub(r"<[^>]+>", "\n", msg.get_body(("html",)).get_content())
    return out


@pytest.mark.parametrize(
    ("locale", "channel", "label"),
    [
        ("de-DE", "email", "Anhang:"),
        ("de-CH", "email", "Anhang:"),
        ("en-US", "email", "Attachment:"),
        ("de-DE", "letter", "Anlage"),  # DIN 5008: the label alone
        ("de-CH", "letter", "Beilage"),
        ("en-GB", "letter", "Enclosure"),
    ],
)
def test_the_enclosure_label_is_the_same_in_every_format(locale: str, channel: str, label: str) -> None:
    extra = letter_parties(locale) if channel == "letter" else {}
    letter = compose(locale, channel=channel, enclosures=["Übersicht der Zugänge"], **extra)
    for fmt, text in formats_text(letter).items():
        lines = [line.strip(" *\\") for line in text.splitlines() if line.strip(" *\\")]
        at = lines.index("Übersicht der Zugänge")
        assert lines[at - 1] == label, (fmt, lines[at - 3 : at + 1])


# --- 5. a shorter English email subject -------------------------------------------------------

SUBJECTS = {
    ("en-US", "email"): "Termination: Organ Maintenance Contract (Ref. OM-118), Last Day January 31, 2027",
    ("en-GB", "email"): "Termination: Organ maintenance contract (ref. OM-118), last day 31 January 2027",
    ("en-US", "letter"): (
        "Notice of Termination: Organ Maintenance Contract (Ref. OM-118), Last Day of Service January 31, 2027"
    ),
    ("en-GB", "letter"): (
        "Notice of termination: Organ maintenance contract (ref. OM-118), last day of service 31 January 2027"
    ),
}


@pytest.mark.parametrize(("locale", "channel"), list(SUBJECTS))
def test_an_english_email_subject_names_contract_and_date_in_fewer_words(locale: str, channel: str) -> None:
    extra = letter_parties(locale) if channel == "letter" else {}
    contract = {"name": "organ maintenance contract", "reference": "OM-118"}
    letter = compose(locale, channel=channel, contract=contract, end_date="2027-01-31", **extra)
    assert letter.subject == SUBJECTS[locale, channel]
    if channel == "email":
        assert len(letter.subject) <= 80
        assert "Our last day of service will be" in paragraph(letter, "decision")
