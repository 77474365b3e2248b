"""Findings of an acceptance test (qa1), through the API and the CLI: an existing
--combined file is kept or refused, never silently replaced; an XLSX date with a time of
day is an error as in CSV; a file that is no text is named for what it is; a row the
--name pattern gives no name is named by its number; a row repeating an earlier row is
reported."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_merge import BASE, HEADER, ROWS, write_csv

from letterkit.cli import main
from letterkit.errors import LetterkitError, OutputError, SourceError
from letterkit.merge import merge, produce
from letterkit.merge.names import Namer
from letterkit.merge.sources import read_rows

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
LETTERS = ["de-DE;Beispiel AG;female;Schneider;anna@example.com;W-1;31.12.2026;1.190,00 €", *ROWS[1:]]


def base_file(folder: Path, base: dict | None = None) -> Path:
    path = folder / "base.yaml"
    path.write_text(yaml.safe_dump(base or BASE, allow_unicode=True), encoding="utf-8")
    return path


def letters_csv(tmp_path: Path) -> Path:
    """Three clients that go out as .docx letters (no postal address needed: channel left
    to the format)."""
    return write_csv(tmp_path, [HEADER, *LETTERS])


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# --- finding 1: --combined FILE ------------------------------------------------------


def test_an_existing_file_is_not_replaced_by_the_combined_document(tmp_path: Path) -> None:
    users = tmp_path / "important.docx"
    users.write_bytes((SAMPLES / "letterhead.docx").read_bytes())
    before = users.read_bytes()
    with pytest.raises(OutputError, match=r"important\.docx: already exists .*Move it away.*--force"):
        merge(letters_csv(tmp_path), base=BASE, out_dir=tmp_path / "out", combined=users)
    assert users.read_bytes() == before
    assert not (tmp_path / "out").exists(), "letters were written before the refusal"
    report = merge(letters_csv(tmp_path), base=BASE, out_dir=tmp_path / "out", combined=users, force=True)
    assert report.combined_status == "written" and users.read_bytes() != before


def test_the_cli_refuses_an_existing_combined_file_and_names_it(tmp_path: Path) -> None:
    users = tmp_path / "important.docx"
    users.write_bytes(b"not even a docx")
    code, output = run_cli(
        "merge", letters_csv(tmp_path), "--base", base_file(tmp_path), "-o", tmp_path / "out",
        "--combined", users,
    )  # fmt: skip
    assert code == 1
    assert (
        f"--combined {users}: already exists" in output and "Move it away" in output and "--force" in output
    )
    assert users.read_bytes() == b"not even a docx" and not (tmp_path / "out").exists()


def test_a_plain_rerun_keeps_the_combined_document(tmp_path: Path) -> None:
    combined, out = tmp_path / "all.docx", tmp_path / "out"
    source, base = letters_csv(tmp_path), base_file(tmp_path)
    first = merge(source, base=BASE, out_dir=out, combined=combined)
    assert first.combined_status == "written"
    made = combined.read_bytes()
    stamp = combined.stat().st_mtime_ns
    again = merge(source, base=BASE, out_dir=out, combined=combined)
    assert again.combined_status == "kept" and again.count("exists") == 3
    assert combined.read_bytes() == made and combined.stat().st_mtime_ns == stamp
    code, output = run_cli("merge", source, "--base", base, "-o", out, "--combined", combined)
    assert code == 0 and f"combined: {combined} kept" in output, output
    assert '"combined_status": "kept"' in again.to_json()


def test_a_combined_document_the_user_edited_is_refused_on_a_rerun(tmp_path: Path) -> None:
    import docx

    combined, out, source = tmp_path / "all.docx", tmp_path / "out", letters_csv(tmp_path)
    merge(source, base=BASE, out_dir=out, combined=combined)
    document = docx.Document(str(combined))
    document.add_paragraph("my edits")
    document.save(str(combined))
    edited = combined.read_bytes()
    with pytest.raises(OutputError, match="does not hold the combined document of these letters"):
        merge(source, base=BASE, out_dir=out, combined=combined)
    assert combined.read_bytes() == edited


def test_the_same_combined_document_is_kept_when_the_letters_were_removed(tmp_path: Path) -> None:
    """FILE holds exactly what this run writes, although the single letters are gone (the
    user kept only the combined document): it is kept, the letters are written again."""
    combined, out, source = tmp_path / "all.docx", tmp_path / "out", letters_csv(tmp_path)
    merge(source, base=BASE, out_dir=out, combined=combined)
    made = combined.read_bytes()
    for path in out.iterdir():
        path.unlink()
    report = merge(source, base=BASE, out_dir=out, combined=combined)
    assert report.count("written") == 3 and report.combined_status == "kept"
    assert combined.read_bytes() == made


def test_an_interrupted_run_is_resumed_without_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    combined, out, source = tmp_path / "all.docx", tmp_path / "out", letters_csv(tmp_path)
    real, calls = produce._written, []

    def interrupted(*args):  # Ctrl-C while the second letter is being written
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(produce, "_written", interrupted)
    with pytest.raises(KeyboardInterrupt):
        merge(source, base=BASE, out_dir=out, combined=combined)
    assert len(list(out.iterdir())) == 1 and not combined.exists()
    monkeypatch.undo()
    resumed = merge(source, base=BASE, out_dir=out, combined=combined)
    assert (resumed.count("exists"), resumed.count("written"), resumed.combined_status) == (1, 2, "written")
    whole = merge(source, base=BASE, out_dir=tmp_path / "whole", combined=tmp_path / "whole.docx")
    assert whole.combined_status == "written"
    assert combined.read_bytes() == (tmp_path / "whole.docx").read_bytes()
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "-o", out, "--combined", combined)
    assert code == 0 and "kept" in output


def test_an_earlier_combined_document_is_brought_up_to_date_when_a_fixed_row_is_added(tmp_path: Path) -> None:
    """The earlier run's FILE is the combination of the letters still in the folder: nothing
    is lost by replacing it once the fixed row's letter joins them."""
    combined, out = tmp_path / "all.docx", tmp_path / "out"
    broken = write_csv(tmp_path, [HEADER, LETTERS[0], LETTERS[1].replace(";male;", ";Dr.;"), LETTERS[2]])
    assert merge(broken, base=BASE, out_dir=out, combined=combined).count("failed") == 1
    report = merge(letters_csv(tmp_path), base=BASE, out_dir=out, combined=combined)
    assert report.combined_status == "written" and report.count("written") == 1


def test_the_combined_target_is_checked_before_any_letter_is_written(tmp_path: Path) -> None:
    source = letters_csv(tmp_path)
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        merge(source, base=BASE, out_dir=tmp_path / "out", combined=tmp_path / "folder.docx")
    with pytest.raises(OutputError, match="does not exist; create it first"):
        merge(source, base=BASE, out_dir=tmp_path / "out", combined=tmp_path / "missing" / "all.docx")
    emails = write_csv(tmp_path, ["channel;" + HEADER, *("email;" + row for row in LETTERS)])
    with pytest.raises(LetterkitError, match="no letters to combine"):
        merge(emails, base=BASE, out_dir=tmp_path / "out", combined=tmp_path / "all.docx")
    assert not (tmp_path / "out").exists()


# --- finding 2: an XLSX date with a time of day ----------------------------------------


def workbook(tmp_path: Path, end: object) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER.split(";"))
    book.active.append([*LETTERS[2].split(";")[:6], end, 990])
    path = tmp_path / "clients.xlsx"
    book.save(path)
    return path


def test_an_xlsx_date_with_a_time_of_day_is_an_error_as_in_csv(tmp_path: Path) -> None:
    report = merge(workbook(tmp_path, datetime(2026, 12, 31, 14, 30)), base=BASE, check=True)
    (result,) = report.results
    assert result.status == "failed"
    assert result.problems == [
        "end_date: '2026-12-31 14:30:00' has a time of day; write the date alone, e.g. 2026-12-31"
    ]
    code, output = run_cli("merge", tmp_path / "clients.xlsx", "--base", base_file(tmp_path), "--check")
    assert code == 1 and "clients.xlsx: row 2: end_date: '2026-12-31 14:30:00' has a time of day" in output


def test_an_xlsx_date_at_midnight_is_the_date(tmp_path: Path) -> None:
    report = merge(workbook(tmp_path, datetime(2026, 12, 31)), base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.ok, report.failed
    (letter,) = (tmp_path / "out").iterdir()
    assert "31 December 2026" in letter.read_text(encoding="utf-8")


# --- finding 8: a file that is no text -------------------------------------------------


def renamed_workbook(tmp_path: Path, name: str) -> Path:
    from openpyxl import Workbook

    path = tmp_path / name
    book = Workbook()
    book.active.append(HEADER.split(";"))
    book.save(path)
    return path


NOT_TEXT = {
    "xlsx": "is an Excel workbook (.xlsx), not CSV text; rename it to .xlsx",
    "docx": "is a Word document (.docx), not CSV",
    "binary": "is not a text file (it holds binary data)",
    "utf16": "is UTF-16 text without a byte-order mark; save it as UTF-8",
}


@pytest.mark.parametrize("kind", NOT_TEXT)
def test_a_file_that_is_no_csv_text_is_named_for_what_it_is(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "clients.csv"
    if kind == "xlsx":
        renamed_workbook(tmp_path, path.name)
    elif kind == "docx":
        path.write_bytes((SAMPLES / "letterhead.docx").read_bytes())
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    else:
        path.write_bytes(("\n".join([HEADER, *LETTERS]) + "\n").encode("utf-16-le"))
    says = NOT_TEXT[kind]
    with pytest.raises(SourceError) as raised:
        list(read_rows(path))
    assert says in str(raised.value) and "Windows-1252" not in str(raised.value)
    code, output = run_cli("merge", path, "--base", base_file(tmp_path), "--check")
    assert code == 1 and f"Error: {path}: {says}" in output


def test_a_csv_with_a_stray_control_character_is_still_read_and_the_field_named(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, LETTERS[0].replace("Schneider", "Schnei\x00der"), *LETTERS[1:]])
    report = merge(source, base=BASE, check=True)
    assert [r.status for r in report.results] == ["failed", "valid", "valid"]
    assert "recipient.last_name" in report.results[0].problems[0]


def test_generate_names_a_word_document_or_binary_input_for_what_it_is(tmp_path: Path) -> None:
    code, output = run_cli("generate", SAMPLES / "letterhead.docx")
    assert code == 1 and "is a Word document (.docx), not a YAML or JSON input" in output
    assert "save it as UTF-8" not in output
    binary = tmp_path / "letter.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    code, output = run_cli("generate", binary)
    assert code == 1 and "is not a text file (it holds binary data)" in output
    code, output = run_cli("generate", renamed_workbook(tmp_path, "letter.json"))
    assert code == 1 and "is an Excel workbook (.xlsx), not a YAML or JSON input" in output


def test_the_zip_signature_alone_says_excel_or_word(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(SourceError, match="is a ZIP archive, perhaps an Excel or Word file"):
        list(read_rows(path))


# --- finding 10: a row the --name pattern gives no name ---------------------------------


def test_a_row_without_a_name_is_named_by_its_row_number(tmp_path: Path) -> None:
    company_only = LETTERS[1].replace(";Gruber;", ";;")
    source = write_csv(tmp_path, [HEADER, LETTERS[0], company_only, LETTERS[2]])
    out = tmp_path / "out"
    report = merge(source, base=BASE, out_dir=out, fmt="txt", name="{recipient.last_name}.txt")
    assert [r.file for r in report.results] == ["Schneider.txt", "row-0003.txt", "Patel.txt"]
    assert "named row-0003.txt by its row number" in report.results[1].problems[0]
    again = merge(source, base=BASE, out_dir=out, fmt="txt", name="{recipient.last_name}.txt")
    assert [r.status for r in again.results] == ["exists"] * 3  # the same names on every run
    code, _ = run_cli(
        "merge", source, "--base", base_file(tmp_path), "-o", tmp_path / "cli",
        "--name", "Brief-{recipient.last_name}.txt",
    )  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "cli").iterdir()) == [
        "Brief-Patel.txt",
        "Brief-Schneider.txt",
        "Brief-row-0003.txt",
    ]


def test_a_name_with_nothing_usable_left_is_named_by_its_row_number() -> None:
    namer = Namer("{recipient.last_name}", "docx")
    assert namer.named(5, {"recipient": {"last_name": "???"}}) == ("row-0005.docx", True)
    assert namer.named(6, {"recipient": {"last_name": "Meier"}}) == ("Meier.docx", False)
    assert namer.named(7, {"recipient": {"last_name": "row-0005"}}) == ("row-0005-2.docx", False)
    assert Namer("{row}-{recipient.last_name}", "txt").named(8, {}) == ("8.txt", False)


# --- finding 11: a row that repeats an earlier row -------------------------------------


def test_a_repeated_row_is_produced_and_reported(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, LETTERS[0], LETTERS[1], LETTERS[0], LETTERS[2], LETTERS[0]])
    out = tmp_path / "out"
    report = merge(source, base=BASE, out_dir=out, fmt="txt")
    assert [r.file for r in report.results] == [
        "0002-Schneider.txt", "0003-Gruber.txt", "0004-Schneider.txt", "0005-Patel.txt", "0006-Schneider.txt",
    ]  # fmt: skip
    assert [r.repeats for r in report.results] == [0, 0, 2, 0, 2]
    assert report.results[2].problems[0].startswith("repeats row 2: the same input")
    assert (out / "0002-Schneider.txt").read_bytes() == (out / "0004-Schneider.txt").read_bytes()
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert rows[4]["status"] == "written" and "repeats row 2" in rows[4]["problems"]
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "--check")
    assert code == 0
    assert "clients.csv: row 4 repeats row 2" in output and "clients.csv: row 6 repeats row 2" in output
    assert "row 3 repeats" not in output and "row 5 repeats" not in output


def test_rows_are_compared_after_the_base_is_merged_in(tmp_path: Path) -> None:
    """A row that writes out a shared field is the same input as one that takes it from --base."""
    with_locale = LETTERS[2]
    without = ";" + with_locale.split(";", 1)[1]
    source = write_csv(tmp_path, [HEADER, with_locale, without])
    report = merge(source, base={**BASE, "locale": "en-GB"}, check=True)
    assert [r.repeats for r in report.results] == [0, 2]


def test_the_cli_lists_the_first_repeats_and_counts_the_rest(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, *[LETTERS[0]] * 14])
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "--check")
    assert code == 0 and output.count(" repeats row 2 ") == 10
    assert "3 more row(s) repeat an earlier row; --report lists them all" in output


def test_repeats_survive_the_spilled_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from letterkit.merge import results

    monkeypatch.setattr(results, "IN_MEMORY", 1)
    source = write_csv(tmp_path, [HEADER, LETTERS[0], LETTERS[1], LETTERS[0]])
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.results._spilled is not None
    assert [r.repeats for r in report.results] == [0, 0, 2]
    assert "repeats row 2" in report.results[2].problems[0]


def test_the_rows_seen_take_a_flat_table() -> None:
    from letterkit.merge.repeats import Repeats

    seen = Repeats()
    for number in range(100_000):
        assert seen.earlier(number + 2, {"recipient": {"last_name": f"N{number}"}}) == 0
    assert seen.earlier(200_000, {"recipient": {"last_name": "N77"}}) == 79
    size = seen._keys.itemsize * len(seen._keys) + seen._rows.itemsize * len(seen._rows)
    assert len(seen) == 100_000 and size <= 100_000 * 2 * 12 * 2
