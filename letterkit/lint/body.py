"""Where a draft's body runs: from its first running sentence that is no letterhead line to
the closing formula after it ("Mit freundlichen Grüßen"), or to its last running sentence.
Short lines inside the body (a bullet item, a table cell, a line of an email) are read by
the rules; letterhead, address block, signature and footer lines outside it are not.

The bounds are found from the draft itself, splitting into sentences only the paragraphs
that decide them: those up to the first running sentence, those a closing formula stands
in, and those from the end back to the last running sentence. So a long draft is shared
out between two processes (parallel.py) with its body known before either has split its
half into sentences.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence
from functools import cache

from .letterhead import letterhead_line
from .rules import language_data
from .text import Draft, Paragraph, Sentence


def is_prose(sentence: Sentence) -> bool:
    """Running text, not an address line, a letterhead or a signature."""
    return len(sentence.words) >= 7 or sentence.text.rstrip()[-1:] in ".!?:"


@cache
def closing_lines(lang: str) -> frozenset[str]:
    """The closing formulas of a language, in lower case ("mit freundlichen grüßen")."""
    return frozenset(str(c).lower() for c in language_data(lang).get("closing_lines", []))


def is_closing(sentence: Sentence, lang: str) -> bool:
    """Is the sentence a closing formula on its own ("Mit freundlichen Grüßen,")?"""
    return sentence.text.strip().rstrip(",.!").lower() in closing_lines(lang)


def body_bounds(draft: Draft, paragraphs: Sequence[Paragraph], lang: str) -> tuple[int, int] | None:
    """The body as offsets of ``draft.visible``: a sentence is in it when it starts at or
    after the first and before the second. None when the draft has no running sentence
    outside a letterhead. ``paragraphs`` are all of ``draft.paragraphs()``."""
    split = _Split(draft, paragraphs)
    start = _first_running(split)
    if start is None:
        return None
    closing = _first_closing(split, lang, start)
    if closing is not None:
        return start, closing
    for number in range(len(paragraphs) - 1, -1, -1):
        for sentence in reversed(split.sentences(number)):
            if is_prose(sentence):
                return start, sentence.start + 1
    return start, start + 1  # not reached: the first running sentence is one


class _Split:
    """The sentences of each paragraph, split once when first asked for (a draft of one
    long paragraph is asked three times)."""

    def __init__(self, draft: Draft, paragraphs: Sequence[Paragraph]) -> None:
        self.draft = draft
        self.paragraphs = paragraphs
        self._done: dict[int, list[Sentence]] = {}

    def sentences(self, number: int) -> list[Sentence]:
        found = self._done.get(number)
        if found is None:
            found = self._done[number] = self.draft.sentences(self.paragraphs[number : number + 1], number)
        return found


def _first_running(split: _Split) -> int | None:
    for number in range(len(split.paragraphs)):
        for sentence in split.sentences(number):
            if is_prose(sentence) and not letterhead_line(sentence.words):
                return sentence.start
    return None


def _first_closing(split: _Split, lang: str, start: int) -> int | None:
    """Where the first sentence that is a closing formula starts, at or after ``start``.
    The places are found with str.find in the lower-case text (each formula, overlaps and
    all), and the paragraph of each is split to see whether a sentence starts there and is
    nothing but the formula ("Viele Grüße an Ihr Team" is running text)."""
    closings = closing_lines(lang)
    draft, paragraphs = split.draft, split.paragraphs
    text = draft.visible
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter that grows in lower case ("İ"): sentence by sentence
        for number in range(len(paragraphs)):
            for sentence in split.sentences(number):
                if sentence.start >= start and is_closing(sentence, lang):
                    return sentence.start
        return None
    # the next place of each formula, nearest first: a long draft's first closing formula
    # is found without looking for every formula all through it
    places = [(at, formula) for formula in closings if formula and (at := lowered.find(formula, start)) >= 0]
    heapq.heapify(places)
    paragraph_starts = [p[0] for p in paragraphs]
    by_start: dict[int, dict[int, Sentence]] = {}  # paragraph number -> its sentences by start
    while places:
        place, formula = places[0]
        number = bisect.bisect_right(paragraph_starts, place) - 1
        if number >= 0 and place < paragraphs[number][1]:
            if number not in by_start:
                by_start[number] = {s.start: s for s in split.sentences(number)}
            there = by_start[number].get(place)
            if there is not None and is_closing(there, lang):
                return place
        following = lowered.find(formula, place + 1)
        if following < 0:
            heapq.heappop(places)
        else:
            heapq.heapreplace(places, (following, formula))
    return None
