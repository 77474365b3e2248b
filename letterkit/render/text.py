"""Plain-text, Markdown and HTML renderings of a Letter.

Text and Markdown follow the reading order of the printed letter; HTML uses the
layout in templates/layout/letter.html with autoescaping, so data such as
"Müller & Söhne <GmbH>" is shown literally.
"""

from __future__ import annotations

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


def render_md(letter: Letter) -> bytes:
    """The letter as Markdown: bold subject, paragraphs, hard line breaks in addresses."""
    e = _md_escape
    sections: list[str] = []
    if letter.channel == "letter" and letter.recipient_address:
        sections.append("  \n".join(e(line) for line in letter.recipient_address))
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
