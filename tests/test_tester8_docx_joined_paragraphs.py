"""A paragraph mark deleted with Track Changes on (tester 8): an editor who joins two
paragraphs in Word leaves both in the file, the first one's mark recorded as deleted
(``w:pPr/w:rPr/w:del``). The document as it reads has one paragraph there, so the sentence
goes on in the next one; read as two paragraphs, "Sie haben es" and "versäumt, zu zahlen."
were two sentences, and the blame in them passed. They are one paragraph, numbered as
the page shows it with the changes accepted (the text that is linted)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from letterkit.lint import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GONE = '<w:pPr><w:rPr><w:{kind} w:id="1" w:author="Lena" w:date="2026-11-20T10:00:00Z"/></w:rPr></w:pPr>'


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def paragraph(text: str, props: str = "") -> str:
    return f"<w:p>{props}{run(text)}</w:p>"


def draft(tmp_path: Path, middle: str) -> Path:
    body = (
        paragraph("Sehr geehrte Frau Berg,")
        + paragraph("wir beenden den Vertrag zum 31. Dezember 2026.")
        + middle
        + paragraph("Vielen Dank und alles Gute.")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
    path = tmp_path / "d.docx"
    path.write_bytes(buffer.getvalue())
    return path


def blame(path: Path) -> list[tuple[str, int, int]]:
    return [(f.text, f.line, f.column) for f in lint(path, lang="de") if f.category == "blame"]


def test_a_deleted_paragraph_mark_joins_the_sentence(tmp_path: Path) -> None:
    middle = paragraph("Sie haben es ", GONE.format(kind="del")) + paragraph("versäumt, zu zahlen.")
    assert blame(draft(tmp_path, middle)) == [("versäumt", 3, 14)]


def test_the_mark_of_a_moved_paragraph_joins_too(tmp_path: Path) -> None:
    middle = paragraph("Sie haben es ", GONE.format(kind="moveFrom")) + paragraph("versäumt, zu zahlen.")
    assert blame(draft(tmp_path, middle)) == [("versäumt", 3, 14)]


def test_a_deleted_paragraph_is_no_paragraph(tmp_path: Path) -> None:
    """Its text and its mark deleted: the paragraphs after it are numbered as a page shows them."""
    deleted = (
        f"<w:p>{GONE.format(kind='del')}"
        '<w:del w:id="2" w:author="Lena" w:date="2026-11-20T10:00:00Z"><w:r><w:delText>Alter Absatz.</w:delText></w:r></w:del></w:p>'
    )
    middle = deleted + paragraph("Sie haben es versäumt, zu zahlen.")
    assert blame(draft(tmp_path, middle)) == [("versäumt", 3, 14)]


def test_an_inserted_mark_keeps_two_paragraphs(tmp_path: Path) -> None:
    """An inserted paragraph mark (w:ins) is a paragraph break as it reads."""
    middle = paragraph("Sie haben es eilig.", GONE.format(kind="ins")) + paragraph("versäumt, zu zahlen.")
    assert blame(draft(tmp_path, middle)) == []
