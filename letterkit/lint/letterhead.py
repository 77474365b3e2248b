"""Letterhead and footer lines: the sender's name, address and numbers, not the writer's
words to the reader.

Shared by the engine (which rules read a line) and the Sie/du check (which words address
the reader), so it imports neither of them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from .regexes import regex
from .rules import language_data, language_regex

if TYPE_CHECKING:
    from .text import Sentence

_SEPARATOR = regex(r"·|\s\|\s")


def letterhead_line(words: list[str]) -> bool:
    """Names and numbers ("Nordlicht Webservice GmbH · Speicherstadt 4 · 20457 Hamburg",
    "Muster GmbH Seite 2 von 2"): a word with a digit, and none of four letters or more in
    lower case. Such a line is read (it may shout), but the body does not start there."""
    return any(any(c.isdigit() for c in word) for word in words) and not any(
        len(word) >= 4 and word.islower() for word in words
    )


def separated_letterhead(sentence: Sentence, lang: str, forms: frozenset[str]) -> bool:
    """A line of names and an address split by " · " or " | " ("Anwaltskanzlei Müller ·
    Inkasso und Forderungsmanagement · Marienplatz 3"): the sender's letterhead or footer,
    not the writer's words to the reader, even when it stands among the body's lines. The
    separators and the names are not enough ("Letzte Frist: 7 Tage · Danach Inkasso ·
    Anwalt · Gericht" is a threat): one part must show an address, a register entry, a
    phone number, an email or a website (``letterhead_evidence``), or a legal form
    (``forms``)."""
    return separated_letterhead_text(sentence.text, sentence.words, lang, forms)


def separated_letterhead_text(text: str, words: list[str], lang: str, forms: frozenset[str]) -> bool:
    """``separated_letterhead`` of a text and its words: a sentence's, or a whole line's
    (a sentence may end inside a letterhead line, at an abbreviation the splitter does not
    know: "Nordlicht IT GmbH · Große Elbstr. 145 · 22767 Hamburg")."""
    if not (("·" in text or " | " in text) and "\n" not in text.strip() and letterhead_line(words)):
        return False
    if not forms.isdisjoint(words):
        return True
    evidence = _letterhead_evidence(lang)
    return evidence is not None and any(evidence.search(part.strip()) for part in _SEPARATOR.split(text))


_WORD = regex(r"[^\W_]+(?:[-'’][^\W_]+)*")


def letterhead_at(text: str, at: int, lang: str, forms: frozenset[str]) -> bool:
    """Is the line of ``text`` that holds offset ``at`` a letterhead or footer line set apart
    by middle dots (``separated_letterhead_text`` of the line)?"""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)]
    return separated_letterhead_text(line, _WORD.findall(line), lang, forms)


@cache
def _letterhead_evidence(lang: str) -> re.Pattern[str] | None:
    """The language's ``letterhead_evidence`` as one regex (None: the language lists none)."""
    found = [str(p) for p in language_data(lang).get("letterhead_evidence", [])]
    return language_regex(lang, "|".join(f"(?:{p})" for p in found)) if found else None
