"""Pass 2 of a merge: compose, render and write each planned letter, in row order.

One process, or worker processes (``--jobs``): on Linux copies of the merge forked after
the check, which find each row's job themselves and send back only its outcome; elsewhere a
process pool sent each job. Either way letters are made in batches, step by step
(``run_phased``), and the outcomes come back in row order. An existing file is kept only when it holds this
row's letter, or, with ``force``, replaced; an email that was sent (the folder's sent-log
says so) is never replaced: it is what its recipients got. When the run stops (a full disk,
Ctrl-C) the letters finished so far are counted, so the report matches the files on disk.
What an existing file is (this row's letter, an email that was sent, a clash) is decided in
``existing``.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import output
from ..errors import InputError, LetterkitError, OutputError
from ..render import render
from ..render.fit import overflows
from ..render.package import PendingZip
from .existing import clash, kept, resending, supersede
from .made import file_record
from .results import RowLog, RowResult, finding_notice

if TYPE_CHECKING:
    from ..model import Termination
    from .made import MadeLog

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Job:
    """One valid row to write: its input (validated again where the letter is made, so
    with --jobs the worker processes share that work) and its file."""

    row: int
    data: dict[str, Any]
    path: Path
    termination: Termination | None = None  # kept from the first pass when it was small
    fmt: str = "docx"  # .eml for a row whose channel is email, else the letters' format
    attachments: tuple[Path, ...] | None = None  # the row's own files (--attach patterns), else Output's
    sent: str = ""  # who got the email in the file, as the sent-log says ('a@example.com on 2026-11-27')
    sent_to: tuple[str, ...] = ()  # their addresses, in lower case
    sent_before: tuple[tuple[str, str], ...] = ()  # who got an email of this file name (WentOut.before)
    made: str = ""  # the record kept of the file when it was written (see made.py), if any
    validated: bytes = b""  # the digest of ``termination`` (repeats.validated_digest), if known


def internal(exc: BaseException) -> str:
    """The problem line for an error letterkit did not foresee (no traceback)."""
    return (
        f"letterkit could not produce this row ({type(exc).__name__}: {exc}); this is a bug in "
        "letterkit, please report it with the row"
    )


def produce(
    jobs_iter: Iterator[Job],
    planned: RowLog,
    done: RowLog,
    out: Output,
    jobs: int | None,
    progress: Progress | None,
    made: MadeLog | None = None,
) -> None:
    """Write every planned letter; the outcome of every row goes to ``done``, in row order,
    and the record of each file written or found to hold its row's letter to ``made``.
    ``jobs``: worker processes; None: as ``auto_jobs`` says (one where workers cannot be
    forked copies of this process)."""
    total = planned.count("valid")
    args = ((job, out) for job in jobs_iter)
    size = batch_size(out)
    forking = can_fork()
    if jobs is None:  # not asked for: workers by themselves for a large merge (auto_jobs)
        jobs = auto_jobs(total) if forking else 1
    workers = min(jobs, -(-total // size))  # a worker per batch at most
    if workers > 1 and forking:
        _forked(args, planned, done, total, progress, made, workers, size)
        return
    if jobs > 1 and total > 1 and not forking:
        import os
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_worker, initargs=(os.getpid(),)) as pool:
                batches = _Batches(pool, args, jobs * 2, batch_size(out))
                try:
                    _outcomes(planned, done, batches.results(), total, progress, made)
                except BaseException:
                    # stopped (Ctrl-C, a full disk, a worker killed): let the letters in progress
                    # finish, then count every letter the workers wrote before the report is made
                    pool.shutdown(wait=True, cancel_futures=True)
                    with contextlib.suppress(StopIteration, LetterkitError, BrokenProcessPool):
                        rest = islice(planned, len(done), None)
                        _outcomes(rest, done, batches.finished(), total, None, made)
                    raise
        except BrokenProcessPool:
            raise OutputError(
                "a worker process stopped unexpectedly (killed, or out of memory?); every file written "
                "so far is complete: run the same command again to finish (with fewer --jobs if memory is short)"
            ) from None
        return
    _outcomes(planned, done, _in_batches(args, batch_size(out)), total, progress, made)


AUTO_ROWS = 500  # letters from which a merge that names no number of workers uses them
AUTO_LIMIT = 4  # workers at most when none are asked for


def auto_jobs(total: int) -> int:
    """The worker processes of a merge of ``total`` letters that names none (``jobs=None``,
    no ``--jobs``): one per core this process may use that other work leaves free, at most
    ``AUTO_LIMIT``, from ``AUTO_ROWS`` letters on; one below that, where a worker's start (a
    fork) is a good part of the work, and one when the other cores are busy.

    Why the free cores only: on a busy machine a second worker gains nothing and costs
    (measured on two cores kept at a load of 2.2-2.9 by other sessions: 4,000 emails took
    7.0 s in one process, 10.2 s with two workers, the medians of four runs). Linux shares
    the processor out between sessions (autogroup) or containers, not between processes,
    so two workers get no more time than one, and they contend for the folder they both
    write into."""
    import os

    if total < AUTO_ROWS:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may run on (a container's)
    except AttributeError:  # not on Linux: the forked workers are Linux's anyway
        cores = os.cpu_count() or 1
    return max(1, min(cores - busy_cores(), AUTO_LIMIT))


def busy_cores() -> int:
    """How many cores other processes keep busy now: the processes running (Linux's
    /proc/loadavg), this one left out, the median of five looks 10 ms apart. Not the load
    average: a process that has been busy for a while (a service merging list after list,
    a benchmark) is in it itself. Where there is no /proc, the load average of the last
    minute; 0 where there is none either."""
    import os
    import time

    looks = []
    try:
        for look in range(5):
            if look:
                time.sleep(0.01)
            with open("/proc/loadavg", "rb") as handle:
                running = int(handle.read().split()[3].split(b"/")[0])
            looks.append(running - 1)  # this process is running as it reads
    except (OSError, ValueError, IndexError):
        try:
            return int(os.getloadavg()[0] + 0.5)
        except (AttributeError, OSError):
            return 0
    return max(0, sorted(looks)[len(looks) // 2])


def can_fork() -> bool:
    """Whether the workers can be forked copies of this process (Linux, one thread): they
    then have the checked rows and everything prepared already, and take their share of the
    letters by number, so no row's input is sent to them (elsewhere a process pool is sent
    each letter's job)."""
    import os
    import threading

    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def _forked(
    args: Iterator[tuple[Job, Output]],
    planned: RowLog,
    done: RowLog,
    total: int,
    progress: Progress | None,
    made: MadeLog | None,
    workers: int,
    size: int,
) -> None:
    """Pass 2 in ``workers`` forked copies of this process. Each goes through the same jobs
    (its own copy of ``args``, not started before the fork) and makes the batches it takes
    by number (a shared counter: a worker slowed down by the machine takes fewer); it writes
    their files and sends back only the outcomes, which are put back in row order here.
    Stopped (Ctrl-C, a full disk, a worker gone), the workers finish the batch in hand and
    end; the outcomes of the batches finished, up to the first missing one, are counted."""
    import multiprocessing
    import os
    import signal

    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)  # the number of the next batch to take
    stop = context.Event()
    readers: list[Any] = []
    processes: list[Any] = []
    gathered = _Gathered(readers)
    signals = {signal.SIGINT, signal.SIGTERM}
    planned.flush()  # the workers read the rows' plan from the same file
    done.flush()
    try:
        # Ctrl-C held back while forking: a worker ignores it from its first instruction on
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
        try:
            for _ in range(workers):
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(
                    target=_forked_worker, args=(os.getpid(), args, size, counter, stop, writer, blocked)
                )
                process.start()
                writer.close()  # the next worker must not hold this one's end: its end is seen
                readers.append(reader)
                processes.append(process)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        try:
            _outcomes(planned, done, gathered.results(), total, progress, made)
        except BaseException:
            stop.set()  # each worker finishes its batch, sends its outcomes and ends
            with contextlib.suppress(StopIteration, LetterkitError, _WorkerGone):
                gathered.drain()
                _outcomes(islice(planned, len(done), None), done, gathered.finished(), total, None, made)
            raise
    except _WorkerGone:
        raise OutputError(
            "a worker process stopped unexpectedly (killed, or out of memory?); every file written "
            "so far is complete: run the same command again to finish (with fewer --jobs if memory is short)"
        ) from None
    finally:
        stop.set()
        for reader in readers:  # a worker still sending gets a broken pipe instead of waiting
            reader.close()
        for process in processes:
            process.join()


class _WorkerGone(Exception):
    """A forked worker ended without saying it was done (killed, out of memory)."""


def _forked_worker(
    parent: int, args: Iterator[Any], size: int, counter: Any, stop: Any, writer: Any, mask: Any
) -> None:
    """A forked worker: takes the next batch number, skips to it in its copy of the jobs,
    makes and writes its letters and sends their outcomes, until the jobs run out or the
    run stops; then sends ``(None, None)``, or ``(-1, error)`` when going through the jobs
    failed."""
    import signal

    _worker(parent)  # Ctrl-C and SIGTERM ignored, set before they are let through
    _ends_with(parent)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    taken = 0  # the batches of ``args`` gone through
    try:
        lock = counter.get_lock()
        while not stop.is_set():
            if not lock.acquire(timeout=0.5):  # held by a worker killed holding it: see stop
                continue
            try:
                number = counter.value
                counter.value = number + 1
            finally:
                lock.release()
            for _ in islice(args, (number - taken) * size):  # the other workers' batches
                pass
            batch = list(islice(args, size))
            taken = number + 1
            if not batch:
                break
            writer.send((number, list(run_phased(batch))))
        writer.send((None, None))
    except BrokenPipeError:  # the merge process stopped listening: it is going
        pass
    except BaseException as exc:
        with contextlib.suppress(Exception):
            writer.send((-1, exc if _picklable(exc) else LetterkitError(internal(exc))))
    finally:
        writer.close()


def _ends_with(parent: int) -> None:
    """A forked worker is killed by the kernel as soon as the merge process ends, killed with
    kill -9 too (Linux's PR_SET_PDEATHSIG), so that no letter of a killed merge is written
    after it: a resume started at once finds the folder as the merge left it (the watch of
    ``_worker``, which looks every 0.5 s, stays for systems without it)."""
    import ctypes
    import os
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):
        return
    if os.getppid() != parent:  # the merge ended before the signal was asked for
        os._exit(1)


def _picklable(value: object) -> bool:
    import pickle

    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


class _Gathered:
    """The forked workers' outcomes, in row order: the batches come as the workers finish
    them and are given in their order (those ahead of a batch in progress wait here)."""

    def __init__(self, readers: list[Any]) -> None:
        from collections import deque

        self._readers = readers  # filled as the workers start
        self._ended: set[Any] = set()
        self._batches: dict[int, list[Outcome]] = {}
        self._next = 0
        self._current: deque[Outcome] = deque()

    def results(self) -> Iterator[Outcome]:
        while True:
            while self._next not in self._batches:
                if not self._receive():
                    return  # every worker done: no batch beyond the last
            self._take()
            while self._current:
                yield self._current.popleft()

    def _take(self) -> None:
        from collections import deque

        self._current = deque(self._batches.pop(self._next))
        self._next += 1

    def _receive(self) -> bool:
        """Wait for the next message of any worker; False when all are done. A worker that
        ends without saying it is done is gone (_WorkerGone); a worker's error is raised."""
        from multiprocessing.connection import wait

        open_ = [reader for reader in self._readers if reader not in self._ended]
        if not open_:
            return False
        ready: list[Any] = wait(open_)
        for reader in ready:
            try:
                number, sent = reader.recv()
            except (EOFError, OSError):
                self._ended.add(reader)
                raise _WorkerGone() from None
            if number is None:
                self._ended.add(reader)
            elif number < 0:
                self._ended.add(reader)
                raise sent
            else:
                self._batches[number] = sent
        return True

    def drain(self) -> None:
        """Take every message the workers still send, until each has ended (or is gone)."""
        while True:
            try:
                if not self._receive():
                    return
            except Exception:  # a gone worker, or one's error: the others still send
                continue

    def finished(self) -> Iterator[Outcome]:
        """The outcomes not taken yet, in order, up to the first batch that did not finish."""
        yield from self._current
        while self._next in self._batches:
            self._take()
            yield from self._current


def _in_batches(args: Iterator[tuple[Job, Output]], size: int) -> Iterator[Outcome]:
    while batch := list(islice(args, size)):
        yield from run_phased(batch)


def batch_size(out: Output) -> int:
    """Letters per batch: ``BATCH``; ``PDF_BATCH`` when the letters become PDFs (a batch's
    files are written when its last letter is made, and LibreOffice takes ~0.2 s a letter
    plus ~1 s a run, where the other formats take milliseconds)."""
    return PDF_BATCH if out.fmt == "pdf" or out.attach_pdf else BATCH


def _worker(parent: int) -> None:
    """A worker process: Ctrl-C and SIGTERM are for the merge process (which stops the
    workers in order: each finishes its batch, then ends and removes its working folders),
    and the worker ends when the merge process is gone (killed with kill -9, say) instead of
    waiting for work forever."""
    import os
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="letterkit-watch-parent", daemon=True).start()


def stopped(planned: RowLog, done: RowLog, folder: Path, began: float = 0.0) -> RowLog:
    """The report of a run that stopped: the rows done, then the rest as planned, the valid
    ones marked ``stopped`` (not written) — except those whose file this run put in place,
    as the letters in progress when the run was stopped may be (Ctrl-C right after a
    rename, or as a worker's batch was being taken), so that the report matches the files.
    A file in place is this run's when it is a file changed since the run ``began``: a
    folder, or a user's own file of that name, was not written (tester 42)."""
    report = RowLog()
    finished = iter(done)
    for result in planned:
        outcome = next(finished, None)
        if outcome is not None:
            report.append(outcome)
        elif result.status == "valid":
            if _written_since(folder / result.file, began):
                notes = [*result.problems, "in place as the run stopped"]
                report.append(RowResult(result.row, "written", result.file, notes, result.repeats))
            else:
                report.append(
                    RowResult(
                        result.row,
                        "stopped",
                        "",
                        ["not written: the run stopped before this row"],
                        result.repeats,
                    )
                )
        else:
            report.append(result)
    return report


def _written_since(path: Path, began: float) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    import stat

    return stat.S_ISREG(info.st_mode) and info.st_mtime >= began - 1  # (coarse file-system clocks)


BATCH = 32  # letters per task handed to a worker: one round trip per batch, not per letter
# PDF letters per batch, converted in one LibreOffice run. 40 letters (2 busy cores): one
# run per letter 75 s (108 s with a new profile per run, as before), runs of 8 8-13 s, of 16
# ~9 s, one run ~6 s; a stopped merge loses at most the 8 letters in progress (~2 s of work)
PDF_BATCH = 8


# (row, status, problems) or (row, status, problems, made): the record of a file written or
# found to hold the row's letter (see made.py)
Outcome = tuple[Any, ...]


class _Batches:
    """Like pool.map, in order, but in batches of ``size`` letters with at most ``window``
    batches in flight (flat memory); ``finished`` gives what the workers did but was not
    taken yet, for the report of a run that stopped."""

    def __init__(self, pool: Any, args: Iterator[Any], window: int, size: int = BATCH) -> None:
        from collections import deque

        self._pool, self._args, self._window, self._size = pool, args, window, size
        self._pending: deque[Any] = deque()
        self._current: deque[Outcome] = deque()

    def results(self) -> Iterator[Outcome]:
        while batch := list(islice(self._args, self._size)):
            self._pending.append(self._pool.submit(_run_batch, batch))
            if len(self._pending) >= self._window:
                yield from self._take()
        while self._pending:
            yield from self._take()

    def _take(self) -> Iterator[Outcome]:
        from collections import deque

        self._current = deque(self._pending[0].result())
        self._pending.popleft()
        while self._current:
            yield self._current.popleft()

    def finished(self) -> Iterator[Outcome]:
        """The outcomes not taken yet, in order, up to the first batch that did not finish."""
        yield from self._current
        for future in self._pending:
            if not future.done() or future.cancelled() or future.exception() is not None:
                return
            yield from future.result()


def _run_batch(batch: list[tuple[Job, Output]]) -> list[Outcome]:
    """Several letters in one worker task."""
    return list(run_phased(batch))


def _outcomes(
    planned: Iterable[RowResult],
    final: RowLog,
    written: Iterator[Outcome],
    total: int,
    progress: Progress | None,
    made: MadeLog | None = None,
) -> None:
    """The planned results with each valid row's outcome filled in (both come in row order),
    appended to ``final`` as they come; a planned notice (a repeated row, say) stays with
    the row unless the row failed, whose problems are then the failure's alone."""
    done = 0
    for result in planned:
        if result.status == "valid":
            outcome = next(written)
            while outcome[0] < result.row:  # given twice: a run stopped as a batch was taken
                outcome = next(written)
            if outcome[0] > result.row:  # this row's outcome was lost as the run stopped
                return
            row, status, problems, *record = outcome
            if status == "fatal":
                raise Stopped(problems[0])
            if made is not None and record and record[0]:
                made.add(result.file, record[0])
            failed = status == "failed"
            notices = [] if failed else result.problems
            result = RowResult(
                row, status, "" if failed else result.file, [*notices, *problems], result.repeats
            )
            done += 1
            if progress:
                progress(done, total)
        final.append(result)


class Stopped(OutputError):
    """A file of the merge could not be written (a full disk) or read: the run stops there,
    as every later row would fail the same way. ``merge`` adds what was written before."""


@dataclass(frozen=True)
class Output:
    """How every letter of a merge is written."""

    fmt: str
    template: str | None = None
    force: bool = False
    attachments: tuple[Path, ...] = ()
    attach_pdf: bool = False
    empty: bool = False  # the output folder held nothing when the run began: no file to keep
    # emails that were sent, to be remade from their rows all the same (--resend): the
    # address changed; the email as sent is kept in SUPERSEDED
    resend: frozenset[str] = frozenset()
    stamp: str = ""  # what every file of the run depends on besides its row (made.run_stamp)


def run_phased(batch: Iterable[tuple[Job, Output]]) -> Iterator[Outcome]:
    """Compose every letter of a batch, then render them, then write them, each outcome
    given as soon as its file is in place (in row order). The same work as one letter after
    the other, but each step's code and data stay in the processor's cache for the batch:
    ~10 % less time per letter than composing, rendering and writing each in turn."""
    jobs = [(_validated(job), out) for job, out in batch]
    # a file that holds what its row makes, as the record kept when it was written says, is
    # kept without making its letter again; any other is checked the full way (_kept)
    letters = [_known(job, out) or _guarded(job, _composed, job, out) for job, out in jobs]
    made = [
        letter if _is_outcome(letter) else _guarded(job, _made, job, out, letter)
        for (job, out), letter in zip(jobs, letters, strict=True)
    ]
    # the .docx parts made for each letter are compressed together (see PendingZip)
    made = [_compressed(job, data) for (job, _), data in zip(jobs, made, strict=True)]
    made = _converted(jobs, made)  # the PDFs of the batch in one LibreOffice run
    for (job, out), letter, data in zip(jobs, letters, made, strict=True):
        if _is_outcome(data):
            yield data
        elif isinstance(data, _Kept):
            yield data.outcome
        else:
            yield _guarded(job, _written, job, out, letter, data)


class _ToConvert:
    """A PDF letter's .docx, converted with the batch's other PDF letters (``_converted``);
    ``existing``: the bytes of the PDF already in its place, found without a record of what
    made it, which the conversion is compared with (kept when it is the same letter)."""

    def __init__(self, docx: PendingZip | bytes, existing: bytes | None = None) -> None:
        self.docx, self.existing = docx, existing


def _compressed(job: Job, data: Any) -> Any:
    """A .docx's bytes made from its compressed parts (a PDF letter's too); else ``data``."""
    if isinstance(data, PendingZip):
        return _guarded(job, data.bytes)
    if isinstance(data, _ToConvert) and isinstance(data.docx, PendingZip):
        docx = _guarded(job, data.docx.bytes)
        return docx if _is_outcome(docx) else _ToConvert(docx, data.existing)
    return data


def _converted(jobs: list[tuple[Job, Output]], made: list[Any]) -> list[Any]:
    """``made`` with each PDF letter's .docx replaced by its PDF (or its row's failure). The
    batch's letters are converted in one LibreOffice run: its start-up is paid once per batch,
    and a PDF merge's batch is small (``PDF_BATCH``), so the files are written as they are
    made and an interrupted run leaves the batches it finished."""
    pending = [i for i, data in enumerate(made) if isinstance(data, _ToConvert)]
    if not pending:
        return made
    from ..render.pdf import docx_to_pdfs

    documents = [made[i].docx for i in pending]
    try:
        results: list[Any] = list(docx_to_pdfs(documents))
    except LetterkitError as exc:  # LibreOffice gone since the merge began, say
        results = [exc] * len(pending)
    converted = list(made)
    for i, result in zip(pending, results, strict=True):
        job, out = jobs[i]
        existing = made[i].existing
        if isinstance(result, Exception):
            converted[i] = _guarded(job, _raise, result)
        elif existing is not None:  # a PDF found in place: this row's letter, or a clash
            converted[i] = _Kept(_existing_pdf(job, out, existing, result))
        else:
            converted[i] = result
    return converted


def _existing_pdf(job: Job, out: Output, existing: bytes, made: bytes) -> Outcome:
    """The outcome of a PDF found in place without a record: kept when it holds the letter
    just made again (LibreOffice stamps each conversion with its time), else a clash."""
    from ..render.pdf import same_pdf

    if same_pdf(existing, made):
        return job.row, "exists", [], made_record(job, out, existing)
    return job.row, "failed", [clash(job.path.name)]


def _raise(error: Exception) -> None:
    raise error


def _validated(job: Job) -> Job:
    """The job with its row's input validated (a row beyond the ones kept from the first
    pass); as it was if that fails (composing it then reports why)."""
    if job.termination is not None:
        return job
    from dataclasses import replace

    from .run import validate

    try:
        return replace(job, termination=validate(job.data))
    except Exception:
        return job


def _known(job: Job, out: Output) -> Outcome | None:
    """The row's outcome when its file is known to hold its letter ("exists"): the file's
    bytes and the row's input are those of the record kept when it was written. None when
    that cannot be told (no record, another input, a file changed since): the full check."""
    if not job.made or not out.stamp or out.empty or job.termination is None or (out.force and not job.sent):
        return None
    try:
        return (job.row, "exists", []) if made_record(job, out, job.path.read_bytes()) == job.made else None
    except Exception:  # unreadable, say: the full check reports it
        return None


def made_record(job: Job, out: Output, data: bytes) -> str:
    """The record of the row's file with bytes ``data`` (made.file_record); '' without a stamp."""
    attachments = job.attachments if job.fmt == "eml" else None
    return file_record(out.stamp, job.fmt, job.termination, attachments, data, job.validated)


def _composed(job: Job, out: Output) -> Any:
    return _modules()[0].compose(_termination(job, out))


def _termination(job: Job, out: Output, own_pdf: bool = True) -> Any:
    """The row's validated input; an email's lists the files attached to it as its
    enclosures when the row lists none (compose.listing_attachments): with
    --attach-letter-pdf the letter's own PDF too, unless ``own_pdf`` is false (the printed
    letter in that PDF does not list itself)."""
    compose, run = _modules()[:2]
    termination = job.termination or run.validate(job.data)
    if job.fmt != "eml":
        return termination
    files = job.attachments if job.attachments is not None else out.attachments
    names = [Path(f).name for f in files]
    if not own_pdf:  # the letter printed into the PDF: its own enclosures, not the email's files
        return compose.listing_attachments(termination, names, email=False)
    own = None
    if out.attach_pdf:
        from ..render.pdf import attachment_name

        # the PDF's name comes from the letter (its reference), which the listing does not change
        own = attachment_name(compose.compose(compose.listing_attachments(termination, names, email=False)))
    return compose.listing_attachments(termination, names, own)


@functools.cache
def _modules() -> tuple[Any, Any, Any]:
    """The modules of ``compose``, the merge's ``validate`` and ``render_docx_later``,
    imported on first use (an import statement in a function that runs for every letter
    costs a lookup through the import system); their functions are looked up at each call."""
    import importlib

    compose, run, docx = (importlib.import_module(name, __package__) for name in ("..compose", ".run", "..render.docx"))
    return compose, run, docx


class _Kept:
    """An existing file's outcome, decided when the letter was made (``_kept``)."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def _made(job: Job, out: Output, letter: Any) -> bytes | PendingZip | _ToConvert | _Kept:
    """The file's bytes (for a .docx: ready to be compressed; for a PDF: its .docx, to be
    converted with the batch); or, when the file exists and --force is not given or it is
    an email that was sent, what to do about it (kept when it holds this row's letter)."""
    existing = None
    if not out.empty and (not out.force or job.sent) and job.path.exists():
        if job.fmt == "pdf":  # compared with the letter's PDF once the batch is converted
            existing = _read_existing(job)
            if _is_outcome(existing):
                return _Kept(existing)
        else:
            found = kept(job, letter, out)
            if found is not None:
                return _Kept(found)
    attachments: list[Path | tuple[str, bytes]] = []
    if job.fmt == "eml":  # the files the first pass found for the row, or the fixed ones
        attachments += job.attachments if job.attachments is not None else out.attachments
    if out.attach_pdf and job.fmt == "eml":
        from ..render.pdf import attachment_name

        printed = _printed_letter(job, out) if letter.channel != "letter" else letter
        attachments.append((attachment_name(letter), render(printed, "pdf", template=out.template)))
    if job.fmt in ("docx", "pdf"):
        docx = _modules()[2].render_docx_later(letter, Path(out.template) if out.template else None)
        return docx if job.fmt == "docx" else _ToConvert(docx, existing)
    template = out.template if job.fmt != "eml" else None
    return render(letter, job.fmt, template=template, attachments=attachments)


def _read_existing(job: Job) -> Any:
    """The bytes of the file in the row's place, or the outcome that stops the run when it
    cannot be read."""
    try:
        return job.path.read_bytes()
    except OSError as exc:
        return job.row, "fatal", [f"{job.path}: cannot be read ({exc.strerror})"]


def _printed_letter(job: Job, out: Output) -> Any:
    """The row's letter as a letter (channel letter): the PDF attached to an email is the
    printed letter, with 'Anlagen' and without the email's 'reply to this email'."""
    from dataclasses import replace

    from ..compose import compose

    return compose(replace(_termination(job, out, own_pdf=False), channel="letter"))


def _written(job: Job, out: Output, letter: Any, data: bytes) -> Outcome:
    resent = resending(job, out) and job.path.exists()
    superseded = supersede(job.path) if resent else None
    try:
        output.write_atomic(job.path, data, force=out.force or resent, durable=False, absent=out.empty)
    except output.WriteError as exc:  # the run stops: Stopped says what was written before it
        raise OutputError(f"{exc.path}: cannot be written ({exc.reason}), so it was not written") from None
    made = made_record(job, out, data)
    warnings = [finding_notice(f) for f in letter.findings]
    if superseded is not None:
        warnings.append(
            f"remade for {letter.recipient_email} (--resend); the email as it was sent to {job.sent} is kept "
            f"as {superseded.relative_to(job.path.parent).as_posix()}"
        )
    if job.fmt in ("docx", "pdf") and out.template is None:
        warnings += overflows(letter)
    return job.row, "written", warnings, made


def _is_outcome(value: object) -> bool:
    return isinstance(value, tuple)


def _guarded(job: Job, step: Callable[..., Any], *args: Any) -> Any:
    """``step(*args)``, or the row's outcome when it fails: an output error stops the merge
    (fatal); any other error fails this row only."""
    try:
        return step(*args)
    except OutputError as exc:
        return job.row, "fatal", [str(exc)]
    except InputError as exc:
        return job.row, "failed", [str(p) for p in exc.problems]
    except LetterkitError as exc:
        return job.row, "failed", [str(exc)]
    except Exception as exc:  # one row's surprise must not stop the others
        return job.row, "failed", [internal(exc)]


def letter_bytes(job: Job, out: Output) -> bytes | None:
    """The bytes this row's letter would be written as, or None when it cannot be made (its
    row then fails when it is produced, and is in no combined document)."""
    from ..compose import compose
    from .run import validate

    try:
        letter = compose(job.termination or validate(job.data))
        return render(letter, job.fmt, template=out.template)
    except Exception:  # reported when the row is produced
        return None
