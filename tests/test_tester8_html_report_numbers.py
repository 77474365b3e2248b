"""The HTML report's list of findings (tester 8): each finding is numbered once. The list
is an ordered list, which every renderer numbers; a number written into each item as well
showed "1. 1. structure/missing-end-date …" (a browser, LibreOffice's PDF export)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from letterkit.cli import main

DRAFT = "Dear Mr Hollis,\n\nYou failed to send the report.\nYou never answer my calls.\n\nRegards,\nSam\n"


class Rendered(HTMLParser):
    """The lines of the report's findings list as a renderer shows them: an <ol>'s items
    with the number the list gives them, and the numbers marked in the draft (<sup>)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.marks: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li" and "ol" in self._in:
            self.items.append(f"{len(self.items) + 1}. ")
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "li" in self._in and self.items:
            self.items[-1] += data
        elif self._in and self._in[-1] == "sup":
            self.marks += data.split(",")


def test_each_finding_is_numbered_once_and_as_marked_in_the_draft(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--format", "html", "--ignore", "structure", str(draft)])
    assert result.exit_code == 1, result.output
    page = Rendered()
    page.feed(result.output)
    assert len(page.items) == 3, page.items  # failed-to, never, did-not-deliver
    for item in page.items:
        assert re.match(r"\d+\. [a-z_]+/", item), item  # the list's number, then the rule
    assert sorted(page.marks, key=int) == [str(n) for n in range(1, len(page.items) + 1)]
    assert page.items[0].startswith("1. blame/failed-to")
