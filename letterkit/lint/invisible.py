"""Characters no page shows inside a word: the soft hyphen (U+00AD, ``&shy;``) a hyphenator
or a CMS puts into long words, the zero-width space and non-joiner, the word joiner and a
zero-width no-break space. They split a word for the rules ("un&shy;möglich" is no
"unmöglich"), so the readers leave them out of the text the rules read; an ``OffsetMap``
keeps the source's lines and columns. (The zero-width joiner stays: it joins emoji.) Plain
text and emails also leave out the hyphen and line break of a word hyphenated at a line's
end (``LINE_HYPHEN``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .regexes import regex
from .text import OffsetMap

INVISIBLE = "\u00ad\u200b\u200c\u2060\ufeff"  # has_invisible names them one by one
INVISIBLE_RUN = regex(f"[{INVISIBLE}]+")
SHOWN_RUN = regex(f"[^{INVISIBLE}]+")


# A word hyphenated at the end of a line ("ver-⏎säumt", as typed with manual hyphenation or
# copied from a page): the hyphen and the line break are left out like an invisible
# character, so that the rules read "versäumt". Only between a letter and a word going on in
# lower case that is no conjunction: "Kunden-⏎und Lieferantenliste", "E-⏎Mail" keep theirs.
LINE_HYPHEN = regex(
    r"(?<=[^\W\d_])-\n(?=(?!(?:und|oder|bzw|sowie|als|wie|and|or|nor)\b)[^\W\d_A-ZÄÖÜ])"
)
HIDDEN_RUN = regex(f"[{INVISIBLE}]+|{LINE_HYPHEN.pattern}")


def has_hidden(text: str) -> bool:
    """Does ``text`` hold an invisible character or a word hyphenated at a line's end?"""
    return has_invisible(text) or ("-\n" in text and LINE_HYPHEN.search(text) is not None)


def without_hidden(text: str) -> tuple[str, OffsetMap]:
    """``text`` without its invisible characters and line-end hyphens (``LINE_HYPHEN``),
    and the map from the result back to it."""
    return _without(text, HIDDEN_RUN)


def has_invisible(text: str) -> bool:
    """Does ``text`` hold a character of ``INVISIBLE``? (``isascii`` takes no time; ``in``
    per character is ~1000 times faster than a regex search over a long text; written
    out, it makes no generator for each of the many short pieces of an HTML page.)"""
    return not text.isascii() and (
        "\u00ad" in text or "\u200b" in text or "\u200c" in text or "\u2060" in text or "\ufeff" in text
    )


def without_invisible(text: str) -> tuple[str, OffsetMap]:
    """``text`` without its invisible characters, and the map from the result back to it."""
    return _without(text, INVISIBLE_RUN)


def _without(text: str, left_out: re.Pattern[str]) -> tuple[str, OffsetMap]:
    """``text`` without the matches of ``left_out``, and the map from the result back to it."""
    return without_spans(text, (match.span() for match in left_out.finditer(text)))


def without_spans(text: str, spans: Iterable[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """``text`` without ``spans`` (in order, apart), and the map from the result back to it."""
    offsets = OffsetMap()
    pieces: list[str] = []
    length = previous = 0
    for start, end in spans:
        if start > previous:
            offsets.add(length, previous)
            pieces.append(text[previous:start])
            length += start - previous
        previous = end
    offsets.add(length, previous)
    pieces.append(text[previous:])
    return "".join(pieces), offsets
