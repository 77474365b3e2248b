"""The lint engine: run the compiled rules of one language over a Draft.

All sentences of a draft are joined into one token string (tokens separated by a
space, sentences by a newline), and each rule's regex runs over it, tried only where
its first word occurs in a sentence that has the other words it needs (prefilter.py);
a match is mapped back to its sentence, its tokens and its source offsets. The
kinds are implemented here, once; the rules are data (see rules.py).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache, cached_property
from itertools import accumulate, repeat
from types import EllipsisType

from .body import body_bounds, is_prose
from .emphasis import is_name
from .findings import Finding
from .letterhead import separated_letterhead
from .model import Judgement, ToneModel
from .prefilter import Candidates, Prefilter
from .regexes import regex
from .rules import (
    LazyPattern,
    Rule,
    language_data,
    language_regex,
    load_rules,
    negative_cues,
    rule_set_key,
    words_regex,
)
from .sentencesets import Group, SentenceSets, WordPieces, members
from .spelling import SPELLED_OUT
from .text import TOKEN, Draft, Paragraph, Sentence

# The prefilter only skips positions where a pattern cannot match; tests switch it off
# to check that the findings are the same either way.
USE_PREFILTER = True
# Quotations: „…“ “…” "…" »…« «…» (a „ or “ closed by a straight " as a keyboard types it:
# „…"), and single quotes ‚…‘ ‘…’ '…', where an apostrophe
# inside a word (don’t, geht’s) is no closing mark, and a straight ' after an s followed
# by a space is taken for a plural possessive ("the clients' files"), not for a closing one.
_QUOTES = regex(
    r"„[^“”\"\n]*[“”\"]|“[^”\"\n]*[”\"]|\"[^\"\n]*\"|»[^«\n]*«|«[^»\n]*»"
    r"|‚(?:[^‘’\n]|’(?=\w))*[‘’](?!\w)|‘(?:[^‘’\n]|’(?=\w))*’(?!\w)"
    # the mark first, then what stands before it: a pattern that opens with a character
    # lets the regex engine jump from mark to mark (a look-behind first: ~12x slower)
    r"|'(?<![\w'’]')(?=[^\W\d_])(?:[^'\n]|(?<=\w)'(?=\w))*(?<=[\w.!?,])(?<![sS])'(?!\w)"
)
# A quotation the writer applies to the reader is the writer's own words: the predicate of a
# clause about the reader ('Your team was "impossible to please"', 'Sie waren „völlig
# unzuverlässig“'). What the reader wrote, quoted after "you wrote", stays a quotation.
_SAID_OF_READER = regex(
    r"(?:\b(?i:you)(?:['’]re|\s+(?:are|were|have\s+been|seem(?:ed)?|appear(?:ed)?|came\s+across\s+as|remain(?:ed)?))"
    r"|\b(?i:your)(?:\s+[\w'’-]+){1,2}\s+(?:is|was|are|were|has\s+been|have\s+been|seem(?:s|ed)?|appear(?:s|ed)?"
    r"|came\s+across\s+as|remain(?:s|ed)?)"
    r"|\b(?:Sie|[Dd]u|[Ii]hr)\s+(?:sind|waren|seid|wart|bist|warst|wirken|wirkten|wirkst|wirktest)"
    r"|\b(?:Ihr|Dein|Euer|dein|euer)\w*(?:\s+\w+){1,2}\s+(?:ist|war|sind|waren|wirkt|wirkte|wirken|wirkten))"
    r"(?:\s+(?:\w+ly|so|very|really|simply|just|always|often|quite|einfach|wirklich|immer|schlicht|stets|oft|sehr|ganz"
    r"|total|absolut|leider|ehrlich\s+gesagt))?\s*$"
)
# Words the reader said or wrote, quoted back: a quotation of any length after the reader
# as the one who said it ("You wrote that our crew was "useless"", "In your email you called
# our invoice "a rip-off"", „Sie schrieben, unser Team sei „völlig inkompetent“ gewesen“),
# within the sentence (no end mark between): the words are the reader's, not the writer's.
_READER_SAID = regex(
    r"(?:\b(?i:you)|\b(?:Sie|[Dd]u|[Ii]hr))\s+(?:[\w'’-]+\s+){0,3}"
    r"(?:wrote|said|called|described|told\s+us|mentioned|complained|claimed|stated|put\s+it|referred\s+to|labelled|labeled"
    r"|schrieben|schriebst|schriebt|sagten|sagtest|sagtet|nannten|nanntest|bezeichneten|bezeichnetest|meinten|meintest"
    r"|sprachen|sprachst|fanden|fandest|haben\s+(?:\w+\s+){0,3}(?:geschrieben|gesagt|genannt|bezeichnet)"
    r"|hast\s+(?:\w+\s+){0,3}(?:geschrieben|gesagt|genannt|bezeichnet))\b[^.!?\n]*$"
    r"|\b(?:schrieben|sagten|nannten|bezeichneten|meinten|fanden)\s+(?:Sie|[Dd]u|[Ii]hr)\b[^.!?\n]*$"
)
# German perfect, the participle after the quotation: "hast du unsere Arbeit „X“ genannt"
_READER_PERFECT = regex(r"\b(?:hast\s+du|haben\s+Sie|habt\s+ihr|du\s+hast|Sie\s+haben|ihr\s+habt)\b[^.!?\n]*$")
_SAID_AFTER = regex(r"[ \t]*(?:\w+[ \t]+){0,2}(?:genannt|bezeichnet|geschrieben|gesagt|betitelt|beschrieben)\b")


def _reader_said(visible: str, start: int, end: int) -> bool:
    """Does the quotation from ``start`` to ``end`` give words the reader said or wrote?"""
    before = max(0, start - 120)
    if _READER_SAID.search(visible, before, start):
        return True
    return bool(_SAID_AFTER.match(visible, end)) and bool(_READER_PERFECT.search(visible, before, start))


_CLAUSE_PUNCT = regex(r"[,;:()–—]|\s--?\s")  # " - " and " -- " as typed for a dash
# A full scan costs ~20 ns per character (every position is tried), a try from Python
# ~0.5 µs: a pattern is scanned in full only when its first word starts more than one
# position in SCAN_DENSITY characters.
SCAN_DENSITY = 25
# Looking for a pattern's pieces in the draft's words costs about as much as ~40 tries:
# done only for a pattern with at least this many places to try.
CONTAINS_MIN = 64
# Such a pattern is tried only in the sentences with a word of each of its groups; a group
# whose words occur more than this many times as often as the pattern has places to try
# costs more to look up than it saves.
GROUP_REACH = 2
# Past this many characters into a sentence, a token is found by the positions of the
# sentence's spaces (worked out once) rather than by counting them from its start.
LONG_SPAN = 2_000
_SPACE = regex(" ")
# A draft whose distinct sentences (by text and by what the rules read around them) number at
# most this share of its sentences has its word-pattern rules run over one copy of each
# (``Matcher._distinct``); a draft of fewer sentences than DISTINCT_MIN is not counted. With
# 12 % copies (100 KB of varied English) matching fewer sentences saved about what grouping
# them cost, and grouping comes before a long draft is shared out between two processes.
DISTINCT_SHARE = 0.8
DISTINCT_MIN = 40
# The kinds whose findings in a sentence depend on its text, its prose flag and the
# quotations in it alone (``_matches`` and the sentence's own clauses)
_DISTINCT_KINDS = frozenset({"phrase", "reader_subject"})


class Index:
    """The token string of a draft (or of some of its paragraphs) and the way back from
    it to sentences and tokens.

    Within a sentence, tokens are separated by single spaces and contain none, so the
    token a position of ``joined`` falls in is the number of spaces before it in its
    sentence: nothing is kept per token but the positions of each distinct word. The
    token string, the word positions and the quotations are worked out when first asked
    for (the structure checks of a long draft read only its sentences)."""

    def __init__(self, draft: Draft, sentences: list[Sentence], span: tuple[int, int] | None = None) -> None:
        self.draft = draft
        self.sentences = sentences
        self.span = span if span is not None else (0, len(draft.visible))  # the part of draft.visible
        self._spaces: dict[int, list[int]] = {}  # of a long sentence: where its spaces are in joined

    @classmethod
    def build(cls, draft: Draft, paragraphs: Sequence[Paragraph] | None = None, first: int = 0) -> Index:
        """The index of the whole draft, or of ``paragraphs`` (the first of them paragraph
        number ``first``)."""
        if paragraphs is None:
            return cls(draft, draft.sentences())
        span = (paragraphs[0][0], paragraphs[-1][1]) if paragraphs else (0, 0)
        return cls(draft, draft.sentences(paragraphs, first), span)

    @cached_property
    def joined(self) -> str:
        strings = [" ".join(sentence.words) for sentence in self.sentences]
        # each sentence is followed by a newline and a space
        return ("\n ".join(strings) + "\n" if strings else "").replace("’", "'")

    @cached_property
    def offsets(self) -> list[int]:
        """Where each sentence starts in ``joined``."""
        lengths = [sum(map(len, sentence.words)) + len(sentence.words) - 1 for sentence in self.sentences]
        offsets = [length + 2 * i for i, length in enumerate(accumulate(lengths, initial=0))]
        offsets.pop()
        return offsets

    @cached_property
    def words(self) -> dict[str, list[int]]:
        """Lower-case word -> its positions in ``joined``."""
        return _word_positions(self.joined)

    @cached_property
    def quoted(self) -> list[tuple[int, int]]:
        """The quotations of three words or more in the index's part of the draft (none
        spans two paragraphs), but not those the writer applies to the reader."""
        visible = self.draft.visible
        return [
            m.span()
            for m in _QUOTES.finditer(visible, *self.span)
            if (len(m.group().split()) >= 3 or _reader_said(visible, m.start(), m.end()))
            and not _SAID_OF_READER.search(visible, max(0, m.start() - 80), m.start())
        ]

    @cached_property
    def sentence_starts(self) -> list[int]:
        """Start offsets of the sentences in the draft."""
        return [s.start for s in self.sentences]

    def local(self, s_index: int) -> str:
        """A sentence's own token string (its part of ``joined``)."""
        after = self.offsets[s_index + 1] if s_index + 1 < len(self.offsets) else len(self.joined) + 1
        return self.joined[self.offsets[s_index] : after - 2]

    def token_at(self, position: int) -> tuple[int, int]:
        """The sentence and the token within it of a position in ``joined``."""
        s_index = bisect.bisect_right(self.offsets, position) - 1
        start = self.offsets[s_index]
        if position - start < LONG_SPAN:
            return s_index, self.joined.count(" ", start, position)
        # far into a run-on "sentence" (a pasted log): counting from its start at every match
        # would cost as much as the sentence is long, each time
        spaces = self._spaces.get(s_index)
        if spaces is None:
            end = self.offsets[s_index + 1] if s_index + 1 < len(self.offsets) else len(self.joined)
            spaces = self._spaces[s_index] = [m.start() for m in _SPACE.finditer(self.joined, start, end)]
        return s_index, bisect.bisect_left(spaces, position)

    def locate(self, start: int, end: int) -> tuple[int, int, int]:
        """The sentence and the first and last token index of a match in ``joined`` (the
        last counted in its own sentence, should a match run past its first)."""
        s_index, first = self.token_at(start)
        stop = max(start, end - 1)
        if s_index + 1 < len(self.offsets) and stop >= self.offsets[s_index + 1]:
            return s_index, first, self.token_at(stop)[1]
        return s_index, first, first + self.joined.count(" ", start, stop)

    def in_quote(self, start: int) -> bool:
        """Inside a quotation of three words or more (spans are sorted and do not overlap)."""
        at = bisect.bisect_right(self.quoted, (start, len(self.joined) + 1)) - 1
        return at >= 0 and self.quoted[at][0] < start < self.quoted[at][1]

    def quote_within(self, start: int, end: int) -> bool:
        """Does a quotation (of three words or more) overlap ``start``..``end``?"""
        at = bisect.bisect_left(self.quoted, (end,)) - 1  # the last one opened before the end
        return at >= 0 and self.quoted[at][1] > start

    def token_in_quote(self, sentence: Sentence, token: int) -> bool:
        """Is a token of the sentence inside a quotation? (Its offset is worked out only
        when a quotation reaches into the sentence.)"""
        at = bisect.bisect_left(self.quoted, (sentence.end,)) - 1  # the last one opened before its end
        if at < 0 or self.quoted[at][1] <= sentence.start:
            return False
        return self.in_quote(sentence.starts[token])


def _word_positions(joined: str) -> dict[str, list[int]]:
    """Each distinct lower-case word of a token string → where it starts, in order."""
    lowered = joined.lower()
    if len(lowered) != len(joined):  # a few characters grow in lower case ("İ"): token by token
        return _word_positions_slowly(joined)
    found: defaultdict[str, list[int]] = defaultdict(list)  # no empty list made per token
    pos = 0
    for piece in lowered.split(" "):
        found[piece].append(pos)
        pos += len(piece) + 1
    words = dict(found)
    _merge_last_words(words)
    return words


def _word_positions_slowly(joined: str) -> dict[str, list[int]]:
    words: dict[str, list[int]] = {}
    pos = 0
    for piece in joined.split(" "):
        words.setdefault(piece.lower(), []).append(pos)
        pos += len(piece) + 1
    _merge_last_words(words)
    return words


def _merge_last_words(words: dict[str, list[int]]) -> None:
    """A sentence's last word is followed by a newline: file it under the word itself."""
    for last in [w for w in words if w.endswith("\n")]:
        merged = words.setdefault(last[:-1], [])
        merged += words.pop(last)
        merged.sort()


@cache
def _all_patterns(lang: str) -> tuple[LazyPattern, ...]:
    return tuple(p for rule in load_rules(lang) for p in rule.patterns)


@cache
def prefilter_for(lang: str) -> Prefilter:
    """The prefilter over every pattern of a language's rules (built once per process)."""
    return Prefilter(_all_patterns(lang), lang, rule_set_key(lang))


@cache
def pattern_owners(lang: str) -> list[int]:
    """For each pattern number, the id of the rule it belongs to."""
    return [id(rule) for rule in load_rules(lang) for _ in rule.patterns]


@cache
def scan_all_for(lang: str) -> frozenset[int]:
    """Pattern numbers without a literal beginning: always scanned."""
    return frozenset(prefilter_for(lang).scan_all)


@cache
def pattern_numbers(lang: str) -> dict[int, int]:
    return {id(p): n for n, p in enumerate(_all_patterns(lang))}


@cache
def word_sets(lang: str) -> dict[str, frozenset[str]]:
    """The language's word lists as sets, for the clause and subject tests (made once); a
    German word with an umlaut or ß is also there as typed without ("während": "waehrend")."""
    lists = {key: value for key, value in language_data(lang).items() if isinstance(value, list)}
    if lang == "de":
        return {key: frozenset([*value, *(str(w).translate(SPELLED_OUT) for w in value)]) for key, value in lists.items()}
    return {key: frozenset(value) for key, value in lists.items()}


def _after_punctuation(sentence: Sentence) -> set[int]:
    """Indices of the tokens with clause punctuation (a comma, a dash) between them and
    the token before."""
    found = set()
    starts, words = sentence.starts, sentence.words
    for match in _CLAUSE_PUNCT.finditer(sentence.text):
        at = sentence.start + match.start()
        i = bisect.bisect_right(starts, at)  # the first token after it
        if 0 < i < len(words) and starts[i - 1] + len(words[i - 1]) <= at:
            found.add(i)
    return found


def _lacks(text: str, needs: tuple[tuple[str, ...], ...]) -> bool:
    """Does ``text`` lack every piece of one of the groups?"""
    for group in needs:
        for piece in group:
            if piece in text:
                break
        else:
            return True
    return False


@cache
def _case_twins() -> re.Pattern[str] | None:
    """Any one of the letters a case-blind regex matches to a letter of another lower case
    ("ı" and "i", "ſ" and "s", "µ" and "μ"), from the regex compiler's own table; None
    where this Python keeps it elsewhere."""
    from importlib import import_module

    try:
        try:
            extra = import_module("re._casefix")._EXTRA_CASES  # Python 3.11 and later
        except ImportError:  # Python 3.10
            extra = import_module("sre_compile")._ignorecase_fixes
        letters = sorted({chr(c) for key, others in extra.items() for c in (key, *others) if c > 127})
        return regex("[" + "".join(letters) + "]")  # a set: str.find-like speed in C
    except Exception:  # any surprise: scan such patterns in full
        return None


@cache
def _unspaced(group: tuple[str, ...]) -> bool:
    """Does no piece of the group hold white space? (Asked of the same groups for every
    sentence set a rule's ``unless`` patterns make: worked out once.)"""
    return not any(c.isspace() for piece in group for c in piece)


def _places(text: str, chars: str) -> list[int]:
    """Where any of ``chars`` is in ``text``, in order: str.find jumps from one to the next
    (a regex character set is tested at every position)."""
    found: list[int] = []
    find = text.find
    for char in chars:
        at = find(char)
        while at >= 0:
            found.append(at)
            at = find(char, at + 1)
    found.sort()
    return found


@cache
def _person_words(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """The pronouns that make a short line speak to or for someone: (as written, any case)."""
    w = language_data(lang)
    exact = frozenset([*w.get("reader_subject_exact", []), *w.get("reader_possessive_exact", [])])
    any_case = [*w.get("reader_subject", []), *w.get("reader_possessive", []), *w.get("writer_subject", [])]
    return exact, frozenset(str(word).lower() for word in any_case)


CLAUSE_REACH = 40  # tokens a clause reaches to either side of a match, at most
MODEL_MIN_WORDS = 5  # shorter sentences ("Ein ganz normaler Satz.") give the tone model too little to judge


def _apart(findings: Iterable[Finding], text: str) -> list[Finding]:
    """One rule's findings without those that overlap an earlier one of the same rule
    (two patterns of a rule on "tut uns unendlich leid" and "unendlich leid" are one
    problem): the earliest, and of those the longest, is kept. A finding dropped so still
    reaches as far as it did: "so terribly sorry for the trouble and we apologise again" is
    one problem, though its last words ("apologise again") overlap only the dropped match
    between ("sorry ... apologise"), not the one kept ("terribly sorry"). Two that only
    white space parts, in one sentence ("Offenbar ist Ihnen" and "entgangen"), are one
    finding over both; "you never call, and you never write" stays two."""
    kept: list[Finding] = []
    reach = -1  # the end of the findings so far, the dropped ones too
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if kept and finding.start < reach:
            reach = max(reach, finding.end)
            continue
        reach = finding.end
        last = kept[-1] if kept else None
        if (
            last is not None
            and last.sentence == finding.sentence
            and last.paragraph == finding.paragraph  # the same text in two paragraphs is two findings
            and _only_space(text, last.end, finding.start)
        ):
            kept[-1] = replace(  # ends where the second ends, in the draft and in the source
                last,
                end=finding.end,
                text=text[last.start : finding.end],
                end_line=finding.end_line,
                end_column=finding.end_column,
            )
            continue
        kept.append(finding)
    return kept


def _only_space(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` white space within one paragraph (no blank line)?"""
    if not 0 <= end - start < 40:
        return False
    gap = text[start:end]
    return not gap.strip() and gap.count("\n") < 2  # a blank line ("\n \n" too) parts paragraphs


def judged(words: list[str], lang: str) -> bool:
    """Whether the tone model reads a sentence: five words or more. It used to read only
    sentences that address the reader (Sie, du; you, your), to keep it off plain news; but
    irony and blame often name the reader's side in the third person or not at all ("We
    were delighted to discover, on the morning of the wedding, that the van had gone to the
    wrong county"), and that gate left them to the rules. Without it, and the model's
    threshold set again with every sentence judged (scripts/train_tone_model.py), the blind
    sets kept outside the repository lost 11 of their 62 misses and gained no false alarm
    (session 22). Plain news stays quiet because the model has learnt it: letterkit's own
    letters are among its fine sentences."""
    return len(words) >= MODEL_MIN_WORDS


def _holds_any(words: list[str], exact: frozenset[str], any_case: frozenset[str]) -> bool:
    """Is one of ``words`` in ``exact``, or in ``any_case`` in lower case? (Set tests in C:
    this is asked of every sentence of a draft.)"""
    return not exact.isdisjoint(words) or not any_case.isdisjoint(map(str.lower, words))


@cache
def _pressure_words(lang: str, words: tuple[str, ...]) -> re.Pattern[str] | None:
    """An emphasis rule's ``pressure_words`` as one regex of whole words, a space standing
    for any white space ("no later than" over a line break); None for none."""
    if not words:
        return None
    alternatives = "|".join(re.escape(word.strip()).replace("\\ ", "\\s+") for word in words)
    # a letter or digit may not touch the word; "_" may ("__umgehend__" in plain text)
    return language_regex(lang, rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


@cache
def _date_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A date on its own, with the words that may lead it ("zum", "on", a weekday), and any
    word that asks something of the reader (``duty_words``), for ``Matcher._plain_date``."""
    w = language_data(lang)
    months = "|".join(w.get("months", []))
    leads = "|".join(re.escape(str(word)).replace("\\ ", "\\s+") for word in w.get("date_lead_words", []))
    day = r"\d{1,2}(?:st|nd|rd|th|\.)?"
    # a time of day after the date ("January 31, 2027, 6 pm", „31. Januar 2027, 18 Uhr“)
    clock = r"(?:,?\s+(?:at\s+|um\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|Uhr|h)?)?"
    # an amount is information too ("Die Schlussrechnung über **1.428,00 EUR** erhalten Sie gesondert")
    money = r"(?:€|EUR|CHF|Fr\.|£|GBP|\$|USD)"
    amount = rf"{money}\s?\d[\d.,’' ]*\d(?:,-|\.-|,–)?|\d[\d.,’' ]*(?:\d|,-|\.–)\s?{money}"
    date = (
        rf"(?:(?:{leads}),?\s+)*(?:(?:{day}\s*(?:of\s+)?(?:{months})\.?(?:,?\s+\d{{4}})?"
        rf"|(?:{months})\.?\s+{day}(?:,?\s+\d{{4}})?|(?:{months})\s+\d{{4}}"
        rf"|\d{{1,2}}\.\d{{1,2}}\.(?:\d{{2,4}})?|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}){clock}|{amount})"
    )
    duties = "|".join(re.escape(str(word)).replace("\\ ", "\\s+") for word in w.get("duty_words", []))
    return (
        language_regex(lang, date, re.IGNORECASE),
        language_regex(lang, rf"(?<!\w)(?:{duties})(?!\w)", re.IGNORECASE),
    )


def _going_on_until(lang: str, before: str, sentence: str) -> bool:
    """Is a date after "until"/"bis" the day something goes on to ("Your key fob will keep
    working until **January 31**"), not a deadline for the reader? (The words the end-date
    check reads: ``end_date_until``, ``end_date_going_on``.)"""
    return words_regex(lang, "end_date_until").fullmatch(before) is not None and (
        words_regex(lang, "end_date_going_on").search(sentence) is not None
    )


def _prefix_run(words: list[str], first: int, beginning: str) -> int:
    """How many of the sorted ``words`` from ``first`` on start with ``beginning`` (the
    run's end found by bisection: the first word past every word so beginning)."""
    if not beginning or ord(beginning[-1]) >= 0x10FFFF:
        end = first
        while end < len(words) and words[end].startswith(beginning):
            end += 1
        return end - first
    return bisect.bisect_left(words, beginning[:-1] + chr(ord(beginning[-1]) + 1), first) - first


class Matcher:
    """Runs rules of one language over one draft's index (of all of it, or of some of its
    paragraphs: see parallel.py)."""

    def __init__(
        self, draft: Draft, index: Index, lang: str, body: tuple[int, int] | EllipsisType | None = ...
    ) -> None:
        """``body`` is the draft's ``body.body_bounds`` (found here when not given)."""
        self.draft = draft
        self.index = index
        self.lang = lang
        self.body = body_bounds(draft, list(draft.paragraphs()), lang) if body is ... else body
        self.words = language_data(lang)
        self.sets = word_sets(lang)
        self._punctuation: dict[int, set[int]] = {}
        self._locals: dict[int, tuple[str, str]] = {}
        self._positions: Candidates | None = None
        self._viable_numbers: set[int] | None = None
        self._present: set[str] | None = None  # the beginnings of the draft's words (prefilter.present)
        self._prose: list[bool] | None = None
        self._covered: dict[tuple[int, int], bytearray] = {}
        self._by_words: dict[tuple[int, str], bytearray] = {}  # _cover by rule and token string
        self._breaks: dict[int, list[int]] = {}
        self._sentence_words: dict[int, set[str]] = {}
        self._plain_sentences: dict[int, str] = {}
        self._group_words: dict[tuple[str, ...], list[str]] = {}
        self._counts: dict[tuple[bool, tuple[str, ...]], int] = {}
        self._beginning_counts: dict[str, int] = {}
        self._spans: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        self._totals: list[int] | None = None
        self._sentences_of: dict[tuple[bool, tuple[str, ...]], list[int]] = {}
        self._holding_words: dict[tuple[str, ...], list[str]] = {}
        self._word_pieces: WordPieces | None = None  # the distinct words, for _words_holding_any
        self._piece_words: dict[str, list[int]] = {}
        self._sentences_with: dict[str, list[int]] = {}
        self._sorted_words: list[str] | None = None
        self._names: dict[int, list[tuple[int, int]]] | None = None
        self._name_spans: list[tuple[int, int]] | None = None
        self._judged: dict[tuple[str, int], Judgement | None] = {}
        self._sets: SentenceSets | None = None
        self._lower: str | None = None
        self._twins: bool | None = None
        self._by_text: dict[str, Judgement] = {}
        self._distinct_matcher: Matcher | None = None
        self._copies: dict[int, list[Sentence]] = {}  # a sentence's start -> it and its copies

    def run(self, rules: Iterable[Rule]) -> Iterator[Finding]:
        chosen, judges = self.plan(rules)
        found: list[int] = []  # where the rules' findings start
        for rule in chosen:
            for finding in self.findings_of(rule):
                found.append(finding.start)
                yield finding
        yield from self.judge(judges, found)

    def plan(self, rules: Iterable[Rule]) -> tuple[list[Rule], list[Rule]]:
        """The rules that can match this draft, in order, and the model rules (run after
        them: they read the sentences the rules left alone)."""
        # the words of the distinct sentences are the draft's words: the same rules can match
        active = self._distinct()._active_rules() if USE_PREFILTER else None
        judges: list[Rule] = []
        chosen: list[Rule] = []
        for rule in rules:
            if rule.kind == "model":
                judges.append(rule)
            elif active is not None and rule.patterns and id(rule) not in active:
                continue  # none of its patterns can match this draft
            elif hasattr(self, f"_{rule.kind}"):
                chosen.append(rule)
        return chosen, judges

    def judge(self, judges: Iterable[Rule], found: list[int], among: range | None = None) -> Iterator[Finding]:
        """The model rules' findings in the sentences (``among`` them: all by default) that
        hold none of ``found`` (where the rules' findings start)."""
        for rule in judges:
            yield from self._model(rule, found, among)

    def findings_of(self, rule: Rule) -> list[Finding]:
        """One rule's findings over the draft (with ``once_per_sentence``, the first of each
        sentence: "Leider … zu unserem Bedauern" is one gloomy sentence, one note)."""
        matcher = self._distinct() if rule.kind in _DISTINCT_KINDS and self._stays_in_sentences(rule) else self
        found = _apart(getattr(matcher, f"_{rule.kind}")(rule), self.draft.text)
        if rule.options.get("once_per_sentence") and len(found) > 1:
            starts = self.index.sentence_starts
            seen: set[int] = set()
            kept = []
            for finding in found:
                at = bisect.bisect_right(starts, finding.start) - 1
                if at not in seen:
                    seen.add(at)
                    kept.append(finding)
            found = kept
        return found

    def _distinct(self) -> Matcher:
        """A matcher over one copy of each distinct sentence, for the rules whose findings in
        a sentence depend on it alone (``_DISTINCT_KINDS``, no pattern that can run into the
        next sentence): a sentence that comes again (a folder of letters from one template,
        a signature, a repeated paragraph) is matched once, its findings given to each copy.
        Sentences are the same when their text and their prose flag are; one a quotation
        reaches into is its own. This matcher itself when there are too few copies to pay
        (or too few sentences)."""
        if self._distinct_matcher is None:
            self._distinct_matcher = self._distinct_or_self()
        return self._distinct_matcher

    def _distinct_or_self(self) -> Matcher:
        sentences = self.index.sentences
        if len(sentences) < DISTINCT_MIN:
            return self
        groups: dict[object, list[Sentence]] = {}
        prose = [self.prose(i) for i in range(len(sentences))]
        quotes = self.index.quoted
        for i, sentence in enumerate(sentences):
            alone = quotes and self.index.quote_within(sentence.start, sentence.end)
            key = sentence.start if alone else (sentence.text, prose[i])
            group = groups.get(key)
            if group is None:
                groups[key] = [sentence]
                continue
            group.append(sentence)
        if len(groups) > DISTINCT_SHARE * len(sentences):
            return self
        # the first of each, in the draft's order (a dict keeps the order keys were added)
        firsts = [group[0] for group in groups.values()]
        index = Index(self.draft, firsts, self.index.span)
        index.__dict__["quoted"] = quotes  # the same quotations (a cached_property)
        matcher = Matcher(self.draft, index, self.lang, self.body)
        numbers = {id(sentence): i for i, sentence in enumerate(sentences)}
        matcher._prose = [prose[numbers[id(first)]] for first in firsts]
        matcher._copies = {group[0].start: group for group in groups.values() if len(group) > 1}
        return matcher

    def _stays_in_sentences(self, rule: Rule) -> bool:
        """Does no match of the rule's patterns run into the next sentence (whose text would
        then decide it)? A pattern the prefilter does not know is taken to."""
        numbers, in_sentence = pattern_numbers(self.lang), prefilter_for(self.lang).in_sentence
        return all((n := numbers.get(id(p))) is not None and in_sentence[n] for p in rule.patterns)

    def _occurrences(self, sentence: Sentence) -> list[Sentence]:
        """The sentence and its copies in the draft (``_distinct``)."""
        return self._copies.get(sentence.start) or [sentence]

    def _model(self, rule: Rule, found: list[int], among: range | None = None) -> Iterator[Finding]:
        """The tone model's judgement of each running sentence no rule has flagged: a
        finding for the whole sentence, in the category the model reads in it."""
        from .model import tone_model

        model = tone_model(self.lang)
        if model is None:
            return
        flagged = self.sentences_at(found)
        messages = rule.options.get("messages") or {}
        suggestions = rule.options.get("suggestions") or {}
        sentences = self.index.sentences
        for s_index in range(len(sentences)) if among is None else among:
            if s_index in flagged:
                continue
            sentence = sentences[s_index]
            judgement = self._judgement(rule, model, s_index)
            if judgement is None or judgement.flag < model.threshold:
                continue
            end = sentence.start + len(sentence.text.rstrip())
            yield replace(
                self.finding(rule, sentence, sentence.start, end),
                category=judgement.category,
                message=messages.get(judgement.category, rule.message),
                suggestion=suggestions.get(judgement.category, rule.suggest),
            )

    def _judgement(self, rule: Rule, model: ToneModel, s_index: int) -> Judgement | None:
        """The model's reading of one sentence (None: not one it judges), worked out once."""
        key = (rule.id, s_index)
        if key in self._judged:
            return self._judged[key]
        sentence = self.index.sentences[s_index]
        judgement = None
        if (
            judged(sentence.words, self.lang)
            and self.prose(s_index)
            and not self.index.quote_within(sentence.start, sentence.end)  # someone else's words
            and (text := self._model_text(rule, s_index)) is not None
        ):
            judgement = self._by_text.get(text)
            if judgement is None:  # a sentence that comes again (a signature, a quoted line) is read once
                judgement = self._by_text[text] = model.judge(text)
        self._judged[key] = judgement
        return judgement

    def sentences_at(self, starts: Iterable[int]) -> set[int]:
        """The numbers of the sentences these offsets fall in."""
        sentence_starts = self.index.sentence_starts
        return {bisect.bisect_right(sentence_starts, start) - 1 for start in starts}

    def _model_text(self, rule: Rule, s_index: int) -> str | None:
        """What the tone model reads of a sentence: all of it, or without the words one of the
        model rule's ``unless`` patterns covers (a plain reference such as "aus unserem
        Gespräch" explains them); None when nothing but pronouns is left ("You" of "You will
        surely already know this from our conversation": the subject of the covered words).
        Whether the sentence is judged at all was decided on all of it: the words left may
        be few ("Wie Sie sicher schon aus unserem Telefonat wissen, lag es an Ihnen") and
        still say something."""
        sentence = self.index.sentences[s_index]
        if not rule.unless:
            return sentence.text
        covered = self._cover(rule, s_index)
        if not any(covered):
            return sentence.text
        kept = [word for i, word in enumerate(sentence.words) if i >= len(covered) or not covered[i]]
        exact, any_case = _person_words(self.lang)
        if all(word in exact or word.lower() in any_case for word in kept):
            return None
        return " ".join(kept)

    def _active_rules(self) -> set[int]:
        """ids of the rules with a pattern whose beginning occurs in the draft (or that
        has a pattern without a literal beginning)."""
        owners = pattern_owners(self.lang)
        return {owners[n] for n in self._viable()}

    def _viable(self) -> set[int]:
        """Pattern numbers that can match this draft (computed once)."""
        if self._viable_numbers is None:
            prefilter, words = prefilter_for(self.lang), self.index.words
            self._present = prefilter.present(words)  # worked out once, for _candidates too
            # the patterns ``candidates`` gives places for are those ``Prefilter.viable`` finds
            # from the words alone, and the rules need the places anyway: worked out once
            self._viable_numbers = set(self._candidates()) | prefilter.viable_scan_all(words, self._present)
        return self._viable_numbers

    def finding(self, rule: Rule, sentence: Sentence, start: int, end: int) -> Finding:
        line, column = self.draft.position(start)
        end_line, end_column = self.draft.end_position(start, end)
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=rule.severity,
            message=rule.message,
            text=self.draft.text[start:end],
            start=start,
            end=end,
            line=line,
            column=column,
            paragraph=sentence.paragraph + 1,
            sentence=self._plain(sentence),
            suggestion=rule.suggest,
            path=self.draft.path,
            sentence_at=sentence.plain_offset(start),
            end_line=end_line,
            end_column=end_column,
        )

    def _plain(self, sentence: Sentence) -> str:
        """The sentence on one line, single-spaced (made once per sentence)."""
        plain = self._plain_sentences.get(sentence.start)
        if plain is None:
            plain = self._plain_sentences[sentence.start] = " ".join(sentence.text.split())
        return plain

    def _candidates(self) -> Candidates:
        """Pattern number (in rules_patterns order) → positions worth trying, computed once."""
        if self._positions is None:
            joined = self.index.joined
            lowered = self._lowered()
            same_length = len(lowered) == len(joined)  # a few letters grow when lower-cased (İ)
            self._positions = prefilter_for(self.lang).candidates(
                self.index.words, lowered if same_length else None, self._present, self._sorted_word_list()
            )
        return self._positions

    def _in_possible_sentences(self, number: int, positions: list[int]) -> list[int]:
        """The positions whose sentence can hold a match. For a pattern whose matches stay in
        their sentence: the sentences with a beginning of each word it needs and, for a
        pattern with many places to try, a piece of each group of text every match holds
        (``Prefilter.groups``: "void", "null", ... of "this notice ... (\\S+\\s){0,4}(void|null
        |...)", whose first words are everywhere)."""
        prefilter = prefilter_for(self.lang)
        needs = prefilter.needs[number]
        if not prefilter.in_sentence[number]:
            return self._in_sentences_with_all(number, positions) if needs else positions
        if len(positions) < CONTAINS_MIN:  # few places: the sentences of its rarest needed word
            if not needs:
                return positions
            rarest = min([(False, tuple(group)) for group in needs], key=self._group_count)
            if self._group_count(rarest) >= len(positions):
                return positions  # no fewer places to try
            return self._in_sentences(positions, self._group_sentences(rarest))
        groups: list[Group] = [(False, tuple(group)) for group in needs]
        # the pieces are looked for in the lower case of the words (see _twins_in_text)
        if not self._twins_in_text():
            groups += [(True, pieces) for pieces in prefilter.groups(number)]
        bits = self._sentence_sets().narrowed(groups, len(positions) * GROUP_REACH)
        if bits == -1:
            return positions
        if not bits:
            return []
        return self._sentence_sets().within(positions, bits, self.index.offsets)

    def _in_sentences(self, positions: list[int], sentences: Iterable[int]) -> list[int]:
        """The positions in the sentences (in order)."""
        offsets, left = self.index.offsets, bisect.bisect_left
        last = len(offsets) - 1
        kept: list[int] = []
        for s_index in sentences:
            start = left(positions, offsets[s_index])
            end = left(positions, offsets[s_index + 1], start) if s_index < last else len(positions)
            kept += positions[start:end]
        return kept

    def _sentence_sets(self) -> SentenceSets:
        if self._sets is None:
            self._sets = SentenceSets(self.index.offsets, self.index.words, len(self.index.joined))
        return self._sets

    def _group_count(self, group: tuple[bool, tuple[str, ...]]) -> int:
        """How often the draft's words with one of the beginnings (or, for a group marked
        True, holding one of the pieces) occur (worked out once per group)."""
        count = self._counts.get(group)
        if count is None:
            if group[0]:
                words = self.index.words
                count = sum(len(words[w]) for w in self._group_words_of(group))
            else:  # each beginning's count is shared by the groups that hold it ("you ", "the ")
                count = sum(map(self._beginning_count, group[1]))
            self._counts[group] = count
        return count

    def _beginning_count(self, beginning: str) -> int:
        """How often the draft's words with a beginning (``_beginning_spans``) occur: from
        the running totals of the sorted words, no word looked at (worked out once). A word
        with two beginnings of a group is counted for each: the counts only rank the groups
        (``_in_possible_sentences``), and 0 is 0 either way."""
        count = self._beginning_counts.get(beginning)
        if count is None:
            if beginning.endswith(" "):
                count = len(self.index.words.get(beginning[:-1], ()))
            elif " " in beginning:
                count = 0  # runs into a second word: no word of the draft is so
            else:
                words, totals = self._sorted_word_list(), self._running_counts()
                first = bisect.bisect_left(words, beginning)
                count = totals[first + _prefix_run(words, first, beginning)] - totals[first]
            self._beginning_counts[beginning] = count
        return count

    def _running_counts(self) -> list[int]:
        """How often the sorted words before each (``_sorted_word_list``) occur, in all."""
        if self._totals is None:
            words = self.index.words
            self._totals = [0, *accumulate(len(words[w]) for w in self._sorted_word_list())]
        return self._totals

    def _beginning_spans(self, group: tuple[str, ...]) -> list[tuple[int, int]]:
        """The runs of ``_sorted_word_list`` that start with one of the beginnings (for one
        ending in a space, the word itself; none for one that runs into a second word),
        merged and in order (worked out once per group)."""
        found = self._spans.get(group)
        if found is None:
            words = self._sorted_word_list()
            spans = []
            for beginning in group:
                if beginning.endswith(" "):
                    at = bisect.bisect_left(words, beginning[:-1])
                    if at < len(words) and words[at] == beginning[:-1]:
                        spans.append((at, at + 1))
                elif " " not in beginning:
                    first = bisect.bisect_left(words, beginning)
                    spans.append((first, first + _prefix_run(words, first, beginning)))
            found = []
            for a, b in sorted(spans):
                if found and a <= found[-1][1]:
                    if b > found[-1][1]:
                        found[-1] = (found[-1][0], b)
                elif b > a:
                    found.append((a, b))
            self._spans[group] = found
        return found

    def _group_sentences(self, group: tuple[bool, tuple[str, ...]]) -> list[int]:
        """The sentences the draft's words of a group (``_group_count``) occur in, in order
        (worked out once per group: many patterns share one, such as the forms of "you")."""
        found = self._sentences_of.get(group)
        if found is None:
            chosen = self._group_words_of(group)
            if len(chosen) == 1:
                found = self._word_sentences(chosen[0])
            else:
                found = sorted(set().union(*map(self._word_sentences, chosen)))
            self._sentences_of[group] = found
        return found

    def _word_sentences(self, word: str) -> list[int]:
        """The sentences a word of the draft occurs in, in order (worked out once per word:
        the groups of many patterns hold "you" or "the")."""
        found = self._sentences_with.get(word)
        if found is None:
            offsets, right = self.index.offsets, bisect.bisect_right
            found = self._sentences_with[word] = sorted({right(offsets, p) - 1 for p in self.index.words[word]})
        return found

    def _group_words_of(self, group: tuple[bool, tuple[str, ...]]) -> list[str]:
        containing, pieces = group
        return self._words_holding_any(pieces) if containing else self._words_beginning_any(pieces)

    def _words_holding_any(self, pieces: tuple[str, ...]) -> list[str]:
        """The draft's words that hold one of the lower-case pieces (cached): looked for in
        the distinct words (``WordPieces``)."""
        found = self._holding_words.get(pieces)
        if found is None:
            numbers: set[int] = set()
            for piece in pieces:
                numbers.update(self._words_with(piece))
            words = self._sorted_word_list()
            found = self._holding_words[pieces] = [words[n] for n in sorted(numbers)]
        return found

    def _in_sentences_with_all(self, number: int, positions: list[int]) -> list[int]:
        """The positions whose sentence contains a beginning of every word the pattern needs."""
        prefilter = prefilter_for(self.lang)
        kept = []
        for position in positions:
            s_index = bisect.bisect_right(self.index.offsets, position) - 1
            present = self._sentence_words.get(s_index)
            if present is None:
                words = set(self.index.local(s_index).lower().split(" "))
                present = self._sentence_words[s_index] = prefilter.present(words)
            if prefilter.possible(number, present):
                kept.append(position)
        return kept

    def _words_beginning_any(self, group: tuple[str, ...]) -> list[str]:
        """The draft's words with one of the beginnings (cached)."""
        found = self._group_words.get(group)
        if found is None:
            words = self._sorted_word_list()
            found = self._group_words[group] = [w for a, b in self._beginning_spans(group) for w in words[a:b]]
        return found

    def _words_with(self, piece: str) -> list[int]:
        """The numbers (in ``_sorted_word_list``) of the words that hold ``piece`` (cached:
        groups share pieces, such as "client")."""
        found = self._piece_words.get(piece)
        if found is None:
            if self._word_pieces is None:
                self._word_pieces = WordPieces(self._sorted_word_list())
            found = self._piece_words[piece] = self._word_pieces.holding(piece)
        return found

    def _sorted_word_list(self) -> list[str]:
        if self._sorted_words is None:
            self._sorted_words = sorted(self.index.words)
        return self._sorted_words

    def _finditer(self, pattern: LazyPattern) -> Iterator[re.Match[str]]:
        """Matches of one pattern, tried only where its literal beginning occurs."""
        number = pattern_numbers(self.lang).get(id(pattern))
        joined = self.index.joined
        if not USE_PREFILTER or number is None:
            yield from pattern.finditer(joined)
            return
        if number in prefilter_for(self.lang).scan_all:
            # no literal beginning: tried at every word of the sentences that hold the text
            # every match holds, when it names some (else scanned in full)
            found = self._starts_in_sentences_with(number)
            if found is None:
                yield from pattern.finditer(joined)
                return
            positions = found
        else:
            positions = self._candidates().get(number, [])
            if len(positions) * SCAN_DENSITY > len(joined):
                # a first word nearly everywhere: one scan in C beats many tries from Python
                yield from pattern.finditer(joined)
                return
            if len(positions) <= 64 or prefilter_for(self.lang).in_sentence[number]:
                # try only sentences with every word the pattern needs (few places: always,
                # which also spares compiling a pattern that cannot match)
                positions = self._in_possible_sentences(number, positions)
        if not positions:
            return
        # tried in C, one position after the other; a match that starts inside the one
        # before is dropped, as finditer would never have tried there
        end = -1
        for match in filter(None, map(pattern.compiled.match, repeat(joined), positions)):
            if match.start() >= end:
                end = match.end()
                yield match

    def _starts_in_sentences_with(self, number: int) -> list[int] | None:
        """For a pattern without a literal beginning whose matches stay in their sentence
        (``Prefilter.pieces``): every place a match can start (every token, and the space
        that opens a sentence after the first: a token pattern starts after white space) in
        the sentences that hold a piece of each group. None: no pieces to go by, or a text
        whose lower case is no guide to what the patterns match in any case (see
        ``_case_twins``); the pattern is then scanned in full."""
        groups = prefilter_for(self.lang).pieces.get(number)
        if not groups or self._twins_in_text():
            return None
        positions: list[int] = []
        offsets = self.index.offsets
        for s_index in members(self._holding_all(groups)):
            local = self._local(s_index)[0]
            start = offsets[s_index]
            if s_index:
                positions.append(start - 1)
            positions.append(start)
            find, at = local.find, local.find(" ")
            while at >= 0:
                positions.append(start + at + 1)
                at = find(" ", at + 1)
        return positions

    def _holding_all(self, groups: Iterable[tuple[str, ...]]) -> int:
        """The sentences with a piece of each group (pieces without white space, looked for in
        the lower case of the words: see ``_twins_in_text``), as a ``SentenceSets`` int; a
        group with white space in a piece is passed over."""
        unspaced: list[Group] = [(True, group) for group in groups if _unspaced(group)]
        return self._sentence_sets().narrowed(unspaced, math.inf, 1)

    def _lowered(self) -> str:
        """The token string in lower case (of the same length: see ``_twins_in_text``)."""
        if self._lower is None:
            self._lower = self.index.joined.lower()
        return self._lower

    def _twins_in_text(self) -> bool:
        """Does the text hold a letter that a case-blind regex matches to another whose lower
        case differs ("ı" to "i", "ſ" to "s"), or one that grows in lower case ("İ")? Then
        looking for a pattern's text in the lower case could miss a match."""
        if self._twins is None:
            joined = self.index.joined
            twins = _case_twins()
            self._twins = twins is None or bool(twins.search(joined)) or len(self._lowered()) != len(joined)
        return self._twins

    def _matches(self, rule: Rule) -> Iterator[tuple[Sentence, int, int]]:
        """Token matches of a rule's patterns that pass the shared filters."""
        seen: set[tuple[int, int]] = set()
        prose_only = rule.options.get("prose_only", True)
        candidates = self._candidates() if USE_PREFILTER else None
        scan_all = scan_all_for(self.lang)
        numbers = pattern_numbers(self.lang)
        for pattern in rule.patterns:
            number = numbers.get(id(pattern))
            if (
                candidates is not None
                and number is not None
                and number not in candidates
                and number not in scan_all
            ):
                continue  # its beginning occurs nowhere in the draft
            for match in self._finditer(pattern):
                s_index, first, last = self.index.locate(*match.span())
                sentence = self.index.sentences[s_index]
                key = (s_index, first)
                if key in seen or (prose_only and not self.prose(s_index)):
                    continue
                if self.index.token_in_quote(sentence, first) or self._excepted(rule, s_index, first):
                    continue
                if last != first and self.index.token_in_quote(sentence, last):
                    continue  # its last word is someone else's ("You wrote that our crew was "useless"")
                if self.in_name(s_index, first, last):
                    continue  # a client's name is data ("für die Nord Inkasso GmbH")
                seen.add(key)
                yield sentence, first, last

    def in_name(self, s_index: int, first: int, last: int) -> bool:
        """Do the tokens ``first``..``last`` of a sentence lie inside one firm name (names.py)?"""
        if self._names is None:
            from .names import firm_names

            self._names = firm_names(self.index, self.sets)
        spans = self._names.get(s_index)
        return spans is not None and any(
            a <= first and (last <= b or self._relative_clause_after(s_index, b, last)) for a, b in spans
        )

    def _relative_clause_after(self, s_index: int, name_end: int, last: int) -> bool:
        """Does the match run on from a name only into a relative clause about it ("der Nord
        Inkasso GmbH, die Sie uns weitergeleitet haben")? That clause's verb is not the
        writer's doing, unless the clause names the writer (``_writers_clause``)."""
        sentence = self.index.sentences[s_index]
        words = sentence.words
        if name_end + 1 >= last or words[name_end + 1].lower() not in self.sets.get("relative_pronouns", ()):
            return False
        punctuation = self._punctuation.get(sentence.start)
        if punctuation is None:
            punctuation = self._punctuation[sentence.start] = _after_punctuation(sentence)
        if name_end + 1 not in punctuation or any(i in punctuation for i in range(name_end + 2, last + 1)):
            return False  # no comma before the pronoun, or the match runs past the clause
        end = next((i for i in range(last + 1, len(words)) if i in punctuation), len(words))
        return not self._writers_clause(words[name_end + 2 : end])

    def _writers_clause(self, clause: list[str]) -> bool:
        """Does a relative clause after a firm's name tell of the writer's doing? Its first
        person decides: the writer as subject ("die wir beauftragt haben", "we hired") or
        agent ("von uns beauftragt", "instructed by us") — yes; the reader as subject ("die
        Sie uns weitergeleitet haben", "which you forwarded to us") — no; otherwise any word
        of the writer's ("die unsere Forderung übernommen hat", "acting for us") — yes."""
        w = self.sets
        writer, mine = w.get("writer_subject", frozenset()), w.get("writer_words", frozenset())
        agents = w.get("relative_agent_words", frozenset())
        reader = w.get("relative_reader_subject", frozenset())
        objects_after = w.get("object_after", frozenset())
        named = False
        for i, word in enumerate(clause):
            lower = word.lower()
            previous = clause[i - 1].lower() if i else ""
            if lower in writer or (lower in mine and previous in agents):
                return True
            if word in reader and previous not in objects_after:
                return False
            named = named or lower in mine
        return named

    def _in_name_span(self, start: int, end: int) -> bool:
        """Does the draft's ``start``..``end`` lie inside one firm name?"""
        if self._name_spans is None:
            self.in_name(0, 0, -1)  # works the names out
            assert self._names is not None
            sentences = self.index.sentences
            self._name_spans = sorted(
                sentences[s].span(a, b) for s, spans in self._names.items() for a, b in spans
            )
        at = bisect.bisect_right(self._name_spans, (start, end + 1)) - 1
        return any(a <= start and end <= b for a, b in self._name_spans[max(0, at - 2) : at + 1])

    def prose(self, s_index: int) -> bool:
        """Whether the rules read a sentence: running text (``is_prose``), and also a short
        line that speaks to or for someone (a pronoun such as Sie, you, wir) or stands in
        the body — from the first running sentence to the closing formula (or the last
        running sentence): a bullet item, a table cell, a line of an email. Letterhead,
        address block, signature and footer lines hold no pronoun and stand outside it."""
        if self._prose is None:
            self._prose = self._prose_flags()
        return self._prose[s_index]

    def _prose_flags(self) -> list[bool]:
        sentences = self.index.sentences
        flags = [is_prose(sentence) for sentence in sentences]
        if self.body is not None:  # the body's sentences (body.py), of this index's part of the draft
            starts = self.index.sentence_starts
            for i in range(bisect.bisect_left(starts, self.body[0]), bisect.bisect_left(starts, self.body[1])):
                flags[i] = True
        forms = self.sets.get("legal_forms", frozenset())
        for i, sentence in enumerate(sentences):
            if flags[i] and separated_letterhead(sentence, self.lang, forms):
                flags[i] = False  # a letterhead or footer, wherever it stands
        exact, any_case = _person_words(self.lang)
        for i, sentence in enumerate(sentences):
            if not flags[i] and _holds_any(sentence.words, exact, any_case):
                flags[i] = True
        return flags

    def _excepted(self, rule: Rule, s_index: int, first: int) -> bool:
        """Does one of the rule's ``unless`` patterns cover the sentence's token ``first``?"""
        if not rule.unless:
            return False
        key = (id(rule), s_index)
        covered = self._covered.get(key)
        if covered is None:
            covered = self._covered[key] = self._cover(rule, s_index)
        return first < len(covered) and covered[first] == 1

    def _cover(self, rule: Rule, s_index: int) -> bytearray:
        """Which tokens of a sentence the rule's ``unless`` patterns cover, worked out once
        per rule and sentence (a long sentence with a match on every word, such as a pasted
        block of capitals, would otherwise scan the sentence again for every match).

        Each pattern is tried only in a sentence whose lower case holds a piece of each group it
        ``needs`` (``_lacks``). Looking the sentences up in ``SentenceSets`` instead, as drafts of
        100 sentences or more did, cost a rule ~35 µs a pattern, more than it saved: half the
        rules whose ``unless`` patterns are asked in 100 KB of English are asked in three
        sentences or fewer (callgrind: 100 KB of varied English 2,576 -> 2,482 M instructions,
        1 MB 14,142 -> 13,719 M; 1 MB of German 9,022 -> 8,753 M)."""
        local, lowered = self._local(s_index)
        # what the patterns cover depends on the sentence's words alone: a sentence that comes
        # again (a signature, a quoted line, a reply's boilerplate) is scanned once per rule
        key = (id(rule), local)
        covered = self._by_words.get(key)
        if covered is None:
            covered = self._by_words[key] = self._scan_cover(rule, local, lowered)
        return covered

    def _scan_cover(self, rule: Rule, local: str, lowered: str) -> bytearray:
        """``_cover`` of a sentence, its token string ``local`` (``lowered`` in lower case)
        scanned with each ``unless`` pattern that can match in it."""
        covered = bytearray(local.count(" ") + 1)
        count = local.count
        for pattern in rule.unless:
            if USE_PREFILTER and pattern.needs and _lacks(lowered, pattern.needs):
                continue  # missing a piece every match contains
            for match in pattern.compiled.finditer(local):
                # tokens are separated by single spaces: the spaces before a position are
                # the index of the token it is in (counted in C; most sentences have no match)
                a = count(" ", 0, match.start())
                b = count(" ", 0, match.end() - 1) if match.end() > 0 else -1
                if b >= a:
                    covered[a : b + 1] = b"\x01" * (b + 1 - a)
        return covered

    def _local(self, s_index: int) -> tuple[str, str]:
        """A sentence's token string and its lower case (made once per sentence)."""
        found = self._locals.get(s_index)
        if found is None:
            local = self.index.local(s_index)
            found = self._locals[s_index] = (local, local.lower())
        return found

    def _phrase(self, rule: Rule) -> Iterator[Finding]:
        for sentence, first, last in self._matches(rule):
            for each in self._occurrences(sentence):
                yield self.finding(rule, each, *each.span(first, last))

    def _reader_subject(self, rule: Rule) -> Iterator[Finding]:
        for sentence, first, last in self._matches(rule):
            clause = self.clause(sentence, first)
            if self.who(sentence, clause, first, judgement=rule.options.get("judgement", False)) != "reader":
                continue
            if rule.options.get("needs_negative") and not self.negative(sentence, clause, first, last):
                continue
            for each in self._occurrences(sentence):
                yield self.finding(rule, each, *each.span(first, last))

    def clause(self, sentence: Sentence, index: int) -> range:
        """Token indices of the clause around token ``index`` (at most ``CLAUSE_REACH``
        tokens to either side: a run-on "sentence" of thousands of words has no clause the
        rules could read, and each match would otherwise walk all of it)."""
        breaks = self._breaks.get(sentence.start)
        if breaks is None:
            breaks = self._breaks[sentence.start] = self._clause_breaks(sentence)
        at = bisect.bisect_right(breaks, index)
        start = breaks[at - 1] if at > 0 else 0
        end = breaks[at] if at < len(breaks) else len(sentence.words)
        return range(max(start, index - CLAUSE_REACH), min(end, index + CLAUSE_REACH + 1))

    def _clause_breaks(self, sentence: Sentence) -> list[int]:
        """The tokens that start a clause: a clause word, or the first after a comma or dash."""
        breaks = self.sets.get("clause_words", frozenset())
        words = sentence.words
        after_punctuation = self._punctuation.get(sentence.start)
        if after_punctuation is None:
            after_punctuation = self._punctuation[sentence.start] = _after_punctuation(sentence)
        found = []
        for i, word in enumerate(words):
            joins_numbers = i + 1 < len(words) and words[i + 1][:1].isdigit()  # "vom 3. und 10. März"
            if (word.lower() in breaks and not joins_numbers) or i in after_punctuation:
                found.append(i)
        return found

    def who(self, sentence: Sentence, clause: range, match: int, judgement: bool = False) -> str | None:
        """Who the clause around ``match`` is about. A clause without a subject of its own
        takes it from its neighbour: "... and have ignored every reminder" from the clause
        before, "Once again, your payment ..." from the clause after.

        For a rule whose words are a ``judgement`` of a person or a thing (chaotic,
        unreadable), the writer's own things are the writer's: a writer's possessive right
        before the words ("Sie haben unseren chaotischen ersten Monat ertragen") or, when no
        pronoun decides, before them in the clause ("Unser Start war chaotisch, Sie waren
        geduldig"), unless the clause says it is the reader's doing ("Our biggest headache was
        your late payments"); and a first clause that opens with an article before a noun has
        a subject of its own, a thing, and takes none from the clause after ("Die Datei war
        unlesbar, bitte senden Sie sie erneut", "The migration was demanding, but your team ...")."""
        if judgement and self._writer_owned(sentence, clause, match):
            return "writer"
        found = self.subject(sentence, clause, match, judgement)
        if found is not None or len(clause) == len(sentence.words):
            return found
        first_word = sentence.words[clause.start].lower()
        if clause.start > 0 and first_word in self.sets.get("joining_words", ()):
            return self.subject(sentence, self.clause(sentence, clause.start - 1), clause.start - 1)
        if clause.start == 0 and clause.stop < len(sentence.words):
            if judgement and self._opens_with_a_thing(sentence, clause):
                return None
            return self.subject(sentence, self.clause(sentence, clause.stop), clause.stop)
        return None

    def _opens_with_a_thing(self, sentence: Sentence, clause: range) -> bool:
        """Does the clause open with an article before a noun ("Die Datei war …", "The
        migration was …")? "Das war …" / "That was …" is a pronoun, which may point at the
        reader: it takes its subject from the clause after, as before."""
        words = sentence.words
        if clause.start + 1 >= clause.stop:
            return False
        article, after = words[clause.start].lower(), words[clause.start + 1].lower()
        return article in self.sets.get("article_words", ()) and after not in self.sets.get("copula_words", ())

    def _writer_owned(self, sentence: Sentence, clause: range, match: int) -> bool:
        """Does a writer's possessive stand right before the matched words, at most one word
        in lower case between ("unser chaotischer erster Monat", "unserer eigenen
        chaotischen Planung", "our sloppy first draft")? Then the words judge the writer's
        own thing, not the reader's."""
        mine = self.sets.get("writer_possessive", frozenset())
        words = sentence.words
        for back in (1, 2):
            at = match - back
            if at < clause.start:
                return False
            word = words[at].replace("’", "'")
            if word.lower() in mine:
                return not self._reader_as_predicate(sentence, clause, match)
            if not word.islower() or self._person_word(word):
                return False  # a noun, a name or a pronoun between: not the possessive's phrase
        return False

    def _reader_as_predicate(self, sentence: Sentence, clause: range, match: int) -> bool:
        """Is the writer's thing said to be the reader's doing, later in the clause: a
        reader's possessive ("Our biggest headache was your late payments") or the reader
        right after a copula ("… has been you")? ("Unser chaotischer Monat hat Sie Nerven
        gekostet" names the reader as an object: still the writer's own thing.)"""
        w = self.sets
        possessive_cs, possessive_ci = w["reader_possessive_exact"], w["reader_possessive"]
        reader_cs, reader_ci = w["reader_subject_exact"], w["reader_subject"]
        copulas = w.get("copula_words", frozenset())
        words = sentence.words
        for i in range(match + 1, clause.stop):
            text = words[i].replace("’", "'")
            lower = text.lower()
            if text in possessive_cs or lower in possessive_ci:
                return True
            if (text in reader_cs or lower in reader_ci) and words[i - 1].lower() in copulas:
                return True
        return False

    def _person_word(self, word: str) -> bool:
        """A pronoun or possessive of the reader or the writer."""
        exact, any_case = _person_words(self.lang)
        return word in exact or word.lower() in any_case

    def subject(self, sentence: Sentence, clause: range, match: int, judgement: bool = False) -> str | None:
        """'reader', 'writer' or None: who the clause is about. The first word that can be
        its subject decides — a personal pronoun (Sie/du/you vs wir/ich/we/I), or a reader's
        possessive before the matched words ("Your team failed ... we agreed"); failing both,
        a reader's possessive anywhere in the clause ("die Versäumnisse Ihres Teams"); failing
        that, for a ``judgement``, a writer's possessive before them ("Unser Start war chaotisch")."""
        w = self.sets
        mine = w.get("writer_possessive", frozenset()) if judgement else frozenset()
        own = False
        reader_cs, reader_ci = w["reader_subject_exact"], w["reader_subject"]
        writer = w["writer_subject"]
        objects_after = w["object_after"]
        possessive_cs, possessive_ci = w["reader_possessive_exact"], w["reader_possessive"]
        in_object = w.get("possessive_in_object_after", frozenset())
        possessive = False
        # a question does not clear ("If not you, who else is responsible …?", "Was it not you
        # who always paid late?"): there the negation accuses
        cleared = w.get("clearing_negations", frozenset()) if not sentence.text.rstrip().endswith("?") else frozenset()
        words = sentence.words
        for i in clause:
            text = words[i].replace("’", "'")
            lower = text.lower()
            # the word before, in the clause: "Per our call, you ignored ..." is no "call you"
            previous = words[i - 1].lower() if i > clause.start else ""
            after_object_word = previous in objects_after
            if cleared and self._clears(words, i, clause.start, cleared):
                continue  # "not by you", "nicht an Ihnen": the reader cleared, not the subject
            if lower in writer and not (lower == "i" and text != "I"):
                return "writer"
            if (text in reader_cs or lower in reader_ci) and not after_object_word:
                return "reader"  # "für Sie", "thank you": an object, not the subject
            if text in possessive_cs or lower in possessive_ci:
                # "Auf Ihre Nachricht haben wir ...": a possessive after one of these
                # prepositions sits in an object, so a later pronoun still decides
                if i < match and previous not in in_object:
                    return "reader"
                possessive = True
            elif lower in mine and i < match and previous not in in_object:
                own = True  # "Unser Start war chaotisch, …": the writer's thing, unless a pronoun says otherwise
        if possessive:
            return "reader"
        return "writer" if own else None

    def _clears(self, words: list[str], i: int, start: int, negations: frozenset[str]) -> bool:
        """Is the word ``i`` cleared of the deed by a negation right before it, with at most a
        preposition between ("caused by our supplier, not by you", "lag an uns, nicht an
        Ihnen", "nicht von Ihrem Team", "not you")?"""
        for back in (1, 2):
            at = i - back
            if at < start:
                return False
            word = words[at].lower()
            if word in negations:
                return True
            if back == 1 and word not in self.sets.get("clearing_prepositions", frozenset()):
                return False
        return False

    def negative(self, sentence: Sentence, clause: range, first: int, last: int) -> bool:
        """Does the clause carry a negative cue besides the matched words?"""
        cues = negative_cues(self.lang)
        words = " ".join(
            sentence.words[i].lower().replace("’", "'") for i in clause if not first <= i <= last
        )
        return bool(cues.search(f" {words} "))

    def _capitals(self, rule: Rule) -> Iterator[Finding]:
        allow = set(self.words.get("acronyms", [])) | set(rule.options.get("allow", []))
        minimum = int(rule.options.get("min_length", 3))
        for s_index, sentence in enumerate(self.index.sentences):
            if not self.prose(s_index) or not any(word.isupper() for word in sentence.words):
                continue
            run: list[int] = []
            for i, word in enumerate([*sentence.words, None]):
                shouted = (
                    word is not None
                    and word.isupper()
                    and sum(c.isalpha() for c in word) >= minimum
                    and word not in allow
                    and not any(c.isdigit() for c in word)
                )
                if shouted:
                    run.append(i)
                elif run:
                    yield self.finding(rule, sentence, *sentence.span(run[0], run[-1]))
                    run = []

    def _regex(self, rule: Rule) -> Iterator[Finding]:
        """A raw regex over the visible text, once; a match belongs to the sentence it starts in.
        Unlike word patterns it also looks at short lines (a subject line can shout "!!!")."""
        assert rule.regex is not None
        prose_only = rule.options.get("prose_only", False)
        starts = self.index.sentence_starts
        for match in self._scan(rule.regex, self.draft.visible):
            at = bisect.bisect_right(starts, match.start()) - 1
            if at < 0:
                continue
            sentence = self.index.sentences[at]
            if match.start() >= sentence.end or (prose_only and not self.prose(at)):
                continue
            if self.index.in_quote(match.start()) or self._in_name_span(match.start(), match.end()):
                continue
            yield self.finding(rule, sentence, match.start(), min(match.end(), sentence.end))

    def _scan(self, regex: LazyPattern, text: str) -> Iterator[re.Match[str]]:
        """The matches of a raw regex, as finditer gives them. When the regex names the
        characters its matches start with and the engine cannot look for them itself,
        it is tried only where one of them is (an upper-case letter, say)."""
        positions = _places(text, regex.starts) if USE_PREFILTER and regex.starts else None
        if positions is None or len(positions) * SCAN_DENSITY > len(text):
            yield from regex.finditer(text)
            return
        end = 0
        for match in filter(None, map(regex.compiled.match, repeat(text), positions)):
            if match.start() >= end:  # matches do not overlap, as in finditer
                end = match.end()
                yield match

    def _emphasis(self, rule: Rule) -> Iterator[Finding]:
        """Bold or underlined words in a sentence addressed to the reader ("Bitte senden Sie
        die Formulare **unverzüglich** zurück")."""
        w = self.words
        reader = {
            *w["reader_subject_exact"],
            *w["reader_possessive_exact"],
            *w.get("reader_object_exact", []),
        }
        reader_ci = {*w["reader_subject"], *w["reader_possessive"], *w.get("request_words", [])}
        pressure = _pressure_words(self.lang, tuple(rule.options.get("pressure_words", ())))
        starts = self.index.sentence_starts
        for start, end in self.draft.emphasis:
            at = bisect.bisect_right(starts, start) - 1
            if at < 0:
                continue
            sentence = self.index.sentences[at]
            if start >= sentence.end or not self.prose(at):
                continue
            words = [t.replace("’", "'") for t in sentence.words]
            addressed = any(t in reader or t.lower() in reader_ci for t in words)
            # a pressure word in bold is a raised voice whoever the sentence names ("Die
            # Zahlung ist **spätestens** am 15. Januar fällig"), and so is a deadline in bold
            # in a condition or a duty ("If it isn't paid **by March 15**, …")
            pressed = pressure is not None and pressure.search(self.draft.visible, start, end)
            if not addressed and not pressed and not self._bold_deadline(sentence, start, end):
                continue
            named = not pressed and is_name(self.draft.visible, sentence.start, start, end, self.lang)
            if named and not _date_patterns(self.lang)[1].search(sentence.text):
                continue  # a name in a sentence that asks nothing: "your **Enterprise** subscription"
            if not self._plain_date(sentence, start, end):
                yield self.finding(rule, sentence, start, end)

    def _bold_deadline(self, sentence: Sentence, start: int, end: int) -> bool:
        """Is the emphasis a deadline ("**by March 15**", "bis **15. März**") in a sentence
        that sets a condition or a duty ("If it isn't paid …", "Wenn der Betrag nicht …
        eingeht", "… is due")? Pressure, whoever the sentence names."""
        dates, duties = _date_patterns(self.lang)
        deadline = self.sets.get("deadline_words", frozenset())
        shown = self.draft.visible[start:end].strip(" .,;")
        lead, _, rest = shown.partition(" ")
        if lead.lower() in deadline and dates.fullmatch(rest.removeprefix("zum ").removeprefix("dem ")):
            pass  # the deadline word is in bold too
        elif dates.fullmatch(shown):
            before = TOKEN.findall(self.draft.visible, sentence.start, start)[-1:]
            if not before or before[0].lower() not in deadline:
                return False
        else:
            return False
        token = len(TOKEN.findall(self.draft.visible, sentence.start, start))
        # our own date: "Should the move slip, we will send the keys **by 20 March**" (the clause's
        # own subject: "If it isn't paid **by March 15**, we will act" takes none from "we")
        if token < len(sentence.words) and self.subject(sentence, self.clause(sentence, token), token) == "writer":
            return False
        conditions = self.sets.get("condition_words", frozenset())
        return bool(duties.search(sentence.text)) or any(w.lower() in conditions for w in sentence.words)

    def _plain_date(self, sentence: Sentence, start: int, end: int) -> bool:
        """Is the emphasis a date that says when something happens ("zum **31. Januar 2027**",
        "on **December 31, 2026**") rather than a deadline for the reader: no deadline word
        before it ("bis", "by") and no duty in the sentence ("bitte", "must", "fällig")?"""
        dates, duties = _date_patterns(self.lang)
        if not dates.fullmatch(self.draft.visible[start:end].strip(" .,;")):
            return False
        preceding = TOKEN.findall(self.draft.visible, sentence.start, start)
        before, token = preceding[-1:], len(preceding)
        if token < len(sentence.words):
            clause = self.clause(sentence, token)
            if self.who(sentence, clause, token) == "writer":  # our own date: "We will hand over the files by **15 January**"
                first, last = sentence.starts[clause.start], sentence.span(clause.stop - 1, clause.stop - 1)[1]
                return not duties.search(self.draft.visible, first, last)
        if before and before[0].lower() in self.sets.get("deadline_words", ()) and not _going_on_until(
            self.lang, before[0], sentence.text
        ):
            return False
        return not duties.search(sentence.text)
