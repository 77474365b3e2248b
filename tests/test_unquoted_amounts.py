"""An amount written without quotes in YAML or JSON with three decimals after a dot
("amount: 1.190") is read as the letter's locale writes numbers, as the quoted "1.190" is:
YAML and JSON alone read it as 1.19 (acceptance 21: "1,19 €" for 1.190 in a German letter)."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.errors import InputError
from letterkit.merge import merge
from letterkit.merge.sources import read_rows

SENDER = {"company": "Muster GmbH", "name": "Erika Muster", "email": "erika@example.de"}
RECIPIENT = {"gender": "female", "first_name": "Anna", "last_name": "Schneider", "email": "anna@example.de"}


def yaml_input(locale: str, amount: str) -> str:
    return (
        f"locale: {locale}\nchannel: email\nend_date: 2027-01-31\n"
        f"sender: {json.dumps(SENDER)}\nrecipient: {json.dumps(RECIPIENT)}\n"
        f"final_invoice: {{amount: {amount}, due_date: 2027-02-28}}\n"
    )


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("1.190", "1.190,00 €"), ("12.500", "12.500,00 €"), ("3.000", "3.000,00 €"), ("12.5", "12,50 €"), ("1190.00", "1.190,00 €")],
)
def test_an_unquoted_amount_in_a_german_yaml_input_is_read_as_german_writes_it(tmp_path, amount, expected):
    path = tmp_path / "client.yaml"
    path.write_text(yaml_input("de-DE", amount), encoding="utf-8")
    letter = letterkit.compose(path)
    assert expected in letter.body.replace("\u00a0", " ")


@pytest.mark.parametrize("locale", ["en-GB", "en-US", "de-CH"])
def test_an_unquoted_amount_with_three_decimals_is_ambiguous_where_the_dot_is_the_decimal_mark(tmp_path, locale):
    path = tmp_path / "client.yaml"
    path.write_text(yaml_input(locale, "1.000"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        letterkit.compose(path)
    (problem,) = info.value.problems
    assert str(problem).startswith(f"line 6: final_invoice.amount: '1.000' is ambiguous in {locale}")


def test_the_cli_reports_the_ambiguity_instead_of_writing_one_pound(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text(yaml_input("en-GB", "1.000"), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 1 and "is ambiguous in en-GB" in result.output
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".yaml"])
def test_merge_rows_keep_three_decimals_as_typed(tmp_path: Path, suffix):
    rows = [{"locale": "de-DE", "final_invoice": {"amount": "AMOUNT"}}, {"locale": "de-DE", "final_invoice": {"amount": 1.5}}]
    if suffix == ".json":
        text = json.dumps(rows)
    elif suffix == ".jsonl":
        text = "\n".join(json.dumps(row) for row in rows)
    else:
        text = "- {locale: de-DE, final_invoice: {amount: AMOUNT}}\n- {locale: de-DE, final_invoice: {amount: 1.5}}\n"
    path = tmp_path / f"rows{suffix}"
    path.write_text(text.replace('"AMOUNT"', "1.190").replace("AMOUNT", "1.190"), encoding="utf-8")
    amounts = [row.data["final_invoice"]["amount"] for row in read_rows(path)]
    assert amounts == ["1.190", 1.5]


def test_a_merge_of_json_rows_writes_the_thousands(tmp_path: Path):
    base = {"sender": SENDER, "end_date": "2027-01-31", "channel": "email", "locale": "de-DE"}
    row = {"recipient": RECIPIENT, "final_invoice": {"amount": "AMOUNT", "due_date": "2027-02-28"}}
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([row]).replace('"AMOUNT"', "12.500"), encoding="utf-8")
    report = merge(path, base=base, out_dir=tmp_path / "out", fmt="eml")
    assert report.ok, report.failed
    message = message_from_bytes((tmp_path / "out" / report.results[0].file).read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "12.500,00 €" in text.replace("\u00a0", " ")
