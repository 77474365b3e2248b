"""`letterkit generate` when the output format and the input's channel disagree (tester 36):
an .eml is an email (an input with ``channel: letter`` gets the email wording, with a note,
as a .docx of an email is written as a letter); an HTML or Markdown copy of an email shows
the email, not a letter's address block above the email's text."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from letterkit.cli import main


def _generate(path: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["generate", str(path), *args])


def _plain(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_letter_written_to_eml_gets_the_email_wording_with_a_note(
    base, write_input, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    base["channel"] = "letter"
    base["recipient"]["email"] = "kunde@example.de"
    source = write_input(base)
    result = _generate(source, "-o", str(tmp_path / "as-letter.eml"))
    assert result.exit_code == 0, result.output
    assert f"Note: {source}: channel is letter, but .eml is an email" in result.output
    base["channel"] = "email"
    same = _generate(write_input(base, "email.yaml"), "-o", str(tmp_path / "as-email.eml"))
    assert same.exit_code == 0 and "Note:" not in same.output
    assert _plain(tmp_path / "as-letter.eml") == _plain(tmp_path / "as-email.eml")
    assert "dieses Schreibens" not in _plain(tmp_path / "as-letter.eml")


def test_an_email_as_html_or_markdown_has_no_postal_address_block(base, write_input, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base["channel"] = "email"
    base["recipient"]["email"] = "kunde@example.de"
    street = base["recipient"]["street"]
    source = write_input(base)
    for suffix in ("html", "md", "txt"):
        out = tmp_path / f"email.{suffix}"
        assert _generate(source, "-o", str(out)).exit_code == 0
        assert street not in out.read_text(encoding="utf-8"), suffix
    base["channel"] = "letter"
    letter = tmp_path / "letter.html"
    assert _generate(write_input(base, "letter.yaml"), "-o", str(letter)).exit_code == 0
    assert street in letter.read_text(encoding="utf-8")
