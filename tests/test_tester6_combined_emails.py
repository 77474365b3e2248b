"""--combined in a merge whose rows have different channels (tester6): the summary says
the emails are not in the document to print, so that "combined: all.docx" is not read as
the whole list."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from letterkit.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _row(i: int, channel: str) -> dict[str, object]:
    return {
        "locale": "de-DE",
        "channel": channel,
        "recipient.company": f"Kunde {i} GmbH",
        "recipient.last_name": f"Muster{i}",
        "recipient.gender": "female",
        "recipient.email": f"k{i}@example.com",
        "recipient.street": "Nebenweg 2",
        "recipient.postal_code": "80331",
        "recipient.city": "München",
        "end_date": "2026-12-31",
        "contract.reference": f"W-{1000 + i}",
    }


def _merge(tmp_path: Path, channels: list[str]) -> str:
    rows = tmp_path / "rows.yaml"
    rows.write_text(yaml.safe_dump([_row(i, c) for i, c in enumerate(channels, 1)], allow_unicode=True), "utf-8")
    base = ROOT / "samples" / "merge" / "base.yaml"
    combined = tmp_path / "all.docx"
    result = CliRunner().invoke(
        main, ["merge", str(rows), "--base", str(base), "-o", str(tmp_path / "out"), "--combined", str(combined)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_the_summary_says_the_emails_are_not_in_the_combined_document(tmp_path: Path) -> None:
    output = _merge(tmp_path, ["letter", "email", "email", "letter"])
    assert f"combined: {tmp_path / 'all.docx'}, without the 2 emails (.eml files, not printed)." in output
    again = _merge(tmp_path, ["letter", "email", "email", "letter"])
    assert "kept (it holds these letters already), without the 2 emails (.eml files, not printed)." in again


def test_a_merge_of_letters_only_says_nothing_of_emails(tmp_path: Path) -> None:
    output = _merge(tmp_path, ["letter", "letter"])
    assert f"combined: {tmp_path / 'all.docx'}." in output
    assert "emails" not in output
