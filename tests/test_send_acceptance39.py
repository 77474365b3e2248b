"""Tester 39: a client who got their email must not get a second, different one because the
list was renumbered and edited since (the file name and the Message-ID both change). Against
a real aiosmtpd server on localhost."""

from __future__ import annotations

from typing import Any

import test_send_acceptance24 as round24
from test_send_acceptance24 import Inbox, row

cli = round24.cli  # the merge command on rows into tmp/out, against a local SMTP server (a fixture)


def edited(i: int, address: str | None = None, end: str = "2027-01-31") -> dict[str, Any]:
    return {**row(i, address), "end_date": end}


def test_a_renumbered_and_edited_row_does_not_send_a_second_email(cli):
    inbox = Inbox()
    first = cli([row(0), row(1)], "--send", "--no-dry-run", inbox=inbox)
    assert first.exit_code == 0, first.output
    assert inbox.counts == {"k0@example.com": 1, "k1@example.com": 1}
    # Kunde 0 left the list, Kunde 1's end date changed: their email is now 0001-Kunde1.eml
    for dry in ([], ["--no-dry-run"]):
        again = cli([edited(1)], "--send", *dry, inbox=inbox)
        assert again.exit_code == 1, again.output
        assert "not sent: 0001-Kunde1.eml — k1@example.com got 0002-Kunde1.eml on " in again.output
        assert "run again with --resend 0001-Kunde1.eml" in again.output
        assert "would send: 0001-Kunde1.eml" not in again.output
    assert inbox.counts == {"k0@example.com": 1, "k1@example.com": 1}
    asked = cli([edited(1)], "--send", "--no-dry-run", "--resend", "0001-Kunde1.eml", inbox=inbox)
    assert asked.exit_code == 0, asked.output
    assert inbox.counts == {"k0@example.com": 1, "k1@example.com": 2}


def test_two_contracts_of_one_address_both_go_out_also_when_the_send_is_resumed(cli):
    inbox = Inbox()
    rows = [row(0, "shared@example.com"), {**row(1, "shared@example.com"), "contract": {"reference": "V-2"}}]
    limited = cli(rows, "--send", "--no-dry-run", "--limit", "1", inbox=inbox)
    assert limited.exit_code == 0, limited.output
    assert inbox.counts == {"shared@example.com": 1}
    rest = cli(rows, "--send", "--no-dry-run", inbox=inbox)
    assert rest.exit_code == 0, rest.output
    assert "already sent: 0001-Kunde0.eml" in rest.output
    assert inbox.counts == {"shared@example.com": 2}
