"""Reporters: findings as text (ruff style), JSON, SARIF, GitHub annotations or an HTML page.

Each reporter takes the findings of all files and returns a string; the CLI prints it.
The JSON format is versioned (``"version": 1``) and documented in docs/lint.md.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from .findings import Finding, severity_rank
from .regexes import regex

JSON_VERSION = 1
FORMATS = ("text", "json", "sarif", "github", "html")
# A draft that could not be read: its path and why (as standard error says it)
Unread = tuple[str, str]


def render_report(
    fmt: str,
    findings: Sequence[Finding],
    texts: dict[str, str],
    color: bool = False,
    errors: Sequence[Unread] = (),
    skipped: dict[str, list[tuple[int, int]]] | None = None,
) -> str:
    """Dispatch to one reporter; ``texts`` maps each path to its text (for text and HTML);
    ``errors`` are the drafts that could not be read, recorded by the JSON, SARIF and GitHub
    reports (the text and HTML reports leave them to standard error); ``skipped``, the spans
    of each text that were not checked (quoted history, a signature, markup), which the HTML
    report shows apart."""
    if fmt == "json":
        return to_json(findings, errors)
    if fmt == "sarif":
        return to_sarif(findings, errors)
    if fmt == "github":
        return to_github(findings, errors)
    if fmt == "html":
        return to_html(findings, texts, skipped)
    return to_text(findings, color)


def wants_color(stream: object) -> bool:
    """Colour the text report on ``stream``? On a terminal, unless NO_COLOR is set (and not
    empty, https://no-color.org); in a pipe too when FORCE_COLOR is set (and not "0"), as a
    CI log that shows colours asks. NO_COLOR wins over FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force:
        return force != "0"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


_SEVERITY_COLOR = {"error": "31;1", "warning": "33;1", "info": "36"}


def to_text(findings: Sequence[Finding], color: bool = False) -> str:
    """``path:line:col: rule [severity] message``, the sentence with the span underlined,
    and the suggestion."""
    lines: list[str] = []
    for f in findings:
        where = _paint(f"{f.path}:{f.line}:{f.column}:", "1", color)
        rule = _paint(f.rule, _SEVERITY_COLOR[f.severity], color)
        lines.append(f"{where} {rule} [{f.severity}] {f.message}")
        if f.sentence and f.text:
            text = " ".join(f.text.split())
            sentence, at = _around(f.sentence, text, f.sentence_at)
            sentence = sentence.replace("\t", " ")  # a tab would take up to eight columns
            lines.append(f"    {sentence}")
            if at >= 0:
                shown = sentence[at : at + len(text)]  # a long finding: as far as it is shown
                lines.append(
                    "    " + " " * _columns(sentence[:at]) + _paint("^" * max(1, _columns(shown)), "31", color)
                )
        if f.suggestion:
            lines.append(f"    suggestion: {f.suggestion}")
    lines += [summary(findings), ""]
    return "\n".join(lines)  # ends in a newline


def _columns(text: str) -> int:
    """How many columns a terminal gives ``text``: two for a wide character (an emoji, CJK),
    none for a combining accent or an invisible format character, else one."""
    if text.isascii():
        return len(text)
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def summary(findings: Sequence[Finding]) -> str:
    """The last line: errors and warnings are problems to fix; info notes are counted apart,
    as what they are (docs/lint.md: "no call to change the sentence")."""
    counts = Counter(f.severity for f in findings)
    problems = counts["error"] + counts["warning"]
    notes = _count(counts["info"], "note")
    if not problems:
        return f"No problems; {notes} (info)." if counts["info"] else "All clean."
    found = (
        f"Found {_count(problems, 'problem')} "
        f"({_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')})"
    )
    return f"{found} and {notes} (info)." if counts["info"] else f"{found}."


SNIPPET = 160  # characters of a sentence shown; a longer one is cut around the finding


def _around(sentence: str, text: str, known: int = -1) -> tuple[str, int]:
    """The sentence, or the part of a long one around ``text``, and where ``text`` starts
    in what is shown (-1: not in it): at ``known`` when the finding says where it stands
    (a word that comes twice is underlined where it was found), else its first occurrence.
    A run-on "sentence" of thousands of words would otherwise be printed whole under each
    of its findings."""
    at = known if 0 <= known < len(sentence) else sentence.find(text)
    if len(sentence) <= SNIPPET:
        return sentence, at
    if at < 0:
        return sentence[: SNIPPET - 1] + "…", -1
    if len(text) >= SNIPPET:  # a finding as long as what is shown (a whole sentence): its start
        start, end = at, min(len(sentence), at + SNIPPET)
    else:
        start = max(0, at - (SNIPPET - len(text)) // 2)
        end = min(len(sentence), max(start + SNIPPET, at + len(text)))
    start, end = _word_edges(sentence, start, end)
    head = "…" if start > 0 else ""
    tail = "…" if end < len(sentence) else ""
    return head + sentence[start:end] + tail, at - start + len(head)


WORD_REACH = 20  # how far a cut moves to fall between words rather than inside one


def _word_edges(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` moved out to the edges of the words they cut ("…ie reichten"
    was "Sie reichten" cut after its first letter), when a word edge is near."""
    if start > 0 and not sentence[start - 1].isspace():
        edge = max(sentence.rfind(" ", 0, start), sentence.rfind("\n", 0, start)) + 1
        if start - edge <= WORD_REACH:
            start = edge
    if end < len(sentence) and not sentence[end].isspace():
        found = [i for i in (sentence.find(" ", end), sentence.find("\n", end)) if i >= 0]
        edge = min(found) if found else len(sentence)
        if edge - end <= WORD_REACH:
            end = edge
    return start, end


def to_json(findings: Sequence[Finding], errors: Sequence[Unread] = ()) -> str:
    """``{"version": 1, "tool": ..., "summary": ..., "errors": [...], "findings": [...]}``;
    ``errors`` holds each draft that could not be read (``path``, ``message``)."""
    import json  # imported by the formats that need it: a text report spares the start-up

    payload = {
        "version": JSON_VERSION,
        "tool": {"name": "letterkit", "version": __version__},
        "summary": {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")},
        "errors": [{"path": path, "message": message} for path, message in errors],
        "findings": [],
    }
    head = json.dumps(payload, ensure_ascii=False, indent=2)
    if not findings:
        return head + "\n"
    # one finding per line: json's C encoder works only without indent (~10x faster for the
    # tens of thousands of findings a long hostile text gives); still one line per finding
    # for a reader, and the same JSON to a parser
    encode = json.JSONEncoder(ensure_ascii=False).encode
    items = ",\n    ".join(encode(f.to_dict()) for f in findings)
    return head.replace('"findings": []', f'"findings": [\n    {items}\n  ]') + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _sarif_region(f: Finding) -> dict[str, Any]:
    """The finding's region: its first character (startLine, startColumn) and, as SARIF
    2.1.0 (3.30.2) has it, endLine, the line of its last character, and endColumn, the
    column just after that character (1-based, in code points as the run's columnKind)."""
    end_line, end_column = _end(f)
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": end_column,
        "snippet": {"text": f.text},
    }


def _end(f: Finding) -> tuple[int, int]:
    """The line of the finding's last character and the column just after it (1-based)."""
    if f.end_line:
        return f.end_line, f.end_column
    lines = f.text.split("\n")  # a finding made without its end (an older cache): from its text
    return f.line + len(lines) - 1, (f.column if len(lines) == 1 else 1) + len(lines[-1])


def _github_span(f: Finding) -> str:
    """``line``, ``endLine``, ``col`` and, on one line, ``endColumn`` of an annotation, as
    ruff writes them (GitHub underlines columns only within one line)."""
    end_line, end_column = _end(f)
    span = f"line={f.line},endLine={end_line},col={f.column}"
    return span + (f",endColumn={end_column}" if end_line == f.line else "")


def _sarif_rule(f: Finding) -> dict[str, Any]:
    """A rule of the run's driver, described by one of its findings: each rule id once
    (results point at it by ``ruleIndex``), with its help, as code-scanning tools show it."""
    help_text = (f"{f.suggestion} " if f.suggestion else "") + f"`letterkit rules {f.rule}` explains the rule with examples."
    return {
        "id": f.rule,
        "shortDescription": {"text": f.message},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _SARIF_LEVEL[f.severity]},
        "properties": {"category": f.category, "tags": [f.category]},
    }


def sarif_uri(path: str) -> str:
    """A draft's path as SARIF's artifact URI: an absolute path as a ``file:`` URI, a
    relative one as a relative reference (both percent-encoded: "Kündigung Müller.docx"
    is "K%C3%BCndigung%20M%C3%BCller.docx"; a Windows path's backslashes become slashes)."""
    from pathlib import PurePath, PurePosixPath, PureWindowsPath
    from urllib.parse import quote

    pure: PurePath = PureWindowsPath(path) if "\\" in path and "/" not in path else PurePosixPath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(pure.as_posix(), safe="/", errors="surrogateescape")  # a name that is not UTF-8: its bytes


def to_sarif(findings: Sequence[Finding], errors: Sequence[Unread] = ()) -> str:
    """SARIF 2.1.0, for code-scanning tools; a draft that could not be read is a
    ``toolExecutionNotifications`` entry of the run's invocation (which is then not
    ``executionSuccessful``)."""
    import json

    described: dict[str, Finding] = {}
    for f in sorted(findings, key=lambda f: (f.rule, f.message)):
        described.setdefault(f.rule, f)
    order = {rule: number for number, rule in enumerate(described)}
    run = {
        # columns count characters (code points) as in the other reports, not SARIF's
        # default UTF-16 code units (a character after an emoji would be one off)
        "columnKind": "unicodeCodePoints",
        "tool": {
            "driver": {
                "name": "letterkit",
                "version": __version__,
                "informationUri": "https://letterkit.invalid",
                "rules": [_sarif_rule(f) for f in described.values()],
            }
        },
        "results": [
            {
                "ruleId": f.rule,
                "ruleIndex": order[f.rule],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": sarif_uri(f.path)},
                            "region": _sarif_region(f),
                        }
                    }
                ],
            }
            for f in findings
        ],
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": message},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": sarif_uri(path)}}}],
                    }
                    for path, message in errors
                ],
            }
        ],
    }
    payload = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _github_data(text: str) -> str:
    """Escape the message of a workflow command (after ``::``): % CR LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """Escape a property value (file=..., title=...): also the separators ``:`` and ``,``,
    as GitHub's runner and @actions/core do (it decodes exactly these five)."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(findings: Sequence[Finding], errors: Sequence[Unread] = ()) -> str:
    """GitHub Actions workflow commands, one annotation per finding, and an error annotation
    on each draft that could not be read."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = [
        f"::error file={_github_property(_github_file(path))},title=letterkit::{_github_data(message)}"
        for path, message in errors
    ]
    lines += [
        f"::{level[f.severity]} file={_github_property(_github_file(f.path))},{_github_span(f)},"
        f"title={_github_property(f.rule)}::"
        + _github_data(f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else ""))
        for f in findings
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def _github_file(path: str) -> str:
    """A draft's path as GitHub Actions places an annotation: the runner joins a relative
    ``file=`` to the repository's root (GITHUB_WORKSPACE), not to the folder a step runs
    in, so the path is given from there. Outside Actions, for a draft outside the
    repository or for standard input, the path as given."""
    root = os.environ.get("GITHUB_WORKSPACE")
    if not root or path.startswith("<"):  # <stdin>
        return path
    for full, base in ((os.path.abspath(path), os.path.abspath(root)), (os.path.realpath(path), os.path.realpath(root))):
        try:
            relative = os.path.relpath(full, base)
        except ValueError:  # another drive (Windows)
            continue
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return relative.replace(os.sep, "/")
    return path


def to_html(
    findings: Sequence[Finding], texts: dict[str, str], skipped: dict[str, list[tuple[int, int]]] | None = None
) -> str:
    """A standalone page per file: the draft with every finding highlighted and explained,
    and what was not checked (``skipped``: quoted history, a signature) greyed and labelled."""
    sections = []
    for path, text in texts.items():
        own = sorted((f for f in findings if f.path == path), key=lambda f: f.start)
        sections.append(_html_section(path, text, own, (skipped or {}).get(path, [])))
    style = (
        "body{font-family:'Liberation Sans',Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "color:#1a1a1a}pre{white-space:pre-wrap;font:inherit;line-height:1.6;background:#fafafa;padding:1rem;"
        "border:1px solid #ddd}mark{border-radius:3px;padding:0 2px}mark.error{background:#ffd6d6}"
        "mark.warning{background:#fff0b3}mark.info{background:#d9f0ff}sup{font-size:.7em;color:#555}"
        "li{margin:.4rem 0}.rule{font-family:monospace;color:#555}"
        ".skipped{color:#888;background:#eee}"
    )
    return f"{HTML_REPORT_HEAD}<style>{style}</style></head><body><h1>letterkit lint</h1>{''.join(sections)}</body></html>\n"


# How an HTML report begins: a folder of drafts may hold an earlier report, which is no draft.
HTML_REPORT_HEAD = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>letterkit lint</title>"


def is_html_report(path: str) -> bool:
    """Is the file an HTML report letterkit lint wrote (by how it begins)?"""
    if not path.lower().endswith((".html", ".htm")):
        return False
    head = HTML_REPORT_HEAD.encode("utf-8")
    try:
        with open(path, "rb") as handle:
            return handle.read(len(head)) == head
    except OSError:
        return False  # reported when it is read as a draft


def _html_section(
    path: str, text: str, findings: list[Finding], skipped: Sequence[tuple[int, int]] = ()
) -> str:
    """The draft with each finding marked; overlapping findings share one mark in the colour
    of the most severe, with all their numbers. A span that was not checked is greyed, its
    title saying so (a finding never lies in one: the rules do not read it)."""
    import html

    groups: list[tuple[int, int, str, list[int], list[str]]] = []
    for number, f in enumerate(findings, 1):
        if f.end <= f.start:
            continue
        if groups and f.start < groups[-1][1]:
            start, end, severity, numbers, titles = groups[-1]
            worse = max(severity, f.severity, key=severity_rank)
            groups[-1] = (
                start,
                max(end, f.end),
                worse,
                [*numbers, number],
                [*titles, f"{f.rule}: {f.message}"],
            )
        else:
            groups.append((f.start, f.end, f.severity, [number], [f"{f.rule}: {f.message}"]))
    out, pos = [], 0
    plain = _with_skipped(text, skipped)
    for start, end, severity, numbers, titles in groups:
        out.append(plain(pos, start))
        title = html.escape(" | ".join(titles), quote=True)
        out.append(
            f"<mark class='{severity}' title='{title}'>{html.escape(text[start:end])}</mark>"
            f"<sup>{','.join(map(str, numbers))}</sup>"
        )
        pos = end
    out.append(plain(pos, len(text)))
    # a .docx has no lines a person could count: its "line" is the paragraph (docs/lint.md)
    where = "paragraph" if path.lower().endswith(".docx") else "line"
    # the list numbers its items (the numbers of the marks in the draft): no number of our own
    items = "".join(
        f"<li><span class='rule'>{html.escape(f.rule)}</span> [{f.severity}] {where} {f.line}, column {f.column}: "
        f"{html.escape(f.message)}"
        + (f"<br><i>{html.escape(f.suggestion)}</i>" if f.suggestion else "")
        + "</li>"
        for f in findings
    )
    listed = f"<ol>{items}</ol>" if findings else "<p>No findings.</p>"
    # how many, before the draft: what the text report says last, a person looks for first
    counted = f"<p>{html.escape(summary(findings))}</p>" if findings else ""
    return f"<h2>{html.escape(path)}</h2>{counted}<pre>{''.join(out)}</pre>{listed}"


_SKIPPED_TITLE = "not checked: quoted reply history, a signature or markup"


def _with_skipped(text: str, skipped: Sequence[tuple[int, int]]) -> Callable[[int, int], str]:
    """``text[a:b]`` as HTML, the parts of ``skipped`` in it greyed with a title."""
    import html

    def plain(a: int, b: int) -> str:
        out, pos = [], a
        for start, end in skipped:
            start, end = max(start, pos), min(end, b)
            if end <= start:
                continue
            out.append(html.escape(text[pos:start]))
            out.append(f"<span class='skipped' title='{_SKIPPED_TITLE}'>{html.escape(text[start:end])}</span>")
            pos = end
        out.append(html.escape(text[pos:b]))
        return "".join(out)

    return plain


def unchecked_spans(text: str, visible: str) -> list[tuple[int, int]]:
    """The spans of ``text`` with words that ``visible`` (the same length) has blanked: what
    the lint did not read. Spans that only white space parts are one; blanked marks without
    a letter (a Markdown heading's "#", a list's "-") are left as they are."""
    spans: list[tuple[int, int]] = []
    for match in _BLANK_RUN.finditer(visible):
        start, end = match.span()
        if not any(c.isalpha() for c in text[start:end]):
            continue  # white space, a list's or heading's mark: nothing a reader misses
        if spans and not text[spans[-1][1] : start].strip():
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


_BLANK_RUN = regex(r"[^\S\n]+")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
