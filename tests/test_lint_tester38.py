"""Tester 38's defects outside the rules. An email with a text and an HTML part: the HTML
part, which mail programs show, is the one checked when it says more than the text part
(reproaches only in the HTML part, and "All clean"); when the two say the same, the text
part is checked as before. A config file's wrong values are named all at once."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint import lint

PLAIN = (
    "Sehr geehrter Herr Kern,\n\nwir beenden den Wartungsvertrag zum 31. Dezember 2026.\n\n"
    "Vielen Dank für die Zusammenarbeit und alles Gute.\n\nMit freundlichen Grüßen\nIT-Service Lenz\n"
)
REPROACH = "Haben Sie unsere Hinweise überhaupt jemals gelesen?"


def email(path: Path, html_extra: str = "", plain_extra: str = "") -> Path:
    message = EmailMessage()
    message["Subject"] = "Wartungsvertrag"
    message["From"] = "it@lenz.example"
    message["To"] = "kern@example.org"
    message.set_content(PLAIN.replace("\n\nVielen", f"{plain_extra}\n\nVielen"))
    paragraphs = PLAIN.replace("\n\nVielen", f" {html_extra}\n\nVielen").split("\n\n")
    message.add_alternative("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs), subtype="html")
    path.write_bytes(bytes(message))
    return path


def test_the_html_part_is_checked_when_it_says_more(tmp_path):
    path = email(tmp_path / "m.eml", html_extra=REPROACH)
    findings = lint(path)
    assert any(REPROACH.startswith(f.sentence.strip()[:20]) for f in findings), findings
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 1
    assert "the HTML part, which mail programs show, says more than the text part" in result.output


def test_the_text_part_is_checked_when_both_say_the_same(tmp_path):
    path = email(tmp_path / "m.eml")
    assert lint(path) == []
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 0, result.output
    assert "HTML part" not in result.output


def test_words_only_in_the_text_part_are_named_in_the_notice(tmp_path):
    path = email(tmp_path / "m.eml", html_extra=REPROACH, plain_extra=" Die Schlüssel holen wir ab.")
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert "the text part has words of its own too" in result.output


def test_every_wrong_setting_of_a_config_file_is_named_at_once(tmp_path):
    """Tester 38: a config with two wrong values named only the first."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.letterkit.lint]\nfail-level = "warn"\nlocale = "de_CH"\n', encoding="utf-8"
    )
    draft = tmp_path / "d.txt"
    draft.write_text(PLAIN, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(draft)])
    assert result.exit_code == 2
    assert "fail-level = 'warn' is not allowed" in result.output
    assert "locale = 'de_CH' is not allowed" in result.output
    assert result.output.count("pyproject.toml") == 1
