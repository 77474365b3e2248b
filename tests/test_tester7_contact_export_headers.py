"""The headers of Outlook's and Google Contacts' CSV exports get a did-you-mean, as the
German export headers do (tester7: 'E-mail Address', 'Business Street', 'Business City',
'Business Postal Code' got none)."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"


def test_outlook_headers_are_told_what_they_mean(tmp_path: Path) -> None:
    data = tmp_path / "contacts.csv"
    data.write_text(
        '"First Name","Last Name","Company","E-mail Address","Business Street","Business City",'
        '"Business Postal Code","Business Country/Region"\r\n'
        '"Priya","Patel","Patel Ltd","priya@example.com","1 High St","Manchester","M1 1AA","United Kingdom"\r\n',
        encoding="utf-8",
    )
    with pytest.raises(LetterkitError) as caught:
        letterkit.merge(data, base=BASE, out_dir=tmp_path / "out")
    message = str(caught.value)
    for header, key in [
        ("E-mail Address", "recipient.email"),
        ("Business Street", "recipient.street"),
        ("Business City", "recipient.city"),
        ("Business Postal Code", "recipient.postal_code"),
        ("Business Country/Region", "recipient.country"),
    ]:
        assert f"'{header}' (did you mean '{key}'?)" in message, header
