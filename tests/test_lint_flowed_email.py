"""An email's text part sent as format=flowed (RFC 3676): a line that ends in a space goes on
in the next line, and with delsp=yes the space goes too (a break inside a word). The lint
reads the paragraph as sent; findings keep the file's lines and columns. The signature
line "-- " and quoted history are not joined."""

from __future__ import annotations

from pathlib import Path

from letterkit.lint import lint
from letterkit.lint.emailtext import _soft_breaks

HEAD = (
    "From: a@example.de\r\nTo: b@example.de\r\nSubject: Vertrag\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8; format=flowed{delsp}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
)


def eml(tmp_path: Path, body: str, delsp: str = "") -> Path:
    path = tmp_path / "draft.eml"
    path.write_bytes((HEAD.format(delsp=delsp) + body).encode("utf-8"))
    return path


def test_delsp_yes_joins_a_word_broken_inside(tmp_path: Path) -> None:
    body = "Sehr geehrte Frau Berg,\r\n\r\nSie haben es versä \r\numt, die Rechnung zu zahlen.\r\n"
    (found,) = [f for f in lint(eml(tmp_path, body, "; delsp=yes"), lang="de") if f.rule == "blame/versaeumt"]
    assert found.text == "versäumt"
    assert (found.line, found.column) == (10, 14)  # where "versä" stands in the file


def test_a_short_flowed_line_goes_on_in_the_next(tmp_path: Path) -> None:
    # "Sie haben die Rechnung" alone on its line (capitalised, short) would be a line of its own
    body = "Sehr geehrte Frau Berg,\r\n\r\nSie haben die Rechnung \r\nnie bezahlt.\r\n"
    assert "blame/nicht-erledigt" in {f.rule for f in lint(eml(tmp_path, body), lang="de")}


def test_the_signature_line_and_quoted_lines_stay_apart() -> None:
    text = "Danke und Gruß \nAnna\n-- \nAnna Berg\n> Sie schrieben \n> am Montag \nJa.\n"
    cut = _soft_breaks(text, delete_space=False)
    assert cut == [(len("Danke und Gruß "), len("Danke und Gruß \n"))]
