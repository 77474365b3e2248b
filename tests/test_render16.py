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
import yaml
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


# --- 2. en-US letters on US Letter, the others on A4 ---------------------------------------

A4_TWIPS, LETTER_TWIPS = (11906, 16838), (12240, 15840)
A4_POINTS, LETTER_POINTS = (595.3, 841.9), (612.0, 792.0)


def page_setup(blob: bytes) -> tuple[tuple[int, int], tuple[int, ...]]:
    """The page size (width, height) and margins (top, right, bottom, left) of every
    section of a .docx, in twips; one pair of them for all (asserted)."""
    import zipfile
    from io import BytesIO

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(BytesIO(blob)).read("word/document.xml"))
    setups = {
        (
            (int(size.get(f"{w}w")), int(size.get(f"{w}h"))),
            tuple(int(margins.get(f"{w}{side}")) for side in ("top", "right", "bottom", "left")),
        )
        for section in root.iter(f"{w}sectPr")
        for size, margins in [(section.find(f"{w}pgSz"), section.find(f"{w}pgMar"))]
    }
    (setup,) = setups
    return setup


def to_the_us(locale: str) -> dict[str, Any]:
    """A letter in ``locale`` from its own country to a client in Charleston, SC."""
    out = data(locale)
    out["recipient"].update(street="22 Magnolia Avenue", postal_code="29401", city="Charleston", state="SC")
    out["recipient"]["country"] = "US"
    return out


def en_us_to_london() -> dict[str, Any]:
    out = data("en-US")
    out["recipient"].update(street="2 High Street", postal_code="EC1A 1BB", city="London", country="GB")
    out["recipient"].pop("state")
    return out


@pytest.mark.parametrize("locale", LOCALES)
def test_the_paper_is_us_letter_for_en_us_and_a4_for_the_others(locale: str) -> None:
    size, margins = page_setup(letterkit.render(letterkit.compose(data(locale)), "docx"))
    if locale == "en-US":
        assert size == LETTER_TWIPS and margins == (1440, 1440, 1440, 1440)  # 8.5 x 11 in, 1-inch margins
    else:
        assert size == A4_TWIPS


def test_the_letters_locale_decides_the_paper_not_the_recipients_country() -> None:
    for locale in ("de-DE", "de-CH", "en-GB"):
        letter = letterkit.compose(to_the_us(locale))
        assert letter.recipient_address[-1] in ("USA", "UNITED STATES", "VEREINIGTE STAATEN"), letter
        assert page_setup(letterkit.render(letter, "docx"))[0] == A4_TWIPS, locale
    assert page_setup(letterkit.render(letterkit.compose(en_us_to_london()), "docx"))[0] == LETTER_TWIPS
    # an en-US email printed as a letter is on the same paper as an en-US letter
    email_input = data("en-US", channel="email")
    assert page_setup(letterkit.render(letterkit.compose(email_input), "docx"))[0] == LETTER_TWIPS


def test_a_combined_document_keeps_each_letters_paper() -> None:
    from letterkit.render.combine import combine_docx

    letters = [letterkit.render(letterkit.compose(data(locale)), "docx") for locale in ("en-GB", "en-US")]
    import zipfile
    from io import BytesIO

    xml = zipfile.ZipFile(BytesIO(combine_docx(letters))).read("word/document.xml").decode()
    sizes = re.findall(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', xml)
    assert [tuple(map(int, size)) for size in sizes] == [A4_TWIPS, LETTER_TWIPS]


# --- 1. the closing is kept with the end of the body -----------------------------------------

# The tester's inputs: each fills page 1 up to where only the closing block ("Mit
# freundlichen Grüßen", the signature, the enclosures) went over to page 2.
HOFMANN = """
locale: de-DE
channel: letter
register: sie
date: 2026-11-27
sender: {company: Hofmann IT-Service GmbH, name: Stefan Hofmann, role: Geschäftsführer,
         street: Königsallee 48, postal_code: "40212", city: Düsseldorf, country: DE,
         email: s.hofmann@example.de, phone: "+49 211 5550193", legal: "HRB 88231 · Amtsgericht Düsseldorf"}
recipient: {company: Bäckerei Wüst GmbH, gender: male, title: Dr., first_name: Jürgen,
            last_name: Wüst, street: Schloßstraße 17, postal_code: "41460", city: Neuss}
contract: {name: IT-Betreuungsvertrag, reference: ITB-3307, date: 2022-04-01}
end_date: 2027-03-31
reasons: [payment_terms]
opening: {discussed: meeting, date: 2026-11-18}
steps_taken: [{kind: reminders, count: 2}, {kind: payment_plan, date: 2026-09-01}]
work: {tasks: [die Umstellung der Kassensysteme auf die neue Firmware]}
final_invoice: {number: "RE-2027-0412", amount: 1234.56, due_date: 2027-04-30}
handover: {export: die vollständige Netzwerkdokumentation, by: 2027-03-20,
           accounts: [Firewall-Verwaltung, Microsoft-365-Admin], returns: [den Serverraumschlüssel],
           contact: {name: Lea Brandt, email: l.brandt@example.de}}
enclosures: [Schlussrechnung Nr. RE-2027-0412]
thanks: {since: 2022}
wishes: true
"""
BLUE_RIDGE = """
locale: en-US
channel: letter
date: 2026-12-01
sender: {company: Blue Ridge Landscape Design LLC, name: Carla Jennings, role: Owner,
         street: 410 Peachtree Street NE, postal_code: "30308", city: Atlanta, state: GA, country: US,
         email: carla@blueridge.example, phone: "+1 404 555 0167"}
recipient: {company: Oakmont Property Management Inc., gender: male, title: Prof., first_name: Daniel,
            last_name: Whitaker, street: 22 Magnolia Avenue, postal_code: "29401", city: Charleston, state: SC}
contract: {name: Grounds maintenance, reference: BR-1450, date: 2024-03-01}
end_date: 2027-01-31
reasons: [budget]
steps_taken: [{kind: call, date: 2026-11-12}]
final_invoice: {number: "BR-2027-014", amount: 1234.56, due_date: 2027-02-28}
refund: {amount: 2500.00, kind: prepayment, method: card, by: 2027-02-15}
handover: {returns: [the gate remote], by: 2027-01-31}
thanks: {since: 2024}
wishes: true
"""
LETTERHEAD = Path(__file__).resolve().parent.parent / "samples" / "letterhead.docx"


def hofmann(locale: str = "de-DE") -> dict[str, Any]:
    """The tester's de-DE letter, moved to Austria or Switzerland."""
    out: dict[str, Any] = yaml.safe_load(HOFMANN)
    out["locale"] = locale
    if locale == "de-AT":
        out["sender"].update(street="Mariahilfer Straße 88", postal_code="1070", city="Wien", country="AT")
        out["recipient"].update(street="Sparkassengasse 4", postal_code="6020", city="Innsbruck")
    if locale == "de-CH":
        out["sender"].update(street="Bahnhofstrasse 48", postal_code="8001", city="Zürich", country="CH")
        out["recipient"].update(street="Marktgasse 17", postal_code="3011", city="Bern")
    return out


def blue_ridge(locale: str = "en-US", enclosures: bool = False) -> dict[str, Any]:
    """The tester's en-US letter; in en-GB from Edinburgh to Glasgow (one page, or two
    with an enclosure)."""
    out: dict[str, Any] = yaml.safe_load(BLUE_RIDGE)
    out["locale"] = locale
    if locale == "en-GB":
        del out["sender"]["state"], out["recipient"]["state"]
        out["sender"].update(street="14 Harbour Lane", postal_code="EH6 6QT", city="Edinburgh", country="GB")
        out["recipient"].update(street="3 Market Street", postal_code="G1 1RD", city="Glasgow")
    if enclosures:
        out["enclosures"] = ["Final invoice BR-2027-014"]
    return out


# name: (input, template); each went over to page 2 with nothing but its closing block
SPILLING: dict[str, tuple[Callable[[], dict[str, Any]], Path | None]] = {
    "de-DE": (hofmann, None),
    "de-AT": (lambda: hofmann("de-AT"), None),
    "de-CH": (lambda: hofmann("de-CH"), None),
    "de-DE letterhead": (hofmann, LETTERHEAD),
    "en-US": (blue_ridge, None),
    "en-GB": (lambda: blue_ridge("en-GB", enclosures=True), None),
}


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("name", SPILLING)
def test_page_2_holds_the_last_paragraph_before_the_closing(pdfs: dict[str, Pdf], name: str) -> None:
    letter = letterkit.compose(SPILLING[name][0]())
    pages = pdfs[f"spilling {name}"].pages
    assert len(pages) == 2, pages
    body, closing, _ = pages[1].partition(letter.closing)
    assert closing, f"the closing is not on page 2: {pages}"
    # the whole last paragraph (keep lines together), right above the closing (keep with next)
    assert _words(body).endswith(_words(letter.blocks[-1].text)), pages[1]
    assert _words(letter.blocks[-1].text) not in _words(pages[0])


@pytest.mark.parametrize("name", ["en-GB without an enclosure", *LOCALES])
def test_a_one_page_letter_stays_on_one_page(pdfs: dict[str, Pdf], name: str) -> None:
    pages = pdfs[f"one page {name}"].pages
    assert len(pages) == 1, pages


def test_the_last_paragraph_is_kept_with_the_closing_in_every_built_in_template() -> None:
    """Keep with next and keep lines together on the last body paragraph only."""
    import zipfile
    from io import BytesIO

    for locale in LOCALES:
        for template in (None, LETTERHEAD) if locale.startswith("de") else (None,):
            letter = letterkit.compose(data(locale))
            blob = letterkit.render(letter, "docx", template=template)
            xml = zipfile.ZipFile(BytesIO(blob)).read("word/document.xml").decode("utf-8")
            body = re.findall(r'<w:p><w:pPr><w:pStyle w:val="LetterBody"/>(.*?)</w:p>', xml)
            assert len(body) == len(letter.blocks), locale
            kept = ["<w:keepNext/><w:keepLines/>" in paragraph for paragraph in body]
            assert kept == [False] * (len(body) - 1) + [True], (locale, template)


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
    "paper en-US": lambda: letterkit.compose(data("en-US")),
    "paper en-GB": lambda: letterkit.compose(data("en-GB")),
    "paper de-DE to the US": lambda: letterkit.compose(to_the_us("de-DE")),
    **{f"one page {locale}": (lambda locale=locale: letterkit.compose(data(locale))) for locale in LOCALES},
    "one page en-GB without an enclosure": lambda: letterkit.compose(blue_ridge("en-GB")),
    **{f"spilling {name}": (lambda name=name: letterkit.compose(SPILLING[name][0]())) for name in SPILLING},
}
TEMPLATES = {f"spilling {name}": template for name, (_, template) in SPILLING.items()}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    """Each letter of ``CONVERTED`` as .docx, converted by LibreOffice (one run for all)."""
    from letterkit.render.pdf import docx_to_pdfs

    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing; install it with: apt-get install poppler-utils", pytrace=False)
    folder = tmp_path_factory.mktemp("render16")
    names = list(CONVERTED)
    converted = docx_to_pdfs(
        [letterkit.render(CONVERTED[name](), "docx", template=TEMPLATES.get(name)) for name in names]
    )
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


@pytest.mark.parametrize(
    ("name", "size"),
    [("paper en-US", LETTER_POINTS), ("paper en-GB", A4_POINTS), ("paper de-DE to the US", A4_POINTS)],
)
def test_libreoffice_prints_the_letter_on_its_paper(
    pdfs: dict[str, Pdf], name: str, size: tuple[float, float]
) -> None:
    assert pdfs[name].size == pytest.approx(size, abs=0.1)
    assert len(pdfs[name].pages) == 1
