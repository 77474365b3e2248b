"""Tester 40: titles and nobility in German salutations. A rank of nobility stands in the
address, not after Herr/Frau („Sehr geehrter Herr von und zu Guttenberg“); Austria names a
Mag., DI or Ing., but of several titles only the highest („Frau Dr. Leer“ for Dr. Mag.,
„Frau Professorin Leer“ for Prof. Dr.)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main

POSTCODE = {"de-DE": "10115", "de-AT": "1010", "de-CH": "8001"}


def letter(tmp_path: Path, locale: str, title: str, last: str, gender: str = "female") -> str:
    code = POSTCODE[locale]
    data = {
        "locale": locale,
        "end_date": "2026-12-31",
        "sender": {"company": "Muster GmbH", "name": "Erika Muster", "street": "Hauptstr. 1", "postal_code": code, "city": "Stadt"},
        "recipient": {"gender": gender, "title": title, "first_name": "Henriette", "last_name": last, "street": "Weg 1", "postal_code": code, "city": "Stadt"},
    }
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "locale, title, salutation",
    [
        ("de-AT", "Dr. Mag.", "Sehr geehrte Frau Dr. Leer,"),
        ("de-AT", "Prof. Dr.", "Sehr geehrte Frau Professorin Leer,"),
        ("de-AT", "Mag.", "Sehr geehrte Frau Mag. Leer,"),
        ("de-AT", "DI", "Sehr geehrte Frau DI Leer,"),
        ("de-DE", "Prof. Dr.", "Sehr geehrte Frau Professorin Leer,"),
        ("de-DE", "Dr. Mag.", "Sehr geehrte Frau Dr. Leer,"),
    ],
)
def test_of_several_titles_the_highest_is_named(tmp_path, locale, title, salutation):
    text = letter(tmp_path, locale, title, "Leer")
    assert salutation in text
    assert f"Frau {title} Henriette Leer" in text  # the address keeps every title


@pytest.mark.parametrize(
    "last, gender, salutation, address",
    [
        ("Freifrau von Müller-Lüdenscheidt", "female", "Sehr geehrte Frau von Müller-Lüdenscheidt,", "Frau Henriette Freifrau von Müller-Lüdenscheidt"),
        ("Freiherr von und zu Guttenberg", "male", "Sehr geehrter Herr von und zu Guttenberg,", "Herrn Henriette Freiherr von und zu Guttenberg"),
        ("Graf", "male", "Sehr geehrter Herr Graf,", "Herrn Henriette Graf"),  # a surname, not a rank
    ],
)
def test_a_rank_of_nobility_stays_in_the_address(tmp_path, last, gender, salutation, address):
    text = letter(tmp_path, "de-DE", "", last, gender)
    assert salutation in text and address in text
