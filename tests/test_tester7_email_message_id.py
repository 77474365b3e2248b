"""The Message-ID a script gives to_email() (tester7): 'abc' was written as it was, an
invalid header, and one with a non-ASCII letter ('<kündigung-1@example.de>') was a
UnicodeEncodeError with a traceback. 'left@right' is put in its angle brackets; anything
that is no Message-ID is a LetterkitError that says how to write one."""

from __future__ import annotations

import pytest

import letterkit
from letterkit.errors import LetterkitError

DATA = {
    "locale": "de-DE",
    "channel": "email",
    "date": "2026-11-26",
    "sender": {"company": "Muster GmbH", "name": "Erika Muster", "email": "erika@example.de"},
    "recipient": {"company": "A GmbH", "email": "kunde@example.com"},
    "end_date": "2026-12-31",
}


@pytest.mark.parametrize(
    ("given", "written"),
    [("<k-1.2026@example.de>", "<k-1.2026@example.de>"), ("k-1.2026@example.de", "<k-1.2026@example.de>")],
)
def test_a_message_id_is_written_in_its_angle_brackets(given: str, written: str) -> None:
    message = letterkit.to_email(letterkit.compose(DATA), message_id=given)
    assert message["Message-ID"] == written


@pytest.mark.parametrize(
    "given", ["abc", "<abc>", "a b@example.de", "<kündigung-1@example.de>", "a@b@example.de", "<a@example.de"]
)
def test_what_is_no_message_id_is_an_error_that_says_how_to_write_one(given: str) -> None:
    with pytest.raises(LetterkitError, match="is not a Message-ID; write it as <unique-part@your-domain>"):
        letterkit.to_email(letterkit.compose(DATA), message_id=given)
