"""Build letterkit's Word templates, so they are reproducible from source.

Run ``python scripts/build_templates.py`` from the repository root. It writes

- ``templates/de/letter.docx``  DIN 5008 form B (window envelope, fold marks),
- ``templates/en/letter.docx``  UK block letter on A4 (en-GB),
- ``templates/en/letter-us.docx`` US block letter on US Letter (en-US),
- ``samples/letterhead.docx``   a fictional company's house letterhead (DIN layout),

all four as docxtpl templates with the placeholders documented in
``docs/templates.md``. The package is written from scratch (python-docx for the
parts, lxml for the WordprocessingML), so it is small and loads fast, and it is
re-zipped like a rendered letter, so two runs give byte-identical files.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Inches, Mm
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from letterkit.render.docx import deterministic_zip  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'


def mm(value: float) -> int:
    """Millimetres to twentieths of a point (twips), Word's length unit."""
    return round(value * 1440 / 25.4)


LINE = 253  # one blank line of 11 pt Arial at single spacing (12.65 pt), in twips
HOUSE_COLOUR = "0E7C86"  # the sample company's teal
RETURN_LINE = 200  # the 7 pt return-address line, exactly 10 pt high
INFO_TAB = mm(24.5)  # the info block's values start here, beside their labels (fit.py: INFO_VALUE_MM)


# --- WordprocessingML snippets -------------------------------------------------------------


def run(text: str, rpr: str = "") -> str:
    """One run; ``text`` may hold Jinja tags, which docxtpl reads as plain text."""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


TAB = "<w:r><w:tab/></w:r>"


def field(instr: str, shown: str) -> str:
    """A simple field such as PAGE or NUMPAGES, with a cached result."""
    return f'<w:fldSimple w:instr=" {instr} ">{run(shown)}</w:fldSimple>'


def para(style: str, *runs: str, ppr: str = "") -> str:
    """A paragraph in a named style; ``ppr`` must follow the schema order after pStyle."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{"".join(runs)}</w:p>'


def tag(statement: str) -> str:
    """A docxtpl paragraph tag: the whole paragraph is replaced by ``{% statement %}``."""
    return para("Normal", run("{%p " + statement + " %}"))


def lines(style: str, items: str, line: str = "line", ppr: str = "") -> str:
    """One paragraph per item of a list placeholder (nothing at all for an empty list)."""
    return tag(f"for {line} in {items}") + para(style, run("{{ " + line + " }}"), ppr=ppr) + tag("endfor")


def frame(x: float, y: float, width: float, height: float = 0, x_align: str = "") -> str:
    """Position a paragraph absolutely on the page (a Word "frame"), in millimetres."""
    size = f'w:h="{mm(height)}" w:hRule="exact" ' if height else ""
    where = f'w:xAlign="{x_align}"' if x_align else f'w:x="{mm(x)}"'
    return (
        f'<w:framePr w:w="{mm(width)}" {size}w:hSpace="0" w:wrap="through" '
        f'w:vAnchor="page" w:hAnchor="page" {where} w:y="{mm(y)}"/>'
    )


def mark(y: float, length: float) -> str:
    """A fold or hole mark: a short line at the left page edge, drawn as a framed border."""
    return para(
        "Mark",
        ppr=frame(4, y, length, 0.6) + '<w:pBdr><w:top w:val="single" w:sz="6" w:space="0" '
        'w:color="7F7F7F"/></w:pBdr>',
    )


def page_of(align_right_at: float, lead: str) -> str:
    """The header line of following pages: ``lead`` left, "labels.page X labels.of Y" right."""
    return para(
        "PageHeader",
        run(lead),
        TAB,
        run("{{ labels.page }} "),
        field("PAGE", "2"),
        run(" {{ labels.of }} "),
        field("NUMPAGES", "2"),
        ppr=f'<w:tabs><w:tab w:val="right" w:pos="{mm(align_right_at)}"/></w:tabs>',
    )


def footer_lines() -> str:
    """The company details, one centred line each, under a thin rule."""
    return lines("FooterText", "footer") + tag("if not footer") + para("FooterText") + tag("endif")


# --- styles ----------------------------------------------------------------------------------


def style(sid: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal") -> str:
    """A paragraph style; the names appear in Word's and LibreOffice's style lists."""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based}"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


def styles_xml(layout: Layout) -> str:
    """The whole styles part: Arial 11 pt (Liberation Sans where Arial is missing)."""
    font = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
    after = f'<w:spacing w:after="{LINE}"/>'
    keep = "<w:keepNext/>"
    small = '<w:color w:val="595959"/><w:sz w:val="15"/><w:szCs w:val="15"/>'
    lang, accent = layout.lang, layout.accent
    subject, salutation, signature = layout.spacing
    bold = "<w:b/><w:bCs/>" if layout.bold_enclosures_label else ""
    return (
        f"<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>{font}"
        f'<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="{lang}" w:eastAsia="en-US" '
        'w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        '</w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl/></w:pPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '</w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>"
        + style(
            "Letterhead",
            "Letterhead",
            rpr=f'<w:b/><w:color w:val="{accent}"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
        )
        + style("LetterheadDetail", "Letterhead Detail", rpr=small.replace("15", "16"))
        # 7 pt: the return line (Rücksendeangabe) is set smaller than the address; at 7 pt a
        # usual "Company GmbH · Street 21 · 28217 Town" fits the 80 mm of the field
        + style("ReturnAddress", "Return Address", rpr='<w:sz w:val="14"/><w:szCs w:val="14"/>')
        + style("Address", "Address")
        + style("InfoBlock", "Info Block", rpr='<w:sz w:val="17"/><w:szCs w:val="17"/>')
        + style("DateLine", "Date Line")
        + style("Reference", "Reference")
        + style("Subject", "Subject", ppr=keep + f'<w:spacing w:before="{subject}"/>', rpr="<w:b/><w:bCs/>")
        + style("Salutation", "Salutation", ppr=keep + f'<w:spacing w:before="{salutation}" w:after="{LINE}"/>')
        + style("LetterBody", "Letter Body", ppr=after)
        + style("Closing", "Closing", ppr=keep + "<w:keepLines/>" + f'<w:spacing w:after="{signature}"/>')
        + style("Signature", "Signature", ppr=keep)
        + style("EnclosuresLabel", "Enclosures Label", ppr=keep + f'<w:spacing w:before="{LINE}"/>', rpr=bold)
        # the list holds together and with its label: a long one moved to the next page
        # whole, not "Liste 5" and "Liste 6" alone under the page header (tester 43)
        + style("Enclosure", "Enclosure", ppr=keep)
        + style(
            "PageHeader",
            "Page Header",
            ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="A6A6A6"/></w:pBdr>',
            rpr=small.replace("15", "16"),
        )
        + style(
            "FooterText",
            "Footer Text",
            ppr='<w:pBdr><w:top w:val="single" w:sz="4" '
            f'w:space="4" w:color="{layout.rule}"/></w:pBdr><w:jc w:val="center"/>',
            rpr=small,
        )
        + style(
            "Mark",
            "Layout Mark",
            ppr='<w:spacing w:line="20" w:lineRule="exact"/>',
            rpr='<w:sz w:val="2"/><w:szCs w:val="2"/>',
        )
        + "</w:styles>"
    )


FONT_TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:fonts {NS}><w:font w:name="Arial"><w:altName w:val="Liberation Sans"/>'
    '<w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/><w:family w:val="swiss"/>'
    '<w:pitch w:val="variable"/></w:font></w:fonts>'
)

APP_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>'
    b"letterkit</Application></Properties>"
)

SETTINGS = (
    f'<w:settings {NS}><w:zoom w:percent="100"/><w:defaultTabStop w:val="{mm(12.5)}"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting '
    'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    "</w:compat></w:settings>"
)


# --- the two layouts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Everything that differs between the built templates."""

    lang: str
    margins: tuple[float, float, float, float]  # top, right, bottom, left in mm
    first_header: str
    header: str
    body: str
    accent: str = "1F1F1F"  # the letterhead's colour
    rule: str = "A6A6A6"  # the footer rule's colour
    bold_enclosures_label: bool = False
    us_letter: bool = False  # US Letter (8.5 x 11 in) instead of A4
    # space before the subject and the salutation, and after the closing (the signature's
    # room), in twips: in the styles, so that a change to the style in Word changes them
    spacing: tuple[int, int, int] = (0, 0, 0)


def din_cell(width: float, content: str, tcpr: str = "") -> str:
    """A table cell of the DIN address table; ``tcpr`` follows tcW in schema order."""
    return f'<w:tc><w:tcPr><w:tcW w:w="{mm(width)}" w:type="dxa"/>{tcpr}</w:tcPr>{content}</w:tc>'


def din_row(height: float, rule: str, *cells: str) -> str:
    """A table row of fixed (``exact``) or minimum (``atLeast``) height."""
    return (
        f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{mm(height)}" w:hRule="{rule}"/>'
        f"</w:trPr>{''.join(cells)}</w:tr>"
    )


def din_address_table() -> str:
    """Address field (20 mm from the left, 45 mm from the top, 85 x 45 mm) and info block.

    The table starts at the top margin (27 mm); an empty first row reaches 50 mm, where
    the info block starts (125 mm from the left, 75 mm wide). The return-address line
    sits at the bottom of the address field's note zone, which is filled from the
    bottom (a second line grows upwards), so the recipient's lines always start on the
    address zone at 62.7 mm. Offsets are rows and paragraph spacing, not cell margins:
    LibreOffice applies one cell's top margin to the whole row.
    """
    pad = f'<w:tcMar><w:left w:w="{mm(5)}" w:type="dxa"/></w:tcMar>'
    empty = para("Mark")
    return_line = para(
        "ReturnAddress",
        run("{{ sender_line }}"),
        ppr=f'<w:spacing w:line="{RETURN_LINE}" w:lineRule="exact"/>',
    )
    address = lines("Address", "recipient_address") + tag("if not recipient_address") + para("Address")
    address += tag("endif")  # a cell needs a paragraph
    # labels and values in 8.5 pt, the values from 24.5 mm: the longest label ("Vertragsnummer:",
    # 23.2 mm) fits before the tab, and an email address of about 32 characters beside it
    # (DIN 5008 lets the info block use a smaller size than the body's 10-12 pt)
    tabs = (
        f'<w:tabs><w:tab w:val="left" w:pos="{INFO_TAB}"/></w:tabs>'
        f'<w:ind w:left="{INFO_TAB}" w:hanging="{INFO_TAB}"/>'
    )
    # a value wider than its 50 mm beside the label (a long email address) goes on the line
    # below it, across the block's 75 mm, instead of breaking at a hyphen (r.wide: fit.py)
    info = (
        tag("for r in references")
        + tag("if r.wide")
        + para("InfoBlock", run("{{ r.label }}:"))
        + para("InfoBlock", run("{{ r.value }}"))
        + tag("else")
        + para("InfoBlock", run("{{ r.label }}:"), TAB, run("{{ r.value }}"), ppr=tabs)
        + tag("endif")
        + tag("endfor")
        + para("DateLine", run("{{ date_line }}"), ppr=f'<w:spacing w:before="{LINE}"/>')
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{mm(180)}" w:type="dxa"/>'
        f'<w:tblInd w:w="{-mm(5)}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar>'
        '<w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>'
        f'<w:gridCol w:w="{mm(85)}"/><w:gridCol w:w="{mm(20)}"/><w:gridCol w:w="{mm(75)}"/>'
        "</w:tblGrid>"
        + din_row(23, "exact", din_cell(85, empty), din_cell(20, empty), din_cell(75, empty))
        + din_row(
            12.7,
            "exact",
            din_cell(85, return_line, pad + '<w:vAlign w:val="bottom"/>'),
            din_cell(20, empty),
            din_cell(75, info, '<w:vMerge w:val="restart"/>'),
        )
        + din_row(
            27.3,
            "atLeast",
            din_cell(85, address, pad),
            din_cell(20, empty),
            din_cell(75, empty, "<w:vMerge/>"),
        )
        + "</w:tbl>"
    )


def letter_body() -> str:
    """Subject to enclosures: the part both layouts share (their spacing is in the styles:
    ``Layout.spacing``)."""
    return (
        para("Subject", run("{{ subject }}"))
        + para("Salutation", run("{{ salutation }}"))
        + body_paragraphs()
        + para("Closing", run("{{ closing }}"))
        + lines("Signature", "signature")
        + tag("if enclosures")
        + tag("if enclosures_label")
        + para("EnclosuresLabel", run("{{ enclosures_label }}"))
        + tag("endif")
        + lines("Enclosure", "enclosures", "item")
        + tag("endif")
    )


def body_paragraphs() -> str:
    """One paragraph per block; the last is kept whole and on the page of the closing.

    The closing, the signature and the enclosures hold together (keep with next), but
    nothing held the closing to the body: a letter that just overflowed put "Mit
    freundlichen Grüßen" alone on page 2. Keep with next (and keep lines together) on
    the last block moves that paragraph over with it, as business practice asks; Word and
    LibreOffice honour both.
    """
    text = run("{{ b.text }}")
    return (
        tag("for b in blocks")
        + tag("if loop.last")
        + para("LetterBody", text, ppr="<w:keepNext/><w:keepLines/>")
        + tag("else")
        + para("LetterBody", text)
        + tag("endif")
        + tag("endfor")
    )


def din_letterhead() -> str:
    """The sender block, top right in the 45 mm letterhead zone, plus fold and hole marks."""
    # the whole text width (165 mm): a long company name stays on one line
    place = frame(0, 15, 165, x_align="right").replace('w:hAnchor="page"', 'w:hAnchor="margin"')
    right = place + '<w:jc w:val="right"/>'
    sender = (
        tag("if sender_address")
        + para("Letterhead", run("{{ sender_address[0] }}"), ppr=right)
        + para("LetterheadDetail", run(r'{{ sender_address[1:]|join("\n") }}'), ppr=right)
        + tag("endif")
    )
    return sender + din_marks()


def din_marks() -> str:
    """Fold marks at 105 and 210 mm, the hole mark at 148.5 mm, and an anchor paragraph."""
    return mark(105, 5) + mark(148.5, 8) + mark(210, 5) + para("Mark")


def house_letterhead() -> str:
    """The sample house letterhead: a logo line with a coloured rule, then the sender line."""
    logo = frame(25, 12, 165) + (
        f'<w:pBdr><w:bottom w:val="single" w:sz="24" w:space="6" w:color="{HOUSE_COLOUR}"/></w:pBdr>'
    )
    return (
        para(
            "Letterhead",
            run("◆ NORDLICHT", f'<w:color w:val="{HOUSE_COLOUR}"/><w:sz w:val="40"/>'),
            run("   studio für gestaltung", '<w:b w:val="0"/><w:color w:val="7F7F7F"/><w:sz w:val="20"/>'),
            ppr=logo,
        )
        + tag("if sender_address")
        + para(
            "LetterheadDetail",
            run('{{ sender_address|join("  ·  ") }}'),
            ppr=frame(25, 27, 165) + '<w:jc w:val="right"/>',
        )
        + tag("endif")
        + din_marks()
    )


def din_layout(letterhead: str, accent: str = "1F1F1F", rule: str = "A6A6A6") -> Layout:
    """DIN 5008 form B: margins 25/20 mm, address table, subject at 98.5 mm."""
    lead = "{{ sender_address[0] if sender_address else sender_name }}"
    # the table ends at 27 + 23 + 12.7 + 27.3 = 90 mm; 8.5 mm more puts the subject at 98.5 mm
    body = din_address_table() + letter_body()
    return Layout(
        "de-DE", (27, 20, 25, 25), letterhead, page_of(165, lead), body, accent, rule, True,
        spacing=(mm(8.5), 2 * LINE, 3 * LINE),
    )  # fmt: skip


def en_layout(us_letter: bool = False) -> Layout:
    """UK/US block letter: sender block top right, everything else flush left.

    The UK letter is on A4 with 25 mm margins; the US letter on US Letter with the
    usual 1-inch margins (a text width of 6.5 in, 165.1 mm)."""
    right = '<w:jc w:val="right"/>'
    letterhead = (
        tag("if sender_address")
        + para("Letterhead", run("{{ sender_address[0] }}"), ppr=right)
        + lines("LetterheadDetail", "sender_address[1:]", ppr=right)
        + tag("endif")
        + para(
            "Mark",
            ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" '
            f'w:color="A6A6A6"/></w:pBdr><w:spacing w:after="{2 * LINE}"/>',
        )
    )
    body = (
        lines("Reference", "references", "r").replace("{{ r }}", "{{ r.label }}: {{ r.value }}")
        + para("DateLine", run("{{ date_line }}"), ppr=f'<w:spacing w:before="{LINE}" w:after="{LINE}"/>')
        + lines("Address", "recipient_address")
        + letter_body()
    )
    # a continuation sheet names the addressee and the date (UK and US practice), not the sender
    lead = "{{ recipient_address[0] if recipient_address else recipient_name }}  ·  {{ date_line }}"
    if us_letter:
        margins, text_width = (25.4, 25.4, 25.4, 25.4), 215.9 - 2 * 25.4
        return Layout(
            "en-US", margins, letterhead, page_of(text_width, lead), body, us_letter=True, spacing=(LINE, LINE, 4 * LINE)
        )
    return Layout("en-GB", (25, 25, 25, 25), letterhead, page_of(160, lead), body, spacing=(LINE, LINE, 4 * LINE))


# --- assembling the package ------------------------------------------------------------------


def fill(container: etree._Element, xml: str, before: etree._Element | None = None) -> None:
    """Replace a part's paragraphs with ``xml`` (inserted before ``before`` if given)."""
    for child in list(container):
        if child is not before:
            container.remove(child)
    for element in parse_xml(f"<w:root {NS}>{xml}</w:root>"):
        if before is None:
            container.append(element)
        else:
            before.addprevious(element)


def slim(document: docx.document.Document) -> None:
    """Drop python-docx's sample parts (thumbnail, styles with effects, custom XML, ...)."""
    unused = {"stylesWithEffects", "webSettings", "customXml", "numbering", "theme"}
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in unused:
            document.part.drop_rel(rid)
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rid)
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_PROPERTIES


def build(layout: Layout) -> bytes:
    """One template as deterministic .docx bytes."""
    document = docx.Document()
    slim(document)
    document.part._styles_part._element = parse_xml(styles_xml(layout))
    for rel in document.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = FONT_TABLE.encode()
        if rel.reltype == RT.SETTINGS:
            rel.target_part._element = parse_xml(SETTINGS)
    setup_section(document, layout)
    body = document.element.body
    fill(body, layout.body, before=body.sectPr)
    props = document.core_properties
    props.author, props.last_modified_by, props.comments = "letterkit", "letterkit", ""
    props.title, props.revision = "", 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def setup_section(document: docx.document.Document, layout: Layout) -> None:
    """A4 (or US Letter), the layout's margins, a first-page header and footer, and the
    following pages'."""
    section = document.sections[0]
    if layout.us_letter:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    top, right, bottom, left = (Mm(value) for value in layout.margins)
    section.top_margin, section.right_margin = top, right
    section.bottom_margin, section.left_margin = bottom, left
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    section.different_first_page_header_footer = True
    fill(section.first_page_header._element, layout.first_header)
    fill(section.header._element, layout.header)
    fill(section.first_page_footer._element, footer_lines())
    fill(section.footer._element, footer_lines())


def main() -> None:
    """Write the four templates and say where."""
    targets = {
        ROOT / "templates" / "de" / "letter.docx": din_layout(din_letterhead()),
        ROOT / "templates" / "en" / "letter.docx": en_layout(),
        ROOT / "templates" / "en" / "letter-us.docx": en_layout(us_letter=True),
        ROOT / "samples" / "letterhead.docx": din_layout(house_letterhead(), HOUSE_COLOUR, HOUSE_COLOUR),
    }
    for path, layout in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(build(layout))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
