"""Input messages that say how to fix the input (tester 34): an optional part given in
half (an invoice number without its amount) offers both ways out, and a spreadsheet's
error value in a date column is named as such, as in an amount column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from letterkit.errors import InputError
from letterkit.merge.run import validate

ROOT = Path(__file__).resolve().parent.parent


def problems(**changes: Any) -> list[str]:
    data = yaml.safe_load((ROOT / "samples" / "de-DE-wartungsvertrag.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    with pytest.raises(InputError) as caught:
        validate(data)
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def test_an_invoice_number_without_its_amount_says_add_it_or_leave_the_invoice_out() -> None:
    assert problems(final_invoice={"number": "R-1"}) == [
        "final_invoice.amount: required: gross amount "
        "(final_invoice.number is given: add it, or leave final_invoice out altogether)"
    ]


def test_a_required_field_of_a_required_part_has_no_such_way_out() -> None:
    found = problems(recipient={"company": "Kunde GmbH", "gender": "female"})
    assert found and not any("leave recipient out" in p for p in found)


@pytest.mark.parametrize("value", ["#N/A", "#NV", "#BEZUG!"])
def test_an_error_value_in_a_date_is_named_as_one(value: str) -> None:
    (found,) = problems(end_date=value)
    assert found.startswith(f"end_date: '{value}' is a spreadsheet's error value, not data")
