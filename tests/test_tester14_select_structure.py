"""Choosing rules chooses what is reported, not what the letter is: `ends-negative` reads
the tone findings of the last paragraph, and selecting it alone (or ignoring the tone
rule that found them) must not make a letter that ends on an accusation end well (tester14)."""

from __future__ import annotations

from letterkit import lint

LETTER = (
    "Dear Mr Smith,\n\nWe are ending our contract with you on 31 December 2026.\n\n"
    "The final invoice will follow in January.\n\nYou never answer our calls.\n\nKind regards\nEmma Clarke\n"
)


def _rules(**choice: object) -> set[str]:
    return {f.rule for f in lint(LETTER, lang="en", **choice)}


def test_selection_does_not_change_what_ends_negative_sees():
    assert "structure/ends-negative" in _rules()  # the letter as it is
    assert _rules(select=["structure/ends-negative"]) == {"structure/ends-negative"}
    assert "structure/ends-negative" in _rules(select=["structure"])
    chosen = _rules(ignore=["blame", "absolute", "judged"])
    assert "structure/ends-negative" in chosen and not chosen & {"blame/did-not-deliver", "absolute/never"}
