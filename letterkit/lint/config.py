"""Lint settings from ``[tool.letterkit.lint]`` in pyproject.toml or ``[lint]`` in letterkit.toml,
and the baseline file that records accepted findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .findings import Finding

KEYS = ("select", "ignore", "fail-level", "lang", "locale", "baseline")


def find_config(start: Path) -> tuple[dict[str, Any], Path | None]:
    """The nearest settings above ``start``: letterkit.toml first, then pyproject.toml."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

    for folder in [start, *start.parents]:
        for name, keys in (("letterkit.toml", ("lint",)), ("pyproject.toml", ("tool", "letterkit", "lint"))):
            path = folder / name
            if not path.is_file():
                continue
            try:
                data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise SourceError(f"is not valid TOML ({exc})", str(path)) from None
            for key in keys:
                data = data.get(key, {}) if isinstance(data, dict) else {}
            if data:
                unknown = sorted(set(data) - set(KEYS))
                if unknown:
                    raise SourceError(
                        f"unknown lint setting(s) {', '.join(unknown)}; known: {', '.join(KEYS)}", str(path)
                    )
                return dict(data), path
    return {}, None


def fingerprint(finding: Finding) -> str:
    """Stable across edits elsewhere in the file: path, rule and the sentence, not the line."""
    import hashlib  # only baselines need it; a plain run spares the import (~3 ms)

    sentence = " ".join(finding.sentence.split()) or finding.text
    digest = hashlib.sha1(f"{finding.path}\0{finding.rule}\0{sentence}".encode()).hexdigest()
    return digest[:16]


def write_baseline(path: Path, findings: Sequence[Finding]) -> None:
    """Record the current findings as accepted."""
    import json

    entries = sorted(
        {fingerprint(f): {"rule": f.rule, "path": f.path, "text": f.text} for f in findings}.items()
    )
    path.write_text(
        json.dumps({"version": 1, "accepted": dict(entries)}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )


def read_baseline(path: Path) -> set[str]:
    """The fingerprints a baseline file accepts."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return set(data["accepted"])
    except FileNotFoundError:
        raise SourceError("baseline file not found; create it with --write-baseline", str(path)) from None
    except (ValueError, KeyError, TypeError):
        raise SourceError("is not a letterkit baseline file", str(path)) from None


def without_baseline(findings: Iterable[Finding], accepted: set[str]) -> list[Finding]:
    return [f for f in findings if fingerprint(f) not in accepted]
