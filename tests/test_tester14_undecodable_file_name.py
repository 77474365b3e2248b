"""A draft whose file name is not UTF-8 (a Latin-1 "K\\xfcndigung.txt" unpacked from an
old zip or copied from a Windows share) is reported without a traceback in every report
written to a file, in SARIF (its URI percent-encodes the name's bytes) and in a baseline,
which then accepts its findings (tester14)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main

NAME = b"K\xfcndigung.txt"


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        with open(NAME, "wb") as out:
            out.write(b"You failed to pay the invoice.\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    return os.fsdecode(NAME)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "html", "sarif"])
def test_every_report_is_written(draft, fmt):
    result = CliRunner().invoke(main, ["lint", "--lang", "en", "--format", fmt, "-o", "report", draft])
    assert result.exit_code == 1, result.output
    assert b"ndigung" in Path("report").read_bytes()


def test_the_sarif_uri_holds_the_names_bytes(draft):
    result = CliRunner().invoke(main, ["lint", "--lang", "en", "--format", "sarif", draft])
    assert result.exit_code == 1, result.output
    location = json.loads(result.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "K%FCndigung.txt"


def test_a_baseline_accepts_its_findings(draft):
    runner = CliRunner()
    assert runner.invoke(main, ["lint", "--lang", "en", "--write-baseline", "base.json", draft]).exit_code == 0
    result = runner.invoke(main, ["lint", "--lang", "en", "--baseline", "base.json", draft])
    assert result.exit_code == 0 and "All clean." in result.stdout


def test_an_updated_baseline_keeps_its_findings(draft):
    runner = CliRunner()
    with open("other.txt", "w", encoding="utf-8") as out:
        out.write("You never answer our calls.\n")
    assert runner.invoke(main, ["lint", "--lang", "en", "--write-baseline", "base.json", draft]).exit_code == 0
    assert runner.invoke(main, ["lint", "--lang", "en", "--write-baseline", "base.json", "other.txt"]).exit_code == 0
    result = runner.invoke(main, ["lint", "--lang", "en", "--baseline", "base.json", draft, "other.txt"])
    assert result.exit_code == 0 and "All clean." in result.stdout
