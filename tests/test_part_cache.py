"""The parts library's templates worked out once and kept between runs (part_cache): a
later run composes the same letters from the kept code without compiling or parsing a
template, and a damaged or foreign cache file is only worked out again."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import BASE, ROOT

import letterkit
from letterkit import part_cache, parts
from letterkit.errors import TemplateError

SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def fresh_process(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The module state of a new process whose cache file is ``path``."""
    monkeypatch.setattr(part_cache.PARTS, "path", lambda: path)
    monkeypatch.setattr(part_cache.PARTS, "table", None)
    monkeypatch.setattr(part_cache.PARTS, "added", False)
    parts._compile.cache_clear()
    parts._reads.cache_clear()
    parts._SKELETONS.clear()
    parts.clear_memo()
    parts._TALLY.clear()


def texts(letters: list[letterkit.Letter]) -> list[Any]:
    return [(x.subject, x.salutation, x.body, x.closing) for x in letters]


def test_a_later_run_composes_from_the_kept_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "parts.pickle"
    fresh_process(monkeypatch, path)
    first = [letterkit.compose(sample) for sample in SAMPLES]
    assert not path.exists()  # written when the process ends
    part_cache.PARTS.save()
    assert path.exists()

    fresh_process(monkeypatch, path)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a kept template was compiled or parsed again")

    monkeypatch.setattr(jinja2.Environment, "compile", refused)
    monkeypatch.setattr(jinja2.Environment, "parse", refused)
    again = [letterkit.compose(sample) for sample in SAMPLES]
    assert texts(again) == texts(first)
    assert part_cache.PARTS.added is False  # nothing new: the file is not written again


def test_a_damaged_or_foreign_cache_file_is_worked_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "parts.pickle"
    fresh_process(monkeypatch, path)
    expected = texts([letterkit.compose(BASE)])
    for content in (
        b"not a pickle",
        pickle.dumps({"key": "another jinja", "entries": {"{{ x }}": {"code": b"junk"}}}),
        pickle.dumps(
            {
                "key": part_cache.PARTS.key(),
                "entries": {source: {"code": b"junk", "reads": "x"} for source in parts._TALLY},
            }
        ),
    ):
        path.write_bytes(content)
        fresh_process(monkeypatch, path)
        assert texts([letterkit.compose(BASE)]) == expected


def test_a_template_error_is_still_the_parts_librarys() -> None:
    with pytest.raises(TemplateError, match="parts library"):
        parts._compile("{% if %}")


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX permissions")
def test_only_a_private_cache_file_of_this_user_is_loaded(tmp_path: Path) -> None:
    """A cache file holds pickled objects and compiled code, which run when loaded: a file
    others may write, or a symbolic link planted in its place, is not read."""
    import os

    from letterkit.lint.rules import load_cache, save_cache

    folder = tmp_path / "cache" / "letterkit"
    path = folder / "x.pickle"
    assert save_cache({"a": 1}, path)
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert (path.stat().st_mode & 0o077) == 0
    assert load_cache(path) == {"a": 1}
    path.chmod(0o666)
    assert load_cache(path) is None
    path.chmod(0o600)
    planted = tmp_path / "planted.pickle"
    planted.write_bytes(pickle.dumps({"a": 2}))
    planted.chmod(0o600)
    link = folder / "y.pickle"
    os.symlink(planted, link)
    assert load_cache(link) is None
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*.tmp"))


def test_kept_entries_belong_to_one_version_of_letterkit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "parts.pickle"
    fresh_process(monkeypatch, path)
    monkeypatch.setattr(part_cache.PARTS, "_key", None)
    key = part_cache.PARTS.key()
    monkeypatch.setattr(part_cache, "__version__", "9.9.9")
    part_cache.PARTS._key = None
    assert part_cache.PARTS.key() != key
    part_cache.PARTS._key = None
