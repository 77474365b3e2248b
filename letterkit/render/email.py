"""A Letter as an email: a standard-library EmailMessage with text and HTML alternatives.

Headers are UTF-8 and RFC 2047-encoded by the email package; addresses are
validated on input, and the email package refuses CR/LF in header values, so
header injection is impossible. Date and Message-ID derive from the letter, so
the same input gives the same .eml.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable
from datetime import datetime, time, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..letter import Letter

Attachment = Path | tuple[str, bytes]


def text_body(letter: Letter) -> str:
    """The plain-text part: salutation, paragraphs, closing, signature block."""
    sections = [
        letter.salutation,
        *(block.text for block in letter.blocks),
        "\n".join([letter.closing, *letter.signature]),
    ]
    if letter.footer:
        sections.append("--\n" + "\n".join(letter.footer))
    return "\n\n".join(sections) + "\n"


@lru_cache(maxsize=1)
def _html_template() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from ..resources import templates_dir

    source = (templates_dir() / "layout" / "email.html").read_text(encoding="utf-8")
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True).from_string(source)


def html_body(letter: Letter) -> str:
    """The HTML part: the same words as the text part, escaped."""
    html: str = _html_template().render(letter=letter)
    return html


def to_email(
    letter: Letter,
    *,
    attachments: Iterable[Attachment] = (),
    message_id: str | None = None,
    sent_at: datetime | None = None,
) -> EmailMessage:
    """The letter as an EmailMessage (multipart/alternative, plus attachments)."""
    if not letter.recipient_email:
        raise RenderError("an email needs recipient.email; add the address to the input")
    if not letter.sender_email:
        raise RenderError("an email needs sender.email; add the address to the input")
    message = EmailMessage(policy=default_policy)
    message["From"] = formataddr((letter.sender_name or "", letter.sender_email))
    message["To"] = formataddr((letter.recipient_name or "", letter.recipient_email))
    message["Subject"] = letter.subject
    when = sent_at or datetime.combine(letter.date, time(9, 0), tzinfo=timezone.utc)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id or _message_id(letter)
    message["Content-Language"] = letter.locale
    message.set_content(text_body(letter), subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html_body(letter), subtype="html", charset="utf-8", cte="quoted-printable")
    for item in attachments:
        _attach(message, item)
    _fix_boundaries(message)
    return message


def _fix_boundaries(message: EmailMessage) -> None:
    """Boundaries derived from the Message-ID instead of random ones: the same input gives
    the same .eml."""
    seed = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:24]
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_letterkit_{seed}_{number}")


def _message_id(letter: Letter) -> str:
    """Derived from the content, so a re-run gives the same ID (and a sent-log can match it)."""
    digest = hashlib.sha256(
        "\0".join(
            [letter.locale, letter.recipient_email or "", letter.subject, letter.body, str(letter.date)]
        ).encode("utf-8")
    ).hexdigest()[:32]
    domain = (letter.sender_email or "letterkit.invalid").rsplit("@", 1)[-1]
    return f"<{digest}@{domain}>"


def _attach(message: EmailMessage, item: Attachment) -> None:
    if isinstance(item, Path):
        try:
            name, data = item.name, item.read_bytes()
        except OSError as exc:
            raise RenderError(f"{item}: cannot attach ({exc.strerror})") from None
    else:
        name, data = item
    kind, _ = mimetypes.guess_type(name)
    maintype, subtype = (kind or "application/octet-stream").split("/", 1)
    if message.get_content_type() == "multipart/alternative":
        message.make_mixed()
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)


def render_eml(letter: Letter, attachments: Iterable[Attachment] = ()) -> bytes:
    """The email as .eml bytes (CRLF line endings, as sent over SMTP)."""
    # Lines up to 998 characters (RFC 5322's limit) keep long subjects on the Subject line.
    return to_email(letter, attachments=attachments).as_bytes(policy=SMTP.clone(max_line_length=998))
