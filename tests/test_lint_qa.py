"""Lint fixes from the second acceptance test: settings are checked (config, command line,
API), what ``lint()`` reads a source as, HTML suppressions, GitHub annotation escaping."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import LetterkitError, SourceError
from letterkit.lint import lint
from letterkit.lint.config import SettingError
from letterkit.lint.findings import Finding
from letterkit.lint.report import to_github

BLAME_DE = "Sie haben es versäumt, die Rechnung zu bezahlen."
PER_MY_LAST = "As per my last email, the invoice is open."


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


# B2: every config value is checked, with file, key, value and the allowed values


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ('fail-level = "fatal"', "fail-level = 'fatal' is not allowed; use one of info, warning, error"),
        ('lang = "fr"', "lang = 'fr' is not allowed; use one of de, en"),
        ('locale = "de-LI"', "locale = 'de-LI' is not allowed; use one of de-DE, de-AT, de-CH"),
        ("select = 3", "select = 3 is not allowed; use a list of rule ids or categories"),
        ('ignore = ["blme"]', "ignore: no rule or category 'blme'; did you mean blame?"),
        ("baseline = 1", "baseline = 1 is not allowed; use a file name"),
    ],
)
def test_bad_config_values_are_clear_errors(tmp_path, monkeypatch, setting, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(BLAME_DE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(f"[tool.letterkit.lint]\n{setting}\n", encoding="utf-8")
    result = run("lint", "draft.txt")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "pyproject.toml [tool.letterkit.lint]: " + expected in result.output


def test_letterkit_toml_is_checked_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(BLAME_DE, encoding="utf-8")
    (tmp_path / "letterkit.toml").write_text('[lint]\nfail-level = "fatal"\n', encoding="utf-8")
    result = run("lint", "draft.txt")
    assert result.exit_code == 2 and "letterkit.toml [lint]: fail-level = 'fatal'" in result.output


def test_good_config_values_still_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(BLAME_DE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.letterkit.lint]\nselect = "blame, threat"\nfail-level = "error"\nlang = "de"\nlocale = "de-AT"\n',
        encoding="utf-8",
    )
    assert run("lint", "draft.txt").exit_code == 0  # a blame warning, below the fail level


def test_a_pyproject_without_letterkit_settings_is_left_alone(tmp_path, monkeypatch):
    """Another project's pyproject.toml, even a broken one, is none of the lint's business;
    settings in a [tool] table written with dotted keys are still found."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(BLAME_DE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\nversion = \n', encoding="utf-8")
    result = run("lint", "draft.txt")
    assert result.exit_code == 1 and "blame" in result.output and "TOML" not in result.output
    (tmp_path / "pyproject.toml").write_bytes('[project]\nname = "Bäckerei"\n'.encode("latin-1"))
    assert run("lint", "draft.txt").exit_code == 1  # not UTF-8, but not ours either
    for table in (
        '[tool]\nletterkit.lint.ignore = ["blame"]\n',
        'tool = { letterkit = { lint = { ignore = ["blame"] } } }\n',
        '["tool".letterkit.lint]\nignore = ["blame"]\n',
    ):
        (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
        assert run("lint", "draft.txt").exit_code == 0, table
    (tmp_path / "pyproject.toml").write_text("[tool.letterkit.lint]\nselect = [\n", encoding="utf-8")
    result = run("lint", "draft.txt")
    assert result.exit_code == 2 and "is not valid TOML" in result.output


# B8: unknown selectors are usage errors with a did-you-mean


def test_unknown_selectors_on_the_command_line(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(BLAME_DE, encoding="utf-8")
    result = run("lint", str(draft), "--select", "nonexistent/rule")
    assert result.exit_code == 2 and "All clean." not in result.output
    assert (
        "--select: no rule or category 'nonexistent/rule'" in result.output
        and "the categories are " in result.output
    )
    result = run("lint", str(draft), "--ignore", "blme")
    assert result.exit_code == 2 and "did you mean blame?" in result.output
    result = run("lint", str(draft), "--select", "blame/versaumt")
    assert result.exit_code == 2 and "did you mean blame/versaeumt" in result.output
    # rule ids, categories (with or without a slash) and rules of the other language are fine
    assert run("lint", str(draft), "--select", "blame/,threat", "--ignore", "blame/failed-to").exit_code == 1


def test_unknown_selectors_in_the_api():
    with pytest.raises(SettingError, match="did you mean blame"):
        lint(BLAME_DE, select=["blme"])
    with pytest.raises(ValueError, match="no rule or category 'nope'"):
        lint(BLAME_DE, ignore="blame,nope")
    assert [f.rule for f in lint(BLAME_DE, select="blame/versaeumt")] == ["blame/versaeumt"]


# R7: the command line's --ignore adds to the config's


def test_cli_ignore_adds_to_the_config_ignore(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(
        f"{BLAME_DE} Wir behalten uns rechtliche Schritte vor. Es tut uns unendlich leid.\n", encoding="utf-8"
    )
    (tmp_path / "pyproject.toml").write_text('[tool.letterkit.lint]\nignore = ["threat"]\n', encoding="utf-8")
    output = run("lint", "draft.txt", "--ignore", "over_apology").output
    assert "blame/" in output and "threat/" not in output and "over_apology/" not in output


# B6: what lint() reads its source as


def test_a_mistyped_path_is_an_error_not_a_clean_text(tmp_path):
    with pytest.raises(SourceError, match=r"missing\.docx: no such file"):
        lint(str(tmp_path / "missing.docx"))
    with pytest.raises(FileNotFoundError):
        lint("drafts/kuendigung_mueller.TXT")
    with pytest.raises(FileNotFoundError):
        lint(Path("missing.md"))


def test_strings_that_are_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text(BLAME_DE, encoding="utf-8")
    assert lint("notes") == []  # no draft extension: text, even though such a file exists
    assert lint("Bitte lesen Sie die Datei draft.txt\n", lang="de") == []  # a line break: text, clean
    assert any(f.rule == "blame/versaeumt" for f in lint(BLAME_DE))
    (tmp_path / "d.txt").write_text(BLAME_DE, encoding="utf-8")
    assert lint("d.txt")[0].path == "d.txt"


def test_bytes_are_read_as_a_file_would_be(tmp_path):
    assert any(f.rule == "blame/versaeumt" and f.text == "versäumt" for f in lint(BLAME_DE.encode("cp1252")))
    assert any(f.rule == "blame/versaeumt" for f in lint(BLAME_DE.encode("utf-8")))
    document = docx.Document()
    document.add_paragraph(BLAME_DE)
    buffer = io.BytesIO()
    document.save(buffer)
    found = lint(buffer.getvalue(), lang="de")
    assert any(f.rule == "blame/versaeumt" and f.text == "versäumt" for f in found)
    with pytest.raises(SourceError, match="binary file"):
        lint(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(TypeError, match="not int"):
        lint(3)  # type: ignore[arg-type]


def test_unknown_language_or_locale_names_the_choices():
    with pytest.raises(ValueError, match="lang = 'fr' is not allowed; use one of de, en"):
        lint("Bonjour", lang="fr")
    with pytest.raises(LetterkitError, match="use one of de-DE, de-AT, de-CH, en-GB, en-US"):
        lint("Bonjour", locale="fr-FR")


# B7: <!-- letterkit-ignore --> in HTML


def test_html_suppression_comments(tmp_path):
    same_line = tmp_path / "same.html"
    same_line.write_text(f"<p>Dear Mr Hughes,</p>\n<p>{PER_MY_LAST} <!-- letterkit-ignore --></p>\n", "utf-8")
    line_before = tmp_path / "before.html"
    line_before.write_text(
        f"<p>Dear Mr Hughes,</p>\n<!-- letterkit-ignore: passive_aggressive -->\n<p>{PER_MY_LAST}</p>\n",
        "utf-8",
    )
    other_rule = tmp_path / "other.html"
    other_rule.write_text(f"<p>{PER_MY_LAST} <!-- letterkit-ignore: blame --></p>\n", "utf-8")
    plain = tmp_path / "plain.html"
    plain.write_text(f"<p>Dear Mr Hughes,</p>\n<p>{PER_MY_LAST}</p>\n", "utf-8")

    def rules(path: Path) -> list[str]:
        return [f.rule for f in lint(path, lang="en") if f.category == "passive_aggressive"]

    assert rules(plain) and rules(other_rule)
    assert rules(same_line) == [] and rules(line_before) == []
    assert run("lint", "--select", "passive_aggressive", str(line_before)).exit_code == 0


# B11: GitHub annotations escape property values and data


def test_github_annotations_escape_separators():
    finding = Finding(
        rule="blame/failed-to",
        category="blame",
        severity="warning",
        message="100% wrong:\nsee, here",
        text="failed to",
        start=0,
        end=9,
        line=3,
        column=5,
        paragraph=1,
        path="draft, v2: final%.txt",
    )
    line = to_github([finding])
    assert line == (
        "::warning file=draft%2C v2%3A final%25.txt,line=3,endLine=3,col=5,endColumn=14,title=blame/failed-to::"
        "100%25 wrong:%0Asee, here\n"
    )


def test_github_format_through_the_cli(tmp_path):
    draft = tmp_path / "draft, v2: final.txt"
    draft.write_text(BLAME_DE, encoding="utf-8")
    output = run("lint", "--format", "github", str(draft)).output
    assert "file=" + str(draft).replace(",", "%2C").replace(":", "%3A") + ",line=1" in output


def test_a_zip_named_txt_is_refused(tmp_path):
    fake = tmp_path / "draft.txt"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("a.txt", "x")
    result = run("lint", str(fake))
    assert result.exit_code == 2 and "draft.txt: is a zip archive (a Word .docx?)" in result.output


def test_github_annotation_spans_the_matched_words_and_lines() -> None:
    """endLine always; endColumn (after the last character, as ruff writes it) only within
    one line, where GitHub underlines columns."""
    one = Finding("blame/x", "blame", "warning", "m", "failed to", 0, 9, 2, 5, 1, path="a.txt")
    two = Finding("blame/x", "blame", "warning", "m", "haben es\nversäumt", 0, 17, 2, 5, 1, path="a.txt")
    assert ",line=2,endLine=2,col=5,endColumn=14," in to_github([one])
    wrapped = to_github([two])
    assert ",line=2,endLine=3,col=5,title=" in wrapped and "endColumn" not in wrapped


def test_a_sentence_wrapped_after_a_short_line_is_read_as_one() -> None:
    """A line cut mid-sentence (its last word in lower case, the next line going on in lower
    case) joins the next, however short: the subject on one line, the verb on the next."""
    from letterkit.lint import lint

    for text, rule in (
        ("Sie haben es\nversäumt, die Rechnung zu zahlen.\n", "blame/versaeumt"),
        ("Sie haben\nes versäumt, die Rechnung zu zahlen.\n", "blame/versaeumt"),
    ):
        assert rule in {f.rule for f in lint(text, lang="de")}, text
    # an address block keeps its lines apart: the last words are capitalised or numbers
    assert not lint("Muster GmbH\nz. Hd. Frau Berg\nHauptstraße 1\n10115 Berlin\n", lang="de")
