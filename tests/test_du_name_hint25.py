"""A du letter to a recipient given only as ``name``: the input check says how to give the
name, split as the salutation splits it, and that a group needs a person or register: sie
(tester9: 'Hans von Bülow' was advised as first_name 'Hans von', 'Team Einkauf' as
first_name 'Team')."""

from __future__ import annotations

import pytest

import letterkit
from letterkit.errors import InputError

BASE = {
    "locale": "de-DE",
    "register": "du",
    "date": "2026-11-29",
    "end_date": "2026-12-31",
    "sender": {"company": "Kreativraum GmbH", "name": "Lea Sommer", "street": "Hafenstraße 3", "postal_code": "20457", "city": "Hamburg"},
    "contract": {"name": "Coworking-Vertrag", "reference": "CW-17"},
    "reasons": ["capacity"],
}


def _message(name: str) -> str:
    data = {**BASE, "recipient": {"name": name, "street": "Markt 1", "postal_code": "20095", "city": "Hamburg"}}
    with pytest.raises(InputError) as caught:
        letterkit.compose(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("Hans von Bülow", "first_name: Hans, last_name: von Bülow"),
        ("Schmidt, Anna", "first_name: Anna, last_name: Schmidt"),
        ("Dr. Anna Schmidt", "title: Dr., first_name: Anna, last_name: Schmidt"),
        ("Anna Maria Schneider", "first_name: Anna Maria, last_name: Schneider"),
    ],
)
def test_the_name_is_split_as_the_salutation_reads_it(name: str, advice: str) -> None:
    assert advice in _message(name)


@pytest.mark.parametrize("name", ["Team Einkauf", "das Team der Altstadtbühne", "Geschäftsleitung Müller AG"])
def test_a_group_is_told_to_name_a_person_or_write_with_sie(name: str) -> None:
    message = _message(name)
    assert "register: sie" in message and "first_name: Team" not in message


def test_the_advice_composes() -> None:
    data = {**BASE, "recipient": {"first_name": "Hans", "last_name": "von Bülow", "street": "Markt 1", "postal_code": "20095", "city": "Hamburg"}}
    assert letterkit.compose(data).salutation.startswith("Hallo Hans")
