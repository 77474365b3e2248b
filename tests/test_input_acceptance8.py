"""Input errors of the eighth acceptance run: a required field that is missing is named on
the line of the block that holds it, where it is to be added (it had no line at all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit import InputError, validate
from letterkit.sources import read_input


def problems(tmp_path: Path, text: str) -> list[tuple[str, int | None]]:
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    data, lines = read_input(path)
    with pytest.raises(InputError) as caught:
        validate(data, source=str(path), lines=lines)
    return [(p.path, p.line) for p in caught.value.problems]


def test_a_missing_field_is_named_on_the_line_of_its_block(tmp_path: Path) -> None:
    text = (
        "locale: de-DE\n"
        "channel: email\n"
        "sender: {company: A GmbH, name: X Y, email: x@a.de}\n"
        "recipient:\n"
        "  company: B AG\n"
        "final_invoice:\n"
        "  number: R-1\n"
        "steps_taken:\n"
        "  - {count: 2}\n"
    )
    found = dict(problems(tmp_path, text))
    assert found["recipient.email"] == 4
    assert found["final_invoice.amount"] == 6
    assert found["steps_taken[0].kind"] == 9
    assert found["end_date"] is None  # at the top: no block to name


def messages(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "client.yaml"
    path.write_text(text, encoding="utf-8")
    data, lines = read_input(path)
    with pytest.raises(InputError) as caught:
        validate(data, source=str(path), lines=lines)
    return [f"{p.line}: {p.path}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("amount", "hint"),
    [
        ("EUR 1.190,00", 'put the value in quotes: amount: "EUR 1.190,00"'),  # was "EUR 1.190, 00"
        ("1190,-", 'put the value in quotes: amount: "1190,-"'),  # was no hint at all
        # 1.190 is kept as typed (three decimals after a dot), so the value is put together again
        ("1.190,00 €", 'put the value in quotes: amount: "1.190,00 €"'),
        ("1,190.00", "put the whole value in quotes, as you typed it"),
    ],
)
def test_an_amount_split_by_a_comma_in_a_flow_mapping_gets_the_right_hint(tmp_path: Path, amount: str, hint: str) -> None:
    text = (
        "locale: de-DE\nsender: {company: A GmbH, name: X Y}\nrecipient: {company: B AG}\n"
        f"end_date: 2026-12-31\nfinal_invoice: {{number: R-1, amount: {amount}}}\n"
    )
    (message,) = [m for m in messages(tmp_path, text) if "unknown key" in m]
    assert message.startswith("5: final_invoice.")  # on the line of the mapping
    assert hint in message
