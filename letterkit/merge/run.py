"""The merge loop: validate every row first, then write one file per valid row.

Nothing is written until every row has been checked; a bad row is reported with
its number, field and fix, and the others are still produced. Files are written
atomically and an existing file is kept (unless ``force``), so re-running after an
interruption completes the set without duplicates or half-written files; an email the
folder's sent-log lists as sent is never replaced, not even with ``force``. This module
is the loop and pass 1 (reading, validating, naming); pass 2, writing, is ``produce``.
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, LetterkitError, OutputError, Problem
from ..model import asks_for_postal_address, current_day, passed_end_notice, postal_address_notice
from ..model import validate as check

if TYPE_CHECKING:
    from ..model import Termination, ValidationMemo
from .attach import Attachments
from .base_parts import base_part_problem, signer_notice, without_base_signer
from .collector import collecting_less
from .columns import WHOLE, deep_merge, unknown_key_fix
from .combined import Letters, plan_combined, write_combined
from .made import MadeLog, run_stamp
from .names import Namer, format_from_pattern
from .produce import Job, Output, Progress, Stopped, internal, letter_bytes, produce, stopped
from .repeats import Repeats, repeat_notice, validated_digest
from .report import MergeReport
from .results import RowLog, RowResult, finding_notice
from .sent_log import WentOut, sent_emails
from .serial_dates import serial_date_notices
from .sources import Row, mapping_table, read_mapping, read_rows, row_from_record

FORMATS = ("docx", "pdf", "eml", "txt", "md", "html")


CHECKING_EVERY = 250  # rows between two calls of ``checking``


@collecting_less
def merge(
    rows: str | Path | Iterable[Mapping[str, Any]] | Iterable[Row],
    *,
    base: Mapping[str, Any] | str | Path | None = None,
    out_dir: str | Path | None = None,
    fmt: str | None = None,
    name: str | None = None,
    template: str | Path | None = None,
    check: bool = False,
    force: bool = False,
    combined: str | Path | None = None,
    jobs: int | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str] | str | Path | None = None,
    header_row: int | None = None,
    attachments: Iterable[str | Path] = (),
    attach_pdf: bool = False,
    progress: Progress | None = None,
    resend: Iterable[str] = (),
    before_writing: Callable[[MergeReport], None] | None = None,
    checking: Callable[[int], None] | None = None,
) -> MergeReport:
    """Validate all rows, then render each valid one to ``out_dir``; never prints.

    Each row goes out on its channel: a row whose ``channel`` is ``email`` becomes an
    .eml file, any other row a letter in ``fmt`` (.docx when ``fmt`` is ``eml``). A row
    without a channel takes it from ``fmt``: emails for ``eml``, letters otherwise.
    ``fmt`` left out is the one the ``name`` pattern ends in (``{recipient.last_name}.txt``),
    else docx; one that differs from the name's is an error, as ``--name`` and ``--format``.
    ``header_row``: the row of a CSV file or sheet that holds the column names, when a
    title comes first (``--header-row``).

    ``jobs``: the processes that write the files (the rows are checked in this one, first).
    None (the default): on Linux, for a merge of 500 letters or more when no other thread
    runs, one per core that other work leaves free (the other processes running as it starts
    writing), at most four (``produce.auto_jobs``: copies of this process forked after the
    check, which take the letters batch by batch); else one, this process. The files and
    the report are the same whatever the number.

    ``checking`` is told how many rows have been checked so far, every ``CHECKING_EVERY``
    rows and once at the end of the check (``progress`` counts the files written after it).

    ``resend`` names emails (files of ``out_dir``) that were sent and are remade from their
    rows all the same, to be sent to the row's address now (one corrected since): the email
    as it was sent is kept in ``out_dir/superseded``. Without it, such a row's email is kept
    as it was sent, with a notice that its address changed.

    ``columns`` renames the rows' columns (headers, or a record's own keys): a mapping
    such as ``{"Nachname": "recipient.last_name", "Notiz": None}``, or the name of a YAML or
    JSON file holding one, as ``--columns`` takes.

    ``before_writing`` is called with the report of the checked rows (status ``valid`` or
    ``failed``, each with its file name) once every row is checked, before the first file
    is written: the CLI asks for the SMTP password there, not after the last letter.

    Interrupted while writing (``KeyboardInterrupt``) or stopped by an error that ends the
    run (a full disk: a ``LetterkitError``), the exception carries the report so far as
    ``exc.report`` (rows written, kept, failed, and ``stopped`` for those not reached);
    every file written is complete, and the same call again finishes the set. Interrupted
    while checking, nothing was written (``exc.checking`` is True).
    """
    _check_arguments(rows, base, out_dir, jobs)
    if isinstance(fmt, str) and fmt.lower().lstrip(".") in FORMATS:
        fmt = fmt.lower().lstrip(".")  # "EML", ".docx": as a file's extension is written (tester7)
    named = format_from_pattern(name) if isinstance(name, str) else None
    if fmt is None:
        fmt = named or "docx"
    if fmt not in FORMATS:
        raise LetterkitError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if named and named != fmt:  # the name's extension would be replaced with fmt's, silently
        raise LetterkitError(f"name= ends in .{named} but fmt= is {fmt}; make them agree")
    if combined and fmt != "docx":
        raise LetterkitError("--combined needs .docx letters; use --format docx")
    if combined and Path(combined).suffix.lower() != ".docx":
        raise LetterkitError(f"--combined {combined}: the combined document is a .docx; name it *.docx")
    if (fmt == "pdf" or attach_pdf) and not check:  # before any row is written, not halfway
        from ..render.pdf import find_soffice
        from ..render.workspace import remove_stale

        find_soffice()
        remove_stale()  # the working folders of a merge killed before (kill -9): client letters
    if template is not None:  # a template that cannot make the letters stops the merge once,
        from ..render.docx import check_template  # not every letter row with the same error

        check_template(Path(template))
    base_data = _base(base)
    attach = Attachments.of(attachments)
    _check_attachments(attach, attach_pdf, fmt)
    from ..model import ValidationMemo

    state = _Pass1(
        Namer(name, fmt), 0 if check else KEEP_VALIDATED, attach=attach, check=check, measure=template is None
    )
    state.memo = ValidationMemo(base_data)
    if isinstance(columns, (str, Path)):  # a mapping file, as --columns takes
        columns = read_mapping(columns)
    source = _source(rows, sheet, columns, header_row)
    report = MergeReport(out_dir=str(out_dir or ""))
    try:
        for row in source():  # pass 1: check every row; nothing is written yet
            report.results.append(_check_row(row, base_data, state, fmt))
            if checking is not None and len(report.results) % CHECKING_EVERY == 0:
                checking(len(report.results))
        if checking is not None:
            checking(len(report.results))
    except KeyboardInterrupt as exc:
        exc.checking = True  # type: ignore[attr-defined]  # the CLI says nothing was written
        raise
    _check_attached_somewhere(attach, attach_pdf, report.results, fmt)
    if check:
        return report
    if out_dir is None:
        raise LetterkitError("an output folder is needed; give it with -o DIR (out_dir= in Python)")
    resent = _resent(resend, report.results)
    _refuse_the_templates_name(template, report.results, Path(out_dir))
    if not report.count("valid") and not combined:
        return report  # every row failed: nothing to write, not even the folder
    out = Output(fmt, str(template) if template else None, force, attach.fixed, attach_pdf, resend=resent)
    out = replace(out, stamp=run_stamp(fmt, out.template, attach_pdf, attach.fixed))
    # pass 2: the rows' validated input as kept from pass 1, or read again beyond that
    kept, valid = state.kept, report.results.count("valid")

    sent = sent_emails(Path(out_dir))  # who got an email file of the folder: never replaced
    # the records of the files written before, for a cheap check (none to read in a folder
    # that holds no file yet)
    made = MadeLog(Path(out_dir), fresh=_empty(Path(out_dir)))

    not_sent = WentOut()

    def job(row: int, data: dict[str, Any], path: Path, termination: Any, made_as: str, validated: bytes) -> Job:
        """A row's job with what the sent-log and the records of made files say of its file
        (made once a row: a frozen Job copied with ``replace`` cost as much again)."""
        went = sent(path) if made_as == "eml" else not_sent
        return Job(
            row, data, path, termination, made_as, attachments=state.attached.get(row), sent=went.said,
            sent_to=went.to, sent_before=went.before, made=made.get(path.name), validated=validated,
        )  # fmt: skip

    def jobs_again(take: bool) -> Iterator[Job]:
        rows_again = source() if len(kept) < valid else None
        yield from _jobs(rows_again, base_data, report.results, Path(out_dir), kept, fmt, take, state.digests, job)

    plan = None
    if combined:  # checked before anything is written: an existing FILE may be the user's
        try:
            plan = plan_combined(
                Path(combined), force, report.results, Path(out_dir), _letters(jobs_again, out)
            )
        except KeyboardInterrupt as exc:
            exc.checking = True  # type: ignore[attr-defined]  # nothing written yet
            raise
    if before_writing is not None:
        try:
            before_writing(report)
        except KeyboardInterrupt as exc:
            exc.checking = True  # type: ignore[attr-defined]  # nothing written yet
            raise
    folder = _prepare(Path(out_dir))
    out = replace(out, empty=_empty(folder))
    done = RowLog()
    began = time.time()
    try:
        produce(jobs_again(True), report.results, done, out, jobs, progress, made)
    except (LetterkitError, KeyboardInterrupt) as exc:
        # the run stops (a full disk, Ctrl-C): the error carries the report so far
        so_far = MergeReport(stopped(report.results, done, folder, began), report.out_dir)
        if isinstance(exc, Stopped):  # say what was written before it, and how to go on
            exc = Stopped(f"{exc}. {_written_so_far(so_far)}")
        setattr(exc, "report", so_far)  # noqa: B010 - a KeyboardInterrupt too
        raise exc from None
    finally:
        made.save()
    report.results = done
    if not out.empty:
        report.earlier_files = _earlier_files(folder, state.namer, plan.target if plan else None)
    if plan is not None:
        report.combined_status = write_combined(plan, report.results, folder)
        report.combined = str(plan.target)
    elif combined:
        report.combined, report.combined_status = str(combined), "not written"  # every row failed
    return report


def _written_so_far(report: MergeReport) -> str:
    """What a merge stopped by a file it could not write had done, and how to go on."""
    written, kept = report.count("written"), report.count("exists")
    files = f"{written} file{'s' if written != 1 else ''} {'were' if written != 1 else 'was'} written"
    also = f" ({kept} kept from an earlier run)" if kept else ""
    return (
        f"The run stopped there: {files} before it, each complete{also}, and the rows after it "
        "were not made. Free some space (if the disk is full) or fix what is said, then run the "
        "same command again: it keeps the files written and goes on with the rest"
    )


def _resent(resend: Iterable[str], results: RowLog) -> frozenset[str]:
    """The files named by --resend, each an email of a valid row of this merge."""
    names = frozenset(Path(name).name for name in resend)
    if not names:
        return names
    emails = {r.file for r in results if r.status == "valid" and r.file.endswith(".eml")}
    unknown = sorted(names - emails)
    if unknown:
        example = f" (such as {min(emails)})" if emails else ""
        raise LetterkitError(
            f"--resend {unknown[0]}: no row of this merge makes an email of that name; name the file "
            f"as the merge does{example}, without the folder"
        )
    return names


def _earlier_files(folder: Path, namer: Namer, combined: Path | None) -> list[str]:
    """The letters and emails in ``folder`` (by extension; not hidden files, not folders)
    that no row of this run was named for, in name order: an earlier run's files for rows
    no longer in the list (or moved by a row inserted before them), or put there by hand.
    The file of a row that failed this time is the row's, and reported with it."""
    extensions = {f".{fmt}" for fmt in FORMATS}
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in extensions:
                continue
            if namer.gave(name) or (combined is not None and _same_file(folder / name, combined)):
                continue
            if entry.is_file():
                found.append(name)
    return sorted(found)


def _refuse_the_templates_name(template: str | Path | None, results: RowLog, folder: Path) -> None:
    """A row's file must not be the --template kept in the output folder: the row would fail
    as a file that holds another letter, and with --force its letter would be written over
    the letterhead (tester13). Names are compared in any case, as for --combined."""
    if template is None or Path(template).resolve().parent != folder.resolve():
        return
    name = Path(template).name.casefold()
    for result in results:
        if result.file and result.file.casefold() == name:
            raise OutputError(
                f"--template {template}: is the name of row {result.row}'s letter ({result.file}) in "
                f"{folder}; nothing was written. Give the letters other names (--name), write them into "
                "another folder (-o), or keep the letterhead elsewhere"
            )


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def _check_attachments(attach: Attachments, attach_pdf: bool, fmt: str) -> None:
    """The fixed files must be readable before the first row is checked (each row's own
    files are looked up with the row). Attachments go into the emails only: in a merge to
    letters (--format docx or pdf) they go into the rows whose channel is email."""
    attach.check_fixed()


def _check_attached_somewhere(attach: Attachments, attach_pdf: bool, results: RowLog, fmt: str) -> None:
    """Attachments given to a merge in which no row is an email would be lost silently."""
    if not (attach or attach_pdf) or fmt == "eml":
        return
    # a failed row may be an email once fixed: the report of the rows says what to fix first
    if not any((r.status == "valid" and r.file.endswith(".eml")) or r.status == "failed" for r in results):
        raise LetterkitError(
            f"attachments go into emails, and no row of this list is one (--format {fmt}); "
            "use --format eml, or give the rows that are emails channel: email"
        )


def _base(base: Mapping[str, Any] | str | Path | None) -> dict[str, Any]:
    """The shared fields, checked on their own: a mistake in them is reported once, for the
    base, instead of once for every row."""
    if base is None:
        return {}
    if isinstance(base, Mapping):  # a copy: the caller's may change while rows are read
        data, origin, lines = copy.deepcopy(dict(base)), "the base fields", None
    else:
        from ..sources import read_input

        read, lines = read_input(base)
        if not isinstance(read, dict):
            raise InputError([Problem("", _not_a_base(read))], str(base))
        data, origin = read, str(base)
    _refuse_dotted_keys(data, origin, lines)
    _check_base(data, origin, lines)
    return data


def _not_a_base(read: Any) -> str:
    """Why a --base file that holds no mapping is none, and what a base holds (tester13: a
    client list given as the base was told only 'expected a mapping')."""
    held = (
        "a list (a client list? it is the DATA to merge)"
        if isinstance(read, list)
        else "text such as a CSV file's (a client list? it is the DATA to merge)"
        if isinstance(read, str)
        else "no fields"
        if read is None
        else f"a single value ({read!r})"
    )
    return (
        f"expected a mapping of the shared fields, but it holds {held}; a --base file is YAML or JSON "
        "with the fields every letter shares, e.g. sender: {company: Muster GmbH, name: Erika Muster}"
    )


def _refuse_dotted_keys(data: dict[str, Any], origin: str, lines: Mapping[str, int] | None) -> None:
    """Keys written as a list's columns are (``sender.name: Erika Muster``) are told once, for
    the base, with the nested form to write; each row of the list reported them as unknown
    keys of its own (tester13)."""
    dotted = [key for key in data if isinstance(key, str) and "." in key]
    if not dotted:
        return
    problems = []
    for key in dotted:
        head, _, rest = key.partition(".")
        nested = f"{head}: {{{rest}: {data[key]}}}" if "." not in rest else f"{head}: with {rest} nested under it"
        message = (
            f"a dotted key, as a list's column is named; a base file holds its fields nested: write {nested} "
            f"(all of {head}'s fields under one {head}: key)"
        )
        problems.append(Problem(key, message, (lines or {}).get(key)))
    raise InputError(problems, origin)


def _check_base(data: dict[str, Any], origin: str, lines: Mapping[str, int] | None) -> None:
    """Problems with keys the base itself holds (unknown keys, bad values); what only the
    rows can supply (a recipient, say) is not asked of the base. Checks that need the
    letter's locale (a postcode: sender.postal_code '1011' with country: DE) are run with
    each locale: a problem of the base's own keys under every one is the base's, whatever
    locale a row gives. It was told once a row, for every row of the list (tester3)."""
    from ..model import validate as check
    from ..schema import LOCALES

    def own_problems(given: dict[str, Any]) -> dict[tuple[str, str], Problem]:
        try:
            check(given, source=origin, lines=lines)
        except InputError as exc:
            return {(p.path, p.message): p for p in exc.problems if _holds(data, p.path) and not _rows_add(data, p)}
        return {}

    found = own_problems(data)
    shared: dict[tuple[str, str], Problem] = {}
    for number, locale in enumerate(LOCALES if "locale" not in data else ()):
        with_locale = own_problems({**data, "locale": locale})
        shared = with_locale if number == 0 else {key: p for key, p in shared.items() if key in with_locale}
        if not shared:
            break
    found.update((key, p) for key, p in shared.items() if key not in found)
    if found:
        raise InputError(list(found.values()), origin)


def _rows_add(data: dict[str, Any], problem: Problem) -> bool:
    """Whether ``problem`` is about what a mapping of the base lacks, which the rows add to
    it (``recipient: {country: AT}`` needs the recipient's name: each row gives it), not
    about the base's own keys or values (tester13: such a base was refused)."""
    return "unknown key" not in problem.message and isinstance(_node(data, problem.path), dict)


def _holds(data: Any, path: str) -> bool:
    """Whether ``data`` has the dotted ``path`` (``steps_taken[0].kind`` or ``steps_taken.0.kind``)."""
    return bool(path) and _node(data, path) is not _ABSENT


_ABSENT = object()


def _node(data: Any, path: str) -> Any:
    """The value at the dotted ``path`` of ``data``, or ``_ABSENT``."""
    node = data
    for part in path.replace("[", ".").replace("]", "").split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, dict) and any(str(key) == part for key in node):
            # a YAML key read as a number or a boolean (2027:, true:), named as text in the
            # problem's path (tester6: it was told for every row instead of once, for the base)
            node = next(value for key, value in node.items() if str(key) == part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _ABSENT
    return node


def _source(
    rows: Any, sheet: str | None, columns: Mapping[str, str] | None, header_row: int | None = None
) -> Callable[[], Iterator[Row]]:
    """A function that yields the rows. A file is read again for the second pass; a Python
    iterable is read once into a list (pass a file for inputs too large for memory)."""
    if isinstance(rows, (str, Path)):
        return lambda: read_rows(rows, sheet=sheet, mapping=columns, header_row=header_row)
    if header_row is not None:
        raise LetterkitError("header_row is for a CSV file or a workbook, not for rows from Python")
    items = rows if isinstance(rows, (list, tuple)) else list(rows)
    table = mapping_table(columns) if columns else None  # checked before the first row
    return lambda: _numbered(items, table)


def _numbered(items: Iterable[Any], table: Mapping[str, str] | None) -> Iterator[Row]:
    """Dicts from Python: their flat keys are renamed by ``columns`` as a file's are."""
    for number, item in enumerate(items, start=1):
        yield item if isinstance(item, Row) else row_from_record(number, item, table)


def validate(data: dict[str, Any], memo: ValidationMemo | None = None, today: date | None = None) -> Termination:
    """The input contract's validation (loaded on first use); a row that asks for a printed
    letter (``channel: letter``) needs the recipient's postal address. ``memo`` remembers
    the validated base fields the rows share; ``today``: the run's day (else today's)."""
    return check(data, postal_address=asks_for_postal_address(data), memo=memo, today=today)


# The first rows' validated input is kept for the second pass (it saves validating them
# twice); beyond that, rows are validated again, so memory stays bounded for any size.
KEEP_VALIDATED = 20_000


def row_input(base: dict[str, Any], data: dict[str, Any], fmt: str) -> dict[str, Any]:
    """A row's input: the base's fields, the row's over them, and the email channel for an
    email merge when neither names a channel (the input's default channel is letter)."""
    merged = without_base_signer(deep_merge(base, data, WHOLE), base, data)
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


@dataclass
class _Pass1:
    """What the first pass keeps while it checks the rows: the names given, the inputs seen
    (as digests), and the first rows' validated input for the second pass."""

    namer: Namer
    keep: int
    kept: dict[int, Termination] = field(default_factory=dict)
    digests: dict[int, bytes] = field(default_factory=dict)  # of the kept rows' input (validated_digest)
    seen: Repeats = field(default_factory=Repeats)  # the rows' validated input, as digests
    attach: Attachments = field(default_factory=Attachments)
    attached: dict[int, tuple[Path, ...]] = field(default_factory=dict)  # rows' own files (patterns)
    check: bool = False  # only checking: the row's result is final, so it carries the wording warnings
    measure: bool = True  # letters in the built-in template: --check measures their address lines too
    memo: ValidationMemo | None = None  # the base's fields, validated once for all rows
    today: date = field(default_factory=current_day)  # one day for the whole run (past midnight too)


def _check_row(row: Row, base: dict[str, Any], state: _Pass1, fmt: str) -> RowResult:
    """Validate one row (and the wording of its own reason_note); name its file; note a
    name made from the row number and a row whose input repeats an earlier row's.

    A failed row's name is reserved too, so that fixing the row later does not shift the
    names of the rows after it (a re-run would otherwise take their files for its own).
    """
    if row.error and not row.problems:  # a row with problems in some cells is checked for the rest
        return RowResult(row.number, "failed", problems=[row.error])
    data = row_input(base, row.data, fmt)
    named = state.namer.give(row.number, data, row_format(data.get("channel"), fmt))
    name = named.name
    warnings: list[str] = []
    unattached: list[str] = []  # a pattern of --attach that names a part the row does not have
    try:
        termination = validate(data, state.memo, state.today)  # the run's day, as in passed_end_notice
        # --check says what the run would: the lines too wide for the address field as well
        measure = (
            state.check
            and state.measure
            and termination.lang == "de"
            and row_format(termination.channel, fmt) in ("docx", "pdf")
        )
        if termination.reason_note or measure:
            warnings = _check_wording(termination, measure)
        if state.attach.patterns and row_format(termination.channel, fmt) == "eml":
            # filled from the row's input, as --name is; found once, handed to the second pass
            state.attached[row.number] = tuple(state.attach.for_row(row.number, data, unattached))
    except InputError as exc:  # with what reading the row found: every problem at once
        found = [_row_problem(base_part_problem(p, base, row.data), row) for p in exc.problems if p.path not in row.told]
        # the same problem found twice (a word of the reason note that the subject repeats) is said once
        return RowResult(row.number, "failed", problems=list(dict.fromkeys([*row.problems, *found])))
    except LetterkitError as exc:
        return RowResult(row.number, "failed", problems=[*row.problems, str(exc)])
    except Exception as exc:  # one row's surprise must not stop the others
        return RowResult(row.number, "failed", problems=[*row.problems, internal(exc)])
    if row.problems:
        return RowResult(row.number, "failed", problems=list(row.problems))
    digest = validated_digest(termination)
    if len(state.kept) < state.keep:
        state.kept[row.number] = termination
        state.digests[row.number] = digest  # the record of the row's file is made from it
    notice = named.notice()
    notices = [*row.notices, notice] if notice else list(row.notices)
    signer = signer_notice(base, row.data)
    if signer:
        notices.append(signer)
    if state.check:  # otherwise the letter written in the second pass reports them
        notices += warnings
    unaddressed = _no_postal_address(termination, fmt)
    if unaddressed:
        notices.append(unaddressed)
    passed = passed_end_notice(termination, state.today)
    if passed:
        notices.append(passed)
    notices += serial_date_notices(row.data)
    notices += unattached
    if (
        termination.enclosures
        and row_format(termination.channel, fmt) == "eml"
        and not state.attach  # the letter's own PDF (--attach-letter-pdf) is not what it lists
    ):
        from ..compose import unattached_enclosures

        notices.append(
            f"{unattached_enclosures(termination)}; attach them with --attach (a pattern such as "
            "'invoices/{final_invoice.number}.pdf' gives each row its own)"
        )
    repeats = state.seen.earlier(row.number, digest)
    if repeats:
        notices.append(repeat_notice(repeats, termination.channel))
    return RowResult(row.number, "valid", file=name, problems=list(dict.fromkeys(notices)), repeats=repeats)


def _row_problem(problem: Problem, row: Row) -> str:
    """A row's problem as reported; an unknown key of a record says how to fix it in a merge
    (a table's unknown column stops the merge before the rows, see columns.header_keys)."""
    if row.keys and problem.message.startswith("unknown key"):
        return str(replace(problem, message=unknown_key_fix(problem.path, problem.message, row.keys)))
    return str(problem)


def _no_postal_address(termination: Termination, fmt: str) -> str | None:
    """A letter for print (.docx, .pdf) whose row names no channel and no full address (a
    US one no state): a notice, as such a letter cannot be posted (a row with ``channel:
    letter`` must have the address; without a channel it may be meant for another way, so
    it is written)."""
    if row_format("letter", fmt) not in ("docx", "pdf"):
        return None
    return postal_address_notice(termination, "the row")


def _check_wording(termination: Termination, measure: bool = False) -> list[str]:
    """The tone check of the user's own reason_note, which composing the letter does
    (InputError); run in the first pass so that --check reports it too. What the letter
    is written with all the same (the tone model's reading of the note) is returned, and
    with ``measure`` the lines too wide for the built-in template's address field, as the
    run reports them for the letter it writes."""
    from ..compose import compose
    from ..render.fit import overflows

    letter = compose(termination)
    warnings = [finding_notice(f) for f in letter.findings]
    if measure:
        warnings += overflows(letter)
    return warnings


def _check_arguments(rows: object, base: object, out_dir: object, jobs: object) -> None:
    """Arguments of the wrong kind from a script, named as such (a ``UsageError``) rather
    than failing deep inside (``'NoneType' object is not iterable``)."""
    from collections.abc import Iterable as IterableType
    from collections.abc import Mapping as MappingType

    from ..errors import UsageError, type_name

    if isinstance(rows, (bytes, bytearray)) or not isinstance(rows, (str, os.PathLike, IterableType)):
        raise UsageError(
            "merge() takes the rows as a file's path (str or Path) or an iterable of dicts, "
            f"not {type_name(rows)}"
        )
    if isinstance(rows, MappingType):
        raise UsageError("merge() takes an iterable of rows; a single row (a dict) goes in a list: merge([row], ...)")
    if hasattr(rows, "columns") and (hasattr(rows, "to_dict") or hasattr(rows, "iter_rows")):
        # a data frame iterates over its column names (pandas) or columns (polars): each
        # became a failed row (tester7)
        raise UsageError(
            f"merge() takes an iterable of rows (dicts), and a data frame ({type_name(rows)}) iterates over "
            'its columns: pass its records, df.to_dict("records") in pandas (df.iter_rows(named=True) in '
            "polars), or the file it was read from"
        )
    if base is not None and not isinstance(base, (str, os.PathLike, MappingType)):
        raise UsageError(f"base= takes a dict of shared fields or a YAML/JSON file's path, not {type_name(base)}")
    if out_dir is not None and not isinstance(out_dir, (str, os.PathLike)):
        raise UsageError(f"out_dir= takes a folder's path (str or Path), not {type_name(out_dir)}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise UsageError(
            f"jobs= takes a number of worker processes, 1 or more (None: one per free core for a "
            f"large merge), not {jobs!r}"
        )


def _jobs(
    rows: Iterator[Row] | None,
    base: dict[str, Any],
    planned: RowLog,
    folder: Path,
    kept: dict[int, Termination],
    fmt: str,
    take: bool = True,
    digests: dict[int, bytes] | None = None,
    make: Callable[[int, dict[str, Any], Path, Any, str, bytes], Job] | None = None,
) -> Iterator[Job]:
    """The valid rows again: from ``kept`` when it holds all of them (``rows`` is None),
    otherwise read afresh, so no row beyond the kept ones is held longer than its letter takes
    (``take``: the kept input is handed over, not only looked at; ``digests``: of the kept
    input, handed over with it; ``make``: makes the Job of (row, input, path, validated
    input, format, its digest), a plain Job when not given)."""
    make = make or _plain_job
    look = kept.pop if take else kept.get
    known = digests if digests is not None else {}
    digest_of = known.pop if take else known.get
    if rows is None:
        for result in planned:
            if result.status == "valid":
                termination = look(result.row)
                assert termination is not None  # every valid row is kept when rows is None
                path = folder / result.file
                made_as = row_format(termination.channel, fmt)
                yield make(result.row, {}, path, termination, made_as, digest_of(result.row, b""))
        return
    for row, result in zip(rows, planned, strict=False):
        if result.status == "valid":
            kept_input: Termination | None = look(row.number, None)
            data: dict[str, Any] = {} if kept_input is not None else row_input(base, row.data, fmt)
            channel = kept_input.channel if kept_input is not None else data.get("channel")
            digest = digest_of(row.number, b"") if kept_input is not None else b""
            yield make(row.number, data, folder / result.file, kept_input, row_format(channel, fmt), digest)


def _plain_job(row: int, data: dict[str, Any], path: Path, termination: Any, made_as: str, validated: bytes) -> Job:
    return Job(row, data, path, termination, made_as, validated=validated)


def _empty(folder: Path) -> bool:
    """Whether the output folder holds nothing or is not there yet (a new one, most often):
    no row's file, and no record of one, can be there from an earlier run, so none is looked
    for. A file in its place is not that."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _prepare(folder: Path) -> Path:
    """The output folder, made if it is missing and known to take new files; else an
    OutputError that names the part of the path at fault (a file on the way, a folder
    that takes no new files) and how to go on."""
    from ..output import folder_problem, make_folder, remove_leftovers

    make_folder(folder, fix=_ANOTHER_FOLDER)
    remove_leftovers(folder)  # what a killed run was writing when it stopped
    problem = folder_problem(folder, fix=_ANOTHER_FOLDER)
    if problem:
        raise OutputError(f"{folder}: {problem}")
    return folder


_ANOTHER_FOLDER = "choose another folder with -o (out_dir= in Python)"


def _letters(jobs_again: Callable[[bool], Iterator[Job]], out: Output) -> Letters:
    """The merge's .docx letters as pass 2 would leave them: the file a row already has (kept
    unless --force), else its letter made afresh; for the combined document's check."""

    def letters() -> Iterator[bytes | None]:
        for job in jobs_again(False):
            if job.fmt != "docx":
                continue
            if not out.force and job.path.is_file():
                yield job.path.read_bytes()
            else:
                yield letter_bytes(job, out)

    return letters
