"""An English list of accounts or tasks reads alike (tester 34: "Hosting and domain
registrar", one item lowered as a description and the other not)."""

from __future__ import annotations

import pytest

from letterkit import phrases
from letterkit.parts import load

DATA = load("en", "locale")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["Hosting", "Domain registrar"], ["hosting", "domain registrar"]),
        (["Hosting", "Domain"], ["Hosting", "Domain"]),  # nothing lowered: as typed
        (["Shopify", "Domain registrar"], ["Shopify", "domain registrar"]),  # a name stays
        (["Hosting", "Google Analytics"], ["Hosting", "Google Analytics"]),
    ],
)
def test_a_list_is_lowered_alike(items: list[str], expected: list[str]) -> None:
    assert phrases.running_list(items, DATA, []) == expected


def test_the_letters_own_name_keeps_its_capital() -> None:
    assert phrases.running_list(["Hosting", "Domain registrar"], DATA, ["Hosting Partners Ltd"]) == [
        "Hosting",
        "domain registrar",
    ]
