"""Lint fixes from the tenth acceptance run, where whole drafts are needed: a firm's name
followed by a relative clause, and the sender's footer among the body's lines."""

from __future__ import annotations

from typing import Any

from letterkit.lint import lint


def findings(text: str, lang: str, **options: Any) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in lint(text, lang=lang, **options)]


# "Nord Inkasso GmbH" is a name, and the relative clause after it ("die Sie uns weitergeleitet
# haben") is about the name, not the writer handing a claim to a collection agency.
DRAFT_NAME = """Sehr geehrte Frau Albrecht,

wie am Telefon besprochen, beenden wir unsere Zusammenarbeit zum 31. März 2027.

Für die Übergabe an Ihre neue Agentur haben wir alle Dateien vorbereitet. Die Forderungsaufstellung
der Nord Inkasso GmbH, die Sie uns weitergeleitet haben, betrifft nicht unser Unternehmen.

Vielen Dank für die vertrauensvolle Zusammenarbeit seit 2019. Wir wünschen Ihnen alles Gute.

Mit freundlichen Grüßen
Sabine Körner
"""


def test_a_relative_clause_after_a_firm_name_is_no_threat() -> None:
    assert not [rule for rule, _ in findings(DRAFT_NAME, "de") if rule.startswith("threat/")]


def test_a_relative_clause_with_the_writer_as_subject_still_counts() -> None:
    text = DRAFT_NAME.replace(
        "die Sie uns weitergeleitet haben, betrifft nicht unser Unternehmen",
        "die wir beauftragt haben, meldet sich bei Ihnen",
    )
    assert "threat/anwalt-inkasso" in [rule for rule, _ in findings(text, "de")]


# A Word footer comes out among the body's lines (after the closing here); a line of names
# and an address split by " · " is the sender's letterhead, not words to the reader.
DRAFT_FOOTER = """Sehr geehrte Frau Brandt,

hiermit kündigen wir den Wartungsvertrag zum 31. Dezember 2026.

Vielen Dank für die Zusammenarbeit. Wir wünschen Ihnen alles Gute.

Mit freundlichen Grüßen

Sie haben wiederholt gegen die Vereinbarung verstoßen.

Anwaltskanzlei Müller · Inkasso und Forderungsmanagement · Marienplatz 3
"""


def test_a_footer_of_names_and_an_address_is_no_threat() -> None:
    found = findings(DRAFT_FOOTER, "de")
    assert not [rule for rule, _ in found if rule.startswith("threat/")]
    assert "blame/verstoss" in [rule for rule, _ in found]


def test_a_threat_in_the_body_still_counts() -> None:
    text = DRAFT_FOOTER.replace(
        "zum 31. Dezember 2026.", "zum 31. Dezember 2026. Wir übergeben die Forderung an unser Inkassobüro."
    )
    assert "threat/anwalt-inkasso" in [rule for rule, _ in findings(text, "de")]
