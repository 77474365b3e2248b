"""Where a row meets --base: a row's own signer does not sign with the base signer's role,
and an optional part only the base starts (a due date without an amount) says so (tester16)."""

from __future__ import annotations

from pathlib import Path

import letterkit

BASE = {
    "date": "2026-11-26",
    "sender": {
        "company": "Muster Webdesign GmbH",
        "name": "Erika Muster",
        "role": "Geschäftsführerin",
        "street": "Hauptstraße 1",
        "postal_code": "10115",
        "city": "Berlin",
        "email": "erika@example.de",
    },
}
ROW = {
    "locale": "de-DE",
    "recipient.gender": "female",
    "recipient.last_name": "Schneider",
    "recipient.street": "Nebenweg 2",
    "recipient.postal_code": "80331",
    "recipient.city": "München",
    "end_date": "2026-12-31",
}


def test_a_row_with_its_own_signer_does_not_print_the_base_signers_role(tmp_path: Path) -> None:
    rows = [{**ROW, "sender.name": "Jonas Weber"}, {**ROW, "sender.name": "Lea Kurz", "sender.role": "Projektleiterin"}, ROW]
    report = letterkit.merge(rows, base=BASE, out_dir=tmp_path, fmt="txt")
    assert report.ok
    first, second, third = [(tmp_path / r.file).read_text(encoding="utf-8") for r in report]
    assert "Jonas Weber\n" in first and "Geschäftsführerin" not in first
    assert "erika@example.de" in first  # the firm's address, phone and mailbox stay
    assert "Lea Kurz\nProjektleiterin" in second and "Geschäftsführerin" not in second
    assert "Erika Muster\nGeschäftsführerin" in third
    notices = [r.problems for r in report]
    assert any("sender.role (Geschäftsführerin) of --base" in p and "Jonas Weber" in p for p in notices[0])
    # the mailbox kept is said too: the client reads it as Jonas Weber's contact
    assert any("sender.email (erika@example.de) of --base is kept" in p for p in notices[0])
    assert notices[1] == [] and notices[2] == []


def test_the_same_signer_in_the_row_keeps_the_base_role(tmp_path: Path) -> None:
    report = letterkit.merge([{**ROW, "sender.name": "Erika Muster"}], base=BASE, out_dir=tmp_path, fmt="txt")
    text = (tmp_path / report.results[0].file).read_text(encoding="utf-8")
    assert "Erika Muster\nGeschäftsführerin" in text and report.results[0].problems == []


def test_a_due_date_in_the_base_without_an_amount_in_the_row_names_the_base(tmp_path: Path) -> None:
    base = {**BASE, "final_invoice": {"due_date": "2027-01-15"}}
    rows = [{**ROW, "final_invoice.amount": "1.190,00"}, ROW]
    report = letterkit.merge(rows, base=base, out_dir=tmp_path, fmt="txt")
    assert [r.status for r in report] == ["written", "failed"]
    (problem,) = report.results[1].problems
    assert "final_invoice.amount: required" in problem
    assert "final_invoice.due_date comes from --base" in problem
    assert "leave final_invoice out altogether" not in problem  # the row cannot: the base gives it


def test_a_part_the_row_gives_itself_keeps_the_usual_advice(tmp_path: Path) -> None:
    report = letterkit.merge([{**ROW, "final_invoice.due_date": "2027-01-15"}], base=BASE, out_dir=tmp_path, fmt="txt")
    (problem,) = report.results[0].problems
    assert "leave final_invoice out altogether" in problem


def test_a_key_required_for_another_reason_keeps_its_own_message(tmp_path: Path) -> None:
    base = {**BASE, "sender": {k: v for k, v in BASE["sender"].items() if k != "email"}}
    row = {**ROW, "channel": "email", "recipient.email": "a@example.com"}
    report = letterkit.merge([row], base=base, check=True)
    assert report.results[0].problems == [
        "sender.email: required for channel: email (the address the email comes from)"
    ]
