"""A folder with no draft in it, named beside drafts, is one draft that cannot be read:
the others are linted and reported, the folder is named, the run exits 2 (tester14)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from letterkit.cli import main


def test_an_empty_folder_does_not_stop_the_other_drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text("Dear Mr Smith,\n\nYou failed to pay the invoice.\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["lint", "--lang", "en", "draft.txt", "empty"])
    assert result.exit_code == 2
    assert "draft.txt:3:5: blame/failed-to" in result.stdout
    assert "Error: empty: is a folder with no draft in it" in result.stderr

    result = CliRunner().invoke(main, ["lint", "--lang", "en", "--format", "json", "empty", "draft.txt"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]] == ["blame/failed-to"]
    assert report["errors"][0]["path"] == "empty"
    assert report["errors"][0]["message"].startswith("is a folder with no draft in it")
