"""Hidden text in a .docx (tester 8): a run formatted as hidden (Font > Hidden, w:vanish),
as templates use for instructions to the writer, is not on the page and not printed. It
was linted as part of the letter: a hidden note gave findings on a paragraph that reads
clean. Hidden runs are left out, as tracked deletions are."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from letterkit.lint import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_a_hidden_run_is_not_read(tmp_path: Path) -> None:
    hidden = '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">Sie haben es wieder einmal versäumt, Sie Idiot. </w:t></w:r>'
    shown = '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>Sie sind unmöglich.</w:t></w:r>'
    body = (
        "<w:p><w:r><w:t>Sehr geehrte Frau Berg,</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t xml:space=\"preserve\">wir beenden den Vertrag zum 31. Dezember 2026. </w:t></w:r>{hidden}{shown}</w:p>"
        "<w:p><w:r><w:t>Vielen Dank und alles Gute.</w:t></w:r></w:p>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
    path = tmp_path / "d.docx"
    path.write_bytes(buffer.getvalue())
    found = [(f.rule, f.text, f.column) for f in lint(path, lang="de") if not f.rule.startswith("structure/")]
    column = len("wir beenden den Vertrag zum 31. Dezember 2026. Sie ") + 1
    assert found == [("hostile/abwertend", "sind unmöglich", column)]
