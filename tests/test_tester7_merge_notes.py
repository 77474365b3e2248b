"""A hint of the lint in a merged letter ('leider', 'unfortunately': an info finding) is
printed as a note, as `letterkit lint` and `generate` name it, not as a warning (tester7:
`row 2 (0002-Schneider.docx): warning: negative_framing/leider: Leider`)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import letterkit
from letterkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"

HEADER = "locale;recipient.company;recipient.gender;recipient.last_name;recipient.street;recipient.postal_code;"
HEADER += "recipient.city;end_date;reasons;reason_note\n"
ROWS = (
    "de-DE;Beispiel AG;female;Schneider;Nebenweg 2;80331;München;31.12.2026;capacity;"
    "Leider können wir die Betreuung nicht mehr leisten.\n"
)


def _list(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_an_info_finding_is_printed_as_a_note(tmp_path: Path) -> None:
    data = _list(tmp_path)
    result = CliRunner().invoke(main, ["merge", str(data), "--base", str(BASE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "row 2 (0002-Schneider.docx): note: negative_framing/leider: Leider" in result.output
    assert "warning: negative_framing" not in result.output


def test_the_report_marks_it_as_a_note(tmp_path: Path) -> None:
    report = letterkit.merge(_list(tmp_path), base=BASE, out_dir=tmp_path / "out")
    (row,) = report.results
    assert row.status == "written"
    assert row.problems == ["note: negative_framing/leider: Leider"]
