"""Fill a Word template per letter without reopening it: docxtpl's steps, prepared once.

docxtpl renders a template by parsing the whole package with python-docx, patching
and compiling the XML of the body, headers, footers and footnotes, rendering them
and saving every part again. For a mail merge all but the rendering is the same for
every letter, so ``PreparedTemplate`` does it once per template:

- each part docxtpl renders is patched by docxtpl's own ``patch_xml``, split into one
  paragraph per line as docxtpl splits it, and compiled once;
- every other part is kept as python-docx saves it, already deflated (``package.Entry``);
- core.xml is kept as python-docx writes it with stand-in values for the letter's
  properties; styles.xml is serialised once per locale.

``PreparedTemplate.fill`` renders the compiled parts with a letter's context and
applies what docxtpl applies after rendering — the line splits undone, the ``{_{``
escapes, ``resolve_listing`` (tabs and newlines), then for the body ``fix_tables`` and
the ``docPr`` ids (``body.DocumentWriter``) — serialises each part as python-docx does
(``etree.tostring(..., encoding="UTF-8", standalone=True)``) and writes the zip
(``package.write_zip``). Work that gives the same bytes as for an earlier letter is
not done again: a header or footer is rendered once per distinct value of the names
it reads, a body paragraph or table is serialised once, styles.xml once per locale.
The result is byte for byte what ``DocxTemplate.render`` + ``save`` + a re-zip gives.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

import jinja2
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import meta
from lxml import etree

from ..errors import TemplateError
from ..letter import Letter
from ..part_cache import TEMPLATES
from ..skeleton import analyse
from .body import MARK, DocumentWriter, mark_top_level
from .docx_skeleton import Skeletons
from .package import Entry, PendingZip, deflate, entry_order, read_zip
from .typography import no_break_hyphens

BODY, HEADER_FOOTER, FOOTNOTES = "body", "header/footer", "footnotes"
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl renders these

_SPLIT = re.compile(r"<w:p([ >])")
_PARAGRAPH = re.compile(rb"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING = (b"\t", b"\a", b"\n", b"\f")  # what docxtpl's resolve_listing turns into markup
_UNESCAPES = ((b"{_{", b"{{"), (b"}_}", b"}}"), (b"{_%", b"{%"), (b"%_}", b"%}"))
_WHITESPACE_CONTROL = re.compile(r"[{][{%#]-|-[}%#][}]")
_DOCXTPL = DocxTemplate(io.BytesIO())  # only for docxtpl's stateless helpers

# Stand-ins for the per-letter core properties: written once through python-docx,
# then replaced in the serialised bytes by the letter's (escaped) values.
_STAND_INS = {"author": "\ue000author\ue000", "title": "\ue000title\ue000", "language": "\ue000lang\ue000"}
_STAND_IN_DATE = datetime(1901, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # python-docx's W3CDTF
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))  # lxml's, for text
_RECENT_LIMIT = 256


@dataclass(frozen=True)
class TemplatePart:
    """One part docxtpl renders: package name, kind, XML as docxtpl reads it, Jinja source."""

    name: str
    kind: str
    xml: str
    source: str


@dataclass(frozen=True)
class _Compiled:
    """A template part, its compiled Jinja template and the context names it reads."""

    part: TemplatePart
    template: jinja2.Template
    names: tuple[str, ...] = ()
    skeletons: Skeletons | None = None  # the marked body only


def template_parts(document: Any) -> list[TemplatePart]:
    """The parts of an opened ``DocxTemplate`` that docxtpl renders, in its order."""
    docx = document.docx
    parts = [_template_part(docx.part.partname, BODY, document.xml_to_string(docx.element.body))]
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        for _key, part in document.get_headers_footers(uri):
            parts.append(_template_part(part.partname, HEADER_FOOTER, document.get_part_xml(part)))
    for part in docx.part.package.parts:
        if part.content_type == CONTENT_TYPE.WML_FOOTNOTES and isinstance(part.blob, bytes):
            parts.append(_template_part(part.partname, FOOTNOTES, part.blob.decode("utf-8")))
    unique = {part.name: part for part in reversed(parts)}  # a part related twice renders once
    return [part for part in parts if unique[part.name] is part]


def part_key(xml: str, environment: jinja2.Environment | None = None) -> str:
    """The key of what is kept of a template part between runs (``part_cache.TEMPLATES``):
    a digest of its XML, and of the settings of the Jinja ``environment`` where they decide
    the result (parsing, compiling): code compiled for another environment is not served."""
    mark = "" if environment is None else _environment_mark(environment)
    return hashlib.blake2b(f"{mark}\0{xml}".encode(), digest_size=20).hexdigest()


def _environment_mark(environment: jinja2.Environment) -> str:
    def named(value: object) -> str:
        if value is None or isinstance(value, (bool, str, int)):
            return repr(value)
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__qualname__)}"

    e = environment
    settings = (
        named(type(e)), named(e.undefined), named(e.autoescape), named(e.finalize), e.block_start_string,
        e.block_end_string, e.variable_start_string, e.variable_end_string, e.comment_start_string,
        e.comment_end_string, e.line_statement_prefix, e.line_comment_prefix, e.trim_blocks,
        e.lstrip_blocks, e.newline_sequence, e.keep_trailing_newline, e.optimized, sorted(e.extensions),
    )  # fmt: skip
    return repr(settings)


def _template_part(partname: object, kind: str, xml: str, kept: bool = True) -> TemplatePart:
    """Patch ``xml`` as docxtpl does and put each paragraph on its own line (``kept``: kept
    between runs, ``part_cache.TEMPLATES``, with what else is worked out of a template's
    part; not for a part made of one letter's rendering)."""
    key = part_key(xml) if kept else ""
    source = TEMPLATES.get(key, "source") if kept else None
    if not isinstance(source, str):
        source = _jinja_source(xml)
        if kept:
            TEMPLATES.keep(key, "source", source)
    return TemplatePart(str(partname).lstrip("/"), kind, xml, source)


def _jinja_source(xml: str) -> str:
    """docxtpl's Jinja source for a part: ``patch_xml``, then one paragraph per line."""
    return _SPLIT.sub(r"\n<w:p\1", _DOCXTPL.patch_xml(xml))


def paragraph_text(source: str, lineno: int) -> str:
    """The visible text of the paragraph on one line of a part's Jinja source."""
    lines = source.splitlines()
    line = lines[min(max(lineno, 1), len(lines)) - 1] if lines else ""
    return re.sub(r"<[^>]+>", "", line).strip()[:120]


class PreparedTemplate:
    """A template compiled once; ``fill`` turns a letter's context into .docx bytes."""

    def __init__(
        self,
        document: Any,
        parts: list[TemplatePart],
        environment: jinja2.Environment,
        origin: str,
        parsed: Mapping[str, tuple[jinja2.nodes.Template | None, tuple[str, ...]]] | None = None,
    ) -> None:
        """``parsed``: the names each part reads, and its syntax tree if it was parsed, by
        part name, where the caller has them already (the template's check)."""
        self.origin = origin
        self._environment = environment
        footnotes = any(part.kind == FOOTNOTES for part in parts)
        body_open = None if footnotes else _marked_body(parts[0])
        known = parsed or {}
        self._parts = [
            _compile(part, environment, body_open is not None, known.get(part.name)) for part in parts
        ]
        self._properties = _compile_properties(document, environment, origin)
        core_name, styles_name = _stamp_stand_ins(document)
        saved = _saved_parts(document)
        self._core = _split_core(saved[core_name])
        self._core_name, self._styles_name = core_name, styles_name
        self._styles_element = copy.deepcopy(
            document.docx.part.part_related_by(RELATIONSHIP_TYPE.STYLES).element
        )
        self._document = DocumentWriter(document.docx.element, body_open, footnotes)
        changing = {part.name for part in parts} | {core_name, styles_name}
        self._static = {name: deflate(name, data) for name, data in saved.items() if name not in changing}
        self._footnotes_static = {part.name: saved[part.name] for part in parts if part.kind == FOOTNOTES}
        self._order = entry_order(saved)
        self._styles: dict[str, Entry] = {}
        self._recent: dict[tuple[str, bytes], Entry] = {}
        self._headers_footers: dict[tuple[object, ...], Entry] = {}
        # every header and footer at once, by the values of all the names they read (one key
        # a letter, not one per part: the parts share most names, the sender's)
        self._letterheads = [compiled for compiled in self._parts if compiled.part.kind == HEADER_FOOTER]
        self._letterhead_names = tuple(sorted({name for compiled in self._letterheads for name in compiled.names}))
        self._letterhead_sets: dict[tuple[object, ...], dict[str, Entry]] = {}

    def fill(self, context: dict[str, Any], letter: Letter) -> bytes:
        """The .docx bytes of the template rendered with ``context`` and stamped for ``letter``.

        The context must have passed ``docx.check_text`` (no control characters).
        """
        return self.fill_later(context, letter).bytes()

    def fill_later(self, context: dict[str, Any], letter: Letter) -> PendingZip:
        """``fill`` up to the compression of the parts made for this letter alone (the body
        and core.xml): ``bytes()`` of the result does that and gives the same bytes."""
        parts: dict[str, Entry | tuple[str, bytes]] = {}
        sections = 1
        letterheads = self._all_headers_footers(context) if self._letterheads else {}
        for compiled in self._parts:
            name = compiled.part.name
            if compiled.part.kind == HEADER_FOOTER:
                parts[name] = letterheads[name]
            elif compiled.part.kind == BODY:
                data, sections = self._body(compiled, context)
                parts[name] = (name, data)
            else:
                xml = self._render(compiled, context)
                parts[name] = (name, self._footnotes(name, xml, context, sections))
        for template in self._properties:
            self._render_property(template, context)
        core = self._core_xml(letter)
        parts[self._core_name] = self._recent.get((self._core_name, core)) or (self._core_name, core)
        parts[self._styles_name] = self._styles_entry(letter.locale)
        order = [parts.get(name) or self._static[name] for name in self._order]
        return PendingZip(order, self._remember)

    def _remember(self, entry: Entry, data: bytes) -> None:
        """Keep core.xml's compressed entry: it repeats within a merge (same sender, date)."""
        if entry.name == self._core_name:
            if len(self._recent) >= _RECENT_LIMIT:
                self._recent.clear()
            self._recent[(entry.name, data)] = entry

    # --- per letter ------------------------------------------------------------------------

    def _render(self, compiled: _Compiled, context: dict[str, Any]) -> bytes:
        """docxtpl's ``render_xml_part`` with the compiled template, UTF-8; errors name the part."""
        try:
            return _finish(compiled.template.render(context))
        except jinja2.UndefinedError as exc:
            labels = sorted(context.get("labels") or ())
            raise TemplateError(
                f"{self.origin}: {compiled.part.name}: the template uses a value the letter does not "
                f"have: {exc.message}{_where(compiled, exc)}; check the placeholder's spelling "
                f"(labels present: {labels})"
            ) from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(
                f"{self.origin}: {compiled.part.name}: the template cannot be filled: {exc}{_where(compiled, exc)}"
            ) from exc

    def _body(self, compiled: _Compiled, context: dict[str, Any]) -> tuple[bytes, int]:
        """document.xml and its number of sections: filled into the skeleton of the letter's
        structure when there is one (``skeleton.Skeletons``), otherwise rendered."""
        skeletons = compiled.skeletons
        split = skeletons.split(context) if skeletons is not None else None
        if skeletons is not None and split is not None:
            filled = skeletons.fill(*split)
            if filled is not None:
                return filled, 1
        data, sections = self._document.write(self._render(compiled, context))
        if skeletons is not None and split is not None and skeletons.wants(split[0]):
            try:
                tokened = self._document.write(self._render(compiled, skeletons.stand_in(context)))[0]
            except TemplateError:
                tokened = b""
            skeletons.learn(*split, tokened, data)
        return data, sections

    def _all_headers_footers(self, context: dict[str, Any]) -> dict[str, Entry]:
        """Every header and footer by part name, remembered by the values of all the names
        they read (``_freeze``d as ``_cache_key`` does); each one through ``_header_footer``
        when the set is new, or when a value cannot be a key."""
        try:
            key: tuple[object, ...] | None = tuple(
                [_freeze(context.get(name)) for name in self._letterhead_names]
            )
            hash(key)
        except TypeError:
            key = None
        found = None if key is None else self._letterhead_sets.get(key)
        if found is None:
            found = {compiled.part.name: self._header_footer(compiled, context) for compiled in self._letterheads}
            if key is not None:
                if len(self._letterhead_sets) >= _RECENT_LIMIT:
                    self._letterhead_sets.clear()
                self._letterhead_sets[key] = found
        return found

    def _header_footer(self, compiled: _Compiled, context: dict[str, Any]) -> Entry:
        """A header or footer, rendered once per distinct value of the names it reads.

        Letters of one sender share their letterhead and footer, so most letters of a
        mail merge reuse the compressed part of the first.
        """
        key = _cache_key(compiled, context)
        entry = None if key is None else self._headers_footers.get(key)
        if entry is None:
            xml = self._render(compiled, context)
            entry = deflate(compiled.part.name, self._xml_part(compiled.part.name, xml))
            if key is not None:
                if len(self._headers_footers) >= _RECENT_LIMIT:
                    self._headers_footers.clear()
                self._headers_footers[key] = entry
        return entry

    def _xml_part(self, name: str, xml: bytes) -> bytes:
        """A rendered part as python-docx loads (``XmlPart.load``) and saves it."""
        try:
            element = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True, resolve_entities=False))
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                f"{self.origin}: {name}: filling the template gave broken XML ({exc}); a tag such as "
                "{{ x|safe }} must not insert raw markup"
            ) from exc
        return etree.tostring(element, encoding="UTF-8", standalone=True)

    def _footnotes(self, name: str, xml: bytes, context: dict[str, Any], sections: int) -> bytes:
        """The footnotes as docxtpl's ``render_footnotes`` leaves them: rendered once per section."""
        if sections == 0:
            return self._footnotes_static[name]
        for _ in range(sections - 1):
            part = _template_part(name, FOOTNOTES, xml.decode("utf-8"), kept=False)
            xml = self._render(self._recompile(part), context)
        return xml

    def _recompile(self, part: TemplatePart) -> _Compiled:
        """Compile a rendered part again (the footnotes of a template with several sections)."""
        try:
            return _compile(part, self._environment, kept=False)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{self.origin}: {part.name}: the template cannot be filled: {exc}") from exc

    def _render_property(self, template: jinja2.Template, context: dict[str, Any]) -> None:
        """docxtpl renders some core properties; the stamp replaces them, but errors count."""
        try:
            template.render(context)
        except jinja2.TemplateError as exc:
            raise TemplateError(
                f"{self.origin}: docProps/core.xml: a document property cannot be filled: {exc}"
            ) from exc

    def _core_xml(self, letter: Letter) -> bytes:
        """core.xml with the letter's author, title, date and language."""
        values = {
            "author": _text(letter.sender_name),
            "title": _text(letter.subject),
            "language": _text(letter.locale),
            "date": _stamp_date(letter.date),
        }
        return b"".join([values[piece] if odd else piece for odd, piece in self._core])

    def _styles_entry(self, locale: str) -> Entry:
        """styles.xml with the document language set to ``locale`` (cached per locale)."""
        entry = self._styles.get(locale)
        if entry is None:
            element = copy.deepcopy(self._styles_element)
            set_language(element, locale)
            entry = deflate(self._styles_name, etree.tostring(element, encoding="UTF-8", standalone=True))
            if len(self._styles) >= 32:
                self._styles.clear()
            self._styles[locale] = entry
        return entry


# --- preparation ---------------------------------------------------------------------------


def _compile_properties(document: Any, environment: jinja2.Environment, origin: str) -> list[jinja2.Template]:
    """The core properties docxtpl renders that hold a tag (accessing them creates core.xml).

    docxtpl writes each rendered value back, which adds the missing elements in this
    order; setting the current values does the same (the stamp replaces them all).
    """
    properties = document.docx.core_properties
    templates = []
    for name in PROPERTIES:
        value = getattr(properties, name)
        setattr(properties, name, value)
        if "{" in value:
            try:
                templates.append(environment.from_string(value))
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"{origin}: docProps/core.xml: the document property '{name}' has a template "
                    f"syntax error: {exc.message}; correct it in File > Properties"
                ) from exc
    return templates


def stamp_properties(properties: Any, author: str, title: str, language: str, when: datetime) -> None:
    """Set the document properties letterkit fixes (python-docx ``CoreProperties``)."""
    properties.author = properties.last_modified_by = author
    properties.title = title
    properties.subject = properties.comments = properties.keywords = properties.category = ""
    properties.content_status = properties.identifier = properties.version = ""
    properties.language = language
    properties.created = properties.modified = when
    properties.revision = 1


def set_language(styles: Any, locale: str) -> None:
    """Set the default run language of a styles element, as Word's spelling uses it."""
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    run_props = defaults.find(qn("w:rPr")) if defaults is not None else None
    if run_props is not None:
        lang = run_props.find(qn("w:lang"))
        if lang is None:
            lang = etree.SubElement(run_props, qn("w:lang"))
        lang.set(qn("w:val"), locale)


def _stamp_stand_ins(document: Any) -> tuple[str, str]:
    """Stamp stand-in values into core.xml; the names of the core and styles parts."""
    docx = document.docx
    stamp_properties(
        docx.core_properties,
        _STAND_INS["author"],
        _STAND_INS["title"],
        _STAND_INS["language"],
        _STAND_IN_DATE,
    )
    docx.styles  # noqa: B018 - creates a styles part when the template has none, as the stamp does
    core = docx.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    styles = docx.part.part_related_by(RELATIONSHIP_TYPE.STYLES)
    return str(core.partname).lstrip("/"), str(styles.partname).lstrip("/")


def _saved_parts(document: Any) -> dict[str, bytes]:
    """Every part as python-docx saves the (unrendered, stamped) template."""
    buffer = io.BytesIO()
    document.docx.save(buffer)
    return read_zip(buffer.getvalue())


def _split_core(core: bytes) -> list[tuple[bool, Any]]:
    """core.xml cut at the stand-ins: (False, literal bytes) and (True, "author"), ... (the
    stand-in's name as text, looked up as it is for every letter)"""
    marks = {value.encode(): key for key, value in _STAND_INS.items()}
    marks[_STAND_IN_DATE.strftime(_DATE_FORMAT).encode()] = "date"
    pattern = re.compile(b"(" + b"|".join(re.escape(mark) for mark in marks) + b")")
    pieces = pattern.split(core)
    return [
        (bool(index % 2), marks[piece] if index % 2 else piece) for index, piece in enumerate(pieces)
    ]


def _compile(
    part: TemplatePart,
    environment: jinja2.Environment,
    marked: bool = False,
    parsed: tuple[jinja2.nodes.Template | None, tuple[str, ...]] | None = None,
    kept: bool = True,
) -> _Compiled:
    """Compile a part once, noting the context names it reads (the body with its marks);
    ``parsed``: the names, and its syntax tree if it was parsed, when they are known already.
    The code, and the body's skeleton analysis, are kept between runs (by the part's XML),
    unless ``kept`` is false (a part made of one letter's rendering)."""
    syntax, names = parsed if parsed is not None else (None, None)
    if names is None:
        syntax = environment.parse(part.source)
        names = tuple(sorted(meta.find_undeclared_variables(syntax)))
    if not kept:
        template = environment.from_string(syntax if syntax is not None else part.source)
        return _Compiled(part, template, names)
    skeletons = None
    key = part_key(part.xml, environment)
    if marked and part.kind == BODY:
        code = TEMPLATES.code(key, "marked code")
        analysed, usage = TEMPLATES.usage(key, "marked usage")
        if code is None or not analysed:
            marked_syntax = environment.parse(_jinja_source(mark_top_level(part.xml)))
            usage = analyse(marked_syntax)
            code = environment.compile(marked_syntax)
            TEMPLATES.keep_code(key, code, "marked code")
            TEMPLATES.keep_usage(key, usage, "marked usage")
        if usage is not None and environment.autoescape is True and environment.finalize is not None:
            skeletons = Skeletons(usage, environment.finalize)
    else:
        code = TEMPLATES.code(key)
        if code is None:
            code = environment.compile(syntax if syntax is not None else environment.parse(part.source))
            TEMPLATES.keep_code(key, code)
    template = environment.template_class.from_code(environment, code, environment.make_globals(None), None)
    return _Compiled(part, template, names, skeletons)


def _marked_body(part: TemplatePart) -> str | None:
    """The body's start tag when the body can render with marks between its children.

    The marks must change nothing but themselves: docxtpl's patches give the same
    source without them, and no whitespace control (``{%-``) can strip next to them.
    """
    key = part_key(part.xml)
    known = TEMPLATES.get(key, "marked open")
    if isinstance(known, str):
        return known or None
    marked = mark_top_level(part.xml)
    source = _jinja_source(marked)
    found = None
    if MARK in marked and source.replace(MARK, "") == part.source and not _WHITESPACE_CONTROL.search(source):
        found = marked[: marked.index(MARK)]
    TEMPLATES.keep(key, "marked open", found or "")
    return found


def _cache_key(compiled: _Compiled, context: dict[str, Any]) -> tuple[object, ...] | None:
    """The part and the values of the names it reads, hashable; None if a value is not."""
    key = (compiled.part.name, *(_freeze(context.get(name)) for name in compiled.names))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _freeze(value: object) -> object:
    """A hashable stand-in for a context value: equal only if it renders the same."""
    if type(value) is str:
        return value
    if isinstance(value, (list, tuple)):
        if _TEXTS.issuperset(map(type, value)):  # the footer's lines: taken as they are
            return (type(value), _ALL_TEXT, tuple(value))
        return (type(value), *(_freeze(item) for item in value))
    if isinstance(value, dict):
        items = tuple(value.items())
        if _TEXTS.issuperset(map(type, value.values())) and _TEXTS.issuperset(map(type, value)):
            return (type(value), _ALL_TEXT, items)  # the labels
        return (type(value), *((_freeze(key), _freeze(item)) for key, item in items))
    return (type(value), value)


_TEXTS = frozenset({str})
_ALL_TEXT = object()  # marks a stand-in of text items kept as they are (never an item's own)


def _finish(xml: str) -> bytes:
    """What docxtpl's ``render_xml_part`` does after rendering, on the UTF-8 bytes (faster)."""
    data = xml.encode("utf-8")
    data = data.replace(b"\n<w:p ", b"<w:p ").replace(b"\n<w:p>", b"<w:p>")
    if b"{_" in data or b"_}" in data:  # every docxtpl escape holds one of the two
        for escaped, plain in _UNESCAPES:
            data = data.replace(escaped, plain)
    if any(char in data for char in _LISTING):
        data = b"".join(_resolve_listing(data))
    return no_break_hyphens(data)


def _resolve_listing(xml: bytes) -> Iterator[bytes]:
    """docxtpl's ``resolve_listing``, applied only to the paragraphs that need it."""
    end = 0
    for match in _PARAGRAPH.finditer(xml):
        paragraph = match.group()
        if any(char in paragraph for char in _LISTING):
            yield xml[end : match.start()]
            yield _DOCXTPL.resolve_listing(paragraph.decode("utf-8")).encode("utf-8")
            end = match.end()
    yield xml[end:]


@lru_cache(maxsize=64)
def _stamp_date(day: date) -> bytes:
    """The letter's date as core.xml states it (midnight UTC): once per date, not per letter."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).strftime(_DATE_FORMAT).encode()


@lru_cache(maxsize=1024)  # the author and the language are the same in every letter of a merge
def _text(value: str) -> bytes:
    """``value`` escaped as lxml escapes element text, UTF-8."""
    for char, escaped in _TEXT_ESCAPES:
        value = value.replace(char, escaped)
    return value.encode("utf-8")


def _where(compiled: _Compiled, exc: BaseException) -> str:
    """ ", in the paragraph '...'" for the template line an error was raised on, if known."""
    line = getattr(exc, "lineno", None)
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return f", in the paragraph {paragraph_text(compiled.part.source, line)!r}" if line else ""
