"""Acceptance round 13: a posted letter to the United States names the state.

"New York 10001 / UNITED STATES" is not deliverable as addressed. A letter (channel
letter) to a US address without recipient.state, and without the state after the city
("Austin, TX"), is an input error naming the field and the fix; an email needs no postal
address; a merge reports it per row, and names it as a warning on a row without a channel
that becomes a printed letter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_merge import BASE, write_csv
from test_merge_qa4 import base_file, run_cli

import letterkit
from letterkit import InputError
from letterkit.merge import merge

RECIPIENT = {
    "company": "Acme Inc.",
    "gender": "female",
    "first_name": "Jane",
    "last_name": "Doe",
    "email": "jane@example.com",
    "street": "1 Main St",
    "postal_code": "10001",
    "city": "New York",
}


def data(locale: str = "en-US", channel: str | None = "letter", **recipient: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "locale": locale,
        "date": "2026-12-01",
        "sender": {
            "company": "Pinecrest Web Studio LLC",
            "name": "Rachel Kim",
            "email": "rachel@example.com",
            "street": "1120 SW Morrison Street",
            "postal_code": "97205",
            "city": "Portland, OR",
        },
        "recipient": {**RECIPIENT, **recipient},
        "end_date": "2026-12-31",
    }
    if channel:
        raw["channel"] = channel
    return raw


@pytest.mark.parametrize(
    ("locale", "recipient"),
    [
        ("en-US", {}),  # the locale's country
        ("en-US", {"country": "US"}),
        ("en-GB", {"country": "US"}),
        ("de-DE", {"country": "us"}),
        ("en-US", {"city": "Austin"}),
        ("en-US", {"city": "Kansas City"}),  # a state's name inside a town's is no state
        ("en-US", {"city": "Austin XY"}),  # no such state
    ],
)
def test_a_letter_to_a_us_address_without_a_state_is_an_input_error(
    locale: str, recipient: dict[str, str]
) -> None:
    with pytest.raises(InputError) as caught:
        letterkit.compose(data(locale, **recipient))
    (problem,) = caught.value.problems
    assert problem.path == "recipient.state"
    assert "two-letter code (e.g. NY)" in problem.message
    assert "'New York, NY'" in problem.message
    assert "channel: email" in problem.message


@pytest.mark.parametrize(
    ("channel", "recipient", "line"),
    [
        ("letter", {"state": "NY"}, "New York, NY 10001"),
        ("letter", {"city": "New York, NY"}, "New York, NY 10001"),
        ("letter", {"city": "Washington, D.C.", "postal_code": "20500"}, "Washington, DC 20500"),
        # as the Postal Service writes it, and written out (code review of round 13)
        ("letter", {"city": "Austin TX", "postal_code": "78701"}, "Austin, TX 78701"),
        ("letter", {"city": "Washington DC", "postal_code": "20500"}, "Washington, DC 20500"),
        ("letter", {"city": "Austin, Texas", "postal_code": "78701"}, "Austin, TX 78701"),
        ("letter", {"country": "GB", "city": "London", "postal_code": "SW1A 1AA"}, "LONDON"),
        ("email", {}, None),  # an email has no postal address
        (None, {}, "New York 10001"),  # no channel: a draft or a text may be meant
    ],
)
def test_what_is_accepted(channel: str | None, recipient: dict[str, str], line: str | None) -> None:
    raw = data("en-US", channel, **recipient)
    letter = letterkit.compose(raw)
    if line:
        assert line in letter.recipient_address


def test_the_error_names_the_file_and_the_line_where_the_state_goes(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "client.yaml"
    path.write_text(yaml.safe_dump(data(), sort_keys=False), encoding="utf-8")
    code, output = run_cli("generate", path, "-o", tmp_path / "letter.docx")
    assert code == 1 and not (tmp_path / "letter.docx").exists()
    city = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "city: New York" in text)
    assert (
        f"line {city}: recipient.state: a letter to the United States needs the recipient's state" in output
    )


HEADER = (
    "locale;channel;recipient.company;recipient.gender;recipient.last_name;recipient.email;"
    "recipient.street;recipient.postal_code;recipient.city;recipient.state;end_date"
)
US = "en-US;{channel};Acme Inc.;female;Doe;jane@example.com;1 Main St;10001;{city};{state};12/31/2026"


def test_merge_reports_the_row_and_the_field(tmp_path: Path) -> None:
    rows = [
        US.format(channel="letter", city="New York", state=""),  # row 2: the error
        US.format(channel="letter", city="New York", state="NY"),
        US.format(channel="letter", city='"New York, NY"', state=""),
        US.format(channel="email", city="New York", state=""),
    ]
    source = write_csv(tmp_path, [HEADER, *rows])
    report = merge(source, base=BASE, check=True)
    assert [r.status for r in report.results] == ["failed", "valid", "valid", "valid"]
    assert report.results[0].problems[0].startswith("recipient.state: a letter to the United States")
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "--check")
    assert code == 1
    assert (
        "clients.csv: row 2: recipient.state: a letter to the United States needs the recipient's state"
        in output
    )
    assert "row 3" not in output and "row 4" not in output and "row 5" not in output


def test_merge_warns_about_a_row_without_a_channel_printed_as_a_letter(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, US.format(channel="", city="New York", state="")])
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "-o", tmp_path / "out")
    assert code == 0, output
    assert (
        "row 2 (0002-Doe.docx): warning: a letter to the United States needs the recipient's state" in output
    )
    assert "the letter cannot be posted" in output
    emails = merge(source, base=BASE, out_dir=tmp_path / "mails", fmt="eml")
    assert emails.ok and emails.results[0].problems == []


# Final acceptance run (F5, F6): a state the city already names is printed once; another
# one beside it, or a code that is no state, is an error; a code in lower case is written
# as the post writes it.
@pytest.mark.parametrize(
    ("recipient", "line", "error"),
    [
        ({"city": "Austin, TX", "state": "TX"}, "Austin, TX 10001", None),
        ({"city": "Austin", "state": "tx"}, "Austin, TX 10001", None),
        ({"city": "Austin", "state": "Texas"}, "Austin, TX 10001", None),
        ({"city": "Austin, TX", "state": "CA"}, None, "already names the state"),
        ({"city": "Austin", "state": "ZZ"}, None, "'ZZ' is no US state"),
        ({"city": "Austin, ZZ"}, None, "needs the recipient's state"),
    ],
)
def test_a_state_is_one_the_post_knows_and_given_once(
    recipient: dict[str, str], line: str | None, error: str | None
) -> None:
    if error is None:
        assert line in letterkit.compose(data("en-US", **recipient)).recipient_address
        return
    with pytest.raises(InputError) as caught:
        letterkit.compose(data("en-US", **recipient))
    (problem,) = caught.value.problems
    assert problem.path == "recipient.state" and error in problem.message
