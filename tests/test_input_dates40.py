"""Tester 40: a final invoice enclosed with a letter written months before the end would
bill work not yet done; it is an input error that says how to go on. Enclosed near the end,
or not enclosed (the letter says it will follow), it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main

INPUT = {
    "locale": "en-GB",
    "date": "2026-11-27",
    "final_invoice": {"amount": 500, "number": "INV-900"},
    "sender": {"company": "Muster Ltd", "name": "Erika Muster", "street": "1 High St", "postal_code": "SW1A 1AA", "city": "London"},
    "recipient": {"gender": "female", "first_name": "Ann", "last_name": "Lee", "street": "2 Low St", "postal_code": "SW1A 2AA", "city": "London"},
}


def generate(tmp_path: Path, **fields) -> tuple[object, Path]:
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump({**INPUT, **fields}), encoding="utf-8")
    out = tmp_path / "out.txt"
    return CliRunner().invoke(main, ["generate", str(source), "-o", str(out)]), out


def test_a_final_invoice_enclosed_months_before_the_end_is_refused(tmp_path):
    result, out = generate(tmp_path, end_date="2027-10-31", enclosures=["Final invoice INV-900"])
    assert result.exit_code == 1
    assert "enclosures: 'Final invoice INV-900' is the final invoice, for the work until 2027-10-31, 11 months" in result.output
    assert "take it out of enclosures" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"end_date": "2026-12-31", "enclosures": ["Final invoice INV-900"]},  # a month ahead: enclosed
        {"end_date": "2027-10-31"},  # far ahead, not enclosed: it follows
    ],
)
def test_an_invoice_near_the_end_or_to_follow_is_written(tmp_path, fields):
    result, out = generate(tmp_path, **fields)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert ("Enclosed" in text or "enclosed" in text) if "enclosures" in fields else "You will receive our final invoice" in text


@pytest.mark.parametrize(
    "fields, problem",
    [
        (
            {"end_date": "2027-01-31", "contract": {"name": "Support Agreement", "date": "2027-05-01"}},
            "contract.date: 2027-05-01 is after the letter's date (2026-11-27)",
        ),
        (
            {"end_date": "2027-06-30", "handover": {"by": "2027-08-01", "accounts": ["the hosting account"]}},
            "handover.by: 2027-08-01 is after the end date 2027-06-30",
        ),
        (
            {"end_date": "2027-06-30", "handover": {"meeting": "2027-06-20", "support_until": "2026-12-15"}},
            "handover.support_until: 2026-12-15 is before the handover meeting (2027-06-20)",
        ),
        (
            {"end_date": "2027-06-30", "refund": {"amount": 50, "kind": "prepayment", "by": "2026-12-01"}},
            "refund.by: 2026-12-01 is before the end date 2027-06-30",
        ),
    ],
)
def test_dates_in_an_impossible_order_are_input_errors(tmp_path, fields, problem):
    """Tester 40: a contract dated after the letter, accounts transferred after the end,
    handover questions answered only until before the meeting, a prepayment's unused part
    refunded before the end."""
    result, out = generate(tmp_path, **{k: v for k, v in fields.items()}, final_invoice=None)
    assert result.exit_code == 1, result.output
    assert problem in result.output
    assert not out.exists()


def test_files_ready_after_the_end_are_fine(tmp_path):
    fields = {"end_date": "2027-06-30", "handover": {"export": "all files as a ZIP archive", "by": "2027-07-15"}}
    result, _ = generate(tmp_path, **fields, final_invoice=None)
    assert result.exit_code == 0, result.output


def test_the_json_schema_takes_the_amounts_and_dates_the_input_takes():
    """Tester 40: `letterkit schema` refused "1.190,00 €" and "31.12.2026", which generate takes."""
    import json
    import re

    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)
    invoice = schema["properties"]["final_invoice"]["properties"]
    amount = re.compile(invoice["amount"]["pattern"])
    for written in ("1190", "1.190,00", "1.190,00 €", "CHF 1'190.50", "$1,190.00", "1190,-"):
        assert amount.match(written), written
    assert not amount.match("about a thousand")
    dates = [re.compile(a["pattern"]) for a in schema["properties"]["end_date"]["anyOf"] if "pattern" in a]
    assert any(p.match("31.12.2026") for p in dates) and any(p.match("12/31/2026") for p in dates)
