"""Lint findings from acceptance round 21: binary data without a NUL byte, a Swiss closing
with a comma and the name after it, the categories docs/lint.md names."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint import lint

DOCS = Path(__file__).resolve().parent.parent / "docs" / "lint.md"


def test_binary_data_without_a_nul_byte_is_refused(tmp_path: Path) -> None:
    noise = bytes(b for b in random.Random(21).randbytes(600) if b)
    path = tmp_path / "bin.txt"
    path.write_bytes(noise)
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    assert "is a binary file, not text" in result.output and "control or undecodable characters" in result.output


def test_a_text_with_a_few_control_characters_is_still_read(tmp_path: Path) -> None:
    text = "Sehr geehrte Frau Kuhn,\n\nwir beenden den Vertrag zum 31. März 2027.\x0c\n\x1a"
    path = tmp_path / "draft.txt"
    path.write_bytes(text.encode("cp1252"))
    result = CliRunner().invoke(main, ["lint", "--ignore", "structure", str(path)])
    assert result.exit_code == 0, result.output


LETTER = (
    "Sehr geehrte Frau Kuhn\n\nwir beenden den Vertrag zum 31. März 2027. Vielen Dank für die "
    "Zusammenarbeit und alles Gute.\n\nMit freundlichen Grüßen{after}\n"
)


@pytest.mark.parametrize("after", [", Anna Roth", ",\nAnna Roth"])
def test_a_swiss_closing_with_a_comma_is_reported_for_its_sharp_s_too(after: str) -> None:
    findings = lint(LETTER.format(after=after), lang="de", locale="de-CH")
    rules = sorted(f.rule for f in findings)
    assert rules == ["structure/closing-comma", "structure/sharp-s-ch"]
    (comma,) = [f for f in findings if f.rule == "structure/closing-comma"]
    assert "„Mit freundlichen Grüssen“" in comma.suggestion


def test_a_german_closing_with_a_comma_keeps_its_sharp_s_in_the_suggestion() -> None:
    (comma,) = lint(LETTER.format(after=",\nAnna Roth"), lang="de", locale="de-DE")
    assert comma.rule == "structure/closing-comma" and "„Mit freundlichen Grüßen“" in comma.suggestion


def test_every_category_docs_lint_names_can_be_selected() -> None:
    text = DOCS.read_text(encoding="utf-8")
    listed = re.search(r"`category` is one of (.*?)\.\s", text, re.S)
    assert listed is not None
    names = [n.split("(")[0].strip() for n in re.split(r",\s*", listed.group(1).replace("\n", " "))]
    assert len(names) >= 13 and "locale" not in names
    for name in names:
        result = CliRunner().invoke(main, ["lint", "--select", name, "-"], input="Vielen Dank.\n")
        assert result.exit_code == 0, (name, result.output)
