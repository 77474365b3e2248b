"""A word hyphenated at the end of a line ("ver-⏎säumt") is read as the word, in plain text
and in an email's text part; the finding's position is the source's. A hyphen before a
conjunction ("Kunden-⏎und Lieferantenliste") or a capital ("E-⏎Mail") stays."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from letterkit.lint import lint
from letterkit.lint.invisible import has_hidden, without_hidden

LETTER = (
    "Sehr geehrte Frau Berg,\n\n"
    "wir beenden den Vertrag zum 31. Dezember 2026, denn Sie haben es wiederholt ver-\n"
    "säumt, die Rechnungen zu zahlen. Danke für alles.\n\n"
    "Mit freundlichen Grüßen\nAnna\n"
)


def test_a_word_hyphenated_at_a_line_end_is_read_whole_and_placed_in_the_source(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(LETTER, encoding="utf-8")
    (found,) = [f for f in lint(draft) if f.rule == "blame/versaeumt"]
    assert found.text == "versäumt"
    assert (found.line, found.column) == (3, 77)  # "ver-" where the file has it
    assert (found.end_line, found.end_column) == (4, 6)  # "säumt" on the next line


def test_the_same_in_an_email(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.de", "b@example.de", "Vertrag"
    message.set_content(LETTER)
    draft = tmp_path / "draft.eml"
    draft.write_bytes(bytes(message))
    assert "blame/versaeumt" in {f.rule for f in lint(draft)}


def test_a_hyphen_before_a_conjunction_or_a_capital_stays() -> None:
    for text in ("Die Kunden-\nund Lieferantenliste", "per E-\nMail", "Zahlungs-\noder Lieferfristen", "- item\n- next"):
        assert not has_hidden(text), text
    joined, to_source = without_hidden("Voraus-\nzahlung und Rück-\nfragen")
    assert joined == "Vorauszahlung und Rückfragen"
    assert to_source(joined.index("zahlung")) == len("Voraus-\n")  # where "zahlung" starts in the source


def test_the_same_in_markdown(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(LETTER.replace("Danke", "**Danke**"), encoding="utf-8")
    (found,) = [f for f in lint(draft) if f.rule == "blame/versaeumt"]
    assert (found.line, found.column, found.end_line) == (3, 77, 4)
