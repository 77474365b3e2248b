"""The public signatures say what the functions take: ``to_email`` and ``render`` accept an
attachment as a path given as a ``str`` (as the docstrings, the error messages and the
runtime do), so a user's script checked with ``mypy --strict`` passes. Also: a str path, a
``Path`` and a (name, bytes) pair give the same email."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import letterkit

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = '''
from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import letterkit


def mail(letter: letterkit.Letter) -> EmailMessage:
    return letterkit.to_email(letter, attachments=["R-1.pdf", Path("AGB.pdf"), ("x.pdf", b"%PDF")])


def eml(letter: letterkit.Letter) -> bytes:
    return letterkit.render(letter, "eml", attachments=["R-1.pdf", Path("AGB.pdf")])


def listed(letter: letterkit.Letter, names: list[str]) -> EmailMessage:
    return letterkit.to_email(letter, attachments=names)
'''


def test_a_typed_script_may_give_attachments_as_str(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    script = tmp_path / "ops_script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    monkeypatch.setenv("MYPYPATH", str(ROOT))  # this checkout's letterkit, not an installed one
    monkeypatch.chdir(tmp_path)
    out, err, status = api.run(
        ["--strict", "--follow-imports=silent", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(script)]
    )
    assert status == 0, out + err


def test_str_path_and_bytes_make_the_same_email(tmp_path: Path) -> None:
    letter = letterkit.compose(
        {
            "locale": "en-GB",
            "date": "2026-11-26",
            "sender": {"company": "Northwind Design Ltd", "name": "Emma Clarke", "email": "emma@example.co.uk"},
            "recipient": {"company": "Patel Consulting Ltd", "last_name": "Patel", "email": "priya@example.com"},
            "end_date": "2026-12-31",
            "reasons": ["capacity"],
        }
    )
    pdf = tmp_path / "R-1.pdf"
    pdf.write_bytes(b"%PDF-1.4 invoice\n")
    when = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)
    made = [
        letterkit.to_email(letter, attachments=[given], message_id="<1@example.co.uk>", sent_at=when).as_bytes()
        for given in (os.fspath(pdf), pdf, ("R-1.pdf", pdf.read_bytes()))
    ]
    assert made[0] == made[1] == made[2]
    assert b'filename="R-1.pdf"' in made[0]
