"""Reading merge sources, acceptance round 24: tracebacks on bad files (encodings, broken
workbooks, an overlong CSV cell, deep nesting), keys given twice in a record, numbers
Excel wrote in exponent form, title rows above the header (--header-row), sheets with
formatted empty rows, the Mac Roman guess, the report's delimiter and the README's API
table. Every input is built here in tmp_path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.errors import LetterkitError, SourceError
from letterkit.merge import merge
from letterkit.merge.sources import read_rows

ROOT = Path(__file__).resolve().parent.parent
BASE_FILE = str(ROOT / "samples" / "merge" / "base.yaml")
BASE = yaml.safe_load(Path(BASE_FILE).read_text("utf-8"))
RECORD = {
    "locale": "en-GB",
    "channel": "email",
    "recipient": {"company": "Eps Ltd", "gender": "male", "last_name": "Eps", "email": "ed@eps.example"},
    "end_date": "2026-12-31",
}


def outcome(path: Path, **options: object) -> dict[int, tuple[str, list[str]]]:
    """Row number → (status, problems) of a --check merge."""
    report = merge(path, base=BASE, check=True, **options)  # type: ignore[arg-type]
    return {r.row: (r.status, r.problems) for r in report.results}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["merge", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# --- README -------------------------------------------------------------------------


def test_every_api_call_in_the_readme_table_resolves() -> None:
    """The side-by-side table's Python column: each ``letterkit.a.b(`` resolves from
    ``import letterkit`` and each ``from x import y`` imports."""
    import importlib

    table = [line for line in (ROOT / "README.md").read_text("utf-8").splitlines() if line.startswith("| ")]
    python = " ".join(line.rsplit("|", 2)[-2] for line in table)
    for chain in re.findall(r"\bletterkit((?:\.\w+)+)\(", python):
        target: object = letterkit
        for name in chain.strip(".").split("."):
            assert hasattr(target, name), f"letterkit{chain} in the README's table does not resolve"
            target = getattr(target, name)
    for module, name in re.findall(r"from ([\w.]+) import (\w+)", python):
        assert hasattr(importlib.import_module(module), name)


# --- 1. tracebacks: encodings, broken workbooks, an overlong cell, deep nesting -----------


def test_windows_1252_json_and_yaml_lists_are_refused_with_the_line(tmp_path: Path) -> None:
    data = [{**RECORD, "recipient": {**RECORD["recipient"], "company": "Bäckerei Weiß"}}]
    (tmp_path / "list.json").write_bytes(json.dumps(data, ensure_ascii=False).encode("cp1252"))
    (tmp_path / "list.yaml").write_bytes(yaml.safe_dump(data, allow_unicode=True).encode("cp1252"))
    for name, line in (("list.json", 1), ("list.yaml", 5)):
        with pytest.raises(SourceError, match="is not UTF-8 text; save it as UTF-8") as caught:
            list(read_rows(tmp_path / name))
        assert caught.value.line == line
        code, output = run(str(tmp_path / name), "--check")
        assert code == 1 and f"{name}:{line}: is not UTF-8 text" in output and "Traceback" not in output


def test_a_windows_1252_jsonl_line_fails_its_row_and_the_others_are_read(tmp_path: Path) -> None:
    lines = [json.dumps(RECORD), json.dumps({**RECORD, "reason_note": "Schließung"}, ensure_ascii=False)]
    (tmp_path / "list.jsonl").write_bytes(lines[0].encode() + b"\n" + lines[1].encode("cp1252") + b"\r\n")
    result = outcome(tmp_path / "list.jsonl")
    assert result[1][0] == "valid"
    assert result[2][0] == "failed" and "is not UTF-8 text (byte 0xDF at column" in result[2][1][0]


def test_a_jsonl_file_with_cr_line_ends_keeps_its_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "list.jsonl").write_bytes(b"\r".join([json.dumps(RECORD).encode(), b"", b"{"]) + b"\r")
    assert [(n, s) for n, (s, _) in outcome(tmp_path / "list.jsonl").items()] == [(1, "valid"), (3, "failed")]


def test_lists_nested_too_deeply_are_refused_not_a_crash(tmp_path: Path) -> None:
    """Run apart, as the YAML case below: the 100,000 levels of the partly built lists are
    freed at a depth where pytest's own hooks ran out of stack now and then, which failed
    the test in a full run though letterkit's answer was right (lintfix30's runs)."""
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "deep.jsonl").write_text(json.dumps(RECORD) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n")
    script = (
        "import sys\nfrom pathlib import Path\nfrom letterkit.errors import SourceError\n"
        "from letterkit.merge import merge, read_rows\nfrom letterkit.cli import main\n"
        "folder = Path(sys.argv[1])\n"
        "try:\n    list(read_rows(folder / 'deep.json'))\nexcept SourceError as exc:\n    print('json:', exc)\n"
        "report = merge(folder / 'deep.jsonl', base=sys.argv[2], check=True)\n"
        "for r in report.results:\n    print('jsonl row', r.row, r.status, r.problems[:1])\n"
        "try: main(['generate', str(folder / 'deep.json')])\n"
        "except SystemExit as exc: print('generate exit', exc.code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), BASE_FILE],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-500:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("json:") and "nested hundreds of levels deep" in lines[0]
    assert lines[1].startswith("jsonl row 1 valid")
    assert lines[2].startswith("jsonl row 2 failed") and "nested hundreds of levels deep" in lines[2]
    assert lines[-1] == "generate exit 1" and "nested hundreds of levels deep" in done.stderr


@pytest.mark.parametrize("text", ["[" * 50_000 + "]" * 50_000, "- " * 50_000 + "x"], ids=["flow", "block"])
def test_yaml_nested_too_deeply_is_refused_not_a_segmentation_fault(tmp_path: Path, text: str) -> None:
    """libyaml's composer recursed in C and crashed the interpreter; run apart, so that a
    crash fails this test and not the whole run."""
    (tmp_path / "deep.yaml").write_text(text)
    (tmp_path / "input.yaml").write_text("locale:" + (" " if text[0] == "[" else "\n") + text)
    script = (
        "import sys\nfrom letterkit.cli import main\n"
        "for args in (['merge', sys.argv[1], '--check'], ['generate', sys.argv[2]]):\n"
        "    try: main(args)\n    except SystemExit as exc: print('exit', exc.code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "deep.yaml"), str(tmp_path / "input.yaml")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.count("exit 1") == 2 and done.stderr.count("nested hundreds of levels deep") == 2


def _workbook(tmp_path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["locale", "channel", "recipient.company", "recipient.email", "end_date"])
    book.active.append(["en-GB", "email", "Eps Ltd", "ed@eps.example", "2026-12-31"])
    book.save(tmp_path / "list.xlsx")
    return tmp_path / "list.xlsx"


def test_workbooks_openpyxl_cannot_open_are_named_for_what_they_are(tmp_path: Path) -> None:
    good = _workbook(tmp_path).read_bytes()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    files = {
        "encrypted.xlsx": (
            ole + "EncryptedInfo EncryptedPackage".encode("utf-16-le"),
            "is encrypted (saved with a password)",
        ),
        "old.xlsx": (ole, "is an old Excel 97–2003 workbook (.xls)"),
        "cut.xlsx": (good[: len(good) // 2], "is damaged: it is not a complete Excel workbook"),
        "text.xlsx": (b"locale;channel\nde-DE;email\n", "is not an Excel workbook (.xlsx)"),
    }
    import zipfile

    with zipfile.ZipFile(tmp_path / "doc.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    for name, (data, _) in files.items():
        (tmp_path / name).write_bytes(data)
    for name, message in [*((n, m) for n, (_, m) in files.items()), ("doc.xlsx", "is a Word document")]:
        with pytest.raises(SourceError, match=re.escape(message)):
            list(read_rows(tmp_path / name))
        code, output = run(str(tmp_path / name), "--check")
        assert code == 1 and message in output, output


def test_a_csv_cell_over_the_field_size_limit_fails_its_row_by_column(tmp_path: Path) -> None:
    head = "locale;channel;recipient.company;recipient.email;end_date;reason_note\n"
    row = "en-GB;email;Eps Ltd;ed@eps.example;2026-12-31;{}\n"
    path = tmp_path / "list.csv"
    path.write_text(head + row.format("x" * 200_000) + row.format("short").replace("Eps", "Fox"))
    result = outcome(path)
    assert result[2] == (
        "failed",
        [
            "'reason_note' (column F) holds more than 131,072 characters, which no field of a letter needs; shorten it"
        ],
    )
    assert result[3][0] == "valid"
    (tmp_path / "head.csv").write_text("locale;" + "x" * 200_000 + "\n")
    with pytest.raises(
        SourceError, match="row 1, the header, cannot be read: a cell holds more than 131,072"
    ):
        list(read_rows(tmp_path / "head.csv"))


def test_a_quote_never_closed_in_a_large_csv_fails_its_row_only(tmp_path: Path) -> None:
    head = "locale;channel;recipient.company;recipient.email;end_date\n"
    rows = [f"en-GB;email;Firm {i};a{i}@x.example;2026-12-31\n" for i in range(4000)]
    rows[1] = 'en-GB;email;"Firm 1;a1@x.example;2026-12-31\n'
    (tmp_path / "list.csv").write_text(head + "".join(rows))
    result = outcome(tmp_path / "list.csv")
    assert result[3][0] == "failed" and "runs over lines 3–" in result[3][1][0]
    assert len(result) == 4000 and all(status == "valid" for n, (status, _) in result.items() if n != 3)


# --- 2. a key given twice in a record ---------------------------------------------------


def test_a_key_given_twice_in_a_yaml_record_fails_its_row(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text(
        "- locale: en-GB\n  channel: email\n  end_date: 2026-12-31\n"
        "  recipient: {company: Eps Ltd, gender: male, last_name: Eps, email: ed@eps.example}\n"
        "  end_date: 2027-01-31\n"
        "- locale: en-GB\n  channel: email\n  end_date: 2026-12-31\n"
        "  recipient: {company: Fox Ltd, email: a@fox.example, email: b@fox.example}\n"
        "- locale: en-GB\n  channel: email\n  end_date: 2026-12-31\n"
        "  recipient: {company: Gnu Ltd, gender: male, last_name: Gnu, email: g@gnu.example}\n"
    )
    assert outcome(tmp_path / "list.yaml") == {
        1: ("failed", ["the key 'end_date' appears twice (line 5); keep one"]),
        2: ("failed", ["the key 'recipient.email' appears twice (line 9); keep one"]),
        3: ("valid", []),
    }
    code, output = run(
        str(tmp_path / "list.yaml"),
        "-o",
        str(tmp_path / "out"),
        "--base",
        BASE_FILE,
    )
    assert code == 1 and "list.yaml: row 1: the key 'end_date' appears twice (line 5); keep one" in output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["0003-Gnu.eml"]


def test_a_key_given_twice_in_a_json_or_jsonl_record_fails_its_row(tmp_path: Path) -> None:
    twice = json.dumps(RECORD)[:-1] + ', "end_date": "2027-01-31"}'
    inner = json.dumps({**RECORD, "steps_taken": [{"kind": "call", "date": "2026-10-01"}]})
    inner = inner.replace('"kind": "call"', '"kind": "call", "kind": "meeting"')
    (tmp_path / "list.json").write_text(f'{{"rows": [{twice}, {inner}, {json.dumps(RECORD)}]}}')
    (tmp_path / "list.jsonl").write_text(f"{json.dumps(RECORD)}\n{twice}\n{inner}\n")
    expected = [
        ("failed", ["the key 'end_date' appears twice; keep one"]),
        ("failed", ["the key 'steps_taken[0].kind' appears twice; keep one"]),
    ]
    assert list(outcome(tmp_path / "list.json").values()) == [*expected, ("valid", [])]
    assert list(outcome(tmp_path / "list.jsonl").values()) == [("valid", []), *expected]


def test_a_key_the_files_top_level_gives_twice_stops_the_merge(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(f'{{"rows": [], "rows": [{json.dumps(RECORD)}]}}')
    (tmp_path / "list.yaml").write_text("rows: []\nrows:\n- {locale: en-GB}\n")
    for name in ("list.json", "list.yaml"):
        with pytest.raises(SourceError, match="the key 'rows' appears twice; keep one"):
            list(read_rows(tmp_path / name))


# --- 3. numbers Excel wrote in exponent form ---------------------------------------------


def test_a_reference_excel_wrote_in_exponent_form_fails_its_row(tmp_path: Path) -> None:
    head = "locale;channel;recipient.company;recipient.email;end_date;contract.reference;recipient.phone;final_invoice.number;final_invoice.amount\n"
    (tmp_path / "list.csv").write_text(
        head
        + "de-DE;email;A GmbH;a@x.de;31.12.2026;1,23457E+19;4,91511E+12;2,02612E+11;100\n"
        + "de-DE;email;B GmbH;b@x.de;31.12.2026;W-1001;+49 30 1234567;2026-118;1,5E+02\n"
        + "en-GB;email;C Ltd;c@x.example;31.12.2026;1.5E+10;;;\n"
    )
    result = outcome(tmp_path / "list.csv")
    assert result[2] == (
        "failed",
        [
            "contract.reference '1,23457E+19', recipient.phone '4,91511E+12' and final_invoice.number "
            "'2,02612E+11' are numbers Excel wrote in exponent form, so the digits are lost; in Excel, format "
            "the column as Text (or open the CSV with Data > From Text/CSV and set the column to Text), type "
            "the numbers again and save"
        ],
    )
    assert result[3][1] == [  # an amount is no reference: the amount check reads it
        "final_invoice.amount: '1,5E+02' is in exponent notation; write the amount in full, e.g. 1190.00"
    ]
    assert result[4][0] == "failed" and result[4][1][0].startswith("contract.reference '1.5E+10' is a number")


def test_a_workbook_number_in_a_reference_is_its_digits_only_when_exact(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["locale", "channel", "recipient.company", "recipient.email", "end_date", "contract.reference"]
    )
    sheet.append(["en-GB", "email", "A Ltd", "a@a.example", "2026-12-31", 1.234567890123457e18])
    sheet.append(["en-GB", "email", "B Ltd", "b@b.example", "2026-12-31", 1.0])  # an exact integer, below
    sheet.append(["en-GB", "email", "C Ltd", "c@c.example", "2026-12-31", 4915112345678.0])
    book.save(tmp_path / "saved.xlsx")
    import zipfile

    with (
        zipfile.ZipFile(tmp_path / "saved.xlsx") as saved,
        zipfile.ZipFile(tmp_path / "list.xlsx", "w") as out,
    ):
        for item in saved.infolist():
            data = saved.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # openpyxl writes a large int as a float
                data = data.replace(
                    b'<c r="F3" t="n"><v>1</v>', b'<c r="F3" t="n"><v>1234567890123456789</v>'
                )
                assert b"1234567890123456789" in data
            out.writestr(item, data)
    result = outcome(tmp_path / "list.xlsx")
    assert result[2] == (
        "failed",
        [
            "contract.reference (1.234567890123457e+18) holds a number of 16 digits or more, which Excel "
            "keeps to 15 digits, so the last digits are lost; in Excel, format the column as Text, type the "
            "numbers again and save"
        ],
    )
    assert result[3][0] == result[4][0] == "valid"
    references = [
        row.data["contract"]["reference"] for row in read_rows(tmp_path / "list.xlsx") if not row.error
    ]
    assert references == [1234567890123456789, 4915112345678]


# --- 4. a title row above the header ------------------------------------------------------

EXPORT_HEAD = "Kundennr.;Sprache;Firma;Anrede;Nachname;E-Mail;Vertragsende\n"
EXPORT_ROW = "10001;de-DE;Eps GmbH;Herr;Eps;eps@example.de;31.12.2026\n"
EXPORT_MAP = {
    "Kundennr.": None,
    "Sprache": "locale",
    "Firma": "recipient.company",
    "Anrede": "recipient.gender",
    "Nachname": "recipient.last_name",
    "E-Mail": "recipient.email",
    "Vertragsende": "end_date",
}


@pytest.mark.parametrize(
    ("above", "shown"),
    [
        ("Kundenliste Export 26.11.2026\n", "'Kundenliste Export 26.11.2026'"),
        (
            '"EXTF";700;16;"Debitoren/Kreditoren";5;20261126\n',
            "'EXTF', '700', '16', …, a DATEV export's format line",
        ),
    ],
    ids=["title", "datev"],
)
def test_a_title_line_above_a_csv_header_is_named_and_header_row_skips_it(
    tmp_path: Path, above: str, shown: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(above + EXPORT_HEAD + EXPORT_ROW, encoding="cp1252")
    hint = (
        f"row 1 ({shown}) does not look like the header; the header seems to be in row 2 ('Kundennr.', "
        "'Sprache', 'Firma', …): remove the rows above it, or use --header-row 2"
    )
    for mapping in (None, EXPORT_MAP):  # the export's headers, or the mapping's, tell the header row
        with pytest.raises(SourceError) as caught:
            list(read_rows(path, mapping=mapping))
        assert str(caught.value) == f"{path}: {hint}"
    report = merge(path, base=BASE, columns=EXPORT_MAP, header_row=2, check=True)
    assert [(r.row, r.status) for r in report.results] == [(3, "valid")]
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(EXPORT_MAP, allow_unicode=True), encoding="utf-8")
    code, output = run(str(path), "--check", "--base", BASE_FILE)
    assert code == 1 and hint in output
    code, output = run(
        str(path),
        "--check",
        "--header-row",
        "2",
        "--columns",
        str(tmp_path / "map.yaml"),
        "--base",
        BASE_FILE,
    )
    assert code == 0 and "1 row(s) valid" in output


def _titled_workbook(tmp_path: Path, merged: bool) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["CRM-Export Kündigungen – Stand 26.11.2026"])
    if merged:
        sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["locale", "channel", "recipient.company", "recipient.email", "end_date"])
    sheet.append(["en-GB", "email", "Eps Ltd", "ed@eps.example", "2026-12-31"])
    book.save(tmp_path / "crm.xlsx")
    return tmp_path / "crm.xlsx"


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_a_title_row_above_a_sheets_header_is_named_and_header_row_skips_it(
    tmp_path: Path, merged: bool
) -> None:
    path = _titled_workbook(tmp_path, merged)
    with pytest.raises(SourceError) as caught:
        list(read_rows(path))
    assert str(caught.value) == (
        f"{path}: row 1 ('CRM-Export Kündigungen – Stand 26.11.2026') does not look like the header; the "
        "header seems to be in row 3 ('locale', 'channel', 'recipient.company', …): remove the rows above "
        "it, or use --header-row 3"
    )
    assert [(r.number, r.error) for r in read_rows(path, header_row=3)] == [(4, None)]
    code, output = run(str(path), "--check", "--header-row", "3", "--base", BASE_FILE)
    assert code == 0 and "1 row(s) valid" in output


def test_header_row_that_is_blank_missing_or_not_for_the_file_is_an_error(tmp_path: Path) -> None:
    path = _titled_workbook(tmp_path, merged=True)
    with pytest.raises(SourceError, match="row 2 of sheet 'Sheet' is empty, so it is no header row"):
        list(read_rows(path, header_row=2))
    with pytest.raises(SourceError, match="sheet 'Sheet' has no row 9; check --header-row"):
        list(read_rows(path, header_row=9))
    (tmp_path / "list.csv").write_text("Titel\n\n" + EXPORT_HEAD)
    with pytest.raises(SourceError, match="row 2 is empty, so it is no header row"):
        list(read_rows(tmp_path / "list.csv", header_row=2))
    with pytest.raises(SourceError, match="has no row 7"):
        list(read_rows(tmp_path / "list.csv", header_row=7))
    (tmp_path / "list.json").write_text(json.dumps([RECORD]))
    with pytest.raises(
        SourceError, match="--header-row is for CSV files and workbooks; JSON has no header row"
    ):
        list(read_rows(tmp_path / "list.json", header_row=2))
    with pytest.raises(LetterkitError, match="header_row is for a CSV file or a workbook"):
        merge([RECORD], header_row=2, check=True)


def test_a_header_with_one_unknown_column_is_not_taken_for_a_title(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("locale;recipient.company;Bemerkung\nde-DE;Firma;Nachname\n")
    with pytest.raises(SourceError, match="unknown column"):
        list(read_rows(path))


# --- 5. a sheet formatted far below its data ----------------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["loaded", "streamed"])
def test_a_sheet_formatted_down_to_its_last_row_is_read_to_its_last_filled_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    import openpyxl
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

    from letterkit.merge import xlsx

    if stream:
        monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["locale", "channel", "recipient.company", "recipient.email", "end_date", "final_invoice.amount"]
    )
    sheet.append(["en-GB", "email", "Eps Ltd", "ed@eps.example", "2026-12-31", 100])
    sheet.append(["en-GB", "email", "Fox Ltd", "fox@fox.example", "2026-12-31", 200])
    for row in range(4, 3000):  # formatted, empty
        sheet.cell(row, 1).fill = PatternFill("solid", fgColor="FFFF00")
    sheet.cell(1_048_576, 1).fill = PatternFill("solid", fgColor="FFFF00")
    sheet.cell(12, 3).value = "Summe"  # a total after blank rows, without a saved result
    sheet.cell(12, 6).value = "=SUM(F2:F3)"
    book.save(tmp_path / "list.xlsx")
    asked: list[int | None] = []
    iter_rows = Worksheet.iter_rows

    def spy(self: Worksheet, *args: object, **options: object) -> object:
        asked.append(options.get("max_row"))  # type: ignore[arg-type]
        return iter_rows(self, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Worksheet, "iter_rows", spy)
    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", spy)
    result = outcome(tmp_path / "list.xlsx")
    assert list(result) == [2, 3, 12] and result[12][1][0].startswith(
        "'final_invoice.amount' holds the formula"
    )
    assert asked == [12, 12], "the formatted empty rows below row 12 are not read"


@pytest.mark.parametrize("block", [64, 1 << 20])
def test_the_last_filled_row_is_found_across_blocks_and_with_a_namespace_prefix(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    import io

    from letterkit.merge import xlsx

    monkeypatch.setattr(xlsx, "_XML_BLOCK", block)
    cells = "".join(f'<x:c r="A{n}" t="inlineStr"><x:is><x:t>{"v" * 80}</x:t></x:is></x:c>' for n in range(3))
    xml = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        f'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="7">{cells}</x:row>'
        + "".join(f'<x:row r="{n}"><x:c r="A{n}" s="1"/></x:row>' for n in range(8, 60))
        + '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells>'
        "<x:conditionalFormatting><x:cfRule><x:formula>1</x:formula></x:cfRule></x:conditionalFormatting></x:worksheet>"
    ).encode()
    assert xlsx._scan_last_row(io.BytesIO(xml)) == 7
    with pytest.raises(ValueError, match="a row without its number"):
        xlsx._scan_last_row(io.BytesIO(xml.replace(b'<x:row r="7">', b"<x:row>")))


# --- 6. the Mac Roman guess ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "read"),
    [
        ("Müller GmbH", "mac_roman", "mac_roman"),  # one ü: 'MŸller' in Windows-1252
        ("Jürgen", "mac_roman", "mac_roman"),  # 'JŸrgen'
        ("Bäckerei", "mac_roman", "mac_roman"),  # one ä: 'BŠckerei'
        ("Weiß", "mac_roman", "mac_roman"),  # one ß: 'Wei§'
        ("Möller", "mac_roman", "cp1252"),  # one ö alone is 'š', as in a Windows 'Dušan' (below)
        ("Novak;Dušan", "cp1252", "cp1252"),
        ("L'HAŸ-LES-ROSES", "cp1252", "cp1252"),  # a French capital Ÿ
        ("Šimek; § 5", "cp1252", "cp1252"),
    ],
)
def test_one_mac_roman_umlaut_that_windows_text_never_has_is_enough(
    tmp_path: Path, text: str, encoding: str, read: str
) -> None:
    from letterkit.merge.sources import csv_encoding

    path = tmp_path / "list.csv"
    path.write_bytes(f"recipient.last_name;recipient.street\n{text};Weg 1\n".encode(encoding))
    assert csv_encoding(path) == read


def test_a_mac_roman_list_with_one_umlaut_reads_it(tmp_path: Path) -> None:
    head = "locale;recipient.company;end_date;channel;recipient.email\n"
    (tmp_path / "mac.csv").write_bytes(
        (head + "de-DE;Müller GmbH;31.12.2026;email;a@x.de\n").encode("mac_roman")
    )
    assert [row.data["recipient"]["company"] for row in read_rows(tmp_path / "mac.csv")] == ["Müller GmbH"]


# --- 7. the report's delimiter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "delimiter"),
    [
        ("list.csv", "locale;recipient.company;end_date\nde-DE;A GmbH;31.12.2026\n", ";"),
        ("list.csv", "sep=;\nlocale;recipient.company;end_date\nde-DE;A GmbH;31.12.2026\n", ";"),
        ("list.csv", "locale,recipient.company,end_date\nde-DE,A GmbH,31.12.2026\n", ","),
        ("list.tsv", "locale\trecipient.company\tend_date\nde-DE\tA GmbH\t31.12.2026\n", ","),
        ("list.json", json.dumps([{"locale": "de-DE", "recipient": {"company": "A GmbH"}}]), ","),
    ],
    ids=["semicolon", "sep-line", "comma", "tab", "json"],
)
def test_the_report_csv_is_separated_as_the_client_list_was(
    tmp_path: Path, name: str, text: str, delimiter: str
) -> None:
    import csv

    (tmp_path / name).write_text(text, encoding="utf-8")
    code, _ = run(str(tmp_path / name), "--check", "--report", str(tmp_path / "report.csv"))
    assert code == 1  # no sender: the row fails, and the report says why
    written = (tmp_path / "report.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(written.splitlines(), delimiter=delimiter))
    columns = ["row", "status", "file", "problems", "outcome", "send", "send_detail"]
    assert list(rows[0]) == columns and rows[0]["status"] == "failed"
    assert written.splitlines()[0] == delimiter.join(columns)


def test_the_rows_a_merged_cell_fills_below_the_last_value_are_still_read(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "channel", "recipient.company", "recipient.email", "end_date"])
    sheet.append(["en-GB", "email", "Eps Ltd", "ed@eps.example", "2026-12-31"])
    sheet.merge_cells("C2:C4")  # the company's cell over three rows, two of them otherwise empty
    book.save(tmp_path / "list.xlsx")
    assert [(n, status) for n, (status, _) in outcome(tmp_path / "list.xlsx").items()] == [
        (2, "valid"),
        (3, "failed"),
        (4, "failed"),
    ]
