"""The public API as a script writer meets it (tester 37): the package is typed (PEP 561),
``letterkit.to_email`` shows its real parameters, an empty attachment is refused as merge
and generate refuse it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import letterkit

EMAIL = {
    "locale": "de-DE",
    "channel": "email",
    "sender": {
        "company": "A GmbH",
        "name": "Ida Ost",
        "email": "i@example.de",
        "street": "Ring 1",
        "postal_code": "04109",
        "city": "Leipzig",
    },
    "recipient": {"gender": "female", "first_name": "Anna", "last_name": "Berg", "email": "a@example.de"},
    "end_date": "2026-12-31",
}


def test_the_package_says_it_is_typed() -> None:
    assert (Path(letterkit.__file__).parent / "py.typed").is_file()


def test_to_email_shows_its_parameters() -> None:
    parameters = inspect.signature(letterkit.to_email).parameters
    assert list(parameters) == ["letter", "attachments", "message_id", "sent_at"]
    with pytest.raises(TypeError):
        letterkit.to_email(letterkit.compose(EMAIL), attachment=[])  # type: ignore[call-arg]


def test_to_email_refuses_an_empty_attachment(tmp_path: Path) -> None:
    letter = letterkit.compose(EMAIL)
    empty = tmp_path / "Rechnung.pdf"
    empty.write_bytes(b"")
    with pytest.raises(letterkit.LetterkitError, match="is empty"):
        letterkit.to_email(letter, attachments=[empty])
    with pytest.raises(letterkit.LetterkitError, match="is empty"):
        letterkit.to_email(letter, attachments=[("Rechnung.pdf", b"")])
    message = letterkit.to_email(
        letter, attachments=[("Rechnung.pdf", b"%PDF-1.4")], message_id="<x@example.de>"
    )
    assert message["Message-ID"] == "<x@example.de>"
    assert [part.get_filename() for part in message.iter_attachments()] == ["Rechnung.pdf"]


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"rows": None}, "merge() takes the rows as a file's path"),
        ({"rows": 42}, "merge() takes the rows as a file's path"),
        ({"rows": {"end_date": "2026-12-31"}}, "a single row (a dict) goes in a list"),
        ({"rows": [], "base": 42}, "base= takes a dict"),
        ({"rows": [], "out_dir": 3}, "out_dir= takes a folder's path"),
        ({"rows": [], "jobs": 0}, "jobs= takes a number of worker processes"),
    ],
)
def test_merge_names_an_argument_of_the_wrong_kind(arguments: dict, says: str, tmp_path: Path) -> None:
    arguments = {"out_dir": tmp_path / "out", **arguments}
    rows = arguments.pop("rows")
    with pytest.raises(letterkit.UsageError, match=re.escape(says)):
        letterkit.merge(rows, **arguments)
    assert not (tmp_path / "out").exists()


def test_a_misspelt_status_is_an_error_not_a_count_of_zero(tmp_path: Path) -> None:
    report = letterkit.merge([EMAIL], out_dir=tmp_path / "out", fmt="eml")
    assert report.count("written") == 1
    with pytest.raises(letterkit.UsageError, match="did you mean 'written'"):
        report.count("writen")


@pytest.mark.parametrize(
    ("locale", "gender", "form"),
    [
        ("de-DE", "male", "'Herr Jonas'"),
        ("de-AT", "female", "'Frau Jonas'"),
        ("en-GB", "male", "'Mr Jonas'"),
        ("de-DE", None, "'Jonas'"),
    ],
)
def test_a_first_name_alone_is_explained_with_the_rows_own_form(
    locale: str, gender: str | None, form: str
) -> None:
    """Row 42 (a man) was told "'Frau Anna' is no form of address" (tester 37)."""
    from letterkit.model import validate

    data = {
        **EMAIL,
        "locale": locale,
        "recipient": {"company": "Nord GmbH", "first_name": "Jonas", "email": "a@example.de"},
    }
    if locale.startswith("en"):
        data["sender"] = {**EMAIL["sender"], "country": "DE"}
        data["recipient"] = {**data["recipient"], "country": "GB"}
    if gender:
        data["recipient"]["gender"] = gender
    with pytest.raises(letterkit.InputError) as caught:
        validate(data)
    (problem,) = [p for p in caught.value.problems if p.path == "recipient.last_name"]
    assert f"({form} is no form of address" in problem.message
