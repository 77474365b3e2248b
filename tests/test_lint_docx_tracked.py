"""Tracked changes in a .docx: the lint reads the document as it now reads — inserted and
moved-to text, not deleted text nor the old place of a moved passage (tester 33: a moved
sentence was reported twice, at its old and its new paragraph)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from letterkit.lint import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
BLAME = "Sie haben es versäumt, die Rechnungen pünktlich zu bezahlen."
MARK = 'w:id="{n}" w:author="JW" w:date="2026-11-26T10:00:00Z"'


def docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p>{p}</w:p>" for p in paragraphs)
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", document)
    return buffer.getvalue()


def run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


OPENING = run("Sehr geehrte Frau Berger,")
DECISION = run("wir beenden den Reinigungsvertrag zum 31. Januar 2027.")
CLOSING = run("Vielen Dank für die gute Zusammenarbeit. Mit freundlichen Grüßen")


def blame_paragraphs(data: bytes, tmp_path: Path) -> list[int]:
    path = tmp_path / "draft.docx"
    path.write_bytes(data)
    return [f.line for f in lint(path, lang="de") if f.rule.startswith("blame/")]


def test_a_moved_sentence_is_linted_once_at_its_new_place(tmp_path: Path) -> None:
    moved_from = (
        f'<w:moveFromRangeStart {MARK.format(n=1)} w:name="move1"/><w:moveFrom {MARK.format(n=2)}>'
        f'{run(BLAME)}</w:moveFrom><w:moveFromRangeEnd w:id="1"/>'
    )
    moved_to = (
        f'<w:moveToRangeStart {MARK.format(n=3)} w:name="move1"/><w:moveTo {MARK.format(n=4)}>'
        f'{run(BLAME)}</w:moveTo><w:moveToRangeEnd w:id="3"/>'
    )
    data = docx([OPENING, DECISION, moved_from, run("Die Schlüssel geben wir zurück."), moved_to, CLOSING])
    assert blame_paragraphs(data, tmp_path) == [5]


def test_deleted_text_is_not_read_and_inserted_text_is(tmp_path: Path) -> None:
    deleted = f"<w:del {MARK.format(n=1)}><w:r><w:delText>{BLAME}</w:delText></w:r></w:del>"
    inserted = f"<w:ins {MARK.format(n=2)}>{run(BLAME)}</w:ins>"
    assert blame_paragraphs(docx([OPENING, DECISION, deleted, CLOSING]), tmp_path) == []
    assert blame_paragraphs(docx([OPENING, DECISION, inserted, CLOSING]), tmp_path) == [3]
    # a plain run inside a deletion (some editors write w:t there) is deleted text too
    odd = f"<w:del {MARK.format(n=1)}>{run(BLAME)}</w:del>"
    assert blame_paragraphs(docx([OPENING, DECISION, odd, CLOSING]), tmp_path) == []
