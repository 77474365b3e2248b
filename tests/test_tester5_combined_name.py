"""--combined FILE that is also the name of one of the merge's letters is refused before
anything is written, --force or not.

Found with `letterkit merge clients.csv --columns map.yaml --base base.yaml -o cc
--combined cc/0002-Schäfer.docx`: the letters were written, then the combined document
stopped with "already exists; use --force to replace it" (no report, exit 1); with
--force, row 2's letter was replaced by the combined document of every client's letter
(exit 0, "5 written ... combined: cc/0002-Schäfer.docx"), so Frau Schäfer's file held
the other clients' letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_merge import BASE, HEADER, ROWS, write_csv

from letterkit.cli import main
from letterkit.errors import OutputError
from letterkit.merge import merge


@pytest.mark.parametrize("force", [False, True])
def test_a_combined_file_named_as_a_letter_is_refused_before_any_letter(tmp_path: Path, force: bool) -> None:
    source = write_csv(tmp_path, [HEADER, *ROWS])
    out = tmp_path / "out"
    first = merge(source, base=BASE, out_dir=tmp_path / "probe", fmt="docx")
    name = next(r.file for r in first.results if r.file.endswith(".docx"))
    with pytest.raises(OutputError) as refused:
        merge(source, base=BASE, out_dir=out, fmt="docx", combined=out / name, force=force)
    assert name in str(refused.value) and "--combined" in str(refused.value)
    assert not out.exists() or list(out.iterdir()) == []


def test_the_command_says_which_row_the_name_is_and_writes_nothing(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, *ROWS])
    base = tmp_path / "base.yaml"
    import yaml

    base.write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    probe = merge(source, base=BASE, out_dir=tmp_path / "probe", fmt="docx")
    row = next(r for r in probe.results if r.file.endswith(".docx"))
    argv = ["merge", str(source), "--base", str(base), "-o", str(out), "--combined", str(out / row.file), "--force"]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 1, result.output
    assert f"row {row.row}" in result.output and row.file in result.output
    assert not out.exists() or list(out.iterdir()) == []
