"""The lint modules' own regexes, compiled from translated code kept in the user's cache folder.

``re.compile`` parses and translates a pattern in Python: the ~30 regexes the lint
modules compile when they load cost every start ~30 M instructions (~8 % of linting a
one-line draft, measured with callgrind). The translated code (what the regex engine runs) is kept in one cache
file, as the rules keep theirs (rules.py), and a pattern compiled from it takes a few
microseconds. The code is the one ``re.compile`` makes (no branch factoring): the
compiled pattern is the same, groups and flags included. A pattern not in the file yet
is compiled by ``re.compile`` and its code added to the file at exit.
"""

from __future__ import annotations

import atexit
import re
from pathlib import Path

from .. import __version__
from .rules import (
    _ENGINE_TAG,
    CodeKey,
    CodeTuple,
    cache_digest,
    cache_folder,
    from_code,
    load_cache,
    regex_code,
    remove_older,
    save_cache,
)

_KEY = f"regexes 1\0{__version__}\0{_ENGINE_TAG}"
# (flags, pattern) -> translated code; None until the cache file is read
_codes: dict[CodeKey, CodeTuple] | None = None
_added = False


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cached code when the cache file has it."""
    codes = _table()
    key = (int(flags), pattern)
    found = codes.get(key)
    if found is not None and (compiled := from_code(pattern, found)) is not None:
        return compiled
    compiled = re.compile(pattern, flags)
    code = regex_code(pattern, flags, factor=False)
    if code is not None:
        codes[key] = (code.flags, code.code, code.groups, code.groupindex, code.indexgroup)
        _note_added()
    return compiled


def _table() -> dict[CodeKey, CodeTuple]:
    global _codes
    if _codes is None:
        stored = load_cache(_path())
        ok = isinstance(stored, dict) and stored.get("key") == _KEY and isinstance(stored.get("codes"), dict)
        _codes = dict(stored["codes"]) if ok else {}  # type: ignore[index]  # (checked: ok)
    return _codes


def _path() -> Path:
    return cache_folder() / f"regexes-{cache_digest(_KEY)}.pickle"


def _note_added() -> None:
    global _added
    if not _added:
        _added = True
        atexit.register(_save)


def _save() -> None:
    """At exit: write the table with the code this process translated (a read-only cache
    folder: translated again next time)."""
    global _added
    _added = False
    path = _path()
    if _codes is not None and save_cache({"key": _KEY, "codes": _codes}, path):
        remove_older(path, r"regexes-{hex}\.pickle")
