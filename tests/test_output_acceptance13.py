"""Acceptance round 13: the output formats carry the same letter.

The Markdown of a letter has the sender block and the reference lines the text has
(it began with the recipient's address and lost the contract number, date and contact).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import letterkit

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def _md_plain(line: str) -> str:
    """A Markdown line as it reads: no hard-break spaces, no escapes."""
    return re.sub(r"\\(.)", r"\1", line.rstrip(" "))


def _head(text: str, subject: str) -> list[str]:
    return text[: text.index(subject)].splitlines()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_markdown_has_the_head_of_the_text(sample: Path) -> None:
    """Everything above the subject in the .txt — sender, address, reference lines, date —
    is in the .md, in the same order and blocks."""
    letter = letterkit.compose(sample)
    text = letterkit.render(letter, "txt").decode("utf-8")
    markdown = letterkit.render(letter, "md").decode("utf-8")
    md_head = [_md_plain(line) for line in _head(markdown, f"**{letter.subject}")]
    txt_head = _head(text, letter.subject)
    if letter.channel == "email":  # the text of an email starts with its subject
        assert txt_head == []
        assert md_head == [letter.date_line, ""]
        return
    assert md_head == txt_head
    for ref in letter.references:
        assert f"{ref.label}: {ref.value}" in md_head


def test_markdown_keeps_every_line_of_a_block_a_line() -> None:
    letter = letterkit.compose(
        {
            "locale": "de-DE",
            "date": "2026-11-26",
            "sender": {
                "company": "Muster GmbH",
                "name": "Erika Muster",
                "street": "1. Querstraße 5",
                "postal_code": "10115",
                "city": "Berlin",
            },
            "recipient": {
                "company": "- Beispiel AG",
                "street": "+ Nebenweg 2",
                "postal_code": "80331",
                "city": "München",
            },
            "contract": {"reference": "W-1"},
            "end_date": "2026-12-31",
        }
    )
    markdown = letterkit.render(letter, "md").decode("utf-8")
    lines = markdown.splitlines()
    assert "1\\. Querstraße 5  " in lines  # not an ordered list
    assert "\\- Beispiel AG  " in lines  # not a bullet
    assert "\\+ Nebenweg 2  " in lines
    assert "Vertragsnummer: W-1  " in lines
    assert markdown.startswith("Muster GmbH  \nErika Muster  \n1\\. Querstraße 5  \n10115 Berlin\n\n")


# -- P12: long headers are folded ------------------------------------------------------------

LONG_NAME = "Zoë Brandt-Özdemir von der Müllerstraße und Söhne Gesellschaft mbH & Co. KG"


def _email(locale: str, subject_name: str, recipient_name: str | None = None) -> letterkit.Letter:
    recipient: dict[str, str] = {"company": "Nakamura Trading Co.", "email": "info@nakamura.example.com"}
    if recipient_name:
        recipient.update(
            gender="unknown",
            first_name=recipient_name.split(" ", 1)[0],
            last_name=recipient_name.split(" ", 1)[1],
        )
    return letterkit.compose(
        {
            "locale": locale,
            "channel": "email",
            "date": "2026-11-30",
            "sender": {
                "company": "Mendes Social Studio",
                "name": "Carla Mendes",
                "email": "carla@example.com",
            },
            "recipient": recipient,
            "contract": {"name": subject_name, "reference": "SMM-2026-0042"},
            "end_date": "2026-12-31",
        }
    )


def _header_lines(data: bytes) -> list[str]:
    return data.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")


@pytest.mark.parametrize(
    ("locale", "name", "person"),
    [
        ("en-US", "Social Media Management and Community Moderation", None),
        ("de-DE", "Betreuung der Social-Media-Kanäle für Großhändler", None),
        ("de-CH", "Betreuung der Social-Media-Kanäle 😀 für Grosshändler", LONG_NAME),
        ("en-GB", "Website maintenance", "Alexandria Wilhelmina Fotheringham-Montgomery-Smythe Carrington"),
    ],
)
def test_long_headers_are_folded_and_read_back_exactly(locale: str, name: str, person: str | None) -> None:
    from email import policy
    from email.header import decode_header, make_header
    from email.parser import BytesParser

    letter = _email(locale, name, person)
    data = letterkit.render(letter, "eml")
    lines = _header_lines(data)
    assert max(len(line) for line in lines) <= 78, "\n".join(lines)
    assert len(letter.subject) > 70  # the test means something: the subject did not fit
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert not message.defects
    assert str(message["Subject"]) == letter.subject
    (to,) = message["To"].addresses
    assert to.addr_spec == "info@nakamura.example.com"
    # a display name read as RFC 2047 says (white space between encoded words dropped)
    raw_to = "".join(line for line in message.get_all("To") if line).strip()
    folded = data.split(b"\r\nTo: ", 1)[1].split(b"\r\nSubject:", 1)[0].decode("ascii")
    decoded = str(make_header(decode_header(folded.replace("\r\n", ""))))
    assert decoded.endswith("<info@nakamura.example.com>"), raw_to
    if person:
        assert decoded == f"{letter.recipient_name} <info@nakamura.example.com>" or decoded == (
            f'"{letter.recipient_name}" <info@nakamura.example.com>'
        )
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Carla Mendes", "carla@example.com")
    assert letterkit.to_email(letter)["Subject"] == letter.subject


@pytest.mark.parametrize("sample", [p for p in SAMPLES if "email" in p.stem], ids=lambda p: p.stem)
def test_sample_emails_have_no_header_line_over_78(sample: Path) -> None:
    data = letterkit.render(letterkit.compose(sample), "eml")
    assert max(len(line) for line in _header_lines(data)) <= 78


def test_a_word_in_a_folded_subject_is_found_on_its_line(tmp_path: Path) -> None:
    from letterkit.render.email import fold

    subject = "About our agreement and the reasons for ending it after all this time, as you failed to pay"
    header = fold("Subject", subject.split(" "))
    assert "\r\n " in header
    draft = tmp_path / "folded.eml"
    draft.write_bytes(
        (
            "From: a@example.com\r\nTo: b@example.com\r\n" + header + "\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nDear Bob,\r\n\r\nThank you.\r\n"
        ).encode("ascii")
    )
    (finding,) = [f for f in letterkit.lint(draft, lang="en") if f.rule == "blame/failed-to"]
    line = draft.read_text().splitlines()[finding.line - 1]
    assert line == " time, as you failed to pay"  # the continuation line, ...
    assert line[finding.column - 1 :].startswith(("you failed to", "failed to"))  # ... at the words
