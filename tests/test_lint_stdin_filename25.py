"""``letterkit lint - --stdin-filename NAME``: a draft piped in is read in the format its
name says and reported under that name, as an editor lints an unsaved buffer (tester8:
HTML and emails on standard input were read as plain text: a <script> gave a finding, and
a phrase joined by &nbsp; was missed)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from io import BytesIO

from click.testing import CliRunner
from docx import Document

from letterkit.cli import main

HTML = (
    "<html><body><p>Sehr geehrte Frau Berger,</p><p>Sie haben es&nbsp;versäumt, die Rechnung zu "
    "bezahlen.</p><script>var idiot = 1;</script></body></html>"
).encode()


def _lint(data: bytes, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lint", "-", "--lang", "de", "--format", "json", *args], input=data)
    return result.exit_code, result.stdout


def _rules(output: str) -> list[tuple[str, str]]:
    return [(f["rule"], f["path"]) for f in json.loads(output)["findings"]]


def test_html_on_standard_input_is_read_as_html_under_its_name() -> None:
    code, output = _lint(HTML, "--stdin-filename", "drafts/kuendigung.html")
    assert code == 1
    assert _rules(output) == [("blame/versaeumt", "drafts/kuendigung.html")]


def test_without_a_name_it_is_text_as_before() -> None:
    _code, output = _lint(HTML)
    assert ("hostile/beleidigend", "<stdin>") in _rules(output)  # the script's "idiot", read as text


def test_an_email_on_standard_input_is_decoded() -> None:
    message = EmailMessage()
    message["Subject"] = "Kündigung"
    message.set_content(
        "Guten Tag Frau Berger,\n\nSie haben es versäumt, die Rechnung zu bezahlen.\n", cte="base64"
    )
    _code, output = _lint(message.as_bytes(), "--stdin-filename", "mail.eml")
    assert ("blame/versaeumt", "mail.eml") in _rules(output)
    _code, plain = _lint(message.as_bytes())  # as text: the base64 body is no German
    assert "blame/versaeumt" not in [rule for rule, _ in _rules(plain)]


def test_a_word_file_on_standard_input_is_read_with_a_docx_name() -> None:
    document = Document()
    document.add_paragraph("Sehr geehrte Frau Berger,")
    document.add_paragraph("Sie haben es versäumt, die Rechnung zu bezahlen.")
    buffer = BytesIO()
    document.save(buffer)
    code, output = _lint(buffer.getvalue(), "--stdin-filename", "brief.docx")
    assert ("blame/versaeumt", "brief.docx") in _rules(output)
    code, _ = _lint(buffer.getvalue())
    assert code == 2  # a zip archive on standard input without its name is refused, as before


def test_a_name_without_standard_input_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["lint", "x.txt", "--stdin-filename", "x.html"])
    assert result.exit_code == 2
    assert "give - among the files" in result.output
