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


# What the reader knows from our own message is a reference: the tone model read "sicher
# schon" and "wissen Sie" as a lecture. It now reads such a sentence without those words
# (judged/tone's unless), so the rest of the sentence is still judged.
DRAFT_DE = """Sehr geehrte Frau Keller,

wir beenden die Betreuung Ihrer Website zum 31. März 2027. Das wissen Sie sicher schon aus
unserem Gespräch. Wie Sie sicher schon aus unserem Telefonat wissen, übergeben wir Ihnen alle
Zugänge in der letzten Märzwoche.

Vielen Dank für die gute Zusammenarbeit und alles Gute.

Mit freundlichen Grüßen
Jana Holm
"""


def test_a_reference_to_our_conversation_is_no_lecture() -> None:
    assert findings(DRAFT_DE, "de") == []


def test_the_rest_of_such_a_sentence_is_still_judged() -> None:
    text = (
        "Das wissen Sie sicher schon aus unserem Gespräch, und durch Ihre Verzögerungen ist uns "
        "ein erheblicher Mehraufwand entstanden.\n"
    )
    assert [rule for rule, _ in findings(text, "de")] == ["judged/tone"]


def test_telling_the_reader_what_they_know_still_counts() -> None:
    for text in ("Das wissen Sie ganz genau.\n", "Wie Sie sehr wohl wissen, endet der Vertrag am 31. März.\n"):
        assert "passive_aggressive/wie-sie-wissen" in [rule for rule, _ in findings(text, "de")]


def test_the_bare_lecture_is_flagged() -> None:
    """'Das wissen Sie sicher schon.' on its own tells the reader what they know; with a
    source after it ('… aus unserem Gespräch') it is a reminder (the rule's pass examples)."""
    assert [rule for rule, _ in findings("Das wissen Sie sicher schon.\n", "de")] == [
        "condescension/das-wissen-sie-sicher"
    ]
