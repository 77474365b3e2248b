"""Renderers: a Letter in, the bytes of one output format out.

Each format lives in its own module and is imported only when asked for, so
``letterkit --help`` and text output never pay for python-docx or LibreOffice.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RenderError, UsageError, type_name
from ..letter import Letter

if TYPE_CHECKING:
    from .email import AttachmentInput

FORMATS = ("docx", "pdf", "txt", "md", "html", "eml")


def render(
    letter: Letter,
    fmt: str,
    *,
    template: str | Path | None = None,
    attachments: Sequence[AttachmentInput] = (),
) -> bytes:
    """Render ``letter`` as ``fmt`` (docx, pdf, txt, md, html or eml); ``template`` is a
    user letterhead .docx for docx and pdf; ``attachments`` go into an eml. An eml of a
    letter composed for print is its email, as ``to_email`` makes it (the email's wording).

    A ``letter`` that is not a Letter, or a ``fmt`` that is not a string, raises
    ``UsageError`` (a ``LetterkitError`` and a ``TypeError``)."""
    require_letter(letter, "render()")
    if not isinstance(fmt, str):
        raise UsageError(
            f"render() takes the output format as a string, one of {', '.join(FORMATS)}; not {type_name(fmt)}"
        )
    if template is not None and not isinstance(template, (str, os.PathLike)):
        raise UsageError(
            f"render() takes template= as a path (str or Path) to a .docx, not {type_name(template)}"
        )
    fmt = fmt.lower().lstrip(".")
    if attachments and fmt != "eml":
        raise RenderError(f"attachments go into emails (.eml), not .{fmt}")
    tpl = Path(template) if template else None
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(letter, tpl)
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(letter, tpl)
    if fmt == "eml":
        from .email import email_bytes

        if template is not None:
            raise RenderError("--template applies to .docx and .pdf output, not .eml")
        return email_bytes(letter, attachments)  # a letter for print as its email, as to_email
    if template is not None:
        raise RenderError(f"--template applies to .docx and .pdf output, not .{fmt}")
    from . import text

    renderers = {"txt": text.render_txt, "md": text.render_md, "html": text.render_html}
    if fmt not in renderers:
        raise RenderError(f"unknown output format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](letter)


def require_letter(value: object, call: str) -> None:
    """``UsageError`` unless ``value`` is a composed Letter: the renderers read its
    attributes, and a dict or None would fail deep inside with an AttributeError."""
    if isinstance(value, Letter):
        return
    hint = ""
    if isinstance(value, (dict, str, os.PathLike)):
        hint = "; compose the input first: letter = letterkit.compose(data)"
    raise UsageError(f"{call} takes a Letter (made by letterkit.compose), not {type_name(value)}{hint}")
