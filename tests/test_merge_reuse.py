"""What a merge works out once and uses again (issue #3): each row's validated
input as one digest for the repeat check and the record of its file; the work a first merge
does once, kept between runs in the user's cache and made again when what it came from changes."""

from __future__ import annotations

import pytest
from test_merge_state24 import BASE, row

from letterkit.merge import merge


@pytest.mark.parametrize("keep", [2, 1000])
def test_rows_beyond_the_kept_ones_get_the_same_record_as_the_kept_ones(
    tmp_path, composed, monkeypatch, keep
):
    """The first pass hands the digest of the rows it keeps to the second; the rows beyond
    them are validated again there and their digest worked out again: the records must agree,
    or a resume would make those letters again (or a merge with another limit all of them)."""
    from letterkit.merge import run

    rows = [row(i, channel=None) for i in range(5)]
    out = tmp_path / "out"
    monkeypatch.setattr(run, "KEEP_VALIDATED", keep)
    merge(rows, base=BASE, out_dir=out, fmt="docx")
    assert composed == [1, 2, 3, 4, 5]
    composed.clear()
    monkeypatch.setattr(run, "KEEP_VALIDATED", 1000 if keep == 2 else 2)
    again = merge(rows, base=BASE, out_dir=out, fmt="docx")
    assert again.count("exists") == 5 and composed == []


def test_another_sender_is_another_input(tmp_path, composed):
    """The sender stands in a row's digest as the digest of its own text: a sender changed in
    the base (the same rows) makes every letter anew for the check, and a repeat is a repeat
    only with the same sender."""
    from letterkit.merge.repeats import validated_digest
    from letterkit.model import validate

    rows = [row(i) for i in range(2)]
    out = tmp_path / "out"
    merge(rows, base=BASE, out_dir=out, fmt="eml")
    composed.clear()
    other = {**BASE, "sender": {**BASE["sender"], "name": "Erika Mustermann"}}
    again = merge(rows, base=other, out_dir=out, fmt="eml")
    assert composed == [1, 2] and again.count("exists") == 0
    first = validate({**BASE, **row(0)})
    assert validated_digest(first) == validated_digest(validate({**BASE, **row(0)}))
    assert validated_digest(first) != validated_digest(validate({**other, **row(0)}))
    assert validated_digest(first) != validated_digest(validate({**BASE, **row(1)}))


def test_the_stamp_of_a_run_changes_with_a_library_that_renders(tmp_path, monkeypatch):
    """The libraries are stamped by their package's file (not importlib.metadata, slow to
    import): another version installed is another file, so the records of files made
    with the old one no longer keep a file without the full check."""
    import importlib

    from letterkit.merge import made

    package = tmp_path / "renderlib"
    package.mkdir()
    (package / "__init__.py").write_text("__version__ = '1.0'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(made, "_LIBRARIES", ("renderlib", "no_such_library"))
    made._code_stamp.cache_clear()
    try:
        first = made._code_stamp()
        assert str(package / "__init__.py") in first and "no_such_library -" in first
        (package / "__init__.py").write_text("__version__ = '1.10'\n", encoding="utf-8")
        importlib.invalidate_caches()
        made._code_stamp.cache_clear()
        assert made._code_stamp() != first
    finally:
        made._code_stamp.cache_clear()


def test_the_stamp_of_a_run_changes_with_a_template_file(tmp_path, monkeypatch):
    """The templates are stamped file by file (the folder's path resolved once): a part of
    the library edited since, or a file added, is another stamp, so no record made with the
    old text keeps a file without the full check."""
    from letterkit import resources
    from letterkit.merge import made

    folder = tmp_path / "templates" / "de"
    folder.mkdir(parents=True)
    (folder / "parts.yaml").write_text("decision: Wir kündigen.\n", encoding="utf-8")
    monkeypatch.setattr(resources, "templates_dir", lambda: tmp_path / "templates")
    first = made.run_stamp("docx", None, False, ())
    assert str(folder / "parts.yaml") in first
    (folder / "parts.yaml").write_text("decision: Hiermit kündigen wir.\n", encoding="utf-8")
    second = made.run_stamp("docx", None, False, ())
    (folder / "locale.yaml").write_text("labels: {}\n", encoding="utf-8")
    assert len({first, second, made.run_stamp("docx", None, False, ())}) == 3


def test_every_character_validation_refuses_is_unprintable() -> None:
    """Validation looks for a forbidden character only in a value that is not printable
    (``str.isprintable``, in C): sound only while every character the pattern names is
    unprintable. A printable one added to the pattern would pass unseen."""
    from letterkit.model import _FORBIDDEN

    forbidden = [chr(code) for code in range(0x110000) if _FORBIDDEN.match(chr(code))]
    assert forbidden and not any(char.isprintable() for char in forbidden)
