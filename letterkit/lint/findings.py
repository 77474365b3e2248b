"""What the lint reports: a Finding, with a stable rule id, a position and a suggestion."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for the JSON report."""
        return asdict(self)
