"""Word templates worked out once and kept between runs (``part_cache.TEMPLATES``): a later
run prepares the same template without parsing or compiling its Jinja, gives the same
bytes as docxtpl, and still refuses a broken template; an edited template is new."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from test_docx_fast import LETTERHEAD, docxtpl_render, hostile, tricky_template
from test_render_docx import english, german

from letterkit import part_cache
from letterkit.errors import TemplateError
from letterkit.lint.formats import docx_draft
from letterkit.render import docx as docx_module
from letterkit.render.docx import render_docx
from letterkit.render.package import build_zip, read_zip

ROOT = Path(__file__).resolve().parent.parent


def fresh_process(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The state of a new process whose kept templates are in ``path``."""
    monkeypatch.setattr(part_cache.TEMPLATES, "path", lambda: path)
    monkeypatch.setattr(part_cache.TEMPLATES, "table", None)
    monkeypatch.setattr(part_cache.TEMPLATES, "added", False)
    docx_module._prepared.cache_clear()


def refuse_jinja_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a kept template part was parsed or compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", refused)
    monkeypatch.setattr(jinja2.Environment, "parse", refused)


def letters() -> list[Any]:
    return [german(), english(), hostile(german), german(locale="de-AT"), english(locale="en-US")]


@pytest.mark.parametrize("template", [None, LETTERHEAD, "tricky"], ids=["built-in", "letterhead", "tricky"])
def test_a_later_run_prepares_the_template_from_kept_parts(
    template: Path | str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "templates.pickle"
    chosen = tricky_template(tmp_path) if template == "tricky" else template
    assert chosen is None or isinstance(chosen, Path)
    fresh_process(monkeypatch, path)
    first = [render_docx(letter, chosen) for letter in letters()]
    assert part_cache.TEMPLATES.added and not path.exists()  # written when the process ends
    part_cache.TEMPLATES.save()
    assert path.exists()

    fresh_process(monkeypatch, path)
    with monkeypatch.context() as refusing:  # preparing it (a template whose footnotes span
        refuse_jinja_work(refusing)  # sections renders them again per letter: not kept)
        if chosen is None:
            for lang in ("de", "en"):
                render_docx(german() if lang == "de" else english())
        else:
            docx_module.check_template(chosen)
    again = [render_docx(letter, chosen) for letter in letters()]
    assert again == first
    assert again[2] == docxtpl_render(letters()[2], chosen)  # still docxtpl's bytes
    assert part_cache.TEMPLATES.added is False


def with_body(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The German template with one piece of its body's XML replaced."""
    parts = read_zip((ROOT / "templates" / "de" / "letter.docx").read_bytes())
    body = parts["word/document.xml"].decode("utf-8")
    assert old in body
    parts["word/document.xml"] = body.replace(old, new, 1).encode("utf-8")
    path = tmp_path / name
    path.write_bytes(build_zip(parts))
    return path


def test_a_broken_template_is_refused_again_by_a_later_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "templates.pickle"
    unknown = with_body(tmp_path, "unknown.docx", "{{ subject }}", "{{ subjekt }}")
    broken = with_body(tmp_path, "broken.docx", "{{ subject }}", "{% if subject %}{{ subject }}")
    messages = []
    for _run in range(2):
        fresh_process(monkeypatch, path)
        for template in (unknown, broken):
            with pytest.raises(TemplateError) as caught:
                render_docx(german(), template)
            messages.append(str(caught.value))
        part_cache.TEMPLATES.save()
    assert "subjekt" in messages[0] and "did you mean 'subject'" in messages[0]
    assert "syntax error" in messages[1]
    assert messages[2:] == messages[:2]


def test_an_edited_template_is_not_served_from_the_older_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "templates.pickle"
    fresh_process(monkeypatch, path)
    render_docx(german(), ROOT / "templates" / "de" / "letter.docx")
    part_cache.TEMPLATES.save()
    edited = with_body(tmp_path, "edited.docx", "{{ subject }}", "Betreff: {{ subject }}")
    fresh_process(monkeypatch, path)
    made = docx_draft(render_docx(german(), edited), "edited.docx").text  # as read back: plain
    assert "Betreff: " + german().subject in made
    assert render_docx(german(), edited) == docxtpl_render(german(), edited)


def test_a_damaged_file_of_kept_templates_is_worked_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "templates.pickle"
    fresh_process(monkeypatch, path)
    expected = render_docx(german())
    part_cache.TEMPLATES.save()
    stored = part_cache.TEMPLATES.table
    assert stored
    for damage in ("code", "marked code", "source", "reads", "marked usage"):
        spoiled = {xml: {**entry, damage: b"junk" if "code" in damage else 7} for xml, entry in stored.items()}
        from letterkit.lint.rules import save_cache

        path.unlink()
        assert save_cache({"key": part_cache.TEMPLATES.key(), "entries": spoiled}, path)
        fresh_process(monkeypatch, path)
        assert render_docx(german()) == expected, damage
    path.write_bytes(b"not a pickle")
    fresh_process(monkeypatch, path)
    assert render_docx(german()) == expected


def test_a_refused_template_leaves_none_of_its_text_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finished letter given as a template (no placeholders: refused) holds a client's
    name and reference: nothing of it may stay in the user's cache folder."""
    path = tmp_path / "templates.pickle"
    fresh_process(monkeypatch, path)
    finished = tmp_path / "finished.docx"
    finished.write_bytes(render_docx(german()))
    fresh_process(monkeypatch, path)
    with pytest.raises(TemplateError, match="none of letterkit's placeholders"):
        render_docx(german(), finished)
    assert part_cache.TEMPLATES.added is False and not part_cache.TEMPLATES.table
    part_cache.TEMPLATES.save()
    assert not path.exists()
    render_docx(german())  # a good template is kept as before
    assert part_cache.TEMPLATES.added


def test_code_compiled_for_another_jinja_environment_is_not_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key holds the environment's settings: a part compiled without autoescaping (a
    caller's own environment) must not be what the sandboxed, escaping one runs."""
    from letterkit.render.docx import _open
    from letterkit.render.prepared import PreparedTemplate, template_parts

    path = tmp_path / "templates.pickle"
    fresh_process(monkeypatch, path)
    source = (ROOT / "templates" / "de" / "letter.docx").read_bytes()
    document = _open(source, "test")
    PreparedTemplate(document, template_parts(document), jinja2.Environment(), "plain")
    part_cache.TEMPLATES.save()
    fresh_process(monkeypatch, path)
    letter = german(subject="Ending <b>&</b> {{ 7*7 }} services")
    made = read_zip(render_docx(letter))["word/document.xml"].decode("utf-8")
    assert "Ending &lt;b&gt;&amp;&lt;/b&gt; {{ 7*7 }} services" in made
    assert render_docx(letter) == docxtpl_render(letter)


def test_two_runs_that_keep_templates_at_once_keep_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "templates.pickle"
    fresh_process(monkeypatch, path)
    render_docx(german())
    first = dict(part_cache.TEMPLATES.table or {})
    fresh_process(monkeypatch, path)  # another run, which has not seen the first one's file
    render_docx(german(), LETTERHEAD)
    second = dict(part_cache.TEMPLATES.table or {})
    part_cache.TEMPLATES.table = first  # the first run ends first ...
    part_cache.TEMPLATES.added = True
    part_cache.TEMPLATES.save()
    part_cache.TEMPLATES.table = second  # ... then the second: both runs' parts are kept
    part_cache.TEMPLATES.added = True
    part_cache.TEMPLATES.save()
    fresh_process(monkeypatch, path)
    assert set(part_cache.TEMPLATES.entries()) == set(first) | set(second)
    assert set(first) - set(second) and set(second) - set(first)


def test_the_workers_of_a_merge_keep_what_they_worked_out(tmp_path: Path) -> None:
    """Merge workers end without the exit handlers (os._exit): the kept templates are
    written by a finalizer there."""
    import os
    import subprocess
    import sys

    rows = tmp_path / "rows.csv"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import merge as bench
    finally:
        sys.path.pop(0)
    bench.write_rows(rows, 80)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    subprocess.run(
        [sys.executable, "-m", "letterkit", "merge", str(rows), "--base", str(ROOT / "samples" / "merge" / "base.yaml"),
         "-o", str(tmp_path / "out"), "--format", "docx", "--jobs", "2"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    assert list((tmp_path / "cache" / "letterkit").glob("templates-*.pickle"))
