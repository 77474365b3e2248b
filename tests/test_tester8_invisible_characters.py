"""Soft hyphens and zero-width characters inside words (tester 8). A hyphenator, a CMS or
text pasted from a web page or a PDF puts a soft hyphen (U+00AD, ``&shy;``) or a zero-width
space into long words: no page shows them, but they split the word for the rules, so
"Sie sind echt un&shy;möglich" and "Sie haben es ver­säumt" passed as clean. They are left
out of the text the rules read; findings keep the source file's lines and columns."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from letterkit.lint import lint

SHY, ZWSP = "\u00ad", "\u200b"
OPENING = "Sehr geehrte Frau Berg,"
DECISION = "wir beenden den Vertrag zum 31. Dezember 2026."
ENDING = "Vielen Dank und alles Gute."


def hits(path: Path) -> list[tuple[str, str, int, int, int]]:
    return [
        (f.rule, f.text, f.line, f.column, f.end_column)
        for f in lint(path, lang="de")
        if f.rule in ("hostile/abwertend", "blame/versaeumt")
    ]


def letter(insult: str, blame: str) -> str:
    return f"{OPENING}\n\n{DECISION} {insult}\n{blame}\n\n{ENDING}\n\nMit freundlichen Grüßen\nAnna\n"


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_in_text_and_markdown(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"d{suffix}"
    path.write_text(letter(f"Sie sind echt un{SHY}mög{SHY}lich.", f"Sie haben es ver{ZWSP}säumt, zu zahlen."), encoding="utf-8")
    start = len(DECISION) + 2  # "Sie" after the decision and a space
    assert hits(path) == [
        ("hostile/abwertend", "sind echt unmöglich", 3, start + 4, start + 4 + len("sind echt unmöglich") + 2),
        ("blame/versaeumt", "versäumt", 4, 14, 14 + len("versäumt") + 1),
    ]


def test_in_markdown_beside_a_link_and_bold(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    line = f"Siehe [die F{SHY}AQ](https://example.de/a{SHY}b). **Sie** sind echt un{SHY}möglich."
    path.write_text(f"{OPENING}\n\n{DECISION}\n\n{line}\n\n{ENDING}\n\nMit freundlichen Grüßen\nAnna\n", encoding="utf-8")
    found = [(r, t, li, c) for r, t, li, c, _ in hits(path)]
    assert found == [("hostile/abwertend", "sind echt unmöglich", 5, line.index("sind") + 1)]


def test_in_html_as_entity_and_as_character(tmp_path: Path) -> None:
    path = tmp_path / "d.html"
    first = "<p>Sie sind echt un&shy;m&ouml;glich.</p>"
    second = f"<p>Sie haben es ver{SHY}s&auml;umt, zu zahlen. Sie sind echt un&#8203;m&ouml;glich.</p>"
    path.write_text(
        f"<p>{OPENING}</p><p>{DECISION}</p>\n{first}\n{second}\n<p>{ENDING}</p><p>Mit freundlichen Gr&uuml;&szlig;en<br>Anna</p>\n",
        encoding="utf-8",
    )
    assert hits(path) == [
        ("hostile/abwertend", "sind echt unmöglich", 2, 8, len(first) - 4),
        ("blame/versaeumt", "versäumt", 3, 17, second.index(",") + 1),
        ("hostile/abwertend", "sind echt unmöglich", 3, second.index("sind echt un&#") + 1, len(second) - 4),
    ]


def test_in_a_word_run(tmp_path: Path) -> None:
    """A soft hyphen typed into a run's text (Word writes one it places as w:softHyphen)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = [OPENING, DECISION, f"Sie sind echt un{SHY}möglich.", ENDING]
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paras)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    path = tmp_path / "d.docx"
    path.write_bytes(buffer.getvalue())
    assert [(r, t, li, c) for r, t, li, c, _ in hits(path)] == [("hostile/abwertend", "sind echt unmöglich", 3, 5)]


def test_in_an_email_text_part(tmp_path: Path) -> None:
    """In a text part as written (8bit) and quoted-printable (=C2=AD): columns of the file."""
    body = f"{OPENING}\n\n{DECISION}\nSie sind echt un{SHY}möglich.\n\n{ENDING}\n\nViele Grüße\nAnna\n"
    head = "From: a@example.de\nTo: b@example.de\nSubject: Vertrag\nMIME-Version: 1.0\n"
    plain = head + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body
    path = tmp_path / "d.eml"
    path.write_bytes(plain.encode("utf-8"))
    assert [(r, t, li, c) for r, t, li, c, _ in hits(path)] == [("hostile/abwertend", "sind echt unmöglich", 11, 5)]
    quoted = body.replace(SHY, "=C2=AD").replace("ö", "=C3=B6").replace("ü", "=C3=BC").replace("ß", "=C3=9F")
    qp = head + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + quoted
    path.write_bytes(qp.encode("ascii"))
    assert [(r, t, li, c) for r, t, li, c, _ in hits(path)] == [("hostile/abwertend", "sind echt unmöglich", 11, 5)]
