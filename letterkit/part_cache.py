"""Templates as worked out once, kept between runs: the parts library's and Word templates'.

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

Word templates (``render.prepared``) are kept the same way in a table of their own
(``TEMPLATES``): the Jinja source docxtpl makes of each part, the code, the names it reads
and the body's skeleton analysis; its key also stamps the modules that make them and
docxtpl's, whose patching gives the source. A third table (``SPLITS``) keeps the code
``skeleton.split`` writes for each template's usage tree, compiled, by its source.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any

from . import __version__
from .process_end import at_process_end

_FORMAT = 1
_LIMIT = 4096  # entries kept: the libraries hold a few hundred templates (and their ss forms)
_HERE = Path(__file__).resolve().parent


class Kept:
    """One table of kept entries (key → field → value), in its own file of the user's cache
    folder, loaded on first use and written when the process ends if the run added to it
    (merged with what another run wrote meanwhile)."""

    def __init__(
        self, name: str, made_by: tuple[str, ...], modules: tuple[str, ...] = (), limit: int = _LIMIT
    ) -> None:
        """``made_by``: letterkit's files (relative to the package) whose code makes the entries;
        ``modules``: other packages' modules that do (their files are stamped too); ``limit``:
        the entries kept (beyond it the table starts again)."""
        self.name = name
        self._made_by = made_by
        self._modules = modules
        self._limit = limit
        self._key: str | None = None
        self.table: dict[str, dict[str, Any]] | None = None
        self.added = False
        self._staged: dict[str, dict[str, Any]] | None = None
        self._saving_in: int | None = None  # the process that saves the table as it ends

    def key(self) -> str:
        """What the kept entries depend on besides each template's source: the interpreter,
        Jinja, letterkit's version, and the code that makes them, by size and time of change
        of its files, so that an edited checkout never reads older entries."""
        if self._key is None:
            import jinja2

            files = [(name, _HERE / name) for name in self._made_by]
            for module in self._modules:
                spec = importlib.util.find_spec(module)
                files.append((module, Path(spec.origin) if spec and spec.origin else _HERE / "?"))
            stamps = []
            for name, path in files:
                try:
                    info = path.stat()
                    stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
                except OSError:
                    stamps.append(f"{name}:?")
            self._key = (
                f"letterkit {self.name} {_FORMAT} {__version__} jinja {jinja2.__version__} "
                f"python {sys.version_info[:2]} {sys.implementation.cache_tag} {' '.join(stamps)}"
            )
        return self._key

    def path(self) -> Path:
        from .lint.rules import cache_digest, cache_folder

        return cache_folder() / f"{self.name}-{cache_digest(self.key())}.pickle"

    def entries(self) -> dict[str, dict[str, Any]]:
        if self.table is None:
            self.table = self._stored()
        return self.table

    def _stored(self) -> dict[str, dict[str, Any]]:
        """The entries in the file: none if it is missing, damaged or not this user's."""
        from .lint.rules import load_cache

        stored = load_cache(self.path())
        entries = stored.get("entries") if isinstance(stored, dict) and stored.get("key") == self.key() else None
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str, field: str) -> Any:
        """A kept value, or None."""
        if self._staged is not None and field in self._staged.get(key, {}):
            return self._staged[key][field]
        return self.entries().get(key, {}).get(field)

    def keep(self, key: str, field: str, value: Any) -> None:
        if self._staged is not None:  # kept only if the work it belongs to succeeds (staged)
            self._staged.setdefault(key, {})[field] = value
            return
        table = self.entries()
        entry = table.get(key)
        if entry is None:
            if len(table) >= self._limit:
                table.clear()
            entry = table[key] = {}
        entry[field] = value
        self.added = True
        if self._saving_in != os.getpid():  # also in a forked worker of a merge
            self._saving_in = os.getpid()
            at_process_end(self.save)

    @contextlib.contextmanager
    def staged(self) -> Iterator[None]:
        """What is kept within is kept only if the block ends without an exception: a
        template that is refused leaves nothing of itself in the file."""
        if self._staged is not None:  # within another staged block: that one decides
            yield
            return
        self._staged = {}
        try:
            yield
            staged, self._staged = self._staged, None
            for key, fields in staged.items():
                for field, value in fields.items():
                    self.keep(key, field, value)
        finally:
            self._staged = None

    def code(self, source: str, field: str = "code") -> CodeType | None:
        """The compiled code of a template source, if kept."""
        data = self.get(source, field)
        if data is None:
            return None
        try:
            found = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        return found if isinstance(found, CodeType) else None

    def keep_code(self, source: str, compiled: CodeType, field: str = "code") -> None:
        self.keep(source, field, marshal.dumps(compiled))

    def reads(self, source: str) -> tuple[str, ...] | None:
        """The names a template source reads, if kept."""
        found = self.get(source, "reads")
        return found if isinstance(found, tuple) else None

    def keep_reads(self, source: str, names: tuple[str, ...]) -> None:
        self.keep(source, "reads", names)

    def usage(self, source: str, field: str = "usage") -> tuple[bool, Any]:
        """(kept, the skeleton analysis: a ``skeleton.Usage`` or None when the template has none)."""
        entry = self.entries().get(source, {})
        if field not in entry:
            return False, None
        try:
            return True, pickle.loads(entry[field])  # our own file, made by this module
        except Exception:
            return False, None

    def keep_usage(self, source: str, found: Any, field: str = "usage") -> None:
        try:
            data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # not picklable: analysed again next time
            return
        self.keep(source, field, data)

    def save(self) -> None:
        """Write the table when this run added to it (as the process ends), with the entries
        another run wrote meanwhile that this one lacks."""
        if not self.added or self.table is None:
            return
        from .lint.rules import remove_older, save_cache

        path = self.path()
        merged = {**self._stored(), **self.table}
        if len(merged) > self._limit:
            merged = self.table
        if save_cache({"key": self.key(), "entries": merged}, path):
            self.added = False
            remove_older(path, rf"{self.name}-{{hex}}\.pickle")  # another Python's or Jinja's


PARTS = Kept("parts", ("parts.py", "skeleton.py", "part_cache.py"))
TEMPLATES = Kept(
    "templates",
    ("render/docx.py", "render/prepared.py", "render/body.py", "skeleton.py", "part_cache.py"),
    ("docxtpl.template",),
    limit=64,  # parts of Word templates (five or so a template), by a digest of their XML
)
SPLITS = Kept(
    "splits",
    ("skeleton.py", "part_cache.py"),
    limit=256,  # the compiled walks of ``skeleton.split``, by their source: one per template
)

# the parts library's table (letterkit.parts)
code, keep_code = PARTS.code, PARTS.keep_code
reads, keep_reads = PARTS.reads, PARTS.keep_reads
usage, keep_usage = PARTS.usage, PARTS.keep_usage
