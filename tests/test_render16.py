"""Acceptance round 16, rendering: the HTML language tag, the return-address measure,
US Letter paper for en-US, and the closing kept with the end of the body."""

from __future__ import annotations

import copy
import email
import email.policy
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import BASE

import letterkit
from letterkit.render.fit import ADDRESS_PT, FIELD_MM, RETURN_PT, overflows, width_mm

LOCALES = ("de-DE", "de-AT", "de-CH", "en-GB", "en-US")


def data(locale: str = "de-DE", **changes: Any) -> dict[str, Any]:
    """BASE in ``locale`` (a US address for en-US), with top-level keys changed."""
    out = copy.deepcopy(BASE)
    out["locale"] = locale
    if locale == "en-US":
        out["sender"].update(
            street="410 Peachtree Street NE", postal_code="30308", city="Atlanta", state="GA"
        )
        out["sender"]["country"] = "US"
        out["recipient"].update(
            street="22 Magnolia Avenue", postal_code="29401", city="Charleston", state="SC"
        )
        out["recipient"]["country"] = "US"
    elif locale != "de-DE":
        out["sender"].pop("country")
        out["recipient"].pop("country")
        out["sender"].update(_ADDRESSES[locale][0])
        out["recipient"].update(_ADDRESSES[locale][1])
    out["recipient"]["email"] = "anna.schneider@example.com"
    out.update(changes)
    return out


_ADDRESSES = {
    "de-AT": ({"street": "Mariahilfer Straße 1", "postal_code": "1060", "city": "Wien"},
              {"street": "Getreidegasse 7", "postal_code": "5020", "city": "Salzburg"}),
    "de-CH": ({"street": "Bahnhofstrasse 1", "postal_code": "8001", "city": "Zürich"},
              {"street": "Marktgasse 2", "postal_code": "3011", "city": "Bern"}),
    "en-GB": ({"street": "1 Deansgate", "postal_code": "M3 1AZ", "city": "Manchester"},
              {"street": "2 High Street", "postal_code": "LS1 1AA", "city": "Leeds"}),
}  # fmt: skip


# --- 4. the HTML language tag is the letter's locale ----------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_html_letter_names_the_full_locale(locale: str) -> None:
    html = letterkit.render(letterkit.compose(data(locale)), "html").decode("utf-8")
    assert re.search(r"<html lang=\"([^\"]+)\">", html).group(1) == locale  # type: ignore[union-attr]


@pytest.mark.parametrize("locale", LOCALES)
def test_html_part_of_an_email_names_the_locale_its_header_names(locale: str) -> None:
    blob = letterkit.render(letterkit.compose(data(locale, channel="email")), "eml")
    message = email.message_from_bytes(blob, policy=email.policy.default)
    assert message["Content-Language"] == locale
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f'<html lang="{locale}">' in html


# --- 3. the return address line is measured against the 80 mm the field has ---------------

KESSLER = {"company": "Kessler Gebäudetechnik GmbH", "street": "Am Mühlbach 12", "postal_code": "93047",
           "city": "Regensburg"}  # fmt: skip
# measured in Arial (fit.width_mm): the return line at 7 pt, the street at 11 pt
RETURN_LINES = {"Am Mühlbach 12": 78.4, "Am Mühlbach 128": 79.8, "Am Mühlenbach 12": 81.1}
STREETS = {
    "Uferstraße der Hanseatischen Werkstätten 12": 78.9,
    "Bahnhofstraße der Hanseatischen Werkstätten": 80.7,
}


def kessler(sender_street: str = "Am Mühlbach 12", **recipient: str) -> letterkit.Letter:
    """A de-DE letter from the tester's sender (its street changed), to ``recipient``."""
    out = data()
    out["sender"].update(KESSLER, street=sender_street)
    out["recipient"].update(recipient)
    return letterkit.compose(out)


def test_the_field_is_80_mm_and_the_lines_measure_as_listed() -> None:
    assert abs(FIELD_MM - 80.0) < 1e-9
    for street, width in RETURN_LINES.items():
        assert width_mm(kessler(street).sender_line, RETURN_PT) == pytest.approx(width, abs=0.05)
    for street, width in STREETS.items():
        assert width_mm(street, ADDRESS_PT) == pytest.approx(width, abs=0.05)


def test_a_return_line_that_fits_the_field_is_not_warned() -> None:
    assert overflows(kessler()) == []  # the tester's 78.4 mm line, warned as "78 mm > 78 mm"
    assert overflows(kessler("Am Mühlbach 128")) == []
    assert overflows(kessler(street="Uferstraße der Hanseatischen Werkstätten 12")) == []


def test_a_line_over_the_field_is_warned_with_its_width_against_the_fields() -> None:
    (warning,) = overflows(kessler("Am Mühlenbach 12"))
    assert (
        "return address line above the address is 81.2 mm wide, more than the 80 mm of the address "
        in warning
    )
    (warning,) = overflows(kessler("Gewerbegebiet Burgweinting-Harting, Am Mühlbach 12"))  # much longer
    assert "is 120.3 mm wide, more than the 80 mm" in warning and "wraps" in warning
    (warning,) = overflows(kessler(street="Bahnhofstraße der Hanseatischen Werkstätten"))
    assert "'Bahnhofstraße der Hanseatischen Werkstätten' is 80.7 mm wide, more than the 80 mm" in warning
    (warning,) = overflows(kessler(street="Landstraße der Hanseatischen Werkstätten 12"))  # 80.24 mm
    assert "is 80.3 mm wide, more than the 80 mm" in warning


@pytest.mark.parametrize("width", [80.0001, 80.04, 80.96, 83.0, 99.99])
def test_a_warned_width_is_never_printed_as_the_fields_own(width: float) -> None:
    from letterkit.render.fit import _wider

    shown = float(_wider(width).removesuffix(" mm"))
    assert shown > FIELD_MM and shown >= width and shown - width < 0.1


# --- LibreOffice: every letter of the checks below converted in one run ---------------------


@dataclass(frozen=True)
class Pdf:
    """A converted letter: its pages as pdftotext reads them and its page size in points."""

    pages: list[str]
    size: tuple[float, float]

    def before_salutation(self) -> str:
        return self.pages[0].split("Sehr geehrte")[0]


CONVERTED: dict[str, Callable[[], letterkit.Letter]] = {
    **{f"return {street}": (lambda street=street: kessler(street)) for street in RETURN_LINES},
    **{f"street {street}": (lambda street=street: kessler(street=street)) for street in STREETS},
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    """Each letter of ``CONVERTED`` as .docx, converted by LibreOffice (one run for all)."""
    from letterkit.render.pdf import docx_to_pdfs

    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing; install it with: apt-get install poppler-utils", pytrace=False)
    folder = tmp_path_factory.mktemp("render16")
    names = list(CONVERTED)
    converted = docx_to_pdfs([letterkit.render(CONVERTED[name](), "docx") for name in names])
    out = {}
    for number, (name, pdf) in enumerate(zip(names, converted, strict=True)):
        assert isinstance(pdf, bytes), f"{name}: {pdf}"
        path = folder / f"{number}.pdf"
        path.write_bytes(pdf)
        out[name] = Pdf(_pages(path), _page_size(path))
    return out


def _pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return text.stdout.replace("\u00a0", " ").split("\f")[:-1]


def _page_size(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    found = re.search(r"Page size:\s+([0-9.]+) x ([0-9.]+) pts", info)
    assert found, info
    return float(found.group(1)), float(found.group(2))


@pytest.mark.parametrize("street", RETURN_LINES)
def test_libreoffice_wraps_a_return_line_when_it_is_warned(pdfs: dict[str, Pdf], street: str) -> None:
    letter = kessler(street)
    wraps = letter.sender_line not in pdfs[f"return {street}"].before_salutation()
    assert wraps is bool(overflows(letter)) is (RETURN_LINES[street] > 80), pdfs[f"return {street}"].pages[0]


@pytest.mark.parametrize("street", STREETS)
def test_libreoffice_wraps_an_address_line_when_it_is_warned(pdfs: dict[str, Pdf], street: str) -> None:
    letter = kessler(street=street)
    wraps = street not in pdfs[f"street {street}"].before_salutation()
    assert wraps is bool(overflows(letter)) is (STREETS[street] > 80), pdfs[f"street {street}"].pages[0]
