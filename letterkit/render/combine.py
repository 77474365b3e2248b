"""Combine letters (.docx bytes) into one .docx: each letter its own section on a new page.

The first letter's package is the base: its styles, settings, fonts and properties
serve the whole document. Every letter keeps its own section properties (page size,
margins, "different first page") and its own headers and footers, copied as new
parts: the letter's last paragraph carries its ``w:sectPr`` as a section break, the
last letter's stays at the end of the body. Page numbers restart at 1 in every
section, and ``NUMPAGES`` in headers and footers becomes ``SECTIONPAGES``, so
"Seite 2 von 3" counts the pages of each letter rather than of the whole document.

Streaming: each letter's body is parsed once, its relationship, drawing and bookmark
ids renumbered, and serialised as one chunk; document.xml is the concatenation of the
chunks, so the work grows linearly with the number of letters (about 1 ms a letter).
Identical parts (the same header in every letter, a logo) are compressed once, and
the output is deterministic. Letters from different templates combine too, but
styles, numbering and footnotes are the first letter's (letterkit's letters use no
numbering or footnotes).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, TypeVar, cast

from lxml import etree

from ..errors import RenderError
from .package import Entry, deflate, entry_order, write_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = f"{R}/officeDocument"

_SECTION_SUCCESSORS = tuple(
    f"{{{W}}}{name}"
    for name in (
        "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi",
        "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
    )
)  # fmt: skip
_FIELD_PAGES = re.compile(rb"(<w:instrText[^>]*>[^<]*|w:instr=\"[^\"]*)\bNUMPAGES\b")
_HEADER_FOOTER = (f"{R}/header", f"{R}/footer")
_T = TypeVar("_T")


@dataclass(frozen=True)
class _Relationship:
    """One relationship: type, target (absolute part name, or URL when external), mode."""

    type: str
    target: str
    external: bool


@dataclass
class _Package:
    """A .docx opened for reading: its zip, content types and relationships by source part."""

    archive: zipfile.ZipFile
    names: set[str]
    overrides: dict[str, str]
    defaults: dict[str, str]

    @classmethod
    def open(cls, data: bytes, number: int) -> _Package:
        """Open letter ``number``; RenderError if it is not a .docx package."""
        try:
            archive = zipfile.ZipFile(BytesIO(data))
            types = etree.fromstring(archive.read("[Content_Types].xml"))
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
            raise RenderError(f"letter {number} is not a Word document ({exc}); cannot combine it") from exc
        overrides = {
            e.get("PartName", "").lstrip("/"): e.get("ContentType", "")
            for e in types.iter(f"{{{CONTENT_TYPES}}}Override")
        }
        defaults = {
            e.get("Extension", "").lower(): e.get("ContentType", "")
            for e in types.iter(f"{{{CONTENT_TYPES}}}Default")
        }
        return cls(archive, set(archive.namelist()), overrides, defaults)

    def read(self, name: str) -> bytes:
        """The bytes of one part."""
        return self.archive.read(name)

    def content_type(self, name: str) -> str:
        """The content type of one part (override, else default by extension)."""
        return self.overrides.get(name) or self.defaults.get(
            name.rpartition(".")[2].lower(), "application/xml"
        )

    def relationships(self, source: str) -> dict[str, _Relationship]:
        """The relationships of part ``source`` ("" for the package) by id."""
        rels = _rels_name(source)
        if rels not in self.names:
            return {}
        found = {}
        for element in etree.fromstring(self.read(rels)).iter(f"{{{PKG_RELS}}}Relationship"):
            external = element.get("TargetMode") == "External"
            target = element.get("Target", "")
            found[element.get("Id", "")] = _Relationship(
                element.get("Type", ""), target if external else _resolve(source, target), external
            )
        return found

    def main_part(self) -> str:
        """The name of the main document part (normally word/document.xml)."""
        for relationship in self.relationships("").values():
            if relationship.type == OFFICE_DOCUMENT:
                return relationship.target
        raise RenderError("a letter has no main document part; cannot combine it")


@dataclass
class _Combined:
    """The document being built: kept parts of the first letter, copies, body chunks."""

    base: _Package
    main: str
    prefix: bytes
    nsmap: dict[str | None, str]
    parts: dict[str, Entry] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    relationships: dict[str, _Relationship] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)
    suffix: bytes = b""
    compressed: dict[bytes, Entry] = field(default_factory=dict)
    shared: dict[bytes, str] = field(default_factory=dict)
    next_id: int = 1
    numbers: dict[str, int] = field(default_factory=dict)  # the last drawing and bookmark ids


def combine_docx(documents: list[bytes]) -> bytes:
    """One .docx holding ``documents`` in order, each starting a new section on a new page."""
    if not documents:
        raise RenderError("no letters to combine")
    base = _Package.open(documents[0], 1)
    combined = _guarded(1, _start, base)
    for number, data in enumerate(documents, 1):
        package = base if number == 1 else _Package.open(data, number)
        _guarded(number, _append, combined, package, number, number == len(documents))
    return _finish(combined)


def _guarded(number: int, step: Callable[..., _T], *args: Any) -> _T:
    """Run one step on letter ``number``; a part missing or broken is a RenderError."""
    try:
        return step(*args)
    except (KeyError, etree.XMLSyntaxError) as exc:
        raise RenderError(
            f"letter {number} is not a complete Word document ({exc}); cannot combine it"
        ) from exc


# --- the base ------------------------------------------------------------------------------


def _start(base: _Package) -> _Combined:
    """The combined document with the first letter's document-level parts and relationships."""
    main = base.main_part()
    root = etree.fromstring(base.read(main))
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise RenderError("the first letter has no document body; cannot combine it")
    referenced = {str(value) for value in _relationship_ids(body)}
    for child in list(body):
        body.remove(child)
    tag = f"{body.prefix}:body" if body.prefix else "body"
    head, _, tail = etree.tostring(root, encoding="UTF-8", standalone=True).rpartition(f"<{tag}/>".encode())
    combined = _Combined(
        base, main, head + f"<{tag}>".encode(), dict(body.nsmap), suffix=f"</{tag}>".encode() + tail
    )
    combined.relationships = {
        rid: rel for rid, rel in base.relationships(main).items() if rid not in referenced
    }
    combined.next_id = 1 + max((_number(rid) for rid in combined.relationships), default=0)
    return combined


def _number(rid: str) -> int:
    """The number of an id such as ``rId7`` (0 for others)."""
    digits = re.fullmatch(r"rId(\d+)", rid)
    return int(digits.group(1)) if digits else 0


# --- one letter ----------------------------------------------------------------------------


def _append(combined: _Combined, package: _Package, number: int, last: bool) -> None:
    """Add one letter's body as a section, with copies of the parts it refers to."""
    main = package.main_part()
    root = etree.fromstring(package.read(main))
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise RenderError(f"letter {number} has no document body; cannot combine it")
    relationships = package.relationships(main)
    renamed: dict[str, str] = {}
    for attribute in _relationship_ids(body):
        old = str(attribute)
        if old not in renamed:
            renamed[old] = _relate(combined, package, relationships, old, number)
        attribute.getparent().set(attribute.attrname, renamed[old])
    _renumber(combined, body)
    _end_section(body, last)
    combined.chunks.append(_inner(body, combined.nsmap))


def _relationship_ids(body: Any) -> list[Any]:
    """Every attribute in the relationships namespace (r:id, r:embed, ...) below ``body``."""
    return cast("list[Any]", body.xpath(".//@r:*", namespaces={"r": R}))


def _relate(
    combined: _Combined, package: _Package, relationships: dict[str, _Relationship], rid: str, number: int
) -> str:
    """A new relationship of the combined document for a letter's ``rid``; its id."""
    relationship = relationships.get(rid)
    if relationship is None:
        raise RenderError(f"letter {number} refers to the relationship {rid!r}, which it lacks")
    while f"rId{combined.next_id}" in combined.relationships:
        combined.next_id += 1
    new_id = f"rId{combined.next_id}"
    target = relationship.target
    if not relationship.external:
        target = _copy_part(combined, package, target, number, relationship.type in _HEADER_FOOTER)
    combined.relationships[new_id] = _Relationship(relationship.type, target, relationship.external)
    return new_id


def _copy_part(combined: _Combined, package: _Package, name: str, number: int, header_footer: bool) -> str:
    """Copy a part and the parts it refers to; its new name (identical media are shared)."""
    data = package.read(name)
    if header_footer:
        data = _FIELD_PAGES.sub(rb"\1SECTIONPAGES", data)
    relationships = package.relationships(name)
    if not relationships and not header_footer:
        digest = hashlib.sha256(data).digest() + name.rpartition(".")[2].encode()
        if digest in combined.shared:
            return combined.shared[digest]
        new_name = combined.shared[digest] = _unique(combined, name, number)
    else:
        new_name = _unique(combined, name, number)
    combined.parts[new_name] = _compress(combined, new_name, data)
    combined.types[new_name] = package.content_type(name)
    if relationships:
        copied = {
            rid: rel
            if rel.external
            else _Relationship(rel.type, _copy_part(combined, package, rel.target, number, False), False)
            for rid, rel in relationships.items()
        }
        rels_name = _rels_name(new_name)
        combined.parts[rels_name] = _compress(combined, rels_name, _rels_xml(new_name, copied))
    return new_name


def _unique(combined: _Combined, name: str, number: int) -> str:
    """``word/header1.xml`` of letter 3 becomes ``word/header1-3.xml`` (never a taken name)."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, extra = f"{stem}-{number}{dot}{extension}", 1
    while candidate in combined.parts or candidate in combined.base.names:
        extra += 1
        candidate = f"{stem}-{number}-{extra}{dot}{extension}"
    return candidate


def _compress(combined: _Combined, name: str, data: bytes) -> Entry:
    """Deflate a part, reusing the compressed bytes of an identical part under a new name."""
    entry = combined.compressed.get(data)
    if entry is None:
        entry = combined.compressed[data] = deflate(name, data)
    return Entry(name, entry.crc, entry.size, entry.deflated)


def _renumber(combined: _Combined, body: Any) -> None:
    """Drawing and bookmark ids must be unique in the whole document: number them on."""
    for kind, tags, attribute in (
        ("drawing", (f"{{{WP}}}docPr",), "id"),
        ("bookmark", (f"{{{W}}}bookmarkStart", f"{{{W}}}bookmarkEnd"), f"{{{W}}}id"),
    ):
        new: dict[str | None, str] = {}
        for element in body.iter(*tags):
            old = element.get(attribute)
            if old not in new:
                combined.numbers[kind] = number = combined.numbers.get(kind, 0) + 1
                new[old] = str(number)
            element.set(attribute, new[old])


def _end_section(body: Any, last: bool) -> None:
    """Page numbers restart; the section starts a new page; a break ends every letter but the last."""
    section = (
        body[-1]
        if len(body) and body[-1].tag == f"{{{W}}}sectPr"
        else etree.SubElement(body, f"{{{W}}}sectPr")
    )
    _restart_numbering(section)
    kind = section.find(f"{{{W}}}type")
    if kind is not None and kind.get(f"{{{W}}}val") == "continuous":
        kind.set(f"{{{W}}}val", "nextPage")
    if not last:
        _carry_break(body, section)


def _restart_numbering(section: Any) -> None:
    """``<w:pgNumType w:start="1"/>`` in its place in the section properties."""
    numbering = section.find(f"{{{W}}}pgNumType")
    if numbering is None:
        numbering = etree.Element(f"{{{W}}}pgNumType")
        successor = next((child for child in section if child.tag in _SECTION_SUCCESSORS), None)
        if successor is None:
            section.append(numbering)
        else:
            successor.addprevious(numbering)
    numbering.set(f"{{{W}}}start", "1")


def _carry_break(body: Any, section: Any) -> None:
    """Move the section properties into the last paragraph (a new one after a table)."""
    body.remove(section)
    paragraph = body[-1] if len(body) and body[-1].tag == f"{{{W}}}p" else None
    properties = paragraph.find(f"{{{W}}}pPr") if paragraph is not None else None
    if paragraph is None or (properties is not None and properties.find(f"{{{W}}}sectPr") is not None):
        paragraph = etree.SubElement(body, f"{{{W}}}p")
        properties = None
    if properties is None:
        properties = etree.Element(f"{{{W}}}pPr")
        paragraph.insert(0, properties)
    change = properties.find(f"{{{W}}}pPrChange")
    if change is None:
        properties.append(section)
    else:
        change.addprevious(section)


def _inner(body: Any, target: dict[str | None, str]) -> bytes:
    """The body's content as XML for the combined body (namespace declarations as needed)."""
    if all(target.get(prefix) == uri for prefix, uri in body.nsmap.items()):
        xml = etree.tostring(body, encoding="UTF-8")
        if xml.endswith(b"/>"):
            return b""
        return xml[xml.index(b">") + 1 : xml.rindex(b"</")]
    return b"".join(etree.tostring(child, encoding="UTF-8") for child in body)


# --- the package ---------------------------------------------------------------------------


def _finish(combined: _Combined) -> bytes:
    """Write the combined package: reachable parts of the base, the copies, the new XML parts."""
    main = combined.main
    document = combined.prefix + b"".join(combined.chunks) + combined.suffix
    combined.parts[main] = deflate(main, document)
    combined.parts[_rels_name(main)] = deflate(_rels_name(main), _rels_xml(main, combined.relationships))
    reachable = _reachable(combined)
    for name in sorted(reachable - set(combined.parts)):
        combined.parts[name] = _compress(combined, name, combined.base.read(name))
    combined.parts = {name: entry for name, entry in combined.parts.items() if name in reachable}
    combined.parts["[Content_Types].xml"] = deflate("[Content_Types].xml", _content_types(combined))
    return write_zip(combined.parts[name] for name in entry_order(combined.parts))


def _reachable(combined: _Combined) -> set[str]:
    """Every part reachable from the package relationships, with the relationship parts."""
    base = combined.base
    found: set[str] = set()
    pending = [""]
    while pending:
        source = pending.pop()
        rels = _rels_name(source)
        if source == combined.main or rels in combined.parts:
            relationships = _relationships_of(combined, source)
        else:
            relationships = base.relationships(source)
        if relationships or rels in base.names:
            found.add(rels)
        for relationship in relationships.values():
            if not relationship.external and relationship.target not in found:
                found.add(relationship.target)
                pending.append(relationship.target)
    return found


def _relationships_of(combined: _Combined, source: str) -> dict[str, _Relationship]:
    """The relationships of a part written by the combination."""
    if source == combined.main:
        return combined.relationships
    data = _inflate(combined.parts[_rels_name(source)])
    return {
        e.get("Id", ""): _Relationship(
            e.get("Type", ""), _resolve(source, e.get("Target", "")), e.get("TargetMode") == "External"
        )
        for e in etree.fromstring(data).iter(f"{{{PKG_RELS}}}Relationship")
    }


def _inflate(entry: Entry) -> bytes:
    """The uncompressed bytes of an entry."""
    import zlib

    return zlib.decompress(entry.deflated, -15)


def _content_types(combined: _Combined) -> bytes:
    """[Content_Types].xml: the base's defaults, an override for every part that needs one."""
    base = combined.base
    root = etree.fromstring(f'<Types xmlns="{CONTENT_TYPES}"/>')
    defaults = dict(base.defaults)
    for name in sorted(combined.parts):
        extension = name.rpartition(".")[2].lower()
        if extension not in defaults and not name.endswith(".xml"):
            defaults[extension] = combined.types.get(name) or base.content_type(name)
    defaults.setdefault("rels", "application/vnd.openxmlformats-package.relationships+xml")
    defaults.setdefault("xml", "application/xml")
    for extension, kind in defaults.items():
        etree.SubElement(root, f"{{{CONTENT_TYPES}}}Default", Extension=extension, ContentType=kind)
    for name, kind in _overrides(combined, defaults):
        etree.SubElement(root, f"{{{CONTENT_TYPES}}}Override", PartName=f"/{name}", ContentType=kind)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _overrides(combined: _Combined, defaults: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(part, content type) for every part whose type its extension does not give."""
    for name in sorted(combined.parts):
        if name == "[Content_Types].xml" or name.endswith(".rels"):
            continue
        kind = combined.types.get(name) or combined.base.content_type(name)
        if defaults.get(name.rpartition(".")[2].lower()) != kind:
            yield name, kind


def _rels_xml(source: str, relationships: dict[str, _Relationship]) -> bytes:
    """A relationships part, targets relative to ``source``."""
    root = etree.fromstring(f'<Relationships xmlns="{PKG_RELS}"/>')
    for rid, relationship in relationships.items():
        element = etree.SubElement(root, f"{{{PKG_RELS}}}Relationship", Id=rid, Type=relationship.type)
        if relationship.external:
            element.set("Target", relationship.target)
            element.set("TargetMode", "External")
        else:
            element.set("Target", posixpath.relpath(relationship.target, posixpath.dirname(source) or "."))
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _rels_name(source: str) -> str:
    """``word/document.xml`` -> ``word/_rels/document.xml.rels``; "" -> ``_rels/.rels``."""
    folder, _, name = source.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _resolve(source: str, target: str) -> str:
    """The part name a relationship target points to, from the folder of ``source``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
