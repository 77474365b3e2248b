"""The text of an HTML page line by line, for the HTML reader in formats.py (a module of
its own so that html.parser is imported only when an HTML draft is read)."""

from __future__ import annotations

from html.parser import HTMLParser


class HTMLText(HTMLParser):
    """Collect the text of an HTML page with the source line of each piece."""

    BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "td",
            "th",
            "blockquote",
            "section",
            "article",
            "header",
            "footer",
            "address",
            "pre",
            "title",
        ]
    )
    SKIP = frozenset({"script", "style", "head", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, int]] = [("", 1)]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        if tag in self.BLOCKS:
            self.lines.append(("", self.getpos()[0]))
            self.lines.append(("", self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag in self.BLOCKS:
            self.lines.append(("", self.getpos()[0]))

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        line = self.getpos()[0]
        for i, piece in enumerate(data.split("\n")):
            if i:
                self.lines.append(("", line + i))
            text, origin = self.lines[-1]
            self.lines[-1] = (text + piece, origin if text else line + i)
