"""to_email() of a Letter edited by hand (tester6): a line break in a header's value — the
subject, a display name, the Message-ID — is an error, never a header of its own."""

from __future__ import annotations

import dataclasses
import email
import email.policy

import pytest

import letterkit
from letterkit.errors import LetterkitError


def _letter() -> letterkit.Letter:
    return letterkit.compose(
        {
            "locale": "en-GB",
            "channel": "email",
            "date": "2026-11-26",
            "sender": {"company": "Northwind Design Ltd", "name": "Emma Clarke", "email": "emma@example.co.uk"},
            "recipient": {"company": "Patel Consulting Ltd", "last_name": "Patel", "email": "priya@example.com"},
            "end_date": "2027-01-31",
            "reasons": ["capacity"],
        }
    )


@pytest.mark.parametrize("field", ["subject", "sender_name", "recipient_name"])
@pytest.mark.parametrize("breaking", ["\n", "\r\n", "\r", "\u2028", "\x85", "\x0b"])
def test_a_line_break_in_a_header_value_is_an_error(field: str, breaking: str) -> None:
    letter = dataclasses.replace(_letter(), **{field: f"Hello{breaking}Bcc: evil@example.net"})
    with pytest.raises(LetterkitError, match=field):
        letterkit.to_email(letter)


def test_a_line_break_in_the_message_id_is_an_error() -> None:
    with pytest.raises(LetterkitError, match="message_id"):
        letterkit.to_email(_letter(), message_id="<a@example.com>\r\nBcc: evil@example.net")


def test_plain_header_values_still_go_through() -> None:
    letter = dataclasses.replace(_letter(), subject="Notice: agreement ends", sender_name="Emma Clarke (Northwind)")
    parsed = email.message_from_bytes(letterkit.to_email(letter).as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Notice: agreement ends"
    assert parsed["From"].addresses[0].display_name == "Emma Clarke (Northwind)"
    assert parsed.get_all("Bcc") is None
