"""--attach "invoices/{final_invoice.number}.pdf" over a list in which some clients have
no final invoice (tester13): their emails carry no invoice and say nothing of one, with a
notice on the row; a row whose invoice number names no file still fails."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from test_merge_attach import SENDER

from letterkit.merge import merge


def row(number: int, invoice: str | None) -> dict:
    data = {
        "locale": "de-DE",
        "sender": SENDER,
        "end_date": "2026-12-31",
        "contract": {"name": "Wartungsvertrag", "reference": f"W-{number}"},
        "recipient": {"company": f"Kunde {number} AG", "gender": "female", "last_name": f"Roth{number}",
                      "email": f"k{number}@example.com"},
    }  # fmt: skip
    if invoice is not None:
        data["final_invoice"] = {"number": invoice, "amount": "119,00", "due_date": "2027-01-15"}
    return data


def attachments(path: Path) -> list[str]:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return [str(part.get_filename()) for part in message.iter_attachments()]


def test_a_client_without_a_final_invoice_gets_no_file_and_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "invoices").mkdir()
    (tmp_path / "invoices" / "R-1.pdf").write_bytes(b"%PDF R-1")
    report = merge(
        [row(1, "R-1"), row(2, None), row(3, "R-3")],
        out_dir=tmp_path / "out",
        fmt="eml",
        attachments=["invoices/{final_invoice.number}.pdf"],
    )
    first, second, third = report.results
    assert first.status == "written" and attachments(tmp_path / "out" / first.file) == ["R-1.pdf"]
    assert second.status == "written" and attachments(tmp_path / "out" / second.file) == []
    assert any(
        "no final_invoice, so --attach 'invoices/{final_invoice.number}.pdf' attaches nothing" in p
        for p in second.problems
    )
    message = email.message_from_bytes((tmp_path / "out" / second.file).read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    assert "Schlussrechnung" not in text and "Anhang" not in text
    first_text = email.message_from_bytes((tmp_path / "out" / first.file).read_bytes(), policy=policy.default)
    assert "Schlussrechnung" in first_text.get_body(("plain",)).get_content()
    assert third.status == "failed" and "attachment invoices/R-3.pdf not found" in third.problems[0]
