"""A letter that crosses a border names the sender's country in the return line and the
letterhead, as the recipient's country is named in the address (tester 34: a Hamburg
sender writing to Vienna, a UK sender to a US client, had no country of their own)."""

from __future__ import annotations

from typing import Any

from letterkit import compose
from letterkit.merge.run import validate


def letter(sender: dict[str, Any], recipient: dict[str, Any], locale: str) -> Any:
    return compose(validate({"locale": locale, "sender": sender, "recipient": recipient, "end_date": "2027-03-31"}))


HAMBURG = {"company": "Nord Agentur GmbH", "name": "Erika Muster", "street": "Hafenstraße 1", "postal_code": "20095", "city": "Hamburg"}
VIENNA = {"company": "Beispiel GmbH", "gender": "female", "last_name": "Huber", "street": "Ring 2", "postal_code": "1010", "city": "Wien", "country": "AT"}
MUNICH = {"company": "Beispiel GmbH", "gender": "female", "last_name": "Huber", "street": "Ring 2", "postal_code": "80331", "city": "München"}


def test_a_letter_abroad_names_the_senders_country() -> None:
    made = letter(HAMBURG, VIENNA, "de-DE")
    assert made.sender_line.endswith("20095 Hamburg · Deutschland")
    assert made.sender_address[-1] == "Deutschland"
    assert made.recipient_address[-1] == "ÖSTERREICH"


def test_a_letter_at_home_names_no_country() -> None:
    made = letter(HAMBURG, MUNICH, "de-DE")
    assert "Deutschland" not in made.sender_line and made.sender_address[-1] == "20095 Hamburg"
    assert made.recipient_address[-1] == "80331 München"


def test_an_english_letter_from_the_uk_to_the_us() -> None:
    sender = {"company": "Northwind Design Ltd", "name": "Emma Clarke", "street": "12 High Street", "postal_code": "M1 2AB", "city": "Manchester"}
    recipient = {"company": "Patel Consulting LLC", "gender": "female", "last_name": "Patel", "street": "200 Main Street", "city": "Chicago", "state": "IL", "postal_code": "60601", "country": "US"}
    made = letter(sender, recipient, "en-GB")
    assert made.sender_line.endswith("United Kingdom") and made.sender_address[-1] == "United Kingdom"
    assert made.recipient_address[-1] == "UNITED STATES"
