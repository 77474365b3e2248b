"""Defects an outside tester found in `letterkit lint` on whole drafts (issue #4, lintfix30):
the subject of an HTML-only email, positions in base64 parts, emphasis of a product name or
inside a word, a manual line break in Word, quoted lines in text, and files that cannot be read."""

from __future__ import annotations

import base64
import re
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from letterkit.lint import lint
from letterkit.lint.readers import read_draft

SUBJECT = "LETZTE WARNUNG: Ihre ständigen Zahlungsverzögerungen"
BODY = (
    "Sehr geehrter Herr Roth,\n\nwir kündigen den Vertrag zum 31. März 2027.\n\n"
    "Sie haben es versäumt, die Rechnungen zu bezahlen.\n\nVielen Dank und alles Gute.\n\n"
    "Mit freundlichen Grüßen\nEva Kurz\n"
)
HTML = "<html><body>" + "".join(f"<p>{p}</p>" for p in BODY.strip().split("\n\n")) + "</body></html>\n"


def _mail(body: str, cte: str, subtype: str = "plain", subject: str = SUBJECT) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "a@example.com"
    message["To"] = "b@example.com"
    message["Subject"] = subject
    message.set_content(body, subtype=subtype, cte=cte)
    return message.as_bytes()


def _subject_rules(findings) -> set[str]:
    return {f.rule for f in findings if f.sentence.startswith("LETZTE")}


# 3. The subject of an HTML-only email is linted, on its Subject: line -----------------------


@pytest.mark.parametrize("cte", ["8bit", "quoted-printable", "base64"])
def test_the_subject_of_an_html_email_is_linted_on_its_header_line(tmp_path, cte):
    plain = tmp_path / "plain.eml"
    plain.write_bytes(_mail(BODY, cte))
    path = tmp_path / "html.eml"
    data = _mail(HTML, cte, subtype="html")
    path.write_bytes(data)
    found = lint(path, lang="de")
    expected = _subject_rules(lint(plain, lang="de"))
    assert {"threat/letzte-warnung", "shouting/grossbuchstaben", "absolute/staendig"} <= expected
    assert _subject_rules(found) == expected
    lines = data.decode().split("\n")
    for finding in found:
        if finding.sentence.startswith("LETZTE"):
            assert lines[finding.line - 1].startswith("Subject:"), finding
    assert any(f.rule == "blame/versaeumt" for f in found)


def test_an_ascii_subject_of_an_html_email_points_at_each_word(tmp_path):
    path = tmp_path / "html.eml"
    data = _mail(HTML, "base64", subtype="html", subject="LETZTE WARNUNG vor der Kündigung")
    path.write_bytes(data)
    warning = next(f for f in lint(path, lang="de") if f.rule == "threat/letzte-warnung")
    line = data.decode().split("\n")[warning.line - 1]
    assert line.startswith("Subject: LETZTE") and line[warning.column - 1 :].startswith("LETZTE WARNUNG")


# 4. Positions in a base64 part are the file's -----------------------------------------------


def _wrapped(encoded: str, widths: list[int]) -> str:
    """base64 text on lines of the given widths, the last one repeated."""
    lines, at, index = [], 0, 0
    while at < len(encoded):
        width = widths[min(index, len(widths) - 1)]
        lines.append(encoded[at : at + width])
        at, index = at + width, index + 1
    return "\r\n".join(lines) + "\r\n"


def _base64_mail(body: str, subtype: str, widths: list[int]) -> bytes:
    head = (
        "From: a@example.com\r\nTo: b@example.com\r\nSubject: Kündigung\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    )
    encoded = base64.b64encode(body.replace("\n", "\r\n").encode()).decode()
    return head.encode() + _wrapped(encoded, widths).encode()


def _alphabet_places(data: str) -> tuple[list[tuple[int, int]], str]:
    """(line, column) of each base64 character of the body, in order, and the body's bytes
    as written (CR LF)."""
    body_start = data.index("\r\n\r\n") + 4
    first_line = data[:body_start].count("\n") + 1
    places = []
    for number, line in enumerate(data[body_start:].split("\n"), start=first_line):
        places += [
            (number, column) for column, char in enumerate(line, 1) if re.match(r"[A-Za-z0-9+/]", char)
        ]
    return places, data[body_start:]


@pytest.mark.parametrize("widths", [[76], [60], [57, 71, 4, 76], [1000]], ids=str)
@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_each_character_of_a_base64_part_is_found_at_its_quantum(tmp_path, subtype, widths):
    """Every character of the body points at the base64 character that holds the first bits
    of its first byte, on the file's line that holds it (lines of any width, a quantum
    split over two lines too)."""
    body = BODY if subtype == "plain" else HTML
    data = _base64_mail(body, subtype, widths)
    path = tmp_path / "mail.eml"
    path.write_bytes(data)
    draft = read_draft(path)
    places, _ = _alphabet_places(data.decode())
    raw = body.replace("\n", "\r\n").encode()
    # where each character of the body (CR LF read as LF) starts in the bytes
    starts, byte = [], 0
    for char in body.replace("\n", "\r\n"):
        if char != "\r":
            starts.append(byte)
        byte += len(char.encode())
    assert len(raw) == byte
    text = draft.text
    head = "Kündigung\n\n"
    assert text.startswith(head)
    if subtype == "plain":
        assert text[len(head) :] == body
        for index, first_byte in enumerate(starts):
            assert draft.position(len(head) + index) == places[first_byte // 3 * 4 + first_byte % 3], index
    blame = next(f for f in lint(path, lang="de") if f.rule == "blame/versaeumt")
    first_byte = raw.index("versäumt".encode())
    assert (blame.line, blame.column) == places[first_byte // 3 * 4 + first_byte % 3]
    lines = data.decode().split("\r\n")
    assert lines[blame.line - 1] and not lines[blame.line - 1].startswith(("From", "MIME", "Content"))


def test_the_subject_of_a_base64_email_is_on_its_header_line(tmp_path):
    path = tmp_path / "mail.eml"
    data = _mail(BODY, "base64", subject="Leider LETZTE WARNUNG")
    path.write_bytes(data)
    lines = data.decode().split("\n")
    for finding in lint(path, lang="de"):
        if finding.sentence.startswith("Leider"):
            assert lines[finding.line - 1][finding.column - 1 :].startswith(finding.text), finding


def test_a_base64_utf16_part_still_points_into_the_file(tmp_path):
    """The part decodes to UTF-16, but the file around it is ASCII: its lines are the file's."""
    head = "Subject: Vertrag\r\nContent-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    raw = BODY.replace("\n", "\r\n").encode("utf-16")
    data = head + _wrapped(base64.b64encode(raw).decode(), [76])
    path = tmp_path / "u16.eml"
    path.write_bytes(data.encode())
    blame = next(f for f in lint(path, lang="de") if f.rule == "blame/versaeumt")
    places, _ = _alphabet_places(data)
    first_byte = raw.index("versäumt".encode("utf-16-le"))
    assert (blame.line, blame.column) == places[first_byte // 3 * 4 + first_byte % 3]


# 9. A manual line break (Shift+Enter) in Word is a line break ------------------------------


def _docx(tmp_path, paragraphs: list[list[str]], name: str = "draft.docx"):
    """A Word file: each paragraph a list of lines joined by manual line breaks (w:br)."""
    import docx

    document = docx.Document()
    for lines in paragraphs:
        paragraph = document.add_paragraph()
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if index < len(lines) - 1:
                run.add_break()
    path = tmp_path / name
    document.save(str(path))
    return path


DE_LETTER = [
    ["Sehr geehrter Herr Vogel,"],
    ["hiermit kündigen wir den Verwaltervertrag zum 31. März 2027."],
    ["Vielen Dank für die gute Zusammenarbeit und alles Gute für die Zukunft."],
]


def test_a_manual_line_break_in_word_ends_the_line(tmp_path):
    path = _docx(tmp_path, [*DE_LETTER, ["MfG", "Claudia Lindner"]])
    closing = [f for f in lint(path, lang="de") if f.rule == "structure/abbreviated-closing"]
    assert [(f.line, f.column, f.text) for f in closing] == [(4, 1, "MfG")]
    path = _docx(
        tmp_path, [["Dear Mr Hill,"], ["Line one", "As per my last email, the keys are due on Friday."]]
    )
    finding = next(f for f in lint(path, lang="en") if f.rule == "passive_aggressive/per-my-last-email")
    assert finding.sentence.startswith("As per my last email")
    # the paragraph's number, and the column in the paragraph (the break counts as a character)
    assert finding.line == 2
    assert "Line one\nAs per my last email"[finding.column - 1 :].startswith(finding.text)


def test_an_address_with_manual_line_breaks_reads_as_lines(tmp_path):
    path = _docx(tmp_path, [["Herrn", "Markus Vogel", "Königsallee 12", "40212 Düsseldorf"], *DE_LETTER])
    text = read_draft(path).text
    assert text.startswith("Herrn\nMarkus Vogel\nKönigsallee 12\n40212 Düsseldorf\n\nSehr geehrter")


# 7. A bold name is no shouting; bold inside a word is no emphasis of a word ----------------

SAAS_HTML = """<html><body><p>Dear Ms Patel,</p>
<p>We are writing to let you know that Brightline Analytics will end your
<strong>Enterprise</strong> subscription on January 31, 2027.</p>
<p>Please return the access cards <b>immediately</b>.</p>
<p>Thank you for working with us, and all the best.</p>
<p>Kind regards,<br>Sam Lee</p></body></html>
"""


def _emphasis_findings(findings) -> list[str]:
    return [f.text for f in findings if f.rule in ("shouting/emphasis", "shouting/hervorhebung")]


def test_a_bold_product_name_is_no_shouting(tmp_path):
    path = tmp_path / "saas.html"
    path.write_text(SAAS_HTML, encoding="utf-8")
    assert _emphasis_findings(lint(path, lang="en")) == ["immediately"]


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("We will end your **Enterprise** subscription on 31 January 2027.", "en", []),
        ("Your **Gold Plan** ends on 31 January 2027.", "en", []),
        ("Wir beenden Ihr **Enterprise**-Abo zum 31. Januar 2027.", "de", []),
        ("Wir beenden Ihren **Premium** Tarif zum 31. Januar 2027.", "de", []),
        # a name in a sentence that asks something, a word aimed at the reader: still shouting
        ("Please renew your **Enterprise** subscription.", "en", ["Enterprise"]),
        ("Your **Gold Plan** must be paid by Friday.", "en", ["Gold Plan"]),
        ("You have **never** paid on time.", "en", ["never"]),
        ("Ihre **Zahlungsmoral** ist mangelhaft.", "de", ["Zahlungsmoral"]),
        ("**Please** pay the invoice.", "en", ["Please"]),
    ],
)
def test_bold_names_and_bold_words(text, lang, expected):
    assert _emphasis_findings(lint(text, lang=lang)) == expected


def test_bold_inside_a_word_counts_by_whole_words(tmp_path):
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("You fai")
    paragraph.add_run("led").bold = True
    paragraph.add_run(" to send the forms, and you ")
    paragraph.add_run("must").bold = True
    paragraph.add_run(" return the keys.")
    path = tmp_path / "runs.docx"
    document.save(str(path))
    assert _emphasis_findings(lint(path, lang="en")) == ["must"]
    html = tmp_path / "runs.html"
    html.write_text("<p>Dear Sam,</p><p>You fai<b>led</b> to send the forms; you <b>fai</b>led twice.</p>")
    assert _emphasis_findings(lint(html, lang="en")) == []
    for text in ("You fai**led** to send the forms.", "You **fai**led to send the forms."):
        assert _emphasis_findings(lint(text, lang="en")) == [], text
    assert _emphasis_findings(lint("You fai**led to** send the forms.", lang="en")) == ["to"]


# 10. Quoted lines are skipped with a notice; a Markdown blockquote of one's own is linted ---

QUOTED_DRAFT = (
    "Sehr geehrter Herr Roth,\n\nwir kündigen den Vertrag zum 31. März 2027.\n\n"
    "> Wie bereits erwähnt, ist die Entscheidung endgültig.\n\n"
    "Vielen Dank und alles Gute.\n\nMit freundlichen Grüßen\nEva Kurz\n"
)
REPLY_TAIL = "\nAm 2. März 2027 schrieb Herr Roth:\n> Wie bereits erwähnt, zahle ich nicht.\n> Gruß\n"


def _cli(*args: str):
    from click.testing import CliRunner

    from letterkit.cli import main

    return CliRunner().invoke(
        main, ["lint", "--lang", "en" if "--en" in args else "de", *(a for a in args if a != "--en")]
    )


def test_quoted_lines_in_text_are_skipped_with_a_notice(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(QUOTED_DRAFT, encoding="utf-8")
    result = _cli(str(path))
    assert "wie-bereits-erwaehnt" not in result.stdout
    assert f'{path}: 1 quoted line (starting with ">") not checked' in result.stderr
    assert 'remove the ">"' in result.stderr
    path.write_text(QUOTED_DRAFT.replace("> ", ""), encoding="utf-8")  # as the notice says
    result = _cli(str(path))
    assert "wie-bereits-erwaehnt" in result.stdout and "quoted" not in result.stderr
    path.write_text(QUOTED_DRAFT + REPLY_TAIL, encoding="utf-8")
    told = _cli(str(path)).stderr  # the lines after a reply header are told apart (tester 31)
    assert "1 quoted line (" in told
    assert f"{path}: from line 12 on ('Am 2. März 2027 schrieb Herr Roth:') not checked" in told


def test_a_markdown_blockquote_of_ones_own_is_linted_reply_history_is_not(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(QUOTED_DRAFT, encoding="utf-8")
    found = [f for f in lint(path, lang="de") if f.rule == "passive_aggressive/wie-bereits-erwaehnt"]
    assert [(f.line, f.column) for f in found] == [(5, 3)]
    assert "quoted" not in _cli(str(path)).stderr
    for history in (
        QUOTED_DRAFT.replace("> Wie", "Sie schrieben:\n> Wie"),  # a quotation led in by a colon
        QUOTED_DRAFT.replace("> Wie bereits erwähnt, ist die Entscheidung endgültig.\n\n", "") + REPLY_TAIL,
        QUOTED_DRAFT.replace("> Wie bereits erwähnt, ist die Entscheidung endgültig.\n\n", "")
        + "\n> Wie bereits erwähnt, ist die Entscheidung endgültig.\n",  # at the end
    ):
        path.write_text(history, encoding="utf-8")
        assert not [f for f in lint(path, lang="de") if f.rule == "passive_aggressive/wie-bereits-erwaehnt"]
        assert "not checked, read as quoted" in _cli(str(path)).stderr


# 11. Files that cannot be read, recorded in the reports; the marker left out of the excerpt --

RTF = "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\n\\f0 Sehr geehrter Herr Roth,\\par\nSie haben es vers\\u228?umt.\\par\n}\n"


def _odt() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("brief.rtf", RTF.encode(), "is a Rich Text Format (RTF) file"),
        ("brief.txt", RTF.encode(), "is a Rich Text Format (RTF) file"),  # RTF saved as .txt
        (
            "brief.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "is a Word 97-2003 document (.doc)",
        ),
        ("brief.odt", _odt(), "is an OpenDocument text (.odt)"),
        ("brief.pages", b"PK\x03\x04" + b"\x00" * 100, "is an Apple Pages document"),
    ],
    ids=["rtf", "rtf-named-txt", "doc", "odt", "pages"],
)
def test_word_processor_formats_that_are_not_read_are_refused(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    result = _cli(str(path))
    assert result.exit_code == 2
    assert f"Error: {path}: {expected}, which letterkit does not read;" in result.stderr
    assert ".docx" in result.stderr.split("does not read;")[1]
    assert result.stdout == ""


def test_the_ignore_marker_is_left_out_of_the_sentence_shown(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(
        "Dear Mr Hughes,\n\nFrankly, we are SICK of chasing you. # letterkit-ignore: shouting\n\n"
        "(letterkit-ignore: shouting) Frankly, we are SICK of chasing you.\n",
        encoding="utf-8",
    )
    fed_up = [f for f in lint(path, lang="en") if f.rule == "emotion/fed-up"]
    assert len(fed_up) == 2
    for finding in fed_up:
        assert finding.sentence == "Frankly, we are SICK of chasing you.", finding
        assert finding.sentence[finding.sentence_at :].startswith(finding.text)
    shown = _cli(str(path), "--en").stdout
    assert "letterkit-ignore" not in shown and "SICK of chasing" in shown


def test_json_and_sarif_record_the_drafts_that_could_not_be_read(tmp_path):
    import json

    good = tmp_path / "good.txt"
    good.write_text(QUOTED_DRAFT.replace("> ", ""), encoding="utf-8")
    rtf = tmp_path / "brief.rtf"
    rtf.write_text(RTF, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = _cli("--format", "json", str(good), str(rtf), str(missing))
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert [e["path"] for e in report["errors"]] == [str(rtf), str(missing)]
    assert report["errors"][0]["message"].startswith("is a Rich Text Format (RTF) file")
    assert report["errors"][1]["message"] == "no such file; check the path"
    assert report["findings"] and f"Error: {missing}: no such file" in result.stderr
    result = _cli("--format", "sarif", str(good), str(missing))
    assert result.exit_code == 2
    (invocation,) = json.loads(result.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"] == "no such file; check the path"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == missing.as_uri()
    # nothing could be read: the report is still made, with the errors
    result = _cli("--format", "json", str(missing))
    assert result.exit_code == 2 and json.loads(result.stdout)["errors"][0]["path"] == str(missing)
    result = _cli("--format", "sarif", str(good))
    assert json.loads(result.stdout)["runs"][0]["invocations"] == [
        {"executionSuccessful": True, "toolExecutionNotifications": []}
    ]
    assert json.loads(_cli("--format", "json", str(good)).stdout)["errors"] == []
    result = _cli("--format", "github", str(good), str(missing))
    assert f"::error file={str(missing).replace(':', '%3A')},title=letterkit::no such file" in result.stdout


def test_a_partly_encoded_subject_points_at_its_plain_words_and_its_encoded_word(tmp_path):
    head = (
        "From: a@example.com\nSubject: LETZTE WARNUNG: Ihre =?utf-8?q?st=C3=A4ndigen_Zahlungsverz=C3=B6ger?=\n"
        " =?utf-8?q?ungen?=\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
    )
    data = head + base64.encodebytes(HTML.encode()).decode()
    path = tmp_path / "mail.eml"
    path.write_bytes(data.encode())
    found = {f.rule: f for f in lint(path, lang="de")}
    line = data.split("\n")[1]
    warning, always = found["threat/letzte-warnung"], found["absolute/staendig"]
    assert (warning.line, always.line) == (2, 2)
    assert line[warning.column - 1 :].startswith("LETZTE WARNUNG")
    assert line[always.column - 1 :].startswith("=?utf-8?q?st=C3=A4ndigen")
