"""`letterkit-ignore` in a Word comment (tester 8). The marker may stand "in a comment",
and for a .docx its line is the paragraph; but Word's comments (word/comments.xml) were
not read, so a writer in Word had to type the marker into the letter's own text, where it
is printed. A comment whose text holds the marker now silences the paragraphs it is
anchored to (its range, or the paragraph of its reference), with the same rule list."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from letterkit.lint import lint

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'
OPENING = "Sehr geehrte Frau Berg,"
DECISION = "wir beenden den Vertrag zum 31. Dezember 2026."
FIRST = "Sie haben immer eine Ausrede."  # absolute/immer, hostile/abwertend
SECOND = "Sie haben es versäumt, zu zahlen."  # blame/versaeumt
ENDING = "Vielen Dank und alles Gute."


def run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def paragraph(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def package(tmp_path: Path, middle: str, comments: dict[int, str]) -> Path:
    body = paragraph(run(OPENING)) + paragraph(run(DECISION)) + middle + paragraph(run(ENDING))
    notes = "".join(
        f'<w:comment w:id="{key}" w:author="Lena"><w:p>{run(text)}</w:p></w:comment>' for key, text in comments.items()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        archive.writestr("word/comments.xml", f"<w:comments {NS}>{notes}</w:comments>")
    path = tmp_path / "d.docx"
    path.write_bytes(buffer.getvalue())
    return path


def ranged(key: int, text: str) -> str:
    return (
        f'<w:commentRangeStart w:id="{key}"/>{run(text)}<w:commentRangeEnd w:id="{key}"/>'
        f'<w:r><w:commentReference w:id="{key}"/></w:r>'
    )


def rules(path: Path) -> list[tuple[str, int]]:
    return sorted((f.rule, f.line) for f in lint(path, lang="de") if not f.rule.startswith("structure/"))


def test_a_comment_with_the_marker_silences_its_paragraph(tmp_path: Path) -> None:
    middle = paragraph(ranged(0, FIRST)) + paragraph(run(SECOND))
    path = package(tmp_path, middle, {0: "letterkit-ignore"})
    assert rules(path) == [("blame/versaeumt", 4)]


def test_a_comment_names_the_rules_it_silences(tmp_path: Path) -> None:
    middle = paragraph(ranged(0, FIRST)) + paragraph(run(SECOND))
    path = package(tmp_path, middle, {0: "Bewusst so: letterkit-ignore: absolute"})
    assert rules(path) == [("blame/versaeumt", 4), ("hostile/abwertend", 3)]


def test_a_comment_over_two_paragraphs_silences_both(tmp_path: Path) -> None:
    middle = (
        paragraph(f'<w:commentRangeStart w:id="3"/>{run(FIRST)}')
        + paragraph(f'{run(SECOND)}<w:commentRangeEnd w:id="3"/><w:r><w:commentReference w:id="3"/></w:r>')
    )
    path = package(tmp_path, middle, {3: "letterkit-ignore"})
    assert rules(path) == []


def test_a_reference_alone_marks_its_paragraph(tmp_path: Path) -> None:
    """LibreOffice writes a comment without a range: only its reference."""
    middle = paragraph(run(FIRST)) + paragraph(f'{run(SECOND)}<w:r><w:commentReference w:id="5"/></w:r>')
    path = package(tmp_path, middle, {5: "letterkit-ignore: blame"})
    assert rules(path) == [("absolute/immer", 3), ("hostile/abwertend", 3)]


def test_another_comment_silences_nothing(tmp_path: Path) -> None:
    middle = paragraph(ranged(0, FIRST)) + paragraph(run(SECOND))
    path = package(tmp_path, middle, {0: "Bitte freundlicher formulieren."})
    assert rules(path) == [("absolute/immer", 3), ("blame/versaeumt", 4), ("hostile/abwertend", 3)]


def test_a_misspelt_rule_in_a_comment_gets_a_notice(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    middle = paragraph(ranged(0, FIRST)) + paragraph(run(SECOND))
    path = package(tmp_path, middle, {0: "letterkit-ignore: absolte"})
    result = CliRunner().invoke(main, ["lint", "--lang", "de", str(path)])
    assert f"{path}:3: letterkit-ignore (in a Word comment) names no rule or category 'absolte'" in result.stderr
    assert "did you mean absolute" in result.stderr
