"""The reader's own words quoted back are the reader's, not the writer's: a quotation of
any length after "you wrote/said/called", „Sie schrieben“ is not linted as the writer's
insult or blame, and a match whose last word lies inside a quotation is someone else's
(tester 33). Scare quotes of the writer's own stay a jab, and the same words unquoted
are still found."""

from __future__ import annotations

import pytest

from letterkit.lint import lint


def rules(text: str, lang: str) -> list[str]:
    return [f.rule for f in lint(text + "\n", lang=lang) if f.category != "structure"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", 'You wrote that our crew was "useless" and that you would "never recommend us to anyone."'),
        ("en", 'In your email you called our last invoice "a rip-off", and we understand the frustration behind that.'),
        ("de", "Sie schrieben, unser Team sei „völlig inkompetent“ gewesen."),
        ("de", "In deiner Nachricht hast du unsere Arbeit „katastrophal“ genannt; das nehmen wir ernst."),
    ],
)
def test_the_readers_words_quoted_back_are_not_the_writers(lang: str, text: str) -> None:
    assert rules(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "rule"),
    [
        ("en", "You wrote that our crew was useless.", "hostile/insult"),
        ("en", 'Your team was "useless" from start to finish.', "hostile/insult"),
        ("en", 'Thanks for the "help" with the migration.', "sarcasm/marks"),
        ("en", 'You said the plan was fine, but your "urgent" changes came every week.', "sarcasm/marks"),
        ("de", "Ihr Team war völlig inkompetent.", "hostile/beleidigend"),
    ],
)
def test_the_writers_own_words_and_scare_quotes_are_still_found(lang: str, text: str, rule: str) -> None:
    assert rule in rules(text, lang)
