"""What the lint reports: a Finding, with a stable rule id, a position and a suggestion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, NamedTuple

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    """info < warning < error, for --fail-level comparisons."""
    return SEVERITIES.index(severity)


class Spot(NamedTuple):
    """A structure check's span, with the words its rule's suggestion is filled with
    (``suggestions: {written: "… „{closing}“ …"}`` in the rule file): a suggestion made from
    the draft; and the key of the message its rule gives for the case (``messages: {key:
    …}``), None for the rule's ``message``."""

    start: int
    end: int
    fill: dict[str, str] | None = None
    message: str | None = None


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
    # where the finding ends: the line of its last character and the column just after it
    # (1-based, as SARIF's endLine/endColumn); 0 where not known; not in the JSON
    end_line: int = field(default=0, compare=False, repr=False)
    end_column: int = field(default=0, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for the JSON report (every field holds a str or an int: no deep copy
        as ``dataclasses.asdict`` makes, ~50 µs a finding)."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(Finding) if f.name not in ("sentence_at", "end_line", "end_column"))
_ALL_FIELDS = tuple(f.name for f in fields(Finding))
_GET_ALL = attrgetter(*_ALL_FIELDS)


def astuple(finding: Finding) -> tuple[Any, ...]:
    """Every field of a finding, in order (``Finding(*astuple(f)) == f``): each holds a str or
    an int, so no deep copy as ``dataclasses.astuple`` makes is needed (taken in C: a
    quarter of the time of a getattr per field, ~4,000 findings of 1 MB sent by the copy)."""
    values: tuple[Any, ...] = _GET_ALL(finding)
    return values


def from_tuple(values: tuple[Any, ...]) -> Finding:
    """``Finding(*values)`` (the inverse of ``astuple``), made without the frozen dataclass's
    ``__init__``, which sets each of the 16 fields through ``object.__setattr__``: ~1.4 µs a
    finding, where ~4,000 come back from the copy of 1 MB (parallel.py) on the way to the
    report; this takes about a third of that."""
    finding = object.__new__(Finding)
    finding.__dict__.update(zip(_ALL_FIELDS, values, strict=True))
    return finding


def one_per_problem(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per problem: of the findings of one category whose words overlap
    ("Zumutung" as hostile/beleidigend and hostile/schwieriger-kunde, a bold **MUST** as
    shouting/capitals and shouting/emphasis), the most specific is kept: the most severe,
    then the one that matched the most words, then the earlier in the rule files (the order
    of ``findings``). Findings of different categories are different problems ("UNACCEPTABLE"
    is hostile and shouting); a structure check speaks for the whole letter and is left alone.
    Each rule's own overlaps are already one finding (engine._apart)."""
    findings = list(findings)
    by_category: dict[tuple[str, str], list[int]] = {}
    for i, finding in enumerate(findings):
        if finding.category != "structure":
            by_category.setdefault((finding.path, finding.category), []).append(i)
    dropped: set[int] = set()
    for numbers in by_category.values():
        numbers.sort(key=lambda i: findings[i].start)
        group: list[int] = []
        reach = -1
        for i in [*numbers, -1]:  # groups of findings that overlap one another, in turn
            if i >= 0 and findings[i].start < reach:
                group.append(i)
                reach = max(reach, findings[i].end)
                continue
            if len(group) > 1:
                dropped |= _overlapped(findings, group)
            if i >= 0:
                group, reach = [i], findings[i].end
    return [f for i, f in enumerate(findings) if i not in dropped]


def _overlapped(findings: list[Finding], group: list[int]) -> set[int]:
    """The findings of an overlapping group that a more specific one overlaps."""
    kept: list[Finding] = []
    dropped = set()
    for i in sorted(
        group, key=lambda i: (-severity_rank(findings[i].severity), findings[i].start - findings[i].end, i)
    ):
        finding = findings[i]
        if any(finding.start < other.end and other.start < finding.end for other in kept):
            dropped.add(i)
        else:
            kept.append(finding)
    return dropped
