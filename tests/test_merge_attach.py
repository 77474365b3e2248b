"""One attachment per row in a mail merge: --attach "invoices/{contract.reference}.pdf"."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import LetterkitError
from letterkit.merge import merge

SENDER = {
    "company": "Muster GmbH",
    "name": "Anna Schmidt",
    "street": "Hauptstraße 1",
    "postal_code": "10115",
    "city": "Berlin",
    "email": "anna@muster.example",
}


def rows(references: list[str]) -> list[dict]:
    return [
        {
            "locale": "de-DE",
            "sender": SENDER,
            "end_date": "2026-12-31",
            "contract": {"name": "Wartungsvertrag", "reference": reference},
            "recipient": {
                "company": f"Kunde {i} AG",
                "gender": "female",
                "last_name": f"Schön{i}",
                "email": f"k{i}@example.com",
            },
        }
        for i, reference in enumerate(references, start=1)
    ]


def attached(path: Path) -> list[tuple[str, bytes]]:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return [(part.get_filename(), part.get_content()) for part in message.iter_attachments()]


@pytest.fixture
def invoices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "invoices"
    folder.mkdir()
    for reference in ("W-1", "W_2"):
        (folder / f"{reference}.pdf").write_bytes(f"%PDF {reference}".encode())
    (tmp_path / "terms.pdf").write_bytes(b"%PDF terms")
    return folder


def test_each_email_gets_its_own_file_and_the_shared_one(invoices: Path, tmp_path: Path) -> None:
    report = merge(
        rows(["W-1", "W/2"]), out_dir=tmp_path / "out", fmt="eml",
        attachments=["terms.pdf", "invoices/{contract.reference}.pdf"],
    )  # fmt: skip
    assert report.ok, report.failed
    first, second = (tmp_path / "out" / r.file for r in report.results)
    assert attached(first) == [("terms.pdf", b"%PDF terms"), ("W-1.pdf", b"%PDF W-1")]
    # a path separator in a value becomes _: it never leads out of the folder
    assert attached(second) == [("terms.pdf", b"%PDF terms"), ("W_2.pdf", b"%PDF W_2")]


def body(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_the_email_names_the_files_it_carries_and_says_the_invoice_is_attached(
    invoices: Path, tmp_path: Path
) -> None:
    data = rows(["W-1"])
    data[0]["final_invoice"] = {"number": "W-1", "amount": "119,00", "due_date": "2027-01-15"}
    report = merge(
        data, out_dir=tmp_path / "out", fmt="eml", attachments=["terms.pdf", "invoices/{final_invoice.number}.pdf"]
    )
    assert report.ok, report.failed
    text = body(tmp_path / "out" / report.results[0].file)
    assert "Anhänge:\nterms.pdf\nW-1.pdf" in text
    assert "im Anhang" in text and "gesondert" not in text  # the invoice W-1 is attached
    bare = merge(data, out_dir=tmp_path / "bare", fmt="eml")  # nothing attached: promised apart
    assert "gesondert" in body(tmp_path / "bare" / bare.results[0].file)
    listed = [dict(data[0], enclosures=["Schlussrechnung W-1", "Allgemeine Geschäftsbedingungen"])]
    own = merge(
        listed, out_dir=tmp_path / "own", fmt="eml", attachments=["terms.pdf", "invoices/{final_invoice.number}.pdf"]
    )
    own_text = body(tmp_path / "own" / own.results[0].file)  # the writer's own list stays
    assert "Schlussrechnung W-1\nAllgemeine Geschäftsbedingungen" in own_text and "terms.pdf" not in own_text


def test_generate_names_the_attached_files_as_merge_does(invoices: Path, tmp_path: Path) -> None:
    import yaml

    data = rows(["W-1"])
    (tmp_path / "one.yaml").write_text(yaml.safe_dump(data[0], allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["generate", "one.yaml", "-o", "one.eml", "--attach", "terms.pdf", "--attach", "invoices/W-1.pdf"]
    )
    assert result.exit_code == 0, result.output
    merged = merge(data, out_dir=tmp_path / "out", fmt="eml", attachments=["terms.pdf", "invoices/W-1.pdf"])
    assert (tmp_path / "one.eml").read_bytes() == (tmp_path / "out" / merged.results[0].file).read_bytes()
    assert "Anhänge:\nterms.pdf\nW-1.pdf" in body(tmp_path / "one.eml")


def test_a_missing_file_fails_its_row_before_anything_is_written(invoices: Path, tmp_path: Path) -> None:
    pattern = "invoices/{contract.reference}.pdf"
    checked = merge(rows(["W-1", "W-9"]), check=True, fmt="eml", attachments=[pattern])
    assert [r.status for r in checked.results] == ["valid", "failed"]
    (problem,) = checked.results[1].problems
    assert "invoices/W-9.pdf not found" in problem and pattern in problem and "contract.reference" in problem
    report = merge(rows(["W-1", "W-9"]), out_dir=tmp_path / "out", fmt="eml", attachments=[pattern])
    assert [r.status for r in report.results] == ["written", "failed"]
    assert len(list((tmp_path / "out").glob("*.eml"))) == 1


def test_an_empty_field_names_no_file(invoices: Path) -> None:
    report = merge(rows([""]), check=True, fmt="eml", attachments=["invoices/{contract.reference}.pdf"])
    (problem,) = report.results[0].problems
    assert "{contract.reference} is empty in this row" in problem


def test_a_pattern_with_an_unknown_field_is_refused_with_a_suggestion(invoices: Path) -> None:
    with pytest.raises(LetterkitError, match=r"did you mean \{contract.reference\}"):
        merge(rows(["W-1"]), check=True, fmt="eml", attachments=["invoices/{contract.referenz}.pdf"])


def test_cli_attaches_per_row(invoices: Path, tmp_path: Path) -> None:
    import yaml

    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(["W-1", "W-7"]), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["merge", str(data), "-o", "out", "--format", "eml", "--attach", "invoices/{contract.reference}.pdf"],
    )
    assert result.exit_code == 1, result.output
    assert "invoices/W-7.pdf not found" in result.output and "Traceback" not in result.output
    (written,) = (tmp_path / "out").glob("*.eml")
    assert attached(written) == [("W-1.pdf", b"%PDF W-1")]


def test_cli_says_when_one_file_goes_to_every_email(invoices: Path, tmp_path: Path) -> None:
    import yaml

    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump(rows(["W-1", "W_2"]), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["merge", str(data), "-o", "out", "--format", "eml", "--attach", "terms.pdf"]
    )
    assert result.exit_code == 0, result.output
    assert "terms.pdf is attached to every email (2)" in result.output


def test_fields_are_read_from_the_row_as_typed(invoices: Path, tmp_path: Path) -> None:
    """As --name reads them: '{final_invoice.currency}' is the row's 'EUR' (the validated
    model keeps the currency inside the amount, where a lookup would find nothing)."""
    data = rows(["W-1"])
    data[0]["final_invoice"] = {"amount": "100,00", "currency": "EUR", "due_date": "2027-01-15"}
    (invoices / "W-1-EUR.pdf").write_bytes(b"%PDF euro")
    report = merge(
        data,
        out_dir=tmp_path / "out",
        fmt="eml",
        attachments=["invoices/{contract.reference}-{final_invoice.currency}.pdf"],
    )
    assert report.ok, report.failed
    assert attached(tmp_path / "out" / report.results[0].file) == [("W-1-EUR.pdf", b"%PDF euro")]


def test_a_value_of_dot_dot_names_no_file(invoices: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF secret")
    report = merge(
        rows([".."]), check=True, fmt="eml", attachments=["invoices/{contract.reference}/../secret.pdf"]
    )
    (problem,) = report.results[0].problems  # refused as a value already, before any path is made
    assert problem.startswith("contract.reference: '..' has no letter or digit")
