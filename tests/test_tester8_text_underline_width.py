"""The text report's underline on a terminal (tester 8): the carets stand under the words
in the columns a terminal shows, not in characters. An emoji or a CJK character takes two
columns and a combining accent none, so "Hi Tom 😀😀, you are an idiot." was underlined two
columns left of "idiot", "e\u0301cht" two to the right; a tab in the sentence (eight
columns) is shown as one space."""

from __future__ import annotations

from click.testing import CliRunner

from letterkit.cli import main


def underline(line: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["lint", "--ignore", "structure", "-"], input=line.encode("utf-8"))
    shown = result.stdout.splitlines()
    return shown[1], shown[2]


def test_wide_characters_take_two_columns() -> None:
    sentence, carets = underline("Hi Tom 😀😀, you are an idiot.\n")
    assert sentence == "    Hi Tom 😀😀, you are an idiot."
    assert carets == "    " + " " * 24 + "^" * 5


def test_combining_accents_take_none() -> None:
    _sentence, carets = underline("Du bist e\u0301cht e\u0301cht ein Idiot.\n")
    assert carets == "    " + " " * 22 + "^" * 5


def test_cjk_and_a_tab() -> None:
    sentence, carets = underline("Sie sind ein 馬鹿\tIdiot.\n")
    assert sentence == "    Sie sind ein 馬鹿 Idiot."
    assert carets == "    " + " " * 18 + "^" * 5
