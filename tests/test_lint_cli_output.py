"""``letterkit lint`` output safety from the second acceptance test: -o and --write-baseline
never replace a draft, -o needs --force for an existing file, standard input is checked for
binary data, --write-baseline records and passes, an empty draft is reported."""

from __future__ import annotations

import io
import json

import docx
from click.testing import CliRunner

from letterkit.cli import main

BLAME_DE = "Sie haben es versäumt, die Rechnung zu bezahlen."


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_the_report_never_replaces_a_draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "victim.txt").write_text(BLAME_DE, encoding="utf-8")
    for args in (
        ["-o", "victim.txt", "victim.txt"],
        ["-o", "victim.txt", "--force", "victim.txt"],
        ["-o", "./sub/../victim.txt", "--force", "victim.txt"],
        ["--write-baseline", "victim.txt", "victim.txt"],
        ["--write-baseline", "victim.txt", "--force", "victim.txt"],
    ):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = run("lint", *args)
        assert result.exit_code == 2, args
        assert "is a draft being linted" in result.output and "Traceback" not in result.output
        assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == BLAME_DE


def test_output_needs_force_to_replace_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(BLAME_DE, encoding="utf-8")
    (tmp_path / "keep.txt").write_text("precious", encoding="utf-8")
    result = run("lint", "-o", "keep.txt", "draft.txt")
    assert result.exit_code == 2 and "keep.txt: already exists; use --force" in result.output
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "precious"
    result = run("lint", "-o", "keep.txt", "--force", "--format", "json", "draft.txt")
    assert result.exit_code == 1 and result.output == ""  # the report is in the file, not printed
    assert json.loads((tmp_path / "keep.txt").read_text(encoding="utf-8"))["findings"]
    assert run("lint", "-o", "new.txt", "draft.txt").exit_code == 1
    assert "blame/versaeumt" in (tmp_path / "new.txt").read_text(encoding="utf-8")


def test_write_baseline_records_and_passes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(BLAME_DE, encoding="utf-8")
    result = run("lint", "--write-baseline", "baseline.json", "draft.txt")
    assert result.exit_code == 0 and "blame/versaeumt" not in result.output
    assert "Recorded " in result.output and "as accepted in baseline.json" in result.output
    # a baseline is rewritten (also when it is the one being read) ...
    assert (
        run("lint", "--write-baseline", "baseline.json", "--baseline", "baseline.json", "draft.txt").exit_code
        == 0
    )
    assert run("lint", "--baseline", "baseline.json", "draft.txt").exit_code == 0
    # ... another file is not, unless --force
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    result = run("lint", "--write-baseline", "notes.txt", "draft.txt")
    assert result.exit_code == 2 and "not a letterkit baseline" in result.output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "notes"
    result = run("lint", "-o", "same.json", "--write-baseline", "same.json", "draft.txt")
    assert result.exit_code == 2 and "both" in result.output


def test_binary_standard_input_is_refused():
    document = docx.Document()
    document.add_paragraph(BLAME_DE)
    buffer = io.BytesIO()
    document.save(buffer)
    result = run("lint", "-", input=buffer.getvalue())
    assert (
        result.exit_code == 2
        and "<stdin>: is a zip archive" in result.output
        and "lint the file" in result.output
    )
    result = run("lint", "-", input=b"\x7fELF\x02\x01\x01\x00\x00\x00" * 30)
    assert result.exit_code == 2 and "<stdin>: is a binary file" in result.output
    result = run("lint", "-", input=BLAME_DE.encode("cp1252"))  # text in Windows-1252 is still text
    assert result.exit_code == 1 and "versäumt" in result.output


def test_an_empty_draft_is_reported(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    result = run("lint", str(empty))
    assert (
        result.exit_code == 0 and "empty.txt: the draft is empty; there is nothing to check." in result.output
    )
    result = run("lint", "-", input=b"")
    assert result.exit_code == 0 and "<stdin>: the draft is empty" in result.output


def test_writing_a_baseline_for_one_draft_keeps_the_others(tmp_path, monkeypatch):
    """Tester 27: recording one draft replaced the whole baseline, so the accepted findings
    of every other draft came back."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(BLAME_DE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("You failed to pay the invoice.", encoding="utf-8")
    assert run("lint", "--write-baseline", "base.json", "a.txt", "b.txt").exit_code == 0
    (tmp_path / "b.txt").write_text("You failed to pay the invoice. You never call us back.", encoding="utf-8")
    result = run("lint", "--write-baseline", "base.json", "b.txt")
    assert result.exit_code == 0 and "kept 1 earlier accepted finding of drafts not linted now" in result.output
    assert run("lint", "--baseline", "base.json", "a.txt", "b.txt").exit_code == 0
    paths = {entry["path"] for entry in json.loads((tmp_path / "base.json").read_text())["accepted"].values()}
    assert paths == {"a.txt", "b.txt"}
    # a draft linted again without its finding leaves the baseline; --force starts it anew
    (tmp_path / "a.txt").write_text("Wir danken Ihnen für die Zusammenarbeit.", encoding="utf-8")
    assert run("lint", "--write-baseline", "base.json", "a.txt").exit_code == 0
    paths = {entry["path"] for entry in json.loads((tmp_path / "base.json").read_text())["accepted"].values()}
    assert paths == {"b.txt"}
    assert run("lint", "--write-baseline", "base.json", "--force", "a.txt").exit_code == 0
    assert json.loads((tmp_path / "base.json").read_text())["accepted"] == {}
    assert run("lint", "--baseline", "base.json", "b.txt").exit_code == 1
