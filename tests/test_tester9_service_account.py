"""An English account named by the service it is for ("Hosting", "Website hosting",
"Email") is transferred as an account: "ownership of the hosting account", not "ownership
of the hosting", which is a service, not a thing one owns (tester9). A thing one owns (the
domain, the Shopify store) and a named account ("the Mailchimp account") are unchanged."""

from __future__ import annotations

import pytest

import letterkit


def _handover(locale: str, accounts: list[str]) -> str:
    data = {
        "locale": locale,
        "channel": "email",
        "date": "2026-11-30",
        "end_date": "2027-01-31",
        "sender": {"company": "Harbour Lane Web Ltd", "name": "Tom Ashworth", "email": "tom@harbourlane.example"},
        "recipient": {"company": "Hartley Bakery Ltd", "email": "office@hartleybakery.example"},
        "handover": {"accounts": accounts},
    }
    letter = letterkit.compose(data)
    return " ".join(block.text for block in letter.blocks if "ownership" in block.text)


@pytest.mark.parametrize(
    ("accounts", "expected"),
    [
        (["Hosting"], "transfer ownership of the hosting account to your company"),
        (["Website hosting"], "transfer ownership of the website hosting account to your company"),
        (["email"], "transfer ownership of the email account to your company"),
        (["the domain"], "transfer ownership of the domain to your company"),
        (["Shopify store"], "transfer ownership of the Shopify store to your company"),
        (["Mailchimp"], "transfer ownership of the Mailchimp account to your company"),
        (["hosting account"], "transfer ownership of the hosting account to your company"),
    ],
)
@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_a_service_is_transferred_as_its_account(locale: str, accounts: list[str], expected: str) -> None:
    assert expected in _handover(locale, accounts)
