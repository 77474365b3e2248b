"""Dates a row gives as Excel serial numbers ("46387", a date column exported as General or
as numbers): read as the day they count to, as validation does, and told, since a number
in a date field may as well be a slip as a date."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ..schema import INPUT, Spec
from ..values import is_serial_date, serial_day

# The date fields of the input as a tree: a field's name → True (a date), a tree (a block
# holding dates) or a list of one tree (a list of such blocks). Only these are looked at.
DateTree = dict[str, Any]


def serial_date_notices(data: Mapping[str, Any]) -> list[str]:
    """A notice for each date field of the row's input written as a serial number."""
    notices: list[str] = []
    _look(data, _date_tree(), "", notices)
    return notices


def _look(data: Mapping[str, Any], tree: DateTree, prefix: str, notices: list[str]) -> None:
    for name, below in tree.items():
        value = data.get(name)
        if value is None:
            continue
        path = prefix + name
        if below is True:
            _tell(path, value, notices)
        elif isinstance(below, list) and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, (dict, Mapping)):
                    _look(item, below[0], f"{path}.{index}.", notices)
        elif isinstance(below, dict) and isinstance(value, (dict, Mapping)):  # a dict: no ABC call
            _look(value, below, path + ".", notices)


def _tell(path: str, value: Any, notices: list[str]) -> None:
    number = value if type(value) is int else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is not None and is_serial_date(number):
        notices.append(
            f"{path}: {value} was read as an Excel date serial number, {serial_day(number).isoformat()}; "
            "if that is not the date meant, format the column as a date in Excel, or write YYYY-MM-DD"
        )


@cache
def _date_tree() -> DateTree:
    return _tree(INPUT)


def _tree(spec: Spec) -> DateTree:
    found: DateTree = {}
    for name, sub in spec.fields.items():
        if sub.kind == "date":
            found[name] = True
        elif sub.kind == "object":
            inner = _tree(sub)
            if inner:
                found[name] = inner
        elif sub.kind == "list" and sub.item is not None and sub.item.kind == "object":
            inner = _tree(sub.item)
            if inner:
                found[name] = [inner]
    return found


def is_date_field(path: str) -> bool:
    """Whether a column's input key names a date field ("end_date", "final_invoice.due_date",
    "steps_taken.0.date"; a list's index may be left out)."""
    node: Any = _date_tree()
    for part in path.split("."):
        if isinstance(node, list):
            node = node[0]
            if part.isdigit():
                continue
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return node is True
