"""The prepared .docx path: the same bytes as docxtpl's own rendering, the zip writer, combining.

``render_docx`` compiles a template once and fills it per letter (letterkit/render/prepared.py).
These tests render the same letters the slow way — ``DocxTemplate`` opened per letter,
``render``, the document properties stamped through python-docx, ``save`` and a re-zip,
which is exactly what letterkit did before — and require identical bytes, for every
sample, the house letterhead, hostile data, and a template that makes docxtpl fix
tables, renumber drawings and render footnotes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import docx
import pytest
from docxtpl import DocxTemplate
from isal import isal_zlib
from lxml import etree
from test_render_docx import DE_BLOCKS, TRICKY, english, german, long_version

import letterkit
from letterkit.errors import RenderError, TemplateError
from letterkit.letter import Block, Letter, Reference
from letterkit.render import docx as docx_module
from letterkit.render.body import MARK, mark_top_level
from letterkit.render.combine import combine_docx
from letterkit.render.docx import build_context, builtin_template, deterministic_zip, environment, render_docx
from letterkit.render.package import LEVEL, ZIP_LIMIT, Entry, build_zip, deflate, read_zip, write_zip
from letterkit.render.pdf import docx_to_pdf
from letterkit.render.prepared import set_language, stamp_properties
from letterkit.render.typography import no_break_hyphens
from letterkit.resources import template_path

ROOT = Path(__file__).resolve().parent.parent
LETTERHEAD = ROOT / "samples" / "letterhead.docx"
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler's pdftotext are needed",
)


def docxtpl_render(letter: Letter, template: Path | None = None) -> bytes:
    """The letter rendered the slow way: DocxTemplate per letter, as letterkit did before."""
    document = DocxTemplate(template or builtin_template(letter.locale))
    document.render(build_context(letter), jinja_env=environment(), autoescape=True)
    when = datetime(letter.date.year, letter.date.month, letter.date.day, tzinfo=timezone.utc)
    stamp_properties(document.docx.core_properties, letter.sender_name, letter.subject, letter.locale, when)
    set_language(document.docx.styles.element, letter.locale)
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(with_no_break_hyphens(buffer.getvalue()))


def with_no_break_hyphens(data: bytes) -> bytes:
    """A .docx with U+2011 in its text written as <w:noBreakHyphen/>: what letterkit adds to
    docxtpl's rendering (typography.no_break_hyphens), applied to the saved parts."""
    with zipfile.ZipFile(io.BytesIO(data)) as package, io.BytesIO() as out:
        with zipfile.ZipFile(out, "w") as changed:
            for info in package.infolist():
                part = package.read(info)
                changed.writestr(info, no_break_hyphens(part) if info.filename.endswith(".xml") else part)
        return out.getvalue()


def hostile(make: Any) -> Letter:
    """A letter full of markup characters, Jinja syntax, tabs, newlines and CRs."""
    letter: Letter = make(
        subject=f"Kündigung {TRICKY}",
        blocks=(Block("decision", TRICKY), Block("thanks", "Danke.\nZweite Zeile\tmit Tab")),
        recipient_address=(TRICKY, "80331 München"),
        references=(Reference("<Ref & Co>", "{{ x }}"),),
        footer=(TRICKY, "a\tb"),
        signature=(TRICKY,),
        sender_name="A & B <C> \"q\" 'x' \r cr",
    )
    return letter


def sample_letters() -> list[Letter]:
    return [letterkit.compose(path) for path in SAMPLES]


def canonical(xml: bytes) -> bytes:
    """C14N of one XML part."""
    return etree.tostring(etree.fromstring(xml), method="c14n")


# --- identical to docxtpl ------------------------------------------------------------------


@pytest.mark.parametrize("template", [None, LETTERHEAD], ids=["built-in", "letterhead"])
def test_every_sample_is_byte_identical_to_docxtpl(template: Path | None) -> None:
    for letter in sample_letters():
        assert render_docx(letter, template) == docxtpl_render(letter, template), letter.subject


@pytest.mark.parametrize("make", [german, english])
@pytest.mark.parametrize("template", [None, LETTERHEAD], ids=["built-in", "letterhead"])
def test_hostile_and_long_letters_are_byte_identical(make: Any, template: Path | None) -> None:
    letters = [
        hostile(make),
        long_version(make()),
        make(locale="en-US" if make is english else "de-AT"),
        make(references=(), enclosures=(), footer=(), sender_line="", signature=()),
        make(labels={"page": "S.", "of": "/"}),
    ]
    for letter in letters:
        assert render_docx(letter, template) == docxtpl_render(letter, template), letter.subject


def test_header_and_footer_cache_follows_the_values_they_read() -> None:
    first, other = german(), german(footer=("Andere GmbH",), labels={"page": "S.", "of": "/"})
    for letter in (first, other, first, other):
        assert render_docx(letter) == docxtpl_render(letter)


@pytest.mark.parametrize("template", [None, LETTERHEAD], ids=["built-in", "letterhead"])
def test_headers_and_footers_remembered_together_follow_each_name_they_read(template: Path | None) -> None:
    """The headers and footers of a letter are remembered as a set, by the values of every
    name any of them reads: a letter that differs from a remembered one in any one of those
    names (and one that differs in a name none reads) gets its own, as docxtpl renders them."""
    variants = [
        german(),
        german(sender_name="Jonas Weber"),
        german(sender_address=("Andere Firma GmbH", "Weg 1", "12345 Ort")),
        german(footer=("Andere GmbH", "IBAN DE00 0000")),
        german(labels={"page": "S.", "of": "/"}),
        german(recipient_name="Jemand Anderes"),
    ]
    for letter in (*variants, *reversed(variants)):
        assert render_docx(letter, template) == docxtpl_render(letter, template)


def test_document_xml_equals_plain_docxtpl_rendering() -> None:
    """The body as docxtpl renders the same context, canonicalised (no stamping involved)."""
    for letter in (german(), hostile(german), english()):
        document = DocxTemplate(builtin_template(letter.locale))
        document.render(build_context(letter), jinja_env=environment(), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
        slow, fast = read_zip(buffer.getvalue()), read_zip(render_docx(letter))
        for name in slow:
            if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name):
                assert canonical(fast[name]) == canonical(no_break_hyphens(slow[name])), name


CELL = '<w:tc><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>'
# a cell loop that makes a row wider than its grid, a grid wider than its row
WIDER = (
    '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid><w:tr>'
    + CELL.format("{%tc for line in sender_address %}")
    + CELL.format("{{ line }}")
    + CELL.format("{%tc endfor %}")
    + "</w:tr></w:tbl>"
)
NARROWER = (
    "<w:tbl><w:tblPr/><w:tblGrid>" + '<w:gridCol w:w="2000"/>' * 5 + "</w:tblGrid><w:tr>"
    + CELL.format("{{ subject }}")
    + "</w:tr></w:tbl>"
)  # fmt: skip
DRAWING = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
    'wordprocessingDrawing"><wp:docPr id="7" name="x"/></wp:inline></w:drawing></w:r></w:p>'
)
SECTION_BREAK = "<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>{{ closing }}</w:t></w:r></w:p>"
FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
    '</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">'
    "{{ sender_name }} / {{ lang }}</w:t></w:r></w:p></w:footnote></w:footnotes>"
)
FOOTNOTES_RELATIONSHIP = (
    '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
)
FOOTNOTES_TYPE = (
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.footnotes+xml"/></Types>'
)


def tricky_template(tmp_path: Path, everything: bool = True) -> Path:
    """The German template plus what docxtpl post-processes: cell loops, drawings, footnotes, sections.

    With ``everything`` false only the tables: the body still renders in pieces.
    """
    parts = read_zip((ROOT / "templates" / "de" / "letter.docx").read_bytes())
    document = parts["word/document.xml"].decode("utf-8")
    extra = WIDER + NARROWER + (DRAWING * 2 + SECTION_BREAK if everything else "")
    parts["word/document.xml"] = _before_last(document, "<w:sectPr", extra).encode("utf-8")
    path = tmp_path / ("tricky.docx" if everything else "tables.docx")
    if not everything:
        path.write_bytes(build_zip(parts))
        return path
    rels = parts["word/_rels/document.xml.rels"]
    parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", FOOTNOTES_RELATIONSHIP.encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", FOOTNOTES_TYPE.encode())
    parts["word/footnotes.xml"] = FOOTNOTES.encode("utf-8")
    path.write_bytes(build_zip(parts))
    return path


def _before_last(text: str, marker: str, insert: str) -> str:
    """``insert`` placed before the last ``marker`` of ``text``."""
    at = text.rindex(marker)
    return text[:at] + insert + text[at:]


def test_fix_tables_drawings_footnotes_and_sections_as_docxtpl(tmp_path: Path) -> None:
    path = tricky_template(tmp_path)
    for letter in (german(), hostile(german), german(sender_address=("Nur eine Zeile",))):
        fast = render_docx(letter, path)
        assert fast == docxtpl_render(letter, path)
    parts = read_zip(fast)
    assert [m for m in re.findall(rb'docPr id="(\d+)"', parts["word/document.xml"])] == [b"1001", b"1002"]
    assert b"Erika Muster / de" in parts["word/footnotes.xml"]


def test_caches_never_change_the_bytes() -> None:
    """Pieces, headers and footers are reused across letters: any order gives the same bytes."""
    letters = [*sample_letters(), hostile(german), hostile(english), long_version(german())]
    first = [render_docx(letter) for letter in letters]
    docx_module._prepared.cache_clear()
    again = [render_docx(letter) for letter in reversed(letters)]
    assert first == again[::-1]


def random_text(rng: random.Random) -> str:
    """Text with every character class a text node can hold: markup, quotes, references,
    tabs, non-BMP characters, Jinja syntax, no-break spaces."""
    alphabet = [
        *list("abcXYZ äöüß 0123456789 &<>\"'\t;#{}%_/\\.,"),
        "&amp;",
        "&#34;",
        "]]",
        "🙂",
        "\xa0",
        "ש",
    ]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))


@pytest.mark.parametrize("template", [None, LETTERHEAD], ids=["built-in", "letterhead"])
def test_pieces_filled_through_their_shape_are_byte_identical(template: Path | None) -> None:
    """Letters that differ only in their data reuse the shape of each piece; every byte
    still equals docxtpl's rendering, whatever characters the data holds."""
    rng = random.Random(5)
    docx_module._prepared.cache_clear()
    for number in range(12):
        name, company = random_text(rng), random_text(rng)
        letter = german(
            salutation=f"Sehr geehrte Frau {name},",
            recipient_address=(company, f"Frau {name}", "Nebenweg 2", "80331 München"),
            references=(Reference("Ihr Vertrag", random_text(rng)),),
            blocks=(Block("decision", f"Wir kündigen zum {number}. Dezember 2026, {name}."), *DE_BLOCKS[1:]),
        )
        assert render_docx(letter, template) == docxtpl_render(letter, template), number
    source = (template or template_path("de", "letter.docx")).read_bytes()
    writer = docx_module._prepared(source, str(template) if template else _builtin_origin("de"))._document
    assert any(chunks for chunks in writer._shapes.values()), "no shape was learned"


def test_a_text_the_parser_may_refuse_is_never_filled_into_a_shape() -> None:
    from letterkit.render.body import escaped_text

    assert escaped_text(b"M&amp;S &lt;x&gt; &#34;q&#34; &#x1F642;") == 'M&amp;S &lt;x&gt; "q" 🙂'.encode()
    assert escaped_text(b"a > b") == b"a &gt; b"
    for refused in (b"a & b", b"&nbsp;", b"x]]>y", b"a\rb", b"&#1;", b"&#xD800;", b"\x01"):
        assert escaped_text(refused) is None, refused


@pytest.mark.parametrize("template", [None, LETTERHEAD], ids=["built-in", "letterhead"])
def test_letterkit_templates_take_the_piece_path(template: Path | None) -> None:
    for make in (german, english):
        render_docx(make(), template)
        source = (template or template_path(make().lang, "letter.docx")).read_bytes()
        prepared = docx_module._prepared(source, str(template) if template else _builtin_origin(make().lang))
        assert prepared._document._open is not None
        assert prepared._document._pieces


def _builtin_origin(lang: str) -> str:
    return f"built-in template {template_path(lang, 'letter.docx')}"


def test_a_piece_that_is_not_whole_takes_the_whole_path() -> None:
    render_docx(german())
    writer = docx_module._prepared(
        template_path("de", "letter.docx").read_bytes(), _builtin_origin("de")
    )._document
    body_open, close = writer._open, writer._close
    split = body_open + MARK.encode().join([b"", b"<w:p><w:r><w:t>a", b"b</w:t></w:r></w:p>", close])
    before = dict(writer._pieces)
    assert writer.write(split) == writer._whole(split.replace(MARK.encode(), b""))
    assert writer._pieces == before


def test_marks_only_where_a_plain_tag_scan_is_safe() -> None:
    body = f'<w:body xmlns:w="{W}"><w:p/><w:tbl><w:tr/></w:tbl><w:sectPr/></w:body>'
    assert mark_top_level(body).split(MARK) == [
        f'<w:body xmlns:w="{W}">',
        "<w:p/>",
        "<w:tbl><w:tr/></w:tbl>",
        "<w:sectPr/>",
        "</w:body>",
    ]
    for odd in ("<w:p><!-- c --></w:p>", '<w:p xmlns:x="urn:x"/>', "<w:p><?pi?></w:p>"):
        unusual = body.replace("<w:p/>", odd)
        assert mark_top_level(unusual) == unusual


def test_fix_tables_in_the_piece_path_as_docxtpl(tmp_path: Path) -> None:
    path = tricky_template(tmp_path, everything=False)
    for letter in (german(), german(sender_address=("Nur eine Zeile",)), hostile(german), german()):
        assert render_docx(letter, path) == docxtpl_render(letter, path)
    prepared = docx_module._prepared(path.read_bytes(), str(path))
    assert prepared._document._open is not None and prepared._document._pieces


# --- errors --------------------------------------------------------------------------------


def test_render_error_names_file_part_and_paragraph(tmp_path: Path) -> None:
    parts = read_zip((ROOT / "templates" / "de" / "letter.docx").read_bytes())
    parts["word/footer1.xml"] = parts["word/footer1.xml"].replace(b"{{ line }}", b"{{ labels.fax }}")
    path = tmp_path / "broken.docx"
    path.write_bytes(build_zip(parts))
    with pytest.raises(TemplateError) as caught:
        render_docx(german(), path)
    message = str(caught.value)
    assert str(path) in message and "word/footer1.xml" in message
    assert "fax" in message and "in the paragraph '{{ labels.fax }}" in message


def test_too_long_title_is_refused_with_the_field_named() -> None:
    with pytest.raises(RenderError, match=r"Letter\.subject is 300 characters"):
        render_docx(german(subject="x" * 300))


def test_control_character_check_matches_the_pattern_exactly() -> None:
    from letterkit.render.docx import _ILLEGAL, _has_illegal

    for code in (
        *range(0x30),
        0x7F,
        0x85,
        0xA0,
        0xD7FF,
        0xD800,
        0xDFFF,
        0xE000,
        0xFFFD,
        0xFFFE,
        0xFFFF,
        0x1F642,
    ):
        char = chr(code)
        assert _has_illegal(f"ä{char}x") == bool(_ILLEGAL.search(char)), hex(code)


def test_control_character_check_matches_the_pattern_for_every_character() -> None:
    """Every character, beside the no-break spaces a letter holds (the quick look by
    ``isprintable`` with those made plain must miss none the pattern finds)."""
    from letterkit.render.docx import _ILLEGAL, _has_illegal

    for code in (*range(0x10000), *range(0x10000, 0x110000, 97), 0x10FFFF, 0xE0001, 0xF0000):
        char = chr(code)
        assert _has_illegal(f"\u00a0ä{char}\u202fx") == bool(_ILLEGAL.search(char)), hex(code)


def test_the_pattern_is_exactly_what_xml_1_0_cannot_hold() -> None:
    """XML 1.0's Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]."""
    from letterkit.render.docx import _ILLEGAL

    def legal(code: int) -> bool:
        return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000

    everything = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in _ILLEGAL.finditer(everything)] == [c for c in range(0x110000) if not legal(c)]


# --- the package ---------------------------------------------------------------------------


class _OneShot:
    """zipfile's compressor object, compressing as letterkit does: all of an entry at once
    with ISA-L (whose streaming interface may cut the stream differently)."""

    def __init__(self, level: int, method: int, wbits: int) -> None:
        self.args, self.data = (level, wbits), b""

    def compress(self, data: bytes) -> bytes:
        self.data += data
        return b""

    def flush(self) -> bytes:
        return bytes(isal_zlib.compress(self.data, *self.args))


class _Zlib:
    DEFLATED = isal_zlib.DEFLATED
    crc32 = staticmethod(isal_zlib.crc32)
    compressobj = _OneShot
    decompressobj = staticmethod(zlib.decompressobj)  # reading the archive back


def test_zip_writer_matches_zipfile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout is zipfile's, byte for byte, when zipfile compresses as letterkit does
    (ISA-L's DEFLATE at its level 1, an entry at once)."""
    monkeypatch.setattr(zipfile, "zlib", _Zlib)
    parts = {
        "[Content_Types].xml": b"<x/>" * 300,
        "_rels/.rels": b"r",
        "word/ä ö.xml": "ü".encode() * 99,
        "e": b"",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", "_rels/.rels", "e", "word/ä ö.xml"):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            archive.writestr(info, parts[name], compresslevel=LEVEL)
    assert build_zip(parts) == buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(build_zip(parts))) as archive:
        assert archive.testzip() is None
        assert archive.read("word/ä ö.xml") == parts["word/ä ö.xml"]
        assert archive.getinfo("word/ä ö.xml").flag_bits & 0x800


def test_zip_writer_reuses_its_directory_layout_for_other_names_and_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The central directory is packed by a packer made per layout (the names' lengths):
    packages of other names, data and sizes with the same layout come out as zipfile
    writes them too, and so does one of another layout."""
    monkeypatch.setattr(zipfile, "zlib", _Zlib)
    layouts = [
        {"ab": b"one" * 50, "cd": b"", "ef": "ä".encode() * 7},
        {"xy": b"two", "zz": b"z" * 4000, "ü": b"u"},  # same lengths ("ü" is two bytes)
        {"a": b"1", "bcd": b"2" * 10},
    ]
    for parts in layouts:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in sorted(parts):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0
                archive.writestr(info, parts[name], compresslevel=LEVEL)
        assert build_zip(parts) == buffer.getvalue()
    assert write_zip([]) == zipfile_empty()


def zipfile_empty() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w"):
        pass
    return buffer.getvalue()


def test_zip_writer_refuses_what_would_need_zip64() -> None:
    """A part over zipfile's ZIP64 limit is refused with the size named, as before."""
    huge = Entry("word/document.xml", 0, ZIP_LIMIT, b"")
    with pytest.raises(RenderError, match="larger than 2 GiB"):
        write_zip([deflate("a", b"x"), huge])


@pytest.mark.parametrize("template", [None, LETTERHEAD], ids=["built-in", "letterhead"])
def test_result_opens_in_zipfile_and_python_docx(template: Path | None) -> None:
    data = render_docx(german(), template)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    document = docx.Document(io.BytesIO(data))
    assert german().subject in [p.text for p in document.paragraphs]
    assert document.core_properties.author == "Erika Muster"


DIGEST = (
    "import sys, hashlib; sys.path[:0] = [sys.argv[1], sys.argv[2]];"
    "from test_docx_fast import digests; print(digests())"
)


def digests() -> str:
    """Hashes of a few renderings and a combination (for the cross-process test)."""
    letters = [german(), hostile(english), long_version(german())]
    blobs = [render_docx(letter) for letter in letters] + [render_docx(german(), LETTERHEAD)]
    return " ".join(hashlib.sha256(blob).hexdigest()[:16] for blob in [*blobs, combine_docx(blobs)])


def test_identical_bytes_across_processes() -> None:
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", DIGEST, str(ROOT), str(Path(__file__).parent)],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        outputs.add(run.stdout.strip())
    assert len(outputs) == 1
    assert outputs == {digests()}


@needs_libreoffice
def test_libreoffice_converts_a_prepared_rendering() -> None:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=docx_to_pdf(render_docx(hostile(german), LETTERHEAD)),
        capture_output=True, check=True,
    ).stdout.decode("utf-8")  # fmt: skip
    assert "Müller & Söhne <GmbH>" in text and "Zweite Zeile" in text


# --- combining -----------------------------------------------------------------------------


def three_letters() -> list[Letter]:
    second = dataclasses.replace(english(), enclosures=("Final invoice 2026-200",))
    third = german(
        subject="Kündigung des Hostingvertrags H-7",
        blocks=DE_BLOCKS[:1],
        recipient_address=("Other GmbH", "Weg 3", "12345 Ort"),
        enclosures=("Schlussrechnung Nr. 2026-300",),
    )
    return [long_version(german()), second, third]


def test_combined_document_holds_every_letter_in_order() -> None:
    letters = three_letters()
    combined = combine_docx([render_docx(letter) for letter in letters])
    document = docx.Document(io.BytesIO(combined))
    paragraphs = document.element.body.iter(f"{{{W}}}p")
    texts = [  # as read back: a non-breaking hyphen is a hyphen, a no-break space a space
        "".join(
            node.text or "" if node.tag == f"{{{W}}}t" else "-"
            for node in p.iter(f"{{{W}}}t", f"{{{W}}}noBreakHyphen")
        ).replace("\xa0", " ")
        for p in paragraphs
    ]
    positions = [texts.index(letter.subject) for letter in letters]
    assert positions == sorted(positions)
    assert texts.index(letters[0].closing) < positions[1] < texts.index(letters[1].closing) < positions[2]
    assert len(document.sections) == 3
    assert all(section.different_first_page_header_footer for section in document.sections)
    assert [s.first_page_header.paragraphs[0].text for s in document.sections][1].startswith("Muster Web")
    with zipfile.ZipFile(io.BytesIO(combined)) as archive:
        assert archive.testzip() is None
        headers = [archive.read(n) for n in archive.namelist() if re.fullmatch(r"word/header.*\.xml", n)]
    assert any(b"SECTIONPAGES" in xml for xml in headers) and not any(b"NUMPAGES" in xml for xml in headers)


def test_combining_is_deterministic_and_keeps_the_first_letters_styles() -> None:
    blobs = [render_docx(letter) for letter in three_letters()]
    assert combine_docx(blobs) == combine_docx(list(blobs))
    assert read_zip(combine_docx(blobs))["word/styles.xml"] == read_zip(blobs[0])["word/styles.xml"]


def test_combining_nothing_or_a_non_docx_is_an_error() -> None:
    with pytest.raises(RenderError, match="no letters"):
        combine_docx([])
    with pytest.raises(RenderError, match="letter 2 is not a Word document"):
        combine_docx([render_docx(german()), b"not a zip"])


@needs_libreoffice
def test_each_combined_letter_starts_on_a_new_page() -> None:
    letters = three_letters()
    pdf = docx_to_pdf(combine_docx([render_docx(letter) for letter in letters]))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = text.split("\f")
    starts = [next(n for n, page in enumerate(pages) if letter.subject in page) for letter in letters]
    assert starts[0] == 0 and starts[0] < starts[1] < starts[2]
    for previous, start in zip(letters[:-1], starts[1:], strict=True):
        assert previous.enclosures[-1] not in pages[start]  # the previous letter ended on an earlier page
        assert previous.enclosures[-1] in pages[start - 1]
    assert "Seite 2 von 2" in pages[1] and "Seite 1" not in text


def test_the_fast_string_gathering_misses_no_field_of_a_letter() -> None:
    """check_text reads a Letter's strings field by field; the generic walk finds the same."""
    letters = [*sample_letters(), hostile(german), hostile(english), german(sender_email=None)]
    letters.append(dataclasses.replace(german(), recipient_email="a@example.com", labels={"x": "y"}))
    for letter in letters:
        generic: list[str] = []
        docx_module._collect(letter, generic)
        assert sorted(docx_module.letter_strings(letter)) == sorted(generic)
    field_count = len(dataclasses.fields(Letter))
    assert field_count == 24, "a field was added to Letter: add it to letter_strings() too"


def test_a_changed_letterhead_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "letterhead.docx"
    shutil.copy(LETTERHEAD, path)
    first = render_docx(german(), path)
    shutil.copy(template_path("de", "letter.docx"), path)
    os.utime(path, ns=(1, 1))
    assert render_docx(german(), path) == docxtpl_render(german(), path) != first
