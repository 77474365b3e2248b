"""A data frame handed to merge() as an ops script has it (tester7): a pandas DataFrame
iterates over its column names, so each column became a failed row ("expected a mapping
of keys, got str"), and the rows of ``df.itertuples()``, whose dotted column names are
renamed _1, _2, …, were told to pass ``row._asdict()``, which gives those names. Both
say to pass the records (``df.to_dict("records")``). The stand-ins behave as pandas'
objects do as far as merge() can tell, so the tests need no pandas."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import letterkit
from letterkit.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"
COLUMNS = ["locale", "channel", "recipient.company", "recipient.email", "end_date"]
VALUES = ["de-DE", "email", "A GmbH", "a@example.com", "2026-12-31"]


class DataFrame:
    """pandas.DataFrame as merge() sees it: iterating it gives the column names."""

    columns = COLUMNS

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def to_dict(self, orient: str) -> list[dict[str, Any]]:
        return [dict(zip(COLUMNS, VALUES, strict=True))]


def test_a_data_frame_is_a_usage_error_that_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r'df\.to_dict\("records"\)'):
        letterkit.merge(DataFrame(), base=BASE, out_dir=tmp_path / "out", fmt="eml")
    assert not (tmp_path / "out").exists()


def test_its_records_are_merged(tmp_path: Path) -> None:
    report = letterkit.merge(DataFrame().to_dict("records"), base=BASE, out_dir=tmp_path / "out", fmt="eml")
    assert [r.status for r in report.results] == ["written"]


def test_a_row_of_itertuples_with_renamed_columns_is_told_to_pass_the_records(tmp_path: Path) -> None:
    Pandas = namedtuple("Pandas", ["Index", *COLUMNS], rename=True)  # as df.itertuples() names them
    report = letterkit.merge([Pandas(0, *VALUES)], base=BASE, out_dir=tmp_path / "out", fmt="eml")
    (row,) = report.results
    assert row.status == "failed"
    assert 'df.to_dict("records")' in row.problems[0] and "_asdict" not in row.problems[0], row.problems
