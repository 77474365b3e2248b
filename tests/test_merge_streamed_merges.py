"""A workbook large enough to be streamed (over 15 MB, read with openpyxl's read-only
mode, which keeps no merged ranges) reads its merged cells as a small one does: the sheet's
XML names the ranges, their top-left values fill the rows below with a notice, a range
across columns and a value hidden under a range fail their row. Before, a streamed
workbook left the rows under a merged company or amount empty, without a word. The
review-27 tests of merged cells run here again with every workbook streamed."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_merge_review27 as review

from letterkit.merge import xlsx


@pytest.fixture(autouse=True)
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)


@pytest.mark.parametrize(
    "case",
    [
        review.test_a_value_merged_across_columns_fails_its_row_with_the_range_and_the_fix,
        review.test_a_value_merged_down_rows_fills_them_each_with_a_notice,
        review.test_a_value_hidden_under_merged_cells_fails_its_row,
        review.test_a_column_the_mapping_leaves_out_is_no_field_of_a_merged_range,
    ],
    ids=lambda case: case.__name__.removeprefix("test_"),
)
def test_merged_cells_of_a_streamed_workbook(case, tmp_path: Path) -> None:
    case(tmp_path)


def test_a_streamed_workbook_reads_merged_ranges_from_its_xml(tmp_path: Path) -> None:
    path = review._workbook(
        tmp_path,
        [review._client("Eva", "Erste", 1190), review._client("Max", "Zweite", None)],
        merged=["I2:I3"],
    )
    found = review._outcome(path)
    assert found[3] == (
        "valid",
        ["'Betrag' comes from the merged cells I2:I3 (row 2's value): check that it is this client's"],
    )
    rows = list(xlsx.xlsx_rows(path, None))
    assert rows[2][2][8] == 1190  # the amount of row 3 is row 2's, filled from the merged range
