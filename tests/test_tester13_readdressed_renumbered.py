"""Tester 13: a client whose address was corrected in the list after their email was sent,
in a list whose rows were renumbered since (rows added above), must not get a second
termination at the new address without being asked (--resend). Against a real aiosmtpd
server on localhost."""

from __future__ import annotations

import test_send_acceptance24 as round24
from test_send_acceptance24 import Inbox, row

cli = round24.cli  # the merge command on rows into tmp/out, against a local SMTP server (a fixture)


def test_a_corrected_address_in_a_renumbered_list_is_not_sent_a_second_email(cli):
    inbox = Inbox()
    first = cli([row(0), row(1)], "--send", "--no-dry-run", inbox=inbox)
    assert first.exit_code == 0, first.output
    assert inbox.counts == {"k0@example.com": 1, "k1@example.com": 1}
    # the next day: a new client above, and Kunde 1's address corrected (a bounce fixed in the
    # CRM): Kunde 1's email is now 0003-Kunde1.eml, to an address the sent-log never saw
    day2 = [row(5), row(0), row(1, "k1-new@example.com")]
    for dry in ([], ["--no-dry-run"]):
        again = cli(day2, "--send", *dry, inbox=inbox)
        assert again.exit_code == 1, again.output
        assert "not sent: 0003-Kunde1.eml — " in again.output
        assert "k1@example.com on " in again.output  # where the earlier one went, and when
        assert "run again with --resend 0003-Kunde1.eml" in again.output
        assert "0003-Kunde1.eml to k1-new@example.com" not in again.output
    # the new client is sent as usual; Kunde 1 gets nothing more unasked
    assert inbox.counts == {"k0@example.com": 1, "k1@example.com": 1, "k5@example.com": 1}
    asked = cli(day2, "--send", "--no-dry-run", "--resend", "0003-Kunde1.eml", inbox=inbox)
    assert asked.exit_code == 0, asked.output
    assert inbox.counts == {"k0@example.com": 1, "k1@example.com": 1, "k5@example.com": 1, "k1-new@example.com": 1}
