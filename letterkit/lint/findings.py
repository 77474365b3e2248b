"""What the lint reports: a Finding, with a stable rule id, a position and a suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    """info < warning < error, for --fail-level comparisons."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Finding:
    """One problem in a draft."""

    rule: str
    category: str
    severity: str
    message: str
    text: str
    start: int
    end: int
    line: int
    column: int
    paragraph: int
    sentence: str = ""
    suggestion: str = ""
    path: str = "<text>"
    # where ``text`` starts in ``sentence`` (-1: not known), so that a report underlines this
    # occurrence and not the first ("You never call, and you never write"); not in the JSON
    sentence_at: int = field(default=-1, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for the JSON report (every field holds a str or an int: no deep copy
        as ``dataclasses.asdict`` makes, ~50 µs a finding)."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "sentence_at")
