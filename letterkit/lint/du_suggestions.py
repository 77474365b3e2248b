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
    """Rule id → its suggestion for a du letter (read on first use; kept in the user's
    cache folder as the rules are, keyed by the file's size and time: importing the YAML
    reader alone would cost a lint ~50 ms)."""
    from .rules import cache_digest, cache_folder, load_cache, remove_older, save_cache

    info = DU_FILE.stat()
    key = f"du suggestions 1\0{DU_FILE}\0{info.st_size}\0{info.st_mtime_ns}"
    cache = cache_folder() / f"du-{cache_digest(key)}.pickle"
    found = load_cache(cache)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key and isinstance(found[1], dict):
        return found[1]
    import yaml

    data = yaml.safe_load(DU_FILE.read_text(encoding="utf-8")) or {}
    variants = {str(key): str(value) for key, value in data.items()}
    if save_cache((key, variants), cache):
        remove_older(cache, r"du-{hex}\.pickle")
    return variants


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
