"""Text boxes and footnotes in a .docx (tester 35): a footnote's text is part of the letter
and is linted; a text box's paragraph is linted once, as a paragraph of its own — not also
inside the paragraph that anchors it, and not again from the VML copy Word writes beside
the drawing (mc:Fallback)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from letterkit.lint import lint
from letterkit.lint.formats import docx_draft

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = f'xmlns:w="{W}" xmlns:mc="{MC}" xmlns:v="urn:schemas-microsoft-com:vml"'
BOX = "Eltern, die unsere Öffnungszeiten nicht begreifen, sind bei uns falsch."
NOTE = "Selbst Ihnen dürfte klar sein, dass wir die Bescheinigung nur einmal ausstellen."


def run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def box(text: str) -> str:
    return f"<w:txbxContent><w:p>{run(text)}</w:p></w:txbxContent>"


def package(body: str, footnotes: str | None = None) -> bytes:
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
        if footnotes is not None:
            archive.writestr(
                "word/footnotes.xml", f'<?xml version="1.0"?><w:footnotes {NS}>{footnotes}</w:footnotes>'
            )
    return buffer.getvalue()


OPENING = f"<w:p>{run('Sehr geehrte Frau Berger,')}</w:p>"
DECISION = f"<w:p>{run('wir beenden den Betreuungsvertrag zum 31. Januar 2027.')}</w:p>"


def lines(data: bytes) -> list[str]:
    return [line for line in docx_draft(data, "d.docx").text.split("\n") if line]


def test_a_vml_text_box_is_read_once_as_its_own_paragraph() -> None:
    anchor = f"<w:p>{run('Hinweis:')}<w:r><w:pict><v:shape><v:textbox>{box(BOX)}</v:textbox></v:shape></w:pict></w:r></w:p>"
    found = lines(package(OPENING + anchor + DECISION))
    assert found.count(BOX) == 1
    assert "Hinweis:" in found


def test_a_drawing_text_box_and_its_vml_copy_are_read_once() -> None:
    drawing = (
        f"<w:p>{run('Hinweis:')}<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing>{box(BOX)}</w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box(BOX)}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    text = docx_draft(package(OPENING + drawing + DECISION), "d.docx").text
    assert text.count(BOX) == 1


def test_a_footnote_is_linted(tmp_path: Path) -> None:
    notes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p>{run(NOTE)}</w:p></w:footnote>'
    )
    path = tmp_path / "d.docx"
    path.write_bytes(package(OPENING + DECISION, notes))
    found = [f for f in lint(path, lang="de") if f.category == "condescension"]
    assert [f.text for f in found] == ["Selbst Ihnen dürfte klar"]
    assert lines(path.read_bytes())[-1] == NOTE
