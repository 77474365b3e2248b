"""SARIF as code-scanning tools read it: each rule once, with its help, results pointing at
it by index, and artifact locations that are URIs (percent-encoded, file: when absolute)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint.report import sarif_uri

DRAFT = (
    "Dear Mr Smith,\n\nYou never paid on time and you failed to send the files.\n"
    "You never answered our emails either.\n\nRegards\nAnna\n"
)


def _sarif(tmp_path: Path, name: str, *args: str) -> dict:
    draft = tmp_path / name
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--format", "sarif", "--lang", "en", *args, str(draft)])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["runs"][0]


def test_each_rule_is_described_once_with_help_and_results_point_at_it(tmp_path):
    run = _sarif(tmp_path, "draft.txt")
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    results = run["results"]
    # "you never" twice: two results, one rule
    assert [r["ruleId"] for r in results].count("absolute/never") == 2
    for result in results:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["defaultConfiguration"]["level"] == result["level"]
        assert f"letterkit rules {rule['id']}" in rule["help"]["text"]
        assert rule["properties"]["category"] == rule["id"].split("/")[0]


def test_artifact_uris_are_percent_encoded(tmp_path):
    run = _sarif(tmp_path, "Entwürfe/Kündigung Müller.txt")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"] for loc in r["locations"]}
    (uri,) = uris
    assert uri.startswith("file:///") and uri.endswith("/Entw%C3%BCrfe/K%C3%BCndigung%20M%C3%BCller.txt")
    assert " " not in uri and "ü" not in uri


def test_relative_and_windows_paths():
    assert sarif_uri("drafts/Kündigung 1.docx") == "drafts/K%C3%BCndigung%201.docx"
    assert sarif_uri("a%b#c.txt") == "a%25b%23c.txt"
    assert sarif_uri("drafts\\x.txt") == "drafts/x.txt"
    assert sarif_uri("C:\\Users\\anna\\x.txt") == "file:///C:/Users/anna/x.txt"
    assert sarif_uri("/srv/x y.md") == "file:///srv/x%20y.md"
