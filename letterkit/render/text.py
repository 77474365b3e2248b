"""Plain-text, Markdown and HTML renderings of a Letter.

Text and Markdown follow the reading order of the printed letter; HTML uses the
layout in templates/layout/letter.html with autoescaping, so data such as
"Müller & Söhne <GmbH>" is shown literally.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from typing import Any

from ..letter import Letter
from .typography import NBSP, glue

WIDTH = 78


# Keep "31. Dezember 2026", "31 December 2026", "December 31, 2026", "Nr. 12" and amounts on one line.
def _wrap(text: str) -> str:
    """Wrap at 78 columns without breaking inside a date, a number or a name."""
    filled = textwrap.fill(glue(text), WIDTH, break_long_words=False, break_on_hyphens=False)
    return filled.replace(NBSP, " ")


def render_txt(letter: Letter) -> bytes:
    """The letter as UTF-8 plain text, wrapped at 78 columns."""
    sections: list[str] = []
    if letter.channel == "letter":
        if letter.sender_address:
            sections.append("\n".join(letter.sender_address))
        if letter.recipient_address:
            sections.append("\n".join(letter.recipient_address))
        refs = [f"{ref.label}: {ref.value}" for ref in letter.references]
        sections.append("\n".join([*refs, letter.date_line]) if refs else letter.date_line)
    sections.append(letter.subject)
    sections.append(letter.salutation)
    sections.extend(_wrap(block.text) for block in letter.blocks)
    sections.append(
        letter.closing + ("\n\n" if letter.channel == "letter" else "") + "\n" + "\n".join(letter.signature)
    )
    if letter.enclosures:
        sections.append(letter.enclosures_label + "\n" + "\n".join(letter.enclosures))
    if letter.footer:
        # an email's signature block starts with "-- " (RFC 3676), which mail programs recognise
        sections.append(("-- \n" if letter.channel == "email" else "--\n") + "\n".join(letter.footer))
    return ("\n\n".join(sections) + "\n").encode("utf-8")


def _md_escape(text: str) -> str:
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


# What makes a line of an address block something else in Markdown: a list item
# ("1. Querstraße 5", "- Haus B"), a heading underline ("===", "---"), a block quote.
_MD_LINE_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+=~])")


def _md_line(text: str) -> str:
    """One line of an address or reference block, escaped so it stays a line of text."""
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", _md_escape(text))


def _md_lines(lines: list[str] | tuple[str, ...]) -> str:
    """Lines kept as lines: Markdown's hard line break (two spaces) after each but the last."""
    return "  \n".join(_md_line(line) for line in lines)


def render_md(letter: Letter) -> bytes:
    """The letter as Markdown, in the order and with the blocks of the text rendering:
    for a letter the sender, the recipient's address, the reference lines with the date;
    then bold subject, paragraphs; hard line breaks keep the lines of a block."""
    e = _md_escape
    sections: list[str] = []
    if letter.channel == "letter":
        if letter.sender_address:
            sections.append(_md_lines(letter.sender_address))
        if letter.recipient_address:
            sections.append(_md_lines(letter.recipient_address))
        refs = [f"{ref.label}: {ref.value}" for ref in letter.references]
        sections.append(_md_lines([*refs, letter.date_line]))
    else:
        sections.append(e(letter.date_line))
    sections.append(f"**{e(letter.subject)}**")
    sections.append(e(letter.salutation))
    sections.extend(e(block.text) for block in letter.blocks)
    sections.append(e(letter.closing) + "  \n\n" + "  \n".join(e(x) for x in letter.signature))
    if letter.enclosures:
        sections.append(
            f"**{e(letter.enclosures_label)}**  \n" + "  \n".join(e(x) for x in letter.enclosures)
        )
    if letter.footer:
        sections.append("---\n\n" + "  \n".join(e(x) for x in letter.footer))
    return ("\n\n".join(sections) + "\n").encode("utf-8")


@lru_cache(maxsize=4)
def layout(name: str) -> Any:
    """An HTML layout from templates/layout/ (strict, autoescaped), loaded once.

    These layouts ship with letterkit, and the letter's data only ever fills them as
    values (escaped), never as template code: the sandbox, which checks every attribute
    access (36 per email, a tenth of an email's cost in a merge), guards nothing here."""
    from jinja2 import Environment, StrictUndefined

    from ..resources import templates_dir

    source = (templates_dir() / "layout" / name).read_text(encoding="utf-8")
    return Environment(undefined=StrictUndefined, autoescape=True).from_string(source)


def render_html(letter: Letter) -> bytes:
    """The letter as a standalone HTML page (UTF-8, escaped)."""
    html: str = layout("letter.html").render(letter=letter)
    return html.encode("utf-8")
