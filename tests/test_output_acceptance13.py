"""Acceptance round 13: the output formats carry the same letter.

The Markdown of a letter has the sender block and the reference lines the text has
(it began with the recipient's address and lost the contract number, date and contact).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import letterkit

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def _md_plain(line: str) -> str:
    """A Markdown line as it reads: no hard-break spaces, no escapes."""
    return re.sub(r"\\(.)", r"\1", line.rstrip(" "))


def _head(text: str, subject: str) -> list[str]:
    return text[: text.index(subject)].splitlines()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_markdown_has_the_head_of_the_text(sample: Path) -> None:
    """Everything above the subject in the .txt — sender, address, reference lines, date —
    is in the .md, in the same order and blocks."""
    letter = letterkit.compose(sample)
    text = letterkit.render(letter, "txt").decode("utf-8")
    markdown = letterkit.render(letter, "md").decode("utf-8")
    md_head = [_md_plain(line) for line in _head(markdown, f"**{letter.subject}")]
    txt_head = _head(text, letter.subject)
    if letter.channel == "email":  # the text of an email starts with its subject
        assert txt_head == []
        assert md_head == [letter.date_line, ""]
        return
    assert md_head == txt_head
    for ref in letter.references:
        assert f"{ref.label}: {ref.value}" in md_head


def test_markdown_keeps_every_line_of_a_block_a_line() -> None:
    letter = letterkit.compose(
        {
            "locale": "de-DE",
            "date": "2026-11-26",
            "sender": {
                "company": "Muster GmbH",
                "name": "Erika Muster",
                "street": "1. Querstraße 5",
                "postal_code": "10115",
                "city": "Berlin",
            },
            "recipient": {
                "company": "- Beispiel AG",
                "street": "+ Nebenweg 2",
                "postal_code": "80331",
                "city": "München",
            },
            "contract": {"reference": "W-1"},
            "end_date": "2026-12-31",
        }
    )
    markdown = letterkit.render(letter, "md").decode("utf-8")
    lines = markdown.splitlines()
    assert "1\\. Querstraße 5  " in lines  # not an ordered list
    assert "\\- Beispiel AG  " in lines  # not a bullet
    assert "\\+ Nebenweg 2  " in lines
    assert "Vertragsnummer: W-1  " in lines
    assert markdown.startswith("Muster GmbH  \nErika Muster  \n1\\. Querstraße 5  \n10115 Berlin\n\n")
