"""Tester 13: an email that was sent, whose row has changed since (the amount of the final
invoice corrected in the list), is kept as it was sent and not sent again, as before; the
run now says that the row makes another email than the one the client got, on the terminal
and in the report, where it said only that the file "is kept as it was" (as for a file
made on an earlier day, whose row did not change). Against a real aiosmtpd server."""

from __future__ import annotations

import json

import test_send_acceptance24 as round24
from test_send_acceptance24 import Inbox, row

cli = round24.cli  # the merge command on rows into tmp/out, against a local SMTP server (a fixture)


def invoiced(i: int, amount: str) -> dict[str, object]:
    return {**row(i), "final_invoice": {"amount": amount, "due_date": "2027-01-15"}}


def test_a_sent_email_whose_row_changed_since_is_named(cli, tmp_path):
    inbox = Inbox()
    first = cli([invoiced(0, "300.00"), invoiced(1, "500.00")], "--send", "--no-dry-run", inbox=inbox)
    assert first.exit_code == 0, first.output
    report = tmp_path / "report.json"
    again = cli([invoiced(0, "300.00"), invoiced(1, "550.00")], "--send", "--no-dry-run", "--report", str(report),
                inbox=inbox)  # fmt: skip
    assert inbox.counts == {"k0@example.com": 1, "k1@example.com": 1}  # nothing sent twice
    assert "row 2: 0002-Kunde1.eml was sent to k1@example.com" in again.output
    assert "its row makes another email now" in again.output
    assert "0001-Kunde0.eml was sent" not in again.output  # unchanged: nothing to say
    rows = {r["row"]: r for r in json.loads(report.read_text(encoding="utf-8"))["results"]}
    assert any("its row makes another email now" in p for p in rows[2]["problems"])
    assert rows[2]["send"] == "already sent"
