"""Format readers behind readers.py: plain text, Markdown, HTML, Word and email.

Blanking keeps offsets: a character that must not be linted becomes a space (a
newline stays a newline), so positions in ``Draft.visible`` are positions in the
source text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from ..errors import SourceError
from .text import Draft

# The start of quoted reply history in an email pasted as text.
_HISTORY = re.compile(
    r"^(?:(?:Am|On)\b[^\n]{0,200}\b(?:schrieb|wrote)[^\n]*:\s*$"
    r"|-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Forwarded message|Weitergeleitete Nachricht)"
    r"|(?:Von|From):[^\n]*\n(?:(?:Gesendet|Sent|Date|Datum):))",
    re.MULTILINE | re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
_MAX_DOCX_XML = 40 * 1024 * 1024


def blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] by spaces, keeping newlines."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def hide_history(text: str) -> str:
    """Blank quoted lines ('> ...') and everything from a reply header on."""
    visible = text
    # a quoted line holds a ">"; without one, the search of every line start is spared
    for match in _QUOTED_LINE.finditer(text) if ">" in text else ():
        visible = blank(visible, *match.span())
    header = _HISTORY.search(visible)
    if header:
        visible = blank(visible, header.start(), len(visible))
    return visible


_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def text_draft(text: str, name: str) -> Draft:
    """Plain text; quoted email history is not linted; **bold** as in Markdown is noted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    visible = hide_history(text)
    return Draft(text, name, visible, emphasis=[m.span(2) for m in _EMPHASIS.finditer(visible)])


def markdown_draft(text: str, name: str) -> Draft:
    """Markdown: code, link targets, HTML comments and markup characters are not linted."""
    text = text.replace("\r\n", "\n")
    visible = hide_history(text)
    emphasis = [m.span(2) for m in _EMPHASIS.finditer(visible)]
    for pattern in (
        r"```.*?```",
        r"~~~.*?~~~",
        r"`[^`\n]*`",
        r"<!--.*?-->",
        r"\]\([^)\n]*\)",
        r"^[ \t]*(?:#{1,6}|[-*+]|\d+\.)[ \t]",
        r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}",
    ):
        for match in re.finditer(pattern, visible, re.DOTALL | re.MULTILINE):
            visible = blank(visible, *match.span())
    return Draft(text, name, visible, emphasis=emphasis)


def html_draft(source: str, name: str) -> Draft:
    """HTML: the text of the page; quoted replies (<blockquote>) and scripts are skipped."""
    from .htmltext import HTMLText  # html.parser costs a start-up ~3 ms: only for HTML

    parser = HTMLText()
    parser.feed(source)
    parser.close()
    lines = [(" ".join(text.split()), origin) for text, origin in parser.lines]
    text = "\n".join(t for t, _ in lines)
    # the comments are not in the text: the suppressions are read from the source, where
    # lines are the file's lines as the findings report them
    marks = Draft(source).suppressions() if "letterkit-ignore" in source else {}
    return HTMLDraft(text, name, hide_history(text), source_lines=[o for _, o in lines], marks=marks)


@dataclass
class HTMLDraft(Draft):
    """A draft read from HTML, with the ``letterkit-ignore`` comments of its source."""

    marks: dict[int, list[str]] = field(default_factory=dict)

    def suppressions(self) -> dict[int, list[str]]:
        """Source line → the rules a ``<!-- letterkit-ignore -->`` comment silences there."""
        return self.marks


def docx_draft(data: bytes, name: str) -> Draft:
    """Word: paragraphs of the body (tables included), headers and footers; one line per
    paragraph, reported as paragraph numbers."""
    import zipfile

    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in archive.infolist()}
    except zipfile.BadZipFile:
        raise SourceError("is not a Word document (.docx is a zip archive)", name) from None
    if "word/document.xml" not in members:
        raise SourceError("is a zip archive but not a Word document (no word/document.xml)", name)
    parts = [
        "word/document.xml",
        *sorted(n for n in members if re.match(r"word/(header|footer)\d*\.xml$", n)),
    ]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs: list[str] = []
    for part in parts:
        if members[part].file_size > _MAX_DOCX_XML:
            raise SourceError(f"{part} unpacks to more than 40 MB; refusing (zip bomb?)", name)
        with archive.open(part) as handle:
            raw = handle.read(_MAX_DOCX_XML + 1)
        if len(raw) > _MAX_DOCX_XML:
            raise SourceError(f"{part} unpacks to more than 40 MB; refusing (zip bomb?)", name)
        if b"<!ENTITY" in raw[:4096] or b"<!DOCTYPE" in raw[:4096]:
            raise SourceError(f"{part} declares a DOCTYPE or entities; a Word file never does", name)
        try:
            root = etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as exc:
            raise SourceError(f"{part} is damaged ({exc})", name) from None
        for para in root.iter(f"{ns}p"):
            pieces = [
                node.text or "" if node.tag == f"{ns}t" else "\t" if node.tag == f"{ns}tab" else "\n"
                for node in para.iter(f"{ns}t", f"{ns}tab", f"{ns}br")
            ]
            paragraphs.append(" ".join("".join(pieces).split()))
    lines: list[str] = []
    numbers: list[int] = []
    for number, text in enumerate(paragraphs, start=1):
        if text:
            lines += [text, ""]
            numbers += [number, number]
    text = "\n".join(lines)
    return Draft(text, name, text, source_lines=numbers or [1])


def eml_draft(data: bytes, name: str) -> Draft:
    """Email: the text/plain part (else the HTML part); quoted history is not linted."""
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(data)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise SourceError("has no text or HTML part to lint", name)
    try:
        content = body.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    subject = str(message.get("Subject", ""))
    if body.get_content_type() == "text/html":
        draft = html_draft(content, name)
        return draft
    text = (subject + "\n\n" if subject else "") + content.replace("\r\n", "\n")
    return Draft(text, name, hide_history(text))
