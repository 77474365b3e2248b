"""The text of an HTML page, for the HTML reader in formats.py (a module of its own so
that html.parser is imported only when an HTML draft is read).

The text is made in one pass with an ``OffsetMap`` back to the source: each word comes
from its place in the file, an entity (``&amp;``) from the place of its ``&``, a space
that joins white space from where the white space began. Blocks (<p>, <div>, <li>, …)
are paragraphs, <br> a line break; white space inside a block is one space, as a
browser shows it; nothing is put in front of the first word (the <head> leaves no
blank lines). Bold and underline (<b>, <strong>, <u>, a ``style`` with
``font-weight: bold`` or ``text-decoration: underline``) are noted as emphasis spans.
A signature block as mail programs mark it (see ``_SIGNATURE_MARKS``) is noted too: its
text stays in the text, and the reader blanks it, like quoted history, so that a
signature's disclaimer is neither linted nor read as the letter's ending.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from .invisible import SHOWN_RUN, has_invisible
from .regexes import regex
from .text import OffsetMap

_WORD = regex(r"\S+")
_EMPHASIS_STYLE = regex(
    r"font-weight\s*:\s*(?:bold(?:er)?|[6-9]00)\b|text-decoration(?:-line)?\s*:[^;]*\bunderline\b", re.I
)
_VOID = frozenset(  # elements without an end tag
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_EMPHASIS_TAGS = frozenset({"b", "strong", "u"})
# The class or id (any case) that mail programs give the element holding a signature:
# Gmail, Thunderbird, Outlook ("Signature", the mobile app's class) and Apple Mail.
_SIGNATURE_MARKS = frozenset(
    {
        "gmail_signature",
        "gmail_signature_prefix",
        "moz-signature",
        "signature",
        "ms-outlook-mobile-signature",
        "applemailsignature",
    }
)
_STACK_SEARCH = 64  # an end tag looks this far down the open elements for its start tag


class HTMLText(HTMLParser):
    """Collect the text of an HTML page, its map to the source and its emphasis spans."""

    BLOCKS = frozenset(
        [
            "p",
            "div",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
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
            "hr",
            "body",
        ]
    )
    SKIP = frozenset({"script", "style", "head", "blockquote", "title", "template"})

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.pieces: list[str] = []
        self.length = 0
        self.offsets = OffsetMap()
        self.emphasis: list[tuple[int, int]] = []
        self.signatures: list[tuple[int, int]] = []  # spans of the text in a signature element
        self._skip: list[str] = []
        # open elements: (tag, emphasis start, signature start); a start is None when it is neither
        self._open: list[tuple[str, int | None, int | None]] = []
        self._space: int | None = None  # white space seen since the last word: its source offset
        self._breaks = 0  # line breaks owed before the next word (2: a new paragraph)
        self._break_at = 0
        self._pre = 0

    # -- positions -----------------------------------------------------------------

    def _here(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column if line - 1 < len(self._line_starts) else len(self.source)

    def _emit(self, text: str, source: int) -> None:
        self.offsets.add(self.length, source)
        self.pieces.append(text)
        self.length += len(text)

    def _word(self, word: str, source: int) -> None:
        """A word (no white space), after the break or space owed before it."""
        if self.length:
            if self._breaks:
                self._emit("\n" * self._breaks, self._break_at)
            elif self._space is not None:
                self._emit(" ", self._space)
        self._breaks = 0
        self._space = None
        self._emit(word, source)

    def _line_break(self, count: int, additive: bool = False) -> None:
        if not self._breaks:
            self._break_at = self._here()
        self._breaks = min(2, self._breaks + count) if additive else max(self._breaks, count)

    def _text(self, data: str, base: int, linear: bool = True) -> None:
        """Text found at ``base`` in the source; ``linear``: character for character
        (else an entity: every character comes from ``base``)."""
        if self._skip:
            return
        if self._pre:
            lines = data.split("\n")
            offset = base
            for number, line in enumerate(lines):
                if number:
                    self._line_break(1, additive=True)
                    self._break_at = offset - 1
                self._words(line, offset, linear)
                offset += len(line) + 1
            return
        self._words(data, base, linear)

    def _words(self, data: str, base: int, linear: bool) -> None:
        if has_invisible(data):
            self._words_shown(data, base, linear)
            return
        end = 0
        for match in _WORD.finditer(data):
            if match.start() > end and self._space is None:
                self._space = base + end if linear else base
            self._word(match.group(), base + match.start() if linear else base)
            end = match.end()
        if end < len(data) and self._space is None:
            self._space = base + end if linear else base

    def _words_shown(self, data: str, base: int, linear: bool) -> None:
        """``_words`` for text with soft hyphens or zero-width characters (``&shy;``, or
        written as characters): they are left out, and the pieces of a word they split
        stay one word."""
        end = 0
        for match in _WORD.finditer(data):
            if match.start() > end and self._space is None:
                self._space = base + end if linear else base
            first = True
            for piece in SHOWN_RUN.finditer(match.group()):
                at = base + match.start() + piece.start() if linear else base
                if first:
                    self._word(piece.group(), at)
                    first = False
                else:
                    self._emit(piece.group(), at)
            end = match.end()
        if end < len(data) and self._space is None:
            self._space = base + end if linear else base

    # -- parser events -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skip = [t for t in self._skip if t != "head"]  # a </head> left out
        if tag in self.SKIP:
            self._skip.append(tag)
        elif tag == "a" and (link := _comment_link(attrs)):
            # a reviewer's comment in an exported document is no text of the letter: Google
            # Docs puts each at the end, in a <div> that starts with <a id="cmnt1">, and marks
            # its place in the text with <a id="cmnt_ref1">[a]</a>; Word's comment list is a
            # <div style="mso-element:comment-list">
            self._skip.append("a" if link == "ref" else "div")
        elif tag == "div" and attrs and any(v and "mso-element:comment-list" in v.replace(" ", "") for _, v in attrs):
            self._skip.append("div")
        if tag in self.BLOCKS:
            self._line_break(2)
        elif tag == "br":
            self._line_break(1, additive=True)
        if tag == "pre":
            self._pre += 1
        if tag in _VOID:
            return
        style = next((value for name, value in attrs if name == "style" and value), "")
        emphasis = tag in _EMPHASIS_TAGS or bool(style and _EMPHASIS_STYLE.search(style))
        signature = _is_signature(attrs)
        self._open.append((tag, self.length if emphasis else None, self.length if signature else None))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self._line_break(2)
        elif tag == "br":
            self._line_break(1, additive=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skip:
            while self._skip and self._skip.pop() != tag:
                pass
        if tag in self.BLOCKS:
            self._line_break(2)
        if tag == "pre" and self._pre:
            self._pre -= 1
        bottom = max(0, len(self._open) - _STACK_SEARCH)
        for at in range(len(self._open) - 1, bottom - 1, -1):
            if self._open[at][0] == tag:
                self._ended(self._open[at:])  # elements left open end here too
                del self._open[at:]
                break

    def handle_data(self, data: str) -> None:
        self._text(data, self._here())

    def handle_entityref(self, name: str) -> None:
        self._text(unescape(f"&{name};"), self._here(), linear=False)

    def handle_charref(self, name: str) -> None:
        self._text(unescape(f"&#{name};"), self._here(), linear=False)

    def close(self) -> None:
        super().close()
        self._ended(self._open)
        self._open = []

    def _ended(self, elements: list[tuple[str, int | None, int | None]]) -> None:
        """Note the emphasis and signature spans of elements that end here."""
        for _tag, emphasis, signature in elements:
            if emphasis is not None:
                self.emphasis.append((emphasis, self.length))
            if signature is not None:
                self.signatures.append((signature, self.length))

    def text(self) -> str:
        return "".join(self.pieces)


_COMMENT_ID = regex(r"cmnt(?P<ref>_ref)?\d+")


def _comment_link(attrs: list[tuple[str, str | None]]) -> str:
    """"ref" for the mark of a Google Docs comment in the text (``<a id="cmnt_ref1">``),
    "comment" for the comment itself (``<a id="cmnt1">``), else ""."""
    for name, value in attrs:
        if name == "id" and value:
            match = _COMMENT_ID.fullmatch(value)
            if match:
                return "ref" if match.group("ref") else "comment"
    return ""


def _is_signature(attrs: list[tuple[str, str | None]]) -> bool:
    """Does the element's class or id name it a signature block?"""
    return any(
        name in ("class", "id")
        and value
        and any(token.lower() in _SIGNATURE_MARKS for token in value.split())
        for name, value in attrs
    )
