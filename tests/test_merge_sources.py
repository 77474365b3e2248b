"""Reading merge sources: quotes, row numbers, encodings, Excel's sep= line, blank rows,
headers as written and --columns mapping files. Every input is built here in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import SourceError
from letterkit.merge import csv_rows as csv_rows_module
from letterkit.merge import merge
from letterkit.merge import sources as sources_module
from letterkit.merge.sources import read_mapping, read_rows

BASE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "samples" / "merge" / "base.yaml").read_text("utf-8")
)
HEADER = "locale;recipient.last_name;recipient.gender;end_date"


def write(tmp_path: Path, text: str, name: str = "clients.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def check(path: Path, **options: object) -> dict[int, tuple[str, list[str]]]:
    """Row number → (status, problems) of a --check merge."""
    report = merge(path, base=BASE, check=True, **options)  # type: ignore[arg-type]
    return {r.row: (r.status, r.problems) for r in report.results}


def last_names(path: Path) -> dict[int, str]:
    return {row.number: row.data["recipient"]["last_name"] for row in read_rows(path) if not row.error}


# --- 1. a quote never closed --------------------------------------------------------


def test_an_unclosed_quote_fails_its_row_and_the_rows_after_it_are_still_read(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER}\r\n"
        'de-DE;"Unclosed;male;2026-12-31\r\n'
        "de-DE;Next;male;2026-12-31\r\n"
        "de-DE;Third;male;2026-12-31\r\n",
    )
    outcome = check(path)
    assert sorted(outcome) == [2, 3, 4]
    assert outcome[2][0] == "failed" and "opened in this row is never closed" in outcome[2][1][0]
    assert outcome[3][0] == outcome[4][0] == "valid"
    assert last_names(path) == {3: "Next", 4: "Third"}


def test_an_unclosed_quote_in_the_last_row_and_after_a_sep_line(tmp_path):
    path = write(tmp_path, f'sep=;\n{HEADER}\nde-DE;Eins;male;2026-12-31\nde-DE;Zwei;male;"2026-12-31')
    outcome = check(path)
    assert outcome[2][0] == "valid"
    assert outcome[3][0] == "failed" and "never closed" in outcome[3][1][0]
    assert sorted(outcome) == [2, 3]


def test_an_unclosed_quote_in_the_header_fails_the_file(tmp_path):
    path = write(tmp_path, 'locale;"recipient.last_name;recipient.gender\nde-DE;X;male\n')
    with pytest.raises(SourceError, match="the header, opens a quote that is never closed"):
        list(read_rows(path))


def test_a_row_joined_over_several_lines_by_a_stray_quote_names_those_lines(tmp_path):
    path = write(
        tmp_path,
        f'{HEADER}\nde-DE;"Stray;male;2026-12-31\nde-DE;Lost;male;2026-12-31\nde-DE;Closes";male;2026-12-31\n',
    )
    outcome = check(path)
    assert list(outcome) == [2]
    assert "runs over lines 2–4 of the file: a quote" in outcome[2][1][0]


# --- 2. row numbers: as a spreadsheet shows them ---------------------------------------


def test_a_cell_with_line_breaks_is_one_row(tmp_path):
    path = write(
        tmp_path,
        "locale,recipient.last_name,recipient.gender,recipient.street,end_date\n"
        'de-DE,Erste,male,"Hinterhaus\nHauptstr. 1",2026-12-31\n'
        "\n"
        "de-XX,Zweite,male,Weg 2,2026-12-31\n"
        'de-DE,Dritte,"ma\nle",Weg 3,2026-12-31\n'
        "de-DE,Vierte,male,Weg 4,2026-12-31\n",
    )
    outcome = check(path)
    assert sorted(outcome) == [2, 4, 5, 6]  # row 3 is blank: no record, but a row in Excel
    assert "'de-XX' is not allowed" in " ".join(outcome[4][1])
    assert outcome[6][0] == "valid"


def test_csv_and_xlsx_number_the_same_records_alike(tmp_path):
    from openpyxl import Workbook

    records = [
        ["de-DE", "Erste", "male", "2026-12-31"],
        [None, "  ", None, None],
        ["de-DE", "Zweite", "w", "2026-12-31"],
    ]
    book = Workbook()
    book.active.append([None])  # a blank row above the header
    book.active.append(HEADER.split(";"))
    for record in records:
        book.active.append(record)
    book.save(tmp_path / "clients.xlsx")
    lines = ["", HEADER] + [";".join(cell or "" for cell in record) for record in records]
    csv_path = write(tmp_path, "\n".join(lines) + "\n")
    assert sorted(check(tmp_path / "clients.xlsx")) == sorted(check(csv_path)) == [3, 5]


# --- 3. encodings --------------------------------------------------------------------


def test_a_file_mixing_utf8_and_windows_1252_lines_is_decoded_line_by_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        f"{HEADER}\r\n".encode()
        + "de-DE;Müller;male;2026-12-31\r\n".encode()
        + "de-DE;Weiß;male;2026-12-31\r\n".encode("cp1252")
        + "de-DE;Jürgens;male;2026-12-31\r\n".encode()
    )
    assert last_names(path) == {2: "Müller", 3: "Weiß", 4: "Jürgens"}


def test_a_windows_1252_line_far_down_a_utf8_file(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_rows_module, "_BLOCK", 64)  # as if the file were megabytes long
    rows = "".join(f"de-DE;Name{i};male;2026-12-31\n" for i in range(10))
    path = tmp_path / "late.csv"
    path.write_bytes(f"{HEADER}\n{rows}".encode() + "de-DE;Weiß;male;2026-12-31\n".encode("cp1252"))
    assert last_names(path)[12] == "Weiß"
    only_ascii_then_1252 = tmp_path / "ascii-head.csv"
    only_ascii_then_1252.write_bytes(path.read_bytes())
    assert sources_module.csv_encoding(only_ascii_then_1252) == "cp1252"
    path.write_bytes(path.read_bytes() + "de-DE;Müller;male;2026-12-31\n".encode())
    assert sources_module.csv_encoding(path) == "mixed"
    assert last_names(path)[13] == "Müller"


def test_a_byte_that_is_neither_utf8_nor_windows_1252_fails_the_file_with_its_line(tmp_path):
    path = tmp_path / "cp850.csv"
    path.write_bytes(f"{HEADER}\n".encode() + "de-DE;Müller;male;2026-12-31\n".encode("cp850"))
    with pytest.raises(SourceError, match=r"cp850.csv:2: is neither UTF-8 nor Windows-1252 \(byte 0x81\)"):
        list(read_rows(path))


# --- 4. Excel's sep= line ------------------------------------------------------------


@pytest.mark.parametrize("sep", [";", "|", "\t"])
def test_the_sep_line_sets_the_delimiter_and_is_no_row(tmp_path, sep):
    header = HEADER.replace(";", sep)
    path = write(tmp_path, f"sep={sep}\r\n{header}\r\nde-DE{sep}Sep, Komma{sep}male{sep}31.12.2026\r\n")
    assert last_names(path) == {2: "Sep, Komma"}


def test_the_sep_line_after_a_utf8_bom(tmp_path):
    path = write(tmp_path, f"\ufeffsep=,\n{HEADER.replace(';', ',')}\nde-DE,Bom,male,2026-12-31\n")
    assert last_names(path) == {2: "Bom"}


# --- 5. blank rows -------------------------------------------------------------------


def test_whitespace_only_rows_are_blank_in_xlsx_and_csv_but_a_zero_is_content(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(["de-DE", "Eins", "male", "2026-12-31"])
    sheet.append([None, "  ", None, None])
    sheet.append(["\t", None, " \u00a0", ""])
    sheet.append([None, 0, None, None])
    book.save(tmp_path / "blank.xlsx")
    outcome = check(tmp_path / "blank.xlsx")
    assert sorted(outcome) == [2, 5] and outcome[5][0] == "failed"
    path = write(tmp_path, f"{HEADER}\nde-DE;Eins;male;2026-12-31\n ; ;\t;\n;;;\n;0;;\n")
    assert sorted(check(path)) == [2, 5]


# --- 6. headers as written, columns without a header ------------------------------------


def test_a_merged_header_cell_is_named_as_written(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Kunde", None, "recipient.gender", "end_date", "locale"])
    book.active.append(["Vor", "Nach", "male", "31.12.2026", "de-DE"])
    book.active.merge_cells("A1:B1")
    book.save(tmp_path / "merged.xlsx")
    with pytest.raises(SourceError, match="'Kunde' is merged over columns A–B"):
        list(read_rows(tmp_path / "merged.xlsx"))


def test_unknown_columns_are_quoted_as_written_and_a_missing_header_is_named(tmp_path):
    path = write(tmp_path, "Kunde;;recipient.gender;end_date;locale\nVor;Nach;male;31.12.2026;de-DE\n")
    with pytest.raises(SourceError) as info:
        list(read_rows(path))
    assert "unknown column(s) 'Kunde'" in str(info.value)
    assert "column(s) B have no header" in str(info.value)


def test_a_value_in_a_column_without_header_fails_its_row(tmp_path):
    path = write(tmp_path, f"{HEADER};\nde-DE;Leer;male;2026-12-31;\nde-DE;Voll;male;2026-12-31;Notiz\n")
    outcome = check(path)
    assert outcome[2][0] == "valid"
    assert outcome[3] == (
        "failed",
        [
            "column E has no header, but this row has 'Notiz' in it; give the column a header "
            "(an input key such as recipient.last_name) or delete the value"
        ],
    )
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER.split(";"))
    book.active.append(["de-DE", "Voll", "male", "2026-12-31", None, "Notiz"])
    book.save(tmp_path / "wide.xlsx")
    assert "column F has no header" in check(tmp_path / "wide.xlsx")[2][1][0]


def test_a_streamed_workbook_with_a_wrong_saved_size_loses_no_value(tmp_path, monkeypatch):
    import re
    import zipfile

    from openpyxl import Workbook

    from letterkit.merge import xlsx

    book = Workbook()
    book.active.append(HEADER.split(";"))
    book.active.append(["de-DE", "Voll", "male", "2026-12-31", None, "Notiz"])
    book.save(tmp_path / "saved.xlsx")
    with zipfile.ZipFile(tmp_path / "saved.xlsx") as saved:
        parts = {name: saved.read(name) for name in saved.namelist()}
    sheet = "xl/worksheets/sheet1.xml"  # as some exporters write it: the size of the header only
    parts[sheet] = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:D2"', parts[sheet])
    with zipfile.ZipFile(tmp_path / "small.xlsx", "w") as small:
        for name, data in parts.items():
            small.writestr(name, data)
    monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)
    assert "column F has no header, but this row has 'Notiz'" in check(tmp_path / "small.xlsx")[2][1][0]


# --- 7. --columns mapping files ------------------------------------------------------


GERMAN = "Sprache;Nachname;Anrede;Vertragsende;Notiz\nde-DE;Meier;female;31.12.2026;intern\n"


def test_a_wrong_target_is_reported_against_the_mapping_file_and_its_line(tmp_path):
    mapping = write(tmp_path, "Sprache: locale\nNachname: recipient.lastname\nAnrede: 5\n", "map.yaml")
    with pytest.raises(SourceError) as info:
        read_mapping(mapping)
    message = str(info.value)
    assert message.startswith(f"{mapping}:2: Nachname: 'recipient.lastname' is not an input key")
    assert "(did you mean 'recipient.last_name'?)" in message and "Anrede: 5 is not an input key" in message


def test_a_misspelt_mapping_entry_is_reported_against_the_mapping_file(tmp_path):
    data = write(tmp_path, GERMAN)
    mapping = write(
        tmp_path,
        "Sprache: locale\nNachnahme: recipient.last_name\nAnrede: recipient.gender\n"
        "Vertragsende: end_date\nNotiz: null\n",
        "map.yaml",
    )
    with pytest.raises(SourceError) as info:
        check(data, columns=read_mapping(mapping))
    assert str(info.value).startswith(f"{mapping}:2: the entry 'Nachnahme' matches no column")
    assert "(did you mean 'Nachname'?)" in str(info.value)


@pytest.mark.parametrize("ignore", ["null", '""', "~"])
def test_null_or_empty_ignores_a_column_from_the_cli(tmp_path, ignore):
    data = write(tmp_path, GERMAN)
    mapping = write(
        tmp_path,
        "Sprache: locale\nNachname: recipient.last_name\nAnrede: recipient.gender\n"
        f"Vertragsende: end_date\nNotiz: {ignore}\n",
        "map.yaml",
    )
    base = write(tmp_path, yaml.safe_dump(BASE, allow_unicode=True), "base.yaml")
    result = CliRunner().invoke(
        main, ["merge", str(data), "--base", str(base), "--columns", str(mapping), "--check"]
    )
    assert result.exit_code == 0, result.output
    assert "1 row(s) valid, 0 failed." in result.output
    assert "Notiz" not in str(next(read_rows(data, mapping=read_mapping(mapping))).data)


def test_a_python_mapping_is_checked_too(tmp_path):
    data = write(tmp_path, GERMAN)
    with pytest.raises(SourceError, match="Notiz: 'notes' is not an input key"):
        check(data, columns={"Notiz": "notes"})


def test_the_encoding_check_of_a_large_file_takes_little_memory(tmp_path):
    """The whole file is checked, block by block: a file of megabytes is never held at once,
    and the blocks are small (the peak of a --check is flat as the file grows)."""
    import tracemalloc

    rows = "".join(f"de-DE;Müller{i};male;2026-12-31\n" for i in range(120_000))
    path = tmp_path / "large.csv"
    path.write_bytes(f"{HEADER}\n{rows}".encode())
    assert path.stat().st_size > 3_000_000
    tracemalloc.start()
    try:
        assert sources_module.csv_encoding(path) == "utf-8-sig"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_500_000
