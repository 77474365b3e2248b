"""In GitHub Actions a relative `file=` is read from the repository's root (GITHUB_WORKSPACE),
not from the folder a step runs in (`working-directory: letters`): the annotations give each
draft's path from the root, so they land on the pull request's files (tester14)."""

from __future__ import annotations

from click.testing import CliRunner

from letterkit.cli import main


def _annotations(*args: str) -> list[str]:
    result = CliRunner().invoke(main, ["lint", "--lang", "en", "--format", "github", *args])
    return [line.split(",")[0] for line in result.stdout.splitlines()]


def test_paths_from_the_repository_root(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "letters" / "2026").mkdir(parents=True)
    (repo / "letters" / "2026" / "a b.txt").write_text("You failed to pay.\n", encoding="utf-8")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("You failed to pay.\n", encoding="utf-8")
    monkeypatch.chdir(repo / "letters")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    assert _annotations("2026/a b.txt") == ["::warning file=2026/a b.txt"]  # not in Actions: as given

    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    assert _annotations("2026/a b.txt") == ["::warning file=letters/2026/a b.txt"]
    assert _annotations(str(repo / "letters" / "2026" / "a b.txt")) == ["::warning file=letters/2026/a b.txt"]
    assert _annotations("../../elsewhere.txt") == ["::warning file=../../elsewhere.txt"]  # outside: as given
    assert _annotations("2026/missing.txt") == ["::error file=letters/2026/missing.txt"]
