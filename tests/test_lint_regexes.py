"""The lint modules' own regexes come from translated code kept in the cache folder
(letterkit/lint/regexes.py): the same compiled patterns re.compile makes, without parsing."""

from __future__ import annotations

import importlib
import re
import sys

import pytest

from letterkit.lint import regexes

MODULES = [
    "address",
    "engine",
    "formats",
    "htmltext",
    "language",
    "letterhead",
    "model",
    "readers",
    "structure",
    "text",
]


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(f"letterkit.lint.{name}")
        found += [
            (f"{name}.{key}", value) for key, value in vars(module).items() if isinstance(value, re.Pattern)
        ]
    return found


def test_every_module_regex_is_the_one_re_compile_makes():
    """Same pattern, flags and engine code (a Pattern compares all three): the code kept is
    re.compile's own, not the factored code of the rule patterns."""
    patterns = _module_patterns()
    assert len(patterns) >= 25
    for name, pattern in patterns:
        assert pattern == re.compile(pattern.pattern, pattern.flags), name
    # and the translated code of each was kept, under its own text and flags
    codes = regexes._table()
    assert all(
        (int(p.flags) & ~re.UNICODE, p.pattern) in codes or (int(p.flags), p.pattern) in codes
        for _, p in patterns
    )


@pytest.fixture
def fresh_table(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """An empty cache folder and a table not read yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(regexes, "_codes", None)
    monkeypatch.setattr(regexes, "_added", False)
    return tmp_path / "cache" / "letterkit"


def test_a_pattern_is_compiled_from_the_cache_file_without_parsing(fresh_table, monkeypatch):
    text, flags = r"(?P<word>lint-regex-(?:cache|store)) (\d+)\1?", re.IGNORECASE | re.MULTILINE
    first = regexes.regex(text, flags)
    assert first == re.compile(text, flags)
    regexes._save()  # what the exit handler does
    assert [p.name for p in fresh_table.glob("regexes-*.pickle")]

    monkeypatch.setattr(regexes, "_codes", None)  # a new process reads the file
    re.purge()

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")

    parser = sys.modules["re._parser"] if "re._parser" in sys.modules else sys.modules["sre_parse"]
    monkeypatch.setattr(parser, "parse", no_parsing)
    again = regexes.regex(text, flags)
    assert again == first
    assert again.groupindex == {"word": 1} and again.groups == 2
    assert again.search("x LINT-REGEX-STORE 42").group("word") == "LINT-REGEX-STORE"


def test_a_damaged_or_foreign_cache_file_is_compiled_anew(fresh_table):
    fresh_table.mkdir(parents=True, mode=0o700)
    (fresh_table / regexes._path().name).write_bytes(b"not a pickle")
    assert regexes.regex(r"lint-regex-damaged\d") == re.compile(r"lint-regex-damaged\d")
