"""The Letter: the intermediate representation between compose and the renderers.

A Letter holds finished text only — every date and amount already formatted for
its locale, every sentence already chosen — so renderers never make wording
decisions and the lint can check a letter's blocks by the part they belong to.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lint.findings import Finding


class Labels(Mapping[str, str]):
    """The locale's labels ("page", "your_contract", ...): a mapping that cannot be changed
    and can be hashed, as the frozen Letter holding it (a dict could be changed in place
    and made ``hash(letter)`` fail, tester 45)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        self._items = dict(items or {})

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __eq__(self, other: Any) -> bool:
        return dict(self._items) == dict(other) if isinstance(other, Mapping) else NotImplemented

    def __repr__(self) -> str:
        return f"Labels({self._items!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # pickled to the merge's worker processes
        return (Labels, (self._items,))

    def as_dict(self) -> dict[str, str]:
        """A dict of the labels (``dict(labels)`` goes through the Mapping's methods in
        Python, a call per label: ~10 µs a letter, which a mail merge makes for each)."""
        return dict(self._items)

    def items(self) -> ItemsView[str, str]:
        return self._items.items()


@dataclass(frozen=True)
class Block:
    """One body paragraph, tagged with the part of the letter it realises."""

    part: str
    text: str
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """One label/value pair of the reference block ("Ihr Vertrag" / "W-2041")."""

    label: str
    value: str


@dataclass(frozen=True)
class Letter:
    """A composed termination letter or email, ready to render."""

    locale: str
    lang: str
    channel: str
    register: str
    date: date
    date_line: str
    subject: str
    salutation: str
    blocks: tuple[Block, ...]
    closing: str
    signature: tuple[str, ...]
    sender_name: str
    sender_email: str | None = None
    recipient_name: str = ""
    recipient_email: str | None = None
    sender_address: tuple[str, ...] = ()
    sender_line: str = ""
    recipient_address: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    enclosures_label: str = ""
    enclosures: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=Labels)
    # What letterkit's own lint found in this letter (normally nothing).
    findings: tuple[Finding, ...] = ()

    @property
    def body(self) -> str:
        """The body paragraphs as plain text, separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks)

    def part(self, name: str) -> tuple[Block, ...]:
        """The blocks that realise one part ("decision", "thanks", ...)."""
        return tuple(block for block in self.blocks if block.part == name)


def with_data(letter: Letter, data: tuple[str, ...], source: object = None) -> Letter:
    """``letter`` holding the input's names and references that compose() read as data when
    it linted it (the reader's last name, the contact, recommended providers, accounts), so
    that ``letterkit.lint(letter)`` reads them so too (tester6: a de-CH letter naming
    "Malerei Strauß" was clean in compose() and an error in lint(letter)). Kept beside the
    Letter's fields, not as one: it is no part of what the letter says or compares by."""
    object.__setattr__(letter, "_data", data)
    if source is not None:  # the validated input it was composed from (see letter_source)
        object.__setattr__(letter, "_source", source)
    return letter


def letter_data(letter: Letter) -> tuple[str, ...]:
    """The data values ``with_data`` gave the letter; none for a Letter built otherwise
    (by hand, or a copy made with ``dataclasses.replace``)."""
    data: tuple[str, ...] = getattr(letter, "_data", ())
    return data


def letter_source(letter: Letter) -> Any:
    """The validated input (a ``Termination``) compose() made ``letter`` from, or None for a
    Letter built otherwise: ``to_email`` composes the email version of a printed letter
    from it."""
    return getattr(letter, "_source", None)
