"""A .docx saved as "Strict Open XML Document" (tester 8): Word writes its elements in the
ISO 29500 strict namespace (http://purl.oclc.org/ooxml/wordprocessingml/main) instead of
the transitional one. letterkit found no paragraph in it and said "the draft is empty"
(exit 0). The elements that hold text are the same in both: it is read like any .docx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from letterkit.lint import lint

STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def test_a_strict_document_is_read(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>Dear Ms Patel,</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>We end the contract on 31 December 2026. You failed to pay.</w:t></w:r></w:p>"
        '<w:p><w:ins w:id="1" w:author="x"><w:r><w:t>You are an idiot.</w:t></w:r></w:ins></w:p>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{STRICT}" w:conformance="strict"><w:body>{body}</w:body></w:document>',
        )
    path = tmp_path / "d.docx"
    path.write_bytes(buffer.getvalue())
    found = {(f.rule, f.line) for f in lint(path, lang="en")}
    assert {("blame/failed-to", 2), ("hostile/insult", 3)} <= found
