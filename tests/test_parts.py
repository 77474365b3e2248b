"""Rendering one part: the remembered result is only reused for equal values of the names
the template reads, told apart by type."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from letterkit import parts
from letterkit.errors import TemplateError


@dataclass(frozen=True)
class Person:
    name: str


def test_same_values_are_rendered_once_and_other_names_do_not_matter():
    source = "Danke, {{ who.name }}, bis {{ until }}."
    parts._TALLY.pop(source, None)
    before = parts.remembered()
    first = parts.render_text(source, {"who": Person("Anna"), "until": "31. Mai", "other": 1})
    again = parts.render_text(source, {"who": Person("Anna"), "until": "31. Mai", "other": 2})
    assert first == again == "Danke, Anna, bis 31. Mai."
    assert parts.remembered() == before + 1 and len(parts._RENDERED[source]) == 1
    assert parts.render_text(source, {"who": Person("Ben"), "until": "31. Mai"}) == "Danke, Ben, bis 31. Mai."


@pytest.mark.parametrize(
    "values",
    [
        [1, 1.0, True],
        [Decimal("1.0"), Decimal("1.00"), Decimal("1")],
        [{"a": 1}, {"a": 1.0}, {"a": True}],
        [[1, 2], (1, 2), [1.0, 2]],
    ],
)
def test_equal_values_that_print_differently_are_kept_apart(values):
    source = "Wert: {{ x }}"
    printed = [parts.render_text(source, {"x": value}) for value in values]
    assert printed == [f"Wert: {value}" for value in values]


def test_unhashable_values_and_missing_names_still_render_or_fail_as_before():
    assert parts.render_text("{{ x['entries'] | length }}", {"x": {"entries": [[1], {"a": {1, 2}}]}}) == "2"
    with pytest.raises(TemplateError, match="undefined"):
        parts.render_text("Hallo {{ nobody }}", {})


@dataclass(frozen=True)
class Invoice:
    amount: Decimal


def test_dataclass_fields_are_compared_as_they_print_and_other_objects_are_not_remembered():
    source = "Betrag {{ invoice.amount }}"
    assert parts.render_text(source, {"invoice": Invoice(Decimal("1.0"))}) == "Betrag 1.0"
    assert parts.render_text(source, {"invoice": Invoice(Decimal("1.00"))}) == "Betrag 1.00"

    class Mutable:
        name = "A"

    thing = Mutable()
    assert parts.render_text("{{ t.name }}", {"t": thing}) == "A"
    thing.name = "B"
    assert parts.render_text("{{ t.name }}", {"t": thing}) == "B"


def test_a_part_that_never_repeats_pauses_its_memo_and_is_tried_again_later():
    source = "Vertrag {{ reference }} endet."
    parts._TALLY.pop(source, None)
    before = parts.remembered()
    for number in range(parts._TRIAL):
        assert parts.render_text(source, {"reference": f"W-{number}"}) == f"Vertrag W-{number} endet."
    assert len(parts._RENDERED[source]) == parts._TRIAL and parts._TALLY[source][:2] == [parts._TRIAL, 0]
    assert parts.remembered() == before + parts._TRIAL
    for number in range(parts._TRIAL, parts._TRIAL + 50):  # paused: rendered directly, and right
        assert parts.render_text(source, {"reference": f"W-{number}"}) == f"Vertrag W-{number} endet."
    # what the failed trial remembered is dropped: a merge of 100,000 rows does not fill the
    # memo with the renderings of parts that differ in every row
    assert source not in parts._RENDERED and parts.remembered() == before
    for _ in range(parts._SKIPS - 50):
        parts.render_text(source, {"reference": "W-1"})
    assert parts._TALLY[source] == [0, 0, 0]  # another trial: now the value repeats, and it pays
    for _ in range(10):
        assert parts.render_text(source, {"reference": "W-1"}) == "Vertrag W-1 endet."
    assert parts._TALLY[source][:2] == [10, 9]  # rendered anew once (the paused memo was dropped)


@pytest.mark.parametrize(
    "source,context",
    [
        ("{% for i in range(3) %}{{ i }}{% endfor %} {{ x | upper }}", {"x": "ab"}),
        ("{{ dict(a=1)['a'] }} {% if y %}{{ y }}{% else %}none{% endif %}", {"y": ""}),
        (
            "{% set n = namespace(c=0) %}{% for z in zs %}{% set n.c = n.c + z %}{% endfor %}{{ n.c }}",
            {"zs": [1, 2]},
        ),
        ("{{ who.name }} – {{ '%.2f' % amount }}", {"who": Person("Ö'Brien & Co"), "amount": 2.5}),
    ],
)
def test_the_quick_fill_renders_as_jinja_does(source, context):
    template = parts._compile(source)
    assert parts._filled(template, context) == template.render(context)


def test_the_quick_fill_keeps_the_sandbox():
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        parts._filled(parts._compile("{{ x.__class__.__mro__ }}"), {"x": "a"})
