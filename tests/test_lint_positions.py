"""Every finding points at its place in the source file (QA pass 2: B9, B10, M2, R3, R4, R8).

Positions are checked against the file's own text at the reported line and column.
"""

from __future__ import annotations

import base64
import json
import quopri
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint import lint
from letterkit.lint.formats import html_draft, markdown_draft
from letterkit.lint.readers import read_draft

ANGRY_HTML = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Ending our agreement</title>
<style>p { margin: 0 0 1em; }</style>
<script>var greeting = "You failed to pay";</script>
</head>
<body>
<p>Dear Mr Hughes,</p>
<p>With all due respect, <b>you must</b> return the equipment by Friday. You have <strong>NEVER</strong> \
paid an invoice on time, and frankly your so-called &ldquo;project manager&rdquo; is useless.</p>
<p>We will end our agreement on 31&nbsp;January&nbsp;2027.</p>
<p>Thanks in advance for your cooperation.</p>
<p>Yours sincerely,<br>Sarah Hill</p>
</body></html>
"""


def at(source: str, line: int, column: int, size: int = 40) -> str:
    """The source's text from a 1-based line and column on."""
    return source.split("\n")[line - 1][column - 1 : column - 1 + size]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# B9: HTML positions are the file's lines and columns


def test_html_findings_point_into_the_html_file(tmp_path):
    path = tmp_path / "angry.html"
    path.write_text(ANGRY_HTML, encoding="utf-8")
    findings = lint(path, lang="en")
    by_text = {f.text: f for f in findings}
    for word in ("must", "NEVER", "useless", "so-called", "With all due respect"):
        finding = by_text[word]
        assert at(ANGRY_HTML, finding.line, finding.column).startswith(word), (
            word,
            finding.line,
            finding.column,
        )
    assert (by_text["must"].line, by_text["must"].column) == (8, 33)
    # an entity stands for its character: the scare quotes start at "&ldquo;"
    quoted = by_text["“project manager”"]
    assert at(ANGRY_HTML, quoted.line, quoted.column).startswith("&ldquo;project manager")
    # every finding of every rule lands on its own first character (or the entity for it)
    for finding in findings:
        source = at(ANGRY_HTML, finding.line, finding.column, 1)
        assert source in (finding.text[0], "&"), (finding.rule, finding.text, source)


def test_html_positions_in_sarif_and_github(tmp_path):
    path = tmp_path / "angry.html"
    path.write_text(ANGRY_HTML, encoding="utf-8")
    sarif = json.loads(run("lint", str(path), "--lang", "en", "--format", "sarif").output)
    regions = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]
    }
    insult = regions["hostile/insult"]
    assert at(ANGRY_HTML, insult["startLine"], insult["startColumn"]).startswith("useless")
    github = run("lint", str(path), "--lang", "en", "--format", "github").output
    line = next(x for x in github.splitlines() if "title=hostile/insult" in x)
    column = int(line.split(",col=")[1].split(",")[0])
    assert ",line=8," in line and at(ANGRY_HTML, 8, column).startswith("useless")


def test_html_white_space_entities_and_line_breaks_map_back(tmp_path):
    source = (
        "<html><body>\n<div>\n  Sehr geehrte Frau Meier,<br>\n"
        "  wir &amp; unser Team    danken Ihnen.\n  Sie haben es\n     versäumt, die Rechnung zu bezahlen.\n"
        "</div></body></html>\n"
    )
    draft = html_draft(source, "x.html")
    assert draft.text.startswith("Sehr geehrte Frau Meier,\nwir & unser Team danken Ihnen.")
    offset = draft.text.index("versäumt")
    assert at(source, *draft.position(offset)).startswith("versäumt")
    assert draft.position(draft.text.index("&")) == (4, 7)
    assert at(source, *draft.position(draft.text.index("Team"))).startswith("Team    danken")
    # every character that is not a joined space comes from the same character in the file
    for index, char in enumerate(draft.text):
        if char not in " \n&":
            assert at(source, *draft.position(index), size=1) == char
    path = tmp_path / "x.html"
    path.write_text(source, encoding="utf-8")
    blame = [f for f in lint(path, lang="de") if f.rule == "blame/versaeumt"]
    assert blame and at(source, blame[0].line, blame[0].column).startswith("versäumt")


def test_html_text_has_no_head_lines_and_no_space_before_punctuation(tmp_path):
    draft = html_draft(ANGRY_HTML, "x.html")
    assert draft.text.startswith("Dear Mr Hughes,")
    assert "Ending our agreement" not in draft.text and "greeting" not in draft.text
    assert "You have NEVER paid" in draft.text and "useless." in draft.text
    assert "\n\n\n" not in draft.text
    path = tmp_path / "angry.html"
    path.write_text(ANGRY_HTML, encoding="utf-8")
    report = run("lint", str(path), "--lang", "en", "--format", "html").output
    assert "<pre>Dear Mr Hughes," in report


# B10: .eml lines are the file's lines

REPLY_QP = b"""From: Erika Muster <erika@muster-webdesign.de>
To: Anna Schneider <anna.schneider@beispiel.de>
Subject: =?utf-8?q?Re=3A_K=C3=BCndigung_Wartungsvertrag?=
Date: Thu, 26 Nov 2026 10:12:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Sehr geehrte Frau Schneider,

vielen Dank f=C3=BCr Ihre Nachricht. Wie besprochen beenden wir den Wartungs=
vertrag zum 31. Dezember 2026.

Die Zugangsdaten erhalten Sie bis zum 20. Dezember. Sie haben es vers=C3=A4u=
mt, uns die neue Adresse mitzuteilen, daher bitten wir um kurze Info.

Wir danken Ihnen f=C3=BCr die gute Zusammenarbeit und w=C3=BCnschen Ihnen all=
es Gute.

Mit freundlichen Gr=C3=BC=C3=9Fen
Erika Muster

Am 25.11.2026 um 17:03 schrieb Anna Schneider <anna.schneider@beispiel.de>:
> Das ist ja wohl eine FRECHHEIT!! Sie haben nie geliefert.
"""


def test_eml_quoted_printable_positions_are_file_positions(tmp_path):
    for name, data in (("lf.eml", REPLY_QP), ("crlf.eml", REPLY_QP.replace(b"\n", b"\r\n"))):
        path = tmp_path / name
        path.write_bytes(data)
        blame = [f for f in lint(path, lang="de") if f.rule == "blame/versaeumt"]
        assert blame, name
        assert (blame[0].line, blame[0].column) == (14, 66), name
        assert at(data.decode(), 14, 66).startswith("vers=C3=A4u=")
        draft = read_draft(path)
        source = data.decode()
        # each decoded "ü" of the body comes from its "=C3=BC", each plain letter from
        # itself (the encoded subject is found at the start of its header)
        assert at(source, *draft.position(0)).startswith("=?utf-8?q?Re=3A")
        for index, char in enumerate(draft.text[:1000]):
            if index < draft.text.index("\n\n"):
                continue
            if char == "ü":
                assert at(source, *draft.position(index), size=6) == "=C3=BC"
            elif char.isalpha() and char.isascii():
                assert at(source, *draft.position(index), size=1) == char


def _mail(body: str, cte: str, subject: str = "Kündigung", subtype: str = "plain") -> bytes:
    message = EmailMessage(policy=SMTP)
    message["From"] = "erika@muster-webdesign.de"
    message["Subject"] = subject
    message.set_content(body, subtype=subtype, cte=cte)
    return message.as_bytes()


BODY = (
    "Sehr geehrte Frau Schneider,\n\nwir kündigen den Vertrag zum 31. Dezember 2026.\n\n"
    "Sie haben es versäumt, uns die neue Adresse mitzuteilen.\n\nMit freundlichen Grüßen\nErika Muster\n"
)


def test_eml_8bit_and_multipart_positions(tmp_path):
    data = _mail(BODY, "8bit")
    path = tmp_path / "mail.eml"
    path.write_bytes(data)
    blame = next(f for f in lint(path, lang="de") if f.rule == "blame/versaeumt")
    assert at(data.decode(), blame.line, blame.column).startswith("versäumt, uns")
    # a multipart message with an HTML alternative: the plain part, in the file
    message = EmailMessage(policy=SMTP)
    message["Subject"] = "Kündigung"
    message.set_content(BODY, cte="quoted-printable")
    message.add_alternative(f"<p>{BODY}</p>", subtype="html", cte="quoted-printable")
    data = message.as_bytes()
    path.write_bytes(data)
    blame = next(f for f in lint(path, lang="de") if f.rule == "blame/versaeumt")
    assert at(data.decode(), blame.line, blame.column).startswith("vers=C3=A4umt, uns")
    assert blame.line < data.decode()[: data.decode().index("text/html")].count("\n")  # in the plain part


def test_eml_subject_is_on_its_header_line(tmp_path):
    data = _mail(BODY, "8bit", subject="Leider müssen wir kündigen")
    path = tmp_path / "mail.eml"
    path.write_bytes(data)
    leider = [f for f in lint(path, lang="de") if f.text == "Leider"]
    assert leider
    line = data.decode().split("\n")[leider[0].line - 1]
    assert line.startswith("Subject:") and line[leider[0].column - 1 :].startswith("Leider")


def test_eml_html_part_maps_through_the_html_to_the_file(tmp_path):
    html = "<p>Sehr geehrte Frau Schneider,</p>\n<p>Sie haben es <b>schon</b> versäumt, uns die Adresse zu nennen.</p>\n"
    for cte in ("8bit", "quoted-printable"):
        data = _mail(html, cte, subtype="html")
        path = tmp_path / "mail.eml"
        path.write_bytes(data)
        blame = next(f for f in lint(path, lang="de") if f.rule == "blame/versaeumt")
        assert at(data.decode(), blame.line, blame.column).startswith("vers"), cte


def test_eml_base64_points_into_the_base64_lines_of_the_file(tmp_path):
    """A base64 part is pointed into (lintfix30): a finding is on the file's line that holds
    the base64 of its first character, at the character that encodes its first byte
    (docs/lint.md; each character is checked in test_lint_fix30)."""
    data = _mail(BODY, "base64")
    assert base64.b64encode(b"Sehr geehrte")[:8] in data
    path = tmp_path / "mail.eml"
    path.write_bytes(data)
    blame = next(f for f in lint(path, lang="de") if f.rule == "blame/versaeumt")
    line = data.decode().split("\n")[blame.line - 1].rstrip("\r")
    quantum = (blame.column - 1) // 4 * 4
    assert "versäumt".encode()[:1] in base64.b64decode(line[quantum : quantum + 4])


def test_eml_never_breaks_on_odd_quoted_printable(tmp_path):
    odd = quopri.encodestring("Sie haben es versäumt, das zu tun. ==3D =ZZ Ende\n".encode()) + b"=\n=C3"
    data = (
        b"Subject: x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + odd
    )
    path = tmp_path / "odd.eml"
    path.write_bytes(data)
    findings = lint(path, lang="de")
    assert all(f.line >= 1 and f.column >= 1 for f in findings)


# M2: bold and underline in HTML, Word and Markdown __…__


def test_html_bold_strong_underline_and_style_are_emphasis():
    source = (
        "<p>Please return the keys <b>by Friday</b>.</p>"
        "<p>Sie müssen <strong>spätestens bis Freitag</strong> zahlen.</p>"
        "<p>You must pay <u>today</u>, and <span style='font-weight: bold'>in full</span>, "
        '<span style="text-decoration: underline">no excuses</span>.</p>'
        "<p><b>Subject: your invoice</b></p><ol><li><b>2.</b> You pay.</li></ol>"
    )
    draft = html_draft(source, "x.html")
    marked = [draft.text[a:b] for a, b in draft.emphasis]
    assert marked == ["by Friday", "spätestens bis Freitag", "today", "in full", "no excuses"]


def test_html_and_docx_emphasis_is_flagged(tmp_path):
    html = tmp_path / "bold.html"
    html.write_text(
        "<p>Dear Ms Lee,</p>\n<p>Please return the keys <b>by Friday at the latest</b>.</p>\n",
        encoding="utf-8",
    )
    flagged = [f for f in lint(html, lang="en") if f.category == "shouting"]
    assert flagged and flagged[0].text == "by Friday at the latest"
    assert at(html.read_text(encoding="utf-8"), flagged[0].line, flagged[0].column).startswith("by Friday")

    document = docx.Document()
    document.add_paragraph("Dear Ms Lee,")
    para = document.add_paragraph("Please return the keys ")
    para.add_run("by Friday").bold = True
    para.add_run(" at the latest").bold = True
    para.add_run(". You must pay the invoice ")
    para.add_run("no later than 15 January").underline = True
    para.add_run(".")
    document.add_paragraph("Heading in bold").runs[0].bold = True
    path = tmp_path / "bold.docx"
    document.save(path)
    draft = read_draft(path)
    assert [draft.text[a:b] for a, b in draft.emphasis] == [
        "by Friday at the latest",
        "no later than 15 January",
    ]
    shouting = [f for f in lint(path, lang="en") if f.category == "shouting"]
    assert {f.text for f in shouting} >= {"by Friday at the latest", "no later than 15 January"}
    assert all(f.line == 2 for f in shouting)


def test_markdown_underscore_bold_is_emphasis():
    draft = markdown_draft("You pay __no later than 15 January__ and **now**, snake_case.\n", "x.md")
    assert [draft.text[a:b] for a, b in draft.emphasis] == ["no later than 15 January", "now"]
    assert "snake_case" in draft.text and draft.text.count("_") == 1  # only the marks went


# R3: removed markup leaves no space before punctuation


def test_markdown_markup_leaves_no_stray_spaces(tmp_path):
    source = (
        "Hallo Jana,\n\nDu hast die Texte zu spät geschickt, und das **jedes Mal**.\n"
        "Siehe [die Vereinbarung](https://example.com/a) und `code`.\n"
    )
    draft = markdown_draft(source, "x.md")
    assert "und das jedes Mal.\n" in draft.text
    assert "Siehe die Vereinbarung und" in draft.text
    for index, char in enumerate(draft.text):
        if not char.isspace():
            assert at(source, *draft.position(index), size=1) == char
    path = tmp_path / "x.md"
    path.write_text(source, encoding="utf-8")
    findings = [f for f in lint(path, lang="de") if "jedes Mal" in f.text]
    assert findings
    assert findings[0].sentence.endswith("und das jedes Mal.")
    assert at(source, findings[0].line, findings[0].column).startswith("jedes Mal**.")
    output = run("lint", str(path), "--lang", "de").output
    assert "jedes Mal ." not in output and "und das jedes Mal." in output


# R4: the marker in parentheses or any comment


def test_suppression_marker_in_parentheses(tmp_path):
    sentence = "With all due respect, the invoice is still open."
    same = tmp_path / "same.txt"
    same.write_text(
        f"Dear Mr Hughes,\n\n{sentence} (letterkit-ignore: passive_aggressive/with-all-due-respect)\n",
        encoding="utf-8",
    )
    before = tmp_path / "before.txt"
    before.write_text(
        f"Dear Mr Hughes,\n\n(letterkit-ignore: passive_aggressive)\n{sentence}\n", encoding="utf-8"
    )
    tight = tmp_path / "tight.md"
    tight.write_text(
        f"Dear Mr Hughes,\n\n{sentence} <!--letterkit-ignore:passive_aggressive-->\n", encoding="utf-8"
    )
    other = tmp_path / "other.txt"
    other.write_text(f"Dear Mr Hughes,\n\n{sentence} (letterkit-ignore: blame)\n", encoding="utf-8")

    def rules(path: Path) -> list[str]:
        return [f.rule for f in lint(path, lang="en") if f.category == "passive_aggressive"]

    assert rules(other)
    assert rules(same) == [] and rules(before) == [] and rules(tight) == []


# R8: Word paragraphs are numbered header, body, footer


def test_docx_numbers_header_then_body_then_footer(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Kopfzeile: Wie bereits mehrfach erwähnt, gilt das."
    document.add_paragraph("Sehr geehrter Herr Albrecht,")
    document.add_paragraph("Sie haben es versäumt, die Unterlagen zu schicken.")
    document.sections[0].footer.paragraphs[0].text = "Fußzeile: Vielen Dank im Voraus für Ihre Zahlung."
    path = tmp_path / "order.docx"
    document.save(path)
    findings = lint(path, lang="de")
    line = {f.rule: f.line for f in findings}
    header, footer = line["passive_aggressive/wie-bereits-erwaehnt"], line["passive_aggressive/im-voraus"]
    assert header == 1 and line["blame/versaeumt"] == 3 and footer == 4


def test_several_markers_on_a_line_add_up():
    from letterkit.lint.formats import text_draft

    draft = text_draft("Text (letterkit-ignore: blame) und (letterkit-ignore: threat)\nmehr\n", "x.txt")
    assert draft.suppressions() == {1: ["blame", "threat"]}


# bounded time: no reader copies the text once per match or searches a line from every mark


_HOSTILE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))  # a reader gone quadratic is stopped (SIGXCPU)
from letterkit.lint.formats import html_draft, markdown_draft, text_draft
reader = {"md": markdown_draft, "txt": text_draft, "html": html_draft}[sys.argv[1]]
draft = reader(sys.stdin.read(), "x")
draft.position(len(draft.text) - 1)
print(len(draft.text))
"""


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        ("md", "*a " * 30_000),  # a mark that never closes, 30,000 times
        ("md", "[a " * 30_000),
        ("md", "`a` " * 100_000),  # 100,000 code spans to blank
        ("txt", "> a\n" * 100_000),  # 100,000 quoted lines
        ("txt", "**a " * 30_000),
        ("html", "<b>a " * 30_000 + "<p>" * 30_000 + "</span>" * 30_000),
    ],
    ids=["unclosed-stars", "unclosed-brackets", "code-spans", "quoted-lines", "text-stars", "html-tags"],
)
def test_readers_stay_linear_on_hostile_markup(kind, source):
    """Each reader ends on markup built to make a careless parser quadratic (these take well
    under a second of CPU; quadratic, they would take hours). The guard is a limit on the
    process's CPU time, which a busy machine does not eat into, not a wall-clock assertion."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _HOSTILE, kind], input=source, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (kind, source[:8], done.stderr[-500:])
    assert int(done.stdout) > 0


def _regions(path: Path, *args: str) -> list[dict]:
    sarif = json.loads(run("lint", str(path), *args, "--format", "sarif").output)
    return [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]]


def test_sarif_regions_end_after_the_last_character_of_the_finding(tmp_path):
    """SARIF 2.1.0 (3.30): endLine is the line of the region's last character, endColumn the
    column after it (1-based, code points as the run's columnKind); acceptance run acc14."""
    path = tmp_path / "draft.txt"
    path.write_text(
        "Dear Mr Smith,\n\nAs per my last email 😀, you failed to pay.\nYou never call.\n", encoding="utf-8"
    )
    regions = _regions(path, "--lang", "en")
    assert regions
    lines = path.read_text(encoding="utf-8").splitlines()
    for region in regions:
        assert region["endLine"] == region["startLine"]
        text = lines[region["startLine"] - 1][region["startColumn"] - 1 : region["endColumn"] - 1]
        assert text == region["snippet"]["text"]
    # the span after the emoji counts it as one column (code points), not two (UTF-16)
    failed = next(r for r in regions if r["snippet"]["text"] == "failed to")
    assert (failed["startColumn"], failed["endColumn"]) == (29, 38)


def test_sarif_regions_in_html_end_in_the_source_file(tmp_path):
    path = tmp_path / "angry.html"
    path.write_text(ANGRY_HTML, encoding="utf-8")
    for region in _regions(path, "--lang", "en"):
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
        last = at(ANGRY_HTML, region["endLine"], region["endColumn"] - 1, 1)
        assert last in (region["snippet"]["text"][-1], ";"), region  # its last character, or an entity's end
