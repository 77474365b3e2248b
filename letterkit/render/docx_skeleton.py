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
        self._cuts: dict[tuple[object, ...], tuple[list[bytes], list[int], list[bool]] | None] = {}
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
        data = _filled(cut, self._all_printed(values))
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
        if cut is not None and _filled(cut, [self._printed(value) for value in values]) != expected:
            cut = None
        if len(self._cuts) >= _LIMIT:
            self._cuts.clear()
        self._cuts[key] = cut
        self._learned += 1

    def _all_printed(self, values: list[str]) -> list[bytes | None]:
        """``_printed`` of each string; at once when none holds &, < or > (most letters)."""
        if _escapes("".join(values)):
            return [self._printed(value) for value in values]
        return [value.encode("utf-8") for value in values]

    def _printed(self, value: str) -> bytes | None:
        """A string as it ends up in document.xml: escaped by Jinja, read and written by lxml."""
        if not _escapes(value):
            return value.encode("utf-8")
        return escaped_text(str(escape(self._finalize(value))).encode("utf-8"))


def _cut(data: bytes, count: int) -> tuple[list[bytes], list[int], list[bool]] | None:
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
    return chunks, numbers, _in_text(chunks)


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


def _filled(cut: tuple[list[bytes], list[int], list[bool]], printed: list[bytes | None]) -> bytes | None:
    chunks, numbers, in_text = cut
    out = [chunks[0]]
    for number, chunk, text_of_w_t in zip(numbers, chunks[1:], in_text, strict=True):
        text = printed[number]
        if text is None:
            return None
        if NB_HYPHEN_BYTES in text:  # as the normal path writes it (typography.no_break_hyphens)
            if not text_of_w_t:
                return None
            text = text.replace(NB_HYPHEN_BYTES, NO_BREAK_HYPHEN)
        out.append(text)
        out.append(chunk)
    return b"".join(out)
