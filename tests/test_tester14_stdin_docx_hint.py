"""A .docx piped in without a name (`git show HEAD:letter.docx | letterkit lint -`) is
refused with both ways to lint it: by its file name, or named with --stdin-filename, which
reads standard input as a Word document (tester14)."""

from __future__ import annotations

import io
import zipfile

from click.testing import CliRunner

from letterkit.cli import main

DOCUMENT = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    "<w:p><w:r><w:t>You failed to pay the invoice.</w:t></w:r></w:p></w:body></w:document>"
)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", DOCUMENT)
    return buffer.getvalue()


def test_the_refusal_names_stdin_filename_and_it_works():
    runner = CliRunner()
    refused = runner.invoke(main, ["lint", "--lang", "en", "-"], input=_docx())
    assert refused.exit_code == 2
    assert "--stdin-filename draft.docx" in refused.stderr
    named = runner.invoke(main, ["lint", "--lang", "en", "-", "--stdin-filename", "draft.docx"], input=_docx())
    assert named.exit_code == 1 and "draft.docx:1:5: blame/failed-to" in named.stdout
