"""Body skeletons: document.xml rendered once per letter *structure*, then filled in.

(The analysis and the key are ``letterkit.skeleton``; this module is the .docx side.)

In a mail merge the letters differ in the text the template prints — names, addresses,
amounts inside the paragraphs — while their structure repeats: how many paragraphs,
reference rows and address lines there are, which optional parts are present. So
``Skeletons`` renders a template's body once per structure with tokens in place of the
printed strings, serialises it exactly as the normal path does (``DocumentWriter``),
and cuts the bytes at the tokens; every later letter of that structure is written by
putting its strings, escaped as the normal path escapes them, between the cuts.

It is sound by construction and checked as it runs:

- Which strings may become tokens is read from the body's Jinja syntax tree
  (``analyse``). A string qualifies only when the template does nothing with it but
  print it as it is (``{{ b.text }}``) or test whether it is empty. Anything else a
  template does with a value — a filter, a comparison, a slice, a method call, a
  ``set`` — puts the value itself into the structure key; a statement other than
  output, ``for``, ``if`` and ``set`` (``macro``, ``with``, ``include`` ...) turns
  skeletons off for the template.
- A letter holding a string whose way through Jinja, docxtpl and the XML parser is more
  than a plain escape (control characters, tabs and newlines, braces, a leading or
  trailing ``_`` or ``%``, the token characters) takes the normal path.
- Every token must come out in text content, never in markup; and the first letter of
  each structure is rendered the normal way too and must give the same bytes, otherwise
  that structure always takes the normal path.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from markupsafe import escape

from ..skeleton import TOKEN_CLOSE, TOKEN_OPEN, TOKEN_PATTERN, Usage, split, stand_in
from .body import escaped_text
from .typography import NB_HYPHEN, NO_BREAK_HYPHEN

_LIMIT = 256  # structures kept; a merge has a few dozen
_TRIAL = 64  # structures learned before judging whether learning pays
_TOKEN = re.compile(TOKEN_PATTERN.encode())
_TOKEN_CHARS = (TOKEN_OPEN.encode(), TOKEN_CLOSE.encode())
# Strings the normal path does more with than escaping &, < and >: these letters take it.
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f{}\ue000-\ue003\ufffe\uffff\ud800-\udfff]")


def _unsafe(value: str) -> bool:
    """A character class search and the two ends looked at directly: anchors in the
    pattern made the search try them at every position (3x slower)."""
    return value[0] in "_%" or value[-1] in "_%" or _UNSAFE_CHARS.search(value) is not None


# ``_unsafe`` for all of a letter's strings at once, in C: the ends looked at, then the
# ASCII characters of the class deleted from the UTF-8 bytes (a lone surrogate cannot be
# encoded), then the six other characters looked for. A regular expression over the
# strings joined took three times as long as one search per string.
_ASCII_UNSAFE = bytes(range(0x20)) + b"\x7f{}"
_OTHER_UNSAFE = ("\ue000", "\ue001", "\ue002", "\ue003", "\ufffe", "\uffff")


def _any_unsafe(values: list[str]) -> bool:
    """Whether ``_unsafe`` is true for one of ``values`` (none empty)."""
    for value in values:
        if value[0] in "_%" or value[-1] in "_%":
            return True
    text = "".join(values)
    # every character of the class but the braces is not printable (control, private use,
    # noncharacter, surrogate): text that is printable, the no-break spaces of its amounts
    # and dates made plain, and holds no brace is safe (in C, half the time of the bytes)
    if "{" not in text and "}" not in text and text.replace("\u00a0", " ").replace("\u202f", " ").isprintable():
        return False
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    if len(data.translate(None, _ASCII_UNSAFE)) != len(data):
        return True
    return any(char in text for char in _OTHER_UNSAFE)


def _escapes(text: str) -> bool:
    """Whether ``text`` holds &, < or > (three scans for one character each, in C: a search
    for the class took ~80,000 instructions a letter's body, character by character)."""
    return "&" in text or "<" in text or ">" in text


NB_HYPHEN_BYTES = NB_HYPHEN.encode()


class Skeletons:
    """The serialised body per structure, cut at its tokens, for one template part."""

    def __init__(self, usage: Usage, finalize: Callable[[object], object]) -> None:
        self._usage = usage
        self._finalize = finalize
        # structure key -> (literal chunks, the token number before each later chunk, whether that
        # token is a w:t's text); None: unusable
        self._cuts: dict[tuple[object, ...], _Cut | None] = {}
        self.hits = 0  # letters written from a skeleton (for tests and benchmarks)
        self._learned = 0

    def split(self, context: dict[str, Any]) -> tuple[tuple[object, ...], list[str]] | None:
        """The letter's structure key and printed strings; None if it must take the normal path."""
        return split(self._usage, context, _any_unsafe)

    def fill(self, key: tuple[object, ...], values: list[str]) -> bytes | None:
        """document.xml from the structure's skeleton, or None if there is none (yet)."""
        cut = self._cuts.get(key)
        if cut is None:
            return None
        joined = "".join(values)
        data = _filled(cut, self._all_printed(values, joined), _hyphened(values, joined))
        if data is not None:
            self.hits += 1
        return data

    def wants(self, key: tuple[object, ...]) -> bool:
        """Whether to learn this structure: it is new, and learning has paid so far.

        Learning renders a letter twice; a template whose structure key holds a value
        that differs in every letter (``{% if subject == ... %}``) would never reuse a
        skeleton, so after ``_TRIAL`` structures that served fewer letters than were
        learned, no more are learned (those known are still used).
        """
        return key not in self._cuts and (self._learned < _TRIAL or self.hits >= self._learned)

    def stand_in(self, context: dict[str, Any]) -> dict[str, Any]:
        """The context with tokens in place of the strings ``split`` returns, in the same order."""
        return stand_in(self._usage, context)

    def learn(self, key: tuple[object, ...], values: list[str], tokened: bytes, expected: bytes) -> None:
        """Keep the body rendered with tokens, if filling it gives ``expected`` for ``values``."""
        cut = _cut(tokened, len(values))
        printed = [self._printed(value) for value in values]
        if cut is not None and _filled(cut, printed, _hyphened(values, "".join(values))) != expected:
            cut = None
        if len(self._cuts) >= _LIMIT:
            self._cuts.clear()
        self._cuts[key] = cut
        self._learned += 1

    def _all_printed(self, values: list[str], joined: str) -> list[bytes | None]:
        """``_printed`` of each string; at once when none holds &, < or > (most letters);
        ``joined``: the strings joined."""
        if _escapes(joined):
            return [self._printed(value) for value in values]
        return [value.encode("utf-8") for value in values]

    def _printed(self, value: str) -> bytes | None:
        """A string as it ends up in document.xml: escaped by Jinja, read and written by lxml."""
        if not _escapes(value):
            return value.encode("utf-8")
        return escaped_text(str(escape(self._finalize(value))).encode("utf-8"))


def _cut(data: bytes, count: int) -> _Cut | None:
    """The bytes cut at the tokens, and for each token whether it stands in the text of a
    w:t element (where a non-breaking hyphen becomes ``<w:noBreakHyphen/>``); None if a
    token is outside text content or left broken."""
    pieces = _TOKEN.split(data)
    chunks, numbers = pieces[0::2], [int(number) for number in pieces[1::2]]
    if any(number >= count for number in numbers):
        return None
    if any(char in chunk for chunk in chunks for char in _TOKEN_CHARS):
        return None  # a token the template cut or changed
    for before, after in itertools.pairwise(chunks):
        opens, closes = after.find(b"<"), after.find(b">")
        if before.rfind(b">") < before.rfind(b"<") or (closes >= 0 and (opens < 0 or closes < opens)):
            return None  # inside a tag or a comment: an attribute value is escaped differently
    return _Cut(chunks, numbers, _in_text(chunks))


def _in_text(chunks: list[bytes]) -> list[bool]:
    """For each token between two chunks: whether the last tag before it is a w:t start tag
    and the first after it the w:t's end tag (several tokens may share one w:t)."""
    opened, state = [], False
    for chunk in chunks:
        at = chunk.rfind(b"<")
        if at >= 0:
            state = _W_T_OPEN.fullmatch(chunk, at) is not None
        opened.append(state)
    closed, state = [False] * len(chunks), False
    for index in range(len(chunks) - 1, -1, -1):
        at = chunks[index].find(b"<")
        if at >= 0:
            state = chunks[index].startswith(b"</w:t>", at)
        closed[index] = state
    return [opened[index] and closed[index + 1] for index in range(len(chunks) - 1)]


# the start tag of a w:t element, at the end of a chunk
_W_T_OPEN = re.compile(rb"<w:t(?:\s[^>]*)?(?<!/)>[^<]*")


class _Cut:
    """A skeleton: the literal chunks, the number of the string put between each two, and
    whether that place is the text of a w:t element; with what ``_filled`` needs of them
    worked out once (the strings picked in one call, where each string is put)."""

    __slots__ = ("chunks", "in_text", "numbers", "pick", "places")

    def __init__(self, chunks: list[bytes], numbers: list[int], in_text: list[bool]) -> None:
        self.chunks, self.numbers, self.in_text = chunks, numbers, in_text
        self.pick: Callable[[list[bytes | None]], tuple[bytes | None, ...]] = (
            itemgetter(*numbers) if len(numbers) > 1 else lambda printed: tuple(printed[n] for n in numbers)
        )
        places: dict[int, list[int]] = {}
        for at, number in enumerate(numbers):
            places.setdefault(number, []).append(at)
        self.places = places


def _hyphened(values: list[str], joined: str) -> list[int]:
    """The numbers of the strings that hold a non-breaking hyphen (none, most often: one
    search of the strings joined)."""
    if NB_HYPHEN not in joined:
        return []
    return [number for number, value in enumerate(values) if NB_HYPHEN in value]


def _filled(cut: _Cut, printed: list[bytes | None], hyphened: list[int]) -> bytes | None:
    """The skeleton with the printed strings put in (None when one cannot be: the normal
    path then writes the letter). A string with a non-breaking hyphen is written as the
    normal path writes it in a w:t's text (``typography.no_break_hyphens``); elsewhere it
    cannot be. Strings picked and the pieces interleaved in C: a loop over the places
    took ~60,000 instructions a letter."""
    texts = list(cut.pick(printed))
    if None in texts:
        return None
    for number in hyphened:
        for at in cut.places.get(number, ()):
            if not cut.in_text[at]:
                return None
            texts[at] = texts[at].replace(NB_HYPHEN_BYTES, NO_BREAK_HYPHEN)  # type: ignore[union-attr]
    out: list[bytes] = [b""] * (2 * len(texts) + 1)
    out[0::2] = cut.chunks
    out[1::2] = texts  # type: ignore[assignment]
    return b"".join(out)
