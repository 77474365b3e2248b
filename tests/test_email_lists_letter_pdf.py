"""An email with the letter attached as a PDF (--attach-letter-pdf) names that file among
its attachments ("Anhänge: agb.txt / R-1.pdf / Kündigungsschreiben-V-1.pdf") when its row
lists no enclosures, from merge and from generate; the printed letter inside the PDF does
not list itself (tester 34: the body named only the other files)."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The letters rendered to PDF (LibreOffice is not what is tested here)."""
    from letterkit.render import pdf

    letters: list[Any] = []
    monkeypatch.setattr(pdf, "render_pdf", lambda letter, template=None: letters.append(letter) or b"%PDF-1.7 x")
    return letters


def row(**more: Any) -> dict[str, Any]:
    return {
        "locale": "de-DE",
        "recipient.company": "Kunde GmbH",
        "recipient.last_name": "Muster",
        "recipient.gender": "female",
        "recipient.email": "k@example.com",
        "end_date": "2026-12-31",
        "contract.reference": "V-1",
        **more,
    }


def body_and_files(path: Path) -> tuple[str, list[str]]:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    assert body is not None
    return body.get_content().replace("\r\n", "\n"), [part.get_filename() for part in message.iter_attachments()]


def test_merge_names_the_letter_pdf_with_the_other_attachments(tmp_path: Path, printed: list[Any]) -> None:
    terms = tmp_path / "agb.txt"
    terms.write_text("AGB", encoding="utf-8")
    report = merge([row()], base=BASE, out_dir=tmp_path / "out", fmt="eml", attachments=[terms], attach_pdf=True)
    assert report.ok, report.failed
    body, files = body_and_files(tmp_path / "out" / report.results[0].file)
    assert files == ["agb.txt", "Kündigungsschreiben-V-1.pdf"]
    assert "Anhänge:\nagb.txt\nKündigungsschreiben-V-1.pdf" in body
    assert printed[-1].channel == "letter" and "Kündigungsschreiben-V-1.pdf" not in printed[-1].enclosures


def test_merge_with_only_the_letter_pdf_names_it(tmp_path: Path, printed: list[Any]) -> None:
    report = merge([row()], base=BASE, out_dir=tmp_path / "out", fmt="eml", attach_pdf=True)
    body, files = body_and_files(tmp_path / "out" / report.results[0].file)
    assert files == ["Kündigungsschreiben-V-1.pdf"] and "Anhang:\nKündigungsschreiben-V-1.pdf" in body
    assert not any("attaches no file" in p for p in report.results[0].problems)
    assert printed[-1].enclosures == ()


def test_generate_names_the_letter_pdf_too(tmp_path: Path, printed: list[Any]) -> None:
    source = tmp_path / "in.yaml"
    data = {
        **BASE,
        "locale": "en-GB",
        "end_date": "2026-12-31",
        "recipient": {"company": "C Ltd", "email": "c@c.example"},
        "contract": {"name": "Support agreement", "reference": "S-3"},
    }
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "x.eml"
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(out), "--attach-letter-pdf"])
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    body, files = body_and_files(out)
    assert files == ["Termination-letter-S-3.pdf"] and "Attachment:\nTermination-letter-S-3.pdf" in body
    assert printed[-1].channel == "letter" and printed[-1].enclosures == ()
