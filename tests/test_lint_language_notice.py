"""A draft linted in the other language than it is written in (``--lang de`` on English
text, a folder's ``locale = "de-CH"`` over an English draft) gets a notice: the rules of
one language pass the other's text unread, and the run looked clean (tester 27)."""

from __future__ import annotations

from click.testing import CliRunner

from letterkit.cli import main

ENGLISH = (
    "Dear Ms Doyle,\n\nI am writing to let you know that we are ending our maintenance contract "
    "effective 31 December 2026. You never answered any of our emails and it is your fault that "
    "the project failed.\n\nKind regards\nSam\n"
)
GERMAN = (
    "Hallo Max,\n\nwir beenden die Zusammenarbeit mit dir zum 31. Dezember 2026. Du hast es "
    "ständig versäumt, die Schlüssel rechtzeitig zurückzugeben, und das ist nicht in Ordnung.\n\n"
    "Viele Grüße\nLena\n"
)


def lint(tmp_path, text, *args):
    (tmp_path / "draft.txt").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["lint", *args, str(tmp_path / "draft.txt")])


def test_the_other_language_is_named(tmp_path):
    result = lint(tmp_path, ENGLISH, "--lang", "de")
    assert "reads as English, but it was linted as lang de" in result.output
    assert "with --lang en" in result.output
    result = lint(tmp_path, GERMAN, "--locale", "en-GB")
    assert "reads as German, but it was linted as locale en-GB" in result.output


def test_a_locale_from_the_settings_is_named_too(tmp_path):
    (tmp_path / "letterkit.toml").write_text('[lint]\nlocale = "de-CH"\n', encoding="utf-8")
    result = lint(tmp_path, ENGLISH)
    assert "reads as English, but it was linted as locale de-CH" in result.output


def test_no_notice_in_the_right_language_or_without_a_choice(tmp_path):
    for text, args in ((ENGLISH, ["--lang", "en"]), (GERMAN, ["--locale", "de-AT"]), (ENGLISH, []), (GERMAN, [])):
        result = lint(tmp_path, text, *args)
        assert "but it was linted as" not in result.output and result.exit_code == 1
