"""to_email refuses two attachments of one name, as merge and generate refuse them as --attach."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit
from letterkit.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "en-US-email-it-support.yaml"


def test_one_file_given_twice_is_refused(tmp_path: Path) -> None:
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(b"%PDF-1.4 test")
    letter = letterkit.compose(SAMPLE)
    with pytest.raises(UsageError, match=r"names invoice\.pdf twice"):
        letterkit.to_email(letter, attachments=[invoice, invoice])
    with pytest.raises(UsageError, match="twice"):
        letterkit.to_email(letter, attachments=[invoice, ("Invoice.PDF", b"other")])
    message = letterkit.to_email(letter, attachments=[invoice, ("terms.pdf", b"%PDF-1.4 terms")])
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == ["invoice.pdf", "terms.pdf"]
