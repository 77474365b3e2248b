"""Where a row meets --base: a row's own signer does not sign with the base signer's role
(tester16)."""

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
    assert notices[1] == [] and notices[2] == []


def test_the_same_signer_in_the_row_keeps_the_base_role(tmp_path: Path) -> None:
    report = letterkit.merge([{**ROW, "sender.name": "Erika Muster"}], base=BASE, out_dir=tmp_path, fmt="txt")
    text = (tmp_path / report.results[0].file).read_text(encoding="utf-8")
    assert "Erika Muster\nGeschäftsführerin" in text and report.results[0].problems == []

