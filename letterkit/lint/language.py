"""Tell German from English by counting frequent function words."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[a-zäöüß']+")
_GERMAN = frozenset(
    [
        "und",
        "der",
        "die",
        "das",
        "nicht",
        "sie",
        "ihnen",
        "ihr",
        "wir",
        "ich",
        "ist",
        "mit",
        "für",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "zu",
        "auf",
        "bei",
        "wie",
        "auch",
        "noch",
        "bis",
        "zum",
        "zur",
        "uns",
        "unser",
        "unsere",
        "sehr",
        "geehrte",
        "grüße",
        "grüßen",
        "vielen",
        "dank",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "to",
        "of",
        "you",
        "your",
        "we",
        "our",
        "is",
        "are",
        "for",
        "with",
        "not",
        "this",
        "that",
        "will",
        "be",
        "have",
        "has",
        "on",
        "by",
        "dear",
        "regards",
        "sincerely",
        "thank",
        "please",
        "would",
        "it",
        "as",
        "at",
        "from",
    ]
)


def detect(text: str, default: str = "de") -> str:
    """'de' or 'en', by which language's function words are more frequent."""
    sample = text[:20000].lower()
    german = english = 0
    for word in _WORDS.findall(sample):
        german += word in _GERMAN
        english += word in _ENGLISH
    if german == english:
        return "de" if re.search(r"[äöüß]", sample) else default if not english else "en"
    return "de" if german > english else "en"


# A paragraph is in a language when at least this many of its words are that language's
# function words, and at least twice as many as the other's ("Deutsche Fassung:" or a
# name and address have too few to tell).
PARAGRAPH_WORDS = 4


def paragraph_language(text: str) -> str | None:
    """'de' or 'en' for a paragraph whose function words clearly say which; else None."""
    words = _WORDS.findall(text.lower())
    german, english = sum(map(_GERMAN.__contains__, words)), sum(map(_ENGLISH.__contains__, words))
    if german >= PARAGRAPH_WORDS and german >= 2 * english:
        return "de"
    if english >= PARAGRAPH_WORDS and english >= 2 * german:
        return "en"
    return None


def other_language_spans(paragraphs: list[tuple[int, int, str]], main: str) -> list[tuple[int, int]]:
    """The (start, end) of the paragraphs clearly written in the language that is not
    ``main``: a bilingual letter ("Deutsche Fassung" under the English text) is linted
    paragraph by paragraph in its own language."""
    return [(start, end) for start, end, text in paragraphs if paragraph_language(text) not in (None, main)]
