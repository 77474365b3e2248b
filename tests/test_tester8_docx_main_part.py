"""A .docx whose main part is not word/document.xml (tester 8). The package's
_rels/.rels names the main document; Word for Mac and Word online sometimes write it as
word/document2.xml, and letterkit refused such a file as "not a Word document". It is
found through _rels/.rels, as Word finds it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from letterkit.errors import SourceError
from letterkit.lint import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Target="{target}" Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
BODY = "<w:p><w:r><w:t>Dear Ms Patel, we end the contract on 31 December 2026. You failed to pay.</w:t></w:r></w:p>"


def package(tmp_path: Path, part: str, target: str | None) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, f'<w:document xmlns:w="{W}"><w:body>{BODY}</w:body></w:document>')
        if target is not None:
            archive.writestr("_rels/.rels", RELS.format(target=target))
    path = tmp_path / "d.docx"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("target", ["word/document2.xml", "/word/document2.xml"])
def test_the_main_part_named_by_the_package(tmp_path: Path, target: str) -> None:
    found = [f.rule for f in lint(package(tmp_path, "word/document2.xml", target), lang="en")]
    assert "blame/failed-to" in found


def test_without_a_main_part_it_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a Word document"):
        lint(package(tmp_path, "word/other.xml", "word/missing.xml"), lang="en")
