"""``letterkit.validate`` takes the input as a dict; given a file's name (as ``compose``
takes one) or another non-mapping from a script, it raises ``UsageError`` naming what was
passed and the way on, as ``compose``, ``render`` and ``to_email`` do: it said "expected a
mapping of keys at the top, got text", which reads as a problem inside the file."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import InputError, UsageError

GOOD = {
    "locale": "en-GB",
    "sender": {"company": "Northwind Design Ltd", "name": "Emma Clarke"},
    "recipient": {"company": "Patel Consulting Ltd", "last_name": "Patel"},
    "end_date": "2026-12-31",
    "reasons": ["capacity"],
}


@pytest.mark.parametrize("given", ["client.yaml", Path("client.yaml")])
def test_a_file_name_is_a_usage_error_that_names_compose(given: object) -> None:
    with pytest.raises(UsageError) as caught:
        letterkit.validate(given)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"validate() takes the input as a dict (as read from YAML or JSON), not {type(given).__name__}; "
        "to check a file, read it with letterkit.compose(path), which validates it"
    )


@pytest.mark.parametrize("given", [None, [GOOD], 42])
def test_another_non_mapping_is_a_usage_error(given: object) -> None:
    with pytest.raises(UsageError, match=r"^validate\(\) takes the input as a dict"):
        letterkit.validate(given)  # type: ignore[arg-type]


def test_a_file_whose_top_level_is_text_still_lists_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "client.yaml"
    path.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        letterkit.compose(path)
    assert caught.value.problems[0].message == "expected a mapping of keys at the top, got text"


def test_a_dict_is_validated() -> None:
    assert letterkit.validate(GOOD).recipient.last_name == "Patel"
