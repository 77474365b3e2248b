"""Tester 4's defects, found by linting drafts written from outside the code: each test
failed before its fix."""

from __future__ import annotations

import pytest

from letterkit.lint import lint


@pytest.mark.parametrize(
    "sentence",
    [
        "Our helpdesk is there for you on weekdays from 8 am to 6 pm.",
        "You can reach the office between 9 AM to 1 PM on Saturdays.",
        "You can ring us from 10.30 am to 4 pm.",
    ],
)
def test_a_time_of_day_is_no_order(sentence):
    """'9 am to 5 pm' read as 'I am to …', an order (negative_framing/must)."""
    assert [f.rule for f in lint(sentence + "\n", lang="en")] == []


def test_an_order_with_am_to_is_still_found():
    assert "negative_framing/must" in [f.rule for f in lint("You are to return the keys by 9 am.\n", lang="en")]


def test_an_oversized_text_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """A 50 MB .txt was refused only after its quoted history, logs and list items had been
    looked for (3 s, 360 MB); now as soon as it is decoded. The limit is made small here."""
    from letterkit.errors import SourceError
    from letterkit.lint import formats, text

    def not_reached(*args, **kwargs):
        raise AssertionError("the oversized text was read")

    monkeypatch.setattr(text, "MAX_CHARS", 1000)
    monkeypatch.setattr(formats, "hide_history_counted", not_reached)
    path = tmp_path / "long.txt"
    path.write_text("Sie zahlen nie pünktlich.\r\n" * 100, encoding="utf-8")
    with pytest.raises(SourceError, match="holds 2,600 characters of text; letterkit lints drafts of up to 1,000"):
        lint(path)
