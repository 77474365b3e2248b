"""Read a draft from .txt, .md, .html, .docx or .eml into a Draft, safely.

Every reader keeps offsets that map back to the source (line and column for
text formats, paragraph number for .docx) and blanks what must not be linted:
quoted email history, Markdown code, HTML markup.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from .text import Draft

MAX_BYTES = 60 * 1024 * 1024


def read_draft(path: Path) -> Draft:
    """Read a file as a Draft by its extension (default: plain text)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError("no such file; check the path", str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", str(path)) from None
    if path.is_dir():
        raise SourceError("is a folder, not a draft", str(path))
    if size > MAX_BYTES:
        raise SourceError(f"is {size // 1_000_000} MB; letterkit lints drafts up to 60 MB", str(path))
    data = path.read_bytes()
    return parse_draft(data, path.suffix.lower(), str(path))


def parse_draft(data: bytes, suffix: str, name: str) -> Draft:
    """Parse bytes of a given format (.txt .md .html .docx .eml) into a Draft."""
    from . import formats

    if suffix == ".docx":
        return formats.docx_draft(data, name)
    if suffix == ".eml":
        return formats.eml_draft(data, name)
    text = decode_text(data, name)
    if suffix in (".html", ".htm"):
        return formats.html_draft(text, name)
    if suffix in (".md", ".markdown"):
        return formats.markdown_draft(text, name)
    return formats.text_draft(text, name)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as German Windows writes it."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("is a binary file, not text; lint .txt, .md, .html, .docx or .eml", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
