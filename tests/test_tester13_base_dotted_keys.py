"""Tester 13: a --base written with the dotted keys of a list's columns (``sender.name:``)
is told once, for the base, with the nested form to write; it was told for every row of
the list, as an unknown key of the row (``clients.csv: row 2: sender.name: unknown key``)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import InputError
from letterkit.merge import merge

ROW = {"locale": "de-DE", "end_date": "2026-12-31", "recipient": {"company": "Beispiel AG", "email": "a@example.com"}}


def test_dotted_keys_in_the_base_are_told_once_for_the_base(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("sender.company: Muster GmbH\nsender.name: Erika Muster\nsender.city: Berlin\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        merge([ROW, ROW], base=base, check=True)
    text = str(caught.value)
    assert str(base) in text and "sender.name" in text and "line 2" in text
    assert "sender:" in text and "name: Erika Muster" in text  # the nested form to write


def test_the_cli_names_the_base_not_the_rows(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("sender.company: Muster GmbH\nsender.name: Erika Muster\n", encoding="utf-8")
    rows = tmp_path / "clients.csv"
    rows.write_text("locale;end_date;recipient.company\nde-DE;31.12.2026;Beispiel AG\nde-DE;31.12.2026;Zweite AG\n")
    result = CliRunner().invoke(main, ["merge", str(rows), "--base", str(base), "--check"])
    assert result.exit_code == 1
    assert "base.yaml" in result.output and "row 2" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("text", "held"), [("a,b\n1,2\n", "text such as a CSV file's"), ("- sender: {name: L}\n", "a list")])
def test_a_client_list_given_as_the_base_is_named_for_what_it_is(tmp_path, text, held):
    base = tmp_path / "base.csv"
    base.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        merge([ROW], base=base, check=True)
    assert held in str(caught.value) and "it is the DATA to merge" in str(caught.value)
