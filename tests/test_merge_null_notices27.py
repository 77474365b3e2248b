"""A row's cells that held a mark for no value (pandas' NaN, a database's NULL) are said
once per mark, with the keys that held it, not once per cell (tester16: a data frame with
many empty columns filled the report with one notice per cell, in every row)."""

from __future__ import annotations

from pathlib import Path

import yaml

import letterkit

BASE = yaml.safe_load((Path(__file__).parent.parent / "samples" / "merge" / "base.yaml").read_text(encoding="utf-8"))
ROW = {
    "locale": "de-DE",
    "recipient.company": "Kunde GmbH",
    "recipient.gender": "female",
    "recipient.last_name": "Muster",
    "recipient.street": "Weg 1",
    "recipient.postal_code": "80331",
    "recipient.city": "München",
    "contract.name": "Wartungsvertrag",
    "contract.reference": "W-1",
    "end_date": "2026-12-31",
}


def test_one_notice_per_mark_with_the_keys_that_held_it(tmp_path: Path) -> None:
    nan = float("nan")
    row = {**ROW, "recipient.first_name": nan, "recipient.title": nan, "final_invoice.amount": nan, "recipient.email": "NULL"}
    (result,) = letterkit.merge([row], base=BASE, out_dir=tmp_path, fmt="txt")
    assert result.status == "written"
    assert result.problems == [
        "recipient.first_name, recipient.title, final_invoice.amount: NaN read as empty (a mark for no value)",
        "recipient.email: 'NULL' read as empty (a mark for no value)",
    ]
