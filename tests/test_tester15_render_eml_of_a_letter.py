"""``letterkit.render(letter, "eml")`` of a letter composed for print is the same email as
``letterkit.to_email(letter)``: the email's wording (salutation, closing, "this email"),
not the printed letter's ("Sehr geehrte", "mit diesem Schreiben", "Anlagen" with nothing
attached). It wrote the letter's text into the email."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

import letterkit

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "de-DE-wartungsvertrag.yaml"


def plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


@pytest.mark.parametrize("attach", [False, True])
def test_render_eml_is_to_email(attach: bool, tmp_path: Path) -> None:
    letter = letterkit.compose(SAMPLE)
    assert letter.channel == "letter"
    files: list[tuple[str, bytes]] = [("Schlussrechnung-2026-118.pdf", b"%PDF-1.4 invoice\n")] if attach else []
    rendered = message_from_bytes(letterkit.render(letter, "eml", attachments=files), policy=policy.default)
    assert isinstance(rendered, EmailMessage)
    sent = letterkit.to_email(letter, attachments=files)
    assert plain(rendered) == plain(sent)
    assert (rendered["Subject"], rendered["Message-ID"], rendered["Date"]) == (
        sent["Subject"],
        sent["Message-ID"],
        sent["Date"],
    )
    assert [p.get_filename() for p in rendered.iter_attachments()] == [name for name, _ in files]
    text = plain(rendered)
    assert "Sehr geehrte" not in text and "dieses Schreibens" not in text and "mit diesem Schreiben" not in text
    assert "Freundliche Grüße" in text

