"""A wrong value is quoted in its error message in brief: a list or mapping where a yes/no,
a count, a year or an amount belongs is shown to a few items and levels, never in full.

Found with a YAML input holding `wishes: *l8`, an alias of nine nested levels of nine
(the "billion laughs"): `letterkit generate` quoted the value with repr() and ran until it
was stopped (9^9 items), as did `count:`, `since:`, `amount:` and a --columns entry whose
value was such a list. Here the lists are nested Python lists that share their items, as
YAML's aliases make them: six levels, so that the test ends (with a 3.7 MB message) even
where the value is quoted in full."""

from __future__ import annotations

from typing import Any

import pytest

import letterkit
from letterkit.errors import InputError, LetterkitError
from letterkit.merge.columns import check_mapping

BASE: dict[str, Any] = {
    "locale": "de-DE",
    "sender": {"name": "Erika Muster"},
    "recipient": {"last_name": "Schneider"},
    "end_date": "2026-12-31",
}


def laughs(levels: int = 6) -> list[Any]:
    value: list[Any] = ["x"] * 9
    for _ in range(levels - 1):
        value = [value] * 9
    return value


@pytest.mark.parametrize(
    "field",
    [
        {"wishes": laughs()},
        {"thanks": {"since": laughs()}},
        {"steps_taken": [{"kind": "reminders", "count": laughs()}]},
        {"final_invoice": {"amount": laughs()}},
    ],
    ids=["wishes", "thanks.since", "count", "amount"],
)
def test_a_nested_list_in_a_field_is_quoted_in_brief(field: dict[str, Any]) -> None:
    with pytest.raises(InputError) as refused:
        letterkit.validate({**BASE, **field})
    message = str(refused.value)
    assert len(message) < 1_000, message[:300]
    assert "[[" in message  # the value is still shown, cut short


def test_a_short_wrong_value_is_quoted_as_before() -> None:
    with pytest.raises(InputError) as refused:
        letterkit.validate({**BASE, "wishes": ["ja", "nein"], "thanks": {"since": [2021]}})
    assert "got ['ja', 'nein']" in str(refused.value) and "got [2021]" in str(refused.value)


def test_a_column_mapped_to_a_nested_list_is_quoted_in_brief() -> None:
    with pytest.raises(LetterkitError) as refused:
        check_mapping({"Nachname": laughs()}, "map.yaml")
    assert len(str(refused.value)) < 1_000 and "Nachname: [[" in str(refused.value)
