"""letterkit's own .docx letters abroad lint clean as drafts too (tester5).

A German sender writing to Switzerland keeps the ß of its own street in the return line
and the footer ("Große Elbstraße 145"), and the country line of a foreign address is in
capitals as DIN 5008 writes it ("SCHWEIZ"): neither is the writer's wording. Read as a
draft (``letterkit lint letter.docx``), the return line was cut at "Elbstr." and read as
running text, and the country line as shouting.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml

import letterkit
from letterkit.render import render

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text(encoding="utf-8"))

RECIPIENTS = {
    "de-CH": {"company": "Meier Treuhand AG", "gender": "female", "first_name": "Regula",
              "last_name": "Meier", "street": "Bahnhofstrasse 10", "postal_code": "8001",
              "city": "Zürich", "country": "CH"},
    "de-AT": {"company": "Huber Bau GmbH", "gender": "male", "first_name": "Franz",
              "last_name": "Huber", "street": "Mariahilfer Straße 5", "postal_code": "1060",
              "city": "Wien", "country": "AT"},
}  # fmt: skip


@pytest.mark.parametrize("locale", sorted(RECIPIENTS))
def test_a_letter_abroad_from_a_street_with_sharp_s_lints_clean(tmp_path: Path, locale: str) -> None:
    data = {
        **BASE,
        "sender": {**BASE["sender"], "company": "Nordlicht IT GmbH", "street": "Große Elbstraße 145",
                   "postal_code": "22767", "city": "Hamburg"},
        "locale": locale,
        "recipient": RECIPIENTS[locale],
        "contract": {"name": "Wartungsvertrag", "reference": "WV-5"},
        "end_date": "2026-12-31",
        "reasons": ["capacity"],
    }  # fmt: skip
    letter = letterkit.compose(data)
    assert not letter.findings
    path = tmp_path / "letter.docx"
    path.write_bytes(render(letter, "docx"))
    footer = docx.Document(str(path)).sections[0].footer.paragraphs
    assert "Große Elbstraße" in " ".join(p.text for p in footer).replace("\xa0", " ")  # as written, ß and all
    assert letterkit.lint(path, lang="de") == []


def test_a_swiss_draft_still_gets_its_sharp_s_and_shouting_reported() -> None:
    draft = (
        "Sehr geehrte Frau Meier\n\nwir kündigen den Vertrag zum 31. Dezember 2026 und schließen das "
        "Projekt ab. Wir liefern NIE WIEDER in die SCHWEIZ.\n\nFreundliche Grüsse\nAnna Roth\n"
    )
    rules = {f.rule for f in letterkit.lint(draft, lang="de")}
    assert {"structure/sharp-s-ch", "shouting/grossbuchstaben"} <= rules
