"""In a German draft written in du, a finding's suggestion quotes its example sentence in
du (rules/de/_du.yaml); in a Sie draft it stays formal (tester 33: "Passt Ihnen der … für
die Übergabe?" suggested in a du letter)."""

from __future__ import annotations

import re

import pytest

from letterkit.lint import lint
from letterkit.lint.du_suggestions import du_suggestions
from letterkit.lint.rules import load_rules

QUOTED = re.compile(r"„[^“]*“")
FORMAL = re.compile(r"\b(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")
RULES = {rule.id: rule for rule in load_rules("de")}


def formal_examples(text: str) -> list[str]:
    return [quote for quote in QUOTED.findall(text) if FORMAL.search(quote[1:])]


def test_every_formal_example_has_its_du_form() -> None:
    missing = [rule.id for rule in RULES.values() if rule.suggest and formal_examples(rule.suggest)]
    assert sorted(set(missing) - set(du_suggestions())) == []


@pytest.mark.parametrize("rule_id", sorted(du_suggestions()))
def test_a_du_form_changes_only_the_example_and_says_du(rule_id: str) -> None:
    assert rule_id in RULES, f"_du.yaml names no rule {rule_id}"
    original, du = RULES[rule_id].suggest, du_suggestions()[rule_id]
    assert QUOTED.sub("„“", du) == QUOTED.sub("„“", original)  # the instruction as it was
    assert not formal_examples(du)
    assert du != original  # the example changed ("ruf mich gern an" has no pronoun to look for)


DU_DRAFT = (
    "Hallo Jonas,\n\nich beende unsere Zusammenarbeit zum 31. März 2027. Danke trotzdem für deine Arbeit.\n\n"
    "Viele Grüße\nSabine\n"
)


def test_a_du_draft_gets_du_suggestions_and_a_sie_draft_formal_ones() -> None:
    du = [f for f in lint(DU_DRAFT, lang="de") if f.rule in du_suggestions()]
    assert du, [f.rule for f in lint(DU_DRAFT, lang="de")]
    assert all(not formal_examples(f.suggestion) for f in du)
    formal_draft = DU_DRAFT.replace("Hallo Jonas,", "Sehr geehrter Herr Berg,").replace("deine", "Ihre")
    formal = [f for f in lint(formal_draft, lang="de") if f.rule in du_suggestions()]
    assert formal and all(f.suggestion == RULES[f.rule].suggest for f in formal)


def test_the_du_forms_are_read_from_the_cache_without_the_yaml_reader(tmp_path, monkeypatch) -> None:
    import builtins

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    du_suggestions.cache_clear()
    first = du_suggestions()
    du_suggestions.cache_clear()
    real_import = builtins.__import__

    def no_yaml(name: str, *args: object, **kwargs: object) -> object:
        if name == "yaml":
            raise AssertionError("the YAML reader was imported")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_yaml)
    try:
        assert du_suggestions() == first
    finally:
        du_suggestions.cache_clear()
