"""Precision and recall of the lint on a labelled corpus of sentences.

A corpus is a YAML list of ``{text, flag, category?}``; a sentence counts as flagged
when any tone rule (not a structure check) reports on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lint


@dataclass
class Score:
    lang: str
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    true_neg: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)

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
            f"{self.lang}: precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.true_pos}, fp {self.false_pos}, fn {self.false_neg}, tn {self.true_neg})"
        )


def score(items: list[dict[str, Any]], lang: str) -> Score:
    """Lint every sentence of ``items`` and compare with its label."""
    result = Score(lang)
    for item in items:
        findings = [f for f in lint(str(item["text"]), lang=lang) if f.category != "structure"]
        flagged = bool(findings)
        if item["flag"] and flagged:
            result.true_pos += 1
        elif item["flag"]:
            result.false_neg += 1
            result.misses.append(item)
        elif flagged:
            result.false_pos += 1
            result.false_alarms.append((item, [f.rule for f in findings]))
        else:
            result.true_neg += 1
    return result


def score_file(path: Path, lang: str) -> Score:
    import yaml

    return score(yaml.safe_load(path.read_text(encoding="utf-8")), lang)
