"""Tone lint for German and English drafts: blame, hostility, threats, open-ended wording.

``lint(text_or_path)`` reads a draft (text, .txt, .md, .html, .docx, .eml), runs the
rules of its language (data in ``letterkit/lint/rules/``) and the structure checks,
and returns the findings sorted by position.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError
from .findings import SEVERITIES, Finding, one_per_problem, severity_rank

if TYPE_CHECKING:
    from ..letter import Letter
    from .rules import Rule

__all__ = [
    "SEVERITIES",
    "Finding",
    "LanguageError",
    "lint",
    "lint_draft",
    "severity_rank",
    "structure_findings",
]


class LanguageError(SourceError):
    """A draft is written in neither German nor English and no language was given."""


def lint(
    source: str | bytes | os.PathLike[str] | Letter,
    lang: str | None = None,
    *,
    locale: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Finding]:
    """Lint a draft; the findings sorted by position.

    What ``source`` is read as:

    - a ``Path`` (any ``os.PathLike``) is a file, read by its extension;
    - a ``str`` without a line break that ends in a draft extension (.txt .md .markdown
      .html .htm .docx .eml, any case) is a file name too, and the file must exist: a
      mistyped path raises ``SourceError`` (also a ``FileNotFoundError``) naming it instead of
      passing as a clean one-line text; so is one ending in another document's extension
      (.pdf .rtf .doc .odt .pages .xlsx .xls .pptx .csv .json) without spaces or naming an
      existing file, which is refused with what to do (save the draft as .docx or .txt); and
      so is one ending in "/" that names a folder ("drafts/"), which is refused: a folder is
      no draft;
    - any other ``str`` is the text of the draft (add a line break to lint a one-line text
      that ends like a file name);
    - ``bytes`` are a file's content: a Word .docx when they are a zip archive, else text in
      UTF-8, UTF-16 or Windows-1252; binary data raises ``SourceError``;
    - a ``Letter`` (from ``letterkit.compose``) is linted as compose() lints it: its parts
      known, its names and addresses read as data, in its own language and locale.

    ``lang`` is "de" or "en" (default: detected; a draft written clearly in another language,
    French or Chinese, say, raises ``LanguageError``, a ``SourceError``, unless ``lang`` or
    ``locale`` is given), ``locale`` one of de-DE de-AT de-CH en-GB en-US; ``select``/``ignore``
    take rule ids, categories or prefixes of ids (a string may list them comma-separated). An unknown value raises ``SettingError``, which is both a
    ``LetterkitError`` and a ``ValueError`` and names the allowed values. Any other type of
    ``source`` (or of ``select``/``ignore``) raises ``UsageError``, both a ``LetterkitError``
    and a ``TypeError``.
    """
    from ..letter import Letter
    from .config import SettingError, check_choice, check_selectors, languages, locale_mismatch, locales

    if lang is not None:
        check_choice("lang", lang, languages(), None)
    if locale is not None:
        check_choice("locale", locale, locales(), None)
        if lang is not None and locale_mismatch(locale, lang, "locale", "lang"):
            raise SettingError(locale_mismatch(locale, lang, "locale", "lang"), None)
    select = check_selectors("select", _names(select, "select"), None) if select is not None else None
    ignore = check_selectors("ignore", _names(ignore, "ignore"), None) if ignore is not None else None
    if isinstance(source, Letter):
        return _letter_findings(source, lang, locale, select, ignore)
    return lint_draft(_draft(source), lang, locale=locale, select=select, ignore=ignore)


DRAFT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".eml")
# Files a one-line string may name that letterkit does not lint: read as paths too, so that
# the file is refused with what to do ("is a PDF ..."), not linted as the words of its name.
OTHER_FILE_SUFFIXES = (".pdf", ".rtf", ".doc", ".odt", ".pages", ".xlsx", ".xls", ".pptx", ".csv", ".json")


def _draft(source: object) -> object:
    """The Draft ``lint`` reads from ``source`` (see its docstring for the rule)."""
    from .formats import text_draft
    from .readers import MissingDraft, bytes_draft, read_draft

    if isinstance(source, os.PathLike):
        return read_draft(Path(os.fspath(source)))
    if isinstance(source, str):
        one_line = "\n" not in source and "\r" not in source
        if one_line and (
            source.lower().endswith(DRAFT_SUFFIXES)
            or (source.lower().endswith(OTHER_FILE_SUFFIXES) and (" " not in source.strip() or Path(source).is_file()))
            or (source.endswith(("/", os.sep)) and Path(source).is_dir())  # "drafts/": read_draft refuses it
        ):
            try:
                return read_draft(Path(source))
            except MissingDraft:
                raise MissingDraft(
                    "no such file; check the path (a one-line string ending in a file extension is read "
                    "as a file name; add a line break to lint it as text)",
                    source,
                ) from None
        return text_draft(source, "<text>")
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes_draft(bytes(source), "<bytes>")
    from ..errors import UsageError, type_name

    raise UsageError(
        f"lint() takes the draft's text (str), a file's path (str or Path), a file's content (bytes) "
        f"or a Letter from letterkit.compose, not {type_name(source)}"
    )


def _names(values: object, key: str) -> list[str]:
    """Selectors as a list: a single string may list several, comma-separated."""
    if isinstance(values, str):
        return values.split(",")
    if isinstance(values, Iterable) and not isinstance(values, (bytes, bytearray)):
        names = list(values)
        if all(isinstance(v, str) for v in names):
            return names
        values = next(v for v in names if not isinstance(v, str))
    from ..errors import UsageError, type_name

    raise UsageError(
        f"lint() takes {key}= as rule ids, categories or prefixes: a string or a list of strings, "
        f"not {type_name(values)}"
    )


def _letter_findings(
    letter: Letter,
    lang: str | None,
    locale: str | None,
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
) -> list[Finding]:
    """A composed Letter linted as compose() lints it (``lint_letter``), then narrowed to
    ``select``/``ignore``; it is read in its own language, so another ``lang``/``locale``
    is an error rather than silently not applied."""
    from ..letter import letter_data
    from .config import SettingError
    from .letter import lint_letter

    for key, given, own in (("lang", lang, letter.lang), ("locale", locale, letter.locale)):
        if given is not None and given != own:
            raise SettingError(
                f"{key} = {given!r} does not apply to a Letter: it is linted in its own {key}, {own!r} "
                f"(leave out {key}=, or compose the letter in {given!r})",
                None,
            )
    data = [
        letter.recipient_name,
        letter.sender_name,
        # each word of the names too, as compose() masks the first and last name apart: the
        # salutation names the reader by the last name alone ("Guten Tag Herr Weiß", whose ß
        # a de-CH letter keeps; tester6: lint(letter) found it, compose() did not)
        *letter.recipient_name.split(),
        *letter.sender_name.split(),
        *letter.recipient_address,
        *letter.sender_address,
        *(reference.value for reference in letter.references),
        letter.recipient_email or "",
        letter.sender_email or "",
        *letter_data(letter),  # what compose() read as data: the contact, providers, accounts, ...
    ]
    findings = lint_letter(letter, [value for value in data if value])
    if not (select or ignore):
        return findings
    return [
        f
        for f in findings
        if (
            _judgement_wanted(f, select, ignore)
            if f.rule.startswith("judged/")
            else _wanted(f.rule, select, ignore)
        )
    ]


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
    from dataclasses import replace

    from .du_suggestions import in_du
    from .language import detect, other_language_spans
    from .parallel import tone_findings
    from .rules import load_rules
    from .structure import check_structure, swiss_german
    from .text import Draft

    assert isinstance(draft, Draft)
    if not (lang or locale) and parts is None:
        _check_language(draft)
    language = lang or (locale[:2] if locale else None) or detect(draft.visible)
    if not (lang or locale) and parts is None:
        other = other_language_spans(list(draft.paragraphs()), language)
        if other:  # a bilingual draft: each paragraph in its own language
            second = "en" if language == "de" else "de"
            main_part = replace(draft, visible=_blanked(draft.visible, other))
            second_part = replace(draft, visible=_blanked(draft.visible, _gaps(other, len(draft.visible))))
            findings = _findings(main_part, language, None, select, ignore, None)
            findings += _findings(second_part, second, None, select, ignore, {})  # tone only
            return sorted(findings, key=lambda f: (f.start, f.rule))
    every = load_rules(language)
    rules = [r for r in every if _wanted(r.id, select, ignore) or _judges_for(r, select, ignore)]
    # every tone rule runs, also those not wanted: a sentence one of them finds is no news to
    # the tone model, which would otherwise report it under another name (--ignore a rule,
    # and the same sentence came back as judged/tone)
    findings, index = tone_findings(draft, language, [r for r in every if r.kind != "structure"])
    tone = findings  # what the structure checks read, whichever rules are chosen (ends-negative)
    if select or ignore:  # the model's findings count as their category too: --ignore blame
        chosen = {r.id for r in rules}
        findings = [
            f
            for f in findings
            if f.rule in chosen and (not f.rule.startswith("judged/") or _judgement_wanted(f, select, ignore))
        ]
    if parts != {}:  # an empty mapping asks for the tone rules only
        structure_rules = [r for r in rules if r.kind == "structure"]
        findings += check_structure(draft, index, language, locale, structure_rules, tone, parts)
    # a marker silences the problem it was put on: the findings of one problem that the one
    # shown stood for stay silent with it (they would come out once it is gone)
    findings = _suppressed(draft, one_per_problem(findings))
    findings = in_du(findings, draft, index, language, locale)  # a du letter's suggestions in du
    if swiss_german(draft, language, locale):  # Swiss German writes ss: so do the suggestions
        # (a structure check's suggestion may quote the draft, and spells its own words: structure.py)
        findings = [
            f if f.category == "structure" or "ß" not in f.suggestion else replace(f, suggestion=f.suggestion.replace("ß", "ss"))
            for f in findings
        ]
    return sorted(findings, key=lambda f: (f.start, f.rule))


def _check_language(draft: object) -> None:
    """Refuse a draft written clearly in neither German nor English (a French letter would
    otherwise be read with the German rules and their German suggestions, a Chinese one
    pass as clean); a language given by the caller is linted as given."""
    from .language import other_language
    from .text import Draft

    assert isinstance(draft, Draft)
    other = other_language(draft.visible)
    if other is not None:
        raise LanguageError(
            f"is written in {other}, not in German or English, the languages letterkit lints; "
            "nothing was checked (to lint it anyway, give the language: --lang de or --lang en, lang= in Python)",
            draft.path,
        )


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans blanked (spaces; line breaks kept, so positions stay)."""
    pieces, position = [], 0
    for start, end in spans:
        pieces += [text[position:start], re.sub(r"[^\n]", " ", text[start:end])]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _gaps(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """What lies between the (sorted) spans, from 0 to ``length``."""
    gaps, position = [], 0
    for start, end in spans:
        if start > position:
            gaps.append((position, start))
        position = end
    if position < length:
        gaps.append((position, length))
    return gaps


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
    from .rules import structure_rules
    from .structure import check_structure
    from .text import Draft

    assert isinstance(draft, Draft)
    return check_structure(draft, None, lang, locale, list(structure_rules(lang)), findings, parts)


def _wanted(rule_id: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Rules are chosen by category, id or id prefix (config.selector_matches): 'blame'
    selects every blame rule, 'blame/failed-to' one, 'structure/missing' the two whose ids
    begin so."""
    from .config import selector_matches

    def matches(prefixes: Iterable[str]) -> bool:
        return any(selector_matches(rule_id, p) for p in prefixes)

    if select and not matches(select):
        return False
    return not (ignore and matches(ignore))


def _judges_for(rule: Rule, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """The tone model also runs for a selected category ('--select blame' includes the
    sentences it reads as blame), unless it is ignored by its own id ('--ignore judged')."""
    return rule.kind == "model" and bool(select) and _wanted(rule.id, None, ignore)


def _judgement_wanted(finding: Finding, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """A model finding is kept when its rule or its category is selected and neither is ignored."""
    chosen = not select or _wanted(finding.rule, select, None) or _wanted(finding.category, select, None)
    return chosen and _wanted(finding.category, None, ignore)


def _suppressed(draft: object, findings: list[Finding]) -> list[Finding]:
    """Drop findings on a line marked ``letterkit-ignore`` (or the line after a marker-only line)."""
    from .config import selector_matches
    from .text import Draft

    assert isinstance(draft, Draft)
    if draft.block_markers:
        blocks = draft.suppressed_blocks()
        return [
            finding
            for finding in findings
            if not any(
                start <= finding.start < end and (not rules or any(selector_matches(finding.rule, r) for r in rules))
                for start, end, rules in blocks
            )
        ]
    marks = draft.suppressions()
    if not marks:
        return findings
    # the markers' own words are blanked in the text the rules read (text.py: MARKED_COMMENT)
    kept = []
    for finding in findings:
        rules = marks.get(finding.line)
        if rules is not None and (not rules or any(selector_matches(finding.rule, r) for r in rules)):
            continue
        kept.append(finding)
    return kept


