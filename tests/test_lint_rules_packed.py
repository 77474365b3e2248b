"""The rules cache in two pieces (lint/rules.py, RuleSet): the structure checks of a composed
letter load without the tone rules, and the tone rules come back whole, in file order, with
the code their patterns were given."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from letterkit.lint import rules


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "letterkit"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_rules_come_back_whole_and_in_file_order(fresh_cache, lang):
    made = rules._rule_set.__wrapped__(lang)  # read from the rule files, and cached
    loaded = rules._rule_set.__wrapped__(lang)  # from the cache file
    assert loaded is not made and loaded._rules is None  # nothing unpacked yet
    structure = loaded.structure_rules()
    assert [r.id for r in structure] == [r.id for r in made.rules if r.kind == "structure"]
    assert structure and loaded._rules is None  # the structure rules need no unpacking
    assert [r.id for r in loaded.rules] == [r.id for r in made.rules]
    assert [r.kind for r in loaded.rules] == [r.kind for r in made.rules]
    # the structure rules handed out before are the ones in the whole set
    assert all(any(r is s for r in loaded.rules) for s in structure)


def test_a_composed_letter_is_checked_without_loading_the_tone_rules(fresh_cache):
    code = """
import letterkit
from letterkit.lint import rules
letter = letterkit.compose("samples/de-DE-wartungsvertrag.yaml")
print(rules._rule_set("de")._rules is None, len(letter.findings))
"""
    env = {"XDG_CACHE_HOME": str(fresh_cache.parent), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    # the first run lints the letter's paragraphs (no clean cache yet): it loads every rule
    assert first.stdout.split() == ["False", "0"]
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    # the next one knows them clean: only the structure checks run, from the first piece
    assert again.stdout.split() == ["True", "0"]


def test_code_translated_for_a_packed_rule_is_kept(fresh_cache):
    made = rules._rule_set.__wrapped__("en")
    (cache,) = fresh_cache.glob("rules-en-*.pickle")
    pattern = next(p for r in made.rules if r.kind != "structure" for p in r.patterns)
    pattern.code = None
    rules.save_cache(made, cache)
    loaded = rules.load_cache(cache)
    assert isinstance(loaded, rules.RuleSet)
    again = next(p for r in loaded.rules if r.id == _owner(made, pattern).id for p in r.patterns)
    assert again.code is None
    assert again.compiled.pattern == again.pattern  # translated here
    assert again.code is not None
    rules.save_cache(loaded, cache)
    kept = rules.load_cache(cache)
    assert isinstance(kept, rules.RuleSet)
    assert next(p for r in kept.rules if r.id == _owner(made, pattern).id for p in r.patterns).code is not None


def test_a_set_never_unpacked_is_saved_as_it_was(fresh_cache):
    rules._rule_set.__wrapped__("de")
    (cache,) = fresh_cache.glob("rules-de-*.pickle")
    loaded = rules.load_cache(cache)
    assert isinstance(loaded, rules.RuleSet)
    loaded.structure_rules()
    again = pickle.loads(pickle.dumps(loaded))
    assert again._packed == loaded._packed and again._rules is None
    assert [r.id for r in again.rules] == [r.id for r in rules._read_rules("de")]


def test_a_damaged_packed_piece_is_read_again_from_the_rule_files(fresh_cache):
    made = rules._rule_set.__wrapped__("en")
    loaded = pickle.loads(pickle.dumps(made))
    structure = loaded.structure_rules()
    loaded._packed = b"not a pickle"
    assert [r.id for r in loaded.rules] == [r.id for r in made.rules]
    assert all(any(r is s for r in loaded.rules) for s in structure)
    other = pickle.loads(pickle.dumps(made))
    other._packed = pickle.dumps(("not", "rules"))
    assert [r.id for r in other.rules] == [r.id for r in made.rules]


def _owner(rule_set: rules.RuleSet, pattern: rules.LazyPattern) -> rules.Rule:
    return next(r for r in rule_set.rules if any(p is pattern for p in r.patterns))
