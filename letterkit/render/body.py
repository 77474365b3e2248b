"""document.xml per letter: docxtpl's body post-processing, done once per distinct piece.

docxtpl parses the rendered body (``fix_tables``, with a recovering parser), numbers
the drawings (``fix_docpr_ids``) and puts the body into the document, which
python-docx serialises. ``DocumentWriter._whole`` does exactly that.

Most of a letter's body is the same in every letter of a mail merge: only the
paragraphs and tables that hold the recipient's data change. So the template marks
the boundaries between the body's top-level elements (``mark_top_level``; the mark,
U+0001, can never be in a letter's data: ``check_text`` refuses control characters),
the rendered body is cut at the marks, and each new piece is parsed, fixed and
serialised in the document once (all new pieces of a letter in one parse), then
reused. A piece that is not well-formed on its own, a body with drawings, or a
template where the marks could change the rendering falls back to the whole-body
path: the bytes are the same either way.

A piece that holds a recipient's name or an amount is new in every letter, but its
*shape* — the piece with each text node replaced by a stand-in — repeats. The shape
is serialised once; later pieces of that shape are serialised by writing their text
nodes into it, escaped as libxml2 escapes text (``&amp;``, ``&lt;``, ``&gt;``,
``&#13;``). A shape is only used after its first piece came out byte-identical both
ways, and a text a strict XML parser would reject (a stray ``&``, ``]]>``, a control
character) sends its piece down the parsing path.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any, cast

from docx.oxml.ns import nsmap, qn
from docxtpl import DocxTemplate
from lxml import etree

MARK = "\x01"
_MARK = MARK.encode()
_SEPARATOR = b"<?letterkit-piece?>"  # a processing instruction: lxml keeps and writes it as is
_TAG = re.compile(r"<[^>]*>")
_SECTIONS = etree.XPath(
    "./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=nsmap
)  # Document.sections
_DRAWINGS = etree.XPath("//wp:docPr", namespaces=nsmap)  # what docxtpl's fix_docpr_ids numbers
_PIECES_LIMIT = 4096
_TEXT_NODE = re.compile(rb"(?<=>)[^<]+(?=<)")  # the text between two tags
_STAND_IN = b"\x02"  # marks a text node in a shape key (never in XML)
_SLOT = "\ue000".encode()  # a text node while a shape is serialised (checked to be unused)
_REFERENCE = re.compile(rb"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));")
_NAMED = {b"amp": b"&", b"lt": b"<", b"gt": b">", b"quot": b'"', b"apos": b"'"}
_CONTROLS = bytes(code for code in range(32) if chr(code) not in "\t\n")
_DOCXTPL = DocxTemplate(io.BytesIO())  # only for its stateless fix_tables


def mark_top_level(xml: str) -> str:
    """``xml`` (a body as docxtpl reads it) with MARK after its start tag and every child.

    Returned unchanged when the simple tag scan could be wrong (comments, CDATA,
    processing instructions) or when a child declares namespaces of its own.
    """
    if (
        "<!--" in xml
        or "<![CDATA[" in xml
        or "<?" in xml
        or xml.count("xmlns") != xml[: xml.find(">")].count("xmlns")
    ):
        return xml
    pieces, depth, start = [], 0, 0
    for match in _TAG.finditer(xml):
        tag = match.group()
        if tag.startswith("</"):
            depth -= 1
        elif not tag.endswith("/>"):
            depth += 1
        if depth == 1:  # after the body's start tag, or after one of its children
            pieces.append(xml[start : match.end()])
            start = match.end()
    pieces.append(xml[start:])
    return MARK.join(pieces)


class DocumentWriter:
    """Writes document.xml for a rendered body, as docxtpl + python-docx would."""

    def __init__(self, root: Any, body_open: str | None, count_sections: bool) -> None:
        self._shell, self._index = _document_shell(root)
        body = self._shell[self._index]
        tag = f"{body.prefix}:body" if body.prefix else "body"
        serialised = etree.tostring(self._shell, encoding="UTF-8", standalone=True)
        head, found, tail = serialised.partition(f"<{tag}/>".encode())
        self._prefix, self._suffix = head + f"<{tag}>".encode(), f"</{tag}>".encode() + tail
        self._open = body_open.encode("utf-8") if body_open and found else None
        self._close = f"</{tag}>".encode()
        self._count_sections = count_sections
        self._pieces: dict[bytes, bytes] = {}
        # shape key -> the serialised shape cut at its text nodes (None: not usable)
        self._shapes: dict[bytes, list[bytes] | None] = {}

    def write(self, xml: bytes) -> tuple[bytes, int]:
        """document.xml for the rendered body ``xml``, and its number of sections."""
        if self._open is not None and b"docPr" not in xml:
            inner = self._pieced(xml)
            if inner is not None:
                return self._prefix + inner + self._suffix, 1
        return self._whole(xml.replace(_MARK, b""))

    def _pieced(self, xml: bytes) -> bytes | None:
        """The body's content from pieces serialised before, or None to take the whole path."""
        pieces = xml.split(_MARK)
        if len(pieces) < 2 or pieces[0] != self._open or pieces[-1] != self._close:
            return None
        body = [piece for piece in pieces[1:-1] if piece]  # empty: a {%p %} paragraph, an empty loop
        inners = [self._pieces.get(piece) for piece in body]  # values taken once: safe with threads
        missing = list(
            dict.fromkeys(piece for piece, inner in zip(body, inners, strict=True) if inner is None)
        )
        if not missing:
            return b"".join(cast("list[bytes]", inners))
        filled = {piece: self._by_shape(piece) for piece in missing}
        unknown = [piece for piece, inner in filled.items() if inner is None]
        if unknown:
            learned = self._learn(unknown)
            if learned is None:
                return None
            filled.update(learned)
        return b"".join(
            inner if inner is not None else cast(bytes, filled[piece])
            for piece, inner in zip(body, inners, strict=True)
        )

    def _by_shape(self, piece: bytes) -> bytes | None:
        """The piece serialised through its known shape, or None."""
        key = _shape_key(piece)
        chunks = self._shapes.get(key) if key is not None else None
        if chunks is None:
            return None
        return _fill(chunks, _TEXT_NODE.findall(piece))

    def _learn(self, missing: list[bytes]) -> dict[bytes, bytes] | None:
        """Serialise new pieces in one go, as they stand in the document; None unless each is whole.

        The pieces are parsed together, kept apart by processing instructions; each
        instruction must end up a child of the body, so every piece holds whole elements.
        The shapes of pieces not seen before go into the same parse.
        """
        assert self._open is not None
        shapes = self._new_shapes(missing)
        batch = missing + [key.replace(_STAND_IN, _SLOT) for key in shapes]
        inner = self._serialise_pieces(batch)
        if inner is None:
            return None
        if len(self._pieces) + len(missing) > _PIECES_LIMIT:
            self._pieces.clear()
        learned = dict(zip(missing, inner, strict=False))
        self._pieces.update(learned)
        if len(self._shapes) + len(shapes) > _PIECES_LIMIT:
            self._shapes.clear()
        for (key, piece), serialised in zip(shapes.items(), inner[len(missing) :], strict=True):
            chunks = serialised.split(_SLOT)
            usable = len(chunks) == key.count(_STAND_IN) + 1
            self._shapes[key] = (
                chunks if usable and _fill(chunks, _TEXT_NODE.findall(piece)) == learned[piece] else None
            )
        return learned

    def _new_shapes(self, pieces: list[bytes]) -> dict[bytes, bytes]:
        """Shape key -> its first piece, for the pieces whose shape is not known yet."""
        shapes: dict[bytes, bytes] = {}
        for piece in pieces:
            key = _shape_key(piece)
            if key is None or key in self._shapes or key in shapes or _SLOT in piece:
                continue
            if all(escaped_text(text) is not None for text in _TEXT_NODE.findall(piece)):
                shapes[key] = piece  # a piece with a text the parser may refuse teaches nothing
        return shapes

    def _serialise_pieces(self, batch: list[bytes]) -> list[bytes] | None:
        """Each piece of ``batch`` as python-docx would write it inside the body, or None."""
        assert self._open is not None
        wrapped = self._open + _SEPARATOR.join(batch) + self._close
        try:
            tree = etree.fromstring(wrapped, etree.XMLParser())
        except etree.XMLSyntaxError:
            return None
        if sum(1 for node in tree if node.tag is etree.PI) != len(batch) - 1:
            return None
        if not tables_unchanged(tree):
            tree = _DOCXTPL.fix_tables(wrapped)
        serialised = self._serialise(tree)
        if not (serialised.startswith(self._prefix) and serialised.endswith(self._suffix)):
            return None
        inner = serialised[len(self._prefix) : len(serialised) - len(self._suffix)].split(_SEPARATOR)
        return inner if len(inner) == len(batch) else None

    def _whole(self, xml: bytes) -> tuple[bytes, int]:
        """docxtpl's path: fix_tables, fix_docpr_ids, the body put into the document."""
        tree = etree.fromstring(xml, etree.XMLParser(recover=True))  # as docxtpl's fix_tables parses
        if not tables_unchanged(tree):
            tree = _DOCXTPL.fix_tables(xml)
        if b"docPr" in xml:  # docxtpl's fix_docpr_ids: number every drawing from 1001
            for number, element in enumerate(cast("list[Any]", _DRAWINGS(tree)), 1001):
                element.attrib["id"] = str(number)
        root = copy.deepcopy(self._shell)
        root.replace(root[self._index], tree)
        sections = len(cast("list[Any]", _SECTIONS(root))) if self._count_sections else 1
        return etree.tostring(root, encoding="UTF-8", standalone=True), sections

    def _serialise(self, body: Any) -> bytes:
        """The document with ``body`` as python-docx saves it."""
        root = copy.deepcopy(self._shell)
        root.replace(root[self._index], body)
        return etree.tostring(root, encoding="UTF-8", standalone=True)


def _shape_key(piece: bytes) -> bytes | None:
    """The piece with every text node replaced by a stand-in; None unless it starts and
    ends with a tag."""
    if not (piece.startswith(b"<") and piece.endswith(b">")) or _STAND_IN in piece:
        return None
    return _TEXT_NODE.sub(_STAND_IN, piece)


def _fill(chunks: list[bytes], texts: list[bytes]) -> bytes | None:
    """A serialised shape with its text nodes written in, escaped as libxml2 writes text."""
    if len(texts) != len(chunks) - 1:
        return None
    out = [chunks[0]]
    for text, chunk in zip(texts, chunks[1:], strict=True):
        escaped = escaped_text(text)
        if escaped is None:
            return None
        out.append(escaped)
        out.append(chunk)
    return b"".join(out)


def escaped_text(text: bytes) -> bytes | None:
    """A text node as the parser reads it and libxml2 writes it back; None for anything a
    strict parser could refuse or change (a stray &, ]]>, CR, control characters)."""
    if b"]]>" in text or len(text.translate(None, _CONTROLS)) != len(text):
        return None
    if b"\xef\xbf\xbe" in text or b"\xef\xbf\xbf" in text:  # U+FFFE, U+FFFF
        return None
    if b"&" in text:
        if b"&" in _REFERENCE.sub(b"", text):
            return None  # an & that is not a reference
        try:
            text = _REFERENCE.sub(_resolve, text)
        except ValueError:
            return None
    return text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;").replace(b"\r", b"&#13;")


def _resolve(match: re.Match[bytes]) -> bytes:
    """The character a reference stands for; ValueError for one XML does not allow."""
    named = match.group(3)
    if named:
        return _NAMED[named]
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if not (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        raise ValueError(code)
    return chr(code).encode("utf-8")


def _document_shell(root: Any) -> tuple[Any, int]:
    """A copy of the document element with an empty body, and the body's position."""
    shell = copy.deepcopy(root)
    body = shell.find(qn("w:body"))
    for child in list(body):
        body.remove(child)
    return shell, shell.index(body)


def tables_unchanged(body: Any) -> bool:
    """True when docxtpl's ``fix_tables`` would leave every table as it is.

    It changes a table's grid only when a row has more cells than the grid has columns,
    or when no row spans all of its columns; anything unusual is left to docxtpl.
    """
    ns = body.nsmap.get("w")
    if ns is None:
        return False
    tbl, grid, col, tr, tc = (f"{{{ns}}}{name}" for name in ("tbl", "tblGrid", "gridCol", "tr", "tc"))
    for table in body.iter(tbl):
        columns = table.find(grid)
        if columns is None:
            return False
        count, widest = len(columns.findall(col)), 0
        for row in table.iter(tr):
            cells = row.findall(tc)
            if len(cells) > count:
                return False
            if widest < count:  # one row that spans the whole grid is enough
                widest = max(widest, sum(_span(cell, ns) for cell in cells))
        if widest < count:
            return False
    return True


def _span(cell: Any, ns: str) -> int:
    """The number of grid columns a cell spans, read as docxtpl reads it (very negative if unreadable)."""
    properties = cell.find(f"{{{ns}}}tcPr")
    span = None if properties is None else properties.find(f"{{{ns}}}gridSpan")
    if span is None:
        return 1
    try:
        return int(span.get(f"{{{ns}}}val"))
    except (TypeError, ValueError):
        return -(1 << 30)  # docxtpl would fail here: let it
