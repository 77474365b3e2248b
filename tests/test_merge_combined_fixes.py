"""--combined while failed rows are fixed one at a time (tester 34): each run brings the
combined document up to date with the letters made, says the failed rows are missing from
it, and the run that fixes the last row completes it — no stale document, no refusal."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))


def row(i: int, bad: bool = False) -> dict[str, object]:
    return {
        "locale": "de-DE",
        "recipient.company": f"Kunde {i} GmbH",
        "recipient.last_name": f"Muster{i}",
        "recipient.gender": "female",
        "end_date": "2026-02-30" if bad else "2026-12-31",
        "contract.name": "Wartungsvertrag",
        "contract.reference": f"W-{1000 + i}",
    }


def references(document: Path) -> list[str]:
    """The contract references in the combined document, in order."""
    with zipfile.ZipFile(io.BytesIO(document.read_bytes())) as package:
        text = re.sub(r"<[^>]+>", "", package.read("word/document.xml").decode("utf-8"))
    # the hyphen of a reference is Word's non-breaking one, an element of its own
    return [f"W-{1000 + i}" for i in range(1, 7) if f"W{1000 + i}" in text]


def test_fixing_failed_rows_one_at_a_time_keeps_the_combined_document_up_to_date(tmp_path: Path) -> None:
    out, combined = tmp_path / "out", tmp_path / "all.docx"
    bad = {2, 5}
    first = merge([row(i, i in bad) for i in range(1, 7)], base=BASE, out_dir=out, combined=combined)
    assert first.count("failed") == 2 and first.combined_status == "written"
    assert references(combined) == ["W-1001", "W-1003", "W-1004", "W-1006"]
    second = merge([row(i, i == 5) for i in range(1, 7)], base=BASE, out_dir=out, combined=combined)
    assert second.count("failed") == 1 and second.combined_status == "written"
    assert references(combined) == ["W-1001", "W-1002", "W-1003", "W-1004", "W-1006"]
    third = merge([row(i) for i in range(1, 7)], base=BASE, out_dir=out, combined=combined)
    assert third.ok and third.combined_status == "written"
    assert references(combined) == [f"W-{1000 + i}" for i in range(1, 7)]


def test_the_summary_says_the_failed_rows_are_not_in_the_combined_document(tmp_path: Path) -> None:
    rows = tmp_path / "rows.yaml"
    rows.write_text(yaml.safe_dump([row(1), row(2, True)], allow_unicode=True), encoding="utf-8")
    base = ROOT / "samples" / "merge" / "base.yaml"
    combined = tmp_path / "all.docx"
    result = CliRunner().invoke(
        main, ["merge", str(rows), "--base", str(base), "-o", str(tmp_path / "out"), "--combined", str(combined)]
    )
    assert result.exit_code == 1
    assert f"combined: {combined} (without the rows that failed: fix them and run again to add them)" in result.output
