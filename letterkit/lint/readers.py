"""Read a draft from .txt, .md, .html, .docx or .eml into a Draft, safely.

Every reader keeps offsets that map back to the source (the file's line and column
for text, Markdown, HTML and email, through an offset map where markup or an
encoding was taken out; the paragraph number for .docx) and blanks what must not be
linted: quoted email history, Markdown code.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from .regexes import regex
from .text import Draft

MAX_BYTES = 60 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"  # .docx, .odt, .xlsx, .zip


class MissingDraft(SourceError, FileNotFoundError):
    """A draft's file does not exist (a ``FileNotFoundError`` too, for callers that catch that)."""


def read_draft(path: Path) -> Draft:
    """Read a file as a Draft by its extension (default: plain text)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MissingDraft("no such file; check the path", str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", str(path)) from None
    except ValueError:  # a NUL character in the name
        raise SourceError("is not a valid file name", repr(str(path))) from None
    if path.is_dir():
        raise SourceError("is a folder, not a draft", str(path))
    if size > MAX_BYTES:
        raise SourceError(f"is {size // 1_000_000} MB; letterkit lints drafts up to 60 MB", str(path))
    try:
        with path.open("rb") as file:  # no further than the limit: /dev/zero has no end
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", str(path)) from None
    if len(data) > MAX_BYTES:  # a device or a file that grew: its size said less
        raise SourceError(f"goes on past {MAX_BYTES // 1_048_576} MB; letterkit lints drafts up to 60 MB", str(path))
    return parse_draft(data, path.suffix.lower(), str(path))


def bytes_draft(data: bytes, name: str) -> Draft:
    """A file's bytes without its name: a .docx when they are a zip archive, else text
    (UTF-8, UTF-16 or Windows-1252); binary data is refused."""
    if data.startswith(ZIP_MAGIC):
        from . import formats

        refuse_unread_format(data, "", name)
        return formats.docx_draft(data, name)
    return parse_draft(data, ".txt", name)


def stdin_draft(data: bytes) -> Draft:
    """Standard input as text; a Word file or other binary data piped in is refused."""
    if data.startswith(ZIP_MAGIC):
        raise SourceError(
            "is a zip archive (a Word .docx?), not text; lint the file by its name (letterkit lint draft.docx), "
            "or name what is piped in: letterkit lint - --stdin-filename draft.docx",
            "<stdin>",
        )
    if len(data) > MAX_BYTES:
        raise SourceError(f"is {len(data) // 1_000_000} MB; letterkit lints drafts up to 60 MB", "<stdin>")
    return parse_draft(data, ".txt", "<stdin>")


def named_stdin_draft(data: bytes, name: str) -> Draft:
    """Standard input read as the file ``name`` (``--stdin-filename``): its format by the
    extension, as ``read_draft`` reads a file (.txt by default), and ``name`` in the report."""
    if len(data) > MAX_BYTES:
        raise SourceError(f"is {len(data) // 1_000_000} MB; letterkit lints drafts up to 60 MB", name)
    return parse_draft(data, Path(name).suffix.lower(), name)


def parse_draft(data: bytes, suffix: str, name: str) -> Draft:
    """Parse bytes of a given format (.txt .md .html .docx .eml) into a Draft; a word
    processor's format that letterkit does not read (RTF, .doc, .odt, .pages) is refused
    with how to save it as one it does (``refuse_unread_format``)."""
    from . import formats

    refuse_unread_format(data, suffix, name)
    if suffix == ".docx":
        return formats.docx_draft(data, name)
    if suffix == ".eml":
        refuse_binary(data, name)
        return formats.eml_draft(data, name)
    text = decode_text(data, name)
    if suffix in (".html", ".htm"):
        return formats.html_draft(text, name)
    if suffix in (".md", ".markdown"):
        return formats.markdown_draft(text, name)
    return formats.text_draft(text, name)


# Formats of word processors that letterkit does not read, known by their first bytes or
# their extension: what each is called, and how to save it as a format that is read.
_RTF_MAGIC = b"{\\rtf"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (and .xls, .ppt, .msg)
_ODF_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument"  # the first member of an .odt
_SAVE_AS = "save it as .docx or .txt (File > Save As) and lint that"
_UNREAD = {
    ".rtf": f"is a Rich Text Format (RTF) file, which letterkit does not read; {_SAVE_AS}",
    ".doc": f"is a Word 97-2003 document (.doc), which letterkit does not read; {_SAVE_AS}",
    ".odt": f"is an OpenDocument text (.odt), which letterkit does not read; {_SAVE_AS}",
    ".pages": (
        "is an Apple Pages document, which letterkit does not read; export it as Word (.docx) "
        "or plain text (File > Export To) and lint that"
    ),
}


def refuse_unread_format(data: bytes, suffix: str, name: str) -> None:
    """An RTF, Word 97-2003, OpenDocument or Pages file, by its first bytes (whatever its
    name: an RTF file saved as .txt) or its extension, is refused with how to save it as a
    format letterkit reads: read as text, its control words would be linted as words."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(_RTF_MAGIC):
        kind = ".rtf"
    elif data.startswith(_OLE_MAGIC):
        kind = ".doc"
    elif data.startswith(ZIP_MAGIC) and _ODF_MIMETYPE in data[:200]:
        kind = ".odt"
    elif suffix in _UNREAD:
        kind = suffix
    else:
        return
    raise SourceError(_UNREAD[kind], name)


def refuse_binary(data: bytes, name: str) -> None:
    """A zip archive, a PDF or other binary data (a NUL byte in the first 4 KB, outside
    UTF-16) is no draft: a clear error instead of findings on noise."""
    if data.startswith(ZIP_MAGIC):
        raise SourceError("is a zip archive (a Word .docx?), not text; name it .docx to lint it", name)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not _utf16_order(data):
        raise SourceError("is a binary file, not text; lint .txt, .md, .html, .docx or .eml", name)
    if data.startswith(b"%PDF-"):
        raise SourceError("is a PDF, not text; lint the .docx or text the PDF was made from", name)
    kind = next((kind for magic, kind in _BINARY_MAGIC if data.startswith(magic)), None)
    if kind is not None:  # a truncated image has no NUL byte in its first bytes
        raise SourceError(f"is {kind}, not text; lint .txt, .md, .html, .docx or .eml", name)


# The first bytes of binary files a folder of drafts may hold beside them.
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program (ELF)"),
)


def decode_text(data: bytes, name: str) -> str:
    """UTF-16 (with a byte-order mark or recognised without one), UTF-8 (with or without
    BOM), else Windows-1252 as German Windows writes it; text that is mostly control
    characters is refused as binary."""
    refuse_binary(data, name)
    order = _utf16_order(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")  # a cut last byte or a lone surrogate: U+FFFD
    elif order:
        text = data.decode(order, errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    noise = len(_NOISE.findall(text, 0, 4096))
    if noise > max(4, len(text[:4096]) // 50):
        raise SourceError(
            f"is a binary file, not text ({noise} control or undecodable characters in its first "
            "4,096); lint .txt, .md, .html, .docx or .eml",
            name,
        )
    return text


# C0 control characters (not tab, line feed, vertical tab, form feed, carriage return, nor
# the escape of terminal colours) and characters no encoding could decode: a text has none
# or a few strays, binary data that happens to hold no NUL byte has one in ten (more than
# one in fifty counts as binary). C1 characters (U+0080-U+009F) are not counted: text
# decoded once too often holds them for its apostrophes and quotes ("We\x92re").
_NOISE = regex("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd]")


def _utf16_order(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text without a byte-order mark (as some
    Windows tools save it): mostly Latin text, so every other byte of the first 4 KB is
    NUL, on one side only; else None."""
    head = data[:4096]
    if len(head) < 8 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None
