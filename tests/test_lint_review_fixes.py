"""Fixes from the code review of the day's lint changes, where a rule example cannot show
them: a finding's end in the source, code sent back by a fork."""

from __future__ import annotations

from letterkit.lint import lint


def test_two_findings_made_one_end_where_the_second_ends() -> None:
    """ "Leider" and "müssen wir Ihnen / mitteilen" (over a line break) are one finding:
    SARIF's endLine and endColumn are those of "mitteilen", not of "Leider"."""
    text = (
        "Sehr geehrte Frau Müller,\n\nwir beenden den Vertrag zum 31. Dezember 2026. Leider müssen wir Ihnen\n"
        "mitteilen, dass die Frist abgelaufen ist.\n\nVielen Dank für die Zusammenarbeit.\n\n"
        "Mit freundlichen Grüßen\nErika Muster\n"
    )
    (found,) = [f for f in lint(text, lang="de") if f.rule == "negative_framing/leider"]
    assert found.text == "Leider müssen wir Ihnen\nmitteilen"
    assert (found.line, found.column, found.end_line, found.end_column) == (3, 48, 4, 10)

