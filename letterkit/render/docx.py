"""Render a Letter as a Word document (.docx) through a docxtpl template.

The built-in templates (``templates/<lang>/letter.docx``, built by
``scripts/build_templates.py``) and a user's own letterhead share one placeholder
contract, ``PLACEHOLDERS``, documented in ``docs/templates.md``.

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
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from ..errors import RenderError, TemplateError
from ..letter import Letter
from ..resources import template_path

PLACEHOLDERS: tuple[str, ...] = (
    "sender_line", "sender_address", "recipient_address", "references", "date_line",
    "subject", "salutation", "blocks", "closing", "signature", "enclosures_label",
    "enclosures", "footer", "labels", "sender_name", "sender_email", "recipient_name",
    "recipient_email", "locale", "lang",
)  # fmt: skip

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")

# Characters XML 1.0 cannot hold (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F).
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# docxtpl turns these sequences into Jinja delimiters after rendering; a character
# reference for the underscore keeps a value such as "{_{" exactly as the user wrote it.
_DOCXTPL_ESCAPES = {"{_{": "{&#95;{", "}_}": "}&#95;}", "{_%": "{&#95;%", "%_}": "%&#95;}"}


def render_docx(letter: Letter, template: Path | None = None) -> bytes:
    """The letter as .docx bytes, in the built-in layout for its language or in ``template``."""
    check_text(letter)
    if template is None:
        path = template_path(letter.lang, "letter.docx")
        source, origin = _builtin_source(path), f"built-in template {path}"
    else:
        source, origin = _user_source(Path(template)), str(template)
    _check_placeholders(source, origin)
    document = _render(source, build_context(letter), origin)
    _stamp(document, letter)
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def build_context(letter: Letter) -> dict[str, Any]:
    """The template context: every name of ``PLACEHOLDERS`` (lists, not tuples; no None)."""
    return {
        "sender_line": letter.sender_line,
        "sender_address": list(letter.sender_address),
        "recipient_address": list(letter.recipient_address),
        "references": list(letter.references),
        "date_line": letter.date_line,
        "subject": letter.subject,
        "salutation": letter.salutation,
        "blocks": list(letter.blocks),
        "closing": letter.closing,
        "signature": list(letter.signature),
        "enclosures_label": letter.enclosures_label,
        "enclosures": list(letter.enclosures),
        "footer": list(letter.footer),
        "labels": dict(letter.labels),
        "sender_name": letter.sender_name,
        "sender_email": letter.sender_email or "",
        "recipient_name": letter.recipient_name,
        "recipient_email": letter.recipient_email or "",
        "locale": letter.locale,
        "lang": letter.lang,
    }


def check_text(letter: Letter) -> None:
    """Refuse text a Word document cannot hold, naming the field (nothing is stripped)."""
    for path, text in _texts("Letter", letter):
        found = _ILLEGAL.search(text)
        if found:
            raise RenderError(
                f"{path} contains the control character U+{ord(found.group()):04X} at "
                f"position {found.start()}, which a Word document cannot hold; "
                "remove it from the input"
            )


def _texts(path: str, value: object) -> Iterator[tuple[str, str]]:
    """Every string inside ``value`` with its path, e.g. ``Letter.blocks[2].text``."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _texts(f"{path}[{index}]", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(f"{path} key {key!r}", key)
            yield from _texts(f"{path}[{key!r}]", item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(f"{path}.{field.name}", getattr(value, field.name))


# --- templates -----------------------------------------------------------------------------


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
    """A user's letterhead: readable, a zip, and a Word document, else TemplateError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(
            f"{path}: the template cannot be read ({exc.strerror or exc}); "
            "check the path given as the template"
        ) from exc
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile as exc:
        raise TemplateError(
            f"{path}: not a Word document (the file is not a .docx zip package); "
            "save it from Word or LibreOffice as 'Word Document (.docx)'"
        ) from exc
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        raise TemplateError(
            f"{path}: a zip file but not a Word document (no word/document.xml); "
            "save it from Word or LibreOffice as 'Word Document (.docx)'"
        )
    return data


class _Environment(SandboxedEnvironment):
    """Sandboxed, strict, autoescaping; compiles each template source only once.

    docxtpl compiles every part of the template on every render; the sources are the
    same for every letter, so caching the compiled templates halves the render time.
    """

    cache_limit = 64

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_finalize)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """``Environment.from_string``, cached for plain string sources."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) >= self.cache_limit:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


@lru_cache(maxsize=1)
def _environment() -> _Environment:
    """The one Jinja environment of the process."""
    return _Environment()


def _finalize(value: object) -> object:
    """XML-escape a printed string and protect it from docxtpl's delimiter unescaping."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    text = str(escape(value))
    for sequence, protected in _DOCXTPL_ESCAPES.items():
        text = text.replace(sequence, protected)
    return Markup(text)


def _parts(document: DocxTemplate) -> Iterator[tuple[str, str]]:
    """(part name, XML) of the body, headers and footers: the parts docxtpl renders."""
    yield "word/document.xml", document.xml_to_string(document.docx._element.body)
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        for _key, part in document.get_headers_footers(uri):
            yield str(part.partname).lstrip("/"), document.get_part_xml(part)


@lru_cache(maxsize=16)
def _check_placeholders(source: bytes, origin: str) -> None:
    """Check every part once per template: tags, Jinja syntax, unknown placeholders."""
    document = _open(source, origin)
    environment = _environment()
    for name, raw in _parts(document):
        _check_delimiters(origin, name, raw)
        # one line per paragraph, as docxtpl renders it, so errors point at a paragraph
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(raw))
        try:
            names = meta.find_undeclared_variables(environment.parse(xml))
        except jinja2.TemplateSyntaxError as exc:
            near = _paragraph_text(xml, exc.lineno)
            raise TemplateError(
                f"{origin}: {name}: template syntax error: {exc.message}, in the paragraph "
                f"{near!r}; correct the {{{{ }}}} / {{% %}} tags there"
            ) from exc
        unknown = sorted(names - set(PLACEHOLDERS))
        if unknown:
            raise TemplateError(_unknown_message(origin, name, unknown[0], xml))


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


def _paragraph_text(xml: str, lineno: int) -> str:
    """The visible text of the paragraph on one line of the per-paragraph source."""
    lines = xml.splitlines()
    line = lines[min(max(lineno, 1), len(lines)) - 1] if lines else ""
    return re.sub(r"<[^>]+>", "", line).strip()[:120]


def _unknown_message(origin: str, part: str, name: str, xml: str) -> str:
    """Say which placeholder is unknown, where, what was probably meant, what exists."""
    line = next((n for n, text in enumerate(xml.splitlines(), 1) if name in text), 1)
    guess = difflib.get_close_matches(name, PLACEHOLDERS, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else ""
    return (
        f"{origin}: {part}: placeholder '{name}' is not known (in the paragraph "
        f"{_paragraph_text(xml, line)!r}){hint} Available: {', '.join(sorted(PLACEHOLDERS))}"
    )


def _render(source: bytes, context: dict[str, Any], origin: str) -> DocxTemplate:
    """Fill the template; a placeholder the data cannot satisfy is a TemplateError."""
    document = _open(source, origin)
    try:
        document.render(context, jinja_env=_environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"{origin}: the template uses a value the letter does not have: {exc.message}; "
            f"check the placeholder's spelling (labels present: {sorted(context['labels'])})"
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{origin}: the template cannot be filled: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise TemplateError(
            f"{origin}: filling the template gave broken XML ({exc}); a tag such as "
            "{{ x|safe }} must not insert raw markup"
        ) from exc
    return document


# --- deterministic output ------------------------------------------------------------------


def _stamp(document: DocxTemplate, letter: Letter) -> None:
    """Fixed document properties from the letter, and the letter's language for spelling."""
    when = datetime(letter.date.year, letter.date.month, letter.date.day, tzinfo=timezone.utc)
    props = document.docx.core_properties
    props.author = props.last_modified_by = letter.sender_name
    props.title = letter.subject
    props.subject = props.comments = props.keywords = props.category = ""
    props.content_status = props.identifier = props.version = ""
    props.language = letter.locale
    props.created = props.modified = when
    props.revision = 1
    defaults = document.docx.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    run_props = defaults.find(qn("w:rPr")) if defaults is not None else None
    if run_props is not None:
        lang = run_props.find(qn("w:lang"))
        if lang is None:
            lang = etree.SubElement(run_props, qn("w:lang"))
        lang.set(qn("w:val"), letter.locale)


def deterministic_zip(data: bytes) -> bytes:
    """Re-zip a .docx with a fixed entry order, timestamps and attributes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    order = [name for name in FIRST_ENTRIES if name in entries]
    order += sorted(name for name in entries if name not in FIRST_ENTRIES)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=6)
    return buffer.getvalue()
