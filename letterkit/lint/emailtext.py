"""The email reader behind formats.py: an .eml file's subject and text (or HTML) part as
a Draft, with a map from every character to its place in the file.

The part is decoded as Python's email package decodes it, here with the map: as written
(7bit, 8bit), quoted-printable (``_qp_decode``) or base64 (``base64map``); where the
decoding here differs from the package's, the map is dropped and positions are those of
the decoded message. The subject is placed on its ``Subject:`` line.
"""

from __future__ import annotations

import re
from email.message import Message
from email.utils import collapse_rfc2231_value
from itertools import pairwise

from ..errors import SourceError
from .formats import _html_text, hide_history, hide_history_counted
from .invisible import has_hidden, without_hidden, without_spans
from .text import Draft, JoinedMap, OffsetMap


def eml_draft(data: bytes, name: str) -> Draft:
    """Email: the subject, then the text/plain part (else the HTML part, and the HTML part
    too when it says more than the text part: it is what mail programs show); quoted
    history and the signature are not linted.

    Positions are the file's lines and columns: the subject is placed on its ``Subject:``
    line, the body where the part is written — as text (7bit, 8bit or quoted-printable,
    decoded here with a map to the file) or in base64 (each character at the base64
    character that holds the first bits of its first byte, on the line of the file that
    holds it: see ``base64map``). Where the part cannot be found in the file as it was
    parsed, positions are lines and columns of the decoded message as a mail program
    shows it (subject on line 1, the body from line 3)."""
    from email import policy
    from email.parser import BytesParser

    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        body = message.get_body(preferencelist=("plain", "html"))
    except RecursionError:  # Python's parser recurses once per level of nested parts
        raise SourceError(
            "nests its parts too deeply (hundreds of levels) for letterkit to read; no mail program writes that",
            name,
        ) from None
    if body is None:
        raise SourceError("has no text or HTML part to lint", name)
    content = _content(body, name)
    note = ""
    html = message.get_body(preferencelist=("html",)) if body.get_content_type() == "text/plain" else None
    if html is not None:
        # the HTML part is what mail programs show: when it says more than the text part
        # (words the text part lacks, its quoted history included: the same history shown
        # otherwise is no news), it is the one checked (tester 38: three reproaches only in
        # the HTML part, and "All clean")
        html_content = _content(html, name)
        html_text, html_visible = _html_text(html_content)[:2]
        if _words(html_visible) - _words(content):
            plain, shown = _words(hide_history(content)), _words(html_text)
            note = (
                "the HTML part, which mail programs show, says more than the text part; the HTML part was checked"
                + (" (the text part has words of its own too: lint a copy with only that part to check it)" if plain - shown else "")
            )
            body, content = html, html_content
    content = content.replace("\r\n", "\n")
    subject = str(message.get("Subject", ""))
    head = subject + "\n\n" if subject else ""
    located = _eml_locate(data, message, body, content)
    if located is None:  # the decoded message: subject, blank line, body
        source, body_map = head + content, OffsetMap()
        body_map.add(0, len(head))
    else:
        source, body_map = located
    offsets = JoinedMap(len(head), body_map)
    if subject:
        _map_subject(offsets, subject, source if located is not None else None)
    if body.get_content_type() == "text/html":
        html_text, html_visible, html_offsets, html_emphasis = _html_text(content)
        html_offsets.then = body_map
        offsets.body = html_offsets
        text = head + html_text
        visible = head + html_visible
        emphasis = [(len(head) + start, len(head) + end) for start, end in html_emphasis]
        return Draft(text, name, visible, emphasis=emphasis, source=source, offsets=offsets, part_note=note)
    text = head + content
    to_file: OffsetMap = offsets
    breaks = _soft_breaks(text, _param(body, "delsp") == "yes") if _param(body, "format") == "flowed" else []
    if breaks:  # format=flowed: a paragraph sent as lines, each ending in a space, read as one line
        text, to_file = without_spans(text, breaks)
        to_file.then = offsets
    if has_hidden(text):  # a soft hyphen in a word, a line-end hyphen: left out, the map leads on to the file
        text, hidden = without_hidden(text)
        hidden.then, to_file = to_file, hidden
    visible, quoted, history_at, machine = hide_history_counted(text)
    return Draft(
        text,
        name,
        visible,
        source=source,
        offsets=to_file,
        quoted_lines=quoted,
        history_at=history_at,
        machine=machine,
    )


def _param(part: Message, name: str) -> str:
    """A parameter of a part's Content-Type, in lower case ('' when not given)."""
    value = part.get_param(name, "")
    return str(collapse_rfc2231_value(value) if isinstance(value, tuple) else value).lower()


def _soft_breaks(text: str, delete_space: bool) -> list[tuple[int, int]]:
    """The soft line breaks of a ``format=flowed`` text part (RFC 3676): a line that ends in
    a space goes on in the next line. The break is left out, and with ``delsp=yes`` the
    space before it too (a mail program may then break inside a word: "versä ⏎umt"). Not
    the signature line "-- ", and not where quoted text ("> …") begins or ends (its
    history is not linted)."""
    spans = []
    lines = text.split("\n")
    position = 0
    for line, following in pairwise(lines):
        end = position + len(line)
        if (
            line.endswith(" ")
            and line.strip()
            and line != "-- "
            and not line.startswith(">")
            and following.strip()
            and not following.startswith(">")
        ):
            spans.append((end - 1 if delete_space else end, end + 1))
        position = end + 1
    return spans


def _content(part: object, name: str) -> str:
    """A part's text as the email package decodes it (undecodable bytes replaced)."""
    try:
        content = str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)  # type: ignore[attr-defined]
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if "\x00" in content:  # a base64 part that decodes to binary data
        raise SourceError("has a text part that holds binary data, not text", name)
    return content


def _words(text: str) -> set[str]:
    """The words of a text, in lower case (digits and one- or two-letter words left out)."""
    return set(re.findall(r"[^\W\d_]{3,}", text.lower()))


def _map_subject(offsets: OffsetMap, subject: str, source: str | None) -> None:
    """Enter the subject (the text's first characters) in ``offsets``: on its ``Subject:``
    line of the file, character by character as written (on one line or folded, RFC 5322
    2.2.3); where it is encoded (``=?utf-8?q?…?=``), the plain words before the first
    encoded word as written and the rest at the start of that encoded word;
    without the file (``source`` None), at the start of the decoded message."""
    if source is None:
        offsets.add(0, 0)
        return
    header = re.search(r"^Subject:[ \t]*", source, re.MULTILINE | re.IGNORECASE)
    at = header.end() if header else 0
    offsets.add(0, at)
    unfolded, where, end = _header_value(source, at)
    if unfolded == subject:
        for index, target in enumerate(where):
            offsets.add(index, target)
    else:  # encoded words: the plain text before the first as written, the rest at its "=?"
        same = (i for i, (a, b) in enumerate(zip(unfolded, subject, strict=False)) if a != b)
        plain = next(same, min(len(unfolded), len(subject)))
        for index in range(plain):
            offsets.add(index, where[index])
        encoded = unfolded.find("=?", plain - 2 if plain >= 2 else 0)
        rest = where[encoded] if 0 <= encoded < len(where) else at
        for index in range(plain, len(subject)):
            offsets.add(index, rest)
    offsets.add(len(subject), end)  # the blank line after it: the end of the header


def _header_value(source: str, at: int) -> tuple[str, list[int], int]:
    """A header's value from offset ``at`` of the file, unfolded (the line ends before
    its continuation lines taken out), where each of its characters stands in the file,
    and where the header ends."""
    chars: list[str] = []
    where: list[int] = []
    start = at
    while True:
        line_end = source.find("\n", start)
        stop = len(source) if line_end < 0 else line_end
        line = source[start:stop].rstrip("\r")
        chars.append(line)
        where.extend(range(start, start + len(line)))
        end = start + len(line)
        if line_end < 0 or not source.startswith((" ", "\t"), line_end + 1):
            return "".join(chars), where, end
        start = line_end + 1


def _eml_locate(data: bytes, message: object, body: object, content: str) -> tuple[str, OffsetMap] | None:
    """The file as text and a map from ``content`` (the decoded part, CR LF as LF) to it;
    None when the part cannot be found in the file as it was parsed, or is decoded here
    otherwise than the email package decodes it."""
    import codecs

    raw = getattr(body, "_payload", None)  # the part as written, before any decoding
    if not isinstance(raw, str) or not raw:
        return None
    encoding = str(body.get("Content-Transfer-Encoding", "7bit")).strip().lower()  # type: ignore[attr-defined]
    if encoding not in ("7bit", "8bit", "binary", "quoted-printable", "base64", ""):
        return None
    charset = body.get_content_charset() or "utf-8"  # type: ignore[attr-defined]
    try:
        charset = codecs.lookup(charset).name
    except LookupError:
        return None
    file_charset = charset
    if "a".encode(charset) != b"a" or "\n".encode(charset) != b"\n":
        if encoding != "base64":
            return None  # not ASCII-compatible (UTF-16): the file's lines are not its lines
        file_charset = "utf-8"  # the part is ASCII in the file, whatever it decodes to
    raw_bytes = raw.encode("ascii", "surrogateescape")
    header_end = data.find(b"\n\n")
    found = data.find(raw_bytes, max(header_end, 0))
    if found < 0:
        found = data.find(raw_bytes)
    if found < 0:
        return None
    source = data.decode(file_charset, errors="replace")
    begin = len(data[:found].decode(file_charset, errors="replace"))
    part = data[found : found + len(raw_bytes)].decode(file_charset, errors="replace")
    if source[begin : begin + len(part)] != part:
        return None
    if encoding == "base64":
        from .base64map import base64_decode

        result = base64_decode(part, begin, charset)
        if result is None:
            return None
        decoded, offsets = result
    elif encoding == "quoted-printable":
        decoded, offsets = _qp_decode(part, begin, charset)
    else:
        decoded, offsets = part.replace("\r\n", "\n"), OffsetMap()
        offsets.add(0, begin)
        for removed, match in enumerate(re.finditer("\r\n", part)):
            offsets.add(match.start() - removed, begin + match.start() + 1)
    if decoded != content:
        return None  # decoded otherwise than the email package does: do not guess
    return source, offsets


_HEX = frozenset("0123456789abcdefABCDEF")


def _qp_decode(part: str, begin: int, charset: str) -> tuple[str, OffsetMap]:
    """Quoted-printable text (as found at offset ``begin`` of the file's text) decoded as
    the email package decodes it (``binascii.a2b_qp``), with the map from each decoded
    character to where it is written in the file: "=XX" is a byte, "=" at a line's end a
    soft line break, "==" an "=", any other "=" itself; white space at a line's end is
    kept (RFC 2045 lets a decoder drop it, Python does not: dropping it made the
    signature line "-- " differ from Python's reading, and every position fell back to the
    decoded message). Escaped bytes are decoded together until a plain character or a
    line break, so that a character of several bytes split by a soft line break is one
    character; a CR LF line end is one line break."""
    offsets = OffsetMap()
    pieces: list[str] = []
    length = 0
    escaped = bytearray()  # escaped bytes not decoded yet
    origins: list[int] = []  # where each of them is written

    def flush() -> None:
        nonlocal length
        if not escaped:
            return
        text = bytes(escaped).decode(charset, errors="replace")
        if len(text) == len(escaped):  # one character per byte
            for index in range(len(text)):
                offsets.add(length + index, origins[index])
        elif charset == "utf-8":  # a character comes from its first byte
            leads = [at for at, byte in zip(origins, escaped, strict=True) if byte & 0xC0 != 0x80]
            for index in range(len(text)):
                offsets.add(length + index, leads[min(index, len(leads) - 1)])
        else:
            for index in range(len(text)):
                offsets.add(length + index, origins[0])
        pieces.append(text)
        length += len(text)
        escaped.clear()
        origins.clear()

    def literal(piece: str, at: int) -> None:
        nonlocal length
        flush()
        offsets.add(length, at)
        pieces.append(piece)
        length += len(piece)

    at, size = 0, len(part)
    while at < size:
        plain = _QP_PLAIN.match(part, at)
        if plain:  # a run without "=" or CR: as written
            literal(plain.group(), begin + at)
            at = plain.end()
        elif part.startswith("\r\n", at):  # a CR LF line end reads as LF
            literal("\n", begin + at)
            at += 2
        elif part[at] == "\r":
            literal("\r", begin + at)
            at += 1
        elif at + 1 >= size:  # a "=" that ends the part: dropped
            break
        elif part[at + 1] in "\r\n":  # a soft line break (after "=\r", up to the LF)
            line_end = part.find("\n", at + 1)
            at = size if line_end < 0 else line_end + 1
        elif part[at + 1] == "=":  # "==" reads as "=" (as Python does)
            literal("=", begin + at)
            at += 2
        elif at + 2 < size and part[at + 1] in _HEX and part[at + 2] in _HEX:
            escaped.append(int(part[at + 1 : at + 3], 16))
            origins.append(begin + at)
            at += 3
        else:  # "=" before anything else stands for itself
            literal("=", begin + at)
            at += 1
    flush()
    return "".join(pieces), offsets


_QP_PLAIN = re.compile(r"[^=\r]+")
