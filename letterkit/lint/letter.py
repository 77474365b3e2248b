"""Lint a composed Letter: the same engine, with the letter's parts known exactly.

compose() calls this on every letter it builds, so user text such as ``reason_note``
is held to the same standard as letterkit's own wording.
"""

from __future__ import annotations

from ..letter import Letter
from .findings import Finding
from .text import Draft


def letter_draft(letter: Letter) -> tuple[Draft, dict[str, tuple[int, int]]]:
    """The letter as a Draft, and the span of each part in it."""
    pieces = [letter.subject, letter.salutation]
    spans: dict[str, tuple[int, int]] = {}
    offset = sum(len(p) + 2 for p in pieces)
    for block in letter.blocks:
        for part in block.parts or (block.part,):
            spans.setdefault(part, (offset, offset + len(block.text)))
        pieces.append(block.text)
        offset += len(block.text) + 2
    pieces += [letter.closing, *letter.signature]
    return Draft("\n\n".join(pieces), "<letter>"), spans


def lint_letter(letter: Letter) -> list[Finding]:
    """Every finding of the tone rules and the structure checks on ``letter``."""
    from . import lint_draft

    draft, spans = letter_draft(letter)
    return lint_draft(draft, letter.lang, locale=letter.locale, parts=spans)
