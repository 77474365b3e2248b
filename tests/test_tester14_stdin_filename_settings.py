"""An editor lints an unsaved buffer from the project's root with `--stdin-filename
path/of/the/buffer`: in a monorepo, the buffer gets the settings of its own folder, as the
saved file would and as ruff finds them, not those of the working directory (tester14)."""

from __future__ import annotations

from click.testing import CliRunner

from letterkit.cli import main

LETTER = (
    "Dear Mr Smith,\n\nWe are ending our contract with you on 31 December 2026.\n\n"
    "You never answer our calls.\n\nKind regards\nEmma Clarke\n"
)


def test_the_buffer_takes_the_settings_of_its_folder(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.letterkit.lint]\nignore = ["absolute"]\n', encoding="utf-8")
    (tmp_path / "team-a").mkdir()
    (tmp_path / "team-a" / "letterkit.toml").write_text(
        '[lint]\nselect = ["structure"]\nfail-level = "error"\n', encoding="utf-8"
    )
    (tmp_path / "team-b").mkdir()
    monkeypatch.chdir(tmp_path / "team-a")
    runner = CliRunner()

    saved = tmp_path / "team-b" / "letter.txt"
    saved.write_text(LETTER, encoding="utf-8")
    as_file = runner.invoke(main, ["lint", "--lang", "en", "../team-b/letter.txt"])
    as_buffer = runner.invoke(
        main, ["lint", "--lang", "en", "-", "--stdin-filename", "../team-b/letter.txt"], input=LETTER
    )
    assert as_file.exit_code == as_buffer.exit_code == 1  # team-b: the root's settings, fail-level warning
    assert "blame/did-not-deliver" in as_buffer.stdout and "absolute/never" not in as_buffer.stdout
    assert as_buffer.stdout == as_file.stdout

    here = runner.invoke(main, ["lint", "--lang", "en", "-", "--stdin-filename", "draft.txt"], input=LETTER)
    assert here.exit_code == 0 and "blame/" not in here.stdout  # team-a's own settings
    nowhere = runner.invoke(main, ["lint", "--lang", "en", "-", "--stdin-filename", "no/such/x.txt"], input=LETTER)
    assert nowhere.exit_code == 0 and "blame/" not in nowhere.stdout  # no such folder: the working directory's
