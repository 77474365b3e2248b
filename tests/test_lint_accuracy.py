"""Lint accuracy on the labelled corpora, and on whole drafts with expected findings.

The sentence corpora (tests/lint_corpus/*.yaml, dev2/ and training/set23*/) are development sets: the
rules were written against them, so the thresholds here guard against regressions.
tests/lint_corpus/holdout2/ is kept for measuring on text the rules never saw; its
figures are printed (pytest -s) but not asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from letterkit.lint import lint
from letterkit.lint.accuracy import score_file

CORPUS = Path(__file__).resolve().parent / "lint_corpus"
DRAFTS = sorted(p for p in (CORPUS / "drafts").iterdir() if p.suffix in (".txt", ".md"))
STRUCTURE_RULES = {
    "missing_end_date": "structure/missing-end-date",
    "missing_thanks": "structure/missing-thanks",
    "ends_negative": "structure/ends-negative",
    "mixed_address": "structure/mixed-address",
    "lowercase_ihnen": "structure/lowercase-ihnen",
    "sharp_s_in_ch": "structure/sharp-s-ch",
    "faithfully_after_name": "structure/closing-mismatch",
    "abbreviated_closing": "structure/abbreviated-closing",
}


@pytest.mark.parametrize(
    "folder", ["", "dev2", *(f"training/set23{x}" for x in "abcfgij"), "training/set24a", "training/set25a"]
)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_precision_and_recall(folder, lang):
    result = score_file(CORPUS / folder / f"{lang}.yaml", lang)
    print(f"\n{folder or 'dev'} {result.summary()}")
    misses = "\n".join(f"  miss: {item['text']}" for item in result.misses)
    alarms = "\n".join(f"  false alarm {rules}: {item['text']}" for item, rules in result.false_alarms)
    assert result.precision >= 0.95, f"{result.summary()}\n{alarms}"
    assert result.recall >= 0.85, f"{result.summary()}\n{misses}"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_holdout_is_reported(lang):
    path = CORPUS / "holdout2" / f"{lang}.yaml"
    if not path.exists():
        pytest.skip("no held-out corpus in this checkout")
    result = score_file(path, lang)
    print(f"\nholdout2 {result.summary()}")
    assert result.true_pos + result.false_neg > 0


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
def test_drafts(draft):
    expected = yaml.safe_load(draft.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    findings = lint(draft, lang=expected["lang"])
    tone_lines = {f.line for f in findings if f.category != "structure"}
    wanted_lines = {item["line"] for item in expected.get("findings") or []}
    missed = wanted_lines - tone_lines
    extra = tone_lines - wanted_lines
    # every line an editor marked is flagged, and nothing else is
    assert not missed, f"not flagged: lines {sorted(missed)}"
    assert not extra, (
        f"flagged but fine: lines {sorted(extra)}: {[f.text for f in findings if f.line in extra]}"
    )
    structure = {f.rule for f in findings if f.category == "structure"}
    wanted = {STRUCTURE_RULES[name] for name in expected.get("structure") or []}
    assert wanted <= structure, f"missing structure findings {wanted - structure}"
    assert structure <= wanted | {"structure/ends-negative"}, f"unexpected {structure - wanted}"
