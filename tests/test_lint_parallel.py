"""A long draft is shared out between this process and a forked copy of it, each linting its
own paragraphs (parallel.py): the findings must be exactly those of one process, and a copy
that fails or cannot be made must cost nothing but time."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from letterkit.lint import lint_draft, parallel
from letterkit.lint.findings import astuple
from letterkit.lint.readers import read_draft
from letterkit.lint.text import Draft

CORPUS = Path(__file__).resolve().parent / "lint_corpus"
ON_LINUX_WITH_TWO_CORES = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1


@pytest.fixture(autouse=True, params=["rules", "paragraphs"])
def shared_out_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with each way of sharing out: the rules (each process takes the
    next rule from a common queue) and the paragraphs (each lints its own part)."""
    monkeypatch.setattr(parallel, "PARAGRAPHS_CHARS", 10**12 if request.param == "rules" else 1)
    return str(request.param)


def long_text(lang: str) -> str:
    """Every draft of the corpus in the language, one after the other (~40 KB)."""
    drafts = sorted((CORPUS / "drafts").glob(f"{lang}*.txt")) + sorted(
        (CORPUS / "drafts").glob(f"{lang}*.md")
    )
    return "\n\n".join(path.read_text(encoding="utf-8") for path in drafts) * 3


@pytest.mark.parametrize("lang", ["de", "en"])
def test_shared_out_paragraphs_give_what_one_process_finds(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = long_text(lang)
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), lang)
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    ran_in = tmp_path / "pid"
    can_fork = parallel.can_fork()  # Linux, two cores, no other thread: asked as the lint asks

    def noting_the_pid(work: Callable[[], object]) -> object:
        ran_in.write_text(str(os.getpid()))  # in the copy, before its part of the draft
        return work()

    real_start = parallel.Forked.start
    monkeypatch.setattr(parallel.Forked, "start", lambda work: real_start(lambda: noting_the_pid(work)))
    shared = lint_draft(Draft(text), lang)
    assert len(alone) > 50 and shared == alone
    if can_fork:  # a copy really linted the other part (elsewhere it is all linted here)
        assert int(ran_in.read_text()) != os.getpid()
    else:
        assert not ran_in.exists()


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_the_copy_really_runs_and_sends_its_result() -> None:
    started = parallel.Forked.start(lambda: [os.getpid(), "Grüße"])
    assert started is not None
    with started:
        pid, text = started.result()
    assert pid != os.getpid() and text == "Grüße"


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_a_copy_that_fails_gives_none_and_its_part_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> object:
        raise RuntimeError("the copy fails")

    started = parallel.Forked.start(broken)
    assert started is not None
    with started:
        assert started.result() is None
    # in the lint: a copy that returns nothing useful, and its part is linted here
    text = long_text("en")
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), "en")
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    real_start = parallel.Forked.start
    monkeypatch.setattr(parallel.Forked, "start", lambda work: real_start(broken))
    assert lint_draft(Draft(text), "en") == alone


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_a_copy_that_has_sent_its_result_is_reaped_without_waiting_for_it() -> None:
    """The result is taken as soon as the copy has sent it (its exit is not waited for);
    the ended copy is reaped later, so no zombie is left behind by a long-running caller."""
    import time

    started = parallel.Forked.start(lambda: "done")
    assert started is not None
    with started:
        assert started.result() == "done"
    deadline = time.monotonic() + 10
    while started._pid in parallel._UNREAPED and time.monotonic() < deadline:
        time.sleep(0.01)
        parallel._reap()
    assert started._pid not in parallel._UNREAPED
    with pytest.raises(ChildProcessError):  # reaped: nothing left to wait for
        os.waitpid(started._pid, 0)


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_an_error_here_stops_the_copy() -> None:
    started = parallel.Forked.start(lambda: threading.Event().wait(30))
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
        assert parallel.Forked.start(lambda: 1) is None
    finally:
        stop.set()
        thread.join()


def test_a_long_draft_from_a_file_is_linted_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_text(long_text("de"), encoding="utf-8")
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(read_draft(path), "de")
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    assert lint_draft(read_draft(path), "de") == alone


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_a_caller_that_ignores_sigchld_still_gets_the_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that sets SIGCHLD to SIG_IGN has its children reaped by the kernel: waiting
    for the copy finds no child, and the data it sent decides."""
    import signal

    text = long_text("en")
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), "en")
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert lint_draft(Draft(text), "en") == alone
        started = parallel.Forked.start(lambda: "ok")
        assert started is not None
        with started:
            assert started.result() == "ok"
    finally:
        signal.signal(signal.SIGCHLD, before)


_RUN = """
import sys
from letterkit.lint import lint_draft, parallel, rules
from letterkit.lint.text import Draft
parallel.PARALLEL_CHARS = 1 if sys.argv[2] != "alone" else 10**12
parallel.PARAGRAPHS_CHARS = 1 if sys.argv[2] == "paragraphs" else 10**12
lint_draft(Draft(open(sys.argv[1], encoding="utf-8").read()), "en")
print(len(rules._NEW_CODE))
"""


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_what_the_copy_translated_is_kept_in_the_cache(tmp_path: Path, shared_out_by: str) -> None:
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

    assert translated(shared_out_by) > 0  # a fresh cache: the patterns are translated (by both)
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
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    sent: list[dict[tuple[int, str], object]] = []
    real_adopt = parallel.adopt_code
    monkeypatch.setattr(
        parallel, "adopt_code", lambda lang, codes: sent.append(codes) or real_adopt(lang, codes)
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
@pytest.mark.parametrize("share", [0.05, 0.3, 0.5, 0.8, 0.97])
def test_wherever_the_draft_is_cut_the_findings_are_those_of_one_process(
    lang: str, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tone model's findings come back in their place too (after every rule's), and the
    body of the draft reaches across the cut: short lines at the end of the first part
    belong to it when the closing formula stands in the second, and none after a closing
    formula in the first part (the drafts end in one, one after the other)."""
    text = long_text(lang).replace("\n\n", f"\n\n{FOR_THE_MODEL[lang]}\n\n", 40)
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), lang)
    assert len([f for f in alone if f.rule.startswith("judged/")]) >= 40  # the model has its say
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    monkeypatch.setattr(parallel, "OWN_SHARE", share)
    shared = lint_draft(Draft(text), lang)
    # every field, also those equality leaves out (where a finding ends, its place in the sentence)
    assert [astuple(f) for f in shared] == [astuple(f) for f in alone]


def test_the_same_shouted_line_in_two_paragraphs_is_two_findings_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two findings of one rule with only white space between them are one, within a
    paragraph; a blank line holding a space ("\\n \\n") parts paragraphs too, so the two
    shouted lines stay two findings, alone or shared out (the code review's case)."""
    line = "THIS BEHAVIOUR WILL NOT CONTINUE ANY LONGER FROM YOU"  # no full stop: nothing but space between
    text = f"Dear Ms Hill,\n\nWe are ending the cleaning contract on 31 May.\n\n{line}\n \n{line}\n\nKind regards"
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), "en")
    shouted = [f for f in alone if f.rule == "shouting/capitals"]
    assert len(shouted) == 2 and shouted[0].paragraph != shouted[1].paragraph
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    monkeypatch.setattr(parallel, "OWN_SHARE", 0.5)
    assert lint_draft(Draft(text), "en") == alone


@pytest.mark.parametrize("name", sorted(p.name for p in (CORPUS / "drafts").iterdir() if p.suffix != ".yaml"))
def test_every_corpus_draft_cut_in_two_is_linted_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A letter cut in the middle: its letterhead, salutation, body, closing and signature
    fall on either side (the body is found before the cut, body.py)."""
    path = CORPUS / "drafts" / name
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(read_draft(path))
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    assert lint_draft(read_draft(path)) == alone


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_a_process_with_many_files_open_still_shares_the_draft_out(tmp_path: Path) -> None:
    """The copy's pipe gets a descriptor above 1024 in a process with many files open (a
    service): reading from it must work there too."""
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
        started = parallel.Forked.start(lambda: "done")
        assert started is not None
        with started:
            assert started._read >= 1024
            assert started.result() == "done"
        text = long_text("en")
        assert lint_draft(Draft(text), "en") == lint_draft(Draft(text), "en")
    finally:
        for fd in opened:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.skipif(not ON_LINUX_WITH_TWO_CORES, reason="forks only on Linux with two cores or more")
def test_the_queue_gives_each_number_to_one_process_once() -> None:
    queue = parallel._Queue(parallel.QUEUE_LIMIT)
    started = parallel.Forked.start(lambda: list(queue))
    assert started is not None
    with started:
        here = list(queue)
        there = started.result()
    queue.close()
    assert sorted(here + there) == list(range(parallel.QUEUE_LIMIT))
    assert here == sorted(here) and there == sorted(there)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_copy_failing_after_taking_rules_loses_none_of_them(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy takes rules from the queue, then dies: the rules it took are run here."""
    text = long_text(lang).replace("\n\n", f"\n\n{FOR_THE_MODEL[lang]}\n\n", 40)
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone = lint_draft(Draft(text), lang)
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    monkeypatch.setattr(parallel, "PARAGRAPHS_CHARS", 10**12)
    real_part = parallel._rules_part
    here = os.getpid()

    def taking_and_dying(matcher, chosen, numbers, judges, among, mark):  # type: ignore[no-untyped-def]
        if os.getpid() == here:
            return real_part(matcher, chosen, numbers, judges, among, mark)
        taken = [n for n, _ in zip(numbers, range(len(chosen) // 2), strict=False)]
        raise RuntimeError(f"the copy dies after taking {len(taken)} rules")

    monkeypatch.setattr(parallel, "_rules_part", taking_and_dying)
    shared = lint_draft(Draft(text), lang)
    assert [astuple(f) for f in shared] == [astuple(f) for f in alone]


def test_one_long_sentence_is_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long draft of a single sentence: one process judges no sentence (its half is empty),
    the other the one there is; the model's finding comes once, as in one process."""
    from letterkit.lint.rules import load_rules

    sentence = " ".join(["Your finance team seems to regard our invoices as optional extras"] * 900) + ".\n"
    rules = [r for r in load_rules("en") if r.kind != "structure"]
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 10**12)
    alone, _ = parallel.tone_findings(Draft(sentence), "en", rules)
    monkeypatch.setattr(parallel, "PARALLEL_CHARS", 1)
    shared, _ = parallel.tone_findings(Draft(sentence), "en", rules)
    assert [astuple(f) for f in shared] == [astuple(f) for f in alone]
    assert len([f for f in alone if f.rule.startswith("judged/")]) == 1


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_copys_sentences_come_back_as_they_were(lang: str) -> None:
    """The copy sends its sentences as lists of numbers and one string of words
    (``SentenceData``): read back, each is the sentence it made, words and all; a part
    without sentences sends none."""
    import pickle

    from letterkit.lint.engine import Index

    draft = Draft(long_text(lang) + "\n\nA line with ‘quotes’ and co-op’s words — 3.5 %, x_y.\n")
    paragraphs = list(draft.paragraphs())
    index = Index.build(draft, paragraphs[5:], 5)
    data = pickle.loads(pickle.dumps(parallel._sentence_data(index.sentences)))
    back = list(parallel._sentences(draft, data))
    assert len(back) == len(index.sentences) > 100
    assert [(s.text, s.start, s.end, s.paragraph, s.words) for s in back] == [
        (s.text, s.start, s.end, s.paragraph, s.words) for s in index.sentences
    ]
    assert list(parallel._sentences(draft, parallel._sentence_data([]))) == []


def test_a_finding_sent_as_its_fields_comes_back_whole() -> None:
    """``from_tuple`` makes the finding ``astuple`` took apart, also the fields that equality
    leaves out (where it stands in its sentence, where it ends)."""
    from letterkit.lint.findings import Finding, from_tuple

    findings = lint_draft(Draft(long_text("en")), "en")
    assert any(f.sentence_at > 0 for f in findings) and all(f.end_line > 0 for f in findings)
    for finding in findings:
        back = from_tuple(astuple(finding))
        assert type(back) is Finding and vars(back) == vars(finding) and back == finding
        assert vars(back) == vars(Finding(*astuple(finding)))
