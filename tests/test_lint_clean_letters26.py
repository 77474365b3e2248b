"""A whole masked letter the lint found clean is kept between runs (clean_cache.letter_digest):
a later run that composes a letter reading the same masked does not lint it again (no
structure checks, no rules loaded); a letter with a finding is linted every time."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

import letterkit
from letterkit.lint import clean_cache
from letterkit.lint import letter as letter_lint

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "de-DE-wartungsvertrag.yaml"


def new_run() -> None:
    """What a new process starts with: nothing in memory."""
    clean_cache.forget()
    letter_lint._PARAGRAPHS.clear()
    letter_lint._LETTERS.clear()


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    new_run()
    yield tmp_path / "cache" / "letterkit"
    new_run()


def data() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def _no_lint(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every lint of a masked letter, recorded (and the structure checks refused)."""
    linted: list[str] = []
    real = letter_lint._lint_masked

    def counted(texts, *args):
        linted.append(texts[0])
        return real(texts, *args)

    def refused(*args, **kwargs):
        raise AssertionError("the structure checks ran for a letter known clean")

    monkeypatch.setattr(letter_lint, "_lint_masked", counted)
    monkeypatch.setattr(importlib.import_module("letterkit.lint"), "structure_findings", refused)
    return linted


def test_a_later_run_takes_a_clean_letter_as_known(fresh, monkeypatch):
    first = letterkit.compose(data())
    assert first.findings == ()
    new_run()
    linted = _no_lint(monkeypatch)
    again = letterkit.compose(data())
    assert again == first and linted == []
    # another client of the same shape (other names, another amount of as many digits)
    other = data()
    other["recipient"] = {**other["recipient"], "last_name": "Beispiel", "company": "Andere AG"}
    assert letterkit.compose(other).findings == () and linted == []


def test_a_letter_of_another_shape_is_linted(fresh, monkeypatch):
    letterkit.compose(data())
    new_run()
    linted = _no_lint(monkeypatch)
    changed = {**data(), "thanks": False}  # no thanks paragraph: another masked letter
    with pytest.raises(AssertionError, match="structure checks ran"):
        letterkit.compose(changed)
    assert len(linted) == 1


def test_a_letter_with_a_structure_finding_is_never_kept_clean(fresh, monkeypatch):
    blaming = {**data(), "thanks": False, "wishes": False}
    assert "structure/missing-thanks" in {f.rule for f in letterkit.compose(blaming).findings}
    new_run()
    assert "structure/missing-thanks" in {f.rule for f in letterkit.compose(blaming).findings}
    new_run()
    linted = []
    real = letter_lint._lint_masked
    monkeypatch.setattr(letter_lint, "_lint_masked", lambda texts, *a: linted.append(1) or real(texts, *a))
    assert "structure/missing-thanks" in {f.rule for f in letterkit.compose(blaming).findings}
    assert linted == [1]


def test_a_letters_digest_is_no_paragraphs(fresh):
    texts, parts = ["Betreff", "Text"], ((), ("opening",))
    digest = clean_cache.letter_digest(texts, parts, "de-DE")
    assert digest != clean_cache.digest("Betreff", "de-DE") and len(digest) == 16
    assert digest != clean_cache.letter_digest(texts, ((), ("thanks",)), "de-DE")
    assert digest != clean_cache.letter_digest(texts, parts, "de-AT")
