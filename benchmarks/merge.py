"""Mail merge speed and memory, side by side with the naive docxtpl loop, in one run.

    python benchmarks/merge.py [ROWS_DOCX] [ROWS_EML] [ROWS_STREAM] [--dir FOLDER]

1. N letters to .docx: the naive loop (DocxTemplate(path); render(ctx); save()) on a
   sample of rows, extrapolated per letter, vs ``letterkit.merge`` on all N rows (one core):
   the first merge in the process (preparing the template, rules and parts counts) and a
   merge of another N clients after it (steady state, as a service merging list after
   list: nothing of the first list's rows is reused). Each side imports its libraries
   before its timer, and a merge of 20 other rows has run in another process before
   (``installed_copy_has_run``: the user's cache folder as after any earlier run).
2. M emails to .eml with ``letterkit.merge`` on one core (``jobs=1``), then with ``jobs=2``
   (two worker processes), then as a merge that names no number (the default ``jobs=None``:
   one worker per core, at most 4, from 500 letters on Linux); then the first merge again, as a resume of a
   finished set: each file kept on the record of what made it (``merge/made.py``), vs the
   full check (each letter made again and compared), which is what a resume without the
   records does.
3. Peak memory (tracemalloc) of ``--check`` over K rows streamed from a CSV, at K/10 and
   K rows: flat memory means the rows are never all held at once.

Both sides write real files into the same folder (``--dir``; by default a fresh folder in
benchmarks/.work or in the system temp folder, whichever creates files faster at the start:
see ``working_folder``), as a user's merge writes into a working folder: on shared machines
one folder tree can make every file creation slow for minutes at a time, which would hide
the work being measured. The folder and what a file cost there (and in the other) are printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text(encoding="utf-8"))
HEADER = [
    "locale",
    "recipient.company",
    "recipient.gender",
    "recipient.first_name",
    "recipient.last_name",
    "recipient.email",
    "recipient.street",
    "recipient.postal_code",
    "recipient.city",
    "contract.name",
    "contract.reference",
    "end_date",
    "final_invoice.amount",
    "final_invoice.due_date",
    "reasons",
]


def write_rows(path: Path, count: int, start: int = 0) -> None:
    """A client export: every row its own client, reference and amount (as real exports are:
    nothing a row holds repeats but the contract, the dates and the reasons)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for i in range(start, start + count):
            writer.writerow(
                [
                    "de-DE",
                    f"Kunde {i} GmbH",
                    "female" if i % 2 else "male",
                    "Kim",
                    f"Muster{i}",
                    f"kunde{i}@example.com",
                    f"Weg {i}",
                    "80331",
                    "München",
                    "Wartungsvertrag",
                    f"W-{i}",
                    "2026-12-31",
                    f"{100 + i},{i % 100:02d}",
                    "2027-01-15",
                    "payment_terms" if i % 3 else "capacity;scope",
                ]
            )


def naive_ms_per_letter(folder: Path, samples: int = 40) -> float:
    """The loop docxtpl users write, on the built-in German template, saving each letter."""
    from docxtpl import DocxTemplate

    import letterkit
    from letterkit.render.docx import build_context

    template = ROOT / "templates" / "de" / "letter.docx"
    letter = letterkit.compose(ROOT / "samples" / "de-DE-wartungsvertrag.yaml")
    context = build_context(letter)
    folder.mkdir()
    start = time.perf_counter()
    for number in range(samples):
        document = DocxTemplate(str(template))
        document.render(context, autoescape=True)
        document.save(folder / f"letter-{number}.docx")
    return (time.perf_counter() - start) / samples * 1000


# the modules a merge imports when it first needs them (the lint of each letter among them)
LOADED_ON_FIRST_USE = (
    "babel.dates",
    "babel.numbers",
    "letterkit.compose",
    "letterkit.lint.letter",
    "letterkit.lint.parallel",
    "letterkit.lint.structure",
    "letterkit.render.docx",
    "letterkit.render.email",
)


def timed_merge(source: Path, out: Path, fmt: str, jobs: int | None = 1) -> tuple[float, int]:
    """One merge, timed from its call: what it prepares once (the template, the rules, the
    parts library) counts; importing the libraries does not, as for the naive loop, whose
    ``from docxtpl import DocxTemplate`` also happens before its timer."""
    import importlib

    from letterkit.merge import merge

    for module in LOADED_ON_FIRST_USE:
        importlib.import_module(module)

    start = time.perf_counter()
    report = merge(source, base=BASE, out_dir=out, fmt=fmt, jobs=jobs)
    elapsed = time.perf_counter() - start
    assert report.ok, report.failed[:3]
    return elapsed, report.count("written")


def timed_resume(source: Path, out: Path, fmt: str, *, records: bool) -> float:
    """The merge of a finished set again: every file is kept. Without ``records`` (the
    user's cache of them for ``out`` removed first) each letter is made again and compared."""
    from letterkit.merge import merge
    from letterkit.merge.made import MadeLog

    if not records:
        MadeLog(out).path.unlink(missing_ok=True)
    start = time.perf_counter()
    report = merge(source, base=BASE, out_dir=out, fmt=fmt, jobs=1)  # one process, as before
    elapsed = time.perf_counter() - start
    assert report.count("exists") == len(report.results), report.failed[:3]
    return elapsed


def file_creation_ms(folder: Path, count: int = 300) -> float:
    """What creating, writing and renaming one small file costs in ``folder``: the floor of
    any merge that writes one file per letter atomically (it varies a lot between folders
    and moments on a shared machine, so it is printed beside the results)."""
    folder.mkdir()
    start = time.perf_counter()
    for number in range(count):
        temporary = folder / f".{number}.tmp"
        temporary.write_bytes(b"x" * 8000)
        temporary.replace(folder / f"{number}.bin")
    return (time.perf_counter() - start) / count * 1000


def working_folder(given: Path | None) -> tuple[Path, dict[Path, float]]:
    """The folder both sides write into: ``given``, else whichever of benchmarks/.work and
    the system temp folder creates files faster right now (and what a file cost in each).
    On shared machines one folder tree can make every file creation 20 times slower than
    another for minutes at a time (a scanner, a journal busy elsewhere): measured there, the
    run times the machine, not the merge, and the same folder serves the naive loop."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        return given, {}
    floors: dict[Path, float] = {}
    for place in (ROOT / "benchmarks" / ".work", Path(tempfile.gettempdir()) / "letterkit-bench"):
        place.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=place) as tmp:
            floors[place] = file_creation_ms(Path(tmp) / "floor")
    return min(floors, key=floors.__getitem__), floors


def _cpu() -> tuple[float, float]:
    """Processor time (user and system) so far of this process and of its ended children:
    on a busy machine the wall clock of several processes says little, this says where the
    work went."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0, 0.0
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def cli_merge(source: Path, out: Path, fmt: str, jobs: int | None = 1) -> float:
    """Wall time of ``letterkit merge`` as a user runs it (``jobs`` None: without --jobs)."""
    argv = [
        sys.executable,
        "-m",
        "letterkit",
        "merge",
        str(source),
        "--base",
        str(ROOT / "samples" / "merge" / "base.yaml"),
    ]
    start = time.perf_counter()
    argv += ["-o", str(out), "--format", fmt] + (["--jobs", str(jobs)] if jobs is not None else [])
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - start


def peak_check_memory(source: Path) -> float:
    from letterkit.merge import merge

    tracemalloc.start()
    merge(source, base=BASE, check=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def installed_copy_has_run(folder: Path) -> None:
    """An untimed merge of a few rows in another process first, as a user's installed copy
    has run before: the user's cache folder then holds what letterkit keeps there between
    runs (the rules' translated regex code, the letter paragraphs the lint found clean).
    Without it, the first benchmark after an install or a rule change times their making
    too (~0.2-0.3 s: 8,000 letters' worth of the naive loop's time at the first merge's
    pace); nothing of this process is prepared by it."""
    write_rows(folder / "warm.csv", 20, start=10**6)
    argv = [sys.executable, "-m", "letterkit", "merge", str(folder / "warm.csv"), "--base"]
    argv += [str(ROOT / "samples" / "merge" / "base.yaml"), "-o", str(folder / "warm"), "--jobs", "1"]
    subprocess.run(argv, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docx_rows", nargs="?", type=int, default=1000, help="rows merged to .docx")
    parser.add_argument("eml_rows", nargs="?", type=int, default=10000, help="rows merged to .eml")
    parser.add_argument("stream_rows", nargs="?", type=int, default=100000, help="rows for the memory check")
    parser.add_argument("--dir", type=Path, default=None, help="working folder (default: see working_folder)")
    args = parser.parse_args()
    docx_rows, eml_rows, stream_rows = args.docx_rows, args.eml_rows, args.stream_rows
    where, floors = working_folder(args.dir)
    with tempfile.TemporaryDirectory(dir=where) as tmp:
        folder = Path(tmp)
        write_rows(folder / "docx.csv", docx_rows)
        installed_copy_has_run(folder)
        floor = file_creation_ms(folder / "floor")
        others = "".join(f"; {ms:.2f} ms in {place}" for place, ms in floors.items() if place != where)
        print(f"working folder {where} ({floor:.2f} ms to write a file atomically{others})")
        naive = naive_ms_per_letter(folder / "naive")
        elapsed, written = timed_merge(folder / "docx.csv", folder / "docx", "docx")
        ours = elapsed / written * 1000
        write_rows(folder / "docx-next.csv", docx_rows, start=docx_rows)
        again, _ = timed_merge(folder / "docx-next.csv", folder / "docx-next", "docx")
        steady = again / written * 1000
        print(
            f"naive docxtpl loop         {naive:8.2f} ms/letter  (x {naive * docx_rows / 1000:.1f} s for {docx_rows})"
        )
        print(
            f"letterkit merge -> .docx   {ours:8.2f} ms/letter  ({elapsed:.2f} s for {written}); "
            f"{naive / ours:.1f}x faster  (first merge in the process)"
        )
        print(
            f"  the next {docx_rows} clients     {steady:8.2f} ms/letter  ({again:.2f} s); {naive / steady:.1f}x faster  "
            "(a service merging list after list: the template, rules and parts already prepared)"
        )
        print(f"  (writing one file atomically in this folder costs {floor:.2f} ms)")
        write_rows(folder / "eml.csv", eml_rows)
        elapsed, written = timed_merge(folder / "eml.csv", folder / "eml", "eml")
        print(
            f"letterkit merge -> .eml    {elapsed:8.2f} s for {written} emails ({elapsed / written * 1000:.2f} ms each; one core)"
        )
        before = _cpu()
        two, _ = timed_merge(folder / "eml.csv", folder / "eml-jobs2", "eml", jobs=2)
        own, workers = (after - then for after, then in zip(_cpu(), before, strict=True))
        print(
            f"  the same with jobs=2     {two:8.2f} s ({two / written * 1000:.2f} ms each; {elapsed / two:.2f}x; "
            f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} cores here, "
            f"load {os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan'):.1f}); processor time "
            f"{own:.2f} s in the merge's process (the check), {workers:.2f} s in the workers together"
        )
        from letterkit.merge.produce import auto_jobs

        workers = auto_jobs(written)  # as the merge will decide it (by the processes running now)
        default, _ = timed_merge(folder / "eml.csv", folder / "eml-default", "eml", jobs=None)
        print(
            f"  the same by default      {default:8.2f} s ({default / written * 1000:.2f} ms each; jobs=None: "
            f"{'one process' if workers == 1 else f'{workers} workers'}; load "
            f"{os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan'):.1f})"
        )
        on_record = timed_resume(folder / "eml.csv", folder / "eml", "eml", records=True)
        in_full = timed_resume(folder / "eml.csv", folder / "eml", "eml", records=False)
        print(
            f"  resumed when finished    {on_record:8.2f} s on the records of what made each file; "
            f"{in_full:.2f} s making each again to compare ({in_full / on_record:.1f}x)"
        )
        elapsed = cli_merge(folder / "eml.csv", folder / "eml-cli", "eml")
        print(
            f"  the same from the CLI    {elapsed:8.2f} s with --jobs 1 (a fresh process: start-up, reading, writing)"
        )
        workers = auto_jobs(written)
        elapsed = cli_merge(folder / "eml.csv", folder / "eml-cli-default", "eml", jobs=None)
        print(
            f"  the CLI without --jobs   {elapsed:8.2f} s (the default: "
            f"{'one process' if workers == 1 else f'{workers} workers'} as the processes running decided)"
        )
        elapsed = cli_merge(folder / "eml.csv", folder / "eml-cli-jobs2", "eml", jobs=2)
        print(f"  the CLI with --jobs 2    {elapsed:8.2f} s")
        write_rows(folder / "small.csv", stream_rows // 10)
        write_rows(folder / "large.csv", stream_rows)
        small, large = peak_check_memory(folder / "small.csv"), peak_check_memory(folder / "large.csv")
        print(
            f"peak memory, --check       {small:8.1f} MB for {stream_rows // 10} rows, {large:.1f} MB for {stream_rows}"
        )


if __name__ == "__main__":
    main()
