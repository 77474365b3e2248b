"""Merge fixes from the seventh acceptance run (client lists written by a tester): spreadsheet
float noise in amounts, hints for unknown columns that pointed at the sender's fields,
postcode hints and forms (Austria, the UK), a required field's message, --report and
--combined inside the output folder the merge creates, --check missing what the run then
refused (an email without sender.email, a PDF merge without LibreOffice), rows hidden in
a spreadsheet, and a CSV report that German Excel opens as UTF-8."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import MissingToolError
from letterkit.merge import merge
from letterkit.values import read_amount

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))
HEADER = ["locale", "recipient.company", "recipient.last_name", "recipient.gender", "end_date"]


def row(i: int, **more: object) -> dict[str, object]:
    return {
        "locale": "de-DE",
        "recipient.company": f"Kunde {i} GmbH",
        "recipient.last_name": f"Muster{i}",
        "recipient.gender": "female",
        "end_date": "2026-12-31",
        **more,
    }


def csv_file(tmp_path: Path, lines: list[str], name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("stored", "read"), [(10.1 + 20.2, "30.30"), (0.1 * 3, "0.30"), (33.33 * 3, "99.99"), (1190.0, "1190.00")]
)
def test_a_spreadsheet_total_is_read_to_the_cent_as_the_sheet_shows_it(stored: float, read: str) -> None:
    assert str(read_amount(stored)) == read


def test_float_noise_in_an_xlsx_amount_is_no_error(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER, "final_invoice.amount"])
    sheet.append(["de-DE", "A GmbH", "Roth", "female", "2026-12-31", 10.1 + 20.2])
    book.save(tmp_path / "sum.xlsx")
    report = merge(tmp_path / "sum.xlsx", base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.ok, report.failed
    assert "30,30" in next((tmp_path / "out").iterdir()).read_text("utf-8")
    assert str(read_amount(10.005)).startswith("10.005 has more than two decimal places")


def test_unknown_columns_are_pointed_at_the_recipient_never_the_sender(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, ["locale;Vorname;Nachname;last name;email;end_date", "de-DE;A;B;B;a@b.de;31.12.2026"]
    )
    result = CliRunner().invoke(
        main, ["merge", str(path), "--base", str(ROOT / "samples/merge/base.yaml"), "--check"]
    )
    assert result.exit_code == 1, result.output
    for column, key in (
        ("Vorname", "recipient.first_name"),
        ("Nachname", "recipient.last_name"),
        ("last name", "recipient.last_name"),
        ("email", "recipient.email"),
    ):
        assert f"'{column}' (did you mean '{key}'?)" in result.output
    assert "sender." not in result.output and "contract.name" not in result.output


@pytest.mark.parametrize(("locale", "code"), [("de-AT", "101"), ("de-CH", "0800")])
def test_no_leading_zero_is_suggested_where_postcodes_never_start_with_one(locale: str, code: str) -> None:
    report = merge(
        [row(1, locale=locale, **{"recipient.postal_code": code, "recipient.city": "Wien"})],
        base=BASE,
        check=True,
    )
    (problem,) = report.failed[0].problems
    assert "have 4 digits and do not start with 0" in problem and "did you mean" not in problem


def test_a_german_postcode_still_gets_its_leading_zero_back() -> None:
    report = merge(
        [row(1, **{"recipient.postal_code": "1067", "recipient.city": "Dresden"})], base=BASE, check=True
    )
    assert "did you mean '01067'?" in report.failed[0].problems[0]


def test_a_uk_postcode_is_written_as_royal_mail_writes_it(tmp_path: Path) -> None:
    uk = row(
        1,
        locale="en-GB",
        **{"recipient.postal_code": "sw1a2aa", "recipient.city": "London", "recipient.street": "1 High St"},
    )
    report = merge([uk], base=BASE, out_dir=tmp_path, fmt="txt")
    assert report.ok, report.failed
    text = next(tmp_path.glob("*.txt")).read_text("utf-8")
    assert "LONDON\nSW1A 2AA" in text and "sw1a2aa" not in text


def test_a_missing_required_field_is_named_without_the_schema_notes() -> None:
    report = merge([row(1, **{"final_invoice.due_date": "2027-01-15"})], base=BASE, check=True)
    assert (
        "final_invoice.amount: required: gross amount "
        "(final_invoice.due_date is given: add it, or leave final_invoice out altogether)"
    ) in report.failed[0].problems
    assert "must be the invoice's" not in " ".join(report.failed[0].problems)


def test_report_and_combined_may_go_into_the_folder_the_merge_creates(tmp_path: Path) -> None:
    out = tmp_path / "new"
    path = csv_file(tmp_path, [";".join(HEADER), "de-DE;A GmbH;Roth;female;31.12.2026"])
    result = CliRunner().invoke(
        main,
        ["merge", str(path), "--base", str(ROOT / "samples/merge/base.yaml"), "-o", str(out),
         "--combined", str(out / "all.docx"), "--report", str(out / "report.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "all.docx").is_file() and (out / "report.csv").is_file()
    # a folder that is not the output folder must still exist
    result = CliRunner().invoke(
        main, ["merge", str(path), "--base", str(ROOT / "samples/merge/base.yaml"), "-o", str(out),
               "--report", str(tmp_path / "elsewhere" / "r.csv")],
    )  # fmt: skip
    assert result.exit_code != 0 and "does not exist; create it first" in result.output


def test_the_csv_report_opens_in_excel_as_utf8(tmp_path: Path) -> None:
    path = csv_file(tmp_path, [";".join(HEADER), "de-DE;A GmbH;Weiß;female;31.12.2026"])
    CliRunner().invoke(
        main, ["merge", str(path), "--base", str(ROOT / "samples/merge/base.yaml"), "-o", str(tmp_path / "o"),
               "--report", str(tmp_path / "r.csv")],
    )  # fmt: skip
    data = (tmp_path / "r.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrow;status;file;problems")  # separated as the list is
    assert "Weiß" in data.decode("utf-8-sig")


def test_check_finds_an_email_without_the_sender_s_address() -> None:
    base = {**BASE, "sender": {k: v for k, v in BASE["sender"].items() if k != "email"}}
    email = row(1, channel="email", **{"recipient.email": "a@b.de"})
    report = merge([email, row(2)], base=base, check=True)
    assert [r.status for r in report.results] == ["failed", "valid"]
    assert report.failed[0].problems == [
        "sender.email: required for channel: email (the address the email comes from)"
    ]


def test_a_pdf_merge_without_libreoffice_stops_before_any_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from letterkit.render import pdf

    def missing() -> str:
        raise MissingToolError(pdf.INSTALL_HINT)

    monkeypatch.setattr(pdf, "find_soffice", missing)
    rows = [row(1, channel="email", **{"recipient.email": "a@b.de"}), row(2)]
    with pytest.raises(MissingToolError):
        merge(rows, base=BASE, out_dir=tmp_path / "o", fmt="pdf")
    assert not (tmp_path / "o").exists()
    # --check only validates: it needs no LibreOffice
    assert merge(rows, base=BASE, check=True, fmt="pdf").ok


def test_rows_hidden_in_a_spreadsheet_fail_and_are_not_written(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(3):
        sheet.append(["de-DE", f"K{i} GmbH", f"Muster{i}", "female", "2026-12-31"])
    sheet.row_dimensions[3].hidden = True  # the second client, filtered out
    lookup = book.create_sheet("Codes")
    lookup.append(["code", "text"])
    lookup.append(["a", "b"])
    lookup.sheet_state = "hidden"  # a hidden sheet is not one to choose between
    book.save(tmp_path / "list.xlsx")
    report = merge(tmp_path / "list.xlsx", base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert [(r.row, r.status) for r in report.results] == [(2, "written"), (3, "failed"), (4, "written")]
    assert report.failed[0].problems[0].startswith("the row is hidden in the sheet")
    assert not any("Muster1" in p.name or "K1" in p.read_text("utf-8") for p in (tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("text", "encoding", "read"),
    [
        ("Müller;Straße 1", "mac_roman", "mac_roman"),  # Excel for Mac's "CSV (Macintosh)"
        ("Müller;Straße 1", "cp1252", "cp1252"),
        ("usw…;Weg 1", "cp1252", "cp1252"),  # an ellipsis after a word is no Mac umlaut
        ("Dušek;Nováková", "cp1252", "cp1252"),  # nor is a Czech š beside other accents
        ("Novak;Dušan", "cp1252", "cp1252"),  # nor one š alone
        ("Weiß;Köln\nO’Brien;München", "mac_roman", "mac_roman"),  # Mac’s ’ is no Windows letter
        ("Müller;Wartung–Plus Köln", "mac_roman", "mac_roman"),  # nor its –
    ],
)
def test_a_mac_roman_export_is_told_from_windows_1252(
    tmp_path: Path, text: str, encoding: str, read: str
) -> None:
    from letterkit.merge.sources import csv_encoding

    path = tmp_path / "list.csv"
    path.write_bytes(f"recipient.last_name;recipient.street\n{text}\n".encode(encoding))
    assert csv_encoding(path) == read


def test_a_mac_roman_client_list_reads_its_umlauts(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(
        (";".join(HEADER) + "\nde-DE;Bäckerei Weiß;Weiß;female;31.12.2026\n").encode("mac_roman")
    )
    report = merge(path, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.ok, report.failed
    text = next((tmp_path / "out").iterdir()).read_text("utf-8")
    assert "Sehr geehrte Frau Weiß," in text and "Bäckerei Weiß" in text


def test_a_name_typed_as_an_encoded_word_is_shown_as_typed() -> None:
    import email
    from email import policy

    import letterkit

    typed = "=?utf-8?q?Evil_Corp?="
    data = {
        "locale": "de-DE",
        "channel": "email",
        "date": "2026-11-26",
        "sender": BASE["sender"],
        "recipient": {"company": typed, "email": "a@b.de"},
        "end_date": "2026-12-31",
    }
    message = email.message_from_bytes(
        letterkit.render(letterkit.compose(data), "eml"), policy=policy.default
    )
    assert message["To"].addresses[0].display_name == typed
    assert "=?utf-8?q?Evil_Corp?= <" not in message.as_string()


def test_letters_written_by_another_compressor_are_kept_on_a_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge re-run after an upgrade (another DEFLATE, another library build) keeps the
    letters and the combined document it wrote before: they hold the same parts."""
    import zlib

    from letterkit.render import package

    def zlib_deflate(name: str, data: bytes) -> package.Entry:
        return package.Entry(name, zlib.crc32(data), len(data), zlib.compress(data, 6, -15))

    rows = [row(1), row(2)]
    with monkeypatch.context() as patched:
        patched.setattr(package, "deflate", zlib_deflate)
        first = merge(rows, base=BASE, out_dir=tmp_path / "out", fmt="docx", combined=tmp_path / "all.docx")
    assert first.ok and first.combined_status == "written"
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    again = merge(rows, base=BASE, out_dir=tmp_path / "out", fmt="docx", combined=tmp_path / "all.docx")
    assert [r.status for r in again.results] == ["exists", "exists"], again.failed
    assert again.combined_status == "kept"
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before
    # a letter that really differs is still a clash
    changed = merge([row(1, end_date="2027-01-31"), row(2)], base=BASE, out_dir=tmp_path / "out", fmt="docx")
    assert [r.status for r in changed.results] == ["failed", "exists"]
    assert "already exists and holds another letter" in changed.failed[0].problems[0]


def test_the_report_in_the_output_folder_is_written_when_every_row_failed(tmp_path: Path) -> None:
    path = csv_file(tmp_path, [";".join(HEADER), "de-DE;A GmbH;Roth;female;2026-02-30"])
    out = tmp_path / "new"
    result = CliRunner().invoke(
        main, ["merge", str(path), "--base", str(ROOT / "samples/merge/base.yaml"), "-o", str(out),
               "--report", str(out / "report.csv")],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "February 2026 has 28 days" in (out / "report.csv").read_text("utf-8-sig")


def test_a_send_into_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    from letterkit.merge.send import SendError, sending_lock

    (tmp_path / "afile").write_text("x")
    with (
        pytest.raises(SendError, match="afile is a file, not a folder; choose another folder with -o"),
        sending_lock(tmp_path / "afile" / "out"),
    ):
        pass


def test_reminders_dated_after_the_letter_are_refused() -> None:
    steps = {
        "steps_taken": [{"kind": "reminders", "dates": ["2026-10-01", "2027-03-01"]}],
        "date": "2026-11-26",
    }
    report = merge(
        [row(1, **{"steps_taken": steps["steps_taken"], "date": "2026-11-26"})], base=BASE, check=True
    )
    assert report.failed[0].problems == [
        "steps_taken[0].dates[1]: 2027-03-01 is after the letter's date (2026-11-26); the letter tells "
        "what was already done, so give the date it happened"
    ]


def test_hidden_rows_fail_in_a_streamed_workbook_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from letterkit.merge import xlsx

    monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)  # read as a workbook over 15 MB is
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(3):
        sheet.append(["de-DE", f"K{i} GmbH", f"Muster{i}", "female", "2026-12-31"])
    sheet.row_dimensions[3].hidden = True
    book.save(tmp_path / "list.xlsx")
    report = merge(tmp_path / "list.xlsx", base=BASE, check=True)
    assert [(r.row, r.status) for r in report.results] == [(2, "valid"), (3, "failed"), (4, "valid")]


# Regression hunt at the end of the day.


def test_data_only_on_a_hidden_sheet_is_not_merged_unless_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Kunden"
    old = book.create_sheet("Alt 2024")
    old.append(HEADER)
    old.append(["de-DE", "Alt GmbH", "Alt", "female", "2026-12-31"])
    old.sheet_state = "hidden"
    book.save(tmp_path / "list.xlsx")
    result = CliRunner().invoke(
        main,
        ["merge", str(tmp_path / "list.xlsx"), "--base", str(ROOT / "samples/merge/base.yaml"), "--check"],
    )
    assert result.exit_code == 1 and "hidden sheet(s) Alt 2024" in result.output
    assert merge(tmp_path / "list.xlsx", base=BASE, check=True, sheet="Alt 2024").ok


def test_a_combined_document_is_not_replaced_by_one_that_lacks_a_failed_letter(tmp_path: Path) -> None:
    rows = [row(1), row(2), row(3)]
    out, combined = tmp_path / "out", tmp_path / "out" / "all.docx"
    assert merge(rows, base=BASE, out_dir=out, fmt="docx", combined=combined).combined_status == "written"
    before = combined.read_bytes()
    changed = [row(1), row(2), row(3, end_date="2027-01-31")]  # row 3 now clashes with its file
    report = merge(changed, base=BASE, out_dir=out, fmt="docx", combined=combined)
    assert [r.status for r in report.results] == ["exists", "exists", "failed"]
    assert report.combined_status == "kept" and combined.read_bytes() == before


def test_combined_with_every_row_failing_reports_the_rows(tmp_path: Path) -> None:
    path = csv_file(tmp_path, [";".join(HEADER), "de-DE;A GmbH;Roth;female;2026-02-30"])
    out = tmp_path / "ex"
    result = CliRunner().invoke(
        main, ["merge", str(path), "--base", str(ROOT / "samples/merge/base.yaml"), "-o", str(out),
               "--report", str(out / "r.csv"), "--combined", str(out / "all.docx")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "February 2026 has 28 days" in result.output and "all.docx not written" in result.output
    assert (out / "r.csv").is_file() and not (out / "all.docx").exists()


@pytest.mark.parametrize(
    ("refund", "invoice", "path", "words"),
    [
        ({"amount": 50, "method": "offset"}, {"amount": 0}, "refund.method", "the final invoice is 0"),
        ({"amount": 50, "method": "offset"}, {"amount": 400, "currency": "USD"}, "refund.currency", "in USD"),
    ],
)
def test_an_offset_needs_an_invoice_to_deduct_from(
    refund: dict, invoice: dict, path: str, words: str
) -> None:
    report = merge([row(1, refund=refund, final_invoice=invoice)], base=BASE, check=True)
    (problem,) = report.failed[0].problems
    assert problem.startswith(f"{path}: ") and words in problem


def test_a_reminder_count_must_match_its_dates() -> None:
    step = {"kind": "reminders", "count": 3, "dates": ["2026-09-01", "2026-09-15"]}
    report = merge([row(1, steps_taken=[step], date="2026-11-26")], base=BASE, check=True)
    assert report.failed[0].problems[0].startswith("steps_taken[0].count: 3 does not match the 2 dates")


def test_reason_codes_ignore_capitals_and_a_hint_in_the_note_is_no_error() -> None:
    import letterkit

    data = {**BASE, "locale": "de-DE", "recipient": {"company": "A GmbH"}, "end_date": "2026-12-31"}
    letter = letterkit.compose({**data, "reasons": ["Capacity", "PAYMENT_TERMS"]})
    assert "Kapazitäten" in letter.body
    noted = letterkit.compose(
        {**data, "reason_note": "Leider passt unser Angebot nicht mehr zu Ihrem Bedarf."}
    )
    assert [f.severity for f in noted.findings] == ["info"]


@pytest.mark.parametrize("streamed", [False, True])
def test_a_hidden_column_is_not_merged_unseen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    from letterkit.errors import SourceError
    from letterkit.merge import xlsx

    if streamed:
        monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER, "reason_note"])
    sheet.append(["de-DE", "A GmbH", "Roth", "female", "2026-12-31", "Intern: zahlt immer zu spät"])
    sheet.column_dimensions["F"].hidden = True
    book.save(tmp_path / "list.xlsx")
    with pytest.raises(SourceError, match="hidden in the sheet: F 'reason_note'"):
        merge(tmp_path / "list.xlsx", base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert not (tmp_path / "out").exists()
    sheet.column_dimensions["F"].hidden = False
    book.save(tmp_path / "list.xlsx")
    assert merge(tmp_path / "list.xlsx", base=BASE, check=True).ok
