"""The moment a script gives to_email() for the Date header (tester7): a datetime without a
time zone was written with '-0000' (RFC 5322: the zone is unknown), and a date or a string
was an AttributeError with a traceback. A naive datetime is local time, as Python takes
it; anything but a datetime is a UsageError."""

from __future__ import annotations

import datetime
from email.utils import parsedate_to_datetime

import pytest

import letterkit
from letterkit.errors import UsageError

DATA = {
    "locale": "de-DE",
    "channel": "email",
    "date": "2026-11-26",
    "sender": {"company": "Muster GmbH", "name": "Erika Muster", "email": "erika@example.de"},
    "recipient": {"company": "A GmbH", "email": "kunde@example.com"},
    "end_date": "2026-12-31",
}


def test_a_naive_datetime_is_local_time_with_its_offset() -> None:
    moment = datetime.datetime(2026, 11, 28, 10, 0)
    message = letterkit.to_email(letterkit.compose(DATA), sent_at=moment)
    assert not str(message["Date"]).endswith("-0000"), message["Date"]
    assert parsedate_to_datetime(str(message["Date"])) == moment.astimezone()


def test_an_aware_datetime_is_written_as_it_is() -> None:
    moment = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    message = letterkit.to_email(letterkit.compose(DATA), sent_at=moment)
    assert str(message["Date"]) == "Sat, 28 Nov 2026 10:00:00 +0100"


@pytest.mark.parametrize("given", ["2026-11-28", datetime.date(2026, 11, 28), 1795912544])
def test_anything_else_is_a_usage_error(given: object) -> None:
    with pytest.raises(UsageError, match="sent_at= takes a datetime"):
        letterkit.to_email(letterkit.compose(DATA), sent_at=given)  # type: ignore[arg-type]
