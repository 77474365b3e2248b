"""The compiled walk of ``skeleton.split`` gives what walking the usage tree gives.

``split`` runs code written for each usage tree (``compiled_split``); ``split_walked``
walks the tree with ``_split``, as ``split`` did before. Over templates that use their
values in every way ``analyse`` follows, and contexts holding every kind of value at
every place (text, empty text, None, truth values, lists, tuples and their subclasses,
dicts and a dict subclass, dataclasses, objects without a needed attribute, values with
no key), both give the same key, value for value and type for type, and the same
strings; or both give None.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment

from letterkit.skeleton import _COMPILED, analyse, compiled_split, split, split_walked

TEMPLATES = [
    "{{ a }}",
    "{{ a.b }} {{ a.c }}",
    "{% if a %}{{ a.b }}{% endif %}",
    "{% if a.b %}x{% endif %}{{ a.c|upper }}",
    "{% for x in a %}{{ x }}{% endfor %}",
    "{% for x in a %}{{ x.b }}{% if x.c %}{{ x.c.d }}{% endif %}{% endfor %}{{ a|length }}",
    "{{ a.b.c.d }}{% for x in a.b.e %}{% for y in x %}{{ y.f }}{% endfor %}{% endfor %}",
    "{{ a['b'] }}{{ a[0] }}{{ a.keys }}",
    "{% set n = a.b %}{{ n }}{{ a.c }}{% if a == 'x' %}{{ z }}{% endif %}",
]


@dataclass(frozen=True)
class Thing:
    b: Any = None
    c: Any = None
    e: Any = None


class Mapping(dict):  # type: ignore[type-arg]
    pass


class Items(list):  # type: ignore[type-arg]
    pass


class Text(str):
    pass


VALUES: list[Any] = [
    "Muster",
    "",
    Text("Muster"),
    None,
    True,
    False,
    0,
    Decimal("1.10"),
    ["x", "", None],
    ("x", {"b": "y", "c": {"d": "z"}}),
    Items(["x"]),
    {"b": "y", "c": "", "d": None, "e": [["p", {"f": "q"}]]},
    {"b": {"c": {"d": "deep"}, "e": [[{"f": "g"}]]}},
    {"b": "", "c": None, "e": [[], [{"f": ""}, None]]},
    {"b": ["x", ""], "c": {"d": ""}},
    Mapping(b="y", c={"d": "z"}),
    Thing(b="y", c=Thing(b="z"), e=[[Thing()]]),
    Thing(b={"c": {"d": "w"}, "e": []}),
    Thing(b="", c=Thing(b=""), e=()),
    object(),
    {"b": {1, 2}},
    [{1}],
]


def keys_alike(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 == True == 1.0, but they differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(keys_alike(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def safe(values: list[str]) -> bool:
    return False


@pytest.mark.parametrize("source", TEMPLATES)
def test_the_compiled_walk_gives_what_walking_the_tree_gives(source: str) -> None:
    usage = analyse(Environment().parse(source))
    assert usage is not None
    compiled_split(usage)  # compiles (no fallback to the walk hides a fault in the code)
    checked = 0
    for a, z in itertools.product(VALUES, VALUES[:6]):
        for context in ({"a": a, "z": z}, {"z": z}, {"a": a}):
            expected = split_walked(usage, context, safe)
            found = split(usage, context, safe)
            assert keys_alike(found, expected), (source, context)
            checked += 1
    assert checked == len(VALUES) * 6 * 3
    assert _COMPILED[id(usage)][0] is usage


def test_unsafe_strings_send_both_the_same_way() -> None:
    usage = analyse(Environment().parse("{{ a.b }}{{ a.c }}"))
    assert usage is not None
    context = {"a": {"b": "x", "c": "bad"}}
    refuse = lambda values: "bad" in values  # noqa: E731
    assert split(usage, context, refuse) is None and split_walked(usage, context, refuse) is None
    assert split(usage, {"a": {"b": "x"}}, refuse) == split_walked(usage, {"a": {"b": "x"}}, refuse)


def test_a_later_run_takes_the_compiled_walk_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiling a walk is kept (``part_cache.SPLITS``); a later run loads the code and gives
    the same keys without compiling it again."""
    import builtins

    from letterkit import part_cache, skeleton

    path = tmp_path / "splits.pickle"
    for attribute, value in (("path", lambda: path), ("table", None), ("added", False)):
        monkeypatch.setattr(part_cache.SPLITS, attribute, value)
    usage = analyse(
        Environment().parse("{% for x in a %}{{ x.b }}{% if x.c %}{{ x.c.d }}{% endif %}{% endfor %}")
    )
    assert usage is not None
    context = {"a": [{"b": "x", "c": {"d": ""}}, Thing(b="y")]}
    first = compiled_split(usage)
    part_cache.SPLITS.save()
    assert path.exists()

    monkeypatch.setattr(part_cache.SPLITS, "table", None)
    compiled: list[str] = []
    real_compile = builtins.compile

    def counted(source: Any, filename: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(filename)
        return real_compile(source, filename, *args, **kwargs)

    monkeypatch.setattr(skeleton, "compile", counted, raising=False)
    again = compiled_split(usage)
    assert compiled == []
    key: list[object] = []
    values: list[str] = []
    again(context, key, values)
    expected_key: list[object] = []
    expected_values: list[str] = []
    first(context, expected_key, expected_values)
    assert keys_alike(key, expected_key) and values == expected_values == ["x", "y"]


@pytest.mark.parametrize(
    "values",
    [
        [],
        [""],
        ["Muster GmbH", "31. Dezember 2026"],
        ["Smith & Sons", "<b>", "O'Brien", 'the "plan"', "a > b"],
        ["x\x1fy", "&"],  # a value holding the separator: escaped one by one
        ["\x1f", ""],
        ["&amp;", "plain"],
    ],
)
def test_an_emails_strings_escaped_at_once_are_each_escaped(values: list[str]) -> None:
    from markupsafe import escape

    from letterkit.render.email import escaped

    found = escaped(list(values))
    assert found == [str(escape(value)) for value in values]
    assert all(type(text) is str for text in found)


def test_a_text_skeleton_is_filled_piece_string_piece_and_a_broken_one_refused() -> None:
    """``fill_text`` puts each place's string between the pieces, as the rendering had it
    (places in any order, a string used twice or not at all); a cut whose pieces and places
    do not match is refused, never filled short."""
    from letterkit.skeleton import cut_text, fill_text

    printed = ["Anna", "W-12", "", "31. Dezember 2026"]
    for numbers in ([], [0], [1, 0], [3, 3, 1], [2, 0, 1, 3, 0]):
        tokened = "Sehr geehrte " + " und ".join(f"\ue002{n}\ue003" for n in numbers) + "."
        cut = cut_text(tokened, len(printed))
        assert cut is not None
        assert fill_text(cut, printed) == "Sehr geehrte " + " und ".join(printed[n] for n in numbers) + "."
    with pytest.raises(ValueError, match="pieces"):
        fill_text((["a", "b"], [0, 1]), printed)
