"""Lint a composed Letter: the same engine, with the letter's parts known exactly.

compose() calls this on every letter it builds, so user text such as ``reason_note``
is held to the same standard as letterkit's own wording. Tone rules never look past
a sentence, so each paragraph is linted on its own and the result is cached by its
text: in a merge most paragraphs repeat from letter to letter.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from ..letter import Letter
from .findings import Finding
from .text import Draft


def letter_draft(letter: Letter) -> tuple[Draft, dict[str, tuple[int, int]], list[tuple[int, str]]]:
    """The letter as a Draft, the span of each part, and (offset, text) of each paragraph."""
    pieces = [letter.subject, letter.salutation]
    for block in letter.blocks:
        pieces.append(block.text)
    pieces += [letter.closing, *letter.signature]
    spans: dict[str, tuple[int, int]] = {}
    offsets: list[tuple[int, str]] = []
    offset = 0
    for index, text in enumerate(pieces):
        offsets.append((offset, text))
        block_index = index - 2
        if 0 <= block_index < len(letter.blocks):
            block = letter.blocks[block_index]
            for part in block.parts or (block.part,):
                spans.setdefault(part, (offset, offset + len(text)))
        offset += len(text) + 2
    return Draft("\n\n".join(pieces), "<letter>"), spans, offsets


_CACHE: OrderedDict[tuple[str, str, str], tuple[Finding, ...]] = OrderedDict()
_CACHE_SIZE = 8192


def _tone(texts: list[str], lang: str, locale: str) -> list[tuple[Finding, ...]]:
    """Tone findings of each paragraph, offsets relative to it. Paragraphs seen before come
    from a cache; the others are linted together in one pass (one pass per letter, not
    one per paragraph)."""
    from . import lint_draft

    keys = [(text, lang, locale) for text in texts]
    missing = [i for i, key in enumerate(keys) if key not in _CACHE]
    if missing:
        joined = "\n\n".join(texts[i] for i in missing)
        draft = Draft(joined, "<letter>")
        found = [f for f in lint_draft(draft, lang, locale=locale, parts={}) if f.category != "structure"]
        offset = 0
        for i in missing:
            end = offset + len(texts[i])
            _CACHE[keys[i]] = tuple(
                replace(f, start=f.start - offset, end=f.end - offset)
                for f in found
                if offset <= f.start < end
            )
            offset = end + 2
    result = [_CACHE[key] for key in keys]
    for key in keys:
        _CACHE.move_to_end(key)  # least recently used paragraphs leave first
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def lint_letter(letter: Letter) -> list[Finding]:
    """Every finding of the tone rules and the structure checks on ``letter``."""
    from . import structure_findings

    draft, spans, paragraphs = letter_draft(letter)
    tone: list[Finding] = []
    per_paragraph = _tone([text for _, text in paragraphs], letter.lang, letter.locale)
    for number, ((offset, _text), own) in enumerate(zip(paragraphs, per_paragraph, strict=True), start=1):
        for f in own:
            line, column = draft.position(f.start + offset)
            tone.append(
                replace(
                    f, start=f.start + offset, end=f.end + offset, line=line, column=column, paragraph=number
                )
            )
    return sorted(
        tone + structure_findings(draft, letter.lang, letter.locale, tone, spans),
        key=lambda f: (f.start, f.rule),
    )
