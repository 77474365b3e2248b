"""`letterkit generate` to a printed document (.docx, .pdf) from an input that names no
channel: the schema's default is a letter, so a letter that cannot be posted — no postal
address, or a US address without its state — is written with a warning, as a merge says
it of such a row; ``channel: letter`` makes the same input an error; text output (a
preview) says nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from letterkit.cli import main

US = {"locale": "en-US", "recipient": {"street": "5 Park Avenue", "postal_code": "10001", "city": "New York"}}


def _generate(path: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["generate", str(path), *args])


def test_a_letter_without_a_postal_address_is_written_with_a_warning(base, write_input, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for key in ("street", "postal_code", "city"):
        del base["recipient"][key]
    source = write_input(base)
    result = _generate(source, "-o", str(tmp_path / "letter.docx"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "letter.docx").is_file()
    assert f"Warning: {source}: the letter has no postal address" in result.output
    assert "recipient.street, recipient.postal_code, recipient.city missing" in result.output
    preview = _generate(source)
    assert preview.exit_code == 0 and "postal address" not in preview.output
    base["channel"] = "letter"
    refused = _generate(write_input(base, "letter.yaml"), "-o", str(tmp_path / "refused.docx"))
    assert refused.exit_code != 0 and not (tmp_path / "refused.docx").exists()


def test_a_us_letter_without_its_state_is_written_with_a_warning(base, write_input, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base["locale"] = US["locale"]
    base["recipient"].update(US["recipient"], country="US")
    base["sender"].update(street="1 Main Street", postal_code="73301", city="Austin", state="TX", country="US")
    source = write_input(base)
    result = _generate(source, "-o", str(tmp_path / "letter.docx"))
    assert result.exit_code == 0, result.output
    assert "needs the recipient's state" in result.output and "cannot be posted" in result.output
    base["recipient"]["state"] = "NY"
    clean = _generate(write_input(base, "with-state.yaml"), "-o", str(tmp_path / "state.docx"))
    assert clean.exit_code == 0 and "cannot be posted" not in clean.output
