"""`letterkit rules [ID|CATEGORY]` (acceptance 18, finding 2): docs/lint.md says
"`letterkit rules structure` lists them"; a category, or any start of ids that --select
takes, lists its rules, and a rule's id still explains that rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint.rules import load_rules

DOCS = Path(__file__).resolve().parent.parent / "docs" / "lint.md"


def rules(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["rules", *args])
    return result.exit_code, result.output


def listed(output: str) -> list[str]:
    """The ids of a listing's lines ("de  structure/x   error    message")."""
    return [line.split()[1] for line in output.splitlines()]


def test_a_category_lists_its_rules_with_severity_and_message() -> None:
    code, output = rules("structure")
    assert code == 0, output
    expected = [r.id for lang in ("de", "en") for r in load_rules(lang) if r.category == "structure"]
    assert listed(output) == expected and len(expected) > 5
    first = output.splitlines()[0]
    assert re.fullmatch(r"de  structure/\S+ +(error|warning|info) +\S.*", first), first
    assert "Did you mean" not in output and "Flagged:" not in output


def test_the_docs_command_works_as_documented() -> None:
    assert "`letterkit rules structure` lists them" in DOCS.read_text(encoding="utf-8")
    assert rules("structure")[0] == 0


@pytest.mark.parametrize("name", ["blame/fail", "structure/missing", "structure/"])
def test_a_start_of_ids_lists_what_select_would_choose(name: str) -> None:
    from letterkit.lint.config import selector_matches

    code, output = rules(name, "--lang", "en")
    assert code == 0, output
    assert listed(output) == [r.id for r in load_rules("en") if selector_matches(r.id, name)]
    assert all(line.startswith("en  ") for line in output.splitlines())


def test_a_rule_id_still_explains_the_rule() -> None:
    for name in ("blame/failed-to", "failed-to"):
        code, output = rules(name)
        assert code == 0 and output.startswith("blame/failed-to (en, blame, warning, kind reader_subject)")
        assert "Flagged:" in output


def test_a_name_that_matches_nothing_is_a_usage_error_with_the_choices() -> None:
    code, output = rules("structur-e")
    assert code == 2 and "no rule or category 'structur-e'. Did you mean structure" in output
    code, output = rules("xyzzy")
    assert code == 2 and "The categories are absolute, blame," in output
    code, output = rules("structure/sharp-s-ch", "--lang", "en")
    assert code == 2 and "it is in the de rules (use --lang de, or leave --lang out)" in output


def test_the_help_names_both_uses() -> None:
    output = CliRunner().invoke(main, ["rules", "--help"]).output
    assert "[ID|CATEGORY]" in output and "structure" in output and "blame/failed-to" in output


def test_a_name_in_capitals_is_read_as_the_lower_case_id() -> None:
    """Every id is lower case; "Blame" was refused with "Did you mean blame?" (acceptance 19)."""
    code, output = rules("Blame")
    assert code == 0 and listed(output) == listed(rules("blame")[1]) and listed(output)
    code, output = rules("BLAME/FAILED-TO")
    assert code == 0 and "blame/failed-to" in output
