"""A date in bold is our own when the clause it stands in is ours ("We will hand over the
files by **15 January**"): no raised voice, even where another clause of the sentence
gives the reader a duty (that clause has findings of its own). A deadline for the reader
in bold stays a finding (acceptance round 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit.lint import lint


def emphasis(tmp_path: Path, text: str, lang: str) -> list[str]:
    draft = tmp_path / "draft.md"
    draft.write_text(text + "\n", encoding="utf-8")
    return [f.text for f in lint(draft, lang=lang) if f.rule in ("shouting/emphasis", "shouting/hervorhebung")]


@pytest.mark.parametrize(
    "text,lang",
    [
        ("We will hand over all design files by **15 January 2027**, and you MUST confirm receipt.", "en"),
        ("We will send the last backup by **31 March 2027**; please let us know if you need it earlier.", "en"),
        ("Wir übergeben Ihnen alle Dateien bis **15. Januar 2027**, und Sie MÜSSEN den Empfang bestätigen.", "de"),
        ("Wir schicken Ihnen die Unterlagen bis **31. März 2027**.", "de"),
    ],
)
def test_our_own_date_in_bold_is_no_raised_voice(tmp_path: Path, text: str, lang: str) -> None:
    assert emphasis(tmp_path, text, lang) == []


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Please pay the invoice by **15 January 2027**.", "en"),
        ("We must receive your payment by **15 January 2027**.", "en"),
        ("Bitte zahlen Sie die Rechnung bis **15. Januar 2027**.", "de"),
        ("Wir müssen Ihre Zahlung bis **15. Januar 2027** erhalten.", "de"),
    ],
)
def test_the_readers_deadline_in_bold_stays_a_finding(tmp_path: Path, text: str, lang: str) -> None:
    assert emphasis(tmp_path, text, lang) != []
