"""German typed without umlauts or ß ("unverschaemt", "versaeumt", "Massnahmen") is linted
as written with them: each rule's patterns, the word lists and the tone model read both."""

from __future__ import annotations

import re

import pytest

import letterkit
from letterkit.lint.rules import load_rules, typed_without

_PLAIN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("unverschämt", "unversch(?:ä|ae)mt"),
        ("Maßnahme", "Ma(?:ß|ss)nahme"),
        ("Über", "(?:Ü|Ue)ber"),
        ("[aä]nder", "(?:[aä]|ae)nder"),
        ("[^ä]x", "[^ä]x"),  # a negated set says which letter may not come
        ("[a-zäöü]+", "[a-zäöü]+"),  # a run of letters: the ASCII letters are in it
        ("(?<=gemäß\\s)WEG", "(?<=gemäß\\s)WEG"),  # a look-behind keeps its width
        ("(?<!Fr(?:ü|u)h)ä", "(?<!Fr(?:ü|u)h)(?:ä|ae)"),
        ("\\ä", "\\ä"),
    ],
)
def test_a_german_fragment_also_matches_the_spelling_without_umlauts(fragment: str, expected: str) -> None:
    assert typed_without(fragment) == expected
    re.compile(typed_without(fragment))


@pytest.mark.parametrize(
    "sentence",
    [
        "Sie haben es versaeumt, die Rechnungen rechtzeitig zu begleichen.",
        "Das Verhalten Ihrer Mitarbeiter war unverschaemt.",
        "Wir werden rechtliche Massnahmen gegen Sie einleiten.",
        "Ihre staendigen Zahlungsverzuege haben uns sehr belastet.",
    ],
)
def test_a_draft_typed_without_umlauts_is_flagged(sentence: str) -> None:
    assert [f for f in letterkit.lint(sentence, lang="de") if f.severity != "info"], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Wir haben es versaeumt, Ihnen rechtzeitig Bescheid zu geben, und bitten um Entschuldigung.",
        "Die Schlussrechnung ueber 1.190,00 Euro erhalten Sie bis zum 15. Januar.",
        "Fuer die gute Zusammenarbeit danken wir Ihnen herzlich und wuenschen Ihnen alles Gute.",
        "Zoegern Sie nicht, uns bei Fragen anzurufen.",
    ],
)
def test_a_fine_sentence_typed_without_umlauts_stays_fine(sentence: str) -> None:
    assert [f.rule for f in letterkit.lint(sentence, lang="de") if f.severity != "info"] == []


def test_every_german_fail_example_typed_without_umlauts_is_found_as_with_them() -> None:
    """Not a list of chosen words: every rule's own fail examples that hold an umlaut or ß,
    typed without, give the same categories as written (~1,100 sentences)."""
    checked, differ = 0, []
    for rule in load_rules("de"):
        if rule.id == "structure/sharp-s-ch":
            continue  # it finds the ß itself, which typing without umlauts and ß takes away
        for sentence in (rule.examples or {}).get("fail", []):
            plain = sentence.translate(_PLAIN)
            if plain == sentence:
                continue
            checked += 1
            written = {f.category for f in letterkit.lint(sentence, lang="de") if f.severity != "info"}
            typed = {f.category for f in letterkit.lint(plain, lang="de") if f.severity != "info"}
            if written != typed:
                differ.append(f"{rule.id}: {plain} ({sorted(written)} -> {sorted(typed)})")
    assert checked > 500
    assert differ == []
