"""Rows given to ``letterkit.merge`` as objects instead of dicts fail with the call that
makes a dict of them: a dataclass, a named tuple, a pydantic model (``model_dump()``) and
an attrs class, each named for what it is; the other rows are still written."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import letterkit

BASE = {
    "date": "2026-11-26",
    "sender": {"company": "Northwind Design Ltd", "name": "Emma Clarke", "email": "emma@example.co.uk"},
}
FIELDS: dict[str, Any] = {
    "locale": "en-GB",
    "recipient": {"company": "Patel Consulting Ltd", "last_name": "Patel", "email": "priya@example.com"},
    "end_date": "2026-12-31",
    "reasons": ["capacity"],
}


@dataclasses.dataclass
class AsDataclass:
    locale: str
    recipient: dict[str, str]
    end_date: str
    reasons: list[str]


class AsNamedTuple(NamedTuple):
    locale: str
    recipient: dict[str, str]
    end_date: str
    reasons: list[str]


class AsPydanticModel:
    """What a pydantic 2 model offers a script: its fields, and model_dump() for a dict."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def model_dump(self) -> dict[str, Any]:
        return dict(self.__dict__)


class AsAttrsClass:
    __attrs_attrs__ = ()

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


@pytest.mark.parametrize(
    ("record", "hint"),
    [
        (AsDataclass(**FIELDS), "pass dataclasses.asdict(row)"),
        (AsNamedTuple(**FIELDS), "pass row._asdict()"),
        (AsPydanticModel(**FIELDS), "pass row.model_dump()"),
        (AsAttrsClass(**FIELDS), "pass attrs.asdict(row)"),
    ],
)
def test_an_object_row_is_told_how_to_become_a_dict(tmp_path: Path, record: object, hint: str) -> None:
    report = letterkit.merge([FIELDS, record], base=BASE, out_dir=tmp_path, fmt="txt")
    assert [r.status for r in report.results] == ["written", "failed"]
    problem = report.results[1].problems[0]
    assert problem == f"expected a mapping of keys, got {type(record).__name__}; {hint}"
