"""The Letter: the intermediate representation between compose and the renderers.

A Letter holds finished text only — every date and amount already formatted for
its locale, every sentence already chosen — so renderers never make wording
decisions and the lint can check a letter's blocks by the part they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lint.findings import Finding


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
    labels: dict[str, str] = field(default_factory=dict)
    # What letterkit's own lint found in this letter (normally nothing).
    findings: tuple[Finding, ...] = ()

    @property
    def body(self) -> str:
        """The body paragraphs as plain text, separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks)

    def part(self, name: str) -> tuple[Block, ...]:
        """The blocks that realise one part ("decision", "thanks", ...)."""
        return tuple(block for block in self.blocks if block.part == name)
