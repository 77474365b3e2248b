"""Lint a composed Letter: the same engine, with the letter's parts known exactly.

compose() calls this on every letter it builds, so user text such as ``reason_note``
is held to the same standard as letterkit's own wording.

The rules read the letter with its data masked: each data value (names, company,
street, references) becomes a stand-in (``Muster5`` → ``Xx0``) and each number keeps
only its number of digits (``31. Dezember 2026`` → ``00. Dezember 0000``). The rules
judge the writer's wording, not a client's name ("Never Ltd", "Frau Ende", "Weiß" in a
Swiss letter), and letters of a mail merge that differ only in their data read alike:

- tone rules never look past a sentence, so each masked paragraph is linted on its own
  and its findings are cached by its text (a letter's new paragraphs in one pass);
- the structure checks and the whole result are cached by the masked letter.

Findings are mapped back: positions, text and sentence come from the real letter.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple, TypeVar

from ..letter import Letter
from ..row_caches import ROW_VALUES
from . import clean_cache
from .findings import Finding
from .text import Draft

K = TypeVar("K")
V = TypeVar("V")
_LIMIT = 2048  # entries per cache; a masked letter is ~3 KB, so at most a few MB
# ASCII digits: the masks below must agree, and masking digits through bytes.translate
# (``_zeroed``) is six times faster than a regular expression
_NUMBER = re.compile(r"[0-9]+")
_DIGIT = re.compile(r"[0-9]")
_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_RUN = re.compile(r"[^\W\d_]+|\d+")  # a run of letters or a run of digits
Parts = tuple[tuple[str, ...], ...]  # the part names of each paragraph (empty: not a block)


def letter_texts(letter: Letter) -> tuple[list[str], Parts]:
    """The paragraphs the lint reads (subject, salutation, blocks, closing, signature) and
    the parts each one holds."""
    texts = [letter.subject, letter.salutation, *(b.text for b in letter.blocks), letter.closing]
    parts = [(), (), *(b.parts or (b.part,) for b in letter.blocks), ()]
    texts += letter.signature
    parts += [()] * len(letter.signature)
    return texts, tuple(parts)


def assemble(texts: list[str], parts: Parts) -> tuple[Draft, dict[str, tuple[int, int]], list[int]]:
    """The paragraphs as one Draft, the span of each part, and each paragraph's offset."""
    offsets = paragraph_offsets(texts)
    spans: dict[str, tuple[int, int]] = {}
    for text, names, offset in zip(texts, parts, offsets, strict=True):
        for name in names:
            spans.setdefault(name, (offset, offset + len(text)))
    return Draft("\n\n".join(texts), "<letter>"), spans, offsets


def paragraph_offsets(texts: list[str]) -> list[int]:
    """Where each paragraph starts when they are joined by blank lines."""
    offsets, offset = [], 0
    for text in texts:
        offsets.append(offset)
        offset += len(text) + 2
    return offsets


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


def _value_spans(text: str, values: list[str]) -> tuple[list[tuple[int, int, str]], bytearray]:
    """Where each data value stands as a whole word (longest first, never overlapping),
    with its shape; and which characters they take."""
    spans: list[tuple[int, int, str]] = []
    taken = bytearray(len(text))
    for value in values:
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            whole = not (start > 0 and text[start - 1].isalnum()) and not (
                end < len(text) and text[end].isalnum()
            )
            if whole and not any(taken[start:end]):
                spans.append((start, end, _shape(value)))
                taken[start:end] = b"\x01" * (end - start)
            start = text.find(value, end)
    return spans, taken


def _masked_text(text: str, values: list[str]) -> str:
    """``_mask(text, values).text`` without the way back, which only a letter with
    findings needs: the values replaced, then every digit left made a 0 in one pass in C
    (a value's shape holds no digit but 0, and no run of digits reaches into a value, which
    stands as a whole word: the same text as masking each run of digits)."""
    spans, _ = _value_spans(text, values)
    if spans:
        out: list[str] = []
        position = 0
        for start, end, shape in sorted(spans):
            out += (text[position:start], shape)
            position = end
        out.append(text[position:])
        text = "".join(out)
    return _zeroed(text)


def _zeroed(text: str) -> str:
    """``text`` with every ASCII digit a 0 (as ``_DIGIT.sub("0", text)``)."""
    return text.encode("utf-8", "surrogatepass").translate(_ZEROS).decode("utf-8", "surrogatepass")


def _mask(text: str, values: list[str]) -> Masked:
    spans, taken = _value_spans(text, values)
    spans += [(*m.span(), "0" * len(m.group())) for m in _NUMBER.finditer(text) if not taken[m.start()]]
    if not spans:
        return Masked(text, [])
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    position = length = 0
    for start, end, shape in sorted(spans):
        out.append(text[position:start])
        length += start - position
        pieces.append((length, start, length + len(shape), end))
        out.append(shape)
        length += len(shape)
        position = end
    out.append(text[position:])
    return Masked("".join(out), pieces)


@lru_cache(maxsize=ROW_VALUES)  # the sender's names and the contract's recur in every letter of a merge
def _shape(value: str) -> str:
    """A stand-in for a data value that reads alike to the rules: each run of letters as
    Xx or xx, a run of capitals as XX, each number as 0; punctuation, spaces and words
    ending in a full stop ("Str.", an abbreviation the sentence splitter knows) stay, but
    for their digits, each a 0 ("3." an ordinal still)."""
    return " ".join(
        _DIGIT.sub("0", word) if word.endswith(".") else _RUN.sub(_run_shape, word)
        for word in value.split(" ")
    )


def _run_shape(match: re.Match[str]) -> str:
    run = match.group()
    if run[0].isdigit():
        return "0"
    if len(run) > 1 and run.isupper():
        # a name in capitals (ACME, a surname CON): the client's own spelling, no shouting of
        # ours; two capitals read as an acronym to every rule, as the name itself would
        return "XX"
    return "Xx" if run[0].isupper() else "xx"


_PARAGRAPHS: OrderedDict[tuple[str, str, str], tuple[Finding, ...]] = OrderedDict()
_LETTERS: OrderedDict[tuple[object, ...], tuple[Finding, ...]] = OrderedDict()


def _remember(cache: OrderedDict[K, V], key: K, value: V) -> V:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > _LIMIT:
        cache.popitem(last=False)  # least recently used first
    return value


def _tone(texts: list[str], lang: str, locale: str) -> list[tuple[Finding, ...]]:
    """Tone findings of each paragraph, offsets relative to it. Paragraphs seen before come
    from a cache; the others are linted together in one pass."""
    from . import lint_draft

    keys = [(text, lang, locale) for text in texts]
    known = {key: _PARAGRAPHS[key] for key in keys if key in _PARAGRAPHS}
    missing = [i for i, key in enumerate(keys) if key not in known]
    if missing:  # paragraphs an earlier run found clean (clean_cache.py) are clean
        clean = clean_cache.known_clean(lang)
        for i in missing:
            if clean_cache.digest(texts[i], locale) in clean:
                known[keys[i]] = ()
        missing = [i for i in missing if keys[i] not in known]
    if missing:
        draft = Draft("\n\n".join(texts[i] for i in missing), "<letter>")
        found = [f for f in lint_draft(draft, lang, locale=locale, parts={}) if f.category != "structure"]
        offset = 0
        for i in missing:
            end = offset + len(texts[i])
            known[keys[i]] = tuple(
                replace(f, start=f.start - offset, end=f.end - offset)
                for f in found
                if offset <= f.start < end
            )
            offset = end + 2
        clean_cache.add_clean(lang, [clean_cache.digest(texts[i], locale) for i in missing if not known[keys[i]]])
    for key in keys:  # the paragraphs of this letter become the most recently used
        _remember(_PARAGRAPHS, key, known[key])
    return [known[key] for key in keys]


def _lint_masked(texts: list[str], parts: Parts, lang: str, locale: str) -> tuple[Finding, ...]:
    """Tone and structure findings of a (masked) letter, positions in its joined text."""
    from . import structure_findings

    draft, spans, offsets = assemble(texts, parts)
    tone = [
        replace(f, start=f.start + offset, end=f.end + offset, paragraph=number)
        for number, (offset, own) in enumerate(zip(offsets, _tone(texts, lang, locale), strict=True), start=1)
        for f in own
    ]
    found = tone + structure_findings(draft, lang, locale, tone, spans)
    return tuple(sorted(found, key=lambda f: (f.start, f.rule)))


def _lint_unknown(texts: list[str], parts: Parts, lang: str, locale: str) -> tuple[Finding, ...]:
    """``_lint_masked`` of a masked letter not met in this process: none when an earlier
    run found the same masked letter clean (clean_cache.py), which a new run of a merge's
    letters then lints without loading the rules; a clean one found now is kept so."""
    digest = clean_cache.letter_digest(texts, parts, locale)
    if digest in clean_cache.known_clean(lang):
        for text in texts:  # each of its paragraphs is clean too, as _tone would have found
            _remember(_PARAGRAPHS, (text, lang, locale), ())
        return ()
    found = _lint_masked(texts, parts, lang, locale)
    if not found:
        clean_cache.add_clean(lang, [digest])
    return found


def lint_letter(letter: Letter, data: Iterable[str] = ()) -> list[Finding]:
    """Every finding of the tone rules and the structure checks on ``letter``; ``data`` are
    the input values (names, references) the rules read masked."""
    texts, parts = letter_texts(letter)
    values = _mask_order(data)
    masked_texts = masked_paragraphs(texts, values)
    key = (tuple(masked_texts), parts, letter.lang, letter.locale)
    found = _LETTERS.get(key)
    if found is None:
        found = _remember(_LETTERS, key, _lint_unknown(masked_texts, parts, letter.lang, letter.locale))
    else:
        _LETTERS.move_to_end(key)
    if not found:
        return []
    return _mapped_back(found, texts, [_mask(text, values) for text in texts])


_SEPARATOR = "\x00"  # never in a letter: the input refuses control characters


def masked_paragraphs(texts: list[str], values: list[str]) -> list[str]:
    """Each paragraph masked, in one pass over the whole letter (the same as masking each
    paragraph: a value or a number never reaches across the separator, which is not a
    letter or digit, as a paragraph's edge is not)."""
    if any(_SEPARATOR in text for text in texts) or any(_SEPARATOR in value for value in values):
        return [_masked_text(text, values) for text in texts]
    return _masked_text(_SEPARATOR.join(texts), values).split(_SEPARATOR)


def _mapped_back(found: Iterable[Finding], texts: list[str], masked: list[Masked]) -> list[Finding]:
    """Findings of the masked letter with the real letter's positions, text and sentence."""
    draft = Draft("\n\n".join(texts), "<letter>")
    offsets, masked_offsets = paragraph_offsets(texts), paragraph_offsets([m.text for m in masked])
    result = []
    for f in found:
        start = _real(f.start, masked_offsets, offsets, masked)
        end = _real(f.end, masked_offsets, offsets, masked, end=True)
        line, column = draft.position(start)
        sentence, at = _sentence_at(texts, offsets, start) if f.sentence else ("", -1)
        result.append(
            replace(
                f,
                start=start,
                end=end,
                line=line,
                column=column,
                text=draft.text[start:end],
                sentence=sentence,
                sentence_at=at,
            )
        )
    return result


def _real(
    position: int, masked_offsets: list[int], offsets: list[int], masked: list[Masked], end: bool = False
) -> int:
    at = max(bisect.bisect_right(masked_offsets, position - (1 if end else 0)) - 1, 0)
    return offsets[at] + masked[at].real(position - masked_offsets[at], end=end)


def _sentence_at(texts: list[str], offsets: list[int], position: int) -> tuple[str, int]:
    """The sentence of the real letter at ``position``, its spaces tidied, and where the
    position stands in it."""
    at = max(bisect.bisect_right(offsets, position) - 1, 0)
    sentences = Draft(texts[at], "<letter>").sentences()
    local = position - offsets[at]
    starts = [s.start for s in sentences]
    sentence = sentences[max(bisect.bisect_right(starts, local) - 1, 0)] if sentences else None
    if sentence is None:
        return "", -1
    return " ".join(sentence.text.split()), sentence.plain_offset(local)
