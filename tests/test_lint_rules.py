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
    for rule in RULES:
        if rule.kind == "structure":
            continue
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
