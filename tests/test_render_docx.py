"""The .docx and PDF renderers: structure, escaping, determinism, templates, LibreOffice."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from letterkit.errors import MissingToolError, RenderError, TemplateError
from letterkit.letter import Block, Letter, Reference
from letterkit.render import pdf as pdf_module
from letterkit.render.docx import PLACEHOLDERS, build_context, render_docx
from letterkit.render.package import read_zip
from letterkit.render.pdf import docx_to_pdf, render_pdf

ROOT = Path(__file__).resolve().parent.parent
LETTERHEAD = ROOT / "samples" / "letterhead.docx"
TRICKY = "Müller & Söhne <GmbH> \"Zitat\" 'x' {{ subject }} {% if x %} {_{ 🙂 שלום مرحبا"

DE_BLOCKS = (
    Block("decision", "hiermit kündigen wir den Wartungsvertrag W-2041 zum 31. Dezember 2026."),
    Block("reasons", "Unsere Vorstellungen zu den Zahlungsbedingungen ließen sich nicht vereinen."),
    Block("thanks", "Wir danken Ihnen für die Zusammenarbeit seit 2021 und wünschen Ihnen alles Gute."),
)
EN_BLOCKS = (
    Block("decision", "I am writing to give notice that we will end agreement W-2041 on 31 December 2026."),
    Block("thanks", "Thank you for working with us since 2021. We wish you every success."),
)


def german(**changes: Any) -> Letter:
    """A complete German letter; keyword arguments replace fields."""
    letter = Letter(
        locale="de-DE", lang="de", channel="letter", register="sie", date=date(2026, 11, 26),
        date_line="26. November 2026", subject="Kündigung des Wartungsvertrags W-2041",
        salutation="Sehr geehrte Frau Dr. Schneider,", blocks=DE_BLOCKS,
        closing="Mit freundlichen Grüßen", signature=("Erika Muster", "Geschäftsführerin"),
        sender_name="Erika Muster",
        sender_address=("Muster Webdesign GmbH", "Hauptstraße 1", "10115 Berlin"),
        sender_line="Muster Webdesign GmbH · Hauptstraße 1 · 10115 Berlin",
        recipient_address=("Beispiel AG", "Frau Dr. Anna Schneider", "Nebenweg 2", "80331 München"),
        references=(Reference("Ihr Vertrag", "W-2041"),),
        enclosures_label="Anlage", enclosures=("Schlussrechnung Nr. 2026-118",),
        footer=("Muster Webdesign GmbH · Hauptstraße 1 · 10115 Berlin", "Amtsgericht Berlin HRB 1"),
        labels={"page": "Seite", "of": "von"},
    )  # fmt: skip
    return dataclasses.replace(letter, **changes)


def english(**changes: Any) -> Letter:
    """A complete English (en-GB) letter; keyword arguments replace fields."""
    letter = Letter(
        locale="en-GB", lang="en", channel="letter", register="sie", date=date(2026, 11, 26),
        date_line="26 November 2026", subject="Ending our maintenance agreement W-2041",
        salutation="Dear Dr Schneider,", blocks=EN_BLOCKS, closing="Yours sincerely",
        signature=("Erika Muster", "Managing Director"), sender_name="Erika Muster",
        sender_address=("Muster Web Design Ltd", "1 High Street", "London EC1A 1BB"),
        recipient_address=("Dr Anna Schneider", "Example plc", "2 Side Road", "Manchester M1 1AA"),
        references=(Reference("Our ref", "EM/W-2041"),),
        enclosures_label="Enc.", enclosures=("Final invoice 2026-118",),
        footer=("Muster Web Design Ltd · Registered in England and Wales no. 01234567",),
        labels={"page": "Page", "of": "of"},
    )  # fmt: skip
    return dataclasses.replace(letter, **changes)


def long_version(letter: Letter) -> Letter:
    """The same letter with enough body text for a second page."""
    filler = tuple(dataclasses.replace(letter.blocks[0], part="reasons") for _ in range(14))
    return dataclasses.replace(letter, blocks=letter.blocks[:-1] + filler + letter.blocks[-1:])


def open_docx(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def xml_parts(data: bytes) -> dict[str, str]:
    """document.xml, headers and footers of a .docx, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: package.read(name).decode("utf-8")
            for name in package.namelist()
            if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name)
        }


def texts(data: bytes) -> list[str]:
    """The visible text of every paragraph of the body, in order, tables included."""
    document = open_docx(data)
    body = document.element.body
    return [Paragraph(node, document).text for node in body.iter(qn("w:p"))]


# --- structure -----------------------------------------------------------------------------


@pytest.mark.parametrize("make", [german, english])
def test_parts_appear_in_reading_order(make: Any) -> None:
    letter = make()
    # body paragraphs carry no-break spaces inside dates ("31.\u00a0Dezember"); compare the words
    paragraphs = [p.replace("\u00a0", " ") for p in texts(render_docx(letter))]
    order = [
        letter.subject,
        letter.salutation,
        *(b.text for b in letter.blocks),
        letter.closing,
        *letter.signature,
        letter.enclosures_label,
        *letter.enclosures,
    ]
    positions = [paragraphs.index(text) for text in order]
    assert positions == sorted(positions)
    assert paragraphs.index(letter.recipient_address[0]) < paragraphs.index(letter.subject)


@pytest.mark.parametrize("make", [german, english])
def test_subject_is_bold_without_label_or_full_stop(make: Any) -> None:
    letter = make()
    document = open_docx(render_docx(letter))
    (subject,) = [p for p in document.paragraphs if p.text == letter.subject]
    assert subject.runs
    assert all(run.bold or (run.bold is None and subject.style.font.bold) for run in subject.runs)
    assert "Betreff" not in subject.text and not subject.text.endswith(".")


@pytest.mark.parametrize("make", [german, english])
def test_no_template_tags_are_left(make: Any) -> None:
    for name, xml in xml_parts(render_docx(long_version(make()))).items():
        assert "{{" not in xml and "{%" not in xml and "{#" not in xml, name


def test_each_body_paragraph_is_one_paragraph_with_spacing_not_blank_lines() -> None:
    document = open_docx(render_docx(german()))
    top_level = [p.text for p in document.paragraphs]
    assert "" not in top_level
    assert top_level.count(DE_BLOCKS[1].text) == 1


def test_empty_optional_parts_leave_no_trace() -> None:
    letter = german(
        references=(), enclosures=(), enclosures_label="Anlage", footer=(), sender_line="", signature=()
    )
    data = render_docx(letter)
    document = open_docx(data)
    assert [p.text for p in document.paragraphs][-1] == letter.closing
    assert "Anlage" not in "".join(texts(data))
    assert "Ihr Vertrag" not in "".join(texts(data))


def test_enclosure_label_is_bold_in_german() -> None:
    document = open_docx(render_docx(german()))
    (label,) = [p for p in document.paragraphs if p.text == "Anlage"]
    assert label.style.font.bold


def test_din_layout_has_fold_and_hole_marks_on_the_first_page() -> None:
    headers = xml_parts(render_docx(german()))
    first = next(xml for xml in headers.values() if "framePr" in xml and "Muster Web" in xml)
    tops = {round(int(y) * 25.4 / 1440, 1) for y in re.findall(r'w:framePr[^>]*w:y="(\d+)"', first)}
    assert {105.0, 148.5, 210.0} <= tops


def test_locale_and_properties_come_from_the_letter() -> None:
    letter = english(locale="en-US")
    document = open_docx(render_docx(letter))
    props = document.core_properties
    assert props.author == props.last_modified_by == "Erika Muster"
    assert props.title == letter.subject
    assert props.created.date() == props.modified.date() == date(2026, 11, 26)
    assert 'w:val="en-US"' in document.styles.element.xml


def test_context_offers_exactly_the_documented_placeholders() -> None:
    assert set(build_context(german())) == set(PLACEHOLDERS)


# --- escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [german, english])
def test_data_comes_out_literally(make: Any) -> None:
    letter = make(
        subject=f"Kündigung {TRICKY}",
        blocks=(Block("decision", TRICKY), Block("thanks", "Danke.\nZweite Zeile")),
        recipient_address=(TRICKY, "80331 München"),
        references=(Reference("<Ref & Co>", "{{ x }}"),),
        footer=(TRICKY,),
        signature=(TRICKY,),
    )
    data = render_docx(letter)
    paragraphs = texts(data)
    for text in (letter.subject, TRICKY):
        assert text in paragraphs
    assert "<Ref & Co>:\t{{ x }}" in paragraphs or "<Ref & Co>: {{ x }}" in paragraphs
    footer_text = "".join(open_docx(data).sections[0].first_page_footer.paragraphs[0].text)
    assert footer_text == TRICKY


def test_newline_in_data_becomes_a_line_break() -> None:
    data = render_docx(german(blocks=(Block("decision", "eins\nzwei"),)))
    assert "<w:br/>" in xml_parts(data)["word/document.xml"]


def test_control_characters_are_refused_with_the_field_named() -> None:
    letter = german(blocks=(DE_BLOCKS[0], Block("reasons", "Achtung\x07")))
    with pytest.raises(RenderError, match=r"Letter\.blocks\[1\]\.text.*U\+0007"):
        render_docx(letter)


# --- determinism ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [german, english])
def test_same_letter_gives_identical_bytes(make: Any) -> None:
    first, second = render_docx(make()), render_docx(make())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"


def test_identical_bytes_across_processes() -> None:
    code = (
        "import sys, hashlib; sys.path[:0] = [sys.argv[1], sys.argv[2]];"
        "from test_render_docx import german; from letterkit.render.docx import render_docx;"
        "print(hashlib.sha256(render_docx(german())).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), str(Path(__file__).parent)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_built_in_templates_match_their_build_script() -> None:
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "scripts" / "build_templates.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    sys.modules["build_templates"] = script  # dataclasses look their module up
    spec.loader.exec_module(script)
    # the parts, their order and their bytes (the DEFLATE streams may differ between
    # compressor builds on other processors; what they hold may not)
    built = script.build(script.din_layout(script.din_letterhead()))
    assert list(read_zip(built).items()) == list(
        read_zip((ROOT / "templates" / "de" / "letter.docx").read_bytes()).items()
    )
    built = script.build(script.en_layout())
    assert list(read_zip(built).items()) == list(
        read_zip((ROOT / "templates" / "en" / "letter.docx").read_bytes()).items()
    )
    built = script.build(script.en_layout(us_letter=True))
    assert list(read_zip(built).items()) == list(
        read_zip((ROOT / "templates" / "en" / "letter-us.docx").read_bytes()).items()
    )


# --- user templates ------------------------------------------------------------------------


def test_house_letterhead_renders() -> None:
    data = render_docx(english(), LETTERHEAD)
    parts = xml_parts(data)
    assert any("NORDLICHT" in xml for name, xml in parts.items() if "header" in name)
    assert english().subject in texts(data)
    assert not any("{{" in xml for xml in parts.values())


def edited_template(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the German template with one piece of document.xml replaced."""
    source = ROOT / "templates" / "de" / "letter.docx"
    target = tmp_path / "edited.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            out.writestr(name, data)
    return target


def test_unknown_placeholder_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = edited_template(tmp_path, "{{ subject }}", "{{ subjcet }}")
    with pytest.raises(TemplateError) as caught:
        render_docx(german(), path)
    message = str(caught.value)
    assert str(path) in message and "'subjcet' is not known" in message
    assert "did you mean 'subject'" in message and "recipient_address" in message


def test_unknown_field_of_a_placeholder_is_an_error_not_a_blank(tmp_path: Path) -> None:
    path = edited_template(tmp_path, "{{ b.text }}", "{{ b.txt }}")
    with pytest.raises(TemplateError, match="txt"):
        render_docx(german(), path)


def test_jinja_syntax_error_names_the_paragraph(tmp_path: Path) -> None:
    path = edited_template(tmp_path, "{%p endfor %}", "{%p endfo %}")
    with pytest.raises(TemplateError, match=r"syntax error: Encountered unknown tag 'endfo'"):
        render_docx(german(), path)


@pytest.mark.parametrize("broken", ["{{ closing }", "{{ closing", "{ closing }}"])
def test_unclosed_placeholder_is_an_error_not_lost_text(tmp_path: Path, broken: str) -> None:
    path = edited_template(tmp_path, "{{ closing }}", broken)
    with pytest.raises(TemplateError, match="a different number of times"):
        render_docx(german(), path)


def test_template_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "letterhead.docx"
    path.write_text("not a document")
    with pytest.raises(TemplateError, match="not a Word document"):
        render_docx(german(), path)


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "letterhead.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "hi")
    with pytest.raises(TemplateError, match=r"no word/document\.xml"):
        render_docx(german(), path)


def test_missing_template_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="cannot be read"):
        render_docx(german(), tmp_path / "missing.docx")


def test_missing_label_is_an_error_not_a_blank() -> None:
    with pytest.raises(TemplateError, match="page"):
        render_docx(german(labels={}))


# --- PDF -----------------------------------------------------------------------------------

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler's pdftotext are needed",
)


def pdf_text(data: bytes, *options: str) -> str:
    result = subprocess.run(["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@needs_libreoffice
def test_german_two_page_letter_converts_with_page_numbers() -> None:
    letter = long_version(german(blocks=(*DE_BLOCKS[:2], Block("reasons", TRICKY), DE_BLOCKS[2])))
    text = pdf_text(render_pdf(letter))
    assert letter.subject in text and letter.closing in text
    assert "Seite 2 von 2" in text and "Seite 1 von" not in text
    assert "Müller & Söhne <GmbH>" in text


@needs_libreoffice
def test_english_letter_converts() -> None:
    one_page = pdf_text(render_pdf(english()))
    assert english().subject in one_page and "Yours sincerely" in one_page
    assert "Page" not in one_page  # a one-page letter carries no page number
    assert "Page 2 of 2" in pdf_text(render_pdf(long_version(english())))


@needs_libreoffice
def test_din_positions_in_the_pdf() -> None:
    """Subject at 98.5 mm, address zone at 62.7 mm, info block at 125 mm (DIN 5008 form B)."""
    layout = pdf_text(docx_to_pdf(render_docx(german())), "-bbox", "-f", "1", "-l", "1")

    def where(word: str) -> tuple[float, float]:
        found = re.search(rf'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>{word}<', layout)
        assert found, word
        return float(found.group(1)) * 25.4 / 72, float(found.group(2)) * 25.4 / 72

    assert where("Kündigung") == pytest.approx((25, 98.5), abs=1.0)
    assert where("Beispiel") == pytest.approx((25, 62.7), abs=1.0)
    assert where("Ihr")[0] == pytest.approx(125, abs=1.0)


def test_missing_libreoffice_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf_module, "KNOWN_LOCATIONS", ())
    with pytest.raises(MissingToolError, match="libreoffice-writer-nogui"):
        render_pdf(german())
    with pytest.raises(MissingToolError, match=r"write \.docx and convert it yourself"):
        docx_to_pdf(b"")


@pytest.mark.parametrize("make", [german, english])
def test_dates_do_not_break_across_lines(make: Any) -> None:
    letter = make()
    body = "\n".join(texts(render_docx(letter)))
    assert "31.\u00a0Dezember\u00a02026" in body or "31\u00a0December\u00a02026" in body
