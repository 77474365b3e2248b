"""The parts library's templates as worked out once, kept between runs.

Every run of letterkit renders the parts library's Jinja templates (``letterkit.parts``),
and preparing one costs milliseconds: Jinja parses it and compiles it to Python code,
parses it again to find the names it reads, and once more for its skeleton
(``letterkit.skeleton``). A letter uses some thirty of them, so a cold start spent more
time there than on the letter itself. This module keeps, per template source, Jinja's
compiled code (marshalled, as Jinja's own bytecode cache keeps it), the names it reads
and its skeleton analysis, in one file in the user's cache folder (the lint's folder).

The file's name and the key inside it hold the Python and Jinja versions, letterkit's
version and a stamp of the code that makes the entries (``_key``), so another
interpreter, Jinja or letterkit never reads code it did not make; the file is read only
when it is this user's own (``lint.rules.load_cache``). What
a run adds is written when the process ends (``atexit``), atomically; a run that cannot
write (a read-only home) only works the templates out again next time. Entries are
looked up by the template's full source, so an edited template is simply a new entry.
"""

from __future__ import annotations

import atexit
import marshal
import pickle
import sys
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

from . import __version__

_FORMAT = 1
_LIMIT = 4096  # entries kept: the libraries hold a few hundred templates (and their ss forms)

_table: dict[str, dict[str, Any]] | None = None
_added = False


@cache
def _key() -> str:
    """What the kept entries depend on besides each template's source: the interpreter,
    Jinja, letterkit's version, and the code that makes them — the environment the parts
    are compiled in (parts.py), the skeleton analysis (skeleton.py) and this module —
    by size and time of change, so that an edited checkout never reads older entries."""
    import jinja2

    here = Path(__file__).resolve().parent
    stamps = []
    for name in ("parts.py", "skeleton.py", "part_cache.py"):
        try:
            info = (here / name).stat()
            stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            stamps.append(f"{name}:?")
    return (
        f"letterkit parts {_FORMAT} {__version__} jinja {jinja2.__version__} "
        f"python {sys.version_info[:2]} {sys.implementation.cache_tag} {' '.join(stamps)}"
    )


def _path() -> Path:
    from .lint.rules import cache_digest, cache_folder

    return cache_folder() / f"parts-{cache_digest(_key())}.pickle"


def _entries() -> dict[str, dict[str, Any]]:
    global _table
    if _table is None:
        from .lint.rules import load_cache

        _table = {}
        stored = load_cache(_path())  # none, damaged or not this user's: worked out again
        if isinstance(stored, dict) and stored.get("key") == _key() and isinstance(stored.get("entries"), dict):
            _table = stored["entries"]
        atexit.register(_save)
    return _table


def _entry(source: str) -> dict[str, Any]:
    table = _entries()
    entry = table.get(source)
    if entry is None:
        if len(table) >= _LIMIT:
            table.clear()
        entry = table[source] = {}
    return entry


def code(source: str) -> CodeType | None:
    """The compiled code of a template source, if kept."""
    data = _entries().get(source, {}).get("code")
    if data is None:
        return None
    try:
        found = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return found if isinstance(found, CodeType) else None


def keep_code(source: str, compiled: CodeType) -> None:
    _store(source, "code", marshal.dumps(compiled))


def reads(source: str) -> tuple[str, ...] | None:
    """The names a template source reads, if kept."""
    found = _entries().get(source, {}).get("reads")
    return found if isinstance(found, tuple) else None


def keep_reads(source: str, names: tuple[str, ...]) -> None:
    _store(source, "reads", names)


def usage(source: str) -> tuple[bool, Any]:
    """(kept, the skeleton analysis: a ``skeleton.Usage`` or None when the template has none)."""
    entry = _entries().get(source, {})
    if "usage" not in entry:
        return False, None
    try:
        return True, pickle.loads(entry["usage"])  # our own file, made by this module
    except Exception:
        return False, None


def keep_usage(source: str, found: Any) -> None:
    try:
        data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # not picklable: analysed again next time
        return
    _store(source, "usage", data)


def _store(source: str, field: str, value: Any) -> None:
    global _added
    _entry(source)[field] = value
    _added = True


def _save() -> None:
    """Write the table when this run added to it (at the end of the process)."""
    if not _added or _table is None:
        return
    from .lint.rules import remove_older, save_cache

    path = _path()
    if save_cache({"key": _key(), "entries": _table}, path):
        remove_older(path, r"parts-{hex}\.pickle")  # another Python's or Jinja's
