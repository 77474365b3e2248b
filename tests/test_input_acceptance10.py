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
