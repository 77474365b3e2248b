"""``letterkit.to_email(letter)`` of a letter composed for print (``channel: letter``) is the
email version, as ``generate -o x.eml`` writes it, not the printed letter's wording in an
email ("Please take this letter as formal notice", "Anlage: Rechnung", tester9)."""

from __future__ import annotations

import dataclasses
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.errors import UsageError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
def _printed_with_email(path: Path) -> bool:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data.get("channel") in (None, "letter") and bool((data.get("recipient") or {}).get("email"))


PRINTED = [p for p in sorted(SAMPLES.glob("*.yaml")) if _printed_with_email(p)]


def _bodies(message: object) -> tuple[str, str]:
    plain = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    html = message.get_body(("html",)).get_content()  # type: ignore[attr-defined]
    return plain, html


@pytest.mark.parametrize("sample", PRINTED, ids=lambda p: p.stem)
def test_the_email_of_a_printed_letter_says_what_generate_writes_to_an_eml(sample: Path, tmp_path: Path) -> None:
    letter = letterkit.compose(sample)
    assert letter.channel == "letter"
    email = letterkit.to_email(letter)
    out = tmp_path / "x.eml"
    result = CliRunner().invoke(main, ["generate", str(sample), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = BytesParser(policy=policy.default).parsebytes(out.read_bytes())
    assert _bodies(email) == _bodies(written)
    assert email["Subject"] == written["Subject"]


@pytest.mark.parametrize("sample", PRINTED, ids=lambda p: p.stem)
def test_the_email_closes_as_an_email_and_promises_no_enclosure(sample: Path) -> None:
    letter = letterkit.compose(sample)
    email = letterkit.compose(letterkit.validate({**yaml.safe_load(sample.read_text(encoding="utf-8")), "channel": "email"}))
    plain, _ = _bodies(letterkit.to_email(letter))
    assert email.closing in plain
    assert plain.splitlines()[0] == email.salutation
    assert not any(line.startswith(("Anlage", "Enclosure", "Beilage")) for line in plain.splitlines())


def test_an_attached_file_is_named_in_the_email(tmp_path: Path) -> None:
    sample = next(p for p in PRINTED if p.stem.startswith("de-DE"))
    letter = letterkit.compose(sample)
    invoice = tmp_path / "Schlussrechnung.pdf"
    invoice.write_bytes(b"%PDF-1.4 test")
    email = letterkit.to_email(letter, attachments=[invoice])
    plain, _ = _bodies(email)
    assert "Schlussrechnung.pdf" in plain
    assert [part.get_filename() for part in email.iter_attachments()] == ["Schlussrechnung.pdf"]


def test_a_printed_letter_without_the_readers_address_says_what_is_missing() -> None:
    sample = next(p for p in sorted(SAMPLES.glob("*.yaml")) if not _printed_with_email(p) and "email" not in p.stem)
    with pytest.raises(letterkit.LetterkitError, match=r"recipient\.email"):
        letterkit.to_email(letterkit.compose(sample))


def test_a_printed_letter_edited_by_hand_is_refused_with_what_to_do() -> None:
    letter = letterkit.compose(PRINTED[0])
    edited = dataclasses.replace(letter, subject="Kündigung")
    with pytest.raises(UsageError, match="channel: email"):
        letterkit.to_email(edited)


def test_an_email_letter_is_sent_as_composed() -> None:
    sample = next(p for p in sorted(SAMPLES.glob("*email*.yaml")))
    letter = letterkit.compose(sample)
    assert letter.channel == "email"
    plain, _ = _bodies(letterkit.to_email(letter))
    assert letter.closing in plain
    assert dataclasses.replace(letter, subject="Neu").subject == "Neu"
    assert "Neu" in str(letterkit.to_email(dataclasses.replace(letter, subject="Neu"))["Subject"])
