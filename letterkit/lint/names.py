"""Firm names with a legal form: "Nord Inkasso GmbH", "Apex Debt Collection Ltd",
"ACME SOFTWARE GMBH".

A client's or a partner's name is data, not the writer's wording: "Inkasso" in "für die
Nord Inkasso GmbH" threatens no one, and a name the firm writes in capitals is no
shouting. A name is a legal form from the language's list (``legal_forms``, matched as
written) with the capitalised words before it, up to ``NAME_WORDS`` of them; it ends
at a word in lower case or at a function word (``name_stops``: "die", "the", "Ihre"),
and "und"/"and" (``name_joiners``) join two capitalised words ("Müller und Partner GmbH").
The engine drops a match that lies wholly inside a name; one that reaches out of it
("… beauftragen die Nord Inkasso GmbH") is the writer's and still counts.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Index

NAME_WORDS = 6  # words of a name before its legal form, at most ("Weber Müller und Partner")


def firm_names(index: Index, sets: Mapping[str, frozenset[str]]) -> dict[int, list[tuple[int, int]]]:
    """Sentence number → the (first, last) token of each firm name in it. Found from the
    legal forms among a sentence's words (a set test per sentence: most hold none)."""
    forms = sets.get("legal_forms", frozenset())
    stops = sets.get("name_stops", frozenset())
    joiners = sets.get("name_joiners", frozenset())
    found: dict[int, list[tuple[int, int]]] = {}
    if not forms:
        return found
    for s_index, sentence in enumerate(index.sentences):
        words = sentence.words
        if forms.isdisjoint(words):
            continue
        for token, word in enumerate(words):
            if word not in forms:
                continue
            first = _name_start(words, token, stops, joiners)
            if any(words[i][0].isalpha() and words[i] not in forms for i in range(first, token)):
                found.setdefault(s_index, []).append((first, token))
    return found


class Spans:
    """Character spans (firm names), asked whether one of them holds a range: exactly, by
    bisection among those that start close enough before it."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.longest = max((end - start for start, end in self.spans), default=0)

    def hold(self, start: int, end: int) -> bool:
        first = bisect.bisect_left(self.spans, (start - self.longest,))
        last = bisect.bisect_right(self.spans, (start, end + self.longest + 1))
        return any(a <= start and end <= b for a, b in self.spans[first:last])


def firm_spans(index: Index, sets: Mapping[str, frozenset[str]]) -> list[tuple[int, int]]:
    """The character spans of the draft's firm names, each without its first word when the
    name has three words or more: a noun may stand there that the name took in ("die
    Schlußrechnung Straßer GmbH", "über die Außenwerbung Muster AG"), while "Süß GmbH" and
    "Treuhand Süß & Partner AG" are names; so is a first word joined to the next by "&" or
    "+" ("die Groß & Söhne Facility AG")."""
    sentences, visible = index.sentences, index.draft.visible
    spans = []
    for s, names in firm_names(index, sets).items():
        sentence = sentences[s]
        for first, last in names:
            if last - first >= 2:
                between = visible[sentence.span(first, first)[1] : sentence.span(first + 1, first + 1)[0]]
                if not ("&" in between or "+" in between):  # "&" is no word: it stands between them
                    first += 1
            spans.append(sentence.span(first, last))
    return spans


def _name_start(words: list[str], form: int, stops: frozenset[str], joiners: frozenset[str]) -> int:
    """The first token of the name that ends in the legal form at ``form``."""
    first, steps = form, 0
    while first > 0 and steps < NAME_WORDS:
        word = words[first - 1]
        if word.lower() in joiners and first >= 2 and _name_word(words[first - 2], stops):
            first -= 2
        elif _name_word(word, stops):
            first -= 1
        else:
            break
        steps += 1
    return first


def _name_word(word: str, stops: frozenset[str]) -> bool:
    """A word that can be part of a firm's name: capitalised (or a number) and no function word."""
    return (word[0].isupper() or word[0].isdigit()) and word.lower() not in stops
