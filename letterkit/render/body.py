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
        learned = self._learn(missing)
        if learned is None:
            return None
        return b"".join(
            inner if inner is not None else learned[piece] for piece, inner in zip(body, inners, strict=True)
        )

    def _learn(self, missing: list[bytes]) -> dict[bytes, bytes] | None:
        """Serialise new pieces in one go, as they stand in the document; None unless each is whole.

        The pieces are parsed together, kept apart by processing instructions; each
        instruction must end up a child of the body, so every piece holds whole elements.
        """
        assert self._open is not None
        wrapped = self._open + _SEPARATOR.join(missing) + self._close
        try:
            tree = etree.fromstring(wrapped, etree.XMLParser())
        except etree.XMLSyntaxError:
            return None
        if sum(1 for node in tree if node.tag is etree.PI) != len(missing) - 1:
            return None
        if not tables_unchanged(tree):
            tree = _DOCXTPL.fix_tables(wrapped)
        serialised = self._serialise(tree)
        if not (serialised.startswith(self._prefix) and serialised.endswith(self._suffix)):
            return None
        inner = serialised[len(self._prefix) : len(serialised) - len(self._suffix)].split(_SEPARATOR)
        if len(inner) != len(missing):
            return None
        if len(self._pieces) + len(missing) > _PIECES_LIMIT:
            self._pieces.clear()
        learned = dict(zip(missing, inner, strict=True))
        self._pieces.update(learned)
        return learned

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
