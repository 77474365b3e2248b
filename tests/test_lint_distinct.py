"""A sentence that comes again is matched once by the word-pattern rules and its findings
given to each copy (engine.Matcher._distinct): the findings must be exactly those of
matching every sentence, also where copies differ in what the rules read around them
(inside a quotation, outside the body, in the address block)."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit.lint import engine, lint_draft, parallel
from letterkit.lint.text import Draft

CORPUS = Path(__file__).resolve().parent / "lint_corpus"


@pytest.fixture(autouse=True)
def one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)


def distinct_matchers_made(monkeypatch: pytest.MonkeyPatch) -> list[engine.Matcher]:
    """The matchers over distinct sentences that the lint makes from here on."""
    made: list[engine.Matcher] = []
    real = engine.Matcher._distinct_or_self

    def noting(self: engine.Matcher) -> engine.Matcher:
        matcher = real(self)
        if matcher is not self:
            made.append(matcher)
        return matcher

    monkeypatch.setattr(engine.Matcher, "_distinct_or_self", noting)
    return made


def each_sentence_matched(text: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    with monkeypatch.context() as patch:
        patch.setattr(engine, "DISTINCT_SHARE", 0.0)
        return lint_draft(Draft(text), lang)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_drafts_three_times_give_what_matching_every_sentence_gives(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts = sorted((CORPUS / "drafts").glob(f"{lang}*.txt")) + sorted((CORPUS / "drafts").glob(f"{lang}*.md"))
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in drafts) * 3
    expected = each_sentence_matched(text, lang, monkeypatch)
    made = distinct_matchers_made(monkeypatch)
    found = lint_draft(Draft(text), lang)
    assert len(made) == 1 and len(made[0].index.sentences) * 2 < len(made[0].index.sentences) * 3
    assert len(expected) > 100 and found == expected


def test_copies_in_other_places_keep_their_own_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "DISTINCT_MIN", 1)
    monkeypatch.setattr(engine, "DISTINCT_SHARE", 1.0)  # a copy or two: matched once all the same
    blame = "You failed to pay the invoice."
    text = "\n".join(
        [
            "Acme Ltd",
            "Legal action pending",  # a line of the address block: not read
            "",
            "Dear Ms Patel,",
            "",
            f"{blame} We have ended the contract as of 31 December 2026.",
            f'Your note said: "We checked the file. {blame} We close it now."',  # someone's words
            f"{blame} Thank you for the years of working together.",
            "Legal action pending",  # a line of the body: read
            "",
            "Kind regards",
            "",
            "Jo Baker",
        ]
    )
    expected = each_sentence_matched(text, "en", monkeypatch)
    made = distinct_matchers_made(monkeypatch)
    found = lint_draft(Draft(text), "en")
    assert made and found == expected
    assert sorted(f.line for f in found if f.category == "blame") == [6, 8]  # not in the quotation
    assert [f.line for f in found if f.category == "threat"] == [9]  # not in the address block


def test_few_copies_match_every_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(f"We thank you for order {n}." for n in range(60))
    made = distinct_matchers_made(monkeypatch)
    lint_draft(Draft(text), "en")
    assert made == []
