"""Lint fixes from the ninth acceptance run, where whole drafts are needed: a line in
capitals after a ticket number, next to a letterhead and a footer of names and numbers."""

from __future__ import annotations

from typing import Any

from letterkit.lint import lint


def findings(text: str, lang: str, **options: Any) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in lint(text, lang=lang, **options)]


DRAFT_EN = """NORDLICHT GMBH · HRB 1234
Speicherstadt 4 · 20457 Hamburg

Dear Ms Clarke,

Ticket 4711 DONE BY IDIOTS AGAIN

We are ending our support contract with you on 31 March 2027. Your GDPR, VAT and SEO
settings stay as they are; the MSA of 2021 and your USt-IdNr remain on file.

Thank you for the years of working together; we wish you all the best.

Kind regards,
Jana Holm

NORDLICHT GMBH · HRB 1234 · VAT DE123456789
"""


def test_a_shouted_line_after_a_ticket_number_is_shouting() -> None:
    found = findings(DRAFT_EN, "en")
    assert ("shouting/capitals", "DONE BY IDIOTS AGAIN") in found
    assert ("hostile/insult", "IDIOTS") in found


def test_names_numbers_and_acronyms_in_the_same_draft_stay_quiet() -> None:
    shouted = [text for rule, text in findings(DRAFT_EN, "en") if rule.startswith("shouting/")]
    assert shouted == ["DONE BY IDIOTS AGAIN"]
