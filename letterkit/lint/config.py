"""Lint settings from ``[tool.letterkit.lint]`` in pyproject.toml or ``[lint]`` in letterkit.toml,
and the baseline file that records accepted findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .findings import SEVERITIES, Finding

KEYS = ("select", "ignore", "fail-level", "lang", "locale", "baseline")


class SettingError(SourceError, ValueError):
    """A lint setting has a value letterkit does not know (from the config file, the command
    line or the Python API); the message names the setting, the value and the allowed values,
    and the file when it comes from one."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        if path is not None:
            super().__init__(message, path, line)
        else:
            self.path, self.line = None, None
            ValueError.__init__(self, message)


def languages() -> tuple[str, ...]:
    """The languages with rules: each folder of ``lint/rules`` that holds a ``_language.yaml``."""
    folder = Path(__file__).parent / "rules"
    return tuple(sorted(p.parent.name for p in folder.glob("*/_language.yaml")))


def locales() -> tuple[str, ...]:
    from ..schema import LOCALES  # ~3 ms: only when a locale is given

    return LOCALES


def check_choice(key: str, value: object, allowed: Sequence[str], where: str | None) -> str:
    """``value`` if it is one of ``allowed``, else a SettingError naming key, value and choices."""
    if isinstance(value, str) and value in allowed:
        return value
    raise SettingError(f"{key} = {value!r} is not allowed; use one of {', '.join(allowed)}", where)


@cache
def known_names() -> frozenset[str]:
    """Every rule id of every language and each of its leading segments (the categories)."""
    from .rules import load_rules

    known: set[str] = set()
    for lang in languages():
        for rule in load_rules(lang):
            parts = rule.id.split("/")
            known.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    return frozenset(known)


def selector_matches(rule_id: str, selector: str) -> bool:
    """Does a select/ignore value (or a ``letterkit-ignore`` marker's) name this rule? A
    category or a whole rule id names itself and the ids under it ("blame",
    "threat/veiled", not threat/veiled-more); any other value is a prefix of ids
    ("structure/missing" names structure/missing-end-date and structure/missing-thanks)."""
    name = selector.rstrip("/")
    if rule_id == name or rule_id.startswith(name + "/"):
        return True
    return bool(name) and rule_id.startswith(name) and name not in known_names()


def check_selectors(key: str, values: Iterable[str], where: str | None) -> list[str]:
    """Rule ids, categories or id prefixes as given to select/ignore; one that names no rule
    (a typo would silently select nothing) is a SettingError with the nearest known names."""
    chosen = [v.strip() for v in values if v.strip()]
    if not chosen:
        return chosen  # nothing to check: the rules of every language are not loaded for it
    for value in chosen:
        hint = unknown_name_hint(value)
        if hint is not None:
            raise SettingError(f"{key}: no rule or category {value!r}; {hint}", where)
    return chosen


def unknown_name_hint(value: str) -> str | None:
    """None when ``value`` names a rule, a category or a prefix of rule ids; else what to
    write instead: the nearest known names, or the categories."""
    import difflib

    known = known_names()
    name = value.rstrip("/")
    if name in known or any(k.startswith(name) for k in known):
        return None
    # a rule's id without its category ("nie" for absolute/nie), as `letterkit rules` takes it
    whole = sorted(k for k in known if k.rpartition("/")[2] == name)
    if whole:
        return "did you mean " + " or ".join(whole) + "? (a rule is named with its category)"
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join([", ".join(close[:-1]), close[-1]] if len(close) > 1 else close) + "?"
    categories = ", ".join(sorted(k for k in known if "/" not in k))
    return f"the categories are {categories}; `letterkit rules` lists every rule"


def check_settings(data: dict[str, Any], where: str) -> dict[str, Any]:
    """Every value of a config file's lint table checked; select/ignore as lists of strings
    (a single string may list them comma-separated)."""
    settings = dict(data)
    problems: list[str] = []  # every wrong value at once (tester 38: only the first was named)
    for key in ("select", "ignore"):
        if key not in settings:
            continue
        value = settings[key]
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f'{key} = {value!r} is not allowed; use a list of rule ids or categories, e.g. ["blame"]')
            continue
        try:
            settings[key] = check_selectors(key, value, None)  # the file is named once, below
        except SettingError as exc:
            problems.append(str(exc))
    for key, allowed in (("fail-level", SEVERITIES), ("lang", None), ("locale", None)):
        if key in settings:
            choices = allowed or (languages() if key == "lang" else locales())
            try:
                check_choice(key, settings[key], choices, None)
            except SettingError as exc:
                problems.append(str(exc))
    if not problems and "lang" in settings and "locale" in settings:
        mismatch = locale_mismatch(settings["locale"], settings["lang"], "locale", "lang")
        if mismatch:
            problems.append(mismatch)
    if "baseline" in settings and not (
        isinstance(settings["baseline"], str) and settings["baseline"].strip()
    ):
        problems.append(
            f'baseline = {settings["baseline"]!r} is not allowed; use a file name such as "lint-baseline.json"'
        )
    if problems:
        raise SettingError("; ".join(problems), where)
    return settings


def locale_mismatch(locale: str, lang: str, locale_key: str, lang_key: str) -> str:
    """Why ``locale`` does not go with ``lang`` (de-CH with en), or "" when it does; the
    keys as the user wrote them (``--locale`` or ``locale = …``)."""
    if locale.split("-")[0] == lang:
        return ""
    if locale_key.startswith("--"):
        return f"{locale_key} {locale} is a locale of {locale.split('-')[0]}, not of {lang_key} {lang}"
    return f"{locale_key} = {locale!r} is a locale of {locale.split('-')[0]}, not of {lang_key} = {lang!r}"


def _parse_toml(text: str, path: Path) -> Any:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"is not valid TOML ({exc})", str(path)) from None


def find_config(start: Path) -> tuple[dict[str, Any], Path | None]:
    """The nearest settings above ``start``: letterkit.toml first, then pyproject.toml. A
    pyproject.toml that never names letterkit has none of its settings and is not parsed
    (nor is it letterkit's place to complain about it)."""
    for folder in [start, *start.parents]:
        for name, keys in (("letterkit.toml", ("lint",)), ("pyproject.toml", ("tool", "letterkit", "lint"))):
            path = folder / name
            if not path.is_file():
                continue
            raw = path.read_bytes()
            if name == "pyproject.toml" and b"letterkit" not in raw:
                continue  # another project's file, whatever its encoding or syntax
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SourceError(f"is not valid TOML ({exc})", str(path)) from None
            data: Any = _parse_toml(text, path)
            for key in keys:
                data = data.get(key, {}) if isinstance(data, dict) else {}
            if data:
                unknown = sorted(set(data) - set(KEYS))
                if unknown:
                    raise SourceError(
                        f"unknown lint setting(s) {', '.join(unknown)}; known: {', '.join(KEYS)}", str(path)
                    )
                return check_settings(data, f"{path} [{'.'.join(keys)}]"), path
    return {}, None


# A "sentence" longer than this (a phone draft typed as one run of words, no full stops)
# is fingerprinted by the words around the finding, not all of it: an edit anywhere in
# the run would otherwise bring back every finding the baseline had accepted.
LONG_SENTENCE = 240
AROUND_WORDS = 6


# What a letter lacks is a problem of the whole letter: its finding only points at a sentence
# (the first of the body, the last), which an edit may change while the problem stays. It is
# recorded by path and rule.
WHOLE_LETTER_RULES = frozenset({"structure/missing-end-date", "structure/missing-thanks"})


def fingerprint(finding: Finding, base: Path | None = None) -> str:
    """Stable across edits elsewhere in the file: path, rule and the sentence, not the line
    (for a very long sentence, the words around the finding: ``LONG_SENTENCE``; for what
    the letter lacks, ``WHOLE_LETTER_RULES``, path and rule alone).
    With ``base`` (the baseline file's folder) the path is the draft's from there, so the
    baseline matches however the draft is named on the command line and from wherever the
    lint runs; without it, the path as given (the baselines written before 0.1.0's per-folder
    settings)."""
    return _fingerprint(finding, base, whole=False, anchored=finding.rule not in WHOLE_LETTER_RULES)


def _fingerprint(finding: Finding, base: Path | None, whole: bool, anchored: bool = True) -> str:
    import hashlib  # only baselines need it; a plain run spares the import (~3 ms)

    sentence = " ".join(finding.sentence.split()) or finding.text
    if not anchored:
        sentence = ""  # the letter as a whole
    elif not whole and len(sentence) > LONG_SENTENCE:
        sentence = _around(finding)
    where = _from_base(finding.path, base)
    digest = hashlib.sha1(f"{where}\0{finding.rule}\0{sentence}".encode("utf-8", "surrogateescape")).hexdigest()
    return digest[:16]


def _around(finding: Finding) -> str:
    """The finding's text with up to AROUND_WORDS words of its sentence on either side."""
    text = finding.sentence
    at = finding.sentence_at if 0 <= finding.sentence_at <= len(text) else text.find(finding.text)
    if at < 0:
        return " ".join(finding.text.split())
    end = at + len(" ".join(finding.text.split()))
    before = text[:at].split()[-AROUND_WORDS:]
    after = text[end:].split()[:AROUND_WORDS]
    return " ".join([*before, "[", text[at:end], "]", *after])


def fingerprints(finding: Finding, base: Path | None = None) -> set[str]:
    """Every fingerprint a baseline may hold for the finding: as written now, and as
    written before (the whole sentence for a long one; the path as given; by its sentence
    for what the letter lacks)."""
    found = {
        _fingerprint(finding, place, whole) for place in {base, None} for whole in (False, True)
    }
    if finding.rule in WHOLE_LETTER_RULES:
        found |= {_fingerprint(finding, place, False, anchored=False) for place in {base, None}}
    return found


def _from_base(path: str, base: Path | None) -> str:
    """A draft's path from ``base``, with forward slashes; standard input ("<stdin>") and
    a path with no way there (another drive) as they are."""
    if base is None or path.startswith("<"):
        return path
    import os

    try:
        return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()
    except (OSError, ValueError):
        return path


def write_baseline(
    path: Path, findings: Sequence[Finding], linted: Iterable[str] = (), *, replace: bool = False
) -> int:
    """Record the current findings as accepted (their paths from the baseline's folder).
    An existing baseline keeps its entries for drafts not among ``linted`` (the drafts
    of this run), so that recording one draft does not forget the others; ``replace``
    (--force) starts the file anew. Returns how many earlier entries were kept."""
    import contextlib
    import json

    base = path.parent
    entries = {
        fingerprint(f, base): {"rule": f.rule, "path": _from_base(f.path, base), "text": f.text}
        for f in findings
    }
    kept = 0
    earlier: Any = {}
    if not replace:  # an earlier baseline's entries; none when there is no file or it is no baseline
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            earlier = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))["accepted"]
    if isinstance(earlier, dict):
        now = {_from_base(name, base) for name in linted} | set(linted)
        for key, entry in earlier.items():
            where = entry.get("path") if isinstance(entry, dict) else None
            if where not in now and key not in entries:
                entries[key] = entry
                kept += 1
    from ..output import write_atomic

    data = {"version": 1, "accepted": dict(sorted(entries.items()))}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, text.encode("utf-8", "surrogateescape"), force=True)  # a name that is not UTF-8: its bytes  # a baseline is there to be rewritten
    return kept


def is_baseline(path: Path) -> bool:
    """Whether an existing file is a letterkit baseline (one that --write-baseline may replace)."""
    try:
        read_baseline(path)
    except (SourceError, OSError):
        return False
    return True


def read_baseline(path: Path) -> set[str]:
    """The fingerprints a baseline file accepts."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
        return set(data["accepted"])
    except FileNotFoundError:
        raise SourceError("baseline file not found; create it with --write-baseline", str(path)) from None
    except OSError as exc:
        raise SourceError(f"baseline file cannot be read ({exc.strerror})", str(path)) from None
    except (ValueError, KeyError, TypeError):
        raise SourceError("is not a letterkit baseline file", str(path)) from None


def without_baseline(findings: Iterable[Finding], accepted: set[str], base: Path | None = None) -> list[Finding]:
    """The findings a baseline does not accept; ``base``: the baseline file's folder (an
    older baseline's entries, with the path as given then, are still matched)."""
    return [f for f in findings if accepted.isdisjoint(fingerprints(f, base))]
