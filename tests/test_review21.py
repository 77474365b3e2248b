"""Defects the code review of round 21 reproduced: couples in ``title``, US towns named
after a state, real text refused as binary, broken UTF-16, a signer's ß after a Swiss
closing, 0.500 read as a thousands group, the tone model's memo."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

import letterkit
from letterkit.errors import InputError
from letterkit.lint import lint
from letterkit.lint.readers import decode_text
from letterkit.sources import json_number

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def sample(name: str) -> dict:
    return copy.deepcopy(yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8")))


@pytest.mark.parametrize("title", ["Mr & Mrs", "Mr and Mrs", "Herr und Frau", "Mrs + Mr"])
def test_a_couple_in_title_is_an_error_not_the_man_alone(title: str) -> None:
    data = sample("en-GB-bookkeeping")
    data["recipient"]["title"] = title
    data["recipient"].pop("gender", None)
    with pytest.raises(InputError) as info:
        letterkit.compose(data)
    (problem,) = info.value.problems
    assert problem.path == "recipient.title" and "addresses two people" in problem.message


@pytest.mark.parametrize(
    ("city", "state", "line"),
    [
        ("Fort Washington", "PA", "Fort Washington, PA"),
        ("West New York", "NJ", "West New York, NJ"),
        ("Austin, Texas", None, "Austin, TX"),
        ("Austin TX", None, "Austin, TX"),
    ],
)
def test_a_town_that_ends_in_a_states_name_keeps_it(city: str, state: str | None, line: str) -> None:
    data = sample("en-US-web-design")
    data["recipient"]["city"] = city
    data["recipient"].pop("state", None)
    if state:
        data["recipient"]["state"] = state
    letter = letterkit.compose(data)
    assert letter.recipient_address[-1].startswith(line + " ")


def test_a_town_named_after_a_state_without_a_state_asks_for_one() -> None:
    data = sample("en-US-web-design")
    data["recipient"]["city"] = "Fort Washington"
    data["recipient"].pop("state", None)
    with pytest.raises(InputError, match="needs the recipient's state"):
        letterkit.compose(data)


@pytest.mark.parametrize(
    "text",
    [
        "We\u0092re writing to let you know that we\u0092ll end the agreement. " * 6,
        "\x1b[1mThank you\x1b[0m for working with us. " * 6,
    ],
)
def test_text_with_c1_quotes_or_terminal_colours_is_read(text: str) -> None:
    assert decode_text(text.encode("utf-8"), "draft.txt").startswith(text[:10])


def test_utf16_without_a_mark_or_broken_is_read_not_a_traceback() -> None:
    text = "Sehr geehrte Frau Kuhn,\n\nwir beenden den Vertrag zum 31. März 2027.\n"
    for data in (
        text.encode("utf-16") + b"A",  # a cut last byte
        text.encode("utf-16")[:-2] + b"\x00\xd8",  # a lone surrogate
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
    ):
        assert decode_text(data, "draft.txt").startswith("Sehr geehrte Frau Kuhn")


LETTER = (
    "Grüezi Herr Frei\n\nHiermit kündigen wir den Vertrag zum 31. März 2027. Vielen Dank und "
    "alles Gute.\n\n{closing}, Reto Strauß\n"
)


def test_a_signers_sharp_s_after_a_swiss_closing_is_a_name() -> None:
    rules = [f.rule for f in lint(LETTER.format(closing="Freundliche Grüsse"), "de", locale="de-CH")]
    assert rules == ["structure/closing-comma"]
    found = [f.text for f in lint(LETTER.format(closing="Freundliche Grüße"), "de", locale="de-CH") if f.rule == "structure/sharp-s-ch"]
    assert found == ["Grüße"]


def test_only_a_thousands_group_is_kept_as_typed() -> None:
    assert [json_number(t) for t in ("0.500", "+1.190", "1.190", "-2.500", "1234.500")] == [0.5, 1.19, "1.190", "-2.500", 1234.5]


def test_the_tone_models_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from letterkit.lint import model as tone

    found = tone.tone_model("en")
    assert found is not None
    monkeypatch.setattr(tone, "_KNOWN_LIMIT", 50)
    found._known.clear()
    for number in range(400):
        found.judge(f"word{number} another{number} thing{number}")
    assert len(found._known) <= 50
