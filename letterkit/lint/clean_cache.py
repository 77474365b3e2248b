"""Which paragraphs and letters the lint of composed letters found clean, kept between runs.

Every letter letterkit composes is linted (lint/letter.py), paragraph by paragraph with the
input's values masked; a merge's letters share their few paragraphs, so within a run each
is linted once. The first letter of a run still pays for loading the rules and matching
them (~0.2 s): a merge of 1,000 letters spends a fifth of its time there. The digests of
the masked paragraphs found clean are kept in the user's cache folder, so a later run (the
next merge, the next ``letterkit generate``) takes them as known. A whole masked letter
found clean (no tone finding in any paragraph, no structure finding) is kept too
(``letter_digest``): a later run that meets it again needs neither the rules nor the
structure checks for it (a merge's letters are a handful of masked letters).

Only clean verdicts are kept: a paragraph with a finding is linted again, so a finding is
always reported by the rules as they are. The file is keyed by the rule files, the lint's
own code (names, sizes, modification times) and the Python; a change to either starts a
new file. It is written with mode 0600 in the private cache folder (rules.save_cache makes
it 0700), so no one else can mark a paragraph clean.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path

from .. import __version__
from .rules import RULES_DIR, cache_digest, cache_folder, remove_older

MAX_BYTES = 2_000_000  # ~100,000 paragraphs; a larger file is started anew
_LINT_CODE = Path(__file__).parent

_known: dict[str, set[str]] = {}  # lang -> the digests read (and added) in this run
_files: dict[str, Path] = {}


def digest(text: str, locale: str) -> str:
    """16 hex digits for a masked paragraph and its locale (two 32-bit checksums: a false
    match needs both to collide)."""
    data = f"{locale}\0{text}".encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def letter_digest(texts: Iterable[str], parts: Iterable[tuple[str, ...]], locale: str) -> str:
    """16 hex digits for a whole masked letter (its paragraphs and the parts each holds) and
    its locale: the tone and structure checks together found it clean. (A paragraph's
    digest is of text without a NUL; a letter's text holds one between its paragraphs.)"""
    return digest("\0".join(["letter", repr(tuple(parts)), *texts]), locale)


def _stamp(folder: Path, pattern: str) -> str:
    """The files ``pattern`` matches in ``folder`` by name, size and time of change (each
    looked up once: a run's first letter stamps some sixty files). ``pattern`` is a name's
    (``*.py``) or one folder's and a name's (``model/*``); what ``Path.glob`` finds, in its
    order and as it names them, read with ``os.scandir`` (pathlib's glob and relative_to
    took ~1.5 ms of a first merge)."""
    below, _, names = pattern.rpartition("/")
    where = os.path.join(folder, below) if below else os.fspath(folder)
    try:
        with os.scandir(where) as entries:
            matched = sorted(entry.name for entry in entries if fnmatch.fnmatchcase(entry.name, names))
    except OSError:
        return ""
    found = []
    for name in matched:
        info = os.stat(os.path.join(where, name))
        found.append(f"{below}/{name}:{info.st_size}:{info.st_mtime_ns}" if below else f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return "\0".join(found)


def _file(lang: str) -> Path:
    if lang not in _files:
        key = "\0".join(
            (
                "clean paragraphs 1",
                __version__,
                lang,
                sys.version,
                _stamp(RULES_DIR / lang, "*.yaml"),
                _stamp(_LINT_CODE, "*.py"),
                _stamp(_LINT_CODE, "model/*"),
            )
        )
        _files[lang] = cache_folder() / f"clean-{lang}-{cache_digest(key)}.txt"
    return _files[lang]


def known_clean(lang: str) -> set[str]:
    """The digests of paragraphs found clean before (read once per run)."""
    if lang not in _known:
        _known[lang] = _read(_file(lang))
    return _known[lang]


def _read(path: Path) -> set[str]:
    """The digests in ``path``; none from a file another user could have written (it would
    silence findings), a link, or one too large."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return set()
    try:
        info = os.fstat(handle)
        if info.st_size > MAX_BYTES or not stat.S_ISREG(info.st_mode):
            return set()
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            return set()
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return set(stream.read().decode("ascii", errors="replace").split())
    except OSError:
        return set()
    finally:
        os.close(handle)


def add_clean(lang: str, digests: Iterable[str]) -> None:
    """Keep these digests as clean (appended in one write; a cache that cannot be written
    is left alone: the work is done again next time)."""
    new = [d for d in digests if d not in known_clean(lang)]
    if not new:
        return
    _known[lang].update(new)
    path = _file(lang)
    try:
        folder_made = not path.parent.exists()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fresh = not path.exists()
        handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.write(handle, ("\n".join(new) + "\n").encode("ascii"))
        finally:
            os.close(handle)
        if fresh and not folder_made:  # a new key: the files of the old ones go
            remove_older(path, rf"clean-{lang}-{{hex}}\.txt")
    except OSError:
        pass


def forget() -> None:
    """Read the file again at the next use (tests)."""
    _known.clear()
    _files.clear()
