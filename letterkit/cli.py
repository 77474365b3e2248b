"""The ``letterkit`` command line: thin adapters over the library.

Each command parses its options, calls one library function and prints the
result. This is the only module that prints or exits; every ``LetterkitError``
becomes one clear message and exit code 1 (usage errors exit 2, via click).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__

F = TypeVar("F", bound=Callable[..., Any])
LOCALE_CHOICES = ("de-DE", "de-AT", "de-CH", "en-GB", "en-US")


def _reports_errors(func: F) -> F:
    """Turn library errors into a clean message and exit code, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import LetterkitError

        try:
            return func(*args, **kwargs)
        except LetterkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


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
    help="Output file; the format follows its extension (.docx .pdf .txt .md .html). "
    "Without it the letter is printed as text.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False),
    help="Your own letterhead .docx with letterkit's placeholders (docs/templates.md).",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@_reports_errors
def generate(input_file: str, output: str | None, template: str | None, force: bool) -> None:
    """Compose the letter described by INPUT (YAML or JSON; - reads standard input)."""
    from .compose import compose
    from .render import FORMATS, render

    letter = compose(_read_stdin() if input_file == "-" else input_file)
    for finding in letter.findings:
        click.echo(f"Warning: {finding.rule}: {finding.message} ('{finding.text}')", err=True)
    if output is None:
        click.echo(render(letter, "txt").decode("utf-8"), nl=False)
        return
    fmt = Path(output).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.UsageError(
            f"cannot tell the format from '{output}'; end the name with one of "
            + ", ".join(f".{f}" for f in FORMATS)
        )
    from .output import write_atomic

    if Path(output).exists() and not force:
        from .errors import OutputError

        raise OutputError(f"{output}: already exists; use --force to replace it")
    data = render(letter, fmt, template=template)
    write_atomic(output, data, force=force)
    click.echo(f"Wrote {output}", err=True)


def _read_stdin() -> dict[str, Any]:
    from .errors import InputError, Problem
    from .sources import parse_yaml

    data, _ = parse_yaml(sys.stdin.read(), "<stdin>")
    if not isinstance(data, dict):
        raise InputError([Problem("", "expected a YAML or JSON mapping")], "<stdin>")
    return data


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
@click.option("--register", type=click.Choice(["sie", "du"]), default="sie", show_default=True)
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
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--lang", type=click.Choice(["de", "en"]), help="Language of the drafts (default: detected).")
@click.option("--locale", type=click.Choice(LOCALE_CHOICES), help="Enables locale checks (ß in de-CH, ...).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github", "html"]),
    default="text",
    show_default=True,
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
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the findings as accepted.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
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
) -> None:
    """Check drafts (.txt .md .html .docx .eml, - for standard input) for blame, hostility,
    threats and wording that reopens the decision. Exit 0 clean, 1 findings, 2 unreadable input."""
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
    )
    try:
        stdin = sys.stdin.read() if "-" in files else None
        result = run_lint(list(files), options, stdin=stdin, fmt=fmt, color=sys.stdout.isatty())
    except LetterkitError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    if output:
        from .output import write_atomic

        write_atomic(output, result.report.encode("utf-8"), force=True)
    else:
        click.echo(result.report, nl=False)
    sys.exit(1 if result.failed else 0)


@main.command()
@click.argument("rule_id", required=False)
@click.option("--lang", type=click.Choice(["de", "en"]), default=None, help="Only one language's rules.")
@_reports_errors
def rules(rule_id: str | None, lang: str | None) -> None:
    """List the lint rules, or explain one rule with its examples."""
    from .lint.explain import explain, list_rules

    click.echo(explain(rule_id, lang) if rule_id else list_rules(lang), nl=False)
