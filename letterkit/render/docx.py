"""Render a Letter as a Word document (.docx) through a docxtpl template.

The built-in templates (``templates/<lang>/letter.docx``, and ``letter-us.docx`` for
en-US on US Letter; built by ``scripts/build_templates.py``) and a user's own
letterhead share one placeholder contract, ``PLACEHOLDERS``, documented in
``docs/templates.md``.

Speed: a template is checked and prepared once per process (``prepared.py``: docxtpl's
own patching and compiling, python-docx's serialisation of every unchanging part,
kept deflated); each letter then costs a Jinja render, the post-processing docxtpl
applies and one zip write — about 0.3 ms instead of 15 ms for ``DocxTemplate``
per letter, with byte-identical output.

Safety: Jinja runs sandboxed with ``StrictUndefined`` and autoescaping, so data such
as ``Müller & Söhne <GmbH>`` or ``{{ x }}`` comes out literally and is never
evaluated; text a Word document cannot hold (control characters) is refused with
the field named, never dropped. Determinism: entries, timestamps and document
properties are fixed, so the same Letter always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..errors import RenderError, TemplateError
from ..letter import Block, Labels, Letter
from ..locales import conventions
from ..part_cache import TEMPLATES
from ..resources import template_path
from ..row_caches import ROW_VALUES
from .fit import info_value_wide, return_line
from .package import PendingZip, build_zip, read_zip
from .prepared import PreparedTemplate, TemplatePart, paragraph_text, part_key, template_parts
from .typography import glue, keep_footer_parts, keep_together

PLACEHOLDERS: tuple[str, ...] = (
    "sender_line", "sender_address", "recipient_address", "references", "date_line",
    "subject", "salutation", "blocks", "closing", "signature", "enclosures_label",
    "enclosures", "footer", "labels", "sender_name", "sender_email", "recipient_name",
    "recipient_email", "locale", "lang",
)  # fmt: skip

# Characters XML 1.0 cannot hold (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F),
# named as they are: the class of the legal ones negated took re.compile ~5 ms every start.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_C0_CONTROLS = bytes(code for code in range(32) if chr(code) not in "\t\n\r")
_NBSP, _NARROW_NBSP = "\u00a0", "\u202f"  # spaces a formatted amount or date holds
# docxtpl turns these sequences into Jinja delimiters after rendering; a character
# reference for the underscore keeps a value such as "{_{" exactly as the user wrote it.
_DOCXTPL_ESCAPES = {"{_{": "{&#95;{", "}_}": "}&#95;}", "{_%": "{&#95;%", "%_}": "%&#95;}"}


def render_docx(letter: Letter, template: Path | None = None) -> bytes:
    """The letter as .docx bytes, in the built-in layout for its language or in ``template``.

    The template is prepared once per process (``PreparedTemplate``): every later letter
    only renders the compiled parts and writes the zip, well under a millisecond.
    """
    return render_docx_later(letter, template).bytes()


def render_docx_later(letter: Letter, template: Path | None = None) -> PendingZip:
    """``render_docx`` but for compressing the letter's own parts: ``bytes()`` of the result
    does that (a mail merge compresses a batch of letters together)."""
    check_text(letter)
    _check_properties(letter)
    if template is None:
        source, origin = _builtin(letter.locale)
    else:
        source, origin = _user_source(Path(template)), str(template)
    return _prepared(source, origin).fill_later(build_context(letter), letter)


def builtin_template(locale: str) -> Path:
    """The built-in Word template of a locale's letters: ``templates/<lang>/letter.docx``
    (A4), or the one its ``locale.yaml`` names (``letter-us.docx``: US Letter for en-US).
    The letter's locale decides, not the recipient's country: a German letter to New
    York is a DIN letter on A4."""
    return template_path(locale[:2], conventions(locale).docx_template)


def check_template(template: Path) -> None:
    """Check a user's template as rendering would (readable .docx, balanced tags, valid
    Jinja, known placeholders, the letter's text placed): ``TemplateError`` or
    ``RenderError`` naming the file, before a merge makes its first letter."""
    _prepared(_user_source(Path(template)), str(template))


def build_context(letter: Letter) -> dict[str, Any]:
    """The template context: every name of ``PLACEHOLDERS`` (lists, not tuples; no None)."""
    return {
        # over the 80 mm of the built-in field (a German letter's), "Industriestr." for "-straße"
        "sender_line": return_line(letter.sender_line) if letter.lang == "de" else letter.sender_line,
        "sender_address": list(letter.sender_address),
        "recipient_address": list(letter.recipient_address),
        # a value too wide beside its label goes below it (wide), not broken at a hyphen
        "references": [
            {"label": r.label, "value": keep_together(r.value), "wide": info_value_wide(r.value)}
            for r in letter.references
        ],
        "date_line": glue(letter.date_line),
        # no-break spaces and hyphens keep "31 January 2027" and "RV-2019-03" on one line
        "subject": keep_together(letter.subject),
        "salutation": letter.salutation,
        # no-break spaces keep "31. Dezember 2026" on one line in Word and LibreOffice
        "blocks": [_glued(block) for block in letter.blocks],
        "closing": letter.closing,
        "signature": list(letter.signature),
        "enclosures_label": letter.enclosures_label,
        "enclosures": list(letter.enclosures),
        # a footer line wraps between its parts, not inside a bank's name or an IBAN
        "footer": [keep_footer_parts(line) for line in letter.footer],
        "labels": letter.labels.as_dict() if type(letter.labels) is Labels else dict(letter.labels),
        "sender_name": letter.sender_name,
        "sender_email": letter.sender_email or "",
        "recipient_name": letter.recipient_name,
        "recipient_email": letter.recipient_email or "",
        "locale": letter.locale,
        "lang": letter.lang,
    }


def _glued(block: Block) -> Block:
    """The block with no-break spaces and hyphens glued in (a merge repeats most paragraphs)."""
    if type(block) is not Block:
        return replace(block, text=keep_together(block.text))
    return _glued_block(block.part, block.text, block.parts)


@lru_cache(maxsize=ROW_VALUES)
def _glued_block(part: str, text: str, parts: tuple[str, ...]) -> Block:
    """``_glued`` of a Block, remembered by its fields: a tuple of text is hashed and
    compared in C, the Block's own ``__hash__`` and ``__eq__`` are Python calls."""
    return Block(part, keep_together(text), parts)


def check_text(letter: Letter) -> None:
    """Refuse text a Word document cannot hold, naming the field (nothing is stripped)."""
    strings = letter_strings(letter)
    if not _has_illegal("".join(strings)):
        return
    for path, text in _texts("Letter", letter):
        found = _ILLEGAL.search(text)
        if found:
            raise RenderError(
                f"{path} contains the control character U+{ord(found.group()):04X} at "
                f"position {found.start()}, which a Word document cannot hold; "
                "remove it from the input"
            )


def _has_illegal(text: str) -> bool:
    """Whether ``text`` holds a character ``_ILLEGAL`` matches (quick: on the UTF-8 bytes).

    First ``isprintable``, in C, with the no-break spaces a letter's amounts and dates hold
    made plain (they are not printable, nor illegal): every character ``_ILLEGAL`` matches
    is not printable (control, surrogate, noncharacter), so a letter that passes holds none
    (half the time of the look at its bytes, which remains for the others)."""
    if text.replace(_NBSP, " ").replace(_NARROW_NBSP, " ").isprintable():
        return False
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    if len(data.translate(None, _C0_CONTROLS)) != len(data):
        return True
    return b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data  # U+FFFE, U+FFFF


def letter_strings(letter: Letter) -> list[str]:
    """Every string of a Letter (``_collect`` spelled out for its fields: ~3x faster)."""
    if type(letter) is not Letter or letter.findings:
        strings: list[str] = []
        _collect(letter, strings)
        return strings
    strings = [
        letter.locale, letter.lang, letter.channel, letter.register, letter.date_line,
        letter.subject, letter.salutation,
    ]  # fmt: skip
    for block in letter.blocks:
        strings += (block.part, block.text, *block.parts)
    strings.append(letter.closing)
    strings += letter.signature
    strings.append(letter.sender_name)
    if letter.sender_email is not None:
        strings.append(letter.sender_email)
    strings.append(letter.recipient_name)
    if letter.recipient_email is not None:
        strings.append(letter.recipient_email)
    strings += letter.sender_address
    strings.append(letter.sender_line)
    strings += letter.recipient_address
    for reference in letter.references:
        strings += (reference.label, reference.value)
    strings.append(letter.enclosures_label)
    strings += letter.enclosures
    strings += letter.footer
    for key, value in letter.labels.items():
        strings += (key, value)
    return strings


def _collect(value: object, strings: list[str]) -> None:
    """Append every string inside ``value`` to ``strings`` (the quick pass of ``check_text``)."""
    if isinstance(value, str):
        strings.append(value)
    elif isinstance(value, (tuple, list)):
        for item in value:
            if isinstance(item, str):
                strings.append(item)
            else:
                _collect(item, strings)
    elif isinstance(value, Mapping):  # a dict, or a Letter's labels
        for key, item in value.items():
            _collect(key, strings)
            _collect(item, strings)
    else:
        for name in _field_names(type(value)):
            _collect(getattr(value, name), strings)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass, none for any other type; looked up once per type."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = (
            tuple(field.name for field in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else ()
        )
    return names


def _texts(path: str, value: object) -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` with its path, e.g. ``Letter.blocks[2].text``."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _texts(f"{path}[{index}]", item)
    elif isinstance(value, Mapping):  # a dict, or a Letter's labels
        for key, item in value.items():
            yield from _texts(f"{path} key {key!r}", key)
            yield from _texts(f"{path}[{key!r}]", item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(f"{path}.{field.name}", getattr(value, field.name))


# --- templates -----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _builtin(locale: str) -> tuple[bytes, str]:
    """A locale's built-in template: its bytes and how errors name it (once per process,
    not a path made and spelt out for every letter of a merge)."""
    path = builtin_template(locale)
    return _builtin_source(path), f"built-in template {path}"


@lru_cache(maxsize=4)
def _builtin_source(path: Path) -> bytes:
    """A built-in template's bytes, read once per process."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TemplateError(
            f"{path}: the built-in template cannot be read ({exc.strerror or exc}); "
            "reinstall letterkit, or in a checkout run scripts/build_templates.py"
        ) from exc


def _user_source(path: Path) -> bytes:
    """A user's letterhead as bytes (checked as a Word package when first prepared); read
    again only when its size or modification time changed."""
    try:
        info = path.stat()
        return _read_source(os.path.abspath(path), info.st_size, info.st_mtime_ns)
    except OSError as exc:
        raise TemplateError(
            f"{path}: the template cannot be read ({exc.strerror or exc}); "
            "check the path given as the template"
        ) from exc


@lru_cache(maxsize=4)
def _read_source(path: str, size: int, mtime_ns: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _check_package(source: bytes, origin: str) -> None:
    """A zip holding a Word document, else TemplateError."""
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile as exc:
        raise TemplateError(
            f"{origin}: not a Word document (the file is not a .docx zip package); "
            "save it from Word or LibreOffice as 'Word Document (.docx)'"
        ) from exc
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        raise TemplateError(
            f"{origin}: a zip file but not a Word document (no word/document.xml); "
            "save it from Word or LibreOffice as 'Word Document (.docx)'"
        )


def _check_properties(letter: Letter) -> None:
    """The document properties hold at most 255 characters (Word's and python-docx's limit)."""
    for field, value in (("sender_name", letter.sender_name), ("subject", letter.subject)):
        if len(value) > 255:
            raise RenderError(
                f"Letter.{field} is {len(value)} characters long; the .docx document properties "
                "hold at most 255 (author and title); shorten it"
            )


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one Jinja environment of the process: sandboxed, strict, autoescaping."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)


def _finalize(value: object) -> object:
    """XML-escape a printed string and protect it from docxtpl's delimiter unescaping."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    text = escape(value)
    if "_" not in text:
        return text
    plain = str(text)
    for sequence, protected in _DOCXTPL_ESCAPES.items():
        plain = plain.replace(sequence, protected)
    return Markup(plain)


@lru_cache(maxsize=16)
def _prepared(source: bytes, origin: str) -> PreparedTemplate:
    """Check and compile a template once per process: tags, Jinja syntax, placeholders.
    What is worked out of its parts is kept between runs only when it passes
    (``part_cache.TEMPLATES``): a refused one (a finished letter given as a template, say)
    leaves none of its text in the user's cache folder."""
    with TEMPLATES.staged():
        return _prepare(source, origin)


def _prepare(source: bytes, origin: str) -> PreparedTemplate:
    _check_package(source, origin)
    document = _open(source, origin)
    parts = template_parts(document)
    parsed = {part.name: _check_part(origin, part) for part in parts}
    if not any("blocks" in names for _, names in parsed.values()):
        used = sorted({name for _, names in parsed.values() for name in names})
        if used:  # placeholders, but not the letter's text: say what is missing
            shown = ", ".join(f"{{{{ {name} }}}}" for name in used)
            raise TemplateError(
                f"{origin}: has no place for the letter's text: it uses {shown} but not blocks, so every "
                "letter made with it would lack its body; add the paragraphs "
                "{%p for b in blocks %}, {{ b.text }} and {%p endfor %} where the body goes "
                "(see docs/templates.md)"
            )
        raise TemplateError(
            f"{origin}: holds none of letterkit's placeholders for the letter's text, so every letter "
            "made with it would be this same document (a finished letter used as a template?); the "
            "body is {%p for b in blocks %}{{ b.text }}{%p endfor %}, beside {{ recipient_address }}, "
            "{{ subject }}, {{ salutation }} and the others: see docs/templates.md"
        )
    return PreparedTemplate(document, parts, environment(), origin, parsed)


def _check_part(origin: str, part: TemplatePart) -> tuple[jinja2.nodes.Template | None, tuple[str, ...]]:
    """Balanced tags, valid Jinja, known placeholders; errors name the paragraph. Returns
    the part parsed and the names it reads, for compiling it (parsed once, not twice). A
    part that passed before (the same XML: ``part_cache.TEMPLATES``) is not parsed again:
    its names are kept, and no syntax tree is returned."""
    syntax = None
    key = part_key(part.xml, environment())
    names = TEMPLATES.reads(key)
    if names is None:
        _check_delimiters(origin, part.name, part.xml)
        try:
            syntax = environment().parse(part.source)
            names = tuple(sorted(meta.find_undeclared_variables(syntax)))
        except jinja2.TemplateSyntaxError as exc:
            unclosed = (
                _unclosed_block(part.source, exc.lineno)
                if "needs to be closed" in (exc.message or "")
                else None
            )
            if unclosed is not None:  # Jinja names where it noticed; the tag opened higher up
                raise TemplateError(
                    f"{origin}: {part.name}: template syntax error: {_unclosed(part.source, exc, *unclosed)}"
                ) from exc
            near = paragraph_text(part.source, exc.lineno)
            raise TemplateError(
                f"{origin}: {part.name}: template syntax error: {exc.message}, in the paragraph "
                f"{near!r}; correct the {{{{ }}}} / {{% %}} tags there"
            ) from exc
        TEMPLATES.keep_reads(key, names)
    unknown = sorted(set(names) - set(PLACEHOLDERS))
    if unknown:
        raise TemplateError(_unknown_message(origin, part.name, unknown[0], part.source))
    return syntax, names


# Jinja's tags that open a block closed by end<tag> ({% set x %} ... only without '=')
_BLOCK_TAGS = frozenset(
    ("if", "for", "macro", "call", "filter", "block", "with", "autoescape", "raw", "trans")
)


def _unclosed_block(source: str, until: int) -> tuple[str, int] | None:
    """The innermost block tag of a part's Jinja source still open on line ``until`` (one
    paragraph per line), with the line it opens on; None if none is found."""
    opened: list[tuple[str, int]] = []
    try:
        tokens = [token for token in environment().lex(source) if token[1] != "whitespace"]
    except jinja2.TemplateSyntaxError:
        return None
    for index, (line, kind, _) in enumerate(tokens[:-1]):
        if line > until:
            break
        if kind != "block_begin" or tokens[index + 1][1] != "name":
            continue
        name = tokens[index + 1][2]
        if name in _BLOCK_TAGS or (name == "set" and not _assigns(tokens, index + 2)):
            opened.append((name, line))
        elif name.startswith("end") and opened:
            if name[3:] not in _BLOCK_TAGS | {"set"}:
                return None  # a misspelt tag ('endfo'): Jinja's own message names it where it is
            if opened[-1][0] != name[3:]:
                break  # the end tag Jinja stops at: the innermost open block is the one meant
            opened.pop()
    return opened[-1] if opened else None


def _unclosed(source: str, exc: jinja2.TemplateSyntaxError, tag: str, line: int) -> str:
    """The message for a block tag opened on ``line`` and not closed where Jinja noticed."""
    where = paragraph_text(source, line)
    typed = re.findall(r"\{%-?\s*" + tag + r"\b.*?%\}", where)
    shown = f"the tag {typed[-1]!r}" if typed else f"the {{% {tag} %}}"
    message = exc.message or ""
    if message.startswith("Unexpected end of template"):
        return (
            f"{shown} in the paragraph {where!r} is never closed; close it with {{% end{tag} %}} where "
            f"the part it governs ends (in a paragraph of text, or as a paragraph '{{%p end{tag} %}}' of its own)"
        )
    found = re.search(r"unknown tag '(\w+)'", message)
    other = f"{{% {found.group(1)} %}}" if found else "closing tag"
    there = (
        "after it in the same paragraph"
        if (exc.lineno or line) == line
        else f"in the paragraph {paragraph_text(source, exc.lineno or line)!r}"
    )
    return (
        f"{shown} in the paragraph {where!r} is still open at the {other} {there}; "
        f"close it with {{% end{tag} %}} before that"
    )


def _assigns(tokens: list[tuple[int, str, str]], start: int) -> bool:
    """Whether the {% set %} tag from ``start`` holds '=' (no block of its own)."""
    for _, kind, value in tokens[start:]:
        if kind == "block_end":
            return False
        if kind == "operator" and value == "=":
            return True
    return False


def _check_delimiters(origin: str, name: str, xml: str) -> None:
    """Every paragraph closes the tags it opens; docxtpl would swallow text otherwise."""
    for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL):
        text = re.sub(r"<[^>]+>", "", paragraph)
        for opening, closing in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
            if text.count(opening) != text.count(closing):
                raise TemplateError(
                    f"{origin}: {name}: the paragraph {text.strip()[:120]!r} opens "
                    f"{opening} and closes {closing} a different number of times; "
                    f"write each placeholder as {opening} ... {closing} within one paragraph"
                )


def _open(source: bytes, origin: str) -> DocxTemplate:
    """A DocxTemplate over ``source`` with its document loaded; TemplateError if it won't open."""
    document = DocxTemplate(io.BytesIO(source))
    try:
        document.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise TemplateError(
            f"{origin}: cannot be opened as a Word document ({type(exc).__name__}: {exc}); "
            "save it from Word or LibreOffice as 'Word Document (.docx)', not .docm or .dotx"
        ) from exc
    return document


def _unknown_message(origin: str, part: str, name: str, source: str) -> str:
    """Say which placeholder is unknown, where, what was probably meant, what exists."""
    line = next((n for n, text in enumerate(source.splitlines(), 1) if name in text), 1)
    guess = difflib.get_close_matches(name, PLACEHOLDERS, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else ""
    return (
        f"{origin}: {part}: placeholder '{name}' is not known (in the paragraph "
        f"{paragraph_text(source, line)!r}){hint} Available: {', '.join(sorted(PLACEHOLDERS))}"
    )


# --- deterministic output ------------------------------------------------------------------


def deterministic_zip(data: bytes) -> bytes:
    """Re-zip a .docx with a fixed entry order, timestamps and attributes."""
    return build_zip(read_zip(data))
