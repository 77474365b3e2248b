"""A long draft linted in two processes: this one and a forked copy of it.

Up to ``PARAGRAPHS_CHARS`` the rules are shared out: both read the whole draft (its index
and the prefilter's plan are made before the fork, once), each takes the next rule from a
common queue until none is left, then each judges half of the sentences with the tone
model. In a draft of this size most of the work is per rule (trying its patterns where
their words occur), not per character, so halving the text would leave each process most of
the rules' work. Longer drafts are shared out by paragraphs instead: the first part here,
the rest in the copy, each building the index of its own part, so that splitting the text
into sentences and the prefilter are shared out too; the body of the draft (body.py) is
found before the fork, for both.

The findings are exactly those of one process (tests/test_lint_parallel.py): no sentence
spans two paragraphs, a rule's matches stay in their sentence, the model's findings are
only in sentences no rule flagged (in either process), and the findings are put back in
the order one process makes them (rule by rule, each in the order of the text).
"""

from __future__ import annotations

import bisect
import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .body import body_bounds
from .engine import Index, Matcher
from .findings import Finding, astuple, from_tuple
from .rules import Rule, adopt_code, code_mark, translated_code
from .text import Draft, Paragraph, Sentence

# A draft of this many characters or more is shared out between two processes; a fork and
# the findings and sentences sent back cost a few ms, which pays from here on. Tests switch
# it off (or down, to 1) to compare the findings.
PARALLEL_CHARS = 50_000
# The share of the text this process takes. Its structure checks and report come after
# both parts are done, whatever the share, so the parts are best even: the copy's extra
# work (sending its findings and sentences) is about this process's extra share of the
# fork (measured with callgrind on 100 KB and 1 MB of German and English: 0.5 gave the
# shortest critical path in all four, 0.47 and 0.44 longer).
OWN_SHARE = 0.5
# From this many characters on the paragraphs are shared out, below it the rules (see the
# module's docstring; measured on 100 KB, 200 KB, 400 KB and 1 MB of English text).
PARAGRAPHS_CHARS = 400_000
# The most rules the queue holds: two bytes each, written before anyone reads, so they must
# fit in the pipe at its smallest (one page of 4 KB, where a user's pipes have used up
# their share of memory; 64 KB otherwise)
QUEUE_LIMIT = 2_048

# The copy's sentences: their starts, ends and paragraphs, and their words, a sentence a
# line, the words of each separated by spaces (a token holds no white space, and a sentence
# has a word: Draft.sentences keeps no other). Sent so, the words of 1 MB's half are one
# string: as lists of strings (~100,000) they took ~10 ms to pickle and ~9 ms to read back,
# on the way from the copy's last rule to the report.
SentenceData = tuple[list[int], list[int], list[int], str]


def tone_findings(draft: Draft, lang: str, rules: Sequence[Rule]) -> tuple[list[Finding], Index]:
    """The findings of the tone ``rules`` (and the tone model) over the draft, in the order
    one Matcher makes them, and the index of the whole draft (for the structure checks)."""
    paragraphs = list(draft.paragraphs())
    body = body_bounds(draft, paragraphs, lang)
    if PARALLEL_CHARS <= len(draft.visible) < PARAGRAPHS_CHARS:
        return _by_rules(draft, paragraphs, lang, rules, body)
    cut = _cut(paragraphs, OWN_SHARE) if len(draft.visible) >= PARALLEL_CHARS else 0
    wait = None
    if 0 < cut < len(paragraphs):
        mark = code_mark()  # the copy sends back only the code it adds to this
        wait = Forked.start(lambda: _part(draft, paragraphs, cut, lang, rules, body, mark))
    if wait is None:
        index = Index.build(draft, paragraphs)
        return list(Matcher(draft, index, lang, body).run(rules)), index
    with wait:
        own = Index.build(draft, paragraphs[:cut])
        found = list(Matcher(draft, own, lang, body).run(rules))
        sent = wait.result()
    if sent is None:  # the copy failed: its part is done here
        sent = _part(draft, paragraphs, cut, lang, rules, body, code_mark())
    values, sentences, code = sent
    theirs = [from_tuple(fields) for fields in values]
    # the patterns the copy translated are kept in the cache file as this process's are
    # (lost with the copy, they would be translated again by every run)
    adopt_code(lang, code)
    # one process gives each rule's findings in turn, then the model's ("judged/…"): the
    # sort is stable, and each part's findings of a rule are in the order of the text
    order = [rule for rule in rules if rule.kind != "model"] + [rule for rule in rules if rule.kind == "model"]
    rank = {rule.id: i for i, rule in enumerate(order)}
    findings = sorted([*found, *theirs], key=lambda f: rank[f.rule])
    return findings, Index(draft, [*own.sentences, *_sentences(draft, sentences)])


def _sentences(draft: Draft, data: SentenceData) -> Iterator[Sentence]:
    """The copy's sentences, from what it sent (``SentenceData``)."""
    visible = draft.visible
    starts, ends, paragraphs, words = data
    lines = words.split("\n") if starts else []  # ("".split gives one empty line)
    for start, end, paragraph, line in zip(starts, ends, paragraphs, lines, strict=True):
        yield Sentence(visible[start:end], start, end, paragraph, line.split(" "))


def _sentence_data(sentences: list[Sentence]) -> SentenceData:
    """What the copy sends of its sentences (``SentenceData``)."""
    return (
        [s.start for s in sentences],
        [s.end for s in sentences],
        [s.paragraph for s in sentences],
        "\n".join([" ".join(s.words) for s in sentences]),
    )


def _by_rules(
    draft: Draft, paragraphs: list[Paragraph], lang: str, rules: Sequence[Rule], body: tuple[int, int] | None
) -> tuple[list[Finding], Index]:
    """The tone findings with the rules shared out: this process and the copy each take the
    next rule from a common queue until none is left (which of them runs a rule changes
    nothing but the time), then each judges half of the sentences with the model."""
    index = Index.build(draft, paragraphs)
    matcher = Matcher(draft, index, lang, body)
    chosen, judges = matcher.plan(rules)  # the prefilter's work, done once for both
    half = len(index.sentences) // 2
    if len(chosen) > QUEUE_LIMIT:  # not with today's ~370 tone rules a language
        return list(matcher.run(rules)), index
    queue = _Queue(len(chosen))
    try:
        mark = code_mark()
        wait = Forked.start(lambda: _rules_part(matcher, chosen, queue, judges, range(half), mark))
        if wait is None:
            return list(matcher.run(rules)), index
        with wait:
            own = _rules_part(matcher, chosen, queue, judges, range(half, len(index.sentences)), None)
            sent = wait.result()
    finally:
        queue.close()
    if sent is None:  # the copy failed: the rules it took are run here
        ran = {rule_id for rule_id, _ in own[0]}
        rest = [n for n, rule in enumerate(chosen) if rule.id not in ran]
        sent = _rules_part(matcher, chosen, rest, judges, range(half), code_mark())
    adopt_code(lang, sent[2])
    by_rule = {rule_id: [from_tuple(fields) for fields in values] for rule_id, values in (*own[0], *sent[0])}
    found = [finding for rule in chosen for finding in by_rule[rule.id]]
    # each process judged the sentences its own rules left alone: those the other's rules
    # flagged are not the model's
    flagged_here, flagged_there = (
        matcher.sentences_at(f.start for rule_id, _ in part[0] for f in by_rule[rule_id]) for part in (own, sent)
    )
    starts = index.sentence_starts
    judged = [
        finding
        for part, flagged in ((sent, flagged_here), (own, flagged_there))
        for finding in (from_tuple(fields) for fields in part[1])
        if bisect.bisect_right(starts, finding.start) - 1 not in flagged
    ]
    # one process gives each model rule's findings in turn, in the order of the text
    rank = {rule.id: number for number, rule in enumerate(judges)}
    return found + sorted(judged, key=lambda f: (rank[f.rule], f.start)), index


class _Queue:
    """The numbers 0 .. n-1, taken one by one by this process and a forked copy of it: a
    pipe written in full before the fork, read two bytes at a time (a read from a pipe is
    whole, and no two readers get the same bytes)."""

    def __init__(self, count: int) -> None:
        assert count <= QUEUE_LIMIT  # written before anyone reads: it must fit in the pipe
        self._read, write = os.pipe()
        try:
            os.write(write, b"".join(n.to_bytes(2, "big") for n in range(count)))
        finally:
            os.close(write)

    def __iter__(self) -> Iterator[int]:
        while len(data := os.read(self._read, 2)) == 2:
            yield int.from_bytes(data, "big")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._read)


def _rules_part(
    matcher: Matcher,
    chosen: list[Rule],
    numbers: Iterable[int],
    judges: list[Rule],
    among: range,
    mark: frozenset[Any] | None,
) -> tuple[list[tuple[str, list[tuple[Any, ...]]]], list[tuple[Any, ...]], dict[Any, Any]]:
    """One process's work when the rules are shared out: the findings (as field tuples) of
    each rule it takes from ``numbers``, the model's findings in the sentences ``among``
    that those left alone, and (in the copy, ``mark`` given) the code it translated."""
    found = [(chosen[n].id, matcher.findings_of(chosen[n])) for n in numbers]
    starts = [finding.start for _, findings in found for finding in findings]
    judged_values = [astuple(f) for f in matcher.judge(judges, starts, among)]
    values = [(rule_id, [astuple(f) for f in findings]) for rule_id, findings in found]
    return values, judged_values, translated_code(matcher.lang, mark) if mark is not None else {}


def _cut(paragraphs: list[Paragraph], share: float) -> int:
    """The number of paragraphs that hold ``share`` of the text (0 or all: no sharing)."""
    if len(paragraphs) < 2:
        return 0
    goal = paragraphs[0][0] + share * (paragraphs[-1][1] - paragraphs[0][0])
    for number, (_start, end, _text) in enumerate(paragraphs):
        if end >= goal:
            return number + 1
    return len(paragraphs)


def _part(
    draft: Draft,
    paragraphs: list[Paragraph],
    cut: int,
    lang: str,
    rules: Sequence[Rule],
    body: tuple[int, int] | None,
    mark: frozenset[Any],
) -> tuple[list[tuple[Any, ...]], SentenceData, dict[Any, Any]]:
    """The copy's work: the findings over the paragraphs from ``cut`` on (each as the tuple
    of its fields: a third less to send than the objects, and quicker to read back), their
    sentences (the structure checks read them; the text is the draft's, not sent) and the
    code of the patterns it translated."""
    index = Index.build(draft, paragraphs[cut:], cut)
    findings = [astuple(f) for f in Matcher(draft, index, lang, body).run(rules)]
    return findings, _sentence_data(index.sentences), translated_code(lang, mark)


class Forked:
    """``work()`` run in a forked copy of this process (``Forked.start``); ``result()`` waits
    for what it returned (None when the copy failed). Used as a context manager, so that a
    copy whose result is not taken (an error here) is stopped."""

    def __init__(self, pid: int, read: int) -> None:
        self._pid, self._read, self._done = pid, read, False

    @classmethod
    def start(cls, work: Callable[[], object]) -> Forked | None:
        """The running copy, or None where no fork is safe: not on Linux, one core, or other
        threads running (a fork copies no thread, and locks they hold stay locked in it)."""
        _reap()
        if not can_fork():
            return None
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # the copy: do the work, send it, leave without the parent's clean-up
            code = 1
            try:
                os.close(read)
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        return cls(pid, read)

    def result(self) -> Any:
        """What ``work()`` returned, once the copy has sent it; None when it failed (it sent
        nothing, or an incomplete pickle). The copy is not waited for: tearing down a
        process of ~100 MB takes several ms, which the caller need not spend. A copy still
        ending is reaped by the next ``start`` (or by init when this process ends)."""
        read, self._read = self._read, -1  # the file object owns it from here
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        self._done = True
        _UNREAPED.append(self._pid)
        _reap()
        if not data:
            return None
        try:
            return pickle.loads(data)  # from our own copy
        except Exception:
            return None

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            if self._read >= 0:
                with contextlib.suppress(OSError):
                    os.close(self._read)


_UNREAPED: list[int] = []  # copies that sent their result and may not have ended yet


def _reap() -> None:
    """Reap the copies of ``_UNREAPED`` that have ended (none is waited for)."""
    for pid in list(_UNREAPED):
        try:
            ended, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped already: a caller that ignores SIGCHLD or reaps every child
            ended = pid
        if ended:
            _UNREAPED.remove(pid)


def can_fork() -> bool:
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return False


