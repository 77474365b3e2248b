"""The lint run behind ``letterkit lint``: check the settings and the output paths, read
each file, lint it, apply the baseline, and build (or write) the report. Returns a result;
printing is the CLI's job.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LetterkitError, OutputError, SourceError
from . import gc_paused, lint_draft
from .config import (
    SettingError,
    check_choice,
    check_selectors,
    find_config,
    is_baseline,
    languages,
    locale_mismatch,
    locales,
    read_baseline,
    without_baseline,
    write_baseline,
)
from .findings import SEVERITIES, Finding, severity_rank
from .report import is_html_report, render_report, unchecked_spans
from .text import Draft


@dataclass
class LintOptions:
    lang: str | None = None
    locale: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_level: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    output: str | None = None  # write the report to this file instead of returning it for print
    force: bool = False  # let ``output`` replace an existing file (never one of the drafts)
    # the file name of the draft on standard input (as ruff's --stdin-filename): its format
    # by the extension (.html, .eml, .md, .docx) and its name in the report
    stdin_filename: str | None = None


@dataclass
class LintResult:
    findings: list[Finding]
    report: str
    failed: bool
    # lines for standard error: an empty draft, the baseline written, the report's file
    notices: list[str] = field(default_factory=list)
    # whether ``report`` is for standard output (not when written to a file or a baseline)
    printed: bool = True
    # the drafts that could not be read ("file: why"): the others are still linted and
    # reported; the CLI exits 2 after the report
    errors: list[str] = field(default_factory=list)


def _settings(options: LintOptions, start: Path | None = None) -> LintOptions:
    """The settings for the drafts in the folder ``start`` (the working directory for
    standard input): the nearest config file at or above it, as ruff finds its own, with
    the command-line options over it; ``ignore`` adds to the config's list (``select``
    replaces it). A ``baseline`` named in a config file is relative to that file's folder.
    Every value is checked, wherever it comes from."""
    config, found = find_config(start or Path.cwd())
    if found is not None and config.get("baseline"):
        config = {**config, "baseline": str(found.parent / config["baseline"])}
    ignore = list(dict.fromkeys([*config.get("ignore", []), *options.ignore]))
    lang, locale = options.lang or config.get("lang"), options.locale or config.get("locale")
    if bool(options.lang) != bool(options.locale) and lang and locale and locale_mismatch(locale, lang, "", ""):
        # one from the command line, the other from a settings file: the command line wins
        lang, locale = (lang, None) if options.lang else (None, locale)
    opts = LintOptions(
        lang=lang,
        locale=locale,
        select=options.select or list(config.get("select", [])),
        ignore=ignore,
        fail_level=options.fail_level or config.get("fail-level") or "warning",
        baseline=options.baseline or config.get("baseline"),
        write_baseline=options.write_baseline,
        output=options.output,
        force=options.force,
    )
    check_selectors("--select", options.select, None)
    check_selectors("--ignore", options.ignore, None)
    if opts.lang:
        check_choice("--lang", opts.lang, languages(), None)
    if opts.locale:
        check_choice("--locale", opts.locale, locales(), None)
    check_choice("--fail-level", opts.fail_level, SEVERITIES, None)
    if options.lang and options.locale:
        mismatch = locale_mismatch(options.locale, options.lang, "--locale", "--lang")
        if mismatch:
            raise SettingError(mismatch, None)
    return opts


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (yet): not the same file
        return False


def _same_target(a: str, b: str) -> bool:
    return _same_file(a, b) or Path(a).absolute() == Path(b).absolute()


class _SettingsByFolder:
    """The settings of each draft, by the folder it is in (a config file is looked up once
    per folder); standard input has those of the folder --stdin-filename names, else those
    of the working directory. Baselines are read once each."""

    def __init__(self, options: LintOptions, here: LintOptions) -> None:
        self.options = options
        self.here = here
        self.folders: dict[Path, LintOptions | SourceError] = {}
        self.read: dict[str, set[str]] = {}

    def of(self, name: str) -> LintOptions:
        """The draft's settings; a config file of its folder that cannot be read or holds a
        wrong setting raises ``SourceError`` for this draft (every time it is asked), so
        the drafts of other folders are still linted and reported."""
        if name == "-":  # a buffer named by --stdin-filename: its folder's settings, when it exists
            name = self.options.stdin_filename or ""
            if not name or not Path(name).absolute().parent.is_dir():
                return self.here
        folder = Path(name).absolute().parent
        if folder not in self.folders:
            try:
                self.folders[folder] = self.here if folder == Path.cwd() else _settings(self.options, folder)
            except SourceError as exc:
                self.folders[folder] = exc
        found = self.folders[folder]
        if isinstance(found, SourceError):
            raise found
        return found

    def baselines(self, files: list[str]) -> list[str]:
        """The baselines the drafts' settings name (a draft whose settings fail has none)."""
        found = []
        for name in files:
            with contextlib.suppress(SourceError):
                found.append(self.of(name).baseline)
        return list(dict.fromkeys(b for b in found if b))

    def accepted(self, baseline: str) -> set[str]:
        if baseline not in self.read:
            self.read[baseline] = read_baseline(Path(baseline))
        return self.read[baseline]


def _check_targets(files: list[str], opts: LintOptions, baselines: list[str] | None = None) -> None:
    """Refuse a report or baseline over a draft being linted (or over each other), and a
    report over an existing file without --force — before any work is done."""
    inputs = [(name, "a draft being linted") for name in files if name != "-"]
    for read in dict.fromkeys([*([opts.baseline] if opts.baseline else []), *(baselines or [])]):
        inputs.append((read, "the baseline being read"))
    targets = [(opts.output, "-o/--output"), (opts.write_baseline, "--write-baseline")]
    for target, option in targets:
        if not target:
            continue
        for name, role in inputs:
            rewrites_baseline = option == "--write-baseline" and role == "the baseline being read"
            if _same_file(target, name) and not rewrites_baseline:
                raise SettingError(f"is {role}; {option} would overwrite it. Give another file name", target)
    if opts.output and opts.write_baseline and _same_target(opts.output, opts.write_baseline):
        raise SettingError(
            "is given to both -o/--output and --write-baseline; give two file names", opts.output
        )
    if opts.output and os.path.lexists(opts.output) and not opts.force:
        from ..output import is_stream  # only here: letterkit.output is no import of a lint's start

        if not is_stream(opts.output):  # -o /dev/null is written into, as > does (tester5)
            raise OutputError(f"{opts.output}: already exists; use --force to replace it")
    baseline = opts.write_baseline
    if baseline and os.path.lexists(baseline) and not opts.force and not is_baseline(Path(baseline)):
        raise OutputError(
            f"{baseline}: already exists and is not a letterkit baseline; "
            "give another file name, or use --force to replace it"
        )


def _read(name: str, stdin: bytes | str | None, stdin_filename: str | None = None) -> Draft:
    from .readers import read_draft, stdin_draft

    if name != "-":
        if os.path.isdir(name):  # given on its own, a folder is its drafts (drafts_in): none
            raise SourceError(f"is a folder with no draft in it (letterkit lints {', '.join(DRAFT_SUFFIXES)})", name)
        return read_draft(Path(name))
    data = stdin or b""
    # text read by a caller still holds undecodable bytes as surrogates: back to the bytes
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if stdin_filename:
        from .readers import named_stdin_draft

        return named_stdin_draft(raw, stdin_filename)
    return stdin_draft(raw)


def _emptiness(draft: Draft) -> str | None:
    if not draft.text.strip():
        return f"{draft.path}: the draft is empty; there is nothing to check."
    if not draft.visible.strip():
        return f"{draft.path}: has no text to check outside quoted history, code and markup."
    return None


def quoted_notice(path: str, count: int) -> str:
    """What standard error says of quoted lines that were not checked (docs/lint.md)."""
    lines = "1 quoted line" if count == 1 else f"{count} quoted lines"
    return (
        f'{path}: {lines} (starting with ">") not checked, read as quoted text (a quotation or reply history); '
        f'to check {"it" if count == 1 else "them"}, remove the ">".'
    )


def history_notice(draft: Draft) -> str:
    """What standard error says of the reply history after a reply header (docs/lint.md)."""
    line = draft.position(draft.history_at)[0]
    header = draft.text[draft.history_at :].split("\n", 1)[0].strip()
    if len(header) > 60:
        header = header[:59] + "…"
    return (
        f"{draft.path}: from line {line} on ({header!r}) not checked, read as quoted reply history; "
        "to check it, remove the reply header."
    )


def machine_notice(draft: Draft, block: tuple[int, int]) -> str:
    """What standard error says of a block of pasted machine output (docs/lint.md)."""
    first, last = draft.position(block[0])[0], draft.position(max(block[0], block[1] - 1))[0]
    return (
        f"{draft.path}: lines {first}–{last} not checked, read as pasted log output or a stack "
        "trace (time stamps, log levels, stack frames); to check them, paste them without those."
    )


def marker_notices(draft: Draft) -> list[str]:
    """A notice for each ``letterkit-ignore`` marker that names no rule, category or prefix
    of rule ids: a typo there would silence nothing, unnoticed until the line is linted."""
    from .config import unknown_name_hint
    from .text import SUPPRESS_MARKER

    text = draft.source if draft.source is not None else draft.text
    # (line, the names a marker there gives, where it is written)
    marked: list[tuple[int, list[str], str]] = []
    if "letterkit-ignore" in text:
        for match in SUPPRESS_MARKER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1 if draft.source is not None else draft.position(match.start())[0]
            marked.append((line, (match.group(1) or "").split(","), ""))
    comment_marks: dict[int, list[str]] = getattr(draft, "comment_marks", {})  # a .docx's Word comments
    marked += [(line, names, " (in a Word comment)") for line, names in sorted(comment_marks.items())]
    notices = []
    for line, names, where in marked:
        for name in names:
            name = name.strip().strip("-")
            hint = unknown_name_hint(name) if name else None
            if hint is not None:
                notices.append(
                    f"{draft.path}:{line}: letterkit-ignore{where} names no rule or category {name!r}, "
                    f"so it silences nothing; {hint}"
                )
    return notices


def run_lint(
    files: list[str],
    options: LintOptions,
    *,
    stdin: bytes | str | None = None,
    fmt: str = "text",
    color: bool = False,
) -> LintResult:
    """Lint every file; the report is in ``fmt``. With ``write_baseline`` the findings are
    recorded as accepted and the run passes; with ``output`` the report goes to that file."""
    given = files
    files = drafts_in(files)
    reports: list[str] = []  # earlier HTML reports in a folder given: no drafts either
    if files != given:  # a folder's report or baseline is no draft of it
        own = {os.path.realpath(p) for p in (options.output, options.baseline, options.write_baseline) if p}
        files = [f for f in files if f in given or os.path.realpath(f) not in own]
        reports = [f for f in files if f not in given and is_html_report(f)]
        files = [f for f in files if f not in reports]
    opts = _settings(options)
    per_folder = _SettingsByFolder(options, opts)
    _check_targets(files, opts, per_folder.baselines(files))
    findings: list[Finding] = []
    failed = False
    texts: dict[str, str] = {}
    skipped: dict[str, list[tuple[int, int]]] = {}
    notices: list[str] = [f"{f}: an HTML report of letterkit lint, not a draft; not checked." for f in reports]
    errors: list[SourceError] = []
    unread: list[tuple[str, str]] = []  # (draft, why) of each error, for the JSON and SARIF reports
    with gc_paused():  # reading and reporting make many objects too (see gc_paused)
        for name in _distinct(files):
            try:  # settings that fail, a draft that cannot be read, or in neither German nor English
                mine = per_folder.of(name)
                draft = _read(name, stdin, options.stdin_filename)
                found = lint_draft(
                    draft,
                    mine.lang,
                    locale=mine.locale,
                    select=mine.select or None,
                    ignore=mine.ignore or None,
                )
            except SourceError as exc:
                if opts.write_baseline:  # a baseline without that draft's findings would hide them later
                    raise
                errors.append(exc)
                unread.append(_unread(name, exc, options.stdin_filename))
                continue
            texts[draft.path] = draft.text
            if fmt == "html" and draft.visible != draft.text:
                skipped[draft.path] = unchecked_spans(draft.text, draft.visible)
            empty = _emptiness(draft)
            if empty:
                notices.append(empty)
            if mine.lang or mine.locale:
                notices += _language_notice(draft, mine.lang or (mine.locale or "")[:2], mine.locale)
            if draft.quoted_lines:
                notices.append(quoted_notice(draft.path, draft.quoted_lines))
            if draft.history_at >= 0:
                notices.append(history_notice(draft))
            notices += [machine_notice(draft, block) for block in draft.machine]
            if draft.part_note:
                notices.append(f"{draft.path}: {draft.part_note}.")
            notices += marker_notices(draft)
            if mine.baseline and not opts.write_baseline:
                found = without_baseline(found, per_folder.accepted(mine.baseline), Path(mine.baseline).parent)
            level = severity_rank(mine.fail_level or "warning")
            failed = failed or any(severity_rank(f.severity) >= level for f in found)
            findings += found
        # nothing could be read: the error is the answer (a JSON, SARIF or GitHub report is
        # still made, to record the drafts that could not be read where a tool reads it)
        if errors and not texts and fmt not in ("json", "sarif", "github"):
            raise errors[0] if len(errors) == 1 else LetterkitError("\n".join(str(e) for e in errors))
        if opts.write_baseline:
            kept = write_baseline(Path(opts.write_baseline), findings, texts, replace=opts.force)
            count = len(findings)
            others = (
                f" (kept {kept} earlier accepted finding{'s' if kept != 1 else ''} of drafts not linted now; "
                "--force starts the baseline anew)"
                if kept
                else ""
            )
            notices.append(
                f"Recorded {count} finding{'s' if count != 1 else ''} as accepted in {opts.write_baseline}{others}; "
                f"pass --baseline {opts.write_baseline} to report only new ones."
            )
            failed = False
        report = render_report(fmt, findings, texts, color and not opts.output, unread, skipped)
    if opts.output:
        from ..output import write_atomic

        write_atomic(opts.output, report.encode("utf-8", "surrogateescape"), force=opts.force)  # a name's bytes as on stdout
    return LintResult(
        findings,
        report,
        failed,
        notices,
        printed=not (opts.output or opts.write_baseline),
        errors=[str(e) for e in errors],
    )


def _language_notice(draft: Draft, lang: str, locale: str | None) -> list[str]:
    """A notice when the draft is clearly in the other language than the one asked for
    (--lang, --locale or the settings): its rules would pass the draft unread."""
    from .language import mismatch

    other = mismatch(draft.visible, lang)
    if other is None:
        return []
    asked = f"locale {locale}" if locale and locale[:2] == lang else f"lang {lang}"
    return [
        f"{draft.path}: reads as {other}, but it was linted as {asked} (--lang/--locale or the lint "
        f"settings), whose rules do not read {other}; lint it without them, or with --lang "
        f"{'en' if lang == 'de' else 'de'}."
    ]
def _unread(name: str, error: SourceError, stdin_filename: str | None = None) -> tuple[str, str]:
    """A draft that could not be read, as the reports record it: its path and why (the
    error's own words, without the draft's name in front when the error is the draft's)."""
    path = (stdin_filename or "<stdin>") if name == "-" else name
    message = str(error)
    if error.path == path and error.line is None:
        message = message.removeprefix(f"{path}: ")
    return path, message


# The drafts a folder given to the lint holds: the formats it reads.
DRAFT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".eml")


def drafts_in(files: list[str]) -> list[str]:
    """The names given, a folder replaced by the drafts in it and its subfolders (the
    files ending in one of ``DRAFT_SUFFIXES``, in name order; hidden files and folders,
    such as .git, left out), as ruff and Vale take a folder. A folder with no draft stays
    in the list: reading it is an error that says which formats are read, and the other
    drafts are still linted. A linked subfolder is read as the folder it leads to (each folder
once, so a link that loops back adds nothing). Only regular files are a folder's drafts: a
    named pipe (or a link to one) would block the run for ever; a link that leads nowhere
    is kept, and reported as missing."""
    out: list[str] = []
    for name in files:
        if name == "-" or not os.path.isdir(name):
            out.append(name)
            continue
        found = []
        walked: set[tuple[int, int]] = set()
        for folder, subfolders, names in os.walk(name, followlinks=True):
            # a linked folder is walked as the folder it leads to, each folder once: a link to
            # a folder above it (a loop) or to one walked already adds nothing
            walked.add(_folder_key(folder))
            subfolders[:] = sorted(
                d for d in subfolders if not d.startswith(".") and _folder_key(os.path.join(folder, d)) not in walked
            )
            found += [
                os.path.join(folder, n)
                for n in sorted(names)
                if not n.startswith(".")
                and n.lower().endswith(DRAFT_SUFFIXES)
                and _regular(os.path.join(folder, n))
            ]
        out += found or [name]  # an empty folder: reported as a draft that cannot be read (_read)
    return out


def _folder_key(path: str) -> tuple[int, int]:
    """A folder's device and inode (through links), or a key of its own when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return (-1, hash(path))
    return (info.st_dev, info.st_ino)


def _regular(path: str) -> bool:
    """Is ``path`` a regular file (through links), or a link to nothing (reported later)?"""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def _distinct(files: list[str]) -> list[str]:
    """The drafts named, each once (the same file given twice, also by another path, is
    linted once): each file is known by its device and inode, else by its name."""
    kept: list[str] = []
    seen: set[object] = set()
    for name in files:
        key: object = name
        if name != "-":
            try:
                info = os.stat(name)
                key = (info.st_dev, info.st_ino)
            except (OSError, ValueError):  # missing or unreadable: reported when it is read
                pass
        if key not in seen:
            seen.add(key)
            kept.append(name)
    return kept
