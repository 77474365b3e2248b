"""Every row's outcome, in row order, in bounded memory.

A merge of 100,000 rows must not hold 100,000 results: the first ``IN_MEMORY`` stay in
a list, the rest go to an anonymous temporary file as JSON lines (on POSIX it has no
name at all, so even a killed run leaves nothing behind). Each reader keeps its own
offset, so the log can be read by two loops at once (also in forked copies of the process).
"""

from __future__ import annotations

import json
import os
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, overload

if TYPE_CHECKING:
    from ..lint.findings import Finding

IN_MEMORY = 2_000

# Each status in the words the terminal uses for it ("3 written, 2 kept from an earlier
# run"): the report's ``outcome``. The status values stay as they are: the report is
# versioned, and scripts match them (``report.count("exists")``).
OUTCOMES = {
    "written": "written",
    "exists": "kept from an earlier run",
    "sent": "kept as it was sent",
    "failed": "failed",
    "stopped": "not written: the run stopped",
    "valid": "valid (checked only, nothing written)",
}


@dataclass(slots=True)
class RowResult:
    """What happened to one row: written, exists (kept from an earlier run), sent (an email
    kept as it was sent, though it differs from the row's now: the folder's sent-log lists
    it as sent, and a sent email is never replaced, not even with force), failed, stopped
    or valid (check only). ``problems`` also holds notices (the lint's findings in a written letter,
    a row named by its number, a repeated row); ``repeats`` is the earlier row whose input
    this row repeats, or 0."""

    row: int
    status: str
    file: str = ""
    problems: list[str] = field(default_factory=list)
    repeats: int = 0

    @property
    def outcome(self) -> str:
        """The status in the terminal's words ("kept from an earlier run" for ``exists``)."""
        return OUTCOMES.get(self.status, self.status)


NOTE = "note: "  # a notice that is a hint, not a warning: the lint's info findings ('leider')


def finding_notice(finding: Finding) -> str:
    """A lint finding in a row's letter as the row's notice: an info finding is marked as a
    note (printed as such, as `letterkit lint` and `generate` call it), a warning is not."""
    return f"{NOTE if finding.severity == 'info' else ''}{finding.rule}: {finding.text}"


class RowLog:
    """An append-only, re-readable sequence of RowResults."""

    def __init__(self, in_memory: int | None = None) -> None:
        self._head: list[RowResult] = []
        self._in_memory = IN_MEMORY if in_memory is None else in_memory
        self._spilled: IO[bytes] | None = None
        self._size = 0
        self._counts: Counter[str] = Counter()

    def append(self, result: RowResult) -> None:
        self._counts[result.status] += 1
        self._size += 1
        if len(self._head) < self._in_memory:
            self._head.append(result)
            return
        if self._spilled is None:
            self._spilled = tempfile.TemporaryFile(prefix="letterkit-rows-")  # noqa: SIM115 - lives with the log
            weakref.finalize(self, self._spilled.close)
        line = [result.row, result.status, result.file, result.problems, result.repeats]
        self._spilled.seek(0, os.SEEK_END)
        self._spilled.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")

    def count(self, status: str) -> int:
        return self._counts[status]

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[RowResult]:
        yield from self._head
        if self._spilled is None:
            return
        self._spilled.flush()
        offset, pending = 0, b""
        while True:
            chunk = self._read(offset)
            if not chunk:
                return
            offset += len(chunk)
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                yield RowResult(*json.loads(line))

    def _read(self, offset: int) -> bytes:
        """The spilled lines from ``offset`` on (a part of them): without moving the file's
        offset where the system can, as a forked copy of the process shares it (the merge's
        workers read the log as this process does)."""
        assert self._spilled is not None
        if hasattr(os, "pread"):
            return os.pread(self._spilled.fileno(), 1 << 16, offset)
        self._spilled.seek(offset)
        return self._spilled.read(1 << 16)

    def flush(self) -> None:
        """Put what was appended into the file (before the process is forked: a copy would
        otherwise hold the same lines to write)."""
        if self._spilled is not None:
            self._spilled.flush()

    @overload
    def __getitem__(self, index: int) -> RowResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[RowResult]: ...
    def __getitem__(self, index: int | slice) -> RowResult | list[RowResult]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._size
        if 0 <= index < len(self._head):
            return self._head[index]
        if not 0 <= index < self._size:
            raise IndexError(index)
        for number, result in enumerate(self):
            if number == index:
                return result
        raise IndexError(index)  # pragma: no cover - the size says it exists

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (RowLog, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RowLog({self._size} rows, {dict(self._counts)})"
