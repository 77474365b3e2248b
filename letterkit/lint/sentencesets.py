"""Which sentences of a draft hold a word, a piece of text, or one of a group of them.

A set of sentences is a Python int, byte n (bit 8n) standing for sentence n: the sentences
that hold a piece of every group a pattern needs are then an AND of a few ints, done in C
however many sentences the draft has, and a set turns into a byte per sentence and back in
C (``int.from_bytes``, ``int.to_bytes``), where packing it a bit per sentence took a
string of binary digits each way (~0.1 ms per set for 16,000 sentences). Each set is worked out once per draft from the
draft's distinct words (a piece of text is looked for in them, not in the text), and
groups, pieces and words are shared by many patterns ("you", "the", "client").
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain, compress, repeat

# Positions are picked out sentence by sentence when there are fewer than one sentence in
# this many positions, else position by position.
FEW_SENTENCES = 4
# Pieces shorter than this are not looked up.
SHORTEST_PIECE = 3
# A word that occurs this many times or more gets a set of its own, shared by the groups it
# is in: an OR of two sets costs about as much as marking ~40 positions of 16,000 sentences.
COMMON = 32
Group = tuple[bool, tuple[str, ...]]  # pieces a word holds (True) or beginnings (False)


class SentenceSets:
    """Sentence sets of one token string of ``length`` characters: ``offsets`` are where its
    sentences start in it, ``words`` each lower-case word's positions in it (``engine.Index``).

    A set is an int with one byte per sentence (byte n, in little-endian order, is 1 when
    sentence n is in it; -1 stands for all sentences where ``narrowed`` says so); as bytes, it
    picks positions out of a list in C (``within``)."""

    def __init__(self, offsets: list[int], words: dict[str, list[int]], length: int) -> None:
        self.size = len(offsets)
        self._words = words
        self._sorted = sorted(words)
        self._pieces = WordPieces(self._sorted)
        self._runs = [words[w] for w in self._sorted]  # the positions of each of them
        self._often = [len(run) for run in self._runs]  # how often each of them occurs
        # the sentence of each position of the token string
        self._of = array("H" if self.size < 1 << 16 else "I", bytes(0))
        ends = [*offsets[1:], length + 1] if offsets else []
        for number, (start, end) in enumerate(zip(offsets, ends, strict=True)):
            self._of += array(self._of.typecode, [number]) * (end - start)
        self._of_piece: dict[str, list[int]] = {}
        self._of_group: dict[Group, int] = {}
        self._words_of: dict[Group, list[int]] = {}
        self._counts: dict[Group, int] = {}
        self._of_common: dict[int, int] = {}

    def word(self, word: str) -> int:
        """The sentences a word of the draft is in (not kept: a set is as long as the draft
        has sentences, and the group sets made from the words are what is asked again)."""
        return self._set_of((self._words[word],))

    def _set_of(self, runs: Iterable[list[int]]) -> int:
        """The sentences of the positions of all ``runs``, made in one byte array, in one
        pass in C over the runs chained (a pass per run cost ~1 µs each, and a group of
        words holding a piece has dozens: 100 KB of varied English made 23,000 such passes)."""
        held = bytearray(self.size)
        deque(map(held.__setitem__, map(self._of.__getitem__, chain.from_iterable(runs)), repeat(1)), 0)
        return int.from_bytes(held, "little")

    def within(self, positions: list[int], sentences: int, offsets: list[int]) -> list[int]:
        """The positions (in order) that lie in one of the sentences (which start at
        ``offsets``): each position looked up, or, for a few sentences, each sentence's run
        of positions found by bisection."""
        held = self.bytes_of(sentences)
        if held.count(1) * FEW_SENTENCES >= len(positions):
            return list(compress(positions, map(held.__getitem__, map(self._of.__getitem__, positions))))
        left, last = bisect.bisect_left, self.size - 1
        kept: list[int] = []
        for match in _ONE.finditer(held):
            s_index = match.start()
            start = left(positions, offsets[s_index])
            end = left(positions, offsets[s_index + 1], start) if s_index < last else len(positions)
            kept += positions[start:end]
        return kept

    def bytes_of(self, sentences: int) -> bytes:
        """A set as bytes: byte n is 1 when sentence n is in it."""
        return sentences.to_bytes(self.size, "little")

    def holding(self, group: tuple[str, ...]) -> int:
        """The sentences with a word that holds one of the lower-case pieces of text."""
        return self.sentences((True, group))

    def beginning(self, group: tuple[str, ...]) -> int:
        """The sentences with a word that begins with one of the lower-case beginnings (one
        that ends in a space: that word itself; one that runs into a next word: its first)."""
        return self.sentences((False, group))

    def narrowed(self, groups: Iterable[Group], limit: float, shortest: int = SHORTEST_PIECE) -> int:
        """The sentences with a word of each group whose words occur at most ``limit`` times
        (a commoner one costs more to make than it saves), the rarest first; -1: all. A group
        of pieces with one shorter than ``shortest`` is left out: a piece of one or two letters
        ("a", "me") is in nearly every word, and looking for it costs."""
        bits = -1
        groups = [group for group in groups if not group[0] or min(map(len, group[1])) >= shortest]
        for group in sorted(groups, key=self.count):
            if self.count(group) > limit:
                break
            bits &= self.sentences(group)
            if not bits:
                break
        return bits

    def count(self, group: Group) -> int:
        """How often the words of a group (``holding``: True; ``beginning``: False) occur:
        what it costs to make its set, and about how many sentences it holds."""
        found = self._counts.get(group)
        if found is None:
            found = self._counts[group] = sum(map(self._often.__getitem__, self._group_words(group)))
        return found

    def sentences(self, group: Group) -> int:
        """The sentences with a word of the group (``holding``, ``beginning``)."""
        found = self._of_group.get(group)
        if found is None:
            numbers, often = self._group_words(group), self._often
            # a common word ("the", "your") is in many groups: its set is made once and ORed in
            rare = [n for n in numbers if often[n] < COMMON]
            found = self._set_of(map(self._runs.__getitem__, rare)) if rare else 0
            for n in numbers:
                if often[n] >= COMMON:
                    found |= self._common_set(n)
            self._of_group[group] = found
        return found

    def _common_set(self, number: int) -> int:
        """The sentences of a common word (its number in sorted order), made once."""
        found = self._of_common.get(number)
        if found is None:
            found = self._of_common[number] = self._set_of((self._runs[number],))
        return found

    def _group_words(self, group: Group) -> list[int]:
        """The numbers (in sorted order) of the words of a group."""
        found = self._words_of.get(group)
        if found is None:
            words = self._sorted
            numbers: set[int] = set()
            for item in group[1]:
                if group[0]:
                    numbers.update(self._holding(item))
                    continue
                head, space, _ = item.partition(" ")
                first = bisect.bisect_left(words, head)
                if space:
                    if first < len(words) and words[first] == head:
                        numbers.add(first)
                    continue
                numbers.update(range(first, past_prefix(words, head, first)))
            found = self._words_of[group] = sorted(numbers)
        return found

    def _holding(self, piece: str) -> list[int]:
        """The numbers of the words that hold ``piece`` (groups share pieces: "client")."""
        found = self._of_piece.get(piece)
        if found is None:
            found = self._of_piece[piece] = self._pieces.holding(piece)
        return found


class WordPieces:
    """Which of a draft's distinct words (sorted) hold a piece of text. A piece of three
    letters or more is looked up by its three-letter runs: only the words with its rarest
    run are looked in. Looking for each piece in one string of the words, as before, read
    all of them every time: 3,400 pieces looked up in the 25 KB of words of 100 KB of
    varied English cost ~44 ms that way, ~7 ms so (the index made once, ~3 ms)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self._runs: dict[str, list[int]] | None = None  # three-letter run -> the words with it
        self._text: str | None = None  # the words one a line, for a shorter piece
        self._starts: list[int] = []

    def holding(self, piece: str) -> list[int]:
        """The numbers of the words that hold ``piece``, in order."""
        if len(piece) < 3 or "\n" in piece:
            if self._text is None:
                self._text = "\n".join(self.words)
                self._starts = [0, *accumulate(len(w) + 1 for w in self.words)]
            return words_holding(piece, self._text, self._starts)
        runs = self._runs if self._runs is not None else self._index()
        rarest: list[int] | None = None
        for at in range(len(piece) - 2):
            numbers = runs.get(piece[at : at + 3])
            if numbers is None:
                return []
            if rarest is None or len(numbers) < len(rarest):
                rarest = numbers
        assert rarest is not None
        if len(piece) == 3:
            return rarest[:]
        words = self.words
        return [n for n in rarest if piece in words[n]]

    def _index(self) -> dict[str, list[int]]:
        """Each three-letter run of the words -> the numbers of the words with it, in order
        (a word with a run twice is listed once: the last number listed is its own; a set of
        each word's runs took half as long again)."""
        runs: dict[str, list[int]] = {}
        get = runs.get
        for number, word in enumerate(self.words):
            for at in range(len(word) - 2):
                run = word[at : at + 3]
                found = get(run)
                if found is None:
                    runs[run] = [number]
                elif found[-1] != number:
                    found.append(number)
        self._runs = runs
        return runs


def past_prefix(words: list[str], head: str, first: int) -> int:
    """The number of the first of the sorted ``words`` from ``first`` on (the first that
    starts with ``head``, if any does) that does not start with ``head``: found by bisection."""
    if head and ord(head[-1]) < 0x10FFFF:
        return bisect.bisect_left(words, head[:-1] + chr(ord(head[-1]) + 1), first)
    while first < len(words) and words[first].startswith(head):
        first += 1
    return first


def words_holding(piece: str, text: str, starts: list[int]) -> list[int]:
    """The numbers of the words that hold ``piece``, in ``text``: the words one a line,
    word n starting at ``starts[n]`` (looked for in C, one find per word that holds it)."""
    found: list[int] = []
    find, at = text.find, text.find(piece)
    while at >= 0:
        number = bisect.bisect_right(starts, at) - 1
        found.append(number)
        at = find(piece, starts[number + 1])  # the next word on
    return found


def members(sentences: int) -> Iterator[int]:
    """The sentence numbers of a set, in order (found in C)."""
    data = sentences.to_bytes((sentences.bit_length() + 7) // 8, "little")
    return (match.start() for match in _ONE.finditer(data))


_ONE = re.compile(b"\x01")
