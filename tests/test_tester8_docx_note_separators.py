"""A footnote's paragraph number (tester 8): Word and LibreOffice write a separator and a
continuation separator before the footnotes (``w:footnote w:type="separator"``), each one
empty paragraph that no page shows as one; they must not push every footnote's paragraph
number (its ``line``) two further on."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from letterkit.lint import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'
NOTE = "Selbst Ihnen dürfte klar sein, dass wir die Bescheinigung nur einmal ausstellen."
SEPARATORS = (
    '<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
    '<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
)


def run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def package(part: str, kind: str) -> bytes:
    body = (
        f"<w:p>{run('Sehr geehrte Frau Berger,')}</w:p>"
        f"<w:p>{run('wir beenden den Betreuungsvertrag zum 31. Januar 2027.')}</w:p>"
    )
    notes = SEPARATORS.format(kind=kind) + f'<w:{kind} w:id="1"><w:p>{run(NOTE)}</w:p></w:{kind}>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        archive.writestr(f"word/{part}", f"<w:{kind}s {NS}>{notes}</w:{kind}s>")
    return buffer.getvalue()


def test_a_footnote_is_the_paragraph_after_the_body(tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    path.write_bytes(package("footnotes.xml", "footnote"))
    found = [f for f in lint(path, lang="de") if f.category == "condescension"]
    assert [(f.text, f.line, f.column) for f in found] == [("Selbst Ihnen dürfte klar", 3, 1)]


def test_an_endnote_is_the_paragraph_after_the_body(tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    path.write_bytes(package("endnotes.xml", "endnote"))
    found = [f for f in lint(path, lang="de") if f.category == "condescension"]
    assert [(f.text, f.line) for f in found] == [("Selbst Ihnen dürfte klar", 3)]
