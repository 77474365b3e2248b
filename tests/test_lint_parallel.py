"""A long draft's rules are shared out between this process and a forked copy of it
(engine.Matcher._each_rule): the findings must be exactly those of one process, and a copy
that fails or cannot be made must cost nothing but time."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from letterkit.lint import engine, lint_draft
from letterkit.lint.readers import read_draft
from letterkit.lint.text import Draft

CORPUS = Path(__file__).resolve().parent / "lint_corpus"
ON_LINUX_WITH_TWO_CORES = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1


def long_text(lang: str) -> str:
    """Every draft of the corpus in the language, one after the other (~40 KB)."""
    drafts = sorted((CORPUS / "drafts").glob(f"{lang}*.txt")) + sorted(
        (CORPUS / "drafts").glob(f"{lang}*.md")
    )
    return "\n\n".join(path.read_text(encoding="utf-8") for path in drafts) * 3


@pytest.mark.parametrize("lang", ["de", "en"])
def test_shared_out_rules_find_what_one_process_finds(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = long_text(lang)
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), lang)
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 1)
    ran_in = tmp_path / "pid"
    can_fork = engine._can_fork()  # Linux, two cores, no other thread: asked as the lint asks

    def noting_the_pid(work: Callable[[], object]) -> object:
        ran_in.write_text(str(os.getpid()))  # in the copy, before its share of the rules
        return work()

    real_start = engine.Forked.start
    monkeypatch.setattr(engine.Forked, "start", lambda work: real_start(lambda: noting_the_pid(work)))
    shared = lint_draft(Draft(text), lang)
    assert len(alone) > 50 and shared == alone
    if can_fork:  # a copy really ran the other share (elsewhere the rules all run here)
        assert int(ran_in.read_text()) != os.getpid()
    else:
        assert not ran_in.exists()


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_the_copy_really_runs_and_sends_its_result() -> None:
    started = engine.Forked.start(lambda: [os.getpid(), "Grüße"])
    assert started is not None
    with started:
        pid, text = started.result()
    assert pid != os.getpid() and text == "Grüße"


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_a_copy_that_fails_gives_none_and_its_part_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> object:
        raise RuntimeError("the copy fails")

    started = engine.Forked.start(broken)
    assert started is not None
    with started:
        assert started.result() is None
    # in the lint: a copy that returns nothing useful, and the rules it had are run here
    text = long_text("en")
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), "en")
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 1)
    real_start = engine.Forked.start
    monkeypatch.setattr(engine.Forked, "start", lambda work: real_start(broken))
    assert lint_draft(Draft(text), "en") == alone


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_an_error_here_stops_the_copy() -> None:
    started = engine.Forked.start(lambda: threading.Event().wait(30))
    assert started is not None
    with pytest.raises(KeyError), started:
        raise KeyError("an error while the copy runs")
    with pytest.raises(ChildProcessError):  # it was stopped and reaped: nothing left to wait for
        os.waitpid(started._pid, 0)


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert engine.Forked.start(lambda: 1) is None
    finally:
        stop.set()
        thread.join()


def test_a_long_draft_from_a_file_is_linted_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_text("de"), encoding="utf-8")
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(read_draft(path), "de")
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 1)
    assert lint_draft(read_draft(path), "de") == alone


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_a_caller_that_ignores_sigchld_still_gets_the_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that sets SIGCHLD to SIG_IGN has its children reaped by the kernel: waiting
    for the copy finds no child, and the data it sent decides."""
    import signal

    text = long_text("en")
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), "en")
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 1)
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert lint_draft(Draft(text), "en") == alone
        started = engine.Forked.start(lambda: "ok")
        assert started is not None
        with started:
            assert started.result() == "ok"
    finally:
        signal.signal(signal.SIGCHLD, before)


_RUN = """
import sys
from letterkit.lint import engine, lint_draft, rules
from letterkit.lint.text import Draft
engine.PARALLEL_CHARS = 1 if sys.argv[2] == "shared" else 10**12
lint_draft(Draft(open(sys.argv[1], encoding="utf-8").read()), "en")
print(len(rules._NEW_CODE))
"""


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_what_the_copy_translated_is_kept_in_the_cache(tmp_path: Path) -> None:
    """The copy's patterns were translated again by every run (its code died with it): a
    fresh install linting long drafts paid ~0.15 s a run. Now the code comes back with its
    findings and is kept, so one shared-out run leaves the cache with every pattern the
    draft needs: a run in one process after it translates none."""
    import subprocess

    draft = tmp_path / "long.txt"
    draft.write_text(long_text("en"), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def translated(mode: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", _RUN, str(draft), mode],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(done.stdout)

    assert translated("shared") > 0  # a fresh cache: the patterns are translated (by both)
    assert translated("alone") == 0


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_the_copy_sends_back_only_the_code_it_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-running process that had translated every pattern sent all of it back from
    each copy (~3.5 MB per long draft): the copy sends what it added after the fork."""
    from letterkit.lint import rules

    text = long_text("en")
    lint_draft(Draft(text[:5000]), "en")  # the rules loaded
    before = {p.key for p in rules._set_patterns(rules._rule_set("en")) if p.code is not None}
    assert before
    monkeypatch.setattr(rules, "_NEW_CODE", set(before))  # as if this process had translated them
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 1)
    sent: list[dict[tuple[int, str], object]] = []
    real_adopt = engine.adopt_code
    monkeypatch.setattr(
        engine, "adopt_code", lambda lang, codes: sent.append(codes) or real_adopt(lang, codes)
    )
    lint_draft(Draft(text), "en")
    assert sent  # the copy's result came back
    assert all(key not in before for codes in sent for key in codes)


# sentences no rule names and the tone model reads as blame (checked in the test)
FOR_THE_MODEL = {
    "de": "Ihre Buchhaltung scheint unsere Rechnungen als freiwillige Angebote zu betrachten.",
    "en": "Your finance team seems to regard our invoices as optional extras.",
}


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("ready_after", [0, 5, None])
def test_judging_ahead_while_the_copy_runs_changes_no_finding(
    lang: str, ready_after: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the copy runs its share, this process has the tone model judge the sentences
    its own rules left alone; the copy's findings are known only after. Whether the copy
    ends before any, some or all of that judging is done, the findings are those of one
    process: a sentence the copy's rules flag gets no judged/ finding as well."""
    text = long_text(lang).replace("\n\n", f"\n\n{FOR_THE_MODEL[lang]}\n\n", 40)
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), lang)
    assert len([f for f in alone if f.rule.startswith("judged/")]) >= 40  # the model has its say
    monkeypatch.setattr(engine, "PARALLEL_CHARS", 1)
    asked = [0]

    def ready(self: engine.Forked) -> bool:
        asked[0] += 1
        return ready_after is not None and asked[0] > ready_after

    ahead: list[int] = []
    real_judge_ahead = engine.Matcher._judge_ahead

    def judge_ahead(self: engine.Matcher, rule: object, flagged: set[int], ready: Callable[[], bool]) -> None:
        before = len(self._judged)
        real_judge_ahead(self, rule, flagged, ready)  # type: ignore[arg-type]
        ahead.append(len(self._judged) - before)

    monkeypatch.setattr(engine.Forked, "ready", ready)
    monkeypatch.setattr(engine.Matcher, "_judge_ahead", judge_ahead)
    shared = lint_draft(Draft(text), lang)
    assert len(alone) > 50 and shared == alone
    if engine._can_fork():
        assert ahead, "the judging ahead did not run"
        if ready_after == 0:
            assert ahead == [0]
        elif ready_after == 5:  # asked every 8 sentences: stops when the copy is done
            assert 0 < ahead[0] <= 40
        elif ready_after is None:  # every sentence its own rules left alone, judged ahead
            assert ahead[0] > 100


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_a_process_with_many_files_open_still_shares_the_rules_out(tmp_path: Path) -> None:
    """The copy's pipe gets a descriptor above 1024 in a process with many files open (a
    service): asking whether the copy is done must work there too (select() refuses it)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("cannot open 1,100 files here")
    resource.setrlimit(
        resource.RLIMIT_NOFILE,
        (max(soft, 1200) if hard == resource.RLIM_INFINITY else min(hard, max(soft, 1200)), hard),
    )
    opened = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        started = engine.Forked.start(lambda: "done")
        assert started is not None
        with started:
            assert started._read >= 1024
            while not started.ready():
                pass
            assert started.result() == "done"
        text = long_text("en")
        assert lint_draft(Draft(text), "en") == lint_draft(Draft(text), "en")
    finally:
        for fd in opened:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
