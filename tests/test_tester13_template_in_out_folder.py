"""Tester 13: a letterhead (--template) kept in the output folder is never written over by a
row's letter of the same name, not even with --force: the merge stops before writing, and
says how to go on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import OutputError
from letterkit.merge import merge

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "letterhead.docx"
BASE = {"date": "2026-11-26", "sender": {"company": "Muster GmbH", "name": "Erika Muster", "city": "Berlin"}}


def rows() -> list[dict[str, object]]:
    recipient = {"company": "Briefpapier KG", "last_name": "Briefpapier", "street": "Weg 1", "postal_code": "10115",
                 "city": "Berlin"}  # fmt: skip
    return [{"locale": "de-DE", "channel": "letter", "end_date": "2026-12-31", "recipient": recipient}]


@pytest.mark.parametrize("force", [False, True])
def test_a_template_in_the_output_folder_is_not_written_over(tmp_path, force):
    template = tmp_path / "Briefpapier.docx"
    shutil.copy(SAMPLE, template)
    before = template.read_bytes()
    with pytest.raises(OutputError) as caught:
        merge(rows(), base=BASE, out_dir=tmp_path, template=template, name="{recipient.last_name}.docx", force=force)
    assert "--template" in str(caught.value) and "row 1's letter (Briefpapier.docx)" in str(caught.value)
    assert template.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Briefpapier.docx"]


def test_the_cli_says_it_without_a_traceback(tmp_path, write_input):
    template = tmp_path / "Briefpapier.docx"
    shutil.copy(SAMPLE, template)
    before = template.read_bytes()
    data = write_input({"rows": rows()}, "rows.yaml")
    data.write_text(data.read_text(encoding="utf-8").removeprefix("rows:\n"), encoding="utf-8")
    base = write_input(BASE, "base.yaml")
    args = ["merge", str(data), "--base", str(base), "-o", str(tmp_path), "--template", str(template),
            "--name", "{recipient.last_name}.docx", "--force"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "--template" in result.output
    assert template.read_bytes() == before
