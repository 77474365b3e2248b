"""Address lines too wide for the address field of the built-in German letter are named
in a warning (P10 of the eighth acceptance run: a return line on three lines and a
surname broken at its hyphen in the window, without a word)."""

from __future__ import annotations

import copy
import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import BASE

import letterkit
from letterkit.cli import main
from letterkit.render import render
from letterkit.render.fit import ADDRESS_PT, FIELD_MM, overflows, width_mm

LONG_PERSON = "Herr Prof. Dr. Hans-Jürgen Meyer-Lüdenscheid"


def data(**recipient: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE)
    out["recipient"].update(recipient)
    return out


def test_the_width_of_a_line_grows_with_its_text_and_size() -> None:
    assert width_mm("", ADDRESS_PT) == 0
    assert width_mm("iiii", ADDRESS_PT) < width_mm("MMMM", ADDRESS_PT)
    assert width_mm("Anna", 8) < width_mm("Anna", 11)
    assert width_mm("Frau Dr. Anna Schneider", ADDRESS_PT) < FIELD_MM < width_mm(LONG_PERSON, ADDRESS_PT)


def test_a_line_too_wide_is_named_and_a_usual_letter_has_none() -> None:
    assert overflows(letterkit.compose(BASE)) == []
    letter = letterkit.compose(
        data(gender="male", title="Prof. Dr.", first_name="Hans-Jürgen", last_name="Meyer-Lüdenscheid")
    )
    (warning,) = overflows(letter)
    assert LONG_PERSON.replace("Herr ", "") in warning and "wraps" in warning
    english = copy.deepcopy(BASE) | {"locale": "en-GB"}
    english["recipient"].update(
        first_name="Bartholomew-Maximilian", last_name="Featherstonehaugh-Cholmondeley"
    )
    assert overflows(letterkit.compose(english)) == []  # the English template has no field


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler's pdftotext are needed",
)
def test_the_measure_agrees_with_libreoffice(tmp_path: Path) -> None:
    """A street line just over the field wraps in the PDF; one just under does not."""
    over, under = "Industriestraße der Hanseatischen Werkstätten 12", "Industriestraße der Werkstätten 12"
    assert width_mm(under, ADDRESS_PT) < FIELD_MM - 3 and width_mm(over, ADDRESS_PT) > FIELD_MM + 3
    for street, wraps in ((over, True), (under, False)):
        letter = letterkit.compose(data(street=street))
        assert bool(overflows(letter)) is wraps
        path = tmp_path / "letter.docx"
        path.write_bytes(render(letter, "docx"))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "letter.pdf"), "-"], check=True, capture_output=True
        ).stdout.decode()
        assert (street in text) is not wraps, text[:1500]


def test_generate_and_merge_warn(tmp_path: Path) -> None:
    import yaml

    source = tmp_path / "client.yaml"
    source.write_text(
        yaml.safe_dump(data(street="Industriestraße der Hanseatischen Werkstätten 12")), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "a.docx")])
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.output and "wraps in the window" in result.output
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(tmp_path / "a.txt")])
    assert "wraps" not in result.output  # text has no window
    base = tmp_path / "base.yaml"
    shared = copy.deepcopy(BASE)
    del shared["recipient"]
    base.write_text(yaml.safe_dump(shared), encoding="utf-8")
    rows = tmp_path / "rows.csv"
    with rows.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["recipient.company", "recipient.street", "recipient.postal_code", "recipient.city"])
        writer.writerow(["Beispiel AG", "Nebenweg 2", "80331", "München"])
        writer.writerow(
            ["Beispiel AG", "Industriestraße der Hanseatischen Werkstätten 12", "80331", "München"]
        )
    result = CliRunner().invoke(main, ["merge", str(rows), "--base", str(base), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "row 3" in result.output and "wraps in the window" in result.output
    assert "row 2" not in result.output
