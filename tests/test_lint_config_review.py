"""Code review of the per-folder lint settings (0.1.0):

- A baseline found through a draft's folder matched only when the draft was named as it
  was when the baseline was written, from the same working directory (fingerprints held
  the path as typed): now the path is taken from the baseline file's folder.
- A config file that could not be read in one draft's folder stopped the whole run; now
  that draft gets the error and the others are linted and reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main

BLAME = "Sie haben es versäumt, die Rechnung zu bezahlen.\n"


def _lint(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lint", *args])
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "proj" / "docs").mkdir(parents=True)
    (tmp_path / "proj" / "pyproject.toml").write_text(
        '[tool.letterkit.lint]\nbaseline = "docs/baseline.json"\n', encoding="utf-8"
    )
    (tmp_path / "proj" / "docs" / "a.txt").write_text(BLAME, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "proj")
    return tmp_path / "proj"


def test_a_baseline_matches_however_the_draft_is_named(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _lint("--write-baseline", "docs/baseline.json", "docs/a.txt")[0] == 0
    recorded = json.loads((project / "docs" / "baseline.json").read_text(encoding="utf-8"))
    assert [entry["path"] for entry in recorded["accepted"].values()] == ["a.txt"]
    for folder, name in [
        (project, "docs/a.txt"),
        (project / "docs", "a.txt"),
        (project / "docs", str(project / "docs" / "a.txt")),
        (project.parent, "proj/docs/a.txt"),
    ]:
        monkeypatch.chdir(folder)
        assert _lint(name) == (0, "All clean.\n"), (folder, name)
    (project / "docs" / "a.txt").write_text(BLAME + "Sie haben uns nie geantwortet.\n", encoding="utf-8")
    code, output = _lint(str(project / "docs" / "a.txt"))  # a new finding still counts
    assert code == 1 and "absolute/" in output and "versaeumt" not in output


def test_an_older_baseline_with_the_path_as_typed_still_matches(project: Path) -> None:
    from letterkit.lint import lint
    from letterkit.lint.config import fingerprint

    found = lint(project / "docs" / "a.txt")
    legacy = {fingerprint(f.__class__(**{**f.__dict__, "path": "docs/a.txt"})): {} for f in found}
    (project / "docs" / "baseline.json").write_text(
        json.dumps({"version": 1, "accepted": legacy}), encoding="utf-8"
    )
    assert _lint("docs/a.txt") == (0, "All clean.\n")


def test_a_broken_config_fails_its_draft_only(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.letterkit.lint]\nfail-level = "warning"\n', encoding="utf-8")
    (project / "other").mkdir()
    (project / "other" / "letterkit.toml").write_text("[tool.letterkit.lint\nbroken", encoding="utf-8")
    (project / "other" / "b.txt").write_text(BLAME, encoding="utf-8")
    (project / "c.txt").write_text(BLAME, encoding="utf-8")
    code, output = _lint("c.txt", "other/b.txt")
    assert code == 2
    assert "c.txt:1:14: blame/versaeumt" in output  # the other draft is linted and reported
    assert "letterkit.toml: is not valid TOML" in output


def test_a_findings_end_in_quoted_printable_takes_its_last_character_only(tmp_path: Path) -> None:
    """SARIF's endColumn in a quoted-printable .eml: the encoded bytes of the finding's last
    character, not those of the next one too ('Grüß' before '“': =C3=9F, not =C3=9F=E2=80=9C)."""
    from letterkit.lint.readers import read_draft

    source = "Er sagte: =E2=80=9EGr=C3=BC=C3=9F=E2=80=9C und ging.\n"
    path = tmp_path / "q.eml"
    path.write_bytes(
        b"From: a@example.com\nTo: b@example.com\nSubject: x\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + source.encode("ascii")
    )
    draft = read_draft(path)
    start = draft.text.index("Grüß")
    line, column = draft.end_position(start, start + len("Grüß"))
    assert line == 8
    assert column == len("Er sagte: =E2=80=9EGr=C3=BC=C3=9F") + 1
    start = draft.text.index("sagte")  # plain text: one character each
    assert draft.end_position(start, start + len("sagte"))[1] == len("Er sagte") + 1


PHONE = (
    "hi anna just so u know we wont be doing the garden anymore after end of march "
    "its been a tough year and to be honest you failed to pay the last three invoices "
    "and honestly we are stretched thin with the new estate contract and the van broke twice "
    "so we are cutting back on private gardens, thanks for all the coffee over the years "
    "and the lovely chats by the shed, take care and all the best to you and tom"
)


def test_a_baseline_of_a_one_run_phone_draft_survives_edits_away_from_the_finding(project: Path) -> None:
    """A phone draft typed as one run of words without full stops is one "sentence": its
    fingerprint was all of it, so any edit brought back every accepted finding (session 17)."""
    draft = project / "docs" / "a.txt"
    draft.write_text(PHONE + "\n", encoding="utf-8")
    assert _lint("--write-baseline", "docs/baseline.json", "docs/a.txt")[0] == 0
    assert _lint("docs/a.txt") == (0, "All clean.\n")
    draft.write_text(PHONE.replace("the van broke twice", "the van broke down three times") + "\n", encoding="utf-8")
    assert _lint("docs/a.txt") == (0, "All clean.\n")  # edited far from the finding
    draft.write_text(PHONE.replace("the last three invoices", "the four invoices") + "\n", encoding="utf-8")
    code, output = _lint("docs/a.txt")  # edited next to it: the finding comes back
    assert code == 1 and "failed-to" in output


def test_a_baseline_written_before_still_accepts_a_long_sentence_by_all_of_it(project: Path) -> None:
    from letterkit.lint import lint
    from letterkit.lint.config import _fingerprint

    draft = project / "docs" / "a.txt"
    draft.write_text(PHONE + "\n", encoding="utf-8")
    found = lint(draft)
    assert found
    legacy = {_fingerprint(f, project / "docs", whole=True): {} for f in found}
    (project / "docs" / "baseline.json").write_text(json.dumps({"version": 1, "accepted": legacy}), encoding="utf-8")
    assert _lint("docs/a.txt") == (0, "All clean.\n")
