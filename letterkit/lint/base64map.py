"""Decode a base64 email part with a map from each decoded character to the file.

Base64 writes 3 bytes as 4 characters of its alphabet (a quantum), on lines of any
length (76 characters, 57 bytes, as most mail programs write them, but not always).
The lines are walked as they are: byte ``j`` (0, 1 or 2) of a quantum starts in the
quantum's character ``j``, so a decoded character is found at the base64 character
that holds the first bits of its first byte — on the file's line that holds that
quantum, at that character's column. A word's region in SARIF ends just after the
character that holds its last character's first byte.
"""

from __future__ import annotations

import bisect
import codecs
import re

from .text import OffsetMap

_ALPHABET_RUN = re.compile(r"[A-Za-z0-9+/]+")


def base64_decode(part: str, begin: int, charset: str) -> tuple[str, OffsetMap] | None:
    """The text of a base64 part (as found at offset ``begin`` of the file's text), CR LF
    read as LF, and the map from each of its characters to the file; None when the part
    holds padding in its middle or is not whole quanta (then it is not decoded here)."""
    import binascii

    runs: list[int] = []  # where each run of alphabet characters starts, counted in them
    origins: list[int] = []  # ... and in the file
    chars: list[str] = []
    count = 0
    padded = False
    for match in _ALPHABET_RUN.finditer(part):
        if padded:
            return None  # data after "=": not a base64 this reader follows
        runs.append(count)
        origins.append(begin + match.start())
        chars.append(match.group())
        count += len(match.group())
        padded = part.startswith("=", match.end())
    encoded = "".join(chars)
    if len(encoded) % 4 == 1:
        return None
    try:
        data = binascii.a2b_base64(encoded + "=" * (-len(encoded) % 4))
    except binascii.Error:
        return None

    def origin(byte: int) -> int:  # where the base64 character holding a byte's first bits is
        index = byte // 3 * 4 + byte % 3
        run = bisect.bisect_right(runs, index) - 1
        return origins[run] + index - runs[run]

    text, leads = _decode_with_leads(data, charset)
    offsets = OffsetMap()
    pieces: list[str] = []
    length = 0
    for index, char in enumerate(text):
        if char == "\r" and text.startswith("\n", index + 1):
            continue  # a CR LF line end reads as LF (from the LF's place)
        offsets.add(length, origin(leads[index]))
        pieces.append(char)
        length += 1
    return "".join(pieces), offsets


def _decode_with_leads(data: bytes, charset: str) -> tuple[str, list[int]]:
    """``data`` decoded (errors replaced, as the email package decodes a part) and, for
    each character, the index of its first byte."""
    text = data.decode(charset, errors="replace")
    if len(text) == len(data):  # one byte a character (ASCII, Latin-1, Windows-1252)
        return text, list(range(len(data)))
    if codecs.lookup(charset).name == "utf-8" and "\ufffd" not in text:
        return text, [index for index, byte in enumerate(data) if byte & 0xC0 != 0x80]
    decoder = codecs.getincrementaldecoder(charset)(errors="replace")
    pieces: list[str] = []
    leads: list[int] = []
    first = 0
    for index in range(len(data)):
        out = decoder.decode(data[index : index + 1])
        if out:
            pieces.append(out)
            leads += [first] * len(out)
            first = index + 1
    out = decoder.decode(b"", final=True)
    pieces.append(out)
    leads += [first] * len(out)
    return "".join(pieces), leads
