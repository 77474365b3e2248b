"""Leftovers of tester5's acceptance run: a message that names the problem says how to fix
it, and ``-o /dev/null`` is written into without --force, as a shell's > is."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text(encoding="utf-8"))


def test_a_jsonl_line_that_is_no_record_says_what_a_record_looks_like(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('[1, 2]\nnot json\n', encoding="utf-8")
    listed, broken = merge(path, base=BASE, check=True).results
    assert listed.problems[0].startswith("expected a mapping of keys, got list; write each record as one object")
    assert broken.problems[0].startswith("is not valid JSON: Expecting value at column 1; correct the line")
    assert '{"locale": "de-DE"' in broken.problems[0]


@pytest.mark.skipif(not os.path.exists("/dev/null") or os.name != "posix", reason="needs /dev/null")
def test_lint_writes_its_report_into_dev_null_without_force(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Sie haben die Frist versäumt.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(draft), "--lang", "de", "--format", "json", "-o", os.devnull])
    assert result.exit_code == 1, result.output  # a finding, not "already exists"
    assert "already exists" not in result.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_generate_calls_an_info_finding_a_note(tmp_path: Path) -> None:
    """As lint does: "leider" in the user's reason_note is a note, not a warning."""
    data = {
        **BASE,
        "locale": "de-DE",
        "recipient": {"company": "Kunde GmbH", "gender": "female", "last_name": "Kim", "street": "Weg 1",
                      "postal_code": "80331", "city": "München"},
        "contract": {"name": "Wartungsvertrag", "reference": "W-1"},
        "end_date": "2026-12-31",
        "reasons": ["capacity"],
        "reason_note": "Leider können wir die Betreuung nicht mehr im nötigen Umfang leisten.",
    }  # fmt: skip
    source = tmp_path / "client.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(source)])
    assert result.exit_code == 0, result.output
    assert "Note: " in result.output and "negative_framing/leider" in result.output
    assert "Warning: " not in result.output
