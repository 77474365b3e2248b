"""An email signature is not part of the letter; the API's entry points refuse wrong
arguments with a LetterkitError that says what was passed and what they take."""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.errors import LetterkitError, UsageError
from letterkit.letter import Block
from letterkit.lint import lint

LETTER_EN = (
    "Dear Mr Patel,\n\n"
    "we will end the support agreement on 31 December 2026. Thank you for working with us "
    "since 2021, and all the best for the future.\n\n"
    "Kind regards\nEmma\n"
)
SIGNATURE = "-- \nEmma Clarke | Managing Director\nIMPORTANT: THIS EMAIL IS CONFIDENTIAL.\n"
SHOUTING = "THIS IS UNACCEPTABLE."


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


def places(findings) -> list[tuple[str, int, int, int, int]]:
    return [(f.rule, f.start, f.end, f.line, f.column) for f in findings]


# -- signatures in text, Markdown and email -------------------------------------------


@pytest.mark.parametrize("separator", ["-- ", "--"])
def test_text_signature_after_the_separator_is_not_linted(separator):
    findings = lint(LETTER_EN + "\n" + SIGNATURE.replace("-- \n", separator + "\n"))
    assert findings == []


def test_repro_signature_file_is_clean():
    repro = Path("/tmp/acc5/repro/sig4.txt")
    if not repro.exists():
        pytest.skip("acceptance repro files not present")
    assert lint(repro) == []


def test_findings_above_the_signature_keep_their_positions():
    body = LETTER_EN.replace("Kind regards", f"{SHOUTING}\n\nKind regards")
    without = lint(body)
    with_signature = lint(body + "\n" + SIGNATURE)
    assert "shouting/capitals" in rules(without)
    assert places(with_signature) == places(without)


def test_a_dash_pair_inside_a_sentence_hides_nothing():
    text = LETTER_EN.replace("Kind regards", f"We end it -- as agreed -- now. {SHOUTING}\n\nKind regards")
    assert "shouting/capitals" in rules(lint(text + "\n-- not a separator\n"))


def test_a_separator_followed_by_a_long_text_is_no_signature():
    letter_after = "\n".join(f"Line {n} of the letter goes on here." for n in range(20))
    text = LETTER_EN + "\n--\n" + letter_after + f"\n{SHOUTING}\n"
    assert "shouting/capitals" in rules(lint(text))


@pytest.mark.parametrize(("lines", "hidden"), [(15, True), (16, False)])
def test_a_signature_is_at_most_fifteen_non_empty_lines(lines, hidden):
    tail = "\n".join(["Emma Clarke", "", *(f"Line {n}" for n in range(lines - 2)), SHOUTING])
    found = "shouting/capitals" in rules(lint(LETTER_EN + "\n-- \n" + tail + "\n\n"))
    assert found is not hidden


def test_a_separator_with_nothing_before_it_hides_nothing():
    assert "shouting/capitals" in rules(lint(f"--\nDear Mr Patel,\n\n{SHOUTING}\n"))


def test_markdown_signature_is_not_linted(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text(
        LETTER_EN.replace("Kind regards", "**Kind** regards") + "\n" + SIGNATURE, encoding="utf-8"
    )
    assert lint(draft) == []


def test_eml_text_part_signature_is_not_linted(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Support agreement"
    message["From"] = "emma@example.com"
    message["To"] = "raj@example.com"
    message.set_content(LETTER_EN + "\n" + SIGNATURE)
    draft = tmp_path / "mail.eml"
    draft.write_bytes(message.as_bytes())
    assert lint(draft) == []


# -- signatures in HTML ----------------------------------------------------------------

HTML = """<html><body>
<div>Dear Mr Patel,</div><div><br></div>
<div>We will end the support agreement on 31 December 2026. {extra}</div>
<div><br></div>
<div>Thank you for working with us since 2021, and all the best for the future.</div>
<div><br></div>
<div>Kind regards,<br>Emma</div>
{signature}
</body></html>
"""


@pytest.mark.parametrize(
    "signature",
    [
        '<div class="gmail_signature">-- <br>Emma Clarke<br>IMPORTANT: THIS EMAIL IS CONFIDENTIAL.</div>',
        '<div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div>Emma Clarke</div>'
        "<div>IMPORTANT: THIS EMAIL IS CONFIDENTIAL.</div></div>",
        '<pre class="moz-signature" cols="72">Emma Clarke\nIMPORTANT: THIS EMAIL IS CONFIDENTIAL.</pre>',
        '<div id="Signature"><p>Emma Clarke</p><p>IMPORTANT: THIS EMAIL IS CONFIDENTIAL.</p></div>',
        "<div>-- <br>Emma Clarke<br>IMPORTANT: THIS EMAIL IS CONFIDENTIAL.</div>",
    ],
)
def test_html_signature_block_is_not_linted(tmp_path, signature):
    draft = tmp_path / "mail.html"
    draft.write_text(HTML.format(extra="", signature=signature), encoding="utf-8")
    assert lint(draft) == []


def test_html_signature_block_keeps_positions_above_it(tmp_path):
    plain, signed = tmp_path / "plain.html", tmp_path / "signed.html"
    plain.write_text(HTML.format(extra=SHOUTING, signature=""), encoding="utf-8")
    signed.write_text(
        HTML.format(extra=SHOUTING, signature='<div class="gmail_signature">IMPORTANT: READ THIS.</div>'),
        encoding="utf-8",
    )
    assert "shouting/capitals" in rules(lint(plain))
    assert places(lint(signed)) == places(lint(plain))


def test_html_class_that_only_contains_the_word_is_no_signature(tmp_path):
    draft = tmp_path / "mail.html"
    draft.write_text(HTML.format(extra="", signature=f'<div class="signature-needed">{SHOUTING}</div>'))
    assert "shouting/capitals" in rules(lint(draft))


def test_eml_html_part_signature_is_not_linted(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Support agreement"
    message.set_content(
        HTML.format(
            extra="", signature='<div class="gmail_signature">IMPORTANT: THIS EMAIL IS CONFIDENTIAL.</div>'
        ),
        subtype="html",
    )
    draft = tmp_path / "mail.eml"
    draft.write_bytes(message.as_bytes())
    assert lint(draft) == []


def test_repro_gmail_file_is_clean_through_the_cli():
    repro = Path("/tmp/acc5/repro/mail_clean.html")
    if not repro.exists():
        pytest.skip("acceptance repro files not present")
    result = CliRunner().invoke(main, ["lint", str(repro)])
    assert result.exit_code == 0, result.output


# -- argument checks at the API ----------------------------------------------------------


@pytest.fixture
def letter(base) -> letterkit.Letter:
    base["channel"] = "email"
    base["recipient"]["email"] = "anna@example.de"
    return letterkit.compose(base)


@pytest.mark.parametrize("wrong", [{"a": 1}, None, "client.yaml", 5])
def test_render_refuses_what_is_not_a_letter(wrong):
    with pytest.raises(UsageError, match=r"render\(\) takes a Letter") as caught:
        letterkit.render(wrong, "txt")
    assert isinstance(caught.value, LetterkitError) and isinstance(caught.value, TypeError)


def test_render_refuses_a_format_that_is_not_a_string(letter):
    with pytest.raises(UsageError, match=r"output format as a string, one of docx.*not None"):
        letterkit.render(letter, None)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="template"):
        letterkit.render(letter, "docx", template=5)  # type: ignore[arg-type]


@pytest.mark.parametrize("wrong", [{}, None])
def test_to_email_refuses_what_is_not_a_letter(wrong):
    with pytest.raises(UsageError, match=r"to_email\(\) takes a Letter.*not (dict|None)"):
        letterkit.to_email(wrong)


def test_attachments_of_the_wrong_type_are_refused_before_reading(letter, tmp_path):
    with pytest.raises(UsageError, match="in a list"):
        letterkit.render(letter, "eml", attachments="invoice.pdf")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="an attachment is a path"):
        letterkit.render(letter, "eml", attachments=[5])  # type: ignore[list-item]
    path = tmp_path / "note.txt"
    path.write_text("hello", encoding="utf-8")
    message = letterkit.to_email(letter, attachments=[str(path)])
    assert [part.get_filename() for part in message.iter_attachments()] == ["note.txt"]


@pytest.mark.parametrize("wrong", [None, 5, {"a": 1}])
def test_lint_refuses_a_source_of_the_wrong_type(wrong):
    with pytest.raises(UsageError, match=r"lint\(\) takes the draft's text") as caught:
        lint(wrong)
    assert isinstance(caught.value, TypeError)


@pytest.mark.parametrize("selectors", [5, ["blame", 3]])
def test_lint_refuses_selectors_of_the_wrong_type(selectors):
    with pytest.raises(UsageError, match="select= as rule ids"):
        lint("Hello.\n", select=selectors)


def test_lint_takes_a_composed_letter(letter):
    assert letterkit.lint(letter) == []
    blaming = replace(
        letter,
        blocks=(*letter.blocks[:1], Block("decision", "Sie haben es versäumt, die Rechnung zu zahlen.")),
    )
    found = letterkit.lint(blaming)
    assert "blame/versaeumt" in rules(found)
    assert "blame/versaeumt" not in rules(letterkit.lint(blaming, ignore="blame"))
    assert rules(letterkit.lint(blaming, select="blame")) == ["blame/versaeumt"]


def test_lint_of_a_letter_in_another_language_is_refused(letter):
    with pytest.raises(LetterkitError, match="lang = 'en' does not apply to a Letter"):
        letterkit.lint(letter, "en")
    assert letterkit.lint(letter, "de", locale="de-DE") == []
