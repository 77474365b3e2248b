"""Reading merge sources, acceptance round 24: tracebacks on bad files (encodings, broken
workbooks, an overlong CSV cell, deep nesting), keys given twice in a record, numbers
Excel wrote in exponent form, title rows above the header (--header-row), sheets with
formatted empty rows, the Mac Roman guess, the report's delimiter and the README's API
table. Every input is built here in tmp_path."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))
RECORD = {
    "locale": "en-GB",
    "channel": "email",
    "recipient": {"company": "Eps Ltd", "gender": "male", "last_name": "Eps", "email": "ed@eps.example"},
    "end_date": "2026-12-31",
}


def outcome(path: Path, **options: object) -> dict[int, tuple[str, list[str]]]:
    """Row number → (status, problems) of a --check merge."""
    report = merge(path, base=BASE, check=True, **options)  # type: ignore[arg-type]
    return {r.row: (r.status, r.problems) for r in report.results}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["merge", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# --- README -------------------------------------------------------------------------


def test_every_api_call_in_the_readme_table_resolves() -> None:
    """The side-by-side table's Python column: each ``letterkit.a.b(`` resolves from
    ``import letterkit`` and each ``from x import y`` imports."""
    import importlib

    table = [line for line in (ROOT / "README.md").read_text("utf-8").splitlines() if line.startswith("| ")]
    python = " ".join(line.rsplit("|", 2)[-2] for line in table)
    for chain in re.findall(r"\bletterkit((?:\.\w+)+)\(", python):
        target: object = letterkit
        for name in chain.strip(".").split("."):
            assert hasattr(target, name), f"letterkit{chain} in the README's table does not resolve"
            target = getattr(target, name)
    for module, name in re.findall(r"from ([\w.]+) import (\w+)", python):
        assert hasattr(importlib.import_module(module), name)
