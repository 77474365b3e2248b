"""Merge, review 27: merged cells of a workbook (across columns, down rows, hiding a value),
every problem of a row at once (reading and validation), double-encoded headers, an SMTP
server gone mid-send, the notice for an address changed back, and a final invoice of
nothing with enclosures. Every input is built here in tmp_path."""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
BASE_FILE = str(ROOT / "samples" / "merge" / "base.yaml")
BASE = yaml.safe_load(Path(BASE_FILE).read_text("utf-8"))
HEADER = ["Sprache", "Vorname", "Nachname", "Anrede", "Straße", "PLZ", "Ort", "Vertragsende", "Betrag"]
MAPPING = {
    "Sprache": "locale",
    "Vorname": "recipient.first_name",
    "Nachname": "recipient.last_name",
    "Anrede": "recipient.gender",
    "Straße": "recipient.street",
    "PLZ": "recipient.postal_code",
    "Ort": "recipient.city",
    "Vertragsende": "end_date",
    "Betrag": "final_invoice.amount",
}


def _client(first: str, last: str, amount: object) -> list[object]:
    return ["de-DE", first, last, "Frau", "Weg 1", "10115", "Berlin", "31.12.2026", amount]


def _workbook(tmp_path: Path, rows: list[list[object]], merged: list[str], name: str = "list.xlsx") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    path = tmp_path / name
    book.save(path)
    return path


def _merge_in_xml(path: Path, cells: str) -> None:
    """Merge ``cells`` in the sheet's XML only, keeping the values of the cells under the
    range (as a file other programs write, which Excel opens with them hidden)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    merge_tag = f'<mergeCells count="1"><mergeCell ref="{cells}"/></mergeCells>'.encode()
    parts[sheet] = parts[sheet].replace(b"</sheetData>", b"</sheetData>" + merge_tag, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _outcome(path: Path) -> dict[int, tuple[str, list[str]]]:
    report = merge(path, base=BASE, check=True, columns=MAPPING)
    return {r.row: (r.status, r.problems) for r in report.results}


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# --- 1. merged cells ------------------------------------------------------------------


def test_a_value_merged_across_columns_fails_its_row_with_the_range_and_the_fix(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path, [_client("Eva Text", None, 1190), _client("Max", "Muster", 2000)], merged=["B2:C2"]
    )
    found = _outcome(path)
    assert found[3][0] == "valid"
    status, problems = found[2]
    assert status == "failed"
    assert problems == [
        "the cells B2:C2 are merged across the columns 'Vorname' and 'Nachname' (B–C), so the one value "
        "'Eva Text' would go into each of them; unmerge them (in Excel: Home > Merge & Center > Unmerge "
        "Cells) and put each value in its own column"
    ]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), "utf-8")
    code, output = _cli(
        "merge", str(path), "--base", BASE_FILE, "--columns", str(mapping), "-o", str(tmp_path / "out"),
        "--format", "txt",
    )  # fmt: skip
    assert code == 1
    assert "row 2: the cells B2:C2 are merged across the columns 'Vorname' and 'Nachname'" in output
    assert "1 written, 0 kept from an earlier run, 1 failed." in output
    letter = next((tmp_path / "out").glob("*.txt")).read_text("utf-8")
    assert "Eva Text" not in letter


def test_a_value_merged_down_rows_fills_them_each_with_a_notice(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path,
        [_client("Eva", "Erste", 1190), _client("Max", "Zweite", 2000), _client("Ina", "Dritte", None)],
        merged=["I3:I4"],
    )
    found = _outcome(path)
    assert [status for status, _ in found.values()] == ["valid", "valid", "valid"]
    assert found[2][1] == [] and found[3][1] == []  # the row the value is typed in is its own
    assert found[4][1] == [
        "'Betrag' comes from the merged cells I3:I4 (row 3's value): check that it is this client's"
    ]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), "utf-8")
    report_file = tmp_path / "report.json"
    code, output = _cli(
        "merge", str(path), "--base", BASE_FILE, "--columns", str(mapping), "-o", str(tmp_path / "out"),
        "--format", "txt", "--report", str(report_file),
    )  # fmt: skip
    assert code == 0, output
    assert re.search(r"row 4 \(\S+\.txt\): warning: 'Betrag' comes from the merged cells I3:I4", output)
    rows = json.loads(report_file.read_text("utf-8"))["results"]
    assert [r["problems"] for r in rows if r["row"] == 4] == [[found[4][1][0]]]


def test_a_value_hidden_under_merged_cells_fails_its_row(tmp_path: Path) -> None:
    # row 4 typed 500; the merge over I3:I4 shows row 3's 2000 and hides it
    path = _workbook(tmp_path, [_client("Eva", "Erste", 1190), _client("Max", "Zweite", 2000), _client("Ina", "Dritte", 500)], merged=[])  # fmt: skip
    _merge_in_xml(path, "I3:I4")
    found = _outcome(path)
    assert found[2] == ("valid", []) and found[3] == ("valid", [])
    assert found[4] == (
        "failed",
        [
            "'Betrag' holds a value of its own in I4 (500), hidden under the merged cells I3:I4, which "
            "show row 3's value '2000' instead, so it would be lost; unmerge them (in Excel: Home > Merge "
            "& Center > Unmerge Cells), check which value is this client's and save"
        ],
    )


def test_a_column_the_mapping_leaves_out_is_no_field_of_a_merged_range(tmp_path: Path) -> None:
    # "Bemerkung" (mapped to null) merged down and with the last name: only one field is filled
    path = _workbook(tmp_path, [[*_client("Eva", "Erste", 1190), "intern"], _client("Max", "Zweite", 2000)], merged=["J2:J3"])  # fmt: skip
    import openpyxl

    book = openpyxl.load_workbook(path)
    book.active["J1"] = "Bemerkung"
    book.save(path)
    report = merge(path, base=BASE, check=True, columns={**MAPPING, "Bemerkung": None})
    assert [(r.status, r.problems) for r in report.results] == [("valid", []), ("valid", [])]


# --- 2. every problem of a row at once ------------------------------------------------


def test_a_row_reports_its_reading_and_its_validation_problems_together(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER, "Vertragsnr."])
    sheet.append([*_client("Eva", "Erste", 1190.005)[:-2], "31.13.2026", 1190.005, 12345678901234567890])
    book.save(tmp_path / "list.xlsx")
    report = merge(
        tmp_path / "list.xlsx",
        base=BASE,
        check=True,
        columns={**MAPPING, "Vertragsnr.": "contract.reference"},
    )
    (result,) = report.results
    assert result.status == "failed"
    assert len(result.problems) == 3, result.problems
    assert result.problems[0].startswith(
        "contract.reference (1.234567890123457e+19) holds a number of 16 digits"
    )
    assert result.problems[1].startswith("end_date: ")
    assert result.problems[2].startswith("final_invoice.amount: 1190.005 has more than two decimal places")


def test_a_csv_row_with_exponent_digits_reports_its_other_problems_too(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "locale,recipient.last_name,recipient.gender,end_date,contract.reference\n"
        'de-DE,Erste,female,2026-02-30,"1,23457E+19"\n',
        "utf-8",
    )
    (result,) = merge(path, base=BASE, check=True).results
    assert result.status == "failed"
    assert [p.split(" ")[0] for p in result.problems] == ["contract.reference", "end_date:"]


def test_a_value_beside_the_header_is_reported_with_the_rows_other_problems(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path, [[*_client("Eva", "Erste", 1190)[:-2], "31.13.2026", 1190, "Notiz"]], merged=[]
    )
    (result,) = merge(path, base=BASE, check=True, columns=MAPPING).results
    assert result.status == "failed"
    assert [p.split(" ")[0] for p in result.problems] == ["column", "end_date:"], result.problems
    assert result.problems[0].startswith("column J has no header, but this row has 'Notiz' in it")


# --- 3. a double-encoded header -------------------------------------------------------


def test_a_double_encoded_header_is_named_as_such_not_suggested_as_a_spelling(tmp_path: Path) -> None:
    header = "Sprache;Vorname;Nachname;Anrede;Straße;PLZ;Ort;Vertragsende;Fällig am"
    row = "de-DE;Jörg;Müller;Herr;Hauptstraße 1;10115;Berlin;31.12.2026;15.01.2027"
    # UTF-8 read as Windows-1252 and saved again as UTF-8: 'Straße' becomes 'StraÃŸe'
    damaged = f"{header}\n{row}\n".encode().decode("cp1252").encode()
    path = tmp_path / "list.csv"
    path.write_bytes(damaged)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        yaml.safe_dump({**MAPPING, "Fällig am": "final_invoice.due_date"}, allow_unicode=True), "utf-8"
    )
    code, output = _cli("merge", str(path), "--base", BASE_FILE, "--columns", str(mapping), "--check")
    assert code == 1, output
    assert "did you mean" not in output
    assert (
        f"Error: {path}: looks double-encoded: the header has 'StraÃŸe' (for 'Straße'), 'FÃ¤llig am' "
        "(for 'Fällig am'), UTF-8 text that was read as Windows-1252 and saved again"
        in " ".join(output.split())
    )
    assert "Save As > CSV UTF-8" in output
    from letterkit.errors import SourceError

    with pytest.raises(SourceError, match="looks double-encoded"):
        merge(path, base=BASE, check=True)  # without a mapping: no 'unknown column' advice either


def test_a_header_with_umlauts_as_written_is_not_taken_for_double_encoded() -> None:
    from letterkit.merge.columns import double_encoded

    assert double_encoded("Straße") is None and double_encoded("Fällig am") is None
    assert double_encoded("Ort") is None and double_encoded("Überweisung à la carte") is None
    assert double_encoded("GrÃ¼nde") == "Gründe" and double_encoded("StraÃŸe") == "Straße"


# --- 4. the SMTP server gone mid-send -------------------------------------------------

SENDER = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}


def _email_rows(tmp_path: Path, count: int, address: str = "kunde{i}@example.com") -> Path:
    rows = [
        {
            "locale": "de-DE",
            "date": "2026-11-26",
            "end_date": "2027-03-31",
            "recipient": {"company": f"Kunde {i} AG", "last_name": f"Kunde{i}", "email": address.format(i=i)},
        }
        for i in range(count)
    ]
    path = tmp_path / "rows.yaml"
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), "utf-8")
    (tmp_path / "base.yaml").write_text(yaml.safe_dump({"sender": SENDER}, allow_unicode=True), "utf-8")
    return path


class GoingAway:
    """Takes ``take`` messages, then answers the next with 421 and shuts the server down, so
    that the new connection a sender opens is refused."""

    def __init__(self, take: int) -> None:
        self.take, self.delivered, self.stop = take, [], lambda: None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # type: ignore[no-untyped-def]
        import threading

        if len(self.delivered) >= self.take:
            threading.Thread(target=self.stop).start()
            return "421 4.3.2 shutting down"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"


def test_a_server_gone_mid_send_says_what_went_out_and_how_to_send_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.controller import Controller
    from conftest import free_port

    inbox = GoingAway(2)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.stop = controller.stop
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(port))
    data = _email_rows(tmp_path, 5)
    out = tmp_path / "out"
    try:
        code, output = _cli(
            "merge",
            str(data),
            "--base",
            str(tmp_path / "base.yaml"),
            "-o",
            str(out),
            "--send",
            "--no-dry-run",
            "--report",
            str(tmp_path / "report.json"),
        )
    finally:
        if controller.loop.is_running():  # the test failed before the server went away
            controller.stop()
    assert code == 1
    assert len(inbox.delivered) == 2
    lines = output.strip().splitlines()
    assert lines[-2].startswith(f"Error: cannot connect to the SMTP server 127.0.0.1:{port}")
    assert lines[-1] == (
        "The send stopped: 2 emails sent in this run, 3 not sent yet. Run the same command again to send "
        f"the rest: the sent-log ({out / '.letterkit-sent.jsonl'}) lists every email sent, so none is sent twice."
    )
    sends = [
        (r["send"], r["send_detail"])
        for r in json.loads((tmp_path / "report.json").read_text("utf-8"))["results"]
    ]
    assert [send for send, _ in sends] == ["sent", "sent", "not sent", "not sent", "not sent"]
    assert sends[-1][1].startswith("the send stopped before this email: cannot connect to the SMTP server")


# --- 5. an address changed back after --resend ----------------------------------------


def test_an_address_changed_back_after_resend_is_not_told_it_has_not_got_the_email(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_send_acceptance24 import BASE as SEND_BASE
    from test_send_acceptance24 import Inbox, row

    def cli(rows: list[dict[str, Any]], *options: str, inbox: Inbox) -> Any:
        data, base = tmp_path / "rows.yaml", tmp_path / "base.yaml"
        data.write_text(yaml.safe_dump(rows), "utf-8")
        base.write_text(yaml.safe_dump(SEND_BASE, allow_unicode=True), "utf-8")
        return CliRunner().invoke(
            main, ["merge", str(data), "--base", str(base), "-o", str(tmp_path / "out"), *options]
        )

    inbox = Inbox()
    settings = server(inbox)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    assert cli([row(4)], "--send", "--no-dry-run", inbox=inbox).exit_code == 0
    moved = cli(
        [row(4, "k4-neu@example.com")], "--send", "--no-dry-run", "--resend", "0001-Kunde4.eml", inbox=inbox
    )
    assert moved.exit_code == 0, moved.output
    back = cli([row(4)], "--send", "--no-dry-run", inbox=inbox)
    assert "has not got it" not in back.output
    assert (
        "0001-Kunde4.eml was sent to k4-neu@example.com on " in back.output
        and "this row's address k4@example.com got the email of this name earlier on " in back.output
        and "as it was then (kept in superseded/), so nothing is sent to it again"
        in " ".join(back.output.split())
    ), back.output
    assert back.exit_code == 0, back.output
    assert inbox.counts == Counter({"k4@example.com": 1, "k4-neu@example.com": 1})


# --- 6. a final invoice of 0 with the invoice among the enclosures ----------------------


def _nothing_billed(enclosures: list[str], locale: str = "en-GB", **invoice: object) -> dict[str, Any]:
    return {
        **BASE,
        "locale": locale,
        "recipient": {"company": "Acme Ltd", "last_name": "Jones", "gender": "male"},
        "end_date": "2027-01-31",
        "final_invoice": {"amount": 0, **invoice},
        "enclosures": enclosures,
    }


@pytest.mark.parametrize(("locale", "enclosure"), [("en-GB", "Invoice 55"), ("de-DE", "Schlussrechnung")])
def test_a_final_invoice_of_nothing_with_the_invoice_enclosed_is_an_input_problem(
    locale: str, enclosure: str
) -> None:
    import letterkit
    from letterkit.errors import InputError

    with pytest.raises(InputError) as raised:
        letterkit.compose(_nothing_billed([enclosure, "Data export"], locale))
    (problem,) = raised.value.problems
    assert problem.path == "enclosures"
    assert problem.message.startswith(
        f"'{enclosure}' reads as the final invoice, but final_invoice.amount is 0"
    )


def test_an_earlier_invoice_told_apart_by_its_number_may_be_enclosed_with_nothing_billed() -> None:
    import letterkit

    letter = letterkit.compose(_nothing_billed(["Invoice 55"], number="2026-118"))
    assert letter.enclosures == ("Invoice 55",)


def test_a_merge_row_billing_nothing_with_the_invoice_enclosed_fails_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    record = {
        "locale": "en-GB",
        "recipient.company": "Acme Ltd",
        "recipient.last_name": "Jones",
        "recipient.gender": "male",
        "end_date": "2027-01-31",
        "final_invoice.amount": "0",
        "enclosures": "Invoice 55",
    }
    path.write_text(json.dumps(record) + "\n", "utf-8")
    code, output = _cli(
        "merge", str(path), "--base", BASE_FILE, "-o", str(tmp_path / "out"), "--format", "txt"
    )
    assert code == 1
    assert (
        f"{path}: row 1: enclosures: 'Invoice 55' reads as the final invoice, but final_invoice.amount is 0"
        in (" ".join(output.split()))
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cells_merged_across_columns_name_the_value_they_hide(tmp_path: Path) -> None:
    """tester 34: the message named only the value shown, not the one hidden in the merge."""
    path = _workbook(tmp_path, [_client("Ole", "Nass", 1190)], merged=[])
    _merge_in_xml(path, "B2:C2")
    status, problems = _outcome(path)[2]
    assert status == "failed"
    assert problems[0].startswith("the cells B2:C2 are merged across the columns 'Vorname' and 'Nachname'")
    assert problems[0].endswith("(C2 holds 'Nass', hidden under them)")
