"""The merge loop: validate every row first, then write one file per valid row.

Nothing is written until every row has been checked; a bad row is reported with
its number, field and fix, and the others are still produced. Files are written
atomically and an existing file is kept (unless ``force``), so re-running after an
interruption completes the set without duplicates or half-written files.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, LetterkitError, OutputError, Problem

if TYPE_CHECKING:
    from ..model import Termination
from .columns import deep_merge
from .names import Namer
from .results import RowLog, RowResult
from .sources import Row, read_rows, row_from_record

Progress = Callable[[int, int], None]
FORMATS = ("docx", "pdf", "eml", "txt", "md", "html")


@dataclass
class MergeReport:
    """Every row's outcome, in row order."""

    results: RowLog = field(default_factory=RowLog)
    out_dir: str = ""
    combined: str = ""

    def count(self, status: str) -> int:
        return self.results.count(status)

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["row", "status", "file", "problems"])
        for r in self.results:
            writer.writerow([r.row, r.status, _cell(r.file), _cell(" | ".join(r.problems))])
        return buffer.getvalue()

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "version": 1,
                    "out_dir": self.out_dir,
                    "combined": self.combined,
                    "results": [asdict(r) for r in self.results],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )


def _cell(text: str) -> str:
    """A report cell a spreadsheet shows as text: one starting with = + - @ (or a tab or CR)
    would be run as a formula when the report is opened in Excel, so it gets a leading '."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass(frozen=True)
class _Job:
    """One valid row to write: its input (validated again where the letter is made, so
    with --jobs the worker processes share that work) and its file."""

    row: int
    data: dict[str, Any]
    path: Path
    termination: Termination | None = None  # kept from the first pass when it was small
    fmt: str = "docx"  # .eml for a row whose channel is email, else the letters' format


def merge(
    rows: str | Path | Iterable[Mapping[str, Any]] | Iterable[Row],
    *,
    base: Mapping[str, Any] | str | Path | None = None,
    out_dir: str | Path | None = None,
    fmt: str = "docx",
    name: str | None = None,
    template: str | Path | None = None,
    check: bool = False,
    force: bool = False,
    combined: str | Path | None = None,
    jobs: int = 1,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    attachments: Iterable[str | Path] = (),
    attach_pdf: bool = False,
    progress: Progress | None = None,
) -> MergeReport:
    """Validate all rows, then render each valid one to ``out_dir``; never prints.

    Each row goes out on its channel: a row whose ``channel`` is ``email`` becomes an
    .eml file, any other row a letter in ``fmt`` (.docx when ``fmt`` is ``eml``). A row
    without a channel takes it from ``fmt``: emails for ``eml``, letters otherwise.
    """
    if fmt not in FORMATS:
        raise LetterkitError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if combined and fmt != "docx":
        raise LetterkitError("--combined needs .docx letters; use --format docx")
    if combined and Path(combined).suffix.lower() != ".docx":
        raise LetterkitError(f"--combined {combined}: the combined document is a .docx; name it *.docx")
    base_data = _base(base)
    namer = Namer(name, fmt)
    source = _source(rows, sheet, columns)
    report = MergeReport(out_dir=str(out_dir or ""))
    kept: dict[int, Termination] = {}
    keep = 0 if check else KEEP_VALIDATED
    for row in source():  # pass 1: check every row; nothing is written yet
        report.results.append(_check_row(row, base_data, namer, kept, keep, fmt))
    if check:
        return report
    if out_dir is None:
        raise LetterkitError("an output folder is needed; give it with -o DIR")
    folder = _prepare(Path(out_dir))
    # pass 2: the rows' validated input as kept from pass 1, or read again beyond that
    rows_again = source() if len(kept) < report.results.count("valid") else None
    jobs_iter = _jobs(rows_again, base_data, report.results, folder, kept, fmt)
    out = _Output(
        fmt, str(template) if template else None, force, tuple(Path(a) for a in attachments), attach_pdf
    )
    _check_attachments(out)
    done = RowLog()
    try:
        _produce(jobs_iter, report.results, done, out, jobs, progress)
    except (LetterkitError, KeyboardInterrupt) as exc:
        # the run stops (a full disk, Ctrl-C): the error carries the report so far
        setattr(exc, "report", MergeReport(_stopped(report.results, done), report.out_dir))  # noqa: B010
        raise
    report.results = done
    if combined:
        report.combined = str(_combine(report, folder, Path(combined)))
    return report


def _check_attachments(out: _Output) -> None:
    """Attachments only go into emails, and must be readable before the first one is written."""
    if (out.attachments or out.attach_pdf) and out.fmt != "eml":
        raise LetterkitError("attachments go into emails: use --format eml")
    for path in out.attachments:
        if not path.is_file():
            raise LetterkitError(f"{path}: attachment not found; check the path")


def _base(base: Mapping[str, Any] | str | Path | None) -> dict[str, Any]:
    """The shared fields, checked on their own: a mistake in them is reported once, for the
    base, instead of once for every row."""
    if base is None:
        return {}
    if isinstance(base, Mapping):
        data, origin, lines = dict(base), "the base fields", None
    else:
        from ..sources import read_input

        read, lines = read_input(base)
        if not isinstance(read, dict):
            raise InputError([Problem("", "expected a mapping of the shared fields")], str(base))
        data, origin = read, str(base)
    _check_base(data, origin, lines)
    return data


def _check_base(data: dict[str, Any], origin: str, lines: Mapping[str, int] | None) -> None:
    """Problems with keys the base itself holds (unknown keys, bad values); what only the
    rows can supply (a recipient, say) is not asked of the base."""
    from ..model import validate as check

    try:
        check(data, source=origin, lines=lines)
    except InputError as exc:
        own = [problem for problem in exc.problems if _holds(data, problem.path)]
        if own:
            raise InputError(own, origin) from None


def _holds(data: Any, path: str) -> bool:
    """Whether ``data`` has the dotted ``path`` (``steps_taken[0].kind`` or ``steps_taken.0.kind``)."""
    node = data
    for part in path.replace("[", ".").replace("]", "").split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return bool(path)


def _source(rows: Any, sheet: str | None, columns: Mapping[str, str] | None) -> Callable[[], Iterator[Row]]:
    """A function that yields the rows. A file is read again for the second pass; a Python
    iterable is read once into a list (pass a file for inputs too large for memory)."""
    if isinstance(rows, (str, Path)):
        return lambda: read_rows(rows, sheet=sheet, mapping=columns)
    items = rows if isinstance(rows, (list, tuple)) else list(rows)
    return lambda: _numbered(items)


def _numbered(items: Iterable[Any]) -> Iterator[Row]:
    for number, item in enumerate(items, start=1):
        yield item if isinstance(item, Row) else row_from_record(number, item)


def validate(data: dict[str, Any]) -> Termination:
    """The input contract's validation (loaded on first use); a row that asks for a printed
    letter (``channel: letter``) needs the recipient's postal address."""
    from ..model import validate as check

    return check(data, postal_address=data.get("channel") == "letter")


# The first rows' validated input is kept for the second pass (it saves validating them
# twice); beyond that, rows are validated again, so memory stays bounded for any size.
KEEP_VALIDATED = 20_000


def row_input(base: dict[str, Any], data: dict[str, Any], fmt: str) -> dict[str, Any]:
    """A row's input: the base's fields, the row's over them, and the email channel for an
    email merge when neither names a channel (the input's default channel is letter)."""
    merged = deep_merge(base, data)
    channel = merged.get("channel")
    if channel in (None, ""):
        if fmt == "eml":
            merged["channel"] = "email"
    else:  # "E-Mail", "Brief": the file's format follows the channel the validation will read
        from ..model import canonical_choice
        from ..schema import INPUT

        merged["channel"] = canonical_choice(INPUT.fields["channel"], channel) or channel
    return merged


def row_format(channel: object, fmt: str) -> str:
    """The file format of a row: .eml for the email channel, else the letters' format."""
    if channel == "email":
        return "eml"
    return "docx" if fmt == "eml" else fmt


def _check_row(
    row: Row, base: dict[str, Any], namer: Namer, kept: dict[int, Termination], keep: int, fmt: str
) -> RowResult:
    """Validate one row (and the wording of its own reason_note); name its file.

    A failed row's name is reserved too, so that fixing the row later does not shift the
    names of the rows after it (a re-run would otherwise take their files for its own).
    """
    if row.error:
        return RowResult(row.number, "failed", problems=[row.error])
    data = row_input(base, row.data, fmt)
    name = namer.name(row.number, data, row_format(data.get("channel"), fmt))
    try:
        termination = validate(data)
        if termination.reason_note:
            _check_wording(termination)
    except InputError as exc:
        return RowResult(row.number, "failed", problems=[str(p) for p in exc.problems])
    except LetterkitError as exc:
        return RowResult(row.number, "failed", problems=[str(exc)])
    except Exception as exc:  # one row's surprise must not stop the others
        return RowResult(row.number, "failed", problems=[_internal(exc)])
    if len(kept) < keep:
        kept[row.number] = termination
    return RowResult(row.number, "valid", file=name)


def _check_wording(termination: Termination) -> None:
    """The tone check of the user's own reason_note, which composing the letter does
    (InputError); run in the first pass so that --check reports it too."""
    from ..compose import compose

    compose(termination)


def _internal(exc: BaseException) -> str:
    """The problem line for an error letterkit did not foresee (no traceback)."""
    return (
        f"letterkit could not produce this row ({type(exc).__name__}: {exc}); this is a bug in "
        "letterkit, please report it with the row"
    )


def _jobs(
    rows: Iterator[Row] | None,
    base: dict[str, Any],
    planned: RowLog,
    folder: Path,
    kept: dict[int, Termination],
    fmt: str,
) -> Iterator[_Job]:
    """The valid rows again: from ``kept`` when it holds all of them (``rows`` is None),
    otherwise read afresh, so no row beyond the kept ones is held longer than its letter takes."""
    if rows is None:
        for result in planned:
            if result.status == "valid":
                termination = kept.pop(result.row)
                path = folder / result.file
                yield _Job(result.row, {}, path, termination, row_format(termination.channel, fmt))
        return
    for row, result in zip(rows, planned, strict=False):
        if result.status == "valid":
            kept_input: Termination | None = kept.pop(row.number, None)
            data: dict[str, Any] = {} if kept_input is not None else row_input(base, row.data, fmt)
            channel = kept_input.channel if kept_input is not None else data.get("channel")
            yield _Job(row.number, data, folder / result.file, kept_input, row_format(channel, fmt))


def _prepare(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the output folder ({exc.strerror})") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: is not a folder")
    from ..output import remove_leftovers

    remove_leftovers(folder)  # what a killed run was writing when it stopped
    probe = folder / ".letterkit-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot write there ({exc.strerror}); choose another folder with -o"
        ) from None
    return folder


def _produce(
    jobs_iter: Iterator[_Job],
    planned: RowLog,
    done: RowLog,
    out: _Output,
    jobs: int,
    progress: Progress | None,
) -> None:
    """Write every planned letter; the outcome of every row goes to ``done``, in row order."""
    total = planned.count("valid")
    args = ((job, out) for job in jobs_iter)
    if jobs > 1 and total > 1:
        import os
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker, initargs=(os.getpid(),)) as pool:
            batches = _Batches(pool, args, jobs * 2)
            try:
                _outcomes(planned, done, batches.results(), total, progress)
            except BaseException:
                # stopped (Ctrl-C, a full disk): let the letters in progress finish, then count
                # every letter the workers wrote before the report is made
                pool.shutdown(wait=True, cancel_futures=True)
                with contextlib.suppress(StopIteration, LetterkitError):
                    _outcomes(islice(planned, len(done), None), done, batches.finished(), total, None)
                raise
        return
    _outcomes(planned, done, map(_run_job, args), total, progress)


def _worker(parent: int) -> None:
    """A worker process: Ctrl-C is for the merge process (which stops the workers in order),
    and the worker ends when the merge process is gone (killed with kill -9, say) instead of
    waiting for work forever."""
    import os
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="letterkit-watch-parent", daemon=True).start()


def _stopped(planned: RowLog, done: RowLog) -> RowLog:
    """The report of a run that stopped: the rows done, then the rest as planned, the valid
    ones marked ``stopped`` (not written)."""
    report = RowLog()
    finished = iter(done)
    for result in planned:
        outcome = next(finished, None)
        if outcome is not None:
            report.append(outcome)
        elif result.status == "valid":
            report.append(
                RowResult(result.row, "stopped", "", ["not written: the run stopped before this row"])
            )
        else:
            report.append(result)
    return report


BATCH = 32  # letters per task handed to a worker: one round trip per batch, not per letter


Outcome = tuple[int, str, list[str]]


class _Batches:
    """Like pool.map, in order, but in batches of ``BATCH`` letters with at most ``window``
    batches in flight (flat memory); ``finished`` gives what the workers did but was not
    taken yet, for the report of a run that stopped."""

    def __init__(self, pool: Any, args: Iterator[Any], window: int) -> None:
        from collections import deque

        self._pool, self._args, self._window = pool, args, window
        self._pending: deque[Any] = deque()
        self._current: deque[Outcome] = deque()

    def results(self) -> Iterator[Outcome]:
        while batch := list(islice(self._args, BATCH)):
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


def _run_batch(batch: list[tuple[_Job, _Output]]) -> list[Outcome]:
    """Several letters in one worker task."""
    return [_run_job(arg) for arg in batch]


def _outcomes(
    planned: Iterable[RowResult],
    final: RowLog,
    written: Iterator[tuple[int, str, list[str]]],
    total: int,
    progress: Progress | None,
) -> None:
    """The planned results with each valid row's outcome filled in (both come in row order),
    appended to ``final`` as they come."""
    done = 0
    for result in planned:
        if result.status == "valid":
            row, status, problems = next(written)
            if status == "fatal":
                raise OutputError(problems[0])
            result = RowResult(row, status, "" if status == "failed" else result.file, problems)
            done += 1
            if progress:
                progress(done, total)
        final.append(result)


@dataclass(frozen=True)
class _Output:
    """How every letter of a merge is written."""

    fmt: str
    template: str | None = None
    force: bool = False
    attachments: tuple[Path, ...] = ()
    attach_pdf: bool = False


def _run_job(arg: tuple[_Job, _Output]) -> tuple[int, str, list[str]]:
    """Compose, render and write one letter (runs in a worker process with --jobs)."""
    from ..compose import compose
    from ..output import write_atomic
    from ..render import render

    job, out = arg
    fmt, force = job.fmt, out.force
    exists = not force and job.path.exists()
    try:
        letter = compose(job.termination or validate(job.data))
        if exists:
            return _kept(job, letter, out)
        attachments: list[Path | tuple[str, bytes]] = list(out.attachments) if fmt == "eml" else []
        if out.attach_pdf and fmt == "eml":
            attachments.append(
                (job.path.with_suffix(".pdf").name, render(letter, "pdf", template=out.template))
            )
        data = render(letter, fmt, template=out.template if fmt != "eml" else None, attachments=attachments)
        write_atomic(job.path, data, force=force, durable=False)
    except OutputError as exc:
        return job.row, "fatal", [str(exc)]
    except InputError as exc:
        return job.row, "failed", [str(p) for p in exc.problems]
    except LetterkitError as exc:
        return job.row, "failed", [str(exc)]
    except Exception as exc:  # one row's surprise must not stop the others
        return job.row, "failed", [_internal(exc)]
    return job.row, "written", [f"{f.rule}: {f.text}" for f in letter.findings]


def _kept(job: _Job, letter: Any, out: _Output) -> tuple[int, str, list[str]]:
    """An existing file is this row's letter from an earlier run ("exists"), or a clash.

    The check: a letter's bytes (the same input gives the same bytes); an email's
    addresses, subject, Message-ID and text (its attachments — a PDF of the letter is
    stamped with the time by LibreOffice — are left out); a PDF is taken as it is.
    """
    from ..render import render

    if job.fmt == "pdf":
        return job.row, "exists", []
    try:
        existing = job.path.read_bytes()
    except OSError as exc:
        return job.row, "fatal", [f"{job.path}: cannot be read ({exc.strerror})"]
    if job.fmt == "eml":
        same = _email_content(existing) == _email_content(render(letter, "eml"))
    else:
        same = existing == render(letter, job.fmt, template=out.template)
    if same:
        return job.row, "exists", []
    problem = (
        f"{job.path.name} already exists and holds another letter (from an earlier run with other "
        "data?); move it away or use --force to replace it"
    )
    return job.row, "failed", [problem]


def _email_content(data: bytes) -> tuple[object, ...]:
    """What makes an email this row's: its addresses, subject, Message-ID and text parts."""
    from email import message_from_bytes, policy

    message = message_from_bytes(data, policy=policy.default)
    headers = tuple(str(message.get(name, "")) for name in ("From", "To", "Subject", "Message-ID"))
    texts = []
    for kind in ("plain", "html"):
        part = message.get_body((kind,))
        texts.append(part.get_content() if part is not None else None)
    return (*headers, *texts)


def _combine(report: MergeReport, folder: Path, target: Path) -> Path:
    from ..output import write_atomic
    from ..render.combine import combine_docx

    files = [folder / r.file for r in report.results if r.status in ("written", "exists")]
    documents = [path.read_bytes() for path in files if path.suffix == ".docx"]
    if not documents:
        raise LetterkitError("no letters to combine; every row failed or went out as an email")
    # the combined document is made from the set: a re-run that completed the set replaces it
    return write_atomic(target, combine_docx(documents), force=True)
