"""Machine output pasted into a draft — log lines, stack traces — is not the writer's prose:
its blocks are found here, so that the lint leaves them unread (and says so) instead of
reporting "You must provide a valid API key" once for every line of a log.

A block is three or more lines in a row that each open as a machine writes them: a time
stamp with seconds, a log level in capitals, a stack frame. People do not write three such
lines running; a dated list in a letter ("14.10.2026 Besprechung") has no seconds.
"""

from __future__ import annotations

import re

from .regexes import regex

_MACHINE_LINE = regex(
    r"^[ \t]*(?:"
    r"\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}"  # 2026-11-21 01:01:07, 2026-11-21T01:01:07Z
    r"|\[?\d{1,2}[./]\d{1,2}[./]\d{4},?[ T]\d{2}:\d{2}:\d{2}"  # 21.11.2026 01:01:07
    r"|\[?\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\]?[ \t]"  # 01:01:07.123 …
    r"|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}[ \t]"  # syslog: Nov 21 01:01:07
    r"|\[?(?:ERROR|WARN|WARNING|INFO|DEBUG|TRACE|FATAL|CRITICAL|SEVERE|NOTICE)\]?:?[ \t]"  # a level first
    r"|at [\w.$<>/]+\([^)\n]*\)[ \t]*$"  # a Java or JavaScript stack frame
    r'|File "[^"\n]+", line \d+'  # a Python stack frame
    r"|Traceback \(most recent call last\):"
    r"|Caused by: [\w.$]+"
    r"|\.\.\. \d+ more[ \t]*$"
    r")",
    re.MULTILINE,
)
# Between two machine lines of a block: at most this many indented lines (the code line a
# Python traceback prints under each frame).
MAX_GAP = 2
MIN_LINES = 3


def machine_blocks(text: str) -> list[tuple[int, int]]:
    """The spans (from the start of the first line to the end of the last) of the blocks of
    machine output in ``text``."""
    blocks: list[tuple[int, int]] = []
    start = end = -1
    count = 0
    for match in _MACHINE_LINE.finditer(text):
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        if count and _follows(text, end, match.start()):
            end, count = line_end, count + 1
            continue
        if count >= MIN_LINES:
            blocks.append((start, end))
        start, end, count = match.start(), line_end, 1
    if count >= MIN_LINES:
        blocks.append((start, end))
    return blocks


def _follows(text: str, end: int, start: int) -> bool:
    """Does the line at ``start`` come right after the line that ends at ``end`` (only
    indented lines between them)?"""
    if start == end + 1:
        return True
    gap = text[end + 1 : start]
    if not gap.endswith("\n") or gap.count("\n") > MAX_GAP:
        return False
    return all(line[:1] in (" ", "\t") and line.strip() for line in gap[:-1].split("\n"))
