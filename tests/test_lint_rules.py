"""Every rule carries its own proof: its fail examples are flagged by it, its pass examples are not."""

from __future__ import annotations

import pytest

from letterkit.lint import lint
from letterkit.lint.rules import CATEGORIES, KINDS, load_rules

RULES = [rule for lang in ("de", "en") for rule in load_rules(lang)]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.lang}:{r.id}")
def test_rule_structure(rule):
    assert rule.kind in KINDS and rule.category in CATEGORIES
    assert rule.id.startswith(rule.category + "/")
    assert rule.message
    if rule.kind != "structure":
        assert rule.examples.get("fail"), f"{rule.source}: {rule.id} has no fail examples"
        assert rule.examples.get("pass"), f"{rule.source}: {rule.id} has no pass examples"


def _cases():
    # structure rules carry examples where a short draft shows them (whole letters are
    # tested in test_lint_engine.py and the drafts of tests/lint_corpus)
    for rule in RULES:
        for text in rule.examples.get("fail", []):
            yield pytest.param(rule, text, True, id=f"{rule.id}:fail:{text[:30]}")
        for text in rule.examples.get("pass", []):
            yield pytest.param(rule, text, False, id=f"{rule.id}:pass:{text[:30]}")


@pytest.mark.parametrize("rule,text,flagged", list(_cases()))
def test_rule_examples(rule, text, flagged):
    hits = [f for f in lint(text, lang=rule.lang, select=[rule.id])]
    assert bool(hits) is flagged, f"{rule.id} on {text!r}: {hits}"


def test_ids_are_unique_per_language():
    for lang in ("de", "en"):
        ids = [r.id for r in load_rules(lang)]
        assert len(ids) == len(set(ids))


def test_a_new_cache_file_replaces_the_older_ones_of_its_kind(tmp_path, monkeypatch):
    from letterkit.lint import prefilter, rules
    from letterkit.lint.rules import load_rules

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "letterkit"
    folder.mkdir()
    older = ["rules-en-" + "a" * 20 + ".pickle", "rules-" + "b" * 20 + ".pickle"]
    older += ["lint-beginnings-en-" + "c" * 20 + ".json", "lint-beginnings-" + "d" * 20 + ".json"]
    older += ["lint-prefilter-en-" + "f" * 20 + ".pickle"]
    kept = ["rules-de-" + "a" * 20 + ".pickle", "lint-prefilter-de-" + "c" * 20 + ".pickle"]
    kept += ["rules-en-notours.pickle", "notes.txt", "rules-en-" + "e" * 20 + ".pickle.1234.tmp"]
    for name in older + kept:
        (folder / name).write_text("x", encoding="utf-8")

    patterns = [p for rule in load_rules("en") for p in rule.patterns]
    prefilter.Prefilter(patterns, "en")  # writes its analysis anew in the empty cache folder
    rules._rule_set.__wrapped__("en")  # type: ignore[attr-defined]

    names = sorted(p.name for p in folder.iterdir())
    assert not set(older) & set(names)
    assert set(kept) <= set(names)
    assert len([n for n in names if n.startswith("rules-en-") and n.endswith(".pickle")]) == 2  # + notours
    assert len([n for n in names if n.startswith("lint-prefilter-en-")]) == 1
    assert not [n for n in names if n.startswith("lint-beginnings")]
