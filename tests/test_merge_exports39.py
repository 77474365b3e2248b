"""Tester 39: exports from databases and Excel tables. A database's NULL (\\N, None, nan ...)
is read as an empty cell, with a warning, never printed into a letter; an Excel table's
totals row ("Ergebnis") is named as what it is; a warning a row has twice names it once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main

BASE = (
    "sender:\n  company: Muster GmbH\n  name: Erika Muster\n  street: Hauptstr. 1\n"
    "  postal_code: '10115'\n  city: Berlin\n"
)
HEADER = "locale;recipient.title;recipient.first_name;recipient.last_name;recipient.company;reason_note;end_date;contract.name\n"


def run(tmp_path: Path, rows: str) -> tuple[object, Path]:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    data = tmp_path / "db.csv"
    data.write_text(HEADER + rows, encoding="utf-8")
    out = tmp_path / "out"
    args = ["merge", str(data), "--base", str(tmp_path / "base.yaml"), "-o", str(out), "--format", "txt"]
    return CliRunner().invoke(main, args), out


@pytest.mark.parametrize("null", ["NULL", "\\N", "None", "nan", "(null)", "null"])
def test_a_database_null_is_an_empty_cell_and_is_said(tmp_path, null):
    result, out = run(tmp_path, f"de-DE;{null};Anna;Schneider;{null};{null};31.12.2026;{null}\n")
    assert result.exit_code == 0, result.output
    letter = (out / "0002-Schneider.txt").read_text(encoding="utf-8")
    assert null not in letter
    assert "\n\nAnna Schneider\n\n" in letter  # the address block: no title, no company
    # one notice for the row's cells with the same mark, not one per cell
    said = "warning: recipient.title, recipient.company, reason_note, contract.name: "
    assert f"row 2 (0002-Schneider.txt): {said}'{null}' read as empty cells" in result.output


def test_a_real_name_is_not_taken_for_a_null(tmp_path):
    result, out = run(tmp_path, "de-DE;;Nan;Nulla;;;31.12.2026;Wartung\n")
    assert result.exit_code == 0, result.output
    assert "Nulla" in (out / "0002-Nulla.txt").read_text(encoding="utf-8")
    assert "read as an empty cell" not in result.output


def test_an_excel_tables_ergebnis_row_is_named_as_the_total_row(tmp_path):
    result, _ = run(tmp_path, "de-DE;;Anna;Schneider;;;31.12.2026;Wartung\nErgebnis;;;;;;;\n")
    assert result.exit_code == 1
    assert "looks like the list's total row ('Ergebnis'" in result.output


def test_a_problem_found_twice_in_a_row_is_said_once(tmp_path):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    data = tmp_path / "caps.csv"
    data.write_text(
        "locale;recipient.first_name;recipient.last_name;reason_note;end_date;contract.name\n"
        "de-DE;Anna;Schneider;Die WARTUNG endet.;31.12.2026;WARTUNG\n",
        encoding="utf-8",
    )
    args = ["merge", str(data), "--base", str(tmp_path / "base.yaml"), "-o", str(tmp_path / "out"), "--format", "txt"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.count("row 2: reason_note: ALL-CAPS words read as shouting") == 1, result.output


def test_a_street_cell_over_two_lines_is_split_the_right_way_round():
    """Tester 39: "Nebenweg 2⏎Hinterhaus" was told address_extra: 'Nebenweg 2', street: 'Hinterhaus'."""
    from letterkit.model import _extra_line_hint

    assert "(recipient.street: 'Nebenweg 2', recipient.address_extra: 'Hinterhaus')" in _extra_line_hint(
        "recipient.street", "Nebenweg 2\nHinterhaus"
    )
    assert "(recipient.street: '12 High Street', recipient.address_extra: 'Flat 3')" in _extra_line_hint(
        "recipient.street", "12 High Street\nFlat 3"
    )
    assert "(recipient.address_extra: 'c/o Buchhaltung', recipient.street: 'Lindenallee 4')" in _extra_line_hint(
        "recipient.street", "c/o Buchhaltung\nLindenallee 4"
    )


@pytest.mark.parametrize(
    "written, told",
    [
        ("31.12.26", "'31.12.26' has a two-digit year, which could be 1926 or 2026; write the year in full (31.12.2026)"),
        ("2026-12-31 00:00:00+01:00", "is a moment with a time zone, not a day; write the day (2026-12-31)"),
    ],
)
def test_a_two_digit_year_and_a_time_zone_are_named(tmp_path, written, told):
    result, _ = run(tmp_path, f"de-DE;;Anna;Schneider;;;{written};Wartung\n")
    assert result.exit_code == 1
    assert f"row 2: end_date: {told}" in result.output or told in result.output, result.output


def test_a_list_on_standard_input_is_told_to_go_in_a_file(tmp_path):
    """Tester 39: `merge -` and `merge /dev/stdin` said "no such file; check the path"."""
    result = CliRunner().invoke(main, ["merge", "-", "-o", str(tmp_path / "out"), "--check"], input="a;b\n1;2\n")
    assert result.exit_code != 0
    assert "standard input: is not a file: merge reads the list from a file" in result.output
    assert "no such file" not in result.output


def test_empty_cells_after_the_last_column_are_no_ragged_row(tmp_path):
    """Tester 39: a row ending "…;31.12.2026;;" (a spreadsheet's empty cells) was refused."""
    result, out = run(tmp_path, "de-DE;;Anna;Schneider;;;31.12.2026;Wartung;;\n")
    assert result.exit_code == 0, result.output
    assert (out / "0002-Schneider.txt").is_file()
    ragged, _ = run(tmp_path, "de-DE;;Eva;Roth;;;31.12.2026;Wartung;;x\n")
    assert ragged.exit_code == 1
