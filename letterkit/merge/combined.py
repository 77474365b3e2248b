"""The combined document of a merge (``--combined FILE``): every letter in one .docx.

An existing FILE is treated like an existing letter: it is kept when it already holds
the combined document this run makes (a plain re-run), brought up to date when it is an
earlier run's combination of the letters in the output folder (a re-run that completes
the set; what it held can be made again from those letters), and otherwise refused
before anything is written, so a file of the user's is never lost. ``force`` replaces it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from ..errors import LetterkitError, OutputError
from ..output import check_writable
from ..render.package import same_content
from .results import RowLog

# The .docx letters of the merge in row order, each as pass 2 would leave it on disk (the
# file already there, else the letter made afresh), or None when it cannot be made.
Letters = Callable[[], Iterator[bytes | None]]


@dataclass
class CombinedPlan:
    """What may happen to FILE after pass 2: ``replace`` it (``force``, or it is this
    merge's), or only create it (it was absent). ``existing`` is what it holds when that is
    the document this run makes, of the letters ``files`` when they were all on disk."""

    target: Path
    replace: bool = False
    existing: bytes | None = None
    files: list[str] = field(default_factory=list)
    # FILE holds the letters of this merge's rows that were checked and passed (as they are
    # on disk, else made afresh): brought up to date with the letters made, failed rows or
    # not, it loses none, unless a row failed later with its letter on disk (write_combined)
    ours: bool = False
    planned: list[str] = field(default_factory=list)  # the letters of the rows that passed the checks


def plan_combined(
    target: Path, force: bool, planned: RowLog, folder: Path, letters: Letters
) -> CombinedPlan | None:
    """Check FILE before any letter is written; refuse a file that is not this merge's.
    None when every row failed: the rows' problems are the report, not a missing document."""
    if target.is_dir():
        raise OutputError(f"--combined {target}: is a folder; give a file name such as {target / 'all.docx'}")
    check_writable(target, "--combined", created=folder)
    _refuse_a_letters_name(target, planned, folder)
    names = [r.file for r in planned if r.status == "valid" and r.file.endswith(".docx")]
    if not names and any(r.status == "failed" for r in planned):
        return None
    if not names:
        raise LetterkitError("no letters to combine: every row goes out as an email")
    if force or not target.exists():
        return CombinedPlan(target, replace=force, planned=names)
    try:
        existing = target.read_bytes()
    except OSError as exc:
        raise OutputError(f"--combined {target}: cannot be read ({exc.strerror})") from None
    on_disk = [name for name in names if (folder / name).is_file()]
    firsts = [
        next((data for data in letters() if data is not None), None),
        *((folder / name).read_bytes() for name in on_disk[:1]),
    ]
    if not _may_be_combined(existing, firsts):
        raise _refusal(target)
    if same_content(_combine([data for data in letters() if data is not None]), existing):
        all_there = on_disk if len(on_disk) == len(names) else []
        return CombinedPlan(target, replace=True, existing=existing, files=all_there, ours=True, planned=names)
    if len(on_disk) < len(names) and same_content(
        _combine([(folder / name).read_bytes() for name in on_disk]), existing
    ):  # an earlier run's, of the letters already there: the set grows (a fixed row)
        return CombinedPlan(target, replace=True, ours=True, planned=names)
    raise _refusal(target)


def _refuse_a_letters_name(target: Path, planned: RowLog, folder: Path) -> None:
    """FILE must not be the name of a row's letter or email in the output folder: it would
    be written over that letter (with --force, the client's file would hold every client's
    letters), or stop the run after the letters. Names are compared in any case, as a
    file system that ignores case would take them for one."""
    if target.parent.resolve() != folder.resolve():
        return
    name = target.name.casefold()
    for result in planned:
        if result.file and result.file.casefold() == name:
            raise OutputError(
                f"--combined {target}: is the name of row {result.row}'s letter ({result.file}) in "
                f"{folder}; nothing was written. Give the combined document a name of its own, such as "
                f"{folder / 'all.docx'}"
            )


def write_combined(plan: CombinedPlan, results: RowLog, folder: Path) -> str:
    """Write the combined document after pass 2 (or keep it); "written" or "kept". With
    rows that failed, it holds the letters made; an existing FILE that may hold the letter
    of a row that failed now (one replaced with --force) is kept until every row passes."""
    from ..output import write_atomic
    from ..render.combine import combine_docx

    names, unchanged, failed, lost = [], True, False, False
    for result in results:
        if result.status in ("written", "exists") and result.file.endswith(".docx"):
            names.append(result.file)
            unchanged = unchanged and result.status == "exists"
        failed = failed or result.status == "failed"  # its letter (if any) would be missing
    if failed:  # a letter on disk of a row that failed as it was written (it no longer matches
        # its row): FILE may hold it, and would lose it
        made = set(names)
        lost = any(name not in made and (folder / name).is_file() for name in plan.planned)
    if failed and plan.target.exists() and (lost or not plan.ours):
        return "kept"  # replaced only by a document of every letter: fix the rows, run again
    if not names:
        raise LetterkitError("no letters to combine: every row failed or went out as an email")
    if plan.files and unchanged and names == plan.files:
        return "kept"  # the very letters it was made from, each kept as it was
    data = combine_docx([(folder / name).read_bytes() for name in names])
    if same_content(data, plan.existing):
        return "kept"
    # a FILE that was absent is only created: one that appeared while the letters were
    # written is not replaced
    write_atomic(plan.target, data, force=plan.replace)
    return "written"


def _combine(documents: list[bytes]) -> bytes | None:
    from ..render.combine import combine_docx

    return combine_docx(documents) if documents else None


def _may_be_combined(existing: bytes, firsts: Iterable[bytes | None]) -> bool:
    """A quick test before every letter is made: a combined document carries the document
    properties of its first letter (their title names the contract), so a FILE with none
    of the candidate first letters' properties cannot be this merge's."""
    properties = _properties(existing)
    return properties is not None and any(
        first is not None and _properties(first) == properties for first in firsts
    )


def _properties(document: bytes) -> bytes | None:
    try:
        with zipfile.ZipFile(BytesIO(document)) as package:
            return package.read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None


def _refusal(target: Path) -> OutputError:
    return OutputError(
        f"--combined {target}: already exists and does not hold the combined document of these "
        "letters; nothing was written. Move it away or choose another name, or use --force to "
        "replace it (--force also replaces the letters in the output folder)"
    )
