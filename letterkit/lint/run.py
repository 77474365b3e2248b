"""The lint run behind ``letterkit lint``: read each file, lint it, apply settings and
baseline, and build the report. Returns a result; printing is the CLI's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import gc_paused, lint_draft
from .config import find_config, read_baseline, without_baseline, write_baseline
from .findings import Finding, severity_rank
from .report import render_report


@dataclass
class LintOptions:
    lang: str | None = None
    locale: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_level: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None


@dataclass
class LintResult:
    findings: list[Finding]
    report: str
    failed: bool


def _settings(options: LintOptions) -> LintOptions:
    """Command-line options win over the config file."""
    config, _ = find_config(Path.cwd())
    return LintOptions(
        lang=options.lang or config.get("lang"),
        locale=options.locale or config.get("locale"),
        select=options.select or list(config.get("select", [])),
        ignore=options.ignore or list(config.get("ignore", [])),
        fail_level=options.fail_level or config.get("fail-level") or "warning",
        baseline=options.baseline or config.get("baseline"),
        write_baseline=options.write_baseline,
    )


def run_lint(
    files: list[str],
    options: LintOptions,
    *,
    stdin: str | None = None,
    fmt: str = "text",
    color: bool = False,
) -> LintResult:
    """Lint every file; the report is in ``fmt``."""
    from .formats import text_draft
    from .readers import read_draft

    opts = _settings(options)
    findings: list[Finding] = []
    texts: dict[str, str] = {}
    with gc_paused():  # reading and reporting make many objects too (see gc_paused)
        for name in files:
            draft = text_draft(stdin or "", "<stdin>") if name == "-" else read_draft(Path(name))
            texts[draft.path] = draft.text
            findings += lint_draft(
                draft, opts.lang, locale=opts.locale, select=opts.select or None, ignore=opts.ignore or None
            )
        if opts.write_baseline:
            write_baseline(Path(opts.write_baseline), findings)
        if opts.baseline:
            findings = without_baseline(findings, read_baseline(Path(opts.baseline)))
        level = severity_rank(opts.fail_level or "warning")
        failed = any(severity_rank(f.severity) >= level for f in findings)
        return LintResult(findings, render_report(fmt, findings, texts, color), failed)
