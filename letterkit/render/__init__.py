"""Renderers: a Letter in, the bytes of one output format out.

Each format lives in its own module and is imported only when asked for, so
``letterkit --help`` and text output never pay for python-docx or LibreOffice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import RenderError
from ..letter import Letter

FORMATS = ("docx", "pdf", "txt", "md", "html", "eml")


def render(
    letter: Letter,
    fmt: str,
    *,
    template: str | Path | None = None,
    attachments: Sequence[Path | tuple[str, bytes]] = (),
) -> bytes:
    """Render ``letter`` as ``fmt`` (docx, pdf, txt, md, html or eml); ``template`` is a
    user letterhead .docx for docx and pdf; ``attachments`` go into an eml."""
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
        from .email import render_eml

        if template is not None:
            raise RenderError("--template applies to .docx and .pdf output, not .eml")
        return render_eml(letter, attachments)
    if template is not None:
        raise RenderError(f"--template applies to .docx and .pdf output, not .{fmt}")
    from . import text

    renderers = {"txt": text.render_txt, "md": text.render_md, "html": text.render_html}
    if fmt not in renderers:
        raise RenderError(f"unknown output format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](letter)
