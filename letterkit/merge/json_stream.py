"""The records of a JSON client list read a chunk at a time, one record after the other:
a merge holds one record of a 50 MB export, not all of them (``json.loads`` of 47 MB of
JSON took 279 MB, tester10). The list may be the file itself or its ``rows`` key; the
records and the errors are those ``json.loads`` of the whole file gives, with the line
and column in the file (records.py numbers them and checks each for keys given twice).

The text is decoded as it is read (UTF-8, with or without a byte-order mark); what has
been read past is dropped at each refill, so the buffer holds about a chunk and the record
being read (and a little before it, for the error of a comma left before a "]"). A value
that ends at the buffer's end is read again with more text: a number or a record cut by
the chunk's end would otherwise be taken for a whole one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]  # in the module, not its stubs
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import SourceError
from .text_chunks import Utf8Chunks

CHUNK = 1 << 20  # bytes read at a time (tests make it small)
KEPT = 256  # characters kept before the position when the rest of what was read is dropped
_SPACE = " \t\n\r"
_MUST_BE_A_LIST = 'must be a JSON list of records (or {"rows": [...]})'


class JsonStream:
    """The text of one JSON file, read a chunk at a time, and a position in it."""

    def __init__(self, handle: BinaryIO, name: str, decoder: json.JSONDecoder) -> None:
        self._chunks = Utf8Chunks(handle, name)
        self.name = name
        self._decoder = decoder
        self.text = ""  # the unread text and what was read of the current line
        self.pos = 0
        self.eof = False
        self._lines = 0  # newlines dropped before ``text``
        self._column = 0  # characters of the line ``text`` starts in, dropped before it
        from ..sources import lone_surrogate

        self._lone = lone_surrogate

    def _more(self) -> bool:
        """Read the next chunk (dropping what was read past); False at the end of the file."""
        if self.eof:
            return False
        fresh = self._chunks.read(CHUNK)
        if not fresh:  # the text stays as it is: an error found in it is told by its positions
            self.eof = True
            return False
        # a little of what was read is kept: an error names a comma just before it
        keep = max(0, self.pos - KEPT)
        newline = self.text.rfind("\n", 0, keep)
        if newline >= 0:
            self._lines += self.text.count("\n", 0, keep)
            self._column = keep - newline - 1
        else:
            self._column += keep
        self.text = self.text[keep:] + fresh
        self.pos -= keep
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file), stepped to."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self._more():
                return ""

    def value(self) -> Any:
        """The JSON value at the position (after white space), read with more text until it
        is whole; its end is the new position."""
        self.peek()
        while True:
            try:
                found, end = self._decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self._more():  # perhaps cut by the chunk's end: try again with more
                    continue
                raise self.error(exc) from None
            except RecursionError:
                from ..sources import TOO_DEEP

                raise SourceError(TOO_DEEP, self.name) from None
            except ValueError as exc:
                raise SourceError(f"is not valid JSON ({exc})", self.name) from None
            if end >= len(self.text) and self._more():
                continue  # a number or word at the end of the text may go on in the next chunk
            start, self.pos = self.pos, end
            lone = self._lone(self.text[start:end], found)
            if lone:
                raise SourceError(lone, self.name)
            return found

    def key(self) -> str:
        """The key of an object's entry at the position, and past its colon."""
        while True:
            if self.text[self.pos : self.pos + 1] != '"':
                raise self.fail("Expecting property name enclosed in double quotes")
            try:
                key, end = scanstring(self.text, self.pos + 1)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                raise self.error(exc) from None
            self.pos = end
            if self.peek() != ":":
                raise self.fail("Expecting ':' delimiter")
            self.pos += 1
            return str(key)

    def fail(self, message: str) -> SourceError:
        """The error ``json.loads`` gives at the position."""
        return self.error(json.JSONDecodeError(message, self.text, self.pos))

    def error(self, exc: json.JSONDecodeError) -> SourceError:
        """A decoding error in ``text`` as the error of the whole file, with its line."""
        from ..sources import json_error

        # the dropped part of the first line, as spaces, puts the column where it is in the file
        text = " " * self._column + self.text
        message, line = json_error(text, json.JSONDecodeError(exc.msg, text, exc.pos + self._column))
        return SourceError(message, self.name, line + self._lines)


def json_list(path: Path, decoder: json.JSONDecoder) -> Iterator[Any]:
    """The records of a JSON list, or of the list under an object's ``rows`` key, one by one;
    every other value of the file is read (its errors are the file's) and passed over."""
    name = str(path)
    with path.open("rb") as handle:
        stream = JsonStream(handle, name, decoder)
        first = stream.peek()
        if first == "[":
            yield from _items(stream)
        elif first == "{":
            yield from _rows(stream)
        else:
            stream.value()  # an error if it is no JSON at all
            _end(stream)
            raise SourceError(_MUST_BE_A_LIST, name)
        _end(stream)


def _items(stream: JsonStream) -> Iterator[Any]:
    """The values of the list at the position (at its "["), one by one."""
    if _opened(stream, "]"):
        yield stream.value()
        while _more_after_comma(stream, "]"):
            yield stream.value()


def _opened(stream: JsonStream, closing: str) -> bool:
    """Step past a list's or an object's opening; False (past its closing too) when it is empty."""
    stream.pos += 1
    if stream.peek() == closing:
        stream.pos += 1
        return False
    return True


def _more_after_comma(stream: JsonStream, closing: str) -> bool:
    """After an entry of a list or an object: past its comma (True) or past its ``closing``
    (False); anything else is the error ``json.loads`` gives there."""
    after = stream.peek()
    stream.pos += 1
    if after == closing:
        return False
    if after != ",":
        stream.pos -= 1
        raise stream.fail("Expecting ',' delimiter")
    return True


def _rows(stream: JsonStream) -> Iterator[Any]:
    """The records under the ``rows`` key of the object at the position (at its "{")."""
    from .records import inner_twice

    seen: set[str] = set()
    listed = False
    more = _opened(stream, "}")
    while more:
        stream.peek()
        key = stream.key()
        if key in seen:
            raise SourceError(f"the key '{key}' appears twice; keep one", stream.name)
        seen.add(key)
        if key == "rows" and stream.peek() == "[":
            listed = True
            yield from _items(stream)
        else:
            inner = inner_twice(stream.value())
            if inner:
                raise SourceError(f"the key '{key}{inner}' appears twice; keep one", stream.name)
        more = _more_after_comma(stream, "}")
    if not listed:
        _end(stream)
        raise SourceError(_MUST_BE_A_LIST, stream.name)


def _end(stream: JsonStream) -> None:
    """Nothing but white space may follow the file's value."""
    if stream.peek():
        raise stream.fail("Extra data")
