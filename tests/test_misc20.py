"""Acceptance round 20, outside tester: titles as a CRM exports them, --check's warnings,
line breaks inside dates and references, and clearer messages (template, du, size)."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

import letterkit
from letterkit.errors import InputError, SourceError, TemplateError
from letterkit.lint.formats import docx_draft
from tests.conftest import BASE


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as error:
        letterkit.validate(data)
    return [str(p) for p in error.value.problems]


# - A draft over the limit was said to hold "10 million" characters, as many as allowed.


@pytest.mark.parametrize(
    ("size", "said"), [(11_100_000, "11.1 million"), (10_000_001, "10,000,001"), (50_000_000, "50 million")]
)
def test_a_draft_over_the_limit_is_given_its_real_size(size: int, said: str) -> None:
    with pytest.raises(SourceError) as error:
        letterkit.lint("a" * size, lang="en")
    assert f"holds {said} characters of text; letterkit lints drafts of up to 10 million" in str(error.value)


# - Template errors: an unclosed {% if %} was reported in the paragraph where Jinja noticed
#   (the last one), and a template with placeholders but no blocks "held none" of them.


def _template(tmp_path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "letterhead.docx"
    document.save(str(path))
    return path


def test_an_unclosed_tag_is_reported_where_it_opens(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        "{% if subject %}{{ subject }}",
        "{% for b in blocks %}{{ b.text }}{% endfor %}",
        "{{ closing }}",
    )
    with pytest.raises(TemplateError) as error:
        letterkit.render(letterkit.compose(copy.deepcopy(BASE)), "docx", template=path)
    message = str(error.value)
    assert (
        "the tag '{% if subject %}' in the paragraph '{% if subject %}{{ subject }}' is never closed"
        in message
    )
    assert "{% endif %}" in message and "closing" not in message.replace("close it", "")


def test_a_tag_left_open_inside_a_loop_is_named_with_the_end_tag_that_meets_it(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        "{% for line in signature %}{% if line %}{{ line }}{% endfor %}",
        "{% for b in blocks %}{{ b.text }}{% endfor %}",
    )
    with pytest.raises(
        TemplateError, match=r"the tag '\{% if line %\}' .* is still open at the \{% endfor %\}"
    ):
        letterkit.render(letterkit.compose(copy.deepcopy(BASE)), "docx", template=path)


def test_a_template_without_blocks_is_told_what_is_missing(tmp_path: Path) -> None:
    path = _template(tmp_path, "{{ subject }}", "{{ salutation }}")
    with pytest.raises(TemplateError) as error:
        letterkit.render(letterkit.compose(copy.deepcopy(BASE)), "docx", template=path)
    message = str(error.value)
    assert "none of letterkit's placeholders" not in message
    assert "it uses {{ salutation }}, {{ subject }} but not blocks" in message
    assert "{%p for b in blocks %}" in message


# - register: du with recipient.name only: "first_name: required", without a word on name.


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Anna Schmidt", "first_name: Anna, last_name: Schmidt"),
        ("Schmidt, Anna", "first_name: Anna, last_name: Schmidt"),
        ("Dr. Anna Maria Schmidt", "title: Dr., first_name: Anna Maria, last_name: Schmidt"),
    ],
)
def test_du_with_a_whole_name_suggests_the_split(name: str, split: str) -> None:
    data = copy.deepcopy(BASE)
    data["register"] = "du"
    data["recipient"] = {"name": name, "street": "Nebenweg 2", "postal_code": "80331", "city": "München"}
    (problem,) = _problems(data)
    assert "recipient.first_name: required for register: du" in problem
    assert f"recipient.name '{name}' holds the whole name: give it as {split} (in place of name)" in problem


# - A UK CRM's Title column: as recipient.title, Mr and Mx were dropped without a word
#   ("Dear David Brown"), Herr in an English letter too; as recipient.gender, every "Dr"
#   failed with an example that assumed a man.


def _email(locale: str, **recipient: str) -> dict[str, Any]:
    return {
        "locale": locale,
        "channel": "email",
        "sender": {"name": "Bob Jones", "email": "bob@example.com"},
        "recipient": {"first_name": "David", "last_name": "Brown", "email": "a@example.com", **recipient},
        "end_date": "2027-01-01",
    }


@pytest.mark.parametrize(
    ("locale", "title", "salutation"),
    [
        ("en-GB", "Mr", "Dear Mr Brown"),
        ("en-GB", "Mr.", "Dear Mr Brown"),
        ("en-GB", "Mx", "Dear Mx Brown"),
        ("en-GB", "Herr", "Dear Mr Brown"),
        ("en-GB", "Frau", "Dear Ms Brown"),
        ("en-GB", "Mrs", "Dear Mrs Brown"),
        ("en-GB", "Miss", "Dear Miss Brown"),
        ("en-GB", "Mr Dr", "Dear Dr Brown"),
        ("en-US", "Mr", "Dear Mr. Brown,"),
        ("de-DE", "Mr", "Guten Tag, Herr Brown,"),
        ("de-DE", "Mrs", "Guten Tag, Frau Brown,"),
        ("de-DE", "Herr", "Guten Tag, Herr Brown,"),
        ("de-DE", "Herr Dr.", "Guten Tag, Herr Dr. Brown,"),
        ("de-DE", "Mx", "Guten Tag, David Brown,"),
    ],
)
def test_a_form_of_address_in_title_gives_the_gender(locale: str, title: str, salutation: str) -> None:
    letter = letterkit.compose(_email(locale, title=title))
    assert letter.salutation == salutation


def test_a_form_of_address_in_title_is_not_printed_as_a_title() -> None:
    termination = letterkit.validate(_email("en-GB", title="Mr Dr"))
    assert (termination.recipient.gender, termination.recipient.title) == ("male", "Dr")
    termination = letterkit.validate(_email("en-GB", title="Mx"))
    assert (termination.recipient.gender, termination.recipient.title) == ("diverse", None)
    # an explicit 'unknown' yields to the title, as it does to courtesy
    assert letterkit.validate(_email("en-GB", title="Mr", gender="unknown")).recipient.gender == "male"
    assert letterkit.validate(_email("en-GB", title="Mr", gender="male")).recipient.gender == "male"


def test_a_form_of_address_in_title_conflicts_with_another_gender() -> None:
    (problem,) = _problems(_email("en-GB", title="Mr", gender="female"))
    assert problem == (
        "recipient.title: 'Mr' addresses a man, but recipient.gender is female; correct one of them "
        "(or leave recipient.gender out: the title says it)"
    )
    (problem,) = _problems(_email("en-GB", title="Mrs", courtesy="Miss"))
    assert problem == "recipient.title: 'Mrs' and recipient.courtesy 'Miss' differ; keep one of them"
    (problem,) = _problems(_email("de-DE", title="Frau", gender="Herr"))
    assert "'Frau' addresses a woman, but recipient.gender is male" in problem


@pytest.mark.parametrize(
    ("locale", "neutral"), [("en-GB", "'Dear Dr Taylor'"), ("de-DE", "'Guten Tag, Dr. Alex Berg,'")]
)
def test_a_title_as_the_gender_is_sent_to_title_without_assuming_a_man(locale: str, neutral: str) -> None:
    (problem,) = _problems(_email(locale, gender="Dr"))
    assert problem.startswith(
        "recipient.gender: 'Dr' is not allowed; expected one of female, male, unknown, diverse: 'Dr' is a "
        f"title, not a gender; put it in recipient.title and the gender, if known, here (without one the "
        f"salutation is neutral: {neutral})"
    )
    assert "male, title" not in problem and "Herr, title" not in problem and "herrn" not in problem


# - merge --check said nothing of a return address line too wide for the address field,
#   which the run then reported; and the line of an ordinary sender ("Gebäudereinigung
#   Blitzblank GmbH · Industriestraße 22 · 70565 Stuttgart", 80.3 mm) was warned with the
#   advice to shorten the company, where "Industriestr." fits.

SENDER = {
    "company": "Gebäudereinigung Blitzblank GmbH",
    "name": "Erika Muster",
    "street": "Industriestraße 22",
    "postal_code": "70565",
    "city": "Stuttgart",
    "country": "DE",
    "email": "erika@example.de",
}


def _sender(**changes: str) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["sender"] = SENDER | changes
    return data


def test_a_return_line_that_fits_with_str_is_printed_so_and_not_warned() -> None:
    from letterkit.render.fit import FIELD_MM, RETURN_PT, overflows, return_line, width_mm

    letter = letterkit.compose(_sender())
    assert width_mm(letter.sender_line, RETURN_PT) > FIELD_MM  # as typed, 80.3 mm
    assert (
        return_line(letter.sender_line)
        == "Gebäudereinigung Blitzblank GmbH · Industriestr. 22 · 70565 Stuttgart"
    )
    assert overflows(letter) == []
    with zipfile.ZipFile(io.BytesIO(letterkit.render(letter, "docx"))) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        header = package.read("word/header1.xml").decode("utf-8")
    assert ">Gebäudereinigung Blitzblank GmbH · Industriestr. 22 · 70565 Stuttgart<" in xml
    assert ">Industriestraße 22<" in header  # the letterhead keeps the street as typed
    assert "Industriestraße 22" in letterkit.render(letter, "txt").decode("utf-8")


def test_a_return_line_that_fits_as_typed_and_the_company_are_never_shortened() -> None:
    from letterkit.render.fit import return_line

    assert return_line("Kessler GmbH · Industriestraße 2 · 93047 Regensburg") == (
        "Kessler GmbH · Industriestraße 2 · 93047 Regensburg"
    )
    long = "Straßenbau und Gebäudereinigung Blitzblank GmbH · Lange Straße 22 · 70565 Stuttgart"
    assert (
        return_line(long)
        == "Straßenbau und Gebäudereinigung Blitzblank GmbH · Lange Str. 22 · 70565 Stuttgart"
    )


def test_a_return_line_too_wide_even_so_says_by_how_much() -> None:
    from letterkit.render.fit import overflows

    (warning,) = overflows(
        letterkit.compose(_sender(company="Gebäudereinigung Blitzblank Rhein-Neckar GmbH"))
    )
    assert "is 92.6 mm wide, more than the 80 mm of the address field, and wraps (with 'Str.' for " in warning
    assert "'Gebäudereinigung Blitzblank Rhein-Neckar GmbH · Industriestr. 22 · 70565 Stuttgart'" in warning
    assert "shorten sender.street or sender.company by about 9 characters (12.6 mm;" in warning


def _rows(tmp_path: Path) -> Path:
    path = tmp_path / "kunden.csv"
    path.write_text(
        "recipient.company,recipient.gender,recipient.last_name,recipient.street,recipient.postal_code,recipient.city\n"
        "A AG,Frau,Schmidt,Weg 1,80331,München\nB AG,Herr,Meier,Weg 2,80331,München\n",
        encoding="utf-8",
    )
    return path


def test_merge_check_reports_the_lines_too_wide_as_the_run_does(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    base = _sender(company="Gebäudereinigung Blitzblank Rhein-Neckar GmbH")
    del base["recipient"]
    rows = _rows(tmp_path)
    checked = letterkit.merge(rows, base=base, check=True)
    run = letterkit.merge(rows, base=base, out_dir=tmp_path / "out")
    assert [r.problems for r in checked.results] == [r.problems for r in run.results]
    assert all(len(r.problems) == 1 and "return address line" in r.problems[0] for r in checked.results)
    # not for another channel's rows, nor with a letterhead of one's own (its field is not measured)
    emails = letterkit.merge(rows, base=base | {"channel": "email"}, check=True, fmt="eml").results
    assert not any("return address line" in str(r.problems) for r in emails)
    path = tmp_path / "base.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["merge", str(rows), "--base", str(path), "--check"])
    assert result.exit_code == 0 and "rows 2, 3: warning: the return address line" in result.output
    template = Path(__file__).resolve().parent.parent / "samples" / "letterhead.docx"
    checked = letterkit.merge(rows, base=base, check=True, template=template)
    assert not any("return address line" in str(r.problems) for r in checked.results)


# - Line breaks inside dates and references in .docx/PDF: the en-GB subject broke "31 /
#   January 2027"; Word broke the de-DE body's "Nr. RV- / 2019-03".

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _with_reference(locale: str, name: str) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(locale=locale, end_date="2027-01-31")
    data["contract"] = {"name": name, "reference": "RV-2019-03", "date": "2019-03-01"}
    if locale == "en-GB":
        data["recipient"].update(postal_code="M1 1AA", city="Manchester", country="GB")
        data["sender"].update(postal_code="EC1A 1BB", city="London", country="GB")
    return data


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_dates_and_references_are_kept_together_in_the_docx_only(locale: str) -> None:
    letter = letterkit.compose(
        _with_reference(locale, "SEO retainer" if locale == "en-GB" else "Wartungsvertrag")
    )
    blob = letterkit.render(letter, "docx")
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    date = "31. Januar 2027" if locale == "de-DE" else "31 January 2027"
    reference = 'RV</w:t><w:noBreakHyphen/><w:t xml:space="preserve">2019</w:t><w:noBreakHyphen/>'
    assert date in letter.subject and date.replace(" ", "\xa0") in xml
    assert xml.count(reference) >= 3  # the info block, the subject (de) or body, the body
    assert "\u2011" not in xml
    # read back plain: by letterkit lint, by python-docx; the text outputs never changed
    text = docx_draft(blob, "letter.docx").text
    assert "RV-2019-03" in text and date in text
    assert any("RV-2019-03" in p.text for p in docx.Document(io.BytesIO(blob)).paragraphs)
    for fmt in ("txt", "md", "html"):
        plain = letterkit.render(letter, fmt).decode("utf-8")
        assert "RV-2019-03" in plain and "\u2011" not in plain and "\xa0" not in plain.replace("&nbsp;", "")


def test_a_merge_fills_the_kept_together_reference_as_the_first_letter() -> None:
    """The skeleton path (later letters of one structure filled in) writes the same bytes."""
    from test_docx_skeleton import skeletons_of

    from letterkit.render import docx as docx_module

    docx_module._prepared.cache_clear()
    letters = [
        letterkit.compose(_with_reference("de-DE", name)) for name in ("Wartungsvertrag", "Pflegevertrag")
    ]
    first = [letterkit.render(letter, "docx") for letter in letters]
    assert [letterkit.render(letter, "docx") for letter in letters] == first
    assert skeletons_of(None).hits >= 2


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler's pdftotext are needed",
)
def test_libreoffice_keeps_the_date_of_a_subject_on_one_line(tmp_path: Path) -> None:
    """Contract names that put the end date at the end of the subject's first line: before,
    "31" (en-GB) and "31." (de-DE) ended that line and the month began the next."""
    cases = {
        "en.docx": (_with_reference("en-GB", "SEO retainer x x"), "31 January 2027"),
        "de.docx": (_with_reference("de-DE", "Wartungsvertrag" + "e" * 13), "31. Januar 2027"),
    }
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(letterkit.render(letterkit.compose(data), "docx"))
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / n) for n in cases),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for name, (_, date) in cases.items():
        pdf = tmp_path / name.replace(".docx", ".pdf")
        lines = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        lines = [line.strip() for line in lines.splitlines()]
        subject = next(
            index
            for index, line in enumerate(lines)
            if "RV-2019-03" in line and "2027" in "".join(lines[index : index + 2])
        )
        assert any(date in line for line in lines[subject : subject + 2]), lines[subject : subject + 2]
        assert all(not line.endswith(("RV-", "2019-")) for line in lines)
