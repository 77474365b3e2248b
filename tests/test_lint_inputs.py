"""Lint through the CLI and every reader: formats, exit codes, reports, settings, hostile files."""

from __future__ import annotations

import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.lint import lint

BLAME_DE = "Sie haben es versäumt, die Rechnung zu bezahlen."
CLEAN_DE = "Vielen Dank für die Zusammenarbeit. Wir wünschen Ihnen alles Gute."


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_text_report_exit_codes_and_stdin(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(f"Sehr geehrte Frau Meier,\n\n{BLAME_DE}\n", encoding="utf-8")
    result = run("lint", str(draft))
    assert result.exit_code == 1
    assert f"{draft}:3:14: blame/versaeumt [warning]" in result.output
    assert "^^^^^^^^" in result.output and "suggestion:" in result.output
    assert run("lint", "-", input=CLEAN_DE).exit_code == 0
    assert run("lint", str(draft), "--fail-level", "error").exit_code == 0
    assert run("lint", str(draft), "--ignore", "blame").exit_code == 0
    assert run("lint", str(draft), "--select", "threat").exit_code == 0


def test_unreadable_input_exits_2(tmp_path):
    assert run("lint", str(tmp_path / "missing.txt")).exit_code == 2
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    result = run("lint", str(binary))
    assert result.exit_code == 2 and "binary file" in result.output and "Traceback" not in result.output
    assert run("lint", "--format", "xml", "x.txt").exit_code == 2


def test_json_sarif_github_html_reports(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(BLAME_DE, encoding="utf-8")
    data = json.loads(run("lint", str(draft), "--format", "json").output)
    blame = [f for f in data["findings"] if f["rule"] == "blame/versaeumt"]
    assert data["version"] == 1 and blame and (blame[0]["line"], blame[0]["column"]) == (1, 14)
    sarif = json.loads(run("lint", str(draft), "--format", "sarif").output)
    assert sarif["version"] == "2.1.0"
    assert "blame/versaeumt" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert (
        f"::warning file={draft},line=1,endLine=1,col=14,endColumn=22,title=blame/versaeumt::"
        in run("lint", str(draft), "--format", "github").output
    )
    html = run("lint", str(draft), "--format", "html").output
    assert "<mark class='warning'" in html and "versäumt" in html.split("<mark", 1)[1]


def test_docx_draft_reports_paragraphs(tmp_path):
    document = docx.Document()
    document.add_paragraph("Sehr geehrte Frau Meier,")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Vielen Dank für Ihre Geduld."
    document.add_paragraph(BLAME_DE)
    document.sections[0].footer.paragraphs[0].text = "Das ist UNVERSCHÄMT."
    path = tmp_path / "draft.docx"
    document.save(path)
    findings = lint(path, lang="de")
    blame = [f for f in findings if f.rule == "blame/versaeumt"]
    assert blame and blame[0].line == 3  # the third paragraph of the document
    assert any(f.category in ("hostile", "shouting") for f in findings)


def test_eml_prefers_text_and_skips_history(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Vertragsende"
    message.set_content(f"{CLEAN_DE}\n\nAm 3. März schrieb Herr Meier:\n> {BLAME_DE}\n")
    message.add_alternative(f"<p>{BLAME_DE}</p>", subtype="html")
    path = tmp_path / "mail.eml"
    path.write_bytes(bytes(message))
    assert [f for f in lint(path, lang="de") if f.category != "structure"] == []


def test_html_and_markdown(tmp_path):
    html = tmp_path / "draft.html"
    html.write_text(
        f"<html><body><p>{CLEAN_DE}</p><p>{BLAME_DE}</p><blockquote>{BLAME_DE}</blockquote>"
        "<script>var x = 'Sie haben es versäumt';</script></body></html>",
        encoding="utf-8",
    )
    found = [f for f in lint(html, lang="de") if f.category == "blame"]
    assert len(found) == 1 and found[0].line == 1
    md = tmp_path / "draft.md"
    md.write_text(f"# Kündigung\n\n{BLAME_DE}\n\n```\n{BLAME_DE}\n```\n", encoding="utf-8")
    found = [f for f in lint(md, lang="de") if f.category == "blame"]
    assert [f.line for f in found] == [3]


def test_windows_1252_text(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes(BLAME_DE.encode("cp1252"))
    assert any(f.rule == "blame/versaeumt" and f.text == "versäumt" for f in lint(path))


def test_zip_bomb_and_entity_attack_are_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (45 * 1024 * 1024) + b"</w:document>")
    result = run("lint", str(bomb))
    assert result.exit_code == 2 and "zip bomb" in result.output
    laughs = tmp_path / "laughs.docx"
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(laughs, "w") as archive:
        archive.writestr("word/document.xml", xml)
    result = run("lint", str(laughs))
    assert result.exit_code == 2 and "DOCTYPE" in result.output
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    assert run("lint", str(fake)).exit_code == 2


def test_empty_file_and_mixed_languages(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("lint", str(empty))
    assert result.exit_code == 0 and "All clean." in result.output
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(f"{BLAME_DE} Wir danken Ihnen trotzdem.\n\nYou failed to pay.\n", encoding="utf-8")
    assert lint(mixed)  # detected as German; a sensible result, no error


def test_config_file_baseline_and_suppression(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    draft = tmp_path / "draft.txt"
    draft.write_text(f"{BLAME_DE}\nWie bereits mehrfach erwähnt, ist die Rechnung offen.\n", encoding="utf-8")
    assert run("lint", "draft.txt").exit_code == 1
    (tmp_path / "pyproject.toml").write_text(
        '[tool.letterkit.lint]\nignore = ["blame", "passive_aggressive"]\n', encoding="utf-8"
    )
    assert run("lint", "draft.txt").exit_code == 0
    (tmp_path / "pyproject.toml").write_text('[tool.letterkit.lint]\nignor = ["blame"]\n', encoding="utf-8")
    result = run("lint", "draft.txt")
    assert result.exit_code == 2 and "unknown lint setting(s) ignor" in result.output
    (tmp_path / "pyproject.toml").unlink()
    # recording accepts the findings: the run passes (test_lint_cli_output checks its notice)
    assert run("lint", "draft.txt", "--write-baseline", "baseline.json").exit_code == 0
    assert run("lint", "draft.txt", "--baseline", "baseline.json").exit_code == 0
    draft.write_text(
        draft.read_text(encoding="utf-8") + "Sie haben auch die Frist nicht eingehalten.\n", encoding="utf-8"
    )
    assert run("lint", "draft.txt", "--baseline", "baseline.json").exit_code == 1  # a new finding
    marked = tmp_path / "marked.md"
    marked.write_text(f"<!-- letterkit-ignore: blame -->\n{BLAME_DE}\n", encoding="utf-8")
    assert [f for f in lint(marked, lang="de") if f.category == "blame"] == []


def test_the_config_is_found_from_each_drafts_folder_not_the_working_directory(tmp_path, monkeypatch):
    """As ruff does (acceptance run acc14): a draft is linted with the settings above its own
    folder wherever the command runs; standard input with those above the working
    directory; two drafts of two projects each with their own."""
    project, other = tmp_path / "proj", tmp_path / "other"
    (project / "sub").mkdir(parents=True)
    other.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.letterkit.lint]\nignore = ["blame", "passive_aggressive"]\n', encoding="utf-8"
    )
    text = f"{BLAME_DE}\nWie bereits mehrfach erwähnt, ist die Rechnung offen.\n"
    draft = project / "sub" / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    (other / "draft.txt").write_text(text, encoding="utf-8")
    for cwd in (tmp_path, project / "sub", other):
        monkeypatch.chdir(cwd)
        assert run("lint", str(draft)).exit_code == 0, cwd
    monkeypatch.chdir(tmp_path)
    both = run("lint", str(draft), str(other / "draft.txt"), "--format", "json")
    assert both.exit_code == 1
    assert {f["path"] for f in json.loads(both.output)["findings"]} == {str(other / "draft.txt")}
    assert run("lint", "-", input=text).exit_code == 1  # no config above the working directory
    monkeypatch.chdir(project)
    assert run("lint", "-", input=text).exit_code == 0


def test_a_baseline_named_in_a_config_is_relative_to_its_file(tmp_path, monkeypatch):
    project = tmp_path / "proj"
    project.mkdir()
    draft = project / "draft.txt"
    draft.write_text(f"{BLAME_DE}\n", encoding="utf-8")
    monkeypatch.chdir(project)
    # fingerprints hold the draft's path as given: recorded as it is linted below
    assert run("lint", str(draft), "--write-baseline", "accepted.json").exit_code == 0
    (project / "letterkit.toml").write_text('[lint]\nbaseline = "accepted.json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("lint", str(draft)).exit_code == 0


def test_rules_command():
    listing = run("rules", "--lang", "de")
    assert listing.exit_code == 0 and "blame/versaeumt" in listing.output
    explained = run("rules", "versaeumt")
    assert "Flagged:" in explained.output and "Not flagged:" in explained.output
    unknown = run("rules", "blame/versaumt")
    assert unknown.exit_code == 2 and "Did you mean blame/versaeumt" in unknown.output


def test_large_text_is_linted(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text((CLEAN_DE + " " + BLAME_DE + "\n\n") * 20000, encoding="utf-8")
    findings = lint(path, lang="de")
    assert sum(f.rule == "blame/versaeumt" for f in findings) == 20000


def test_html_report_escapes_the_draft(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("<script>alert(1)</script> " + BLAME_DE, encoding="utf-8")
    html = run("lint", str(path), "--format", "html").output
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_findings_from_bytes_io_are_not_confused_with_paths():
    assert lint("Sie haben es versäumt, zu zahlen. " * 30, lang="de")
    assert lint(io.StringIO().getvalue() + "Ein ganz normaler Satz.", lang="de") == []


def test_lint_api_with_path_object(tmp_path):
    path = Path(tmp_path / "d.txt")
    path.write_text(BLAME_DE, encoding="utf-8")
    assert lint(path)[0].path == str(path)


@pytest.mark.parametrize(
    "text",
    [
        "Zögern Sie nicht, uns anzurufen.",
        "We always enjoyed working with you.",
        "Never hesitate to call us.",
        "Anwaltskanzlei Müller\nHauptstraße 4",
    ],
)
def test_hard_negatives_stay_quiet(text):
    assert [f for f in lint(text) if f.category != "structure"] == []


def test_one_unreadable_draft_does_not_lose_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(f"Sehr geehrte Frau Meier,\n\n{BLAME_DE}\n", encoding="utf-8")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"\x00\x01 not a zip")
    result = CliRunner().invoke(main, ["lint", str(good), str(broken), "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert any(f["rule"] == "blame/versaeumt" for f in report["findings"])
    assert f"Error: {broken}: is not a Word document" in result.stderr
    # only unreadable drafts: the error alone, as for one file
    alone = run("lint", str(broken), str(tmp_path / "missing.txt"))
    assert alone.exit_code == 2 and "missing.txt" in alone.output and "broken.docx" in alone.output
    # a baseline is never written without every draft's findings
    baseline = tmp_path / "base.json"
    assert run("lint", str(good), str(broken), "--write-baseline", str(baseline)).exit_code == 2
    assert not baseline.exists()


def test_the_same_draft_named_twice_is_linted_once(tmp_path, monkeypatch):
    draft = tmp_path / "draft.txt"
    draft.write_text(f"{BLAME_DE}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    once = json.loads(run("lint", "draft.txt", "--format", "json").output)["findings"]
    twice = json.loads(run("lint", "draft.txt", str(draft), "./draft.txt", "--format", "json").output)
    assert len(twice["findings"]) == len(once) > 0


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 20, b"Subject: Hallo\n\n" + bytes(range(256)), b"%PDF-1.7\n" + b"x" * 100],
    ids=["random", "binary-body", "pdf"],
)
def test_binary_data_named_eml_is_refused(tmp_path, data):
    path = tmp_path / "mail.eml"
    path.write_bytes(data)
    result = run("lint", str(path))
    assert result.exit_code == 2 and ("binary" in result.output or "PDF" in result.output)


def test_summary_counts_read_as_english(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(f"{BLAME_DE}\n", encoding="utf-8")
    summary = run("lint", str(draft)).output.strip().splitlines()[-1]
    assert summary == "Found 1 problem (0 errors, 1 warning)."


def test_summary_counts_info_notes_apart_from_problems():
    """An info note ("Leider …") is no call to change the sentence: the summary does not
    count it as a problem (acceptance 22: "Found 7 problems (…, 1 info)")."""
    from letterkit.lint.findings import Finding
    from letterkit.lint.report import summary

    def finding(severity: str) -> Finding:
        return Finding(
            rule="x/y", category="x", severity=severity, message="m", path="p", line=1, column=1,
            start=0, end=1, text="t", paragraph=1,
        )

    assert summary([finding("error"), *[finding("warning")] * 5, finding("info")]) == (
        "Found 6 problems (1 error, 5 warnings) and 1 note (info)."
    )
    assert summary([finding("info"), finding("info")]) == "No problems; 2 notes (info)."
    assert summary([finding("warning")]) == "Found 1 problem (0 errors, 1 warning)."
    assert summary([]) == "All clean."
