"""Round 24 (acceptance): the German refund names the amount that comes back, not the
prepayment's size; a final invoice listed as an enclosure is said to be enclosed, one that
is not is said to follow; en-US wishes and payment lines read American; the email's
"Anhang:"/"Attachment:" label is written alike in every format; a shorter English email
subject."""

from __future__ import annotations

import re
from typing import Any

import pytest

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
