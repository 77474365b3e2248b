"""A .docx whose text is an imported chunk (tester 8). Programs that make Word files from
HTML (and mail merges) often write the body as ``w:altChunk``: a reference to an HTML,
RTF or other document part that Word converts when it opens the file. letterkit read
none of it and said "the draft is empty" (exit 0): a letter full of reproaches passed.
It is refused as a draft letterkit cannot read (exit 2), with what to do."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import SourceError
from letterkit.lint import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def package(tmp_path: Path, body: str) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}</w:body></w:document>'
        )
        archive.writestr("word/afchunk.htm", "<html><body><p>You failed to pay. You are an idiot.</p></body></html>")
    path = tmp_path / "d.docx"
    path.write_bytes(buffer.getvalue())
    return path


def test_a_body_that_is_an_imported_chunk_is_refused(tmp_path: Path) -> None:
    path = package(tmp_path, '<w:altChunk r:id="rId9"/>')
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    assert "w:altChunk" in result.stderr and "save it again" in result.stderr
    assert "empty" not in result.stderr


def test_a_chunk_beside_paragraphs_is_refused_too(tmp_path: Path) -> None:
    """Its text would pass unchecked while the rest is linted."""
    path = package(tmp_path, '<w:p><w:r><w:t>Dear Ms Patel,</w:t></w:r></w:p><w:altChunk r:id="rId9"/>')
    with pytest.raises(SourceError, match="altChunk"):
        lint(path)
