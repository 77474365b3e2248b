"""Large merges in bounded memory: results beyond the first rows live in a temporary file,
names given are remembered as digests; the report reads the same either way."""

from __future__ import annotations

import gc
import os
import random
import tempfile
from pathlib import Path

import pytest
from test_merge import BASE, HEADER, ROWS, write_csv

from letterkit.merge import merge, results
from letterkit.merge.names import DigestSet, Namer


def rows_with_failures(count: int) -> list[str]:
    lines = [HEADER]
    for number in range(count):
        row = (
            ROWS[number % 3]
            .replace("W-1", f"W-{number}")
            .replace("W-2", f"W-{number}")
            .replace("S-3", f"S-{number}")
        )
        if number % 4 == 2:
            row = (
                row.replace("2026-12-31", "2026-13-45")
                .replace("31.12.2026", "31.13.2026")
                .replace("2027-01-31", "2027-02-30")
            )
        lines.append(row)
    return lines


@pytest.mark.parametrize("fmt", ["txt"])
def test_spilled_results_read_the_same_as_results_in_memory(tmp_path: Path, monkeypatch, fmt: str):
    source = write_csv(tmp_path, rows_with_failures(13))
    kept = merge(source, base=BASE, out_dir=tmp_path / "a", fmt=fmt)
    monkeypatch.setattr(results, "IN_MEMORY", 4)
    spilled = merge(source, base=BASE, out_dir=tmp_path / "b", fmt=fmt)
    assert spilled.results._spilled is not None, "the log did not spill"
    assert list(spilled.results) == list(kept.results) and len(spilled.results) == 13
    assert spilled.results[10] == kept.results[10] and spilled.results[-1] == kept.results[-1]
    assert spilled.to_csv() == kept.to_csv()
    assert spilled.to_json().replace("/b", "/a") == kept.to_json()
    assert (
        (spilled.count("written"), spilled.count("failed"))
        == (kept.count("written"), kept.count("failed"))
        == (10, 3)
    )
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(
        p.name for p in (tmp_path / "a").iterdir()
    )


def test_the_spill_file_has_no_name_and_closes_with_the_report(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(results, "IN_MEMORY", 2)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    report = merge(write_csv(tmp_path, rows_with_failures(6)), base=BASE, check=True)
    spilled = report.results._spilled
    assert spilled is not None and len(report.results) == 6
    if os.name == "posix":
        assert list((tmp_path / "temp").iterdir()) == []  # nothing a killed run could leave
    del report
    gc.collect()
    assert spilled.closed


def test_digest_set_holds_what_was_added_and_nothing_else():
    rng = random.Random(3)
    values = {rng.getrandbits(64) | 1 for _ in range(5000)}
    digests = DigestSet()
    for value in values:
        digests.add(value)
        digests.add(value)
    assert len(digests) == len(values)
    assert all(value in digests for value in values)
    assert not any(rng.getrandbits(64) | 1 in digests for _ in range(2000))


def test_names_stay_unique_case_insensitively():
    namer = Namer("{recipient.last_name}", "txt")
    names = [
        namer.name(n, {"recipient": {"last_name": last}})
        for n, last in enumerate(["Ab", "AB", "ab", "Ab-2", "x"])
    ]
    assert names == ["Ab.txt", "AB-2.txt", "ab-3.txt", "Ab-2-2.txt", "x.txt"]


@pytest.mark.parametrize("keep", [0, 3, 100])
def test_rows_beyond_the_kept_ones_are_read_again_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: int
) -> None:
    """Pass 2 takes the validated input kept from pass 1 (all of it when the merge is small)
    and reads the rows beyond the cap again: the files and the report do not change."""
    from letterkit.merge import run

    source = write_csv(tmp_path, rows_with_failures(11))
    reference = merge(source, base=BASE, out_dir=tmp_path / "reference", fmt="txt")
    monkeypatch.setattr(run, "KEEP_VALIDATED", keep)
    report = merge(source, base=BASE, out_dir=tmp_path / f"keep{keep}", fmt="txt")
    assert report.to_csv() == reference.to_csv()
    written = {p.name: p.read_bytes() for p in (tmp_path / f"keep{keep}").iterdir()}
    assert written == {p.name: p.read_bytes() for p in (tmp_path / "reference").iterdir()}
    assert len(written) == report.count("written") == 8


def test_caches_of_each_rows_values_stay_small_as_the_rows_grow(tmp_path: Path) -> None:
    """A merge of more clients than the caches hold: the caches a row's own values go into
    (its amount, its address lines, its paragraphs) keep at most ``ROW_VALUES`` results,
    and the parts' memo drops what a part that differs in every row remembered, so that
    memory does not grow with the rows (benchmarks/merge.py measures the peak)."""
    from letterkit import locales, model, parts
    from letterkit.lint import letter as lint_letter
    from letterkit.render import docx, fit, typography
    from letterkit.row_caches import ROW_VALUES

    parts._TALLY.clear()  # every part's memo starts its trial with this merge, as in a new process
    parts.clear_memo()
    count = ROW_VALUES + 100
    lines = [HEADER + ";recipient.street;recipient.postal_code;recipient.city"]
    lines += [
        f"de-DE;Kunde {n} GmbH;female;Muster{n};k{n}@example.com;W-{n};31.12.2026;{100 + n},{n % 100:02d};"
        f"Weg {n};80331;München"
        for n in range(count)
    ]
    report = merge(write_csv(tmp_path, lines), base=BASE, out_dir=tmp_path / "out", fmt="docx")
    assert report.count("written") == count
    cached = [
        locales.format_date, locales.format_money, model._damaged_text, fit.width_mm, typography.glue,
        typography.keep_together, typography.keep_footer_parts, docx._glued_block, lint_letter._shape,
    ]  # fmt: skip
    for function in cached:
        assert function.cache_info().maxsize == ROW_VALUES, function
        assert function.cache_info().currsize <= ROW_VALUES, function
    assert parts.remembered() <= parts._RENDERED_LIMIT
    # the reference and the amount differ in every row: no part that prints them keeps them
    assert not any(
        key for memo in parts._RENDERED.values() for key in memo if any("W-5" in repr(value) for value in key)
    )
