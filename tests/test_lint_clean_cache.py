"""The paragraphs of composed letters that the tone lint found clean are kept between runs
(clean_cache.py): a later run takes them as known and does not load and run the rules for
them. Only clean verdicts are kept, only from a file this user alone could have written."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
import yaml

import letterkit
from letterkit.lint import clean_cache
from letterkit.lint import letter as letter_lint

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "de-DE-wartungsvertrag.yaml"


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, and no paragraph known in this process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    clean_cache.forget()
    letter_lint._PARAGRAPHS.clear()
    letter_lint._LETTERS.clear()
    yield tmp_path / "cache" / "letterkit"
    clean_cache.forget()
    letter_lint._PARAGRAPHS.clear()
    letter_lint._LETTERS.clear()


def new_run() -> None:
    """What a new process starts with: nothing in memory."""
    clean_cache.forget()
    letter_lint._PARAGRAPHS.clear()
    letter_lint._LETTERS.clear()


def data() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def test_a_later_run_takes_the_clean_paragraphs_as_known(fresh, monkeypatch):
    assert letterkit.compose(data()).findings == ()
    files = list(fresh.glob("clean-de-*.txt"))
    assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
    new_run()
    lint_package = importlib.import_module("letterkit.lint")  # the package (letterkit.lint is also a function)

    def no_lint(*args, **kwargs):
        raise AssertionError("the rules ran for a paragraph known clean")

    monkeypatch.setattr(lint_package, "lint_draft", no_lint)
    assert letterkit.compose(data()).findings == ()


def test_a_paragraph_with_a_finding_is_linted_every_time(fresh):
    blaming = {**data(), "thanks": False, "wishes": False}
    first = {f.rule for f in letterkit.compose(blaming).findings}
    assert "structure/missing-thanks" in first
    # a draft paragraph with blame is never marked clean
    clean_cache.add_clean("de", [])
    from letterkit.lint.letter import _tone

    found = _tone(["Sie haben die Frist versäumt."], "de", "de-DE")
    assert found[0]
    assert clean_cache.digest("Sie haben die Frist versäumt.", "de-DE") not in clean_cache.known_clean("de")
    new_run()
    assert _tone(["Sie haben die Frist versäumt."], "de", "de-DE")[0]


def test_a_file_others_could_write_is_not_read(fresh):
    letterkit.compose(data())
    (path,) = fresh.glob("clean-de-*.txt")
    assert clean_cache.known_clean("de")
    os.chmod(path, 0o666)
    new_run()
    assert clean_cache.known_clean("de") == set()


def test_a_changed_rule_file_starts_a_new_file(fresh, monkeypatch, tmp_path):
    letterkit.compose(data())
    (before,) = fresh.glob("clean-de-*.txt")
    new_run()
    monkeypatch.setattr(clean_cache, "_stamp", lambda folder, pattern: f"{folder}:{pattern}:changed")
    assert clean_cache.known_clean("de") == set()
    assert clean_cache._file("de") != before
