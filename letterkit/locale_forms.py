"""What letterkit reads of Babel's locale data to write dates and amounts, kept between runs.

The first date or amount a process formats made Babel load the locale's CLDR data: the
pickles of the locale, its language and the root (~25 ms, and ~4 ms more for its global
data), two thirds of what a first mail merge prepares once. Of all that, a letter needs
little: the locale's long date pattern with its month names, and the shape of an amount of
money (``locales._Shape``). These are worked out from Babel as before, checked against
Babel's own output on sample values where they are made (``locales``), and kept in the
user's cache folder, so that a later process writes its dates and amounts without loading
Babel's data.

The file is keyed by letterkit's version and Babel's installation (the path, size and time
of change of its package's ``__init__.py`` and of its locale data folder): another Babel is
another file, whose entries are worked out from Babel again. Only this user's own file,
which no one else may write, is read (``lint.rules.load_cache``); an entry that is not of
the expected form is passed over.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from . import __version__

_FORMAT = "locale forms 1"  # the layout of the entries; a change starts a new file
_kept: dict[str, Any] | None = None  # the file's entries, read once a process
_path: Path | None = None


def kept(name: str) -> Any:
    """The entry ``name``, or None when the file does not hold it."""
    return _entries().get(name)


def keep(name: str, value: Any) -> None:
    """Keep ``value`` (plain data: text, numbers, tuples) as the entry ``name``; a cache
    that cannot be written is left alone (the entry is worked out again next time)."""
    entries = _entries()
    if entries.get(name) == value:
        return
    entries[name] = value
    path = _file()
    if path is None:
        return
    from .lint.rules import remove_older, save_cache

    fresh = not path.exists()
    if save_cache(dict(entries), path) and fresh:
        remove_older(path, r"locale-forms-{hex}\.pickle")


def forget() -> None:
    """Read the file again at the next use (tests)."""
    global _kept, _path
    _kept = None
    _path = None


def _entries() -> dict[str, Any]:
    global _kept
    if _kept is None:
        from .lint.rules import load_cache

        path = _file()
        found = load_cache(path) if path is not None else None
        _kept = dict(found) if isinstance(found, dict) else {}
    return _kept


def _file() -> Path | None:
    """The cache file of this letterkit and this Babel; None when Babel is not found."""
    global _path
    if _path is None:
        stamp = _babel_stamp()
        if stamp is None:
            return None
        from .lint.rules import cache_digest, cache_folder

        key = "\0".join((_FORMAT, __version__, stamp))
        _path = cache_folder() / f"locale-forms-{cache_digest(key)}.pickle"
    return _path


def _babel_stamp() -> str | None:
    """Babel's package and locale data, by path, size and time of change (without
    importing Babel); None when it cannot be told."""
    try:
        spec = importlib.util.find_spec("babel")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    parts = []
    for path in (spec.origin, os.path.join(os.path.dirname(spec.origin), "locale-data")):
        try:
            info = os.stat(path)
        except OSError:
            return None
        parts.append(f"{os.path.realpath(path)} {info.st_size} {info.st_mtime_ns}")
    return "\0".join(parts)
