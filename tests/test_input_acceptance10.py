"""Acceptance round 15: what the second outside test of the day found in the input.

- A missing or unknown locale together with a state, a postcode or an amount in another
  currency stopped validation with an internal error about the parts library
  ("templates/locale.yaml: cannot load the parts library") instead of naming the locale;
  in a merge, a --base sender with a state stopped every row.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

import letterkit
from letterkit.errors import InputError, TemplateError
from tests.conftest import BASE


@pytest.mark.parametrize("locale", [None, "fr-FR", ""])
def test_a_missing_or_unknown_locale_is_named_whatever_else_the_input_holds(locale: str | None) -> None:
    data = copy.deepcopy(BASE)
    if locale is None:
        del data["locale"]
    else:
        data["locale"] = locale
    data["sender"]["state"] = "VA"
    data["recipient"].update(state="CA", postal_code="1067")
    for party in ("sender", "recipient"):  # no country: the locale's would be the one
        del data[party]["country"]
    data["final_invoice"] = {"number": "1", "amount": "$ 100", "due_date": "2027-01-15"}
    with pytest.raises(InputError) as error:
        letterkit.validate(data)
    assert [p.path for p in error.value.problems] == ["locale"]


def test_a_base_sender_with_a_state_and_the_locale_in_each_row(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "locale,recipient.company,recipient.email,channel,end_date\n"
        "en-US,Foo Inc.,a@foo.com,email,2026-12-31\n"
        "en-GB,Bar Ltd,b@bar.co.uk,email,2026-12-31\n",
        encoding="utf-8",
    )
    base = {"sender": {"company": "Bar Inc.", "name": "Al Bar", "email": "al@bar.com", "state": "VA"}}
    report = letterkit.merge(rows, base=base, out_dir=tmp_path / "out", fmt="eml")
    assert report.ok and report.count("written") == 2


# - A finished letter given as --template (no placeholder for the letter's text) made every
#   client the same fixed letter, exit 0, without a word.


def _finished_letter(tmp_path: Path) -> Path:
    path = tmp_path / "finished.docx"
    path.write_bytes(letterkit.render(letterkit.compose(copy.deepcopy(BASE)), "docx"))
    return path


def test_a_template_without_the_letters_text_is_refused_by_generate(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    source = tmp_path / "client.yaml"
    source.write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "letter.docx"
    result = CliRunner().invoke(
        main, ["generate", str(source), "--template", str(_finished_letter(tmp_path)), "-o", str(out)]
    )
    assert result.exit_code == 1 and not out.exists()
    assert "holds none of letterkit's placeholders for the letter's text" in result.output
    assert "{%p for b in blocks %}" in result.output


@pytest.mark.parametrize("check", [False, True])
def test_a_template_without_the_letters_text_stops_a_merge_before_any_row(tmp_path: Path, check: bool) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "recipient.last_name,recipient.email\nSchneider,a@example.com\nMeier,b@example.com\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(TemplateError, match="none of letterkit's placeholders"):
        letterkit.merge(rows, base=BASE, out_dir=out, template=_finished_letter(tmp_path), check=check)
    assert not out.exists()


def test_the_built_in_and_the_sample_letterhead_pass_the_check() -> None:
    from letterkit.render.docx import check_template

    root = Path(__file__).resolve().parent.parent
    for template in (root / "templates" / "de" / "letter.docx", root / "samples" / "letterhead.docx"):
        check_template(template)


# - A hidden Excel column stopped the merge although the column mapping left it out
#   ("Interne Notiz": null); a column the mapping ignores is no note merged unseen.


def test_a_hidden_column_the_mapping_ignores_does_not_stop_the_merge(tmp_path: Path) -> None:
    import openpyxl

    from letterkit.errors import SourceError

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nachname", "Firma", "Anrede", "Interne Notiz", "Bemerkung"])
    sheet.append(["Roth", "A GmbH", "Frau", "zahlt immer zu spät", "x"])
    sheet.column_dimensions["D"].hidden = True
    book.save(tmp_path / "list.xlsx")
    columns = {
        "Nachname": "recipient.last_name",
        "Firma": "recipient.company",
        "Anrede": "recipient.gender",
        "Interne Notiz": None,
        "Bemerkung": None,
    }
    assert letterkit.merge(tmp_path / "list.xlsx", base=BASE, columns=columns, check=True).ok
    del columns["Interne Notiz"]  # the hidden column would be read: still refused
    with pytest.raises(SourceError, match=r"hidden in the sheet: D 'Interne Notiz'.*map them to null"):
        letterkit.merge(tmp_path / "list.xlsx", base=BASE, columns=columns, check=True)


# - The --base sender's return line, too wide for the address field, was warned of once
#   per row (500 identical lines for 500 rows): a warning rows share is printed once.


def test_a_warning_every_row_shares_is_printed_once_with_its_rows(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    base = copy.deepcopy(BASE)
    base["sender"]["company"] = "Grünwerk Garten- und Landschaftsbau Gesellschaft mit beschränkter Haftung"
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    lines = ["recipient.last_name,recipient.company"] + [f"Roth{n},Firma {n} GmbH" for n in range(12)]
    (tmp_path / "rows.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["merge", str(tmp_path / "rows.csv"), "--base", str(tmp_path / "base.yaml"), "-o", str(tmp_path / "out")],
    )
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "the return address line" in line]
    assert len(warned) == 1 and "rows 2, 3, 4, 5, 6 and 7 more: warning:" in warned[0]


# - A comma after the last entry of a JSON object, the commonest JSON slip, was reported at
#   the closing bracket as "Expecting property name enclosed in double quotes".


def test_a_trailing_comma_in_json_is_named_at_its_line(tmp_path: Path) -> None:
    from letterkit.errors import SourceError

    text = '{\n  "locale": "de-DE",\n  "end_date": "2026-12-31",\n}\n'
    (tmp_path / "client.json").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as error:
        letterkit.compose(tmp_path / "client.json")
    assert str(error.value) == (
        f"{tmp_path / 'client.json'}:3: is not valid JSON: a comma after the last entry (column 27); "
        "JSON allows none before a closing } or ]: remove it"
    )
    (tmp_path / "rows.json").write_text('[{"recipient": {"last_name": "Roth"}},\n]\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"rows.json:1: is not valid JSON: a comma after the last entry"):
        letterkit.merge(tmp_path / "rows.json", base=BASE, check=True)


# - 'reasons: capacity, budget' in a YAML input was one unknown code ("did you mean
#   'capacity'?"), where a merge's cell with the same text gives two codes.


def test_reasons_written_as_one_text_are_read_as_a_merge_cell_is() -> None:
    data = copy.deepcopy(BASE)
    data["reasons"] = "capacity, budget"
    assert letterkit.validate(data).reasons == ("capacity", "budget")
    data["reasons"] = "capacity; unknown_thing"
    with pytest.raises(InputError, match=r"reasons\[1\]: unknown reason code 'unknown_thing'"):
        letterkit.validate(data)
