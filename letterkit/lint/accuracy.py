"""Precision and recall of the lint on a labelled corpus of sentences.

A corpus is a YAML list of ``{text, flag, category?}``. Structure checks are no part of
the count (they judge whole letters). A sentence counts as flagged when a tone finding
of severity warning or error reports on it: that is a call to change the sentence. An
info note ("leider", "unfortunately", "Sie müssen …") is not: on a sentence labelled fine
it is no false alarm, and it catches a sentence labelled with the note's own category
(the corpus labels "Leider müssen wir …" negative_framing, which the lint reports as an
info note by design), not one labelled otherwise ("Respekt, dass Sie jede Frist reißen"
is sarcasm, and a note about "müssen" does not catch it).

``with_info`` keeps the figures counted the older way, every finding (info notes too) a
flag, so that the two can be compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lint
from .findings import Finding


@dataclass
class Tally:
    """True and false positives and negatives, and the precision and recall they give."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    true_neg: int = 0

    def add(self, gold: bool, flagged: bool) -> None:
        if gold and flagged:
            self.true_pos += 1
        elif gold:
            self.false_neg += 1
        elif flagged:
            self.false_pos += 1
        else:
            self.true_neg += 1

    @property
    def precision(self) -> float:
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        positives = self.true_pos + self.false_neg
        return self.true_pos / positives if positives else 1.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.true_pos}, fp {self.false_pos}, fn {self.false_neg}, tn {self.true_neg})"
        )


@dataclass
class Score(Tally):
    """The figures of one language (counted as described above), ``with_info`` counting
    info notes as flags; the misses (with what fired on them, info notes or nothing) and
    the false alarms (with what fired)."""

    lang: str = ""
    with_info: Tally = field(default_factory=Tally)
    misses: list[dict[str, Any]] = field(default_factory=list)
    missed_with: list[list[str]] = field(default_factory=list)  # what fired on each miss
    false_alarms: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)

    def counts(self) -> str:
        """Precision, recall and the four counts, without the language and the older figures."""
        return Tally.summary(self)

    def summary(self) -> str:
        return (
            f"{self.lang}: {self.counts()}; counting info notes as flags too: "
            f"precision {self.with_info.precision:.3f}, recall {self.with_info.recall:.3f}"
        )

    def details(self) -> list[str]:
        """One line per miss and per false alarm: the expected category, what fired, the sentence."""
        lines = [
            f"  MISS  [{item.get('category', '?')}] fired: {', '.join(rules) or 'nothing'} | {item['text']}"
            for item, rules in zip(self.misses, self.missed_with, strict=True)
        ]
        lines += [
            f"  FALSE [fine] fired: {', '.join(rules)} | {item['text']}" for item, rules in self.false_alarms
        ]
        return lines


def calls_for_change(findings: Iterable[Finding], category: str | None) -> bool:
    """Does a sentence count as flagged: a warning or an error, or an info note in the
    sentence's labelled ``category``?"""
    return any(f.severity != "info" or (category is not None and f.category == category) for f in findings)


def fired(findings: Iterable[Finding]) -> list[str]:
    """The findings as a miss or a false alarm lists them: 'rule (severity)'."""
    return [f"{f.rule} ({f.severity})" for f in findings]


def add_item(result: Score, item: dict[str, Any], findings: list[Finding]) -> None:
    """Count one labelled sentence with the tone findings the lint gave it."""
    gold = bool(item["flag"])
    category = str(item["category"]) if gold and item.get("category") else None
    flagged = calls_for_change(findings, category)
    result.add(gold, flagged)
    result.with_info.add(gold, bool(findings))
    if gold and not flagged:
        result.misses.append(item)
        result.missed_with.append(fired(findings))
    elif flagged and not gold:
        result.false_alarms.append((item, fired(f for f in findings if f.severity != "info")))


def score(items: list[dict[str, Any]], lang: str, **options: Any) -> Score:
    """Lint every sentence of ``items`` and compare with its label (``options`` go to
    ``lint``, e.g. ``ignore=["judged"]`` for the rules alone)."""
    result = Score(lang=lang)
    for item in items:
        findings = [
            f for f in lint(str(item["text"]) + "\n", lang=lang, **options) if f.category != "structure"
        ]
        add_item(result, item, findings)
    return result


def score_file(path: Path, lang: str, **options: Any) -> Score:
    import yaml

    return score(yaml.safe_load(path.read_text(encoding="utf-8")), lang, **options)
