"""A client list's bytes read as UTF-8 text a chunk at a time (with or without a
byte-order mark), for the readers that take a record at a time (json_stream.py, the YAML
records of records.py). Bytes that are not UTF-8 stop the read with the file's line
they are on, as reading the whole file does (``sources.decode_input``)."""

from __future__ import annotations

import codecs
from typing import BinaryIO

from ..errors import SourceError


class Utf8Chunks:
    """``read(size)`` gives the next text of about ``size`` bytes, '' at the end."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self._handle = handle
        self.name = name
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._lines = 0  # newlines in the bytes read so far
        self._done = False

    def read(self, size: int = 1 << 16) -> str:
        while not self._done:
            raw = self._handle.read(max(size, 1))
            try:
                text = self._decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:
                line = self._lines + raw[: max(exc.start, 0)].count(b"\n") + 1
                raise SourceError("is not UTF-8 text; save it as UTF-8", self.name, line) from None
            self._lines += raw.count(b"\n")
            self._done = not raw
            if text or self._done:
                return text
        return ""
