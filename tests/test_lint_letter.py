"""The lint of a composed letter reads the recipient's data masked: data never trips a tone
rule, the writer's own words always do, and letters that differ only in data share work."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

import letterkit
from letterkit.errors import InputError
from letterkit.lint import letter as letter_lint

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "de-DE-wartungsvertrag.yaml"
EN_SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "en-GB-bookkeeping.yaml"


@pytest.fixture
def data() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def test_mask_replaces_data_and_numbers_and_maps_back():
    text = "Sehr geehrte Frau Muster5, Ihr Vertrag W-2026/17 endet am 31. Dezember 2026."
    masked = letter_lint.mask(text, ["Muster5", "W-2026/17"])
    assert masked.text == "Sehr geehrte Frau Xx0, Ihr Vertrag Xx-0/0 endet am 00. Dezember 0000."
    for word in ("Frau", "Vertrag", "endet", "Dezember", "."):
        at = masked.text.index(word)
        assert text[masked.real(at) : masked.real(at + len(word), end=True)] == word
    at = masked.text.index("Xx0")
    assert text[masked.real(at) : masked.real(at + 3, end=True)] == "Muster5"
    assert text[masked.real(at + 1) : masked.real(at + 2, end=True)] == "Muster5"  # inside: the whole value


def test_mask_takes_whole_words_only_and_keeps_abbreviations():
    assert letter_lint.mask("Zum Ende schreibt Frau Ende.", ["Ende"]).text == "Zum Xx schreibt Frau Xx."
    assert letter_lint.mask("Die Enderle GmbH", ["Ende"]).text == "Die Enderle GmbH"
    masked = letter_lint.mask("ACME Ltd, Hauptstr. 5", ["ACME Ltd", "Hauptstr. 5"])
    assert masked.text == "XX Xx, Hauptstr. 0"  # a name in capitals is the client's spelling
    assert letter_lint.mask("Nichts zu tun.", ["Anna"]) == ("Nichts zu tun.", [])


def test_a_client_name_that_is_a_loaded_word_gives_no_finding():
    data = yaml.safe_load(EN_SAMPLE.read_text(encoding="utf-8"))
    data["recipient"].update(first_name="Never", last_name="Lawyer", gender="unknown")
    letter = letterkit.compose(data)
    assert "Never Lawyer" in letter.salutation
    assert letter.findings == ()


def test_a_client_name_in_capitals_is_no_shouting():
    data = yaml.safe_load(EN_SAMPLE.read_text(encoding="utf-8"))
    data["recipient"].update(last_name="CON", company="ACME WIDGETS LTD")
    letter = letterkit.compose(data)
    assert "CON" in letter.salutation
    assert letter.findings == ()


def test_blame_in_the_reason_note_is_found_even_around_the_clients_name(data):
    data["recipient"]["last_name"] = "Ständig"
    data["reason_note"] = "Frau Ständig, Sie haben 3 Rechnungen versäumt."
    with pytest.raises(InputError) as caught:
        letterkit.compose(data)
    assert "reason_note" in str(caught.value) and "versäumt" in str(caught.value)


def test_findings_show_the_real_text_not_the_mask(data):
    from letterkit.letter import Block
    from letterkit.lint.letter import lint_letter

    letter = letterkit.compose(data)
    name = data["recipient"]["last_name"]
    blame = Block("reasons", f"Sie haben 17 Fristen versäumt, Frau {name}.", ("reasons",))
    found = lint_letter(replace(letter, blocks=(*letter.blocks, blame)), [name])
    found = [f for f in found if f.category != "structure"]
    assert found, "the blame sentence must be found"
    assert all(f.sentence == f"Sie haben 17 Fristen versäumt, Frau {name}." for f in found)
    assert all(f.text in blame.text for f in found)


def test_letters_that_differ_only_in_data_share_the_cache(data):
    def variant(number: int) -> dict:
        changed = copy.deepcopy(data)
        changed["recipient"]["last_name"] = "Anders" + "n" * number
        changed["contract"]["reference"] = f"R-{number * 37}"
        changed["final_invoice"]["amount"] = f"{100 + number * 13},{number:02d}"  # as many digits
        return changed

    letter_lint._PARAGRAPHS.clear()
    letter_lint._LETTERS.clear()
    letterkit.compose(variant(0))
    paragraphs, letters = len(letter_lint._PARAGRAPHS), len(letter_lint._LETTERS)
    for number in range(1, 20):
        assert letterkit.compose(variant(number)).findings == ()
    assert (
        (len(letter_lint._PARAGRAPHS), len(letter_lint._LETTERS)) == (paragraphs, letters) == (paragraphs, 1)
    )


def test_masking_the_whole_letter_at_once_equals_masking_each_paragraph() -> None:
    """lint_letter masks a letter in one pass (the text alone, digits made 0 in one go); a
    value or number never crosses paragraphs, and the text is the one ``_mask`` maps back."""
    import random

    from letterkit.lint.letter import _mask, _mask_order, masked_paragraphs

    rng = random.Random(9)
    words = ["Anna", "Berger", "Anna Berger", "W-12", "12", "3", "Nr.", "Weg 7", "ACME", "Ärger", "x1", "1x"]
    words += [
        "3.",
        "1. OG",
        "Str. 5.",
        "٣٤",
        "Nr. 12.",
    ]  # digits in a word kept for its full stop; other digits
    for _ in range(3000):
        texts = [
            " ".join(rng.choice([*words, "und", "wir", ",", ".", "7"]) for _ in range(rng.randint(0, 8)))
            for _ in range(rng.randint(1, 5))
        ]
        values = _mask_order(rng.sample(words, rng.randint(0, 5)))
        assert masked_paragraphs(texts, values) == [_mask(text, values).text for text in texts], (
            texts,
            values,
        )
