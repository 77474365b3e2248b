"""Defects found by outside tester 31 in hand-written drafts (session 16)."""

from __future__ import annotations

import re

import pytest

from letterkit.lint import lint
from letterkit.lint.run import LintOptions, run_lint

OPENING = "Dear Mr Lawson,\n\nWe are ending our contract on 31 December 2026.\n\n"
CLOSING = "\n\nThank you for working with us. We wish you all the best.\n"
LINES = [
    "Your team dragged out every approval for weeks on end.",
    "You failed to send the files on time.",
    "Your people have made every single deadline a battle.",
]


def _seen(findings) -> set[tuple[str, int, int]]:
    return {(f.rule, f.line, f.column) for f in findings}


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize(
    "marker", [" # letterkit-ignore: threat", " (letterkit-ignore: sarcasm)", " [letterkit-ignore: shouting]"]
)
def test_a_marker_for_another_rule_changes_nothing_on_its_line(tmp_path, line, marker):
    """A marker's words are no text of the letter: read with the sentence, they made the
    tone model see another sentence and its finding went away."""
    plain, marked = tmp_path / "plain.txt", tmp_path / "marked.txt"
    plain.write_text(OPENING + line + CLOSING, encoding="utf-8")
    marked.write_text(OPENING + line + marker + CLOSING, encoding="utf-8")
    expected = _seen(lint(plain))
    assert expected, line  # the line is found without a marker
    assert _seen(lint(marked)) == expected


def test_a_marker_line_before_a_line_silences_only_the_rules_it_names(tmp_path):
    draft = tmp_path / "before.txt"
    draft.write_text(OPENING + "# letterkit-ignore: threat\n" + LINES[0] + CLOSING, encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(OPENING + "\n" + LINES[0] + CLOSING, encoding="utf-8")
    assert {f.rule for f in lint(draft)} == {f.rule for f in lint(plain)} != set()


def _written(tmp_path, body: str):
    draft = tmp_path / "d.txt"
    draft.write_text("Dear Mr Lawson,\n\n" + body + CLOSING, encoding="utf-8")
    return draft


def test_the_sentence_shown_has_neither_the_marker_nor_its_brackets(tmp_path):
    draft = _written(
        tmp_path,
        "You failed to send the files on time. # letterkit-ignore: threat\n"
        "You never replied to us. [letterkit-ignore: blame/faild-to]\n",
    )
    sentences = {f.rule: f.sentence for f in lint(draft)}
    assert sentences["blame/failed-to"] == "You failed to send the files on time."
    assert sentences["absolute/never"] == "You never replied to us."


def test_a_marker_naming_no_rule_is_told(tmp_path):
    draft = _written(
        tmp_path,
        "You never replied to us. [letterkit-ignore: blame/faild-to, absolute]\n<!-- letterkit-ignore: treat -->\n",
    )
    result = run_lint([str(draft)], LintOptions())
    told = [n for n in result.notices if "letterkit-ignore" in n]
    assert len(told) == 2, result.notices
    assert told[0].startswith(f"{draft}:3: ") and "'blame/faild-to'" in told[0] and "blame/failed-to" in told[0]
    assert told[1].startswith(f"{draft}:4: ") and "did you mean threat?" in told[1]
    assert "absolute/never" not in {f.rule for f in result.findings}  # the known name still works


REPLY = (
    "Dear Greg,\n\nWe are ending our contract on 31 December 2026. Thank you for working with us; "
    "we wish you all the best.\n\nBest regards,\nAnna\n\n{header}\n\n"
    "Your incompetent team is a disgrace and your work is garbage.\n"
)


@pytest.mark.parametrize(
    "header",
    [
        "On Mon, 14 Apr 2025 at 18:51, Greg Lawson <greg@example.com>\nwrote:",  # wrapped by Gmail
        "Lena Hartmann <lena@example.de> schrieb am Mo., 3. Nov. 2025, 21:40:",  # Gmail on a phone
        "Lena Hartmann <lena@example.de> schrieb am Mo., 3. Nov. 2025, 21:40 Uhr:",
        "Greg Lawson wrote on Mon, 14 Apr 2025 at 18:51:",
        "Greg Lawson <greg@example.com> wrote on Mon, Apr 14, 2025 at 6:51 PM:",
    ],
)
def test_reply_headers_in_other_forms_hide_the_history(tmp_path, header):
    draft = tmp_path / "reply.txt"
    draft.write_text(REPLY.format(header=header), encoding="utf-8")
    assert lint(draft) == []  # neither the client's words nor a structure finding they caused
    result = run_lint([str(draft)], LintOptions())
    assert len(result.notices) == 1, result.notices
    assert result.notices[0].startswith(f"{draft}: from line 8 on ('{header[:40]}")
    assert result.notices[0].endswith("not checked, read as quoted reply history; to check it, remove the reply header.")


@pytest.mark.parametrize(
    "line",
    [
        "As our manager wrote on Monday at 10:30 we need the files:",  # a time, then more words
        "On Monday we spoke to your team, and they said:",
    ],
)
def test_a_sentence_that_only_looks_like_a_reply_header_is_linted(tmp_path, line):
    draft = tmp_path / "own.txt"
    draft.write_text(REPLY.format(header=line), encoding="utf-8")
    assert {f.category for f in lint(draft)} >= {"hostile"}


def test_a_german_sentence_in_an_english_paragraph_is_linted_in_german(tmp_path):
    """A draft read as English without --lang: a German sentence inside one of its
    paragraphs was passed unread; now it is read with the German rules, where it stands."""
    text = (
        "Dear Mr Lawson,\n\nWe are ending our support contract on 31 December 2026. "
        "Leider hat Ihr Team unsere Sicherheitsempfehlungen ständig ignoriert. "
        "We will hand over all credentials by 15 December.\n\n"
        "Thank you for working with us; we wish you all the best.\n\nKind regards,\nAnna\n"
    )
    draft = tmp_path / "mixed.txt"
    draft.write_text(text, encoding="utf-8")
    found = {(f.rule, f.column) for f in lint(draft)}
    column = text.split("\n")[2].index("ständig") + 1
    assert ("absolute/staendig", column) in found
    assert "negative_framing/leider" in {rule for rule, _ in found}
    english = draft.with_name("english.txt")  # a German name or two in an English sentence stays English
    english.write_text(text.replace("Leider hat Ihr Team unsere Sicherheitsempfehlungen ständig ignoriert. ",
                                    "Our contact at Müller und Söhne GmbH in Köln has the files. "), encoding="utf-8")
    assert lint(english) == []


def test_a_swiss_sharp_s_is_suggested_as_its_own_word_with_ss(tmp_path):
    draft = tmp_path / "ch.txt"
    draft.write_text(
        "Grüezi Herr Meier\n\nWir schließen das Büro am 31. Dezember 2026. Die große Anlage bleibt.\n\n"
        "Freundliche Grüße\nAnna\n",
        encoding="utf-8",
    )
    found = [(f.text, f.suggestion) for f in lint(draft, locale="de-CH") if f.rule == "structure/sharp-s-ch"]
    assert found == [("schließen", "schliessen"), ("große", "grosse"), ("Grüße", "Grüsse")]


def test_the_html_report_greys_what_was_not_checked(tmp_path):
    draft = tmp_path / "reply.txt"
    draft.write_text(REPLY.format(header="Greg Lawson wrote on Mon, 14 Apr 2025 at 18:51:"), encoding="utf-8")
    report = run_lint([str(draft)], LintOptions(), fmt="html").report
    greyed = re.findall(r"<span class='skipped' title='([^']*)'>(.*?)</span>", report, re.DOTALL)
    assert len(greyed) == 1
    assert greyed[0][0].startswith("not checked")
    assert greyed[0][1].startswith("Greg Lawson wrote on") and greyed[0][1].endswith("garbage.")
    markdown = tmp_path / "plain.md"
    markdown.write_text("# Ending our work\n\n- We are ending our contract on 31 December 2026.\n", encoding="utf-8")
    assert "<span class='skipped'" not in run_lint([str(markdown)], LintOptions(), fmt="html").report


def test_a_one_line_string_naming_a_file_letterkit_does_not_lint_is_refused(tmp_path, monkeypatch):
    from letterkit.errors import SourceError

    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 not a draft")
    with pytest.raises(SourceError, match="is a PDF"):
        lint("notes.pdf")  # it was read as the text "notes.pdf": no findings, as if clean
    with pytest.raises(SourceError, match="no such file"):
        lint("missing.pdf")
    assert lint("Please see the attached invoice.pdf") == []  # words, not a file name
