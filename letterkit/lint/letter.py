"""Lint a composed Letter: the same engine, with the letter's parts known exactly.

compose() calls this on every letter it builds, so user text such as ``reason_note``
is held to the same standard as letterkit's own wording. Tone rules never look past
a sentence, so each paragraph is linted on its own and the result is cached by its
text: in a merge most paragraphs repeat from letter to letter.

A paragraph that names the recipient, an amount or a date differs in every letter of
a merge, so the tone rules read it with that data masked: digits become 0 and each
data value (names, company, street, references) becomes x/X letters, keeping its
length, spaces, punctuation and all-capital words. The rules judge the writer's
wording, not a client's name ("Never Ltd", "Frau Ende"), and two letters that differ
only in their data share one cache entry. Positions are unchanged by the mask; a
finding's text and sentence are taken from the real letter.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

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
_NUMBER = re.compile(r"\d+")
_RUN = re.compile(r"[^\W\d_]+|\d+")  # a run of letters or a run of digits


class Masked(NamedTuple):
    """A paragraph with its data masked, and the way back: (masked start, real start,
    masked end, real end) of each replaced piece, in order."""

    text: str
    pieces: list[tuple[int, int, int, int]]

    def real(self, position: int, end: bool = False) -> int:
        """The real offset of a masked one; a position inside a piece maps to its edge."""
        at = bisect.bisect_right(self.pieces, (position, 1 << 62)) - 1
        if at < 0:
            return position
        m_start, r_start, m_end, r_end = self.pieces[at]
        if position < m_end:
            return r_end if end and position > m_start else r_start
        return r_end + position - m_end


def mask(text: str, data: Iterable[str]) -> Masked:
    """``text`` with each whole occurrence of a data value and each number masked."""
    return _mask(text, _mask_order(data))


def _mask_order(data: Iterable[str]) -> list[str]:
    """The data values, longest first (so "Anna Berger" goes before "Anna")."""
    return sorted({v for v in data if v and v.strip()}, key=len, reverse=True)


def _mask(text: str, values: list[str]) -> Masked:
    spans: list[tuple[int, int]] = []
    taken = bytearray(len(text))
    for value in values:
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            whole = not (start > 0 and text[start - 1].isalnum()) and not (
                end < len(text) and text[end].isalnum()
            )
            if whole and not any(taken[start:end]):
                spans.append((start, end))
                taken[start:end] = b"\x01" * (end - start)
            start = text.find(value, end)
    spans += [m.span() for m in _NUMBER.finditer(text) if not taken[m.start()]]
    if not spans:
        return Masked(text, [])
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    position = length = 0
    for start, end in sorted(spans):
        out.append(text[position:start])
        length += start - position
        shape = _shape(text[start:end])
        pieces.append((length, start, length + len(shape), end))
        out.append(shape)
        length += len(shape)
        position = end
    out.append(text[position:])
    return Masked("".join(out), pieces)


def _shape(value: str) -> str:
    """A stand-in for a data value that reads alike to the rules: each run of letters as
    Xx or xx, each number as 0; punctuation, spaces, all-capital words ("ACME") and words
    ending in a full stop ("Str.", an abbreviation the sentence splitter knows) stay."""
    words = []
    for word in value.split(" "):
        if word.endswith("."):
            words.append(word)
        else:
            words.append(_RUN.sub(_run_shape, word))
    return " ".join(words)


def _run_shape(match: re.Match[str]) -> str:
    run = match.group()
    if run[0].isdigit():
        return "0"
    if len(run) > 1 and run.isupper():
        return run  # an acronym: the capitals rule knows which ones are fine
    return "Xx" if run[0].isupper() else "xx"


def _tone(texts: list[str], lang: str, locale: str) -> list[tuple[Finding, ...]]:
    """Tone findings of each (masked) paragraph, offsets relative to it. Paragraphs seen
    before come from a cache; the others are linted together in one pass (one pass per
    letter, not one per paragraph)."""
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


def lint_letter(letter: Letter, data: Iterable[str] = ()) -> list[Finding]:
    """Every finding of the tone rules and the structure checks on ``letter``; ``data`` are
    the input values (names, references) the tone rules read masked."""
    from . import structure_findings

    draft, spans, paragraphs = letter_draft(letter)
    values = _mask_order(data)
    masked = [_mask(text, values) for _, text in paragraphs]
    tone: list[Finding] = []
    per_paragraph = _tone([m.text for m in masked], letter.lang, letter.locale)
    for number, ((offset, text), own, way_back) in enumerate(
        zip(paragraphs, per_paragraph, masked, strict=True), start=1
    ):
        if not own:
            continue
        sentences = Draft(text, "<letter>").sentences()
        starts = [s.start for s in sentences]
        for f in own:
            start, end = way_back.real(f.start), way_back.real(f.end, end=True)
            line, column = draft.position(start + offset)
            sentence = sentences[max(bisect.bisect_right(starts, start) - 1, 0)]
            tone.append(
                replace(
                    f,
                    start=start + offset,
                    end=end + offset,
                    line=line,
                    column=column,
                    paragraph=number,
                    text=text[start:end],
                    sentence=" ".join(sentence.text.split()),
                )
            )
    return sorted(
        tone + structure_findings(draft, letter.lang, letter.locale, tone, spans),
        key=lambda f: (f.start, f.rule),
    )
