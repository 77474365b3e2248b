"""A ``--name`` pattern whose ``{row}`` format is not one for a row number, or that is
wider than a file name can be, is refused with the option named, before any row is read;
a pattern whose own text is too long is cut to a name as any long name is (tester10:
``{row:s}``, ``{row:.2}`` and a 200-character prefix gave tracebacks, and
``{row:09999999999d}`` made the merge take 24 GB of memory until the kernel killed it)."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError
from letterkit.merge.names import check_pattern

ROW = {
    "locale": "de-DE",
    "channel": "email",
    "date": "2026-11-27",
    "end_date": "2027-01-31",
    "sender": {"company": "Zehn GmbH", "name": "Tina Zehn", "email": "tina@zehn.example"},
    "recipient": {"gender": "female", "first_name": "Jördis", "last_name": "Berg", "email": "j@berg.example"},
}


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("{row:s}", "not a format for the row number"),
        ("{row:.2}", "not a format for the row number"),
        ("{row:c}", "not a format for the row number"),
        ("{row:09999999999999999999999d}", "wider than a file name"),
        ("{row:0999999d}", "wider than a file name"),
        ("{row:x>200}", "wider than a file name"),
    ],
)
def test_a_row_format_that_cannot_name_a_file_is_refused(pattern: str, said: str) -> None:
    with pytest.raises(LetterkitError, match="--name") as caught:
        check_pattern(pattern)
    assert said in str(caught.value)
    assert "{row:04d}" in str(caught.value)


@pytest.mark.parametrize("pattern", ["{row:04d}", "{row:x}", "{row:>6}", "{row:_>8}", "{row:,}", "{row}"])
def test_usual_row_formats_are_taken(pattern: str) -> None:
    check_pattern(pattern)


def test_a_huge_width_is_refused_by_merge_before_any_file(tmp_path: Path) -> None:
    with pytest.raises(LetterkitError, match="wider than a file name"):
        letterkit.merge([ROW], out_dir=tmp_path / "out", fmt="eml", name="{row:09999999999d}")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_long_literal_with_only_the_row_is_cut_to_a_name(tmp_path: Path) -> None:
    pattern = "x" * 200 + "-{row}"
    report = letterkit.merge(
        [ROW, dict(ROW, contract={"reference": "R-2"})], out_dir=tmp_path, fmt="eml", name=pattern
    )
    assert report.ok
    names = sorted(p.name for p in tmp_path.glob("*.eml"))
    assert len(names) == 2
    assert all(n.startswith("x" * 100) for n in names)
    assert all(len(n.encode("utf-8")) < 255 for n in names)  # a file system's limit of a name
