"""Merge, acceptance 32 (an outside tester's exports): a number in a workbook shown with a
currency or percentage format keeps what its format says."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_merge_review27 as review

from letterkit.merge import merge
from letterkit.merge.number_formats import format_kind, shown_value


def _formatted(tmp_path: Path, cases: list[tuple[str, object, str]]) -> Path:
    """A workbook with one client per case: (locale, amount, the amount cell's number format)."""
    import openpyxl

    path = review._workbook(
        tmp_path, [[locale, "Eva", f"Kundin{i}", "Frau", "Weg 1", "10115", "Berlin", "31.12.2026", amount]
                   for i, (locale, amount, _) in enumerate(cases)], merged=[])  # fmt: skip
    book = openpyxl.load_workbook(path)
    for i, (_, _, number_format) in enumerate(cases):
        book.active.cell(row=i + 2, column=9).number_format = number_format
    book.save(path)
    return path


def test_a_currency_format_is_compared_with_the_letters_currency(tmp_path: Path) -> None:
    path = _formatted(
        tmp_path,
        [
            ("de-CH", 1190, "#,##0.00 [$€-407]"),  # Excel shows 1.190,00 €
            ("de-DE", 1190, "[$£-809]#,##0.00"),  # £1,190.00
            ("de-DE", 0.19, "0%"),  # 19%
            ("de-DE", 1190.5, "#,##0.00 €"),
            ("de-DE", 990, "[$€-C07] #,##0.00"),
            ("de-DE", 990, "#,##0.00"),
        ],
    )
    report = merge(path, base=review.BASE, check=True, columns=review.MAPPING)
    outcome = [(r.status, r.problems) for r in report.results]
    assert outcome[0][0] == "failed" and outcome[0][1][0] == (
        "final_invoice.amount: 'EUR 1190.00' is in EUR, but this letter's amount is in CHF (CHF is the "
        "currency of de-CH); write the amount without a currency, or, if it really is in that currency, "
        "set final_invoice.currency: EUR"
    )  # (and the Berlin postcode in a Swiss letter)
    assert outcome[1][0] == "failed" and "'GBP 1190.00' is in GBP" in outcome[1][1][0]
    assert outcome[2] == ("failed", ["final_invoice.amount: '19%' is not an amount; write it as a number, e.g. 1190.00"])
    assert [status for status, _ in outcome[3:]] == ["valid", "valid", "valid"]


@pytest.mark.parametrize(
    "number_format,kind",
    [
        ("General", None),
        ("0.00", None),
        ("#,##0.00 [$€-407]", "EUR"),
        ("[$£-809]#,##0.00", "GBP"),
        ("[$CHF] #,##0.00", "CHF"),
        ('#,##0.00 "CHF"', "CHF"),
        ('"$"#,##0.00', "$"),
        ("$#,##0.00", "$"),
        ('_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)', "$"),
        ("#,##0.00\\ €", "EUR"),
        ("[Red]#,##0.00;[Blue]-#,##0.00", None),
        ("0%", "%"),
        ("0.0%", "%"),
        ('0.00 "%"', None),  # a quoted % is a label, not a percentage
        ("dd.mm.yyyy", None),
    ],
)
def test_number_formats_are_read_for_their_currency_or_percentage(number_format: str, kind: str | None) -> None:
    assert format_kind(number_format) == kind


def test_a_formatted_value_is_shown_as_the_sheet_shows_it() -> None:
    assert shown_value(0.19, "0%") == "19%"
    assert shown_value(0.125, "0.0%") == "12.5%"
    assert shown_value(1190, "#,##0.00 €") == "EUR 1190.00"
    assert shown_value(10.005, "#,##0.00 €") == 10.005  # more than cents: the amount's own check fails it
    assert shown_value(1190, "General") == 1190
    assert shown_value("1.190,00 €", "#,##0.00 €") == "1.190,00 €"  # text stays text


def test_extra_fields_in_a_row_with_a_closed_multi_line_cell_are_told_as_extra_fields(tmp_path: Path) -> None:
    """Tester 32: a HubSpot-style note over three lines in closed quotes, and two extra
    fields at the end of the row: the message blamed an unclosed quote."""
    header = "locale,recipient.first_name,recipient.last_name,notes"
    path = tmp_path / "export.csv"
    path.write_text(
        f'{header}\nde-DE,Eva,Erste,ok\nde-DE,Max,Zweite,"Anruf am Montag,\nRückruf erbeten,\nAkte B",x,y\n',
        encoding="utf-8",
    )
    report = merge(path, base=review.BASE, check=True, columns={"notes": None})
    failed = report.results[1]
    assert failed.status == "failed"
    assert failed.problems == [
        "has 6 fields but the header has 4 (it runs over lines 3–5 of the file, in a quoted cell with line "
        "breaks); a value probably contains the delimiter: put it in double quotes, or remove the extra "
        "fields at the end of the row"
    ]
    # a quote left open reads the next rows into the cell: that is still told as such
    path.write_text(f'{header}\nde-DE,Max,Zweite,"Anruf am Montag\nde-DE,Eva,Erste,ok\nde-DE,Ida,Dritte,"ok"\n',
                    encoding="utf-8")  # fmt: skip
    report = merge(path, base=review.BASE, check=True, columns={"notes": None})
    assert any("probably not closed" in p for r in report.results for p in r.problems), report.results


def test_an_ambiguous_amount_in_another_currency_is_told_both(tmp_path: Path) -> None:
    path = _formatted(tmp_path, [("de-CH", "EUR 1.190", "General")])
    problems = merge(path, base=review.BASE, check=True, columns=review.MAPPING).results[0].problems
    amount = [p for p in problems if p.startswith("final_invoice.amount:")]
    assert len(amount) == 2, problems
    assert "'EUR 1.190' is ambiguous in de-CH" in amount[0]
    assert "'EUR 1.190' is in EUR, but this letter's amount is in CHF" in amount[1]


@pytest.mark.parametrize(
    "key,meant",
    [("recipient.nachname", "recipient.last_name"), ("recipient.Vorname", "recipient.first_name"),
     ("recipient.plz", "recipient.postal_code"), ("final_invoice.betrag", "final_invoice.amount")],
)  # fmt: skip
def test_a_field_named_in_german_is_suggested_by_what_it_means(key: str, meant: str) -> None:
    """'recipient.nachname' was answered with "did you mean 'recipient.name'?" (the whole name)."""
    flat = {"locale": "de-DE", key: "x"}
    block, field = key.split(".")
    nested = {"locale": "de-DE", block: {field: "x"}}
    for row in (flat, nested):
        problems = merge([row], base=review.BASE, check=True).results[0].problems
        told = [p for p in problems if p.lower().startswith(f"{key.lower()}: unknown key")]
        assert told and f"(did you mean '{meant}'?)" in told[0], problems


def test_a_date_given_as_an_excel_serial_number_is_read_and_told(tmp_path: Path) -> None:
    from datetime import date

    path = _formatted(tmp_path, [("de-DE", 1190, "General")])
    import openpyxl

    book = openpyxl.load_workbook(path)
    book.active.cell(row=2, column=8).value = 46387  # the end date column exported as General
    book.save(path)
    result = merge(path, base=review.BASE, check=True, columns=review.MAPPING).results[0]
    assert result.status == "valid"
    assert result.problems == [
        "end_date: 46387 was read as an Excel date serial number, 2026-12-31; if that is not the date "
        "meant, format the column as a date in Excel, or write YYYY-MM-DD"
    ]
    book.active.cell(row=2, column=8).value = date(2026, 12, 31)  # a date cell: nothing to tell
    book.save(path)
    assert merge(path, base=review.BASE, check=True, columns=review.MAPPING).results[0].problems == []
    csv_path = tmp_path / "list.csv"
    csv_path.write_text("locale,recipient.last_name,recipient.company,end_date,steps_taken.0.kind,steps_taken.0.date\n"
                        "de-DE,Meier,Meier GmbH,2026-12-31,meeting,46300\n", encoding="utf-8")  # fmt: skip
    told = merge(csv_path, base=review.BASE, check=True).results[0].problems
    assert [p for p in told if "serial" in p] == [
        "steps_taken.0.date: 46300 was read as an Excel date serial number, 2026-10-05; if that is not the "
        "date meant, format the column as a date in Excel, or write YYYY-MM-DD"
    ]


def test_a_street_over_two_lines_is_told_where_its_first_line_goes() -> None:
    row = {"locale": "de-DE", "recipient.company": "Kunde GmbH", "recipient.street": "c/o Buchhaltung\nLindenallee 4",
           "recipient.postal_code": "10115", "recipient.city": "Berlin", "end_date": "2027-01-31"}  # fmt: skip
    problems = merge([row], base=review.BASE, check=True).results[0].problems
    assert problems == [
        "recipient.street: line breaks are not allowed here; write it on one line, or put the line before "
        "the street in recipient.address_extra (recipient.address_extra: 'c/o Buchhaltung', "
        "recipient.street: 'Lindenallee 4')"
    ]


def test_a_folder_error_from_python_names_the_argument_too(tmp_path: Path) -> None:
    from letterkit.errors import LetterkitError

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(LetterkitError, match=r"choose another folder with -o \(out_dir= in Python\)"):
        row = {"locale": "de-DE", "recipient.company": "Kunde GmbH", "recipient.street": "Lindenallee 4",
               "recipient.postal_code": "10115", "recipient.city": "Berlin", "end_date": "2027-01-31"}  # fmt: skip
        merge([row], base=review.BASE, out_dir=blocker / "out")
