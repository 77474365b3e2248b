"""letterkit.merge(rows) with a record whose key is no string (tester6): a data frame read
without a header has numbered columns (df.to_dict("records") gives {0: ..., 1: ...}); the
row fails with what to do, the other rows are written, and there is no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

import letterkit

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "locale": "de-DE",
    "recipient.company": "Gut GmbH",
    "recipient.email": "gut@example.com",
    "end_date": "2026-12-31",
    "channel": "email",
}


@pytest.mark.parametrize("key", [0, 1.5, ("recipient", "company")])
def test_a_record_key_that_is_no_string_fails_its_row(tmp_path: Path, key: object) -> None:
    odd = {key: "x", **{k: v for k, v in GOOD.items() if k != "recipient.company"}, "recipient.company": "Odd GmbH"}
    report = letterkit.merge([GOOD, odd], base=ROOT / "samples" / "merge" / "base.yaml", out_dir=tmp_path, fmt="eml")
    first, second = report.results
    assert first.status == "written"
    assert second.status == "failed"
    assert repr(key) in second.problems[0] and "column name" in second.problems[0]


def test_a_nested_key_that_is_no_string_fails_its_row(tmp_path: Path) -> None:
    odd = {**GOOD, "recipient": {0: "x"}}
    del odd["recipient.company"]
    report = letterkit.merge([GOOD, odd], base=ROOT / "samples" / "merge" / "base.yaml", out_dir=tmp_path, fmt="eml")
    assert [r.status for r in report.results] == ["written", "failed"]


def test_a_yaml_record_with_a_number_for_a_key_fails_its_row_in_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    rows = tmp_path / "rows.yaml"
    rows.write_text(
        "- {locale: de-DE, recipient.company: A GmbH, recipient.email: a@example.com, end_date: 2026-12-31, channel: email}\n"
        "- {locale: de-DE, recipient.company: B GmbH, recipient.email: b@example.com, end_date: 2026-12-31, channel: email, 2027: x}\n",
        "utf-8",
    )
    result = CliRunner().invoke(
        main, ["merge", str(rows), "--base", str(ROOT / "samples" / "merge" / "base.yaml"), "--check"]
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert "rows.yaml: row 2: the key 2027 (int) is no column name" in result.output
    assert "1 row(s) valid, 1 failed." in result.output


def test_a_base_key_that_is_no_string_is_the_bases_problem_once(tmp_path: Path) -> None:
    from letterkit.errors import InputError

    base = {"sender": {"name": "Erika Muster", "email": "erika@example.de"}, 2027: "x"}
    with pytest.raises(InputError) as caught:
        letterkit.merge([GOOD, GOOD], base=base, out_dir=tmp_path, fmt="eml")
    assert caught.value.source == "the base fields"
    assert [p.path for p in caught.value.problems] == ["2027"]
    assert not any(tmp_path.iterdir())
