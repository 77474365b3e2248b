"""A language and a locale that do not go together (tester 8): `--lang en --locale de-CH`,
or `lang = "en"` and `locale = "de-CH"` in one settings file, linted the draft as English
and dropped the locale without a word. It is a usage error (exit 2) that names both. Given
on different levels, the command line wins: `--lang en` over a folder's `locale = "de-CH"`
lints in English without that locale, as `--locale` over a folder's `lang` does."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from letterkit.cli import main

DRAFT = "Dear Ms Patel,\n\nWe end the contract on 31 December 2026. You failed to pay.\n\nAll the best,\nAnna\n"


def lint(tmp_path: Path, *args: str, config: str | None = None) -> tuple[int, str]:
    (tmp_path / "d.txt").write_text(DRAFT, encoding="utf-8")
    if config is not None:
        (tmp_path / "letterkit.toml").write_text(f"[lint]\n{config}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", *args, str(tmp_path / "d.txt")])
    return result.exit_code, result.stdout + result.stderr


def test_both_on_the_command_line(tmp_path: Path) -> None:
    code, out = lint(tmp_path, "--lang", "en", "--locale", "de-CH")
    assert code == 2
    assert "--locale de-CH is a locale of de, not of --lang en" in out


def test_both_in_one_settings_file(tmp_path: Path) -> None:
    code, out = lint(tmp_path, config='lang = "en"\nlocale = "de-CH"')
    assert code == 2
    assert "letterkit.toml [lint]: locale = 'de-CH' is a locale of de, not of lang = 'en'" in out


def test_the_command_line_over_the_file(tmp_path: Path) -> None:
    code, out = lint(tmp_path, "--lang", "en", config='locale = "de-CH"')
    assert code == 1
    assert "blame/failed-to" in out
    code, out = lint(tmp_path, "--locale", "en-GB", config='lang = "de"')
    assert code == 1
    assert "blame/failed-to" in out


def test_the_python_api_refuses_them_too() -> None:
    import pytest

    from letterkit.lint import lint as lint_text
    from letterkit.lint.config import SettingError

    with pytest.raises(SettingError, match="locale = 'de-CH' is a locale of de, not of lang = 'en'"):
        lint_text("You failed to pay.\n", lang="en", locale="de-CH")
    assert lint_text("You failed to pay.\n", lang="en", locale="en-GB")
