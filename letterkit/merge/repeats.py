"""Rows that repeat an earlier row: the same input (after --base), so the same letter twice.

A repeated row is still produced as before (its place, name and file do not change);
it only gets a notice, "repeats row 2", so that a doubled export is not printed and
posted twice unnoticed. Rows are compared by their input as validated (``validated_digest``):
an amount or a date written another way ("1.190,00 €", "1190,-") is the same value, and
makes the same letter. Each row is remembered as a 64-bit digest in a flat
table (about 24 bytes a row), so memory stays flat for 100,000 rows; two different rows
with the same digest — about one chance in 10^9 for 100,000 rows — would only give a
wrong notice, never a changed letter.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from dataclasses import fields, replace
from typing import Any


class Repeats:
    """Remembers each row's input; ``earlier`` tells the first row with the same input.

    ``shared``: the fields every row's input starts from (a merge's --base). A field of a
    row's input equal to the shared one is digested as a mark instead of its value — the
    same digest for the same input, without serialising the sender's details for every row.
    """

    def __init__(self, shared: dict[str, Any] | None = None) -> None:
        self._keys = array("Q", [0]) * 1024
        self._rows = array("I", [0]) * 1024
        self._size = 0
        self._shared = dict(shared or {})

    def __len__(self) -> int:
        return self._size

    def earlier(self, row: int, data: Any) -> int:
        """The number of the first row whose input equals ``data``, or 0 (then ``row`` is
        remembered as the first with this input). ``data``: the input, or its digest as
        bytes (``validated_digest``)."""
        shared = self._shared
        if shared and isinstance(data, dict):
            data = {
                key: _SHARED if key in shared and _same(value, shared[key]) else value
                for key, value in data.items()
            }
        digest = int.from_bytes(data[:8], "big") or 1 if isinstance(data, bytes) else _digest(data)
        if digest is None:
            return 0
        at = self._find(digest)
        if self._keys[at]:
            return int(self._rows[at])
        if 2 * (self._size + 1) > len(self._keys):
            self._grow()
            at = self._find(digest)
        self._keys[at], self._rows[at] = digest, row
        self._size += 1
        return 0

    def _find(self, digest: int) -> int:
        """The slot holding ``digest``, or the empty slot where it goes (open addressing)."""
        keys, mask = self._keys, len(self._keys) - 1
        at = digest & mask
        while keys[at] and keys[at] != digest:
            at = (at + 1) & mask
        return at

    def _grow(self) -> None:
        keys, rows = self._keys, self._rows
        self._keys = array("Q", [0]) * (2 * len(keys))
        self._rows = array("I", [0]) * (2 * len(rows))
        for key, row in zip(keys, rows, strict=True):
            if key:
                at = self._find(key)
                self._keys[at], self._rows[at] = key, row


_SHARED = "\x00shared"  # never a field's value: the input refuses control characters


def _same(value: Any, shared: Any) -> bool:
    """Whether a field's value is the shared one (the same object, as a row that leaves the
    field to the base has it; or equal, 1 and True told apart)."""
    return value is shared or (value == shared and _canonical(value) == _canonical(shared))


def _canonical(data: Any) -> str | None:
    try:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def _digest(data: Any) -> int | None:
    """A non-zero 64-bit digest of a row's input (keys in any order), or None for input
    that has no canonical form (keys that are not text, say): such a row is not compared."""
    text = _canonical(data)
    if text is None:
        return None
    digest = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")
    return digest or 1


def validated_digest(termination: Any) -> bytes:
    """A row's validated input (a ``Termination``) as a 16-byte digest, equal exactly when
    the values are (their ``repr``, field by field): what ``Repeats`` compares, and what the
    record of the row's file is made from (``made.input_key``), worked out once a row. The
    sender, the same in every row of a merge with --base, is written as the digest of its
    own text, worked out the first time it is seen (a few senders are kept)."""
    values = []
    for name in _field_names(type(termination)):
        value = getattr(termination, name)
        if name == "sender":
            value = _sender_text(value)
        elif name == "recipient" and value.email and not value.email.islower():
            # one mailbox however its address is written: Doppel@Example.com is doppel@example.com
            value = replace(value, email=value.email.lower())
        values.append(value)
    return hashlib.blake2b(repr(values).encode("utf-8", "surrogatepass"), digest_size=16).digest()


_SENDERS: dict[Any, str] = {}
_SENDERS_LIMIT = 64  # senders kept; beyond that they are worked out afresh


def _sender_text(sender: Any) -> Any:
    """The sender's text as it stands in a row's digest: the digest of its ``repr``."""
    try:
        known = _SENDERS.get(sender)
    except TypeError:  # not hashable: written out in full
        return sender
    if known is None:
        text = repr(sender).encode("utf-8", "surrogatepass")
        known = "sender " + hashlib.blake2b(text, digest_size=16).hexdigest()
        if len(_SENDERS) >= _SENDERS_LIMIT:
            _SENDERS.clear()
        _SENDERS[sender] = known
    return known


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(spec.name for spec in fields(kind))
    return names


def repeat_notice(row: int, channel: object) -> str:
    """The report's notice for a row that repeats ``row``."""
    what = "email" if channel == "email" else "letter"
    return (
        f"repeats row {row}: the same input as read (a value written another way, such as an amount "
        f"as 1.190,00 € or 1190,-, is the same value), so the client gets the same {what} twice; "
        "remove one of the rows if that is not intended"
    )
