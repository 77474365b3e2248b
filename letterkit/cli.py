"""The ``letterkit`` command line: thin adapters over the library.

Each command parses its options, calls one library function and prints the
result. This is the only module that prints or exits; every ``LetterkitError``
becomes one clear message and exit code 1 (usage errors exit 2, via click).
"""

from __future__ import annotations

import atexit
import gc
import math
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

# Loading click and building the commands makes tens of thousands of objects that live as
# long as the process; the cyclic collector would walk them again and again while they are
# made (~2 % of the instructions of linting a one-page draft). It is paused while the rest of
# this module loads and left as it was at its end.
_COLLECTING = gc.isenabled()
gc.disable()

import click  # noqa: E402  (loaded with the collector paused, above)

from . import __version__  # noqa: E402

F = TypeVar("F", bound=Callable[..., Any])
LOCALE_CHOICES = ("de-DE", "de-AT", "de-CH", "en-GB", "en-US")

# At exit the interpreter collects garbage once more, walking every object still alive:
# the rules, the compiled patterns, a draft's index (~10 ms a run, a one-page draft's too).
# What is alive then is about to be freed anyway; frozen, the collection passes it over.
# (Registered first, it runs last: after the rules cache is written.)
atexit.register(gc.freeze)


# Set by a command that leaves nothing to tear down (``lint``): ``run`` then ends the process
# without the interpreter's clean-up of every object still alive.
_QUICK_EXIT = False


def run() -> None:
    """The ``letterkit`` program: ``main`` with its exit. After ``lint`` the process ends as
    soon as the exit handlers have run (the rules cache is written) and the output is
    flushed: freeing a lint's rules, patterns and index one object at a time costs the
    interpreter ~5 ms at exit (~3 % of linting 100 KB), for memory about to be returned
    anyway. Every other command exits the usual way, and so does ``lint`` when ``run`` is
    called by another program (a test harness running the entry point in its own process):
    only the process that is letterkit ends this way."""
    global _QUICK_EXIT
    _QUICK_EXIT = False  # set by this run's lint only (an earlier lint in this process, say
    try:  # through click's test runner, does not count)
        main()
    except SystemExit as exc:
        if not (_QUICK_EXIT and _is_program()):
            raise
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        atexit._run_exitfuncs()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):  # a closed pipe (| head), no stdout at all
            code = code or 120
        os._exit(code)


def _is_program() -> bool:
    """Whether this process is letterkit itself: ``python -m letterkit``, or the console
    script (whose main module is the ``letterkit`` script)."""
    program = sys.modules.get("__main__")
    spec = getattr(program, "__spec__", None)
    if spec is not None:
        return bool(spec.name == "letterkit.__main__")
    return Path(getattr(program, "__file__", None) or "").stem.lower() == "letterkit"


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a service manager stopping the job): handled as Ctrl-C is."""


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While a command runs, SIGTERM stops it as Ctrl-C does (``Terminated``), so that it
    ends in order — the letters written are counted, LibreOffice is stopped and its working
    folder removed — instead of ending on the spot."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a signal handler (the CLI called in a thread)
        return

    def terminated(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _reports_errors(func: F) -> F:
    """Turn library errors into a clean message and exit code, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import LetterkitError

        try:
            with _sigterm_as_interrupt():
                return func(*args, **kwargs)
        except LetterkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            sending = getattr(exc, "sending", None)
            if sending is not None and not sending.dry_run:  # the server gone mid-send: as Ctrl-C
                click.echo(sending.stopped_summary(), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt as exc:
            sending = getattr(exc, "sending", None)
            if sending is not None:  # stopped while sending: what went out, what is left
                click.echo(sending.stopped_summary(), err=True)
            elif getattr(exc, "checking", False):
                click.echo("Interrupted while checking the rows; nothing was written.", err=True)
            else:
                unsent = " No email was sent in this run." if getattr(exc, "before_send", False) else ""
                click.echo(
                    "Interrupted. Every file written so far is complete; run the same command again "
                    f"to finish (existing files are kept).{unsent}",
                    err=True,
                )
            sys.exit(143 if isinstance(exc, Terminated) else 130)  # 128 + the signal's number

    return wrapper  # type: ignore[return-value]


def _attach_options(*, per_row: bool) -> Callable[[F], F]:
    """--attach and --attach-letter-pdf. In generate a file must exist; in merge (``per_row``)
    a value may also be a pattern naming each row's own file, which the library checks."""
    attach: dict[str, Any] = (
        {
            "metavar": "FILE|PATTERN",
            "help": "Attach a file to every email, or each row's own file named by a pattern with "
            "input fields: 'invoices/{final_invoice.number}.pdf' (.eml output).",
        }
        if per_row
        else {
            "type": click.Path(dir_okay=False, exists=True),
            "help": "Attach a file to the email (.eml output), e.g. the final invoice PDF.",
        }
    )
    letter = "each letter" if per_row else "the letter"

    def decorate(func: F) -> F:
        func = click.option(
            "--attach-letter-pdf", is_flag=True, help=f"Attach {letter} itself as a PDF (.eml output)."
        )(func)
        return click.option("--attach", "attachments", multiple=True, **attach)(func)

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="letterkit")
def main() -> None:
    """Write polite, blame-free termination letters and emails in German and English."""


@main.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Output file; the format follows its extension (.docx .pdf .eml .txt .md .html). "
    "Without it the letter is printed as text.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False),
    help="Your own letterhead .docx with letterkit's placeholders (docs/templates.md).",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@_attach_options(per_row=False)
@_reports_errors
def generate(
    input_file: str,
    output: str | None,
    template: str | None,
    force: bool,
    attachments: tuple[str, ...],
    attach_letter_pdf: bool,
) -> None:
    """Compose the letter described by INPUT (YAML or JSON; - reads standard input)."""
    from .render import FORMATS, render

    if len(attachments) > 1:
        from .errors import LetterkitError
        from .merge.attach import named_twice

        twice = named_twice([Path(a) for a in attachments], "the email")  # it carried it twice (tester3)
        if twice:
            raise LetterkitError(twice)
    termination, source, lines = _generate_input(input_file, output)
    letter = _compose_named(termination, source, lines)
    from .model import passed_end_notice

    passed = passed_end_notice(termination)
    if passed:
        click.echo(f"Warning: {source}: {passed}", err=True)
    for finding in letter.findings:
        quoted = f" ('{finding.text}')" if finding.text.strip() else ""  # a whole-letter check quotes nothing
        # the user's own words are the reason_note: named with its line, as input errors are
        mine = bool(finding.text) and finding.text in (termination.reason_note or "")
        line = (lines or {}).get("reason_note") if mine else None
        where = f"{source}:{line}" if line else source
        label = "Note" if finding.severity == "info" else "Warning"  # as lint names it (tester5)
        click.echo(f"{label}: {where}: {finding.rule}: {finding.message}{quoted}", err=True)
    if output is None:
        if letter.channel == "email":  # the email as it would be written: what it attaches
            termination, letter = _email_listing(termination, letter, source, lines, attachments, None)
        click.echo(render(letter, "txt").decode("utf-8"), nl=False)
        return
    fmt = Path(output).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.UsageError(
            f"cannot tell the format from '{output}'; end the name with one of "
            + ", ".join(f".{f}" for f in FORMATS)
        )
    printed = termination  # what a .docx or .pdf is written from
    if fmt == "eml":
        _check_email_addresses(termination, source, lines)
        from .compose import listing_attachments

        # the email names the files it carries, the letter's own PDF after the input's
        # enclosures; the letter printed into that PDF does not name itself
        printed = listing_attachments(termination, [Path(a).name for a in attachments], email=False)
        own = None
        if attach_letter_pdf:
            from .render.pdf import attachment_name

            own = attachment_name(letter)
        termination, letter = _email_listing(termination, letter, source, lines, attachments, own)
    if fmt in ("docx", "pdf") and letter.channel == "email":
        # a printed document is a letter: its wording ("this letter", no "just reply") and
        # its closing, as the PDF attached to an email (--attach-letter-pdf) has them
        from dataclasses import replace

        printed = replace(termination, channel="letter")
        letter = _compose_named(printed, source, lines)
        click.echo(
            f"Note: {source}: channel is email, but .{fmt} is a printed document; "
            "it is written as a letter (write .eml for the email)",
            err=True,
        )
    from .output import is_stream, write_atomic

    if Path(output).exists() and not force and not is_stream(output):
        from .errors import OutputError

        raise OutputError(f"{output}: already exists; use --force to replace it")
    if fmt in ("docx", "pdf"):
        from .model import postal_address_notice

        # the letter as printed: an email's printed copy is a letter without an address too
        notice = postal_address_notice(printed, from_email=termination.channel == "email")
        if notice:  # as merge says it of a row: the schema's default channel is a letter
            click.echo(f"Warning: {source}: {notice}", err=True)
    if fmt in ("docx", "pdf") and template is None:
        from .render.fit import overflows

        for problem in overflows(letter):
            click.echo(f"Warning: {source}: {problem}", err=True)
    files: list[Path | tuple[str, bytes]] = [Path(a) for a in attachments]
    if attach_letter_pdf:
        from dataclasses import replace

        from .render.pdf import attachment_name

        paper = (
            _compose_named(replace(printed, channel="letter"), source, lines)
            if letter.channel != "letter" or printed is not termination
            else letter
        )
        files.append((attachment_name(letter), render(paper, "pdf", template=template)))
    data = render(letter, fmt, template=template if fmt != "eml" else None, attachments=files)
    write_atomic(output, data, force=force)
    click.echo(f"Wrote {output}", err=True)


def _email_listing(
    termination: Any,
    letter: Any,
    source: str,
    lines: dict[str, int] | None,
    attachments: tuple[str, ...],
    own: str | None,
) -> tuple[Any, Any]:
    """The email's termination and letter as it names what it attaches (the input's
    enclosures, the files beyond them, the letter's own PDF ``own``), with a warning when
    it attaches fewer files than the input lists."""
    from .compose import listing_attachments, unattached_enclosures

    listed = termination.enclosures
    unattached = unattached_enclosures(termination)  # of the input as given: the email's drops them
    emailed = listing_attachments(termination, [Path(a).name for a in attachments], own)
    if emailed is not termination:
        termination, letter = emailed, _compose_named(emailed, source, lines)
    if listed and not attachments:
        # what the input lists is not attached: the email does not say it is
        click.echo(f"Warning: {source}: {unattached}; attach them with --attach FILE", err=True)
    elif listed and len(attachments) < len(listed):
        click.echo(
            f"Warning: {source}: the email lists {len(listed)} enclosures ({', '.join(listed)}) "
            f"but attaches {len(attachments)} file(s); attach each with --attach FILE",
            err=True,
        )
    return termination, letter


def _check_email_addresses(termination: Any, source: str, lines: dict[str, int] | None) -> None:
    """An .eml needs both addresses. An input with ``channel: letter`` passes validation
    without them, so their absence is named here as an input problem: by the file, and by
    the line of the party whose address is missing (a missing key has no line of its own)."""
    from .errors import InputError, Problem

    problems = []
    for party, whose in (("recipient", "the address the email goes to"), ("sender", "the address it comes from")):
        if not getattr(termination, party).email:
            path = f"{party}.email"
            line = (lines or {}).get(path) or (lines or {}).get(party)
            problems.append(
                Problem(path, f"required for an email (.eml output): {whose}; add it to the input", line)
            )
    if problems:
        raise InputError(problems, source)


def _compose_named(termination: Any, source: str, lines: dict[str, int] | None) -> Any:
    """``compose``, with an input problem it finds (the tone of the user's reason_note)
    named by the input's file and line, as the validation's problems are."""
    from dataclasses import replace

    from .compose import compose
    from .errors import InputError

    try:
        return compose(termination)
    except InputError as exc:
        if exc.source is not None:
            raise
        problems = [replace(p, line=p.line or (lines or {}).get(p.path)) for p in exc.problems]
        raise InputError(problems, source) from None


def _generate_input(input_file: str, output: str | None) -> tuple[Any, str, dict[str, int] | None]:
    """What to compose: the input, validated, with its source and line numbers; an .eml
    output makes the input an email (so it gets the email wording, not the letter's),
    with a note when the input says ``channel: letter``."""
    from dataclasses import replace

    from .errors import InputError
    from .model import asks_for_postal_address, validate
    from .sources import read_input

    if input_file == "-":
        data, lines = _read_stdin()
        source = "<stdin>"
    else:
        data, lines = read_input(input_file)
        source = input_file
    if isinstance(data, dict) and output and output.lower().endswith(".eml") and data.get("channel") in (None, "", "letter"):
        if data.get("channel") == "letter":  # as a .docx of an email is written as a letter
            click.echo(
                f"Note: {source}: channel is letter, but .eml is an email; it is written as an email "
                "(write .docx or .pdf for the letter)",
                err=True,
            )
        made_email = data.get("channel") in (None, "")
        data = {**data, "channel": "email"}
    else:
        made_email = False
    try:
        termination = validate(data, source=source, lines=lines, postal_address=asks_for_postal_address(data))
    except InputError as exc:
        if not made_email:
            raise
        # the input named no channel: the .eml output made it an email (tester 40: "required
        # for channel: email" for an input that says nothing of a channel)
        said = "required for channel: email"
        problems = [
            replace(p, message=p.message.replace(said, f"required for an email (-o {Path(output or '').name} makes one)"))
            for p in exc.problems
        ]
        raise InputError(problems, exc.source) from None
    return termination, source, lines


def _stdin_bytes() -> BinaryIO:
    """Standard input as bytes (click 8.5 deprecates ``click.get_binary_stream``, whose
    warning and loose type would reach the user and mypy); none at all reads as empty."""
    import io

    stream = sys.stdin
    return stream.buffer if stream is not None else io.BytesIO()


def _read_stdin() -> tuple[dict[str, Any], dict[str, int]]:
    """The input from standard input and the line of each field (for the error messages)."""
    from .errors import InputError, Problem
    from .sources import MAX_INPUT_BYTES, decode_input, parse_yaml

    raw = _stdin_bytes().read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        from .errors import SourceError

        raise SourceError("is larger than 5 MB; an input describes one letter", "<stdin>")
    text = decode_input(raw, Path("stdin.yaml"), "<stdin>")
    if not text.strip():  # nothing was piped in (tester 40: "expected a YAML or JSON mapping")
        from .errors import SourceError

        raise SourceError(
            "is empty: pipe the client's input into `letterkit generate -` (cat client.yaml | "
            "letterkit generate - -o letter.docx), or name the file instead of -",
            "<stdin>",
        )
    data, lines = parse_yaml(text, "<stdin>")
    if not isinstance(data, dict):
        raise InputError([Problem("", "expected a YAML or JSON mapping")], "<stdin>")
    return data, lines


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--locale",
    type=click.Choice(LOCALE_CHOICES),
    default="de-DE",
    show_default=True,
    help="Language and country conventions of the letter.",
)
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@_reports_errors
def new(path: str | None, locale: str, force: bool) -> None:
    """Write a commented starter input file to PATH (or print it)."""
    from .starter import starter

    text = starter(locale)
    if path is None:
        click.echo(text, nl=False)
        return
    from .output import write_atomic

    write_atomic(path, text.encode("utf-8"), force=force)
    click.echo(f"Wrote {path}; edit it, then run: letterkit generate {path} -o letter.docx", err=True)


@main.command()
@click.option(
    "--locale",
    type=click.Choice(LOCALE_CHOICES),
    default=None,
    help="Show one locale's wording (default: de-DE and en-GB).",
)
@click.option(
    "--register",
    type=click.Choice(["sie", "du"]),
    default="sie",
    show_default=True,
    help="Show the German text in the formal (Sie) or the familiar (du) form.",
)
@_reports_errors
def parts(locale: str | None, register: str) -> None:
    """List the reason and step catalogues with their text."""
    from .catalogue import describe

    for loc in [locale] if locale else ["de-DE", "en-GB"]:
        click.echo(describe(loc, register))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the input."""
    import json

    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--lang", type=click.Choice(["de", "en"]), help="Language of the drafts (default: detected).")
@click.option("--locale", type=click.Choice(LOCALE_CHOICES), help="Enables locale checks (ß in de-CH, ...).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github", "html"]),
    default="text",
    show_default=True,
    help="Report format: text (as ruff), json, sarif (code scanning), github (annotations) or html.",
)
@click.option("--select", multiple=True, help="Only these rules or categories (comma-separated prefixes).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (comma-separated prefixes).")
@click.option(
    "--fail-level",
    type=click.Choice(["info", "warning", "error"]),
    default=None,
    help="Exit 1 when a finding is at least this severe  [default: warning].",
)
@click.option("--baseline", type=click.Path(dir_okay=False), help="Ignore findings recorded in this file.")
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Record the findings as accepted (an existing baseline keeps the entries of drafts not linted now).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option(
    "--force",
    is_flag=True,
    help="Let -o replace an existing file, and --write-baseline start its file anew (never a draft).",
)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="The file name of the draft on standard input (-): read in its format (.html, .eml, .md, .docx) "
    "and named so in the report, as an editor passes an unsaved buffer.",
)
def lint(
    files: tuple[str, ...],
    lang: str | None,
    locale: str | None,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_level: str | None,
    baseline: str | None,
    write_baseline: str | None,
    output: str | None,
    force: bool,
    stdin_filename: str | None,
) -> None:
    """Check drafts (.txt .md .html .docx .eml; a folder: the drafts in it; - for standard
    input) for blame, hostility, threats and wording that reopens the decision. Exit 0
    clean, 1 findings, 2 unreadable input."""
    from .errors import LetterkitError
    from .lint.run import LintOptions, run_lint

    options = LintOptions(
        lang=lang,
        locale=locale,
        select=_split(select),
        ignore=_split(ignore),
        fail_level=fail_level,
        baseline=baseline,
        write_baseline=write_baseline,
        output=output,
        force=force,
        stdin_filename=stdin_filename,
    )
    if stdin_filename is not None and "-" not in files:
        click.echo(
            "Error: --stdin-filename names the draft read from standard input: give - among the files "
            f"(letterkit lint - --stdin-filename {stdin_filename})",
            err=True,
        )
        sys.exit(2)
    if _is_program():
        # The process ends once the report is out (``run``): the collector, which the lint
        # pauses while it works, stays paused. Resumed, its first pass would walk every
        # object the lint made (~10 ms for 100 KB of text, ~35 ms for 1 MB) and free none
        # that the end of the process does not free anyway.
        gc.disable()
    try:
        stdin = _stdin_bytes().read() if "-" in files else None
        from .lint.report import wants_color

        color = wants_color(sys.stdout)
        result = run_lint(list(files), options, stdin=stdin, fmt=fmt, color=color)
    except LetterkitError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    for notice in result.notices:
        click.echo(notice, err=True)
    if result.printed:
        _print_report(result.report, color)
    for error in result.errors:  # after the report: the other drafts' findings are not lost
        click.echo(f"Error: {error}", err=True)
    global _QUICK_EXIT
    _QUICK_EXIT = True
    sys.exit(2 if result.errors else 1 if result.failed else 0)


def _print_report(report: str, color: bool = False) -> None:
    """The report on standard output, or exit 2 with why it cannot be written there (no
    standard output at all, a full disk): never a traceback, never a report lost unsaid.
    A reader that stops reading (``| head``) is not an error. Colours asked for in a pipe
    (FORCE_COLOR) are kept: click would strip them."""
    if sys.stdout is None:
        click.echo("Error: there is no standard output to print the report on; write it with -o FILE", err=True)
        sys.exit(2)
    try:
        click.echo(report, nl=False, color=True if color else None)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        click.echo(
            f"Error: the report cannot be written to standard output ({exc.strerror or exc}); "
            "write it with -o FILE",
            err=True,
        )
        sys.exit(2)


@main.command()
@click.argument("name", metavar="[ID|CATEGORY]", required=False)
@click.option("--lang", type=click.Choice(["de", "en"]), default=None, help="Only one language's rules.")
@_reports_errors
def rules(name: str | None, lang: str | None) -> None:
    """List the lint rules (language, id, severity, message); with a CATEGORY or the start of
    ids (`structure`, `blame/fail`, as --select takes them) only those; with a rule's ID
    (`blame/failed-to`, or `failed-to`) explain that rule with its examples."""
    from .lint.explain import show_rules

    click.echo(show_rules(name, lang), nl=False)


@main.command(name="merge")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Folder for the letters.")
@click.option("--base", type=click.Path(dir_okay=False), help="YAML/JSON with fields shared by every row.")
@click.option(
    "--name",
    "name_pattern",
    help="File name pattern, e.g. '{recipient.last_name}-{contract.reference}'; '{a|b}' takes b when a "
    "is empty. A field a row leaves empty is filled with its row number (row-0005-W-1), with a notice.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "pdf", "eml", "txt", "md", "html"]),
    default=None,
    help="Output format  [default: from --name's extension; eml with --send; else docx].",
)
@click.option(
    "--columns", type=click.Path(dir_okay=False), help="YAML/JSON mapping your headers to input keys."
)
@click.option("--sheet", help="The sheet of an Excel workbook.")
@click.option(
    "--header-row",
    type=click.IntRange(min=1),
    help="The row that holds the column names (CSV or Excel), when a title or an export's format "
    "line comes first; the rows above it are not merged  [default: the first row that is not blank].",
)
@click.option("--template", type=click.Path(dir_okay=False), help="Your letterhead .docx.")
@click.option("--combined", type=click.Path(dir_okay=False), help="Also write all letters into one .docx, each on a new page (with --format docx).")
@click.option("--check", is_flag=True, help="Only validate the rows; write nothing.")
@_attach_options(per_row=True)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files that exist (default: keep them, so a re-run resumes); never an email that "
    "was sent (the folder's sent-log says so): it is what the client received.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes that write the files (default: on Linux one per core that other work leaves "
    "free, at most 4, for 500 letters or more; else 1). The files are the same whatever the number.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    help="Write every row's outcome to this .csv or .json file.",
)
@click.option(
    "--send",
    is_flag=True,
    help="Send the emails (.eml) by SMTP; a dry run unless --no-dry-run. No address gets a row's "
    "email twice: the folder's sent-log knows it by file name and address, and an email that was "
    "sent is kept as it was, even with --force. An email made on an earlier day (no date in the "
    "input) and not sent yet waits for your choice: --force remakes it dated today, date: in --base "
    "sends it as it is.",
)
@click.option("--no-dry-run", is_flag=True, help="With --send: really send.")
@click.option(
    "--limit",
    type=int,
    default=None,
    help="With --send: stop once the server has accepted N messages in this run (1 or more); a "
    "message it refuses does not count.",
)
@click.option("--rate", type=click.FloatRange(0.1), default=None, help="With --send: messages per minute.")
@click.option(
    "--smtp-config",
    type=click.Path(dir_okay=False),
    help=(
        "SMTP settings file (YAML, JSON or TOML): host, port, security, username, timeout, "
        "cafile; the password only from LETTERKIT_SMTP_PASSWORD or a prompt."
    ),
)
@click.option(
    "--retry-uncertain",
    is_flag=True,
    help="With --send: send again messages whose connection dropped mid-send (check first).",
)
@click.option(
    "--mark-sent",
    multiple=True,
    metavar="FILE",
    help="With --send: an uncertain email (its send was cut off mid-message) that you checked did "
    "arrive, e.g. 0003-Schmidt.eml: recorded as sent, not sent again. Repeatable.",
)
@click.option(
    "--resend",
    multiple=True,
    metavar="FILE",
    help="Remake this email that was sent (a file of the output folder, e.g. 0003-Schmidt.eml) from its "
    "row, to go to the row's address now (corrected since); the email as sent is kept in "
    "DIR/superseded. An address that got it already does not get it again. Also lets --send "
    "send a file to an address that got another email from the folder in an earlier run (a "
    "second contract). Repeatable.",
)
@_reports_errors
def merge_command(
    data: str,
    out_dir: str | None,
    base: str | None,
    name_pattern: str | None,
    fmt: str | None,
    columns: str | None,
    sheet: str | None,
    header_row: int | None,
    template: str | None,
    combined: str | None,
    check: bool,
    attachments: tuple[str, ...],
    attach_letter_pdf: bool,
    force: bool,
    jobs: int | None,
    report_path: str | None,
    send: bool,
    no_dry_run: bool,
    limit: int | None,
    rate: float | None,
    smtp_config: str | None,
    retry_uncertain: bool,
    mark_sent: tuple[str, ...],
    resend: tuple[str, ...],
) -> None:
    """Merge a client list (CSV, XLSX, JSON, JSONL, YAML) into one letter or email per row."""
    from .errors import LetterkitError
    from .merge import merge
    from .merge.sources import read_mapping

    if not check and not out_dir:
        raise click.UsageError("give an output folder with -o DIR (or --check to only validate)")
    from .merge.names import format_from_pattern

    named = format_from_pattern(name_pattern)
    if fmt and named and named != fmt:
        raise click.UsageError(f"--name ends in .{named} but --format is {fmt}; make them agree")
    if report_path and not report_path.lower().endswith((".csv", ".json")):
        raise click.UsageError(f"--report {report_path}: the report is a .csv or .json file")
    if send and check:
        raise click.UsageError("--send sends the emails a merge writes; it cannot go with --check")
    if resend and check:
        raise click.UsageError("--resend remakes emails; it cannot go with --check")
    fmt = fmt or named or ("eml" if send else "docx")
    if send and fmt != "eml":
        raise click.UsageError("--send sends emails: use --format eml")
    sending = {"--no-dry-run": no_dry_run, "--limit": limit is not None, "--rate": rate is not None}
    sending |= {"--smtp-config": smtp_config is not None, "--retry-uncertain": retry_uncertain}
    sending |= {"--mark-sent": bool(mark_sent)}
    without_send = [option for option, given in sending.items() if given and not send]
    if without_send:
        verb = "works" if len(without_send) == 1 else "work"
        raise click.UsageError(f"{', '.join(without_send)} {verb} only with --send")
    if limit is not None and limit < 1:
        raise click.UsageError("--limit must be 1 or more")
    if rate is not None and not math.isfinite(rate):  # click's range lets nan and inf through
        raise click.UsageError(f"--rate {rate} is no rate; give the messages per minute, 0.1 or more")
    smtp = _send_settings(smtp_config, dry_run=not no_dry_run) if send else None  # before writing
    if send and no_dry_run and out_dir:
        _hold_send_lock(out_dir)  # before the merge: a second run must not even rewrite the files
    if report_path:
        from .output import check_writable

        check_writable(report_path, "--report", created=out_dir)
        _clear_earlier_report(report_path)

    def log_in_before_writing(planned: Any) -> None:
        """The server is tried before the first letter is written, not after the last one:
        the connection, its encryption and the login (the password asked for here when it is
        not in the environment: a long merge left the prompt waiting), so that a wrong port,
        host or password is found before a long merge; only when an email is to go out."""
        nonlocal smtp
        assert smtp is not None  # asked only for a real send
        if _emails_to_come(planned, str(out_dir)):
            from .merge.send import log_in_first

            smtp = log_in_first(smtp, _password_prompt(smtp))

    tries_first = bool(smtp and no_dry_run)
    try:
        with _progress_bar() as progress, _check_counter() as counted:
            report = merge(
                data,
                base=base,
                out_dir=out_dir,
                fmt=fmt,
                name=name_pattern,
                template=template,
                check=check,
                force=force,
                combined=combined,
                jobs=jobs,
                sheet=sheet,
                columns=read_mapping(columns) if columns else None,
                header_row=header_row,
                attachments=attachments,
                attach_pdf=attach_letter_pdf,
                progress=progress,
                resend=resend,
                before_writing=log_in_before_writing if tries_first else None,
                checking=counted,
            )
    except (LetterkitError, KeyboardInterrupt) as exc:
        stopped = getattr(exc, "report", None)
        if report_path and stopped is not None:  # the rows done before the run stopped
            _write_report_after(stopped, report_path, data, header_row, stopping=True)
        if smtp is not None and no_dry_run:
            setattr(exc, "before_send", True)  # noqa: B010 - the message says no email went out
        raise
    # an earlier run's emails the merge did not replace: the send says what became of each
    waiting = _left_to_the_send(report) if smtp is not None and out_dir else {}
    readdressed = report.readdressed() if not check else {}  # sent to an address the row no longer has
    edited = _edited(report) if waiting else {}  # an email edited since it was made: not sent
    _print_merge_report(report, check, data, waiting, {**readdressed, **edited})
    _print_shared_attachments(report, attachments)
    emails = _emails_to_send(report, out_dir, waiting) if smtp is not None and out_dir else {}
    if report_path:  # before the send too: a run killed while sending leaves a report
        report.record_send(emails)
        _write_report(report, report_path, data, header_row)
    sent_ok = True
    if smtp is not None and out_dir:
        sent_ok = _send(
            report,
            out_dir,
            smtp,
            emails,
            {row: readdressed.get(row) or edited.get(row, "") for row in waiting},
            report_path,
            dry_run=not no_dry_run,
            limit=limit,
            rate=rate,
            retry_uncertain=retry_uncertain,
            resend=frozenset(Path(name).name for name in resend),
            arrived=frozenset(Path(name).name for name in mark_sent),
        )
    if any(r.row not in waiting for r in report.failed) or not sent_ok or readdressed:
        sys.exit(1)


def _print_shared_attachments(report: Any, attachments: tuple[str, ...]) -> None:
    """A file attached to every email of a merge may be meant for one client only (an
    invoice): say so, and how to give each row its own."""
    emails = sum(
        1 for r in report.results if r.file.endswith(".eml") and r.status in ("valid", "written", "exists")
    )
    shared = [a for a in attachments if "{" not in a]
    if shared and emails > 1:
        click.echo(
            f"note: {', '.join(shared)} {'is' if len(shared) == 1 else 'are'} attached to every email "
            f"({emails}); to give each row its own file, name it with a pattern: "
            "--attach 'invoices/{final_invoice.number}.pdf'",
            err=True,
        )


_REPORT_STARTS = (b"row,status,file,", b"row;status;file;", b'{\n  "version": 1,')


def _clear_earlier_report(path: str) -> None:
    """Remove an earlier run's report before this run begins: a run killed before it writes
    its own (kill -9) then leaves no report, not the last run's, which would tell another
    state of the folder. A file that is no letterkit report is refused, not replaced."""
    from .errors import OutputError

    target = Path(path)
    if not target.is_file():
        return
    with target.open("rb") as handle:
        head = handle.read(64).removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(_REPORT_STARTS):
        raise OutputError(
            f"--report {path}: the file exists and is no report of a merge (which starts with "
            "'row,status,file'), so it is not replaced; give the report another name"
        )
    target.unlink()


def _write_report(report: Any, path: str, source: str = "", header_row: int | None = None) -> None:
    """The report file; a .csv one separated by ';' when the client list (``source``, given
    at the first write; later writes keep the report's separator) was, as German Excel
    writes and reads CSV, else by ','."""
    from .merge.sources import csv_delimiter
    from .output import make_folder, write_atomic

    # in the output folder, which a merge whose rows all failed did not create
    make_folder(Path(path).parent)
    if path.lower().endswith(".json"):
        data = report.to_json().encode("utf-8")
    else:  # with a BOM: Excel opens UTF-8 as UTF-8 only then ("Weiß", not "WeiÃŸ")
        if source:
            report.delimiter = ";" if csv_delimiter(source, header_row) == ";" else ","
        data = report.to_csv().encode("utf-8-sig")
    write_atomic(path, data, force=True)


class _check_counter:
    """On a terminal, how many rows have been checked so far ("Checking rows: 12,250"), on
    one line that the next count overwrites and the end clears: a large list is checked
    whole before the first file is written, which took minutes without a word (tester 28).
    Nothing when stderr is not a TTY."""

    def __enter__(self) -> Callable[[int], None] | None:
        self.shown = False
        if not sys.stderr.isatty():
            return None

        def show(count: int) -> None:
            sys.stderr.write(f"\rChecking rows: {count:,}")
            sys.stderr.flush()
            self.shown = True

        return show

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")  # the count's line cleared for what comes next
            sys.stderr.flush()


class _progress_bar:
    """A progress bar on a terminal; nothing when stderr is not a TTY."""

    def __enter__(self) -> Callable[[int, int], None] | None:
        self.bar: Any = None
        if not sys.stderr.isatty():
            return None

        def update(done: int, total: int) -> None:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label="Writing", file=sys.stderr)
                self.bar.__enter__()
            self.bar.update(1)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _print_merge_report(
    report: Any, check: bool, data: str, waiting: Mapping[int, str], apart: Mapping[int, str]
) -> None:
    """The failed rows' problems, the emails kept as they were sent, the notices and a
    summary line. The rows in ``waiting`` (an earlier run's email, left as it is) are the
    send's to report: one line each; those ``apart`` are counted apart (row -> notice): an
    email sent to an address the row no longer has, or one edited since it was made."""
    from .merge.existing import CHANGED, GOT_EARLIER, READDRESSED

    kept_as_sent = failed = 0
    for result in report.results:
        if result.status not in ("failed", "sent"):
            continue
        if result.row in waiting:  # the send says what became of it; not who got it before
            for problem in result.problems:
                if GOT_EARLIER in problem or CHANGED in problem:
                    click.echo(f"{data}: row {result.row}: {problem}", err=True)
            continue
        if result.status == "sent":
            kept_as_sent += 1
        else:
            failed += 1
        for problem in result.problems:
            click.echo(f"{data}: row {result.row}: {problem}", err=True)
    _print_repeats(report, data)
    _print_notices(report, data)
    if check:
        click.echo(f"{report.count('valid')} row(s) valid, {len(report.failed)} failed.", err=True)
        return
    sent = f", {kept_as_sent} kept as they were sent" if kept_as_sent else ""
    readdressed, edited = (
        {r: why for r, why in apart.items() if READDRESSED in why},
        {r: why for r, why in apart.items() if READDRESSED not in why},
    )
    changed = {r.row for r in report.results if r.row in waiting and any(CHANGED in p for p in r.problems)}
    made_earlier = len(set(waiting) - set(apart) - changed)
    where = "below" if set(readdressed) <= set(waiting) else "above"
    said = [
        _told(made_earlier, "1 email made earlier left as it is", "{} emails made earlier left as they are", "below"),
        _told(len(changed), "1 email sent earlier differs from its row's now",
              "{} emails sent earlier differ from their rows' now", "above"),
        _told(len(edited), "1 email differs from its row's in more than the date",
              "{} emails differ from their rows' in more than the date", "below"),
        _told(len(readdressed), "1 email was sent to an address its row no longer has, not to the new one",
              "{} emails were sent to an address their rows no longer have, not to the new one",
              f"{where}: --resend sends it there"),
    ]  # fmt: skip
    left = "".join(f"; {part}" for part in said if part)
    click.echo(
        f"{report.count('written')} written, {report.count('exists')} kept from an earlier run{sent}, "
        f"{failed} failed" + _combined_summary(report) + left + ".",
        err=True,
    )
    _print_earlier_files(report)


def _told(count: int, one: str, many: str, see: str) -> str:
    """A part of the merge's summary line about ``count`` emails ('' for none), in the
    singular or the plural, with where the lines about them are."""
    if not count:
        return ""
    return f"{one if count == 1 else many.format(count)} (see {see})"


SHOWN_FILES = 10


def _print_earlier_files(report: Any) -> None:
    """The letters and emails in the output folder that no row of this run made: they are not
    this list's (a client removed from it, rows numbered otherwise since one was added or removed)."""
    earlier = report.earlier_files
    if not earlier:
        return
    shown = ", ".join(earlier[:SHOWN_FILES])
    more = (
        f" and {len(earlier) - SHOWN_FILES} more (a --report .json lists them all)"
        if len(earlier) > SHOWN_FILES
        else ""
    )
    many = len(earlier) > 1
    click.echo(
        f"warning: {len(earlier)} {'files' if many else 'file'} in {report.out_dir} {'were' if many else 'was'} "
        f"not made by this run: {shown}{more}. {'They are' if many else 'It is'} from an earlier run (a row "
        "no longer in the list, or rows numbered otherwise since one was added or removed) or put there by hand; "
        f"--send does not send {'them' if many else 'it'}. Move {'them' if many else 'it'} away so that "
        f"{'they are' if many else 'it is'} not taken for this list's letters.",
        err=True,
    )


def _combined_summary(report: Any) -> str:
    if not report.combined:
        return ""
    said = _combined_status(report)
    if report.combined_status == "not written":
        return said
    # rows on the email channel are .eml files, not pages of the document to print: say so,
    # or "combined: all.docx" reads as the whole list (tester6: 10 of 40 rows were in it)
    emails = sum(1 for r in report.results if r.status != "failed" and r.file.endswith(".eml"))
    if emails:
        said += f", without the {emails} {'emails' if emails > 1 else 'email'} (.eml files, not printed)"
    return said


def _combined_status(report: Any) -> str:
    if report.combined_status == "kept" and report.failed:
        return f"; combined: {report.combined} kept as it was (a letter failed; fix it and run again)"
    if report.combined_status == "kept":
        return f"; combined: {report.combined} kept (it holds these letters already)"
    if report.combined_status == "not written":
        return f"; combined: {report.combined} not written (no letter was made)"
    if report.failed:
        return f"; combined: {report.combined} (without the rows that failed: fix them and run again to add them)"
    return f"; combined: {report.combined}"


SHOWN_REPEATS = 10  # a list exported twice would otherwise print a line for every row
SHOWN_NOTICES = 10
SHOWN_ROWS = 5  # the rows named for a warning many rows share


def _print_notices(report: Any, data: str) -> None:
    """What a produced row's letter carries besides its text: a wording warning (the tone
    model reading a reason_note as blame, say) or a name made from the row number. The
    letter is written all the same; the user should still see it before sending it. A
    warning that many rows share (the --base sender's return line too wide for the address
    field) is printed once, with its rows."""
    from .merge.results import NOTE

    shared: dict[str, list[Any]] = {}  # each warning's rows, in the order first seen
    for result in report.results:
        if result.status not in ("written", "exists", "valid"):
            continue
        for problem in result.problems:
            if result.repeats and problem.startswith(f"repeats row {result.repeats}:"):
                continue  # printed by _print_repeats
            having = shared.setdefault(problem, [])
            if not having or having[-1] is not result:  # a row with the same warning twice is named once
                having.append(result)
    shown = more = 0
    for problem, results in shared.items():
        if shown >= SHOWN_NOTICES:
            more += len(results)
            continue
        shown += 1
        # a hint of the lint ('leider') is a note, as `letterkit lint` and `generate` call it (tester7)
        label, text = ("note", problem.removeprefix(NOTE)) if problem.startswith(NOTE) else ("warning", problem)
        if len(results) == 1:
            where = f" ({results[0].file})" if results[0].file else ""
            click.echo(f"{data}: row {results[0].row}{where}: {label}: {text}", err=True)
        else:
            rows = ", ".join(str(r.row) for r in results[:SHOWN_ROWS])
            rest = f" and {len(results) - SHOWN_ROWS} more" if len(results) > SHOWN_ROWS else ""
            click.echo(f"{data}: rows {rows}{rest}: {label}: {text}", err=True)
    if more:
        click.echo(f"{data}: {more} more warning(s); --report lists them all", err=True)


def _print_repeats(report: Any, data: str) -> None:
    """One line per row whose input repeats an earlier row's (it is produced all the same)."""
    repeated = 0
    for result in report.results:
        if result.repeats:
            repeated += 1
            if repeated <= SHOWN_REPEATS:
                what = "email" if result.file.endswith(".eml") else "letter"
                click.echo(
                    f"{data}: row {result.row} repeats row {result.repeats} (the same input as read: the same "
                    f"{what} twice)",
                    err=True,
                )
    if repeated > SHOWN_REPEATS:
        click.echo(
            f"{data}: {repeated - SHOWN_REPEATS} more row(s) repeat an earlier row; --report lists them all",
            err=True,
        )


def _can_ask_password() -> bool:
    """A password prompt needs a terminal; cron, CI and `</dev/null` have none."""
    return sys.stdin.isatty()


def _send_settings(config: str | None, *, dry_run: bool) -> Any:
    """The SMTP settings, checked before the merge writes anything: a mistake in them (or a
    real send's missing host or password) stops the run before pass 2, not after it."""
    from .merge.send import check_settings, smtp_settings

    settings = smtp_settings(config)
    check_settings(settings, dry_run=dry_run, can_ask_password=_can_ask_password())
    return settings


def _hold_send_lock(out_dir: str) -> None:
    """Refuse at once when another run sends from this folder, else hold its lock until
    the command ends (the OS drops it if the process dies)."""
    from .merge.send import sending_lock

    click.get_current_context().with_resource(sending_lock(Path(out_dir)))


def _password_prompt(settings: Any) -> Callable[[], str]:
    def ask_password() -> str:
        return str(click.prompt(f"SMTP password for {settings.username}", hide_input=True, err=True))

    return ask_password


def _emails_to_come(planned: Any, out_dir: str) -> bool:
    """Whether the checked rows make an email the folder's sent-log does not list as sent:
    then the send will log in, and the password is asked for before anything is written."""
    from .merge.sent_log import SentLog

    log = SentLog(Path(out_dir))
    return any(
        r.status == "valid" and r.file.endswith(".eml") and not log.knows(r.file) for r in planned.results
    )


def _emails_to_send(report: Any, out_dir: str, waiting: Mapping[int, str]) -> dict[int, Path]:
    """The email each row gives the send (row -> file), in row order: the row's own, written
    or kept (letter rows are not sent), or the earlier run's email it left as it is (only
    reported by the send: already sent, or not sent and why)."""
    files = {}
    for r in report.results:
        if r.status in ("written", "exists") and r.file.endswith(".eml"):
            files[r.row] = Path(out_dir) / r.file
        elif r.row in waiting:
            files[r.row] = Path(out_dir) / waiting[r.row]
    return files


def _send(
    report: Any,
    out_dir: str,
    settings: Any,
    emails: Mapping[int, Path],
    waiting: Mapping[int, str],
    report_path: str | None,
    *,
    dry_run: bool,
    limit: int | None,
    rate: float | None,
    retry_uncertain: bool,
    resend: frozenset[str] = frozenset(),
    arrived: frozenset[str] = frozenset(),
) -> bool:
    """Send (or list) the merge's emails; False when a message failed or is uncertain (in a
    dry run: when an email waits for the user's choice). The ``waiting`` ones, an earlier
    run's emails the merge did not replace (row -> '' or, for one sent to an address its row
    no longer has, the notice that says so), are only reported: already sent, or not sent
    and why. The --report, if asked for, is written again with each row's send outcome,
    however the send ends."""
    from .errors import LetterkitError
    from .merge.send import SendOptions, send_folder

    stale = {emails[row]: why for row, why in waiting.items() if row in emails}
    options = SendOptions(
        dry_run=dry_run,
        limit=limit,
        rate=rate,
        retry_uncertain=retry_uncertain,
        resend=resend,
        arrived=arrived,
        ask_password=_password_prompt(settings) if _can_ask_password() else None,
    )
    try:
        sending = send_folder(list(emails.values()), Path(out_dir), settings, options, stale=stale)
    except LetterkitError as exc:  # a damaged sent-log, another run's lock: nothing was sent
        if report_path:
            report.record_send(emails, not_started=f"the send did not start: {exc}")
            _write_report_after(report, report_path, stopping=True)
        raise
    try:
        for line in sending:
            click.echo(line, err=True)
    except (KeyboardInterrupt, LetterkitError) as exc:  # Ctrl-C, SIGTERM, the server gone:
        setattr(exc, "sending", sending)  # noqa: B010  # _reports_errors says what was sent
        raise
    finally:
        if report_path:  # also when the send stops (Ctrl-C, a lost server): what it did so far
            report.record_send(emails, sending)
            _write_report_after(report, report_path, stopping=sys.exc_info()[0] is not None)
    click.echo(sending.summary(), err=True)
    return sending.finished and not sending.failed if dry_run else sending.ok


def _write_report_after(
    report: Any, path: str, source: str = "", header_row: int | None = None, *, stopping: bool
) -> None:
    """Write the report, also for a run that is ``stopping`` (an error or Ctrl-C on its way):
    then an error writing the report is said, and does not hide why the run stopped."""
    from .errors import LetterkitError

    try:
        _write_report(report, path, source, header_row)
    except LetterkitError as exc:
        if not stopping:
            raise
        click.echo(f"Error: the report could not be written either: {exc}", err=True)


def _edited(report: Any) -> dict[int, str]:
    """The failed rows whose email file differs from the row's in more than its date (row ->
    the problem that says so): edited by hand, or made from other data."""
    from .merge.existing import EDITED

    return {
        r.row: r.problems[0] for r in report.failed if len(r.problems) == 1 and r.problems[0].endswith(EDITED)
    }


def _left_to_the_send(report: Any) -> dict[int, str]:
    """The rows whose file is an earlier run's email the merge left as it is (row -> file):
    one kept as it was sent, or one it would not replace without --force (a failed row
    with no other problem). The send reports each: already sent, or not sent and why."""
    waiting = {}
    for r in report.results:
        file = r.file if r.status == "sent" else _not_replaced(r.problems) if r.status == "failed" else ""
        if file.endswith(".eml") and (r.status == "sent" or len(r.problems) == 1):
            waiting[r.row] = file
    return waiting


def _not_replaced(problems: list[str]) -> str:
    """The file a failed row's merge would not replace without --force ('' if none): the
    row's email from an earlier run (another day's date, say), which may have been sent."""
    for problem in problems:
        name, clash, _ = problem.partition(" already exists and holds another letter")
        if clash:
            return name
    return ""


if _COLLECTING:  # see the top of the module
    gc.enable()
