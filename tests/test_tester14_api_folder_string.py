"""`letterkit.lint("drafts/")`: a one-line string that ends in a path separator and names
a folder is a path, as `Path("drafts")` is: it raises that a folder is no draft instead of
returning no findings for the word "drafts/" (tester14)."""

from __future__ import annotations

import pytest

from letterkit import lint
from letterkit.errors import SourceError


def test_a_folder_named_by_a_string_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text("You failed to pay the invoice.\n", encoding="utf-8")
    with pytest.raises(SourceError, match="drafts: is a folder, not a draft"):
        lint("drafts/", lang="en")
    with pytest.raises(SourceError, match="is a folder"):
        lint(f"{tmp_path}/drafts/", lang="en")
    assert lint("no-such-folder/", lang="en") == []  # not a folder: text, as before
    assert [f.rule for f in lint("drafts/a.txt", lang="en")] == ["blame/failed-to"]
