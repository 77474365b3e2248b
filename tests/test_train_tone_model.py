"""Training the tone model is reproducible: the same sentences give byte-identical model files,
whatever order the training files, rules and letters were read in (the lead retrains after
every merge of new rule examples, and a renamed set must not move the threshold)."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


Row = tuple[str, str, str]


def script(monkeypatch: pytest.MonkeyPatch, sentences: list[Row], examples: list[Row]):
    """scripts/train_tone_model.py, reading the given sentences instead of the corpus."""
    spec = importlib.util.spec_from_file_location(
        "train_tone_model", ROOT / "scripts" / "train_tone_model.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "labelled", lambda lang: list(sentences))
    monkeypatch.setattr(module, "composed", lambda lang: [])
    monkeypatch.setattr(module, "rule_examples", lambda lang: list(examples))
    return module


def corpus() -> tuple[list[Row], list[Row]]:
    """Some 150 sentences to the reader in three classes from seven files, and a few fine
    rule examples."""
    things = ["invoice", "handover", "report", "keys", "contract", "order", "delivery", "files"]
    days = ["Monday", "Tuesday", "the first of May", "next week", "Friday", "the end of March"]
    fine = [f"We will send your {t} on {d} as agreed." for t, d in itertools.product(things, days)]
    blame = [
        f"Your team delayed the {t} until {d} without a word." for t, d in itertools.product(things, days)
    ]
    threat = [
        f"If your {t} is not here by {d}, our lawyers will take over."
        for t, d in itertools.product(things, days[:4])
    ]
    labelled = [(s, "fine") for s in fine] + [(s, "blame") for s in blame] + [(s, "threat") for s in threat]
    labelled += [
        ("Thank you for your patience with the new portal this spring.", "fine")
    ] * 3  # one written twice
    sentences = [(text, label, f"set{n % 7}") for n, (text, label) in enumerate(labelled)]
    examples = [(f"Your {t} arrived safely, thank you.", "fine", "rules/en/blame.yaml") for t in things]
    return sentences, examples


def trained(module, folder: Path) -> tuple[bytes, dict[str, object]]:
    module.OUT = folder
    reference = module.train("en")
    return (folder / "en.tsv").read_bytes(), reference


def test_the_same_sentences_in_another_order_give_the_same_model(tmp_path, monkeypatch) -> None:
    pytest.importorskip("sklearn")
    sentences, examples = corpus()
    first = trained(script(monkeypatch, sentences, examples), tmp_path / "first")
    reordered = trained(
        script(monkeypatch, sentences[::-1], examples[::-1]),  # the files and rules read the other way round
        tmp_path / "reordered",
    )
    assert first == reordered  # the model file byte for byte, and the reference sample
    text = first[0].decode("utf-8")
    assert "\n#threshold\t" in text and "folds of whole files (shuffled, seed " in text
