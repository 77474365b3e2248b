"""English model_retired beside technology says neither 'requirements' nor 'needs' twice (gen23)."""

from __future__ import annotations

import letterkit

BASE = {
    "locale": "en-GB",
    "end_date": "2026-12-31",
    "sender": {"company": "Brightline IT Ltd", "name": "Sam Carter", "city": "Leeds"},
    "recipient": {"company": "Acme Ltd", "first_name": "Jo", "last_name": "Reed", "gender": "female"},
    "contract": {"name": "IT support agreement"},
}


def body(reasons: list[str]) -> str:
    return " ".join(letterkit.compose({**BASE, "reasons": reasons}).body.split()).lower()


def test_model_retired_beside_technology_repeats_no_word() -> None:
    for reasons in (["model_retired", "technology"], ["technology", "model_retired"], ["model_retired", "technology", "fit"]):
        text = body(reasons)
        assert text.count("requirements") <= 1, text
        assert text.count("needs") <= 1, text
        assert "the new model would not work well for you" in text


def test_model_retired_alone_keeps_its_wording() -> None:
    assert "the new model would not fit your requirements" in body(["model_retired"])
