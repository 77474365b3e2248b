"""A Letter as an email: MIME bytes with text and HTML alternatives, or an EmailMessage.

The bytes are written directly (UTF-8, quoted-printable bodies, RFC 2047 headers,
CRLF), which is ten times faster than building an EmailMessage and matters for a
merge of thousands of emails; ``to_email`` parses them into a standard-library
EmailMessage. Header values come from validated input without CR/LF, and every
header is encoded here, so header injection is impossible; an internationalised
domain is written in punycode (the local part is ASCII, as validation demands). Date, Message-ID and
MIME boundaries derive from the letter: the same input gives the same .eml.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, time, timezone
from email.message import EmailMessage
from email.quoprimime import body_encode
from email.utils import format_datetime, formataddr
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..errors import RenderError, UsageError, type_name
from ..letter import Letter
from ..values import header_address
from .typography import glue

if TYPE_CHECKING:
    from ..skeleton import TextCut

Attachment = Path | tuple[str, bytes]  # as the email takes it, once read from the caller's
# what a caller gives: a path (str or Path) or a (file name, bytes) pair
AttachmentInput = str | os.PathLike[str] | tuple[str, bytes]
CRLF = "\r\n"


def text_body(letter: Letter) -> str:
    """The plain-text part: salutation, paragraphs, closing, signature block, what is
    attached (the input's enclosures) and the company's details."""
    sections = [
        letter.salutation,
        *(block.text for block in letter.blocks),
        "\n".join([letter.closing, *letter.signature]),
    ]
    if letter.enclosures:
        sections.append("\n".join([letter.enclosures_label, *letter.enclosures]))  # "Anhang:"
    if letter.footer:
        sections.append("-- \n" + "\n".join(letter.footer))  # RFC 3676: mail programs know "-- "
    return "\n\n".join(sections) + "\n"


def html_body(letter: Letter) -> str:
    """The HTML part: the same words as the text part, escaped; in a merge filled from the
    layout's skeleton for the email's structure (``_HtmlSkeleton``). Dates, numbers and
    titled names in the paragraphs are held together with no-break spaces, as in the Word
    letter: a mail program breaks "am 12." / "Oktober 2026" otherwise (tester 43)."""
    return _html_skeleton().render(_glued(letter))


def _glued(letter: Letter) -> Letter:
    """The letter with its paragraphs' dates, numbers and titled names held together."""
    blocks = tuple(replace(block, text=glue(block.text)) for block in letter.blocks)
    return replace(letter, blocks=blocks) if blocks != letter.blocks else letter


class _HtmlSkeleton:
    """email.html rendered once per email *structure* (how many paragraphs, signature and
    footer lines, which parts are there) with tokens for the strings it prints, cut at the
    tokens and filled, escaped as Jinja escapes them, for every later email of that
    structure (see letterkit.skeleton). The first email of each structure is rendered both
    ways and the skeleton kept only when they agree; a string with a token character or a
    character Jinja's escaping could treat unlike a token takes the normal path."""

    _LIMIT = 256

    def __init__(self) -> None:
        from jinja2 import Environment

        from ..resources import templates_dir
        from ..skeleton import analyse
        from .text import layout

        self.template = layout("email.html")
        source = (templates_dir() / "layout" / "email.html").read_text(encoding="utf-8")
        self.usage = analyse(Environment(autoescape=True).parse(source))
        self.cuts: dict[tuple[object, ...], TextCut | None] = {}

    def render(self, letter: Letter) -> str:
        from ..skeleton import fill_text, split

        found = split(self.usage, {"letter": letter}, _any_untokenable) if self.usage is not None else None
        if found is None:
            return str(self.template.render(letter=letter))
        key, values = found
        cut = self.cuts.get(key, _UNSEEN)
        if cut is _UNSEEN:
            html = str(self.template.render(letter=letter))
            if len(self.cuts) >= self._LIMIT:
                self.cuts.clear()
            self.cuts[key] = self._learned(letter, values, html)
            return html
        if not isinstance(cut, tuple):
            return str(self.template.render(letter=letter))
        return fill_text(cut, escaped(values))

    def _learned(self, letter: Letter, values: list[str], expected: str) -> TextCut | None:
        from ..skeleton import cut_text, fill_text, stand_in

        assert self.usage is not None  # only called after split found a structure
        cut = cut_text(str(self.template.render(**stand_in(self.usage, {"letter": letter}))), len(values))
        if cut is None or fill_text(cut, escaped(values)) != expected:
            return None
        return cut


_UNSEEN = object()  # a structure not met yet (None: one whose skeleton is unusable)
_SEPARATOR = "\x1f"  # no string of a letter made from validated input holds it


def escaped(values: list[str]) -> list[str]:
    """``[str(markupsafe.escape(value)) for value in values]`` (text, as ``split`` gives it),
    in one pass: escaping replaces single characters (& < > ' "), so the values joined by a
    separator it leaves alone, escaped, and split again are each value escaped; when none of
    those characters is there, the values are their own escapes."""
    from markupsafe import escape

    joined = _SEPARATOR.join(values)
    if joined.count(_SEPARATOR) != len(values) - 1:  # a value holds the separator
        return [str(escape(value)) for value in values]
    if not any(char in joined for char in "&<>'\""):
        return values
    return str(escape(joined)).split(_SEPARATOR)


def _untokenable(text: str) -> bool:
    """A token character in a string (or left in a piece of the tokened layout)."""
    return "\ue002" in text or "\ue003" in text


def _any_untokenable(values: list[str]) -> bool:
    return _untokenable("".join(values))


@lru_cache(maxsize=1)
def _html_skeleton() -> _HtmlSkeleton:
    return _HtmlSkeleton()


LINE = 78  # RFC 5322 2.1.1: a header line should be at most 78 characters
_WORD = 75  # RFC 2047 2: an encoded word is at most 75 characters


def encoded_words(text: str, first: int = _WORD, *, phrase: bool = False) -> list[str]:
    """Non-ASCII text as RFC 2047 encoded words (UTF-8, base64): the first at most
    ``first`` characters long (what is left of its line after the header's name), the
    others at most 75, and no character split between two words.

    A ``phrase`` (the display name of an address) is split after a space where it can
    be: a reader joins the words without the white space between them (RFC 2047 6.2), as
    it should, and Python's address parser, which keeps it, then shows a second space
    rather than a space inside a word ("Müllerstra ße")."""
    # cut the UTF-8 bytes, not one character at a time: each word holds as many whole
    # characters as fit (a cut never falls on a continuation byte, 0b10xxxxxx)
    data = text.encode("utf-8")
    words: list[bytes] = []
    start, room = 0, _bytes_for(first)
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # inside a character: it goes into the next word
            end -= 1
        space = data.rfind(b" ", start, end) if phrase else -1
        cut = space + 1 if space >= 0 else end
        words.append(data[start:cut])
        start, room = cut, _bytes_for(_WORD)
    if start < len(data):
        words.append(data[start:])
    return [f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words]


def _bytes_for(length: int) -> int:
    """How many bytes a base64 encoded word of at most ``length`` characters holds
    (``=?utf-8?b?`` and ``?=`` are 12 of them); at least one character's worth."""
    return max(4, (length - 12) // 4 * 3)


def fold(name: str, atoms: list[str]) -> str:
    """A header line ``name: `` + the atoms joined by single spaces, folded (RFC 5322
    2.2.3) before a space wherever a line would grow past 78 characters. Unfolding (taking
    out the CRLFs) gives the value back exactly; an atom longer than a line stays whole."""
    lines: list[str] = []
    line = f"{name}:"
    for index, atom in enumerate(atoms):
        if index and len(line) + 1 + len(atom) > LINE:
            lines.append(line)
            line = ""
        line += " " + atom
    lines.append(line)
    return (CRLF).join(lines)


def _header(name: str, value: str) -> str:
    """One header line, folded at 78 characters; non-ASCII text (or text that looks
    encoded) as RFC 2047 encoded words."""
    if _plain(value):
        return fold(name, value.split(" "))
    return fold(name, encoded_words(value, LINE - len(name) - 2))


def _plain(text: str) -> bool:
    """Whether ``text`` can stand in a header as it is: ASCII, and nothing a mail program
    would decode as an encoded word ('=?utf-8?q?Evil_Corp?=' typed as a name is shown as
    typed only when it is encoded itself)."""
    return text.isascii() and "=?" not in text


def _address(header: str, name: str, address: str, field: str) -> str:
    """ "Name: Display Name <address>", folded; a non-ASCII name as encoded words, the
    domain in punycode."""
    try:
        address = header_address(address)
    except ValueError as exc:  # a Letter built by hand, not from validated input
        raise RenderError(f"{field}: {exc}") from None
    if _plain(name):
        return fold(header, formataddr((name, address)).split(" "))
    if not name:
        return fold(header, [address])
    return fold(header, [*encoded_words(name, LINE - len(header) - 2, phrase=True), f"<{address}>"])


def _qp(text: str) -> str:
    """UTF-8 text as quoted-printable with CRLF line ends.

    ``body_encode`` treats each line on its own, so lines are encoded one by one and
    remembered: in a merge most lines (whole paragraphs) repeat from email to email.
    """
    if any(c in text for c in _OTHER_LINE_BREAKS):
        return body_encode(text.encode("utf-8").decode("latin-1"), eol=CRLF)
    return CRLF.join(_qp_line(line) for line in text.split("\n"))


# str.splitlines() breaks at these too; UTF-8 encodes each as bytes that QP escapes, but
# the rare text holding one takes the plain path rather than rely on that.
_OTHER_LINE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


@lru_cache(maxsize=4096)
def _qp_line(line: str) -> str:
    return body_encode(line.encode("utf-8").decode("latin-1"), eol=CRLF)


def content_message_id(letter: Letter) -> str:
    """Derived from the content, so a re-run gives the same ID (and a sent-log can match it).
    The address counts in lower case: one mailbox, however its address is written, gets one
    email (a list with doppel@example.com and DOPPEL@example.com sends it once)."""
    digest = hashlib.sha256(
        "\0".join(
            [letter.locale, (letter.recipient_email or "").lower(), letter.subject, letter.body, str(letter.date)]
        ).encode("utf-8")
    ).hexdigest()[:32]
    domain = header_address(letter.sender_email).rsplit("@", 1)[-1] if letter.sender_email else ""
    return f"<{digest}@{domain or 'letterkit.invalid'}>"


def _attachment_part(item: Attachment, boundary: str) -> str:
    if isinstance(item, Path):
        try:
            name, data = item.name, item.read_bytes()
        except OSError as exc:
            raise RenderError(f"{item}: cannot attach ({exc.strerror})") from None
    else:
        name, data = item
    if not data:  # an export that failed, a PDF not yet written: as merge and generate say
        raise RenderError(f"attachment {item if isinstance(item, Path) else name} is empty (0 bytes); put the real file there")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/"):
        try:
            data.decode("utf-8")
            kind += '; charset="utf-8"'
        except UnicodeDecodeError:
            kind = "application/octet-stream"
    # RFC 2231 for a non-ASCII file name: filename*=utf-8''Rechnung%20M%C3%A4rz.pdf
    name = unicodedata.normalize("NFC", name)  # a macOS file name comes decomposed
    disposition = f'filename="{name}"' if name.isascii() and '"' not in name else _rfc2231(name)
    encoded = base64.encodebytes(data).decode("ascii").replace("\n", CRLF)
    return (
        f"--{boundary}{CRLF}Content-Type: {kind}{CRLF}Content-Transfer-Encoding: base64{CRLF}"
        f"Content-Disposition: attachment;{CRLF if CRLF in disposition else ''} {disposition}{CRLF}{CRLF}{encoded}"
    )


def _rfc2231(name: str, width: int = 55) -> str:
    """``filename*=utf-8''…`` for a name that is not plain ASCII (RFC 2231), continued
    over several parameters (``filename*0*=…; filename*1*=…``) when it is long, so that
    no header line grows past 78 characters. A ``%XX`` escape is never cut."""
    encoded = quote(name)
    if len(encoded) <= width:
        return f"filename*=utf-8''{encoded}"
    pieces: list[str] = []
    while encoded:
        cut = min(width, len(encoded))
        while cut < len(encoded) and "%" in encoded[max(0, cut - 2) : cut]:
            cut -= 1  # do not split "%C3"
        pieces.append(encoded[:cut])
        encoded = encoded[cut:]
    first = f"filename*0*=utf-8''{pieces[0]}"
    return ";\r\n ".join([first, *(f"filename*{i}*={piece}" for i, piece in enumerate(pieces[1:], 1))])


def _attachments(attachments: Iterable[AttachmentInput]) -> list[Attachment]:
    """The attachments as a list: a path (str or Path) or a (file name, bytes) pair each;
    anything else is a ``UsageError`` before any file is read."""
    if isinstance(attachments, (str, bytes, os.PathLike)):
        raise UsageError(
            f"attachments= takes a list of paths or (name, bytes) pairs, not {type_name(attachments)}; "
            "put a single file in a list"
        )
    files: list[Attachment] = []
    for item in attachments:
        if isinstance(item, (str, os.PathLike)):
            path = Path(item)
            _check_file_name(path.name, str(path))
            files.append(path)
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], (bytes, bytearray))
        ):
            name = unicodedata.normalize("NFC", item[0])
            _check_file_name(name, repr(item[0]))
            if "/" in name or "\\" in name:
                raise UsageError(
                    f"attachment name {item[0]!r} holds a folder; give the file name alone (Rechnung.pdf)"
                )
            files.append((name, bytes(item[1])))
        else:
            raise UsageError(
                f"an attachment is a path (str or Path) or a (file name, bytes) pair, not {type_name(item)}"
            )
    # one name twice: the email would carry the file twice, or two files the client cannot tell
    # apart (merge and generate refuse it as --attach; tester3 found the API took it)
    seen: set[str] = set()
    for item in files:
        name = item.name if isinstance(item, Path) else item[0]
        if name.casefold() in seen:
            raise UsageError(
                f"attachments= names {name} twice; the email would carry two files of that name: "
                "give each file once, or rename one"
            )
        seen.add(name.casefold())
    return files


def _check_file_name(name: str, shown: str) -> None:
    """An attachment's file name goes into a MIME header: none empty, none with a line break
    or another control character (which would start a header of its own: "a\\r\\nBcc: …")."""
    if not name.strip() or name in (".", ".."):
        raise UsageError(f"attachment {shown} has no file name; give it one (Rechnung.pdf)")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UsageError(
            f"attachment {shown} has a line break or control character in its file name; "
            "rename the file without it"
        )


_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def _check_header_value(field: str, value: str | None) -> None:
    """A header's value from a Letter edited by hand (compose() validates its input): a line
    break or another control character would end the header there and start one of its own
    ("Hello\\r\\nBcc: …"), so it is an error (tester6)."""
    if value and _BREAKING.search(value):
        raise RenderError(
            f"{field}: {value!r} has a line break or control character, which cannot stand in "
            "an email header; write it on one line"
        )


def email_version(letter: Letter, names: list[str]) -> Letter:
    """The email a letter composed for print becomes: composed again from its input with
    ``channel: email`` (the email's own wording, salutation and closing), naming the files
    ``names`` it attaches, as ``generate -o x.eml`` writes an input that says ``channel:
    letter``. A Letter not made by compose() (built by hand, or edited with
    ``dataclasses.replace``) has no input to compose from: a ``UsageError``."""
    from dataclasses import replace

    from ..compose import compose, listing_attachments
    from ..letter import letter_source

    source = letter_source(letter)
    if source is None:
        raise UsageError(
            f"to_email() takes a letter composed for the email channel; this one is for channel "
            f"{letter.channel!r} (it speaks of 'this letter' and its enclosures) and was not made by "
            "compose() from an input, so its email cannot be composed: compose the input with "
            "channel: email (letterkit.compose({**data, 'channel': 'email'}))"
        )
    return compose(listing_attachments(replace(source, channel="email"), names))


def _attached_name(item: Attachment) -> str:
    """The file name the client sees of an attachment."""
    return item.name if isinstance(item, Path) else item[0]


# RFC 5322's msg-id as letterkit writes it: <left@right>, printable ASCII without spaces
_MSG_ID = re.compile(r"<?([!-;=?A-~]+@[!-;=?A-~]+)>?")


def _sent_at(given: object) -> datetime:
    """The moment for the Date header: a datetime; one without a time zone is this machine's
    local time, as Python takes it (it was written '-0000', an unknown zone), and any other
    value is a UsageError (tester7: a date or a string was an AttributeError traceback)."""
    if not isinstance(given, datetime):
        raise UsageError(
            f"sent_at= takes a datetime (datetime.now(timezone.utc)), not {type_name(given)}"
        )
    return given if given.tzinfo is not None else given.astimezone()


def _message_id(given: str) -> str:
    """A Message-ID given to ``to_email``/``render_eml``: '<left@right>' as it is, 'left@right'
    in its angle brackets; anything else (no @, a space, a non-ASCII letter) is a RenderError
    (tester7: 'abc' was written as it was, an invalid header, and 'kündigung-1@example.de'
    was a UnicodeEncodeError)."""
    shape = _MSG_ID.fullmatch(given.strip())
    if shape is None or given.strip().startswith("<") != given.strip().endswith(">"):
        raise RenderError(
            f"message_id: {given!r} is not a Message-ID; write it as <unique-part@your-domain>, in "
            "ASCII without spaces (email.utils.make_msgid(domain='example.de') makes one)"
        )
    return f"<{shape.group(1)}>"


def render_eml(
    letter: Letter,
    attachments: Iterable[AttachmentInput] = (),
    *,
    message_id: str | None = None,
    sent_at: datetime | None = None,
) -> bytes:
    """The email as .eml bytes (CRLF line ends, as sent over SMTP)."""
    from . import require_letter

    require_letter(letter, "render_eml()")
    files = _attachments(attachments)
    if not letter.recipient_email:
        raise RenderError("an email needs recipient.email; add the address to the input")
    if not letter.sender_email:
        raise RenderError("an email needs sender.email; add the address to the input")
    for field, value in (
        ("subject", letter.subject),
        ("sender_name", letter.sender_name),
        ("recipient_name", letter.recipient_name),
        ("message_id", message_id),
    ):
        _check_header_value(field, value)
    sender = _address("From", letter.sender_name or "", letter.sender_email, "sender.email")
    recipient = _address("To", letter.recipient_name or "", letter.recipient_email, "recipient.email")
    msg_id = _message_id(message_id) if message_id else content_message_id(letter)
    seed = hashlib.sha256(msg_id.encode()).hexdigest()[:24]
    when = _sent_at(sent_at) if sent_at is not None else datetime.combine(letter.date, time(9, 0), tzinfo=timezone.utc)
    alternative = f"=_letterkit_{seed}_alt"
    headers = [
        sender,
        recipient,
        _header("Subject", letter.subject),
        f"Date: {format_datetime(when)}",
        f"Message-ID: {msg_id}",
        f"Content-Language: {letter.locale}",
        "MIME-Version: 1.0",
    ]
    body = (
        f'--{alternative}{CRLF}Content-Type: text/plain; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}{_qp(text_body(letter))}{CRLF}"
        f'--{alternative}{CRLF}Content-Type: text/html; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}{_qp(html_body(letter))}{CRLF}"
        f"--{alternative}--{CRLF}"
    )
    if files:
        mixed = f"=_letterkit_{seed}_mixed"
        headers.append(_multipart("mixed", mixed))
        body = (
            f"--{mixed}{CRLF}{_multipart('alternative', alternative)}{CRLF}{CRLF}{body}"
            + "".join(_attachment_part(f, mixed) + CRLF for f in files)
            + f"--{mixed}--{CRLF}"
        )
    else:
        headers.append(_multipart("alternative", alternative))
    return (CRLF.join(headers) + CRLF + CRLF + body).encode("ascii")


def _multipart(kind: str, boundary: str) -> str:
    """The Content-Type of a multipart, its boundary on a line of its own."""
    return f'Content-Type: multipart/{kind};{CRLF} boundary="{boundary}"'


def email_bytes(
    letter: Letter,
    attachments: Iterable[AttachmentInput] = (),
    *,
    message_id: str | None = None,
    sent_at: datetime | None = None,
) -> bytes:
    """The .eml bytes of ``letter`` as an email (``to_email`` and ``render(letter, "eml")``):
    a letter composed for print is composed again as its email (``email_version``), so the
    email never has the letter's wording ("this letter", "Anlage")."""
    if letter.channel != "email":
        attachments = _attachments(attachments)
        letter = email_version(letter, [_attached_name(item) for item in attachments])
    return render_eml(letter, attachments, message_id=message_id, sent_at=sent_at)


def to_email(
    letter: Letter,
    *,
    attachments: Iterable[AttachmentInput] = (),
    message_id: str | None = None,
    sent_at: datetime | None = None,
) -> EmailMessage:
    """The letter as a standard-library ``EmailMessage``: multipart/alternative (plain text
    and HTML saying the same), UTF-8, encoded headers, then the ``attachments`` (paths, or
    ``(file name, bytes)`` pairs; an empty or unreadable file is a ``LetterkitError``).
    ``message_id`` and ``sent_at`` set the Message-ID and Date headers (made up when not
    given). The body does not list the attachments by itself: give the letter
    ``enclosures`` (as ``letterkit generate --attach`` and ``merge`` do) to name them under
    "Anhang"/"Attachments". A letter composed with ``enclosures`` says they are attached
    (an invoice "im Anhang"): attach them, or compose it from
    ``listing_attachments(termination, names)`` (``from letterkit.compose import
    listing_attachments``), which for an email that attaches nothing leaves them out, as
    ``generate`` and ``merge`` do. A letter composed for print (``channel: letter``) is
    composed again as its email (``email_version``): the email's wording, not the
    letter's."""
    from email import policy
    from email.parser import BytesParser

    from . import require_letter

    require_letter(letter, "to_email()")
    data = email_bytes(letter, attachments, message_id=message_id, sent_at=sent_at)
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message
