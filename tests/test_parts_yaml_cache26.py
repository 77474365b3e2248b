"""The parts library's YAML files, as read, are kept in the user's cache folder
(parts._kept_yaml): a later process takes them from there, and any edit of a file, however
quick, is read from the file again."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from letterkit import parts
from letterkit.resources import template_path


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the German locale file in a folder of the test's own, and a cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "templates" / "de"
    folder.mkdir(parents=True)
    (folder / "locale.yaml").write_bytes(template_path("de", "locale.yaml").read_bytes())
    monkeypatch.setattr(parts, "template_path", lambda lang, name: tmp_path / "templates" / lang / name)
    parts.load.cache_clear()
    yield folder
    parts.load.cache_clear()


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was read again")

    monkeypatch.setattr(yaml, "load", refused)


def test_a_later_process_takes_the_kept_mapping(templates: Path, monkeypatch: pytest.MonkeyPatch):
    first = parts.load("de", "locale")
    assert first == yaml.safe_load((templates / "locale.yaml").read_text(encoding="utf-8"))
    kept = list((templates.parent.parent / "cache" / "letterkit").glob("yaml-de-locale-*.pickle"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    parts.load.cache_clear()  # a new process
    _no_yaml(monkeypatch)
    assert parts.load("de", "locale") == first


def test_an_edit_of_the_same_size_is_read_from_the_file(templates: Path):
    first = parts.load("de", "locale")
    path = templates / "locale.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Anlagen" in text
    path.write_text(text.replace("Anlagen", "Anlagex", 1), encoding="utf-8")  # same size, at once
    parts.load.cache_clear()
    again = parts.load("de", "locale")
    assert again != first and "Anlagex" in yaml.safe_dump(again, allow_unicode=True)
    # the file of the earlier text has gone, the new one is kept
    assert len(list((templates.parent.parent / "cache" / "letterkit").glob("yaml-de-locale-*.pickle"))) == 1


def test_a_cache_file_of_another_key_or_form_is_passed_over(templates: Path, monkeypatch: pytest.MonkeyPatch):
    from letterkit.lint.rules import save_cache

    first = parts.load("de", "locale")
    (cache,) = (templates.parent.parent / "cache" / "letterkit").glob("yaml-de-locale-*.pickle")
    for planted in (("another key", {"locales": {}}), {"locales": {}}, ("only one",)):
        assert save_cache(planted, cache)
        parts.load.cache_clear()
        assert parts.load("de", "locale") == first


def test_a_broken_file_is_still_a_template_error(templates: Path):
    from letterkit.errors import TemplateError

    (templates / "locale.yaml").write_text("a: [b\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="cannot load the parts library"):
        parts.load("de", "locale")
    (templates / "locale.yaml").write_text("- a list\n", encoding="utf-8")
    parts.load.cache_clear()
    with pytest.raises(TemplateError, match="expected a mapping at the top"):
        parts.load("de", "locale")
