"""Tone lint for German and English drafts: blame, hostility, threats, open-ended wording.

``lint(text_or_path)`` reads a draft (text, .txt, .md, .html, .docx, .eml), runs the
rules of its language (data in ``letterkit/lint/rules/``) and the structure checks,
and returns the findings sorted by position.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .findings import SEVERITIES, Finding, severity_rank

__all__ = ["SEVERITIES", "Finding", "lint", "lint_draft", "severity_rank", "structure_findings"]


def lint(
    source: str | Path,
    lang: str | None = None,
    *,
    locale: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Finding]:
    """Lint a draft given as text or as a path (a ``Path``, or a string naming an existing file)."""
    from .readers import read_draft

    if isinstance(source, Path) or (isinstance(source, str) and _names_a_file(source)):
        draft = read_draft(Path(source))
    else:
        from .formats import text_draft

        draft = text_draft(str(source), "<text>")
    return lint_draft(draft, lang, locale=locale, select=select, ignore=ignore)


def lint_draft(
    draft: object,
    lang: str | None = None,
    *,
    locale: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    parts: dict[str, tuple[int, int]] | None = None,
) -> list[Finding]:
    """Lint an already-read Draft; ``parts`` maps letter parts to their text spans."""
    with gc_paused():
        # the index and its sentences are gone when _findings returns: the collection that
        # follows the pause looks only at what survives (~25 ms per megabyte otherwise)
        return _findings(draft, lang, locale, select, ignore, parts)


def _findings(
    draft: object,
    lang: str | None,
    locale: str | None,
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    parts: dict[str, tuple[int, int]] | None,
) -> list[Finding]:
    from .engine import Index, Matcher
    from .language import detect
    from .rules import load_rules
    from .structure import check_structure
    from .text import Draft

    assert isinstance(draft, Draft)
    language = lang or (locale[:2] if locale else None) or detect(draft.visible)
    rules = [r for r in load_rules(language) if _wanted(r.id, select, ignore)]
    index = Index.build(draft)
    findings = list(Matcher(draft, index, language).run(r for r in rules if r.kind != "structure"))
    if parts != {}:  # an empty mapping asks for the tone rules only
        structure_rules = [r for r in rules if r.kind == "structure"]
        findings += check_structure(draft, index, language, locale, structure_rules, findings, parts)
    findings = _suppressed(draft, findings)
    return sorted(findings, key=lambda f: (f.start, f.rule))


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block. A megabyte of text makes ~300,000
    sentences, lists and matches that live until the lint ends and hold no reference
    cycles; the collector would walk them again and again (~50 ms per megabyte) and free
    nothing. It runs as before once the block ends (a nested block leaves it to the outer)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def structure_findings(
    draft: object, lang: str, locale: str | None, findings: list[Finding], parts: dict[str, tuple[int, int]]
) -> list[Finding]:
    """Only the structure checks, over tone ``findings`` already made (used for Letters)."""
    from .rules import load_rules
    from .structure import check_structure
    from .text import Draft

    assert isinstance(draft, Draft)
    rules = [r for r in load_rules(lang) if r.kind == "structure"]
    return check_structure(draft, None, lang, locale, rules, findings, parts)


def _wanted(rule_id: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Rules are chosen by id prefix: 'blame' selects every blame rule, 'blame/failed-to' one."""

    def matches(prefixes: Iterable[str]) -> bool:
        return any(rule_id == p or rule_id.startswith(p.rstrip("/") + "/") for p in prefixes)

    if select and not matches(select):
        return False
    return not (ignore and matches(ignore))


def _suppressed(draft: object, findings: list[Finding]) -> list[Finding]:
    """Drop findings on a line marked ``letterkit-ignore`` (or the line after a marker-only line)."""
    from .text import Draft

    assert isinstance(draft, Draft)
    marks = draft.suppressions()
    if not marks:
        return findings
    kept = []
    for finding in findings:
        rules = marks.get(finding.line)
        if rules is not None and (not rules or any(finding.rule.startswith(r) for r in rules)):
            continue
        kept.append(finding)
    return kept


def _names_a_file(text: str) -> bool:
    """Is this string a path to an existing file (rather than text to lint)?"""
    if "\n" in text or len(text) > 1024:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long for a file name, or a NUL character
        return False
