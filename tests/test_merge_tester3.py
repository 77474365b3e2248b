"""Merges as an outside tester ran them (tester3): rows from a script that hands over a
data frame's numpy values, file names from a list field, and the pace of a send with
--rate and --limit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from letterkit.merge import merge
from tests.test_send_rate_timeout import Clock  # the fake clock of the --rate tests

ADDRESS = {
    "locale": "de-DE",
    "recipient.gender": "m",
    "recipient.street": "Weg 1",
    "recipient.city": "Berlin",
    "end_date": "2026-12-31",
    "date": "2026-11-26",
    "sender.name": "Erika Muster",
    "sender.company": "Muster GmbH",
}


def test_numpy_values_from_a_data_frame_are_read_as_the_python_values_they_hold(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    rows: list[dict[str, Any]] = [
        {**ADDRESS, "recipient.last_name": "Int", "recipient.postal_code": np.int64(10115)},
        {
            **ADDRESS,
            "recipient.last_name": "Days",
            "recipient.postal_code": "10115",
            "end_date": np.datetime64("2026-12-31"),
        },
        {
            **ADDRESS,
            "recipient.last_name": "Nanoseconds",
            "recipient.postal_code": "10115",
            "end_date": np.datetime64("2026-12-31T00:00:00.000000000"),
        },
        {
            **ADDRESS,
            "recipient.last_name": "Amount",
            "recipient.postal_code": "10115",
            "final_invoice.amount": np.float64(1190.1),
            "final_invoice.due_date": np.datetime64("NaT"),
            "thanks.since": np.int32(2020),
            "wishes": np.bool_(False),
            "reasons": np.array(["capacity", "scope"]),
        },
    ]
    report = merge(rows, out_dir=tmp_path, fmt="txt")
    assert [r.status for r in report.results] == ["written"] * 4, [r.problems for r in report.results]
    for name in ("Int", "Days", "Nanoseconds"):
        text = (tmp_path / next(r.file for r in report.results if name in r.file)).read_text(encoding="utf-8")
        assert "10115 Berlin" in text
        assert "31. Dezember 2026" in text
    amount = next(r for r in report.results if "Amount" in r.file)
    text = (tmp_path / amount.file).read_text(encoding="utf-8")
    assert "1.190,10 €" in text
    assert "seit 2020" in text
    assert "alles Gute" not in text  # wishes: False
    assert "Kapazitäten" in text and "Leistungsbild" in text  # both reasons
    assert amount.problems == ["final_invoice.due_date: NaT read as empty (a mark for no value)"]
    # the same rows with Python's own values make the same letters
    python_rows = [{k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in row.items()} for row in rows]
    python_rows[1]["end_date"] = "2026-12-31"
    python_rows[2]["end_date"] = "2026-12-31"
    del python_rows[3]["final_invoice.due_date"]
    again = merge(python_rows, out_dir=tmp_path / "python", fmt="txt")
    for first, second in zip(report.results, again.results, strict=True):
        assert (tmp_path / first.file).read_bytes() == (tmp_path / "python" / second.file).read_bytes()


@pytest.mark.parametrize(
    ("option", "pattern"),
    [("name", "{reasons}"), ("name", "{row:04d}-{reasons}"), ("attachments", "invoices/{reasons}.pdf")],
)
def test_a_pattern_cannot_name_files_by_the_list_of_reasons(
    tmp_path: Path, option: str, pattern: str
) -> None:
    from letterkit.errors import LetterkitError

    row = {
        **ADDRESS,
        "recipient.last_name": "Meier",
        "recipient.postal_code": "10115",
        "reasons": "capacity;scope",
    }
    arguments: dict[str, Any] = (
        {"name": pattern} if option == "name" else {"attachments": [pattern], "fmt": "eml"}
    )
    with pytest.raises(
        LetterkitError, match=re.escape("{reasons} is a list, not one value; use fields such as")
    ):
        merge([row], out_dir=tmp_path, **arguments)
    assert not list(tmp_path.iterdir())  # it had written "['capacity', 'scope'].docx"


def test_the_reasons_of_a_row_still_merge_and_other_list_keys_are_refused_as_lists(tmp_path: Path) -> None:
    from letterkit.errors import LetterkitError

    row = {
        **ADDRESS,
        "recipient.last_name": "Meier",
        "recipient.postal_code": "10115",
        "reasons": "capacity;scope",
    }
    report = merge([row], out_dir=tmp_path, fmt="txt", name="{recipient.last_name}")
    assert [r.file for r in report.results] == ["Meier.txt"]
    with pytest.raises(LetterkitError, match=re.escape("{enclosures} is a list, not one value")):
        merge([row], check=True, name="{enclosures}")


@pytest.mark.parametrize(
    ("files", "limit", "sent", "waits"), [(4, 2, 2, [1.5]), (3, None, 3, [1.5, 1.5]), (1, None, 1, [])]
)
def test_a_rated_send_waits_between_messages_only_not_after_the_last(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: int,
    limit: int | None,
    sent: int,
    waits: list[float],
) -> None:
    """--rate 40 --limit 2 waited 1.5 s after the second message before it said the limit was
    reached (with --rate 1, a minute), and a send waited as long after its last email."""
    from letterkit.merge import send
    from letterkit.merge.send import SendOptions, SMTPSettings

    clock = Clock()
    monkeypatch.setattr(send.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(send.time, "sleep", clock.sleep)
    began: list[float] = []

    def instant_send(connection: Any, log: Any, options: Any, message: Any, earlier: Any) -> Any:
        began.append(clock.now)
        return send._Outcome("sent", f"sent: {message.path.name}", accepted=True, file=message.path.name)

    monkeypatch.setattr(send, "_send_one", instant_send)
    paths = []
    for number in range(files):
        path = tmp_path / f"{number}.eml"
        path.write_bytes(
            f"From: a@example.com\nTo: k{number}@example.com\nSubject: x\nMessage-ID: <{number}@example.com>\n\nHallo\n".encode()
        )
        paths.append(path)
    settings = SMTPSettings(host="127.0.0.1", port=2525, timeout=5)
    report = send.send_folder(
        paths, tmp_path, settings, SendOptions(dry_run=False, rate=40, limit=limit)
    ).run()
    assert report.sent == sent
    assert clock.slept == waits
    assert [round(b - began[0], 3) for b in began] == [1.5 * i for i in range(sent)]  # the rate holds
    assert clock.now == (began[-1] if began else 1000.0)  # nothing after the last start


class _DropsAfterFirst:
    """Takes the first message, then drops the connection while taking the second."""

    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delivered:
            server.transport.close()  # gone before it answers 250: the server went down
            return "421 closing"
        self.delivered.extend(envelope.rcpt_tos)
        return "250 OK"


def test_a_server_that_goes_down_midway_is_not_said_to_need_other_security_settings(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server took a message, then went away: the reconnect failed with 'Connection
    unexpectedly closed', and the error advised security: ssl or starttls, settings with
    which it had just taken a message."""
    import smtplib

    from letterkit.merge import smtp
    from letterkit.merge.send import SendError, SendOptions, send_folder

    handler = _DropsAfterFirst()
    settings = server(handler)
    rows = [
        {
            **ADDRESS,
            "sender.email": "erika@example.de",
            "recipient.last_name": f"K{i}",
            "recipient.email": f"k{i}@example.com",
            "channel": "email",
        }
        for i in range(3)
    ]
    files = [tmp_path / r.file for r in merge(rows, out_dir=tmp_path, fmt="eml").results]
    assert [f.suffix for f in files] == [".eml"] * 3
    opened = []
    real = smtplib.SMTP

    def connect(*args: Any, **kwargs: Any) -> smtplib.SMTP:
        opened.append(args)
        if len(opened) > 1:  # the server is down now: it closes every new connection at once
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real(*args, **kwargs)

    monkeypatch.setattr(smtp.smtplib, "SMTP", connect)
    report = send_folder(files, tmp_path, settings, SendOptions(dry_run=False))
    lines = []
    with pytest.raises(SendError) as error:
        lines.extend(report)
    assert handler.delivered == ["k0@example.com"]
    assert lines[0].startswith("sent: 0001-K0.eml") and lines[1].startswith("uncertain: 0002-K1.eml")
    message = str(error.value)
    assert message.startswith(
        f"cannot connect to the SMTP server 127.0.0.1:{settings.port} (Connection unexpectedly closed)"
    )
    assert "security" not in message
    assert "earlier in this run" in message and "try again later" in message
    # the first connection of a run still gets the advice on the settings
    fresh = send_folder(files[2:], tmp_path, settings, SendOptions(dry_run=False))
    with pytest.raises(
        SendError, match=r"if the server speaks SSL from the start \(often port 465\), set security: ssl"
    ):
        list(fresh)


TEXT_HEADER = [
    "locale",
    "recipient.last_name",
    "recipient.gender",
    "recipient.street",
    "recipient.postal_code",
    "recipient.city",
    "end_date",
    "contract.reference",
    "contract.name",
    "final_invoice.number",
    "final_invoice.amount",
]


def _semicolon_csv(path: Path, rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")  # quotes as Excel does: "=""01067"""
        writer.writerow(TEXT_HEADER)
        writer.writerows(rows)
    return path


def test_excel_text_formulas_in_a_csv_are_read_as_the_text_excel_shows(tmp_path: Path) -> None:
    """="01067" is how exporters keep a postcode's or a number's leading zeros in a CSV for
    Excel; the letter had read 'Kündigung des Vertrags Nr. ="00123"'."""
    source = _semicolon_csv(
        tmp_path / "export.csv",
        [
            ["de-DE", "Maier", "Herr", "Lindenweg 3", '="01067"', "Dresden", "31.12.2026", '="00123"',
             '="Wartungsvertrag ""Gold"""', '="2026-0042"', "1.190,00"],
        ],
    )  # fmt: skip
    assert '"=""01067"""' in source.read_text(encoding="utf-8")
    report = merge(source, base={"date": "2026-11-26", "sender": {"name": "Erika Muster", "company": "Muster GmbH"}},
                   out_dir=tmp_path / "out", fmt="txt")  # fmt: skip
    (row,) = report.results
    assert row.status == "written", row.problems
    text = (tmp_path / "out" / row.file).read_text(encoding="utf-8")
    assert "01067 Dresden" in text
    assert "Nr. 00123" in text and "Nr. 2026-0042" in text
    assert "den Wartungsvertrag „Gold“ Nr. 00123" in text  # the quotes inside the string, as typed
    assert '="' not in text and '"00123"' not in text


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("contract.reference", "=A2&B2", "is a spreadsheet formula, not its result"),
        ("contract.name", "=SVERWEIS(A2;Verträge!A:B;2;FALSCH)", "is a spreadsheet formula, not its result"),
        ("final_invoice.number", "#NV", "is a spreadsheet's error value, not data"),
        ("contract.reference", "#BEZUG!", "is a spreadsheet's error value, not data"),
    ],
)
def test_a_formula_or_error_value_in_a_number_or_a_contract_name_fails_its_row(
    tmp_path: Path, column: str, value: str, says: str
) -> None:
    """As in a name or an amount: it had been printed into the letter ('Nr. =A2&B2')."""
    row = ["de-DE", "Maier", "Herr", "Lindenweg 3", "01067", "Dresden", "31.12.2026", "R-1", "Wartungsvertrag",
           "2026-1", "1.190,00"]  # fmt: skip
    row[TEXT_HEADER.index(column)] = value
    source = _semicolon_csv(tmp_path / "export.csv", [row])
    report = merge(source, base={"sender": {"name": "Erika Muster"}}, check=True)
    (result,) = report.results
    assert result.status == "failed"
    assert f"{column}: '{value}' {says}" in result.problems[0], result.problems


@pytest.mark.parametrize("value", ["#1", "# 12", "R-#4", "+49 30 1234567", "- Wartung (Basis)", "="])
def test_numbers_and_names_that_only_start_alike_are_data(tmp_path: Path, value: str) -> None:
    row = ["de-DE", "Maier", "Herr", "Lindenweg 3", "01067", "Dresden", "31.12.2026", value, "Wartungsvertrag",
           "2026-1", "1.190,00"]  # fmt: skip
    source = _semicolon_csv(tmp_path / "export.csv", [row])
    report = merge(source, base={"sender": {"name": "Erika Muster"}}, check=True)
    (result,) = report.results
    assert not any("spreadsheet" in p for p in result.problems), result.problems


def _email_rows() -> list[dict[str, Any]]:
    return [
        {
            **ADDRESS,
            "sender.email": "erika@example.de",
            "recipient.last_name": name,
            "recipient.email": f"{name.lower()}@example.com",
            "channel": "email",
            "final_invoice.number": number,
            "final_invoice.amount": "100,00",
        }
        for name, number in (("Maier", "R-1"), ("Huber", "R-2"))
    ]


@pytest.mark.parametrize("second", ["terms.pdf", "./terms.pdf", "other/terms.pdf", "other/TERMS.pdf"])
def test_two_attachments_of_one_name_stop_the_merge_before_anything_is_written(
    tmp_path: Path, second: str
) -> None:
    """--attach terms.pdf given twice put it into every email twice ("Anhänge: terms.pdf,
    terms.pdf"); two files of one name reached every client, who cannot tell them apart."""
    from letterkit.errors import LetterkitError

    (tmp_path / "other").mkdir()
    (tmp_path / "terms.pdf").write_bytes(b"%PDF-1.4 terms\n")
    (tmp_path / "other" / "terms.pdf").write_bytes(b"%PDF-1.4 other terms\n")
    (tmp_path / "other" / "TERMS.pdf").write_bytes(b"%PDF-1.4 more terms\n")
    says = "is given twice" if not second.startswith("other/") else "the client could not tell the two"
    with pytest.raises(LetterkitError, match=re.escape(says)):
        merge(_email_rows(), out_dir=tmp_path / "out", fmt="eml",
              attachments=[tmp_path / "terms.pdf", tmp_path / second])  # fmt: skip
    assert not (tmp_path / "out").exists()


def test_a_row_whose_own_file_shares_a_name_with_another_fails_and_the_others_are_made(
    tmp_path: Path,
) -> None:
    for folder in ("invoices", "shared"):
        (tmp_path / folder).mkdir()
    (tmp_path / "invoices" / "R-1.pdf").write_bytes(b"%PDF-1.4 R-1\n")
    (tmp_path / "invoices" / "R-2.pdf").write_bytes(b"%PDF-1.4 R-2\n")
    (tmp_path / "shared" / "R-1.pdf").write_bytes(b"%PDF-1.4 a leaflet that happens to share the name\n")
    attachments = [tmp_path / "shared" / "R-1.pdf", f"{tmp_path}/invoices/{{final_invoice.number}}.pdf"]
    report = merge(_email_rows(), out_dir=tmp_path / "out", fmt="eml", attachments=attachments)
    first, second = report.results
    assert first.status == "failed"
    assert (
        "are both named R-1.pdf, so the client could not tell the two attachments apart" in first.problems[0]
    )
    assert second.status == "written"
    import email
    from email import policy

    sent = email.message_from_bytes((tmp_path / "out" / second.file).read_bytes(), policy=policy.default)
    assert [part.get_filename() for part in sent.iter_attachments()] == ["R-1.pdf", "R-2.pdf"]


def test_the_cli_stops_on_a_file_attached_twice_and_says_are_for_several(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from letterkit.cli import main

    (tmp_path / "terms.pdf").write_bytes(b"%PDF-1.4 terms\n")
    (tmp_path / "leaflet.pdf").write_bytes(b"%PDF-1.4 leaflet\n")
    data = tmp_path / "rows.json"
    data.write_text(json.dumps(_email_rows()), encoding="utf-8")
    out = tmp_path / "out"
    twice = ["merge", str(data), "-o", str(out), "--attach", str(tmp_path / "terms.pdf")]
    twice += ["--attach", str(tmp_path / "terms.pdf")]
    result = CliRunner().invoke(main, [*twice, "--format", "eml"])
    assert result.exit_code == 1
    assert (
        "--attach: terms.pdf is given twice, so every email would carry it twice; give it once"
        in result.output
    )
    assert not out.exists()
    both = ["merge", str(data), "-o", str(out), "--format", "eml"]
    both += ["--attach", str(tmp_path / "terms.pdf"), "--attach", str(tmp_path / "leaflet.pdf")]
    result = CliRunner().invoke(main, both)
    assert result.exit_code == 0, result.output
    assert (
        f"{tmp_path / 'terms.pdf'}, {tmp_path / 'leaflet.pdf'} are attached to every email (2)"
        in result.output
    )


def test_a_folder_given_to_attach_is_named_as_a_folder(tmp_path: Path) -> None:
    from letterkit.errors import LetterkitError

    (tmp_path / "invoices").mkdir()
    with pytest.raises(LetterkitError, match=r"invoices: is a folder; --attach takes a file"):
        merge(_email_rows(), out_dir=tmp_path / "out", fmt="eml", attachments=[tmp_path / "invoices"])
    assert not (tmp_path / "out").exists()


def test_generate_refuses_a_file_attached_twice(tmp_path: Path) -> None:
    import yaml
    from click.testing import CliRunner

    from letterkit.cli import main

    (tmp_path / "terms.pdf").write_bytes(b"%PDF-1.4 terms\n")
    data = tmp_path / "email.yaml"
    letter = {
        "locale": "de-DE",
        "channel": "email",
        "date": "2026-11-26",
        "end_date": "2026-12-31",
        "sender": {"name": "Erika Muster", "email": "erika@example.de"},
        "recipient": {"last_name": "Maier", "gender": "m", "email": "maier@example.com"},
    }
    data.write_text(yaml.safe_dump(letter, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "mail.eml"
    terms = str(tmp_path / "terms.pdf")
    result = CliRunner().invoke(
        main, ["generate", str(data), "-o", str(out), "--attach", terms, "--attach", terms]
    )
    assert result.exit_code == 1
    assert (
        "--attach: terms.pdf is given twice, so the email would carry it twice; give it once" in result.output
    )
    assert not out.exists()
    result = CliRunner().invoke(main, ["generate", str(data), "-o", str(out), "--attach", terms])
    assert result.exit_code == 0, result.output


def test_a_sheet_row_with_several_unsaved_formulas_names_each(tmp_path: Path) -> None:
    """A workbook written by a script and never opened in Excel: the row named its first
    formula only, and the next run, after the first was pasted as a value, the next."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "recipient.last_name", "recipient.gender", "end_date", "final_invoice.amount",
                  "final_invoice.due_date", "channel", "recipient.email"])  # fmt: skip
    sheet.append(["de-DE", "Maier", "m", "2026-12-31", "=100*11.9", "=D2+15", "email", "maier@example.com"])
    sheet.append(
        ["de-DE", "Huber", "m", "2026-12-31", "=100*11.9", "2027-01-15", "email", "huber@example.com"]
    )
    path = tmp_path / "clients.xlsx"
    book.save(path)
    report = merge(path, base={"sender": {"name": "Erika Muster", "email": "erika@example.de"}}, check=True)
    first, second = report.results
    assert first.problems == [
        "'final_invoice.amount' holds the formula =100*11.9 without a saved result, and so does "
        "'final_invoice.due_date' (=D2+15); open the workbook in Excel or LibreOffice and save it, or paste "
        "the values"
    ]
    assert second.problems == [
        "'final_invoice.amount' holds the formula =100*11.9 without a saved result; open the workbook in "
        "Excel or LibreOffice and save it, or paste the values"
    ]


@pytest.mark.parametrize(("typed", "meant"), [("80331.0", "80331"), ("1067.0", "01067")])
def test_a_postcode_written_as_a_decimal_number_gets_a_did_you_mean(
    tmp_path: Path, typed: str, meant: str
) -> None:
    """pandas writes a column of numbers with an empty cell in it as floats: '80331.0'."""
    source = tmp_path / "export.csv"
    source.write_text(
        "locale,recipient.last_name,recipient.gender,recipient.street,recipient.postal_code,recipient.city,end_date\n"
        f"de-DE,Maier,m,Weg 1,{typed},München,2026-12-31\n",
        encoding="utf-8",
    )
    (row,) = merge(source, base={"sender": {"name": "Erika Muster"}}, check=True).results
    assert row.status == "failed"
    assert f"recipient.postal_code: '{typed}' is not a postcode in Germany" in row.problems[0]
    assert (
        f"did you mean '{meant}'? (the list was written with its postcodes as decimal numbers"
        in row.problems[0]
    )


def test_a_bad_sender_postcode_in_the_base_is_told_once_as_the_base_s(tmp_path: Path) -> None:
    """base.yaml's sender.postal_code '1011' (country DE) was reported for every row of the
    list ('clients.csv: row 2: sender.postal_code ...', row 3, ... one line per client),
    as the check needs a locale, which the rows give; the base's email error alone was told
    first, its postcode only once that was fixed."""
    from letterkit.errors import InputError

    base = tmp_path / "base.yaml"
    base.write_text(
        "date: 2026-11-26\nsender:\n  name: Erika Muster\n  email: erika@\n  street: Hauptstraße 1\n"
        "  postal_code: '1011'\n  city: Berlin\n  country: DE\n",
        encoding="utf-8",
    )
    rows = [{**_email_rows()[0], "sender.name": "Erika Muster"}, _email_rows()[1]]
    for row in rows:
        for key in ("sender.email", "sender.company", "date"):
            row.pop(key, None)
    with pytest.raises(InputError) as error:
        merge(rows, base=base, check=True)
    assert [(p.path, p.line) for p in error.value.problems] == [
        ("sender.email", 4),
        ("sender.postal_code", 6),
    ]
    assert "'1011' is not a postcode in Germany" in str(error.value)
    # without a country the sender's country is the row's locale's: a row's problem, as before
    base.write_text(
        base.read_text(encoding="utf-8")
        .replace("  country: DE\n", "")
        .replace("erika@\n", "erika@example.de\n")
    )
    report = merge([{**rows[0], "locale": "de-AT"}, rows[1]], base=base, check=True)
    assert [r.status for r in report.results] == ["valid", "failed"]
    assert "sender.postal_code: '1011' is not a postcode in Germany" in report.results[1].problems[0]


@pytest.mark.parametrize(
    ("locale", "typed", "written"),
    [("en-US", "US$ 1,190.00", "$1,190.00"), ("en-US", "1,190.00 US$", "$1,190.00"),
     ("de-CH", "SFr. 1'190.00", "CHF 1’190.00"), ("de-CH", "1'190.50 SFr.", "CHF 1’190.50")],
)  # fmt: skip
def test_us_dollar_and_swiss_franc_marks_as_exports_write_them(
    tmp_path: Path, locale: str, typed: str, written: str
) -> None:
    """'US$ 1,190.00' and "SFr. 1'190.00" were 'not an amount; write it as a number'."""
    row = {**ADDRESS, "locale": locale, "channel": "email", "sender.email": "erika@example.de",
           "recipient.last_name": "Maier", "recipient.email": "maier@example.com", "final_invoice.amount": typed}  # fmt: skip
    (result,) = merge([row], out_dir=tmp_path, fmt="eml").results
    assert result.status == "written", result.problems
    import email
    from email import policy

    sent = email.message_from_bytes((tmp_path / result.file).read_bytes(), policy=policy.default)
    assert written in sent.get_body(("plain",)).get_content().replace("\xa0", " ")
    wrong = {**row, "locale": "de-DE"}
    (refused,) = merge([wrong], check=True).results
    assert "but this letter's amount is in EUR" in refused.problems[0]
