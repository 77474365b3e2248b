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
    assert rule.examples.get("fail"), f"{rule.source}: {rule.id} has no fail examples"
    assert rule.examples.get("pass"), f"{rule.source}: {rule.id} has no pass examples"


def _cases():
    # a structure rule's examples are short whole letters (longer ones are tested in
    # test_lint_engine.py and the drafts of tests/lint_corpus)
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
    mine = rules._INSTALL  # this install's files start their digest with its tag
    older = ["rules-en-" + mine + "a" * 16 + ".pickle", "rules-" + mine + "b" * 16 + ".pickle"]
    older += ["lint-beginnings-en-" + mine + "c" * 16 + ".json", "lint-beginnings-" + mine + "d" * 16 + ".json"]
    older += ["lint-prefilter-en-" + mine + "f" * 16 + ".pickle"]
    kept = ["rules-de-" + mine + "a" * 16 + ".pickle", "lint-prefilter-de-" + mine + "c" * 16 + ".pickle"]
    kept += ["rules-en-notours.pickle", "notes.txt", "rules-en-" + mine + "e" * 16 + ".pickle.1234.tmp"]
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


def test_another_install_keeps_its_cache_files_until_they_go_unused(tmp_path, monkeypatch):
    """Two installs sharing ~/.cache (a checkout and a pipx copy) must not delete each
    other's rule cache at every run; a removed install's files go after STALE_AFTER_DAYS."""
    import os
    import time

    from letterkit.lint import rules

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "letterkit"
    folder.mkdir()
    other = "0000" if rules._INSTALL != "0000" else "ffff"
    in_use = folder / ("rules-en-" + other + "a" * 16 + ".pickle")
    gone = folder / ("rules-en-" + other + "b" * 16 + ".pickle")
    for path in (in_use, gone):
        path.write_text("x", encoding="utf-8")
    long_ago = time.time() - (rules.STALE_AFTER_DAYS + 1) * 86400
    os.utime(gone, (long_ago, long_ago))

    rules._rule_set.__wrapped__("en")  # type: ignore[attr-defined]

    names = {p.name for p in folder.iterdir()}
    assert in_use.name in names
    assert gone.name not in names
    assert [n for n in names if n.startswith("rules-en-" + rules._INSTALL)]


def test_a_space_inside_a_group_of_a_phrase_pattern_is_refused() -> None:
    """Phrase patterns are split into words at spaces: "(?:überdenken|erneut prüfen)" cut
    in two would need a second word after "überdenken" and never match it alone."""
    import re

    import pytest

    from letterkit.errors import TemplateError
    from letterkit.lint.rules import _compile_rule

    raw = {"id": "x", "kind": "phrase", "severity": "warning", "message": "m"}
    family = {"category": "reopening"}
    with pytest.raises(TemplateError, match=re.escape("de/r.yaml: rule x: pattern") + ".*space inside a group"):
        _compile_rule({**raw, "patterns": ["Entscheidung ...4 (?:überdenken|erneut prüfen)"]}, family, "de", "de/r.yaml")
    with pytest.raises(TemplateError, match="space inside a group"):
        _compile_rule({**raw, "patterns": ["a"], "unless": ["(?:b ...2 )?c"]}, family, "de", "de/r.yaml")
    with pytest.raises(TemplateError, match="space inside a group"):
        _compile_rule({**raw, "patterns": ["a[ -]b"]}, family, "de", "de/r.yaml")
    rule = _compile_rule({**raw, "patterns": [r"Entscheidung ...4 (?:überdenken|erneut\sprüfen) [(]x"]}, family, "de", "de/r.yaml")
    assert rule.patterns[0].compiled.search("die Entscheidung überdenken (x")
    assert rule.patterns[0].compiled.search("die Entscheidung erneut prüfen (x")


def test_a_word_group_with_a_space_written_as_backslash_s_matches_each_alternative() -> None:
    from letterkit.lint import lint
    from letterkit.lint.rules import load_rules

    (rule,) = [r for r in load_rules("de") if r.id == "reopening/bedingung"]
    # (a German pattern's ü is compiled as (?:ü|ue): see rules.typed_without)
    (pattern,) = [p for p in rule.patterns if "erneut" in p.pattern and "berdenken" in p.pattern]
    for said in ("die Entscheidung überdenken", "die Kündigung zu revidieren", "die Entscheidung erneut prüfen"):
        assert pattern.compiled.search(said), said
    text = "Gern würden wir die Entscheidung überdenken, wenn es Ihnen hilft.\n"
    assert [f.rule for f in lint(text, lang="de", select=["reopening/bedingung"])] == ["reopening/bedingung"]
