"""Fixes from the code review of the day's lint changes, where a rule example cannot show
them: a finding's end in the source, code sent back by a fork, a footer among the body's lines."""

from __future__ import annotations

import pytest

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


def test_code_is_sent_and_adopted_by_flags_and_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    """One text with two sets of flags is two pieces of code (language_regex keeps both):
    keyed by the text alone, one was sent back and adopted for both."""
    import re

    from letterkit.lint import rules

    monkeypatch.setattr(rules, "_NEW_CODE", set())  # nothing of this test is kept at exit
    regexes = rules._rule_set("en").regexes
    text = r"(?<!\w)xq\d+zz(?!\w)"
    made = {flags: rules.LazyPattern(text, flags, "test") for flags in (0, int(re.IGNORECASE))}
    for flags, pattern in made.items():
        monkeypatch.setitem(regexes, f"{flags}:{text}", pattern)
    mark = rules.code_mark()
    assert made[0].compiled.match("XQ1ZZ") is None
    assert made[int(re.IGNORECASE)].compiled.match("XQ1ZZ") is not None
    sent = rules.translated_code("en", mark)
    assert set(sent) == {(0, text), (int(re.IGNORECASE), text)}
    fresh = {flags: rules.LazyPattern(text, flags, "test") for flags in made}
    for flags, pattern in fresh.items():
        monkeypatch.setitem(regexes, f"{flags}:{text}", pattern)
    rules.adopt_code("en", sent)
    assert all(fresh[flags].code == made[flags].code for flags in made)
    assert fresh[0].compiled.match("XQ1ZZ") is None
    assert fresh[int(re.IGNORECASE)].compiled.match("XQ1ZZ") is not None


# A line split by " · " among the body's lines: the Word footer with a street and number is the
# sender's, a deadline with its consequences is the writer's threat.
DRAFT_FOOTER_AND_THREAT = """Sehr geehrte Frau Albrecht,

wir beenden unsere Zusammenarbeit zum 31. März 2027.

Letzte Frist: 7 Tage · Danach Inkasso · Anwalt · Gericht

Anwaltskanzlei Müller · Inkasso und Forderungsmanagement · Marienplatz 3

Vielen Dank für die Zusammenarbeit.

Mit freundlichen Grüßen
Sabine Körner
"""


def test_a_separated_line_is_a_footer_only_with_an_address_or_a_register() -> None:
    found = [
        (f.rule, f.line) for f in lint(DRAFT_FOOTER_AND_THREAT, lang="de") if f.rule.startswith("threat/")
    ]
    assert ("threat/anwalt-inkasso", 5) in found
    assert all(line != 7 for _, line in found)  # the footer: "Marienplatz 3" is its address
