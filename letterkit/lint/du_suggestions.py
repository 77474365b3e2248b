"""Suggestions for a German draft written in du: a rule's suggestion quotes an example
sentence for the letter ("„Bitte überweisen Sie den Betrag bis zum ….“"), which in a du
letter would change its form of address if applied as it stands. The du form of each such
example is data (rules/de/_du.yaml, rule id → the whole suggestion with its example in
du); the instruction around it addresses the tool's user and stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .findings import Finding
from .text import Draft

DU_FILE = Path(__file__).parent / "rules" / "de" / "_du.yaml"


@lru_cache(maxsize=1)
def du_suggestions() -> dict[str, str]:
    """Rule id → its suggestion for a du letter (read on first use)."""
    import yaml

    data = yaml.safe_load(DU_FILE.read_text(encoding="utf-8")) or {}
    return {str(key): str(value) for key, value in data.items()}


def in_du(findings: Sequence[Finding], draft: Draft, index: object, lang: str, locale: str | None) -> list[Finding]:
    """The findings with their suggestions in du when the draft is a du letter (its
    salutation, else most of its reader-addressing words, say so)."""
    if lang != "de" or not findings:
        return list(findings)
    variants = du_suggestions()
    if not any(f.rule in variants for f in findings):
        return list(findings)
    from .address import DU, letter_register
    from .structure import Context

    if letter_register(Context(draft, index, lang, locale, list(findings), None)) != DU:  # type: ignore[arg-type]
        return list(findings)
    return [replace(f, suggestion=variants[f.rule]) if f.rule in variants else f for f in findings]
