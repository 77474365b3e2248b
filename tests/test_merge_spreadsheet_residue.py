"""A spreadsheet's formulas and error values exported as text ("=1+1", "@SUM(A1)",
"=SVERWEIS(…)", "#NV", "#BEZUG!") fail their row with what they are and the fix; they
passed --check and were printed into the letter ("Sehr geehrter Herr =1+1,"; tester 28)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import test_merge_review27 as review

from letterkit.merge import merge
from letterkit.values import spreadsheet_residue

FORMULA = "is a spreadsheet formula, not its result"
ERROR = "is a spreadsheet's error value, not data"


def _csv(tmp_path: Path, last_names: list[str], amount: str = "1.190,00") -> Path:
    path = tmp_path / "list.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(review.HEADER)
        for last in last_names:
            row = review._client("Max", last, amount)
            writer.writerow(row)
    return path


@pytest.mark.parametrize(
    "name, kind",
    [
        ("=1+1", FORMULA),
        ("@SUM(A1)", FORMULA),
        ("=SVERWEIS(A2;Kunden!A:B;2;FALSCH)", FORMULA),
        ("#NV", ERROR),
        ("#BEZUG!", ERROR),
        ("#N/A", ERROR),
    ],
)
def test_a_formula_or_error_value_as_a_name_fails_its_row(tmp_path: Path, name: str, kind: str) -> None:
    report = merge(_csv(tmp_path, ["Muster", name]), base=review.BASE, check=True, columns=review.MAPPING)
    first, second = report.results
    assert first.status == "valid"
    assert second.status == "failed"
    assert any(p.startswith(f"recipient.last_name: '{name}' {kind}") for p in second.problems), second.problems


def test_a_formula_as_an_amount_says_it_is_a_formula(tmp_path: Path) -> None:
    report = merge(
        _csv(tmp_path, ["Muster"], amount="=SUMME(L2:L20)"), base=review.BASE, check=True, columns=review.MAPPING
    )
    (row,) = report.results
    assert row.status == "failed"
    assert any(f"'=SUMME(L2:L20)' {FORMULA}" in p for p in row.problems), row.problems


@pytest.mark.parametrize("value", ["Müller", "O'Neil", "#1 Bakery", "+49 30 1234567", "Meyer-Lansky", "-"])
def test_values_that_only_look_alike_are_data(value: str) -> None:
    assert spreadsheet_residue(value) is None
