"""Columns of a merge source: dotted input keys, their types, and turning a flat row into input.

A column is an input key written with dots (``recipient.last_name``,
``final_invoice.amount``, ``steps_taken.0.kind``). Cells are text in CSV; they are
converted by the kind of the key (numbers, yes/no, lists separated by ';').
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Any

from ..schema import INPUT, Spec

_INDEX = re.compile(r"\[(\d+)\]")
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")
_TRUE = {"true", "yes", "ja", "1", "x", "wahr", "y", "j"}
_FALSE = {"false", "no", "nein", "0", "", "falsch", "n"}


@lru_cache(maxsize=1)
def known_columns() -> dict[str, Spec]:
    """Every dotted key a column may name, with its spec (list items as ``key.0.sub``)."""
    found: dict[str, Spec] = {}

    def walk(spec: Spec, prefix: str) -> None:
        for name, sub in spec.fields.items():
            key = f"{prefix}{name}"
            found[key] = sub
            if sub.kind == "object":
                walk(sub, key + ".")
            elif sub.kind == "list" and sub.item is not None and sub.item.kind == "object":
                walk(sub.item, key + ".#.")

    walk(INPUT, "")
    return found


def normalise_column(name: str) -> str:
    """'Recipient.Last_Name ' → 'recipient.last_name'; 'steps_taken[0].kind' → 'steps_taken.0.kind'."""
    return _INDEX.sub(r".\1", name.strip().lstrip("\ufeff")).lower()


_NUMBERED = re.compile(r"\.\d+\.")


@lru_cache(maxsize=4096)
def column_spec(column: str) -> Spec | None:
    """The spec of a (normalised) column, or None if no input key has that name."""
    return known_columns().get(_NUMBERED.sub(".#.", column))


def unknown_columns(columns: list[str]) -> list[str]:
    """Messages for columns that name no input key, with a did-you-mean."""
    problems = []
    keys = [k for k in known_columns() if "#" not in k]
    for column in columns:
        if column and column_spec(column) is None:
            close = difflib.get_close_matches(column, keys, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"'{column}'{hint}")
    return problems


def convert_cell(column: str, value: Any) -> Any:
    """A cell's value as the input expects it; text cells are converted by the key's kind."""
    spec = column_spec(column)
    if spec is None or not isinstance(value, str):
        return value
    text = value.strip()
    if spec.kind in ("list", "reasons"):
        separator = re.compile(r"\s*[;|,]\s*") if spec.kind == "reasons" else _LIST_SPLIT
        return [item for item in separator.split(text) if item]
    if spec.kind == "bool" or (spec.allow_false and text.lower() in _FALSE - {""}):
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    if spec.kind == "int" and text.isdigit():
        return int(text)
    return text


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{'recipient.last_name': 'X', 'steps_taken.0.kind': 'call'} → nested dicts and lists.
    Empty cells are left out, so an optional block with no values stays absent."""
    root: dict[str, Any] = {}
    for column, value in flat.items():
        if value is None or value == "" or value == []:
            continue
        parts = column.split(".")
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt: Any = value if last else ([] if parts[i + 1].isdigit() else {})
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append({})
                if last:
                    node[index] = value
                node = node[index]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, nxt)
    return root


def deep_merge(base: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The row's values over the base's (nested mappings merged, everything else replaced)."""
    out = dict(base)
    for key, value in row.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out
