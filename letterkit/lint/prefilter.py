"""Which rule patterns can match where: an index from literal word beginnings to patterns.

Scanning a megabyte once per pattern is slow, so each pattern's possible beginnings
(the literal letters its first word must start with, e.g. "versäum", "anwalt",
"rechtlich"/"gerichtlich") are read from the compiled regex. A draft's distinct
words are then looked up once, and each pattern is tried only where one of its
beginnings occurs. A pattern without a literal beginning is scanned in full. The
words a pattern needs besides its first narrow this to the sentences that hold them,
for a pattern whose matches cannot run into the next sentence; a raw regex is tried
only where the characters its matches start with are, and a rule's ``unless`` exception
only in a sentence that holds the pieces of text its matches contain.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

from .branches import sre, sre_parse  # the standard library's own regex parser
from .sentencesets import past_prefix

MAX_VARIANTS = 512
# An ``unless`` group of more pieces than this costs more to check than it saves (12 is
# quicker than 6 on both benchmark texts: a German 1 MB ~20 ms, an English one ~8 ms).
MAX_PIECES = 12
# A pattern that stays in its sentence is tried only in the sentences that hold a piece of
# each of its groups (``Prefilter.groups``): a group of a few dozen rare words ("void",
# "null", "withdrawn", ...) rules out nearly every sentence its first word is in.
MAX_GROUP_PIECES = 64
# A pattern without a literal beginning, which would otherwise be scanned at every position,
# may name more: a group of ~20 authorities ("behörde", "amt", "council", "regulator") rules
# out nearly every sentence, and checking it costs a few µs a sentence.
MAX_SCAN_PIECES = 32
# The beginnings are looked up among a draft's sorted words (two bisections each) when it has
# more than one word for this many of them, else each beginning of each word in the table.
SORTED_LOOKUP = 2


def _walk(ops: Any, prefixes: list[str]) -> tuple[list[str], bool]:
    """Extend ``prefixes`` by the literal start of ``ops``; returns (prefixes, complete)."""
    for op, arg in ops:
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: a lookahead such as (?=[abc]) consumes nothing
        if op is sre.LITERAL:
            prefixes = [p + chr(arg) for p in prefixes]
        elif (
            op is sre.IN
            and all(kind is sre.LITERAL for kind, _ in arg)
            and len(arg) * len(prefixes) <= MAX_VARIANTS
        ):
            prefixes = [p + chr(v) for p in prefixes for _, v in arg]
        elif op is sre.SUBPATTERN:
            prefixes, complete = _walk(arg[-1], prefixes)
            if not complete:
                return prefixes, False
        elif op is sre.BRANCH:
            extended: list[str] = []
            complete = True
            for branch in arg[1]:
                result, done = _walk(branch, prefixes)
                extended += result
                complete = complete and done
            if len(set(extended)) > MAX_VARIANTS:
                return prefixes, False  # too many: keep what was certain before the branch
            prefixes = sorted(set(extended))
            if not complete:
                return prefixes, False
        else:
            return prefixes, False
    return prefixes, True


class _Crosses(Exception):
    """The pattern can run from one sentence into the next."""


def _holds(items: Any, char: str) -> bool:
    """Can a character set of the parsed regex (an IN argument) match ``char``?"""
    categories = {
        sre.CATEGORY_SPACE: char.isspace(),
        sre.CATEGORY_NOT_SPACE: not char.isspace(),
        sre.CATEGORY_WORD: False,
        sre.CATEGORY_NOT_WORD: True,
        sre.CATEGORY_DIGIT: False,
        sre.CATEGORY_NOT_DIGIT: True,
        sre.CATEGORY_LINEBREAK: char == "\n",
        sre.CATEGORY_NOT_LINEBREAK: char != "\n",
    }
    negate = found = False
    for kind, value in items:
        if kind is sre.NEGATE:
            negate = True
        elif kind is sre.LITERAL:
            found = found or value == ord(char)
        elif kind is sre.RANGE:
            found = found or value[0] <= ord(char) <= value[1]
        elif kind is sre.CATEGORY and value in categories:
            found = found or categories[value]
        else:
            return True  # anything else: it may
    return found != negate


def _single(op: Any, arg: Any, flags: int) -> tuple[bool, bool] | None:
    """For a regex item that consumes one character: (may be a newline, may be a space)."""
    if op is sre.LITERAL:
        return arg == ord("\n"), arg == ord(" ")
    if op is sre.NOT_LITERAL:
        return arg != ord("\n"), arg != ord(" ")
    if op is sre.ANY:
        return bool(flags & re.DOTALL), True
    if op is sre.IN:
        return _holds(arg, "\n"), _holds(arg, " ")
    return None


def _follow(ops: Any, newline: bool, flags: int) -> bool:
    """Walk the parsed regex; ``newline``: the character consumed last may be a newline.
    Raises _Crosses where a newline may be followed by a space; returns ``newline`` after."""
    for op, arg in ops:
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue  # consumes nothing
        single = _single(op, arg, flags)
        if single is not None:
            if newline and single[1]:
                raise _Crosses
            newline = single[0]
        elif op is sre.SUBPATTERN:
            newline = _follow(arg[-1], newline, flags | (arg[1] or 0))
        elif op is sre.BRANCH:
            newline = any([_follow(branch, newline, flags) for branch in arg[1]])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, high, item = arg
            after = _follow(item, newline, flags)
            if high > 1:  # the item after itself
                after = _follow(item, after, flags) or after
            newline = after or (newline and low == 0)
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            newline = _follow(arg, newline, flags)
        elif op is sre.GROUPREF_EXISTS:
            yes = _follow(arg[1], newline, flags)
            no = _follow(arg[2], newline, flags) if arg[2] else newline
            newline = yes or no
        else:
            raise _Crosses  # a back reference or something new: assume it may
    return newline


@lru_cache(maxsize=256)
def _parsed(pattern: str, flags: int) -> Any:
    """The standard library's parse of a pattern; the analyses of one pattern share it
    (read only) instead of parsing it once each."""
    return sre_parse.parse(pattern, flags)


def stays_in_sentence(pattern: HasPattern) -> bool:
    """Can no match run into the next sentence? In the token string sentences are joined
    by a newline and a space, so a match crosses only if it consumes both in a row."""
    try:
        _follow(list(_parsed(pattern.pattern, pattern.flags)), False, pattern.flags)
    except _Crosses:
        return False
    return True


def _charset(items: Any) -> set[str] | None:
    """The characters of a parsed character set (an IN argument), or None if it is not a
    short list of literals and ranges."""
    chars: set[str] = set()
    for kind, value in items:
        if kind is sre.LITERAL:
            chars.add(chr(value))
        elif kind is sre.RANGE and value[1] - value[0] < 256:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return chars


def _first(ops: Any, flags: int) -> tuple[set[str] | None, bool]:
    """The characters a match of ``ops`` can start with (None: any) and whether it can be
    empty. Lookarounds are passed over: they narrow the start, never widen it."""
    chars: set[str] = set()
    for op, arg in ops:
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue
        if op in (sre.LITERAL, sre.IN):
            found = (
                ({chr(arg)} if op is sre.LITERAL else _charset(arg)) if not flags & re.IGNORECASE else None
            )
            return (None, False) if found is None else (chars | found, False)
        if op in (sre.SUBPATTERN, getattr(sre, "ATOMIC_GROUP", None)):
            inner = (
                (arg[-1], (flags | (arg[1] or 0)) & ~(arg[2] or 0)) if op is sre.SUBPATTERN else (arg, flags)
            )
            alternatives, optional = [inner], False
        elif op in (sre.BRANCH, sre.GROUPREF_EXISTS):
            branches = arg[1] if op is sre.BRANCH else [arg[1], arg[2] or []]
            alternatives, optional = [(b, flags) for b in branches], False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            alternatives, optional = [(arg[2], flags)], arg[0] == 0
        else:
            return None, False  # any character, a back reference, ...
        empty = optional
        for inner_ops, inner_flags in alternatives:
            found, can_be_empty = _first(inner_ops, inner_flags)
            if found is None:
                return None, False
            chars |= found
            empty = empty or can_be_empty
        if not empty:
            return chars, False
    return chars, True


def first_characters(pattern: HasPattern) -> str | None:
    """The characters every match of a raw regex starts with, if it names them and the
    regex engine does not already look for them itself (as it does for a regex that
    begins with a literal). None: scan it as it is. A regex that begins with a character
    set gets its characters too: the engine tests every position of the text against the
    set (~10 ms per megabyte once the text holds an emoji), str.find skips to them."""
    try:
        ops = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except (re.error, OverflowError, AssertionError):
        return None
    if not ops or ops[0][0] in (sre.LITERAL, sre.AT):
        return None
    found, empty = _first(ops, pattern.flags)
    return "".join(sorted(found)) if found and not empty else None


class HasPattern(Protocol):
    pattern: str
    flags: int


def beginnings(pattern: HasPattern) -> set[str] | None:
    """Lower-case literal beginnings of the pattern (which may run into its second word:
    "the hell"), or None if it has none."""
    ops = list(_parsed(pattern.pattern, pattern.flags))
    while ops and ops[0][0] in (sre.ASSERT_NOT, sre.ASSERT, sre.AT):
        ops.pop(0)
    prefixes, complete = _walk(ops, [""])
    if len(prefixes) > MAX_VARIANTS:
        return None
    # A beginning that ends in a space names its whole first word ("never " is "never",
    # not "nevertheless"); so does a pattern that is nothing but literal words.
    found = {p.lower() + (" " if complete and " " not in p else "") for p in prefixes}
    if any(len(p.split(" ", 1)[0]) < 1 for p in found):
        return None  # no literal beginning: scan the whole text
    return found


def word_beginnings(fragment: str, flags: int) -> list[str] | None:
    """Beginnings of one word of a pattern ("versäum" for versäum{verb}; "never " for the
    whole word never), or None when the word can start with anything."""
    try:
        ops = list(sre_parse.parse(fragment, flags))
    except (re.error, OverflowError, AssertionError):
        return None  # a word that is only valid inside the whole pattern: no requirement
    prefixes, complete = _walk(ops, [""])
    if len(prefixes) > MAX_VARIANTS or any(p == "" for p in prefixes):
        return None
    return sorted({p.lower() + (" " if complete and " " not in p else "") for p in prefixes})


def requirements(pattern: HasPattern) -> list[list[str]]:
    """For each word of the pattern after the first that has literal beginnings, those
    beginnings: the pattern can only match a draft that contains one of each."""
    words = getattr(pattern, "words", ())
    found = [word_beginnings(w, pattern.flags) for w in words[1:]]
    return [f for f in found if f is not None]


def contained_pieces(pattern: HasPattern, limit: int = MAX_PIECES) -> tuple[tuple[str, ...], ...]:
    """Lower-case pieces of text every match of the pattern contains, as groups of which
    it contains one each: its literal beginnings and those of the words it needs (a
    trailing space, which marks a whole word, left off: the word may end the text); for a
    first word without a literal beginning ("(?:\\S+\\s){0,3}(?:know|knew|aware)"), the
    literal text it must hold (``_factor``), as for any later word without one. Groups of more
    than ``limit`` pieces are left out."""
    try:
        first = beginnings(pattern)
        groups: list[Iterable[str]] = [first] if first is not None else []
        groups += requirements(pattern)
        words = getattr(pattern, "words", ())
        for number, word in enumerate(words):
            if (first is None if number == 0 else word_beginnings(word, pattern.flags) is None) and (
                factor := _word_factor(word, pattern.flags)
            ):
                groups.append({piece.lower() for piece in factor})
    except (re.error, OverflowError, AssertionError, RecursionError):
        return ()
    kept = []
    for group in groups:
        pieces = {b.rstrip(" ") for b in group}
        # a piece that holds another is found whenever it is: the shorter one suffices
        pieces = {p for p in pieces if not any(q != p and q in p for q in pieces)}
        if pieces and "" not in pieces and len(pieces) <= limit:
            kept.append(tuple(sorted(pieces)))
    return tuple(sorted(kept, key=len))  # the groups quickest to check first


def _word_factor(word: str, flags: int) -> set[str] | None:
    """``_factor`` of one word of a pattern; None for a word that does not parse on its own
    (a group split between two words): the other words still give their pieces."""
    try:
        return _factor(list(sre_parse.parse(word, flags)))
    except (re.error, OverflowError, AssertionError, RecursionError):
        return None


def _factor(ops: Any) -> set[str] | None:
    """Pieces of literal text one of which every match of the parsed regex ``ops`` holds
    (the longest run of literals a sequence must pass through, or the union of such runs
    over the branches of an alternation), or None when there is no such text."""
    best: set[str] | None = None
    run: list[set[str]] = []  # the literal characters (or small sets of them) just passed

    def close_run() -> None:
        nonlocal best
        if run:
            pieces = {""}
            for chars in run:
                pieces = {p + c for p in pieces for c in chars}
            best = _better(best, pieces)
            run.clear()

    for op, arg in ops:
        if op is sre.LITERAL:
            run.append({chr(arg)})
            continue
        if op is sre.IN and all(kind is sre.LITERAL for kind, _ in arg) and len(arg) <= 4:
            run.append({chr(v) for _, v in arg})
            continue
        close_run()
        if op is sre.SUBPATTERN:
            best = _better(best, _factor(arg[-1]))
        elif op is sre.BRANCH:
            found = [_factor(branch) for branch in arg[1]]
            if all(f for f in found):
                best = _better(best, set().union(*found))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
            best = _better(best, _factor(arg[2]))
    close_run()
    return best


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """Of two sets of pieces, the one quicker to rule out: longer pieces, fewer of them."""
    if not b or len(b) > MAX_VARIANTS:
        return a
    if not a:
        return b
    return max(a, b, key=lambda pieces: (min(map(len, pieces)) >= 3, -len(pieces), min(map(len, pieces))))


class Prefilter:
    """For a set of patterns: beginning → pattern numbers, and the patterns to scan in full."""

    # first-word beginning → pattern numbers; and, per pattern and first word, the longer
    # beginnings that reach into the next word ("the hell"), checked on the text itself
    by_prefix: dict[str, list[int]]
    by_word: dict[str, list[int]]
    longer: dict[tuple[int, str], tuple[str, ...]]
    scan_all: list[int]
    needs: list[list[list[str]]]
    # per pattern: its matches never run from one sentence into the next
    in_sentence: list[bool]
    need_lengths: list[int]
    lengths: list[int]
    # per pattern of ``scan_all`` that stays in its sentence: groups of lower-case pieces of
    # text (no white space) every match holds one of each (``contained_pieces``), so that
    # only the sentences holding them are tried
    pieces: dict[int, tuple[tuple[str, ...], ...]]
    # the same for the other patterns that stay in their sentence, every group of each: their
    # first word is common ("the", "a", "we") far more often than a sentence holds the rest
    # of a match; kept as one line of text per pattern ("number\tpiece piece\tpiece"), read
    # when first asked for (``groups``), so that a short draft's start-up does not unpickle them
    grouped: str

    def __init__(
        self, patterns: Sequence[HasPattern], name: str = "patterns", key: str | None = None
    ) -> None:
        """``key`` names what ``patterns`` are made from (a rule set's key); without one,
        the patterns themselves are the cache key."""
        for field, value in _load_cache(patterns, name, key).items():
            if field in _FIELDS:
                setattr(self, field, value)
        self._lines: dict[int, str] | None = None  # the lines of ``grouped`` by pattern number
        self._groups: dict[int, tuple[tuple[str, ...], ...]] = {}

    def groups(self, number: int) -> tuple[tuple[str, ...], ...]:
        """The groups of lower-case pieces of text of ``grouped`` of a pattern: each match
        holds a piece of every group (none: no such group). The group likely to rule out the
        most sentences comes first (``_telling``)."""
        if self._lines is None:  # each line split off its number, the rest when asked for: a
            # 100 KB draft asks for ~600 of ~1,700 patterns, and splitting all took ~4 ms
            lines = (line.split("\t", 1) for line in self.grouped.split("\n") if line)
            self._lines = {int(number): rest for number, rest in lines}
        found = self._groups.get(number)
        if found is None:
            rest = self._lines.get(number)
            found = () if rest is None else tuple(tuple(group.split(" ")) for group in rest.split("\t"))
            self._groups[number] = found
        return found

    def candidates(
        self,
        words: dict[str, list[int]],
        lowered: str | None = None,
        present: set[str] | None = None,
        ordered: list[str] | None = None,
    ) -> Candidates:
        """Pattern number → sorted positions (of words in the token string) worth trying.
        ``lowered`` is the token string in lower case, for the two-word check; ``present``,
        ``present(words)`` if the caller has it already; ``ordered``, the words sorted, if
        the caller has them. Which patterns have places is worked out here; their places
        only when asked for (``Candidates``): a process that runs a share of the rules
        sorts and checks only theirs.

        A draft of many words has each beginning looked up among its words sorted (a run of
        them, found by bisection), a short one each beginning of each of its words in the
        table (100 KB of varied English, 3,300 words and 2,000 beginnings: ~13 ms -> ~4 ms)."""
        result: dict[int, list[Places]] = defaultdict(list)
        by_word, by_prefix, longer = self.by_word, self.by_prefix, self.longer
        for word in words.keys() & by_word.keys():
            numbers = by_word[word]
            fulls_of = {n: longer[(n, word)] for n in numbers if (n, word) in longer} if lowered else {}
            following = (word, words[word], len(fulls_of) > 1)
            for number in numbers:
                fulls = fulls_of.get(number)
                result[number].append(word if fulls is None else (following, fulls))
        if len(words) * SORTED_LOOKUP > len(by_prefix):
            if ordered is None:
                ordered = sorted(words)
            left, count = bisect.bisect_left, len(ordered)
            for prefix, numbers in by_prefix.items():
                first = left(ordered, prefix)
                if first < count and ordered[first].startswith(prefix):
                    run = range(first, past_prefix(ordered, prefix, first))
                    for number in numbers:
                        result[number].append(run)
        else:
            lengths = self.lengths
            for word in words:
                for length in lengths:
                    if length > len(word):
                        break
                    for number in by_prefix.get(word[:length], ()):
                        result[number].append(word)
        if present is None:
            present = self.present(words)
        possible = self.possible
        places = {n: places for n, places in result.items() if possible(n, present)}
        return Candidates(places, words, ordered, lowered)

    def viable(self, words: Iterable[str], present: set[str] | None = None) -> set[int]:
        """The pattern numbers ``candidates`` gives positions for (a two-word beginning
        checked there may leave none), found from the words alone: no positions."""
        found: set[int] = set()
        by_word, by_prefix, lengths = self.by_word, self.by_prefix, self.lengths
        for word in words:
            found.update(by_word.get(word, ()))
            for length in lengths:
                if length > len(word):
                    break
                found.update(by_prefix.get(word[:length], ()))
        if present is None:
            present = self.present(words)
        return {n for n in found if self.possible(n, present)}

    def present(self, words: Iterable[str]) -> set[str]:
        """Every beginning length the requirements use, of every word of the draft, plus
        each whole word followed by a space."""
        present: set[str] = set()
        lengths = self.need_lengths
        for word in words:
            present.add(word + " ")
            for length in lengths:
                if length > len(word):
                    break
                present.add(word[:length])
        return present

    def possible(self, number: int, present: set[str]) -> bool:
        """Does the draft contain a beginning of every word the pattern requires?"""
        return all(not present.isdisjoint(group) for group in self.needs[number])  # the groups looked up in C

    def viable_scan_all(self, words: Iterable[str], present: set[str] | None = None) -> set[int]:
        """The patterns without a literal first word that can still match this draft."""
        if present is None:
            present = self.present(words)
        return {n for n in self.scan_all if self.possible(n, present)}


# a word (all its positions), a run of the words in sorted order (those with a beginning), or
# (a word, its positions, whether several two-word beginnings start with it) and the
# beginnings to check there (``Prefilter.longer``)
Places = str | range | tuple[tuple[str, list[int], bool], tuple[str, ...]]


class Candidates(Mapping[int, list[int]]):
    """Pattern number → the sorted positions worth trying, each worked out (merged, sorted,
    the two-word beginnings checked) when first asked for."""

    def __init__(
        self,
        places: dict[int, list[Places]],
        words: dict[str, list[int]],
        ordered: list[str] | None,
        lowered: str | None,
    ) -> None:
        """``words``: each word's positions; ``ordered``, the words sorted (the runs' words)."""
        self._places = places
        self._words = words
        self._ordered = ordered
        self._lowered = lowered
        self._done: dict[int, list[int]] = {}
        self._by_places: dict[tuple[Any, ...], list[int]] = {}  # merged places by the runs they are made of
        self._followers: dict[str, dict[str, list[int]]] = {}

    def __contains__(self, number: object) -> bool:
        return number in self._places

    def __iter__(self) -> Iterator[int]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def __getitem__(self, number: int) -> list[int]:
        found = self._done.get(number)
        if found is None:
            # patterns with the same beginnings ("you", "your", "we") have the same places:
            # merged and sorted once (1 MB of English text: 1,266 patterns' places worked
            # out, 1,074 of them different; 0.5 of the 2.7 million positions were sorted again)
            places = self._places[number]  # KeyError: none
            key = tuple(p if not isinstance(p, tuple) else (p[0][0], p[1]) for p in places)
            found = self._by_places.get(key)
            if found is None:
                found = self._by_places[key] = self._work_out(number)
            self._done[number] = found
        return found

    def get(self, number: int, default: Any = None) -> Any:
        return self[number] if number in self._places else default

    def _work_out(self, number: int) -> list[int]:
        places_of = self._places[number]
        whole: list[str] = []  # the words all of whose positions are places
        checked: list[tuple[tuple[str, list[int], bool], tuple[str, ...]]] = []
        for places in places_of:
            if isinstance(places, str):
                whole.append(places)
            elif isinstance(places, range):
                assert self._ordered is not None
                whole += self._ordered[places.start : places.stop]
            else:
                checked.append(places)
        if len(places_of) > 1:  # a word with two of the beginnings ("ver", "vers") counts once
            whole = list(set(whole))
            if checked:
                kept = set(whole)
                checked = [places for places in checked if places[0][0] not in kept]
        positions: list[int] = []
        words, lowered = self._words, self._lowered
        for word in whole:
            positions += words[word]
        for (word, at, several), fulls in checked:
            assert lowered is not None
            if several:  # several beginnings go on from this word: its places by the next token
                following = self._followers.get(word)
                if following is None:
                    following = self._followers[word] = _followers(lowered, word, at)
                positions += _starting(following, lowered, word, fulls)
            else:
                positions += [p for p in at if lowered.startswith(fulls, p)]
        # no two words share a position, and each word's are in order: sorting merges the runs
        positions.sort()
        return positions


_FIELDS = frozenset(Prefilter.__annotations__)
_STORED = _FIELDS | {"key"}


def _followers(lowered: str | None, word: str, positions: list[int]) -> dict[str, list[int]]:
    """The positions of ``word`` by the token that follows it in its sentence (a token that
    ends its sentence keeps its newline), for words that begin several two-word beginnings."""
    assert lowered is not None
    following: dict[str, list[int]] = defaultdict(list)
    find, after = lowered.find, len(word) + 1
    for position in positions:
        start = position + after
        if lowered[start - 1] == " ":  # not the last word of its sentence
            end = find(" ", start)
            following[lowered[start:end] if end >= 0 else lowered[start:]].append(position)
    return following


def _starting(following: dict[str, list[int]], lowered: str, word: str, fulls: tuple[str, ...]) -> list[int]:
    """The positions (from _followers) where the text starts with one of ``fulls``: the next
    token is the first word of the rest of a beginning that goes on, or starts with a rest
    that ends within it."""
    found: list[int] = []
    for full in fulls:
        rest = full[len(word) + 1 :]
        head, space, _ = rest.partition(" ")
        if space:
            found += [p for p in following.get(head, ()) if lowered.startswith(full, p)]
        else:
            found += [p for token, places in following.items() if token.startswith(rest) for p in places]
    return sorted(set(found))


def _built(analysis: list[Analysis]) -> dict[str, Any]:
    """The prefilter's tables from the analysis of its patterns."""
    by_prefix: dict[str, list[int]] = defaultdict(list)
    by_word: dict[str, list[int]] = defaultdict(list)
    longer: dict[tuple[int, str], tuple[str, ...]] = {}
    scan_all: list[int] = []
    needs = [need for _, need, _ in analysis]
    for number, (found, _, _) in enumerate(analysis):
        if found is None:
            scan_all.append(number)
            continue
        by_key: dict[tuple[str, bool], set[str]] = defaultdict(set)
        for prefix in found:
            first, space, _ = prefix.partition(" ")
            by_key[(first, bool(space))].add(prefix)
        for (key, whole), fulls in by_key.items():
            (by_word if whole else by_prefix)[key].append(number)
            more = tuple(sorted(f for f in fulls if len(f) > len(key) + 1))
            if whole and more and len(more) == len(fulls):
                longer[(number, key)] = more
    return {
        "by_prefix": dict(by_prefix),
        "by_word": dict(by_word),
        "longer": longer,
        "scan_all": scan_all,
        "needs": needs,
        "in_sentence": [local for _, _, local in analysis],
        "need_lengths": sorted({len(b.rstrip(" ")) for need in needs for group in need for b in group}),
        "lengths": sorted({len(p) for p in by_prefix}),
    }


Analysis = tuple[set[str] | None, list[list[str]], bool]


def _unspaced(groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """The groups whose pieces hold no white space: each such piece of a match lies within
    the tokens of its sentence, so a sentence's own token string is enough to look in."""
    return tuple(group for group in groups if not any(any(c.isspace() for c in piece) for piece in group))


def _telling(groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """A pattern's groups of pieces, those likely to rule out the most sentences first: pieces
    of three letters or more (shorter ones, "a" or "we", are in nearly every sentence), the
    fewest of them, the longest."""
    return tuple(
        sorted(groups, key=lambda group: (min(map(len, group)) < 3, len(group), -min(map(len, group))))
    )


def _load_cache(patterns: Sequence[HasPattern], name: str, key: str | None) -> dict[str, Any]:
    """The prefilter's tables, from the beginnings, word requirements and
    sentence-boundness of every pattern. Parsing hundreds of regexes costs a cold start
    ~0.2 s, and making the tables ~5 ms, so they are kept in the user's cache folder,
    keyed by what the patterns are made from (or the patterns themselves), and the file
    holds its key; a new file replaces the older ones of the same ``name`` (a language)."""
    from .rules import cache_digest, cache_folder, load_cache, remove_older, save_cache

    if key is None:  # int(): formatting a RegexFlag is slow (~4 µs each)
        key = "patterns\0" + "\0".join(f"{int(p.flags)}:{p.pattern}" for p in patterns)
    key = f"prefilter 12\0{len(patterns)}\0{key}"
    path = cache_folder() / f"lint-prefilter-{name}-{cache_digest(key)}.pickle"
    stored = load_cache(path)
    if isinstance(stored, dict) and set(stored) == _STORED and stored["key"] == key:
        return stored
    tables = _built([(beginnings(p), requirements(p), stays_in_sentence(p)) for p in patterns])
    tables["pieces"] = {
        number: groups
        for number in tables["scan_all"]
        if tables["in_sentence"][number]
        and (groups := _unspaced(contained_pieces(patterns[number], MAX_SCAN_PIECES)))
    }
    scanned = set(tables["scan_all"])
    tables["grouped"] = "\n".join(
        "\t".join([str(number), *map(" ".join, groups)])
        for number, pattern in enumerate(patterns)
        if number not in scanned
        and tables["in_sentence"][number]
        and (groups := _telling(_unspaced(contained_pieces(pattern, MAX_GROUP_PIECES))))
    )
    tables["key"] = key
    if not save_cache(tables, path):
        return tables
    mine = re.escape(name)
    remove_older(path, rf"lint-(?:prefilter-{mine}-{{hex}}\.pickle|beginnings(?:-{mine})?-{{hex}}\.json)")
    return tables
