"""Tester 41's defects: list items, bold subject lines, a letter of one paragraph that
ends on thanks, de-CH closings of the writer's own, Google Docs comments and ignore
comments in an HTML page on one line."""

from __future__ import annotations

from pathlib import Path

from letterkit.lint import lint


def _rules(path: Path, lang: str, **options: object) -> list[str]:
    return [f.rule for f in lint(path, lang=lang, **options)]


def test_markdown_and_text_list_items_are_sentences_of_their_own(tmp_path):
    body = (
        "- you never sent the approvals before the print deadlines\n"
        "- you ignored our invoices for months\n"
    )
    for name in ("list.md", "list.txt"):
        draft = tmp_path / name
        draft.write_text(body, encoding="utf-8")
        found = lint(draft, lang="en")
        sentences = {f.rule: f.sentence for f in found}
        assert "blame/neglected-ignored" in sentences, name
        # each item is its own sentence: the second does not run on from the first
        assert sentences["blame/neglected-ignored"].lstrip("- ").startswith("you ignored"), name
        assert "deadlines" not in sentences["blame/neglected-ignored"], name


def test_a_numbered_list_splits_but_a_date_at_the_start_of_a_wrapped_line_does_not(tmp_path):
    draft = tmp_path / "steps.txt"
    draft.write_text(
        "So geht es weiter:\n\n"
        "1. Bitte gib den Garderobenschlüssel und dein Trikot bis am Montag, dem\n"
        "15. Dezember beim Materialwart ab\n"
        "2. Du hast die Beiträge nie bezahlt\n",
        encoding="utf-8",
    )
    found = [f for f in lint(draft, lang="de") if f.category != "structure"]
    never = [f for f in found if f.rule == "absolute/nie"]
    assert never and never[0].sentence.startswith("2. Du hast")
    # "15. Dezember" continued item 1 (no sentence of its own started there)
    from letterkit.lint.readers import read_draft

    read = read_draft(draft)
    assert read.item_starts == [read.text.index("1."), read.text.index("2. Du")]


def test_a_bold_subject_line_is_no_raised_voice_but_a_bold_sentence_is(tmp_path):
    for name in ("subject.md", "subject.txt"):
        draft = tmp_path / name
        draft.write_text(
            "**Re: Termination of your hosting account on December 31, 2026**\n\n"
            "Dear Dave,\n\nWe will close your hosting account on December 31, 2026.\n\n"
            "**Please note: your files must be collected by 15 December.**\n\n"
            "Thank you for everything, and all the best.\n\nKind regards\n\nTom\n",
            encoding="utf-8",
        )
        # (a text file's "**…**" around a duty is also shouting/bold-duty, one rule for both)
        shouting = {f.sentence.strip("*") for f in lint(draft, lang="en") if f.category == "shouting"}
        assert shouting == {"Please note: your files must be collected by 15 December."}, name


def test_a_one_paragraph_letter_that_ends_on_thanks_does_not_end_negative(tmp_path):
    draft = tmp_path / "short.md"
    text = (
        "Dear Dave,\n\nWe will close your hosting account on December 31, 2026. "
        "Please return **your** keys by 20 December. Thank you for everything.\n\n"
        "Kind regards\n\nTom\n"
    )
    draft.write_text(text, encoding="utf-8")
    rules = _rules(draft, "en")
    assert "shouting/emphasis" in rules  # the bold word is still reported
    assert "structure/ends-negative" not in rules
    # ending on the jab still ends negative
    draft.write_text(text.replace(" Thank you for everything.", ""), encoding="utf-8")
    assert "structure/ends-negative" in _rules(draft, "en")


def test_swiss_closing_of_the_writers_own_has_no_sharp_s(tmp_path):
    for closing in ("Sportliche Grüße", "Liebe Grüße aus Biel"):
        draft = tmp_path / "ch.txt"
        draft.write_text(
            "Lieber Reto\n\nWir beenden deine Mitgliedschaft per 31. Dezember 2026.\n\n"
            f"Danke für alles und alles Gute.\n\n{closing}\nNadine Strauß\n",
            encoding="utf-8",
        )
        found = [f for f in lint(draft, lang="de", locale="de-CH") if f.rule == "structure/sharp-s-ch"]
        assert [f.text for f in found] == ["Grüße"], closing  # the name keeps its ß


def _agency_page(comment: str = "", before: str = "") -> str:
    paragraphs = [
        "Dear Ms. Whitfield:",
        "We will end our retainer on December 31, 2026.",
        f"{before}For the record, as we have stated several times, the approvals came late.",
        "With all due respect, your team's feedback was not helpful.",
        "Thank you for three years of working together. We wish you every success.",
        "Sincerely,",
        "Jordan",
    ]
    body = "".join(f'<p class="c1"><span class="c0">{p}</span></p>' for p in paragraphs)
    return f"<html><head><style>.c1{{}}</style></head><body>{body}{comment}</body></html>"


def test_google_docs_comments_are_not_linted(tmp_path):
    page = tmp_path / "agency.html"
    comment = (
        '<div><p class="c1"><a href="#cmnt_ref1" id="cmnt1">[a]</a>'
        "<span>Honestly she's been a nightmare, an idiot, but we can't send this.</span></p></div>"
    )
    page.write_text(
        _agency_page(comment).replace(
            "came late.", 'came late.<sup><a href="#cmnt1" id="cmnt_ref1">[a]</a></sup>'
        ),
        encoding="utf-8",
    )
    found = lint(page, lang="en")
    assert not [f for f in found if f.category == "hostile"]
    assert all("[a]" not in f.sentence for f in found)
    # the same words in the letter itself are found
    page.write_text(_agency_page().replace("Jordan", "Honestly, you are an idiot."), encoding="utf-8")
    assert [f for f in lint(page, lang="en") if f.category == "hostile"]


def test_an_ignore_comment_in_a_one_line_html_page_silences_one_paragraph(tmp_path):
    page = tmp_path / "agency.html"
    page.write_text(_agency_page(), encoding="utf-8")
    everything = set(_rules(page, "en"))
    assert {"passive_aggressive/as-previously-stated", "passive_aggressive/with-all-due-respect"} <= everything
    page.write_text(_agency_page(before="<!-- letterkit-ignore -->"), encoding="utf-8")
    left = set(_rules(page, "en"))
    assert "passive_aggressive/as-previously-stated" not in left
    assert "passive_aggressive/with-all-due-respect" in left
    # before a paragraph's <p>, the marker silences the paragraph that follows
    html = _agency_page().replace(
        '<p class="c1"><span class="c0">With all due', '<!-- letterkit-ignore --><p class="c1"><span class="c0">With all due'
    )
    page.write_text(html, encoding="utf-8")
    left = set(_rules(page, "en"))
    assert "passive_aggressive/with-all-due-respect" not in left
    assert "passive_aggressive/as-previously-stated" in left


def test_a_docx_made_from_hard_wrapped_text_reads_its_sentences_whole(tmp_path):
    import docx

    wrapped = [
        "Lieber Tom,",
        "wir beenden deine Mitgliedschaft im Chor zum 31. Dezember 2026. Es ist ja nicht so,",
        "dass wir nicht immer wieder versucht hätten, mit dir eine Lösung zu finden, aber",
        "die Proben brauchen alle Stimmen.",
        "Danke für die schönen Konzerte und alles Gute.",
    ]
    document = docx.Document()
    for line in wrapped:
        document.add_paragraph(line)
    document.add_paragraph("die Noten, die noch bei dir liegen und die du zurückgibst", style="List Bullet")
    document.add_paragraph("die Schlüssel für den Probenraum", style="List Bullet")
    path = tmp_path / "chor.docx"
    document.save(path)
    found = [f for f in lint(path, lang="de") if f.rule == "passive_aggressive/nicht-so-dass"]
    assert len(found) == 1
    assert found[0].sentence.startswith("Es ist ja nicht so, dass wir nicht immer wieder versucht hätten")
    assert found[0].sentence.endswith("die Proben brauchen alle Stimmen.")
    assert (found[0].line, found[0].column) == (2, 65)  # the paragraph (line) it starts in
    from letterkit.lint.readers import read_draft

    text = read_draft(path).text
    assert "Stimmen.\n\nDanke" in text  # a sentence's end ends the paragraph as before
    assert "zurückgibst\n\ndie Schlüssel" in text  # list items stay apart


def test_a_folder_is_linted_as_the_drafts_in_it(tmp_path):
    from letterkit.lint.run import LintOptions, run_lint

    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("- you never sent the approvals before the print deadlines\n", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("You ignored our invoices for months.\n", encoding="utf-8")
    (tmp_path / ".git" / "c.txt").write_text("You ignored every reminder.\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("You ignored every reminder.\n", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("You ignored every reminder.\n", encoding="utf-8")  # an earlier run's report
    result = run_lint(
        [str(tmp_path)], LintOptions(lang="en", output=str(report), force=True), fmt="json"
    )
    import json

    linted = {Path(f["path"]).name for f in json.loads(report.read_text("utf-8"))["findings"]}
    assert linted == {"a.txt", "b.md"} and result.failed
    empty = tmp_path / "empty"
    empty.mkdir()
    import pytest

    from letterkit.errors import SourceError

    with pytest.raises(SourceError, match="folder with no draft"):
        run_lint([str(empty)], LintOptions(lang="en"))


def test_a_truncated_image_is_no_draft(tmp_path):
    import pytest

    from letterkit.errors import SourceError

    image = tmp_path / "scan.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\nabc")
    with pytest.raises(SourceError, match="PNG image"):
        lint(image, lang="en")
