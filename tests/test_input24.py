"""Round 24 (acceptance): input that was read by a guess or reported unhelpfully. A slash
date whose day and month could be swapped is refused with both readings; a first_name
alone says what else a name needs; a locale letterkit does not have sends Liechtenstein to
de-CH (not to de-DE by its letters), fr-CH nowhere; an unclosed '{' is reported on the line
where it opens; scripts/lint_accuracy.py has a usage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import letterkit
from letterkit.cli import main
from letterkit.model import validate

ROOT = Path(__file__).resolve().parent.parent


def data(locale: str = "de-CH", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "locale": locale,
        "date": "2026-11-26",
        "end_date": "2027-03-31",
        "sender": {"company": "Segelschule Obersee GmbH", "name": "Corinne Bachmann", "email": "c@example.ch"},
        "recipient": {"first_name": "Reto", "last_name": "Küng", "gender": "male", "email": "r@example.ch"},
        "channel": "email",
    }
    base.update(changes)
    return base


def generate(path: Path) -> Result:
    return CliRunner().invoke(main, ["generate", str(path), "-o", str(path.with_suffix(".txt"))])


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(letterkit.InputError) as caught:
        validate(raw)
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


# --- 6. a slash date that could be read two ways -------------------------------------------


@pytest.mark.parametrize("locale", ["de-DE", "de-AT", "de-CH", "en-GB", "en-US"])
@pytest.mark.parametrize("field", ["end_date", "date"])
def test_a_slash_date_with_day_and_month_both_twelve_or_less_is_refused(locale: str, field: str) -> None:
    raw = data(locale, **{field: "03/04/2027", "end_date" if field == "date" else "date": "2027-05-31"})
    if field == "date":
        raw["date"], raw["end_date"] = "03/04/2027", "2027-05-31"
    (problem,) = problems(raw)
    assert problem == (
        f"{field}: '03/04/2027' could be 3 April 2027 or 4 March 2027 (day or month first); write it as "
        "YYYY-MM-DD: 2027-04-03 or 2027-03-04 (in a spreadsheet, format the column so, or merge the "
        ".xlsx, whose dates are read as dates)"
    )


@pytest.mark.parametrize(
    ("locale", "written", "read"),
    [
        ("en-US", "12/31/2026", "2026-12-31"),  # the documented forms
        ("en-GB", "31/12/2026", "2026-12-31"),
        ("de-CH", "31/12/2026", "2026-12-31"),
        ("de-CH", "05/05/2027", "2027-05-05"),  # the same either way
        ("en-US", "1/1/2027", "2027-01-01"),
        ("de-CH", "31.03.2027", "2027-03-31"),  # dots are day first
        ("en-US", "2027-03-04", "2027-03-04"),
    ],
)
def test_dates_that_cannot_be_misread_are_read(locale: str, written: str, read: str) -> None:
    assert validate(data(locale, date="2026-11-26", end_date=written)).end_date.isoformat() == read


def test_a_csv_row_with_a_swappable_slash_date_fails_its_row_with_the_field(tmp_path: Path) -> None:
    from letterkit.merge import merge

    source = tmp_path / "clients.csv"
    source.write_text(
        "locale,channel,recipient.company,recipient.email,end_date\n"
        "en-US,email,Acme Inc.,a@example.com,12/31/2026\n"
        "en-US,email,Bolt Inc.,b@example.com,03/04/2027\n",
        encoding="utf-8",
    )
    base = {"date": "2026-11-26", "sender": {"company": "Pinecrest LLC", "name": "Rachel Kim", "email": "r@example.com"}}
    first, second = merge(source, base=base, check=True).results
    assert not first.problems
    assert any(p.startswith("end_date: '03/04/2027' could be 3 April 2027 or 4 March 2027") for p in second.problems)


def test_an_xlsx_date_cell_is_a_date() -> None:
    import datetime as dt

    assert validate(data(end_date=dt.datetime(2027, 3, 4))).end_date == dt.date(2027, 3, 4)


# --- 7. a first name alone --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["recipient", "sender"])
def test_a_first_name_alone_says_what_a_name_needs(who: str) -> None:
    raw = data()
    raw[who] = {"first_name": "Reto", "gender": "male", "email": "r@example.ch"}
    found = [p for p in problems(raw) if p.startswith(f"{who}:")]
    assert found == [
        f"{who}: a first_name alone is not enough to address the letter; add {who}.last_name (or write "
        f"{who}.name, the full name, e.g. 'Anna Schneider', instead of first_name), or {who}.company"
    ]


def test_no_name_at_all_says_what_name_means() -> None:
    raw = data(recipient={"gender": "male", "email": "r@example.ch"})
    assert problems(raw) == [
        "recipient: needs a company, a name (the full name, e.g. 'Anna Schneider') or a last_name"
    ]


# --- 8. locales letterkit does not have ------------------------------------------------------

EXPECTED = "expected one of de-DE, de-AT, de-CH, en-GB, en-US"


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("de-LI", "; for Liechtenstein write locale: de-CH (its letters follow the same conventions)"),
        ("de_li", "; for Liechtenstein write locale: de-CH (its letters follow the same conventions)"),
        ("de-LU", "; for Luxembourg write locale: de-DE (its letters follow the same conventions)"),
        (
            "en-IE",
            "; for Ireland write locale: en-GB (its letters follow the same conventions), "
            "and currency: EUR in final_invoice and refund",
        ),
        ("en-UK", "; write locale: en-GB"),
        ("en-AU", "; letterkit has no locale for Australia; write the one its letters follow: en-GB or en-US"),
        ("fr-CH", "; letterkit writes English and German letters only"),
        ("it", "; letterkit writes English and German letters only"),
        ("de", "; add the country: de-DE, de-AT or de-CH"),
        ("en-U", " (did you mean 'en-US'?)"),  # a slip keeps its did-you-mean
    ],
)
def test_a_locale_letterkit_does_not_have_is_sent_where_its_letters_belong(written: str, hint: str) -> None:
    assert problems(data(written)) == [f"locale: '{written}' is not allowed; {EXPECTED}{hint}"]


def test_the_reported_liechtenstein_letter_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "li.yaml"
    path.write_text("locale: de-LI\nend_date: 2027-03-31\nsender: {company: A AG, name: B}\n"
                    "recipient: {company: C AG}\n", encoding="utf-8")
    result = generate(path)
    assert result.exit_code == 1
    assert "for Liechtenstein write locale: de-CH" in result.output and "de-DE'?" not in result.output


# --- 9. a YAML error where it starts ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "locale: de-CH\nsender: {company: X GmbH, name: Y\nrecipient: {company: Z AG}\nend_date: 2027-01-31\n",
            2,
            "the '{' at column 9 is not closed before line 3",
        ),
        (
            "locale: de-CH\nreasons: [capacity, budget\nend_date: 2027-01-31\n",
            2,
            "the '[' at column 10 is not closed before line 3",
        ),
        (
            'locale: de-CH\nreason_note: "Wir geben auf\nend_date: 2027-01-31\n',
            2,
            "the quotation mark at column 14 is not closed before the end of the file",
        ),
        # errors without an opening keep the line the parser names
        ("locale: de-CH\nsender:\n  company: X\n   name: Y\n", 4, "mapping values are not allowed"),
        ("sender: {company: X, name: a: b}\n", 1, "did not find expected ',' or '}'"),
    ],
)
def test_a_yaml_error_is_reported_where_it_starts(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    result = generate(path)
    assert result.exit_code == 1
    assert f"{path}:{line}: is not valid YAML: " in result.output and message in result.output, result.output


# --- 10. scripts/lint_accuracy.py --help ---------------------------------------------------------


def script(*args: str) -> Any:
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lint_accuracy.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )


def test_lint_accuracy_has_a_usage() -> None:
    done = script("--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: lint_accuracy.py [-h] [CORPUS_DIR]")
    assert "Traceback" not in done.stderr


def test_lint_accuracy_names_a_folder_without_a_corpus(tmp_path: Path) -> None:
    done = script(str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{tmp_path} has no de.yaml and no en.yaml" in done.stderr
