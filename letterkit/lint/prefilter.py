"""Which rule patterns can match where: an index from literal word beginnings to patterns.

Scanning a megabyte once per pattern is slow, so each pattern's possible beginnings
(the literal letters its first word must start with, e.g. "versäum", "anwalt",
"rechtlich"/"gerichtlich") are read from the compiled regex. A draft's distinct
words are then looked up once, and each pattern is tried only where one of its
beginnings occurs. A pattern without a literal beginning is scanned in full.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol


def _stdlib(name: str, old: str) -> Any:
    """The standard library's own regex parser: re._parser (3.11+) or sre_parse (3.10)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return importlib.import_module(old)


sre = _stdlib("re._constants", "sre_constants")
sre_parse = _stdlib("re._parser", "sre_parse")

MAX_VARIANTS = 512


def _walk(ops: Any, prefixes: list[str]) -> tuple[list[str], bool]:
    """Extend ``prefixes`` by the literal start of ``ops``; returns (prefixes, complete)."""
    for op, arg in ops:
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: a lookahead such as (?=[abc]) consumes nothing
        if op is sre.LITERAL:
            prefixes = [p + chr(arg) for p in prefixes]
        elif (
            op is sre.IN
            and all(kind is sre.LITERAL for kind, _ in arg)
            and len(arg) * len(prefixes) <= MAX_VARIANTS
        ):
            prefixes = [p + chr(v) for p in prefixes for _, v in arg]
        elif op is sre.SUBPATTERN:
            prefixes, complete = _walk(arg[-1], prefixes)
            if not complete:
                return prefixes, False
        elif op is sre.BRANCH:
            extended: list[str] = []
            complete = True
            for branch in arg[1]:
                result, done = _walk(branch, prefixes)
                extended += result
                complete = complete and done
            if len(set(extended)) > MAX_VARIANTS:
                return prefixes, False  # too many: keep what was certain before the branch
            prefixes = sorted(set(extended))
            if not complete:
                return prefixes, False
        else:
            return prefixes, False
    return prefixes, True


class HasPattern(Protocol):
    pattern: str
    flags: int


def beginnings(pattern: HasPattern) -> set[str] | None:
    """Lower-case literal beginnings of the pattern (which may run into its second word:
    "the hell"), or None if it has none."""
    ops = list(sre_parse.parse(pattern.pattern, pattern.flags))
    while ops and ops[0][0] in (sre.ASSERT_NOT, sre.ASSERT, sre.AT):
        ops.pop(0)
    prefixes, complete = _walk(ops, [""])
    if len(prefixes) > MAX_VARIANTS:
        return None
    # A beginning that ends in a space names its whole first word ("never " is "never",
    # not "nevertheless"); so does a pattern that is nothing but literal words.
    found = {p.lower() + (" " if complete and " " not in p else "") for p in prefixes}
    if any(len(p.split(" ", 1)[0]) < 1 for p in found):
        return None  # no literal beginning: scan the whole text
    return found


class Prefilter:
    """For a set of patterns: beginning → pattern numbers, and the patterns to scan in full."""

    def __init__(self, patterns: Sequence[HasPattern]) -> None:
        # first-word beginning → pattern numbers; and, per pattern and first word, the longer
        # beginnings that reach into the next word ("the hell"), checked on the text itself
        self.by_prefix: dict[str, list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.longer: dict[tuple[int, str], tuple[str, ...]] = {}
        self.scan_all: list[int] = []
        for number, found in enumerate(_load_cache(patterns)):
            if found is None:
                self.scan_all.append(number)
                continue
            by_key: dict[tuple[str, bool], set[str]] = defaultdict(set)
            for prefix in found:
                first, space, _ = prefix.partition(" ")
                by_key[(first, bool(space))].add(prefix)
            for (key, whole), fulls in by_key.items():
                (self.by_word if whole else self.by_prefix)[key].append(number)
                longer = tuple(sorted(f for f in fulls if len(f) > len(key) + 1))
                if whole and longer and len(longer) == len(fulls):
                    self.longer[(number, key)] = longer
        self.lengths = sorted({len(p) for p in self.by_prefix})

    def candidates(self, words: dict[str, list[int]], lowered: str | None = None) -> dict[int, list[int]]:
        """Pattern number → sorted positions (of words in the token string) worth trying.
        ``lowered`` is the token string in lower case, for the two-word check."""
        result: dict[int, list[int]] = defaultdict(list)
        by_prefix, lengths, longer = self.by_prefix, self.lengths, self.longer
        for word, positions in words.items():
            for number in self.by_word.get(word, ()):
                fulls = longer.get((number, word)) if lowered is not None else None
                if fulls is None:
                    result[number].extend(positions)
                else:
                    result[number].extend(p for p in positions if lowered.startswith(fulls, p))  # type: ignore[union-attr]
            for length in lengths:
                if length > len(word):
                    break
                for number in by_prefix.get(word[:length], ()):
                    result[number].extend(positions)
        for number, positions in result.items():
            result[number] = sorted(set(positions))
        return result


def _cache_file(patterns: Sequence[HasPattern]) -> Path:
    digest = hashlib.sha256(
        ("v3\0" + "\0".join(f"{p.flags}:{p.pattern}" for p in patterns)).encode()
    ).hexdigest()[:20]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "letterkit" / f"lint-beginnings-{digest}.json"


def _load_cache(patterns: Sequence[HasPattern]) -> list[set[str] | None]:
    """Beginnings of every pattern; parsing hundreds of regexes costs a cold start ~0.2 s,
    so the result is kept in the user's cache folder, keyed by the patterns themselves."""
    path = _cache_file(patterns)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if len(stored) == len(patterns):
            return [set(item) if item is not None else None for item in stored]
    except (OSError, ValueError):
        pass
    found = [beginnings(p) for p in patterns]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps([sorted(f) if f is not None else None for f in found]), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: compute again next time
    return found
