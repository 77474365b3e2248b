"""A long draft linted in two processes: this one and a forked copy of it each run every
tone rule, and the tone model, over their own paragraphs of the draft — the first part here,
the rest in the copy, which sends back its findings and its sentences. Each builds the index
of its part only, so splitting the text into sentences, the prefilter and the rules are all
shared out; the body of the draft (body.py) is found before the fork, for both.

The findings are exactly those of one process (tests/test_lint_parallel.py): no sentence
spans two paragraphs, a rule's matches stay in their sentence, and the findings are put
back in the order one process makes them (rule by rule, each in the order of the text).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

from .body import body_bounds
from .engine import Index, Matcher
from .findings import Finding, astuple
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

SentenceData = tuple[int, int, int, list[str]]  # a Sentence's start, end, paragraph and words


def tone_findings(draft: Draft, lang: str, rules: Sequence[Rule]) -> tuple[list[Finding], Index]:
    """The findings of the tone ``rules`` (and the tone model) over the draft, in the order
    one Matcher makes them, and the index of the whole draft (for the structure checks)."""
    paragraphs = list(draft.paragraphs())
    body = body_bounds(draft, paragraphs, lang)
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
    theirs = [Finding(*fields) for fields in values]
    # the patterns the copy translated are kept in the cache file as this process's are
    # (lost with the copy, they would be translated again by every run)
    adopt_code(lang, code)
    # one process gives each rule's findings in turn, then the model's ("judged/…"): the
    # sort is stable, and each part's findings of a rule are in the order of the text
    order = [rule for rule in rules if rule.kind != "model"] + [rule for rule in rules if rule.kind == "model"]
    rank = {rule.id: i for i, rule in enumerate(order)}
    findings = sorted([*found, *theirs], key=lambda f: rank[f.rule])
    visible = draft.visible
    whole = Index(draft, [*own.sentences, *(Sentence(visible[a:b], a, b, p, w) for a, b, p, w in sentences)])
    return findings, whole


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
) -> tuple[list[tuple[Any, ...]], list[SentenceData], dict[Any, Any]]:
    """The copy's work: the findings over the paragraphs from ``cut`` on (each as the tuple
    of its fields: a third less to send than the objects, and quicker to read back), their
    sentences (the structure checks read them; the text is the draft's, not sent) and the
    code of the patterns it translated."""
    index = Index.build(draft, paragraphs[cut:], cut)
    findings = [astuple(f) for f in Matcher(draft, index, lang, body).run(rules)]
    sentences = [(s.start, s.end, s.paragraph, s.words) for s in index.sentences]
    return findings, sentences, translated_code(lang, mark)


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


