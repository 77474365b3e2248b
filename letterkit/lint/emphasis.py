"""What bold or underlined text is, for the emphasis check: whole words only, and a name
(a product, a tier, a contract) is information, not a raised voice.

Readers give emphasis spans as the format marks them; ``whole_words`` trims a span that
starts or ends inside a word to the words it covers whole (Word's "fai" + bold "led" is
no emphasis of a word). ``is_name`` tells a bold name ("your **Enterprise**
subscription") from a bold word aimed at the reader.
"""

from __future__ import annotations

import re

from .text import TOKEN

_WORD_CHAR = re.compile(r"\w")
# after a German name used as the modifier of a noun: "**Enterprise**-Abo", "**Premium** Tarif"
# (past the marks of bold in a text file: "**Enterprise**-Abo")
_DE_NOUN_AFTER = re.compile(r"[*_]*(?:-\w|[ \t]+[A-ZÄÖÜ])")
_MARKS = "*_"  # bold marks (Markdown's, typed in a text file) that stand in a word: "fai**led**"


def whole_words(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans trimmed to the words they cover whole: a span that begins inside a word
    begins after it, one that ends inside a word ends before it (bold marks ``**`` or
    ``__`` between the two halves are looked through); a span left without a letter or
    digit is dropped."""
    result = []
    for start, end in spans:
        if 0 < start < len(text) and _inside(text, start):
            while start < end and _WORD_CHAR.match(text, start):
                start += 1
            while start < end and text[start].isspace():
                start += 1
        if 0 < end < len(text) and _inside(text, end):
            while end > start and _WORD_CHAR.match(text, end - 1):
                end -= 1
            while end > start and text[end - 1].isspace():
                end -= 1
        if _WORD_CHAR.search(text, start, end):
            result.append((start, end))
    return result


def _inside(text: str, at: int) -> bool:
    """Is offset ``at`` between two characters of one word (marks between them aside)?"""
    before, after = at - 1, at
    while before > 0 and text[before] in _MARKS:
        before -= 1
    while after < len(text) - 1 and text[after] in _MARKS:
        after += 1
    return bool(_WORD_CHAR.match(text, before)) and bool(_WORD_CHAR.match(text, after))


def is_name(visible: str, sentence_start: int, start: int, end: int, lang: str) -> bool:
    """Is the emphasis a name: capitalised words (not in capitals, which shout; no month,
    which makes it a date: the emphasis check has rules of its own for those), not at the
    start of the sentence (where any word has a capital)? In German, where every noun has
    one, only as the modifier of a noun that follows ("Ihr **Enterprise**-Abo") or as a
    reference with its number ("in **Anlage 2**", "**Ticket 4711**"), since a bold noun of
    its own ("Ihre **Zahlungsmoral**") is a word aimed at the reader."""
    from .rules import language_data

    words = TOKEN.findall(visible, start, end)
    if not words or not visible[sentence_start:start].strip(" \t\n" + _MARKS):
        return False
    months = language_data(lang).get("months", ())
    for word in words:
        if not (word[0].isupper() or word[0].isdigit()) or word.lower() in months:
            return False
        if len(word) > 1 and word.isalpha() and word.isupper():
            return False
    numbered = len(words) > 1 and any(ch.isdigit() for word in words[1:] for ch in word)
    return lang != "de" or numbered or bool(_DE_NOUN_AFTER.match(visible, end))
