"""A draft as the lint sees it: visible text, paragraphs, sentences and tokens with offsets.

Readers produce a ``Draft`` whose ``text`` is what is linted and shown; ranges that
must not be checked (quoted email history, an email signature, code) are blanked in
``visible`` with the same length. Where ``text`` is the source itself (.txt), an offset
is a source offset; where markup was taken out (HTML, Markdown emphasis, email
encodings), an ``OffsetMap`` leads every offset of ``text`` back to the source, so each
finding has the source's line and column.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .regexes import regex

Paragraph = tuple[int, int, str]  # start, end and text of a paragraph of visible text

# The most text one draft may hold: ~10 s and well under 1 GB to lint even when nearly
# every sentence is a finding. A letter is a few KB; a long email thread a few hundred.
MAX_CHARS = 10_000_000


def refuse_oversize(text: str, path: str) -> None:
    """Refuse a draft of more than ``MAX_CHARS`` characters. A reader calls it as soon as it
    has the text, before the work of reading it (a 50 MB text file was refused only after
    3 s and 360 MB of looking for quoted history in it)."""
    if len(text) > MAX_CHARS:
        from ..errors import SourceError

        raise SourceError(
            f"holds {_millions(len(text))} characters of text; letterkit lints drafts "
            f"of up to {_millions(MAX_CHARS)} (a letter has a few thousand): lint it in parts",
            path,
        )


def _millions(count: int) -> str:
    """A number of characters as a message gives it: "11.1 million", "10 million"; one over
    the limit never reads as the limit itself ("10,000,001", not "10.0 million")."""
    shown = f"{count / 1_000_000:.1f}".removesuffix(".0")
    if float(shown) * 1_000_000 != count and shown == f"{MAX_CHARS / 1_000_000:.1f}".removesuffix(".0"):
        return f"{count:,}"
    return f"{shown} million"

TOKEN = regex(r"\w+(?:[-’'‑]\w+)*", re.UNICODE)
_PARAGRAPH_BREAK = regex(r"\n[ \t]*\n+")
_NON_SPACE = regex(r"\S+")  # a word of the one-line form (str.split splits at the same characters)
# A sentence ends at . ! ? (and … ) followed by space and a capital, a digit or a quote.
# The end mark is part of the match (not a look-behind), so the regex engine finds the
# places to try by itself; the sentence ends after it. An emoji or a smiley after the mark
# belongs to the sentence ("Danke! 🙂 Sie …"), and one in the mark's place ends it as the
# mark would ("Thanks for the call 👍 You …"): else two sentences are read as one, and the
# subject of the first hides a reproach in the second.
_EMOJI = (
    r"(?:[\u2600-\u27BF\U0001F000-\U0001FAFF][\uFE0F\u200D\u2600-\u27BF\U0001F000-\U0001FAFF]*"
    r"|[:;]-?\))"
)
_SENTENCE_END = regex(r"[.!?…][\"'“”»«)]*\s+(?=[\"'„“«»(]?[A-ZÄÖÜ0-9])")
# The same with emoji; ten times slower, so only for a paragraph that holds one (_HAS_EMOJI
# finds them at 3 ms a megabyte).
_SENTENCE_END_EMOJI = regex(
    r"(?:[.!?…][\"'“”»«)]*(?:\s+(?P<emoji>" + _EMOJI + r"))?|(?<=\s)(?P<alone>" + _EMOJI + r"))"
    r"\s+(?=[\"'„“«»(]?[A-ZÄÖÜ0-9])"
)
_HAS_EMOJI = regex(r"[\u2600-\u27BF\U0001F000-\U0001FAFF]")
_ORDINAL = regex(r"\d{1,2}\.")  # "31." in "31. Dezember"
# "letterkit-ignore", optionally ": rule, rule"; it ends wherever the list does: at the end
# of a line, "-->", ")", "*/" or any other character that is not part of a rule id
SUPPRESS_MARKER = _SUPPRESS = regex(
    r"letterkit-ignore(?:[ \t]*:[ \t]*([\w/-]+(?:[ \t]*,[ \t]*[\w/-]+)*))?"
)
# A marker with the comment or brackets around it, blanked in ``visible``: its words are
# no text of the letter (read with the sentence, they would change what the tone model
# makes of it) and a "#" or "[ ]" left behind would show in the sentence of a finding.
MARKED_COMMENT = regex(
    r"(?:<!--|#|//|/\*|\(|\[)?[ \t]*(?:" + _SUPPRESS.pattern + r")[ \t]*(?:-->|\*/|\)|\])?"
)
# what may stand next to a marker on a line of its own: comment and bracket characters
_MARKER_ONLY = " \t\r<>!-#/*()[]{}%;'\""
_ABBREVIATIONS = frozenset(
    [
        "z.",
        "B.",
        "bzw.",
        "Nr.",
        "Dr.",
        "Prof.",
        "Mag.",
        "Fr.",
        "Hr.",
        "ca.",
        "d.",
        "h.",
        "u.",
        "a.",
        "usw.",
        "vgl.",
        "ggf.",
        "inkl.",
        "zzgl.",
        "evtl.",
        "Tel.",
        "St.",
        "Str.",
        "Mr.",
        "Mrs.",
        "Ms.",
        "Mx.",
        "Dr.",
        "No.",
        "e.g.",
        "i.e.",
        "etc.",
        "approx.",
        "Inc.",
        "Ltd.",
        "Co.",
        "vs.",
        "Jan.",
        "Feb.",
        "Mar.",
        "Apr.",
        "Jun.",
        "Jul.",
        "Aug.",
        "Sep.",
        "Sept.",
        "Oct.",
        "Nov.",
        "Dec.",
        "Okt.",
        "Dez.",
        "gem.",
        "lt.",
        "sog.",
        "bspw.",
        "zzt.",
        "Fa.",
        "Mio.",
        "Mrd.",
        "Std.",
        "cf.",
    ]
)
# References to statutes, contracts and files end no sentence before a number ("§ 573 Abs. 2
# BGB", "gemäss Art. 257d OR", "Ziff. 7.3", "cl. 7"); elsewhere they can be words that end
# one ("Das ist nicht unsere Art.", "The room was not lit.")
_REFERENCES = frozenset(
    ["Art.", "Abs.", "Ziff.", "lit.", "Anl.", "Kap.", "Az.", "para.", "Sec.", "cl.", "Ref."]
)
_NUMBER_AFTER = regex(r"\s*[\d§]")
# "a.m."/"p.m." before a quoted word end no sentence ("your 2 a.m. “URGENT” tickets"); before
# a capital they may ("We open at 9 a.m. Please call first.")
_CLOCK = frozenset(["a.m.", "p.m."])
_QUOTE_AFTER = regex(r"\s*[\"'“‘«»„]")


class Token(NamedTuple):
    """A word with its offsets in the draft (a tuple: thousands are made per page)."""

    text: str
    start: int
    end: int


class OffsetMap:
    """Where each character of a made text came from in its source: a piecewise linear
    map, one entry where the next character does not follow on from the one before
    (a tag or an entity was left out, white space was joined). Built in one pass by
    ``add`` in increasing text order; looked up by bisection. ``then`` is a further
    map applied after this one (an HTML part of an email: text → HTML → file)."""

    __slots__ = ("sources", "starts", "then")

    def __init__(self, then: OffsetMap | None = None) -> None:
        self.starts: list[int] = []
        self.sources: list[int] = []
        self.then = then

    def add(self, at: int, source: int) -> None:
        """The text from offset ``at`` on comes from ``source`` on (until the next entry)."""
        starts, sources = self.starts, self.sources
        if starts:
            if source - sources[-1] == at - starts[-1]:
                return  # goes on where the last piece left off
            if starts[-1] == at:
                sources[-1] = source
                return
        starts.append(at)
        sources.append(source)

    def __call__(self, offset: int) -> int:
        at = bisect.bisect_right(self.starts, offset) - 1
        source = offset if at < 0 else self.sources[at] + offset - self.starts[at]
        return self.then(source) if self.then is not None else source


class JoinedMap(OffsetMap):
    """The map of a text made of a head and a body (an email's subject, a blank line and
    its body): offsets before ``split`` by this map's own entries, the others by ``body``
    (counted from ``split``), which may be an ``OffsetMap`` with its own ``then``."""

    __slots__ = ("body", "split")

    def __init__(self, split: int, body: OffsetMap) -> None:
        super().__init__()
        self.split = split
        self.body = body

    def __call__(self, offset: int) -> int:
        if offset < self.split:
            return super().__call__(offset)
        return self.body(offset - self.split)


class Sentence:
    """A sentence of visible text with its words and its paragraph number (0-based).

    ``words`` are the texts of its tokens; where they start, and the tokens with their
    offsets, are found when first asked for (a megabyte has ~200,000 tokens, and a lint
    looks at the offsets of few of them)."""

    __slots__ = ("_pieces", "_plain", "_starts", "_tokens", "end", "paragraph", "start", "text", "words")

    def __init__(self, text: str, start: int, end: int, paragraph: int, words: list[str]) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.paragraph = paragraph
        self.words = words
        self._starts: list[int] | None = None
        self._tokens: tuple[Token, ...] | None = None
        self._plain: bool | None = None  # one line, single spaces: shown as it is
        # where each word starts and ends in ``text``, and in its one-line form (plain_offset)
        self._pieces: tuple[list[int], list[int], list[int]] | None = None

    @property
    def starts(self) -> list[int]:
        """The offset in the draft where each word starts. Between two tokens there is no
        word character and a token starts with one, so each word is the first occurrence
        of its text after the previous one."""
        if self._starts is None:
            find, base, pos = self.text.find, self.start, 0
            starts = []
            for word in self.words:
                pos = find(word, pos)
                starts.append(base + pos)
                pos += len(word)
            self._starts = starts
        return self._starts

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets from the start of word ``first`` to the end of word ``last``."""
        return self.starts[first], self.starts[last] + len(self.words[last])

    @property
    def tokens(self) -> tuple[Token, ...]:
        """Each word with its start and end offset in the draft."""
        if self._tokens is None:
            self._tokens = tuple(
                Token(word, start, start + len(word))
                for word, start in zip(self.words, self.starts, strict=True)
            )
        return self._tokens

    def plain_offset(self, position: int) -> int:
        """Where a draft offset inside the sentence stands in its one-line, single-spaced form
        (``" ".join(text.split())``, as findings show it); -1 outside the sentence."""
        if not self.start <= position <= self.end:
            return -1
        if self._plain is None:
            self._plain = " ".join(self.text.split()) == self.text
        if self._plain:
            return position - self.start
        if self._pieces is None:  # found once: a run-on "sentence" (a pasted log) has thousands of findings
            pieces = [(m.start(), m.end()) for m in _NON_SPACE.finditer(self.text)]
            folded, at = [], 0
            for a, b in pieces:
                folded.append(at)
                at += b - a + 1
            self._pieces = ([a for a, _b in pieces], [b for _a, b in pieces], folded)
        starts, ends, folded = self._pieces
        at = position - self.start
        count = bisect.bisect_left(starts, at)  # the words that begin before the position
        if count == 0:
            return 0
        last = count - 1
        length = folded[last] + min(at, ends[last]) - starts[last]
        return length + (1 if at > ends[last] else 0)  # a space before the position

    def __repr__(self) -> str:
        return f"Sentence({self.text!r}, start={self.start}, paragraph={self.paragraph})"


def _spaces(match: re.Match[str]) -> str:
    """A match blanked: a space for each character but a line end."""
    return re.sub(r"[^\n]", " ", match.group())


@dataclass
class Draft:
    """Text to lint with its origin; ``visible`` is ``text`` with ignored ranges blanked."""

    text: str
    path: str = "<text>"
    visible: str = ""
    paragraph_starts: list[int] = field(default_factory=list)
    # For formats whose "line" is a paragraph (docx), the number to report per paragraph.
    source_lines: list[int] | None = None
    # With ``source_lines``, the column each line of ``text`` starts at in the line reported
    # (a line after a manual line break in a Word paragraph goes on in its paragraph).
    line_columns: list[int] | None = None
    # Spans of bold or underlined text (Markdown ** and __, HTML <b> <strong> <u>, bold or
    # underlined Word runs), for the emphasis check.
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    # How many quoted lines ("> …", taken for reply history) with words were not linted
    # (.txt and .md), for the notice that says so.
    quoted_lines: int = 0
    # Where reply history after a reply header ("On … wrote:") starts in ``text`` (-1: none);
    # from there on nothing is linted, and a notice says so.
    history_at: int = -1
    # The blocks of pasted machine output (log lines, stack traces) not linted, as spans of
    # ``text`` (machine.py), for the notice that says so.
    machine: list[tuple[int, int]] = field(default_factory=list)
    # Which part of an email was checked, when it is not the one a reader expects (emailtext.py).
    part_note: str = ""
    # HTML: a ``letterkit-ignore`` comment silences the paragraph it stands in, or the next
    # one (``suppressed_blocks``), not a line of the file, which may hold the whole page.
    block_markers: bool = False
    # Where list items start (offsets of ``visible``, in order): a bullet or number begins
    # a sentence, also when the item before it has no end punctuation (formats.py).
    item_starts: list[int] = field(default_factory=list)
    # The source file's text when ``text`` is not the source itself; with ``offsets``,
    # ``position`` gives the line and column in it.
    source: str | None = field(default=None, repr=False)
    offsets: OffsetMap | None = field(default=None, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _source_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        refuse_oversize(self.text, self.path)
        if not self.visible:
            self.visible = self.text
        if "letterkit-ignore" in self.visible:
            self.visible = MARKED_COMMENT.sub(_spaces, self.visible)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        if self.source is not None:
            self._source_starts = [0] + [m.end() for m in re.finditer("\n", self.source)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset of ``text``: in the source file
        where the draft has one (``offsets``), else in ``text`` (for .docx the line is
        the paragraph number)."""
        if self.offsets is not None and self.source is not None:
            source = min(max(self.offsets(offset), 0), len(self.source))
            line = bisect.bisect_right(self._source_starts, source)
            return line, source - self._source_starts[line - 1] + 1
        line = bisect.bisect_right(self._line_starts, offset)
        column = offset - self._line_starts[line - 1] + 1
        if self.source_lines is not None and line - 1 < len(self.source_lines):
            if self.line_columns is not None and line - 1 < len(self.line_columns):
                column += self.line_columns[line - 1]
            return self.source_lines[line - 1], column
        return line, column

    def end_position(self, start: int, end: int) -> tuple[int, int]:
        """1-based line of the last character of ``text[start:end]`` and the column just
        after it (an exclusive end, as SARIF's endColumn), in the same terms as ``position``."""
        if end <= start:
            return self.position(start)
        if self.offsets is not None and self.source is not None and self.source:
            last = min(max(self.offsets(end - 1), 0), len(self.source) - 1)
            line = bisect.bisect_right(self._source_starts, last)
            return line, last + _source_width(self.source, last) - self._source_starts[line - 1] + 1
        line, column = self.position(end - 1)
        return line, column + 1

    def suppressions(self) -> dict[int, list[str]]:
        """Lines with a ``letterkit-ignore[: rule, rule]`` marker → the rules it silences
        (empty list: all). The marker may stand anywhere: in a comment (``# …``,
        ``<!-- … -->``) or in parentheses. A marker alone on its line applies to the next
        line. Lines are those findings report: the source file's lines where the draft
        has a source (HTML comments are read there), else the lines of ``text``."""
        text = self.source if self.source is not None else self.text
        if "letterkit-ignore" not in text:
            return {}
        starts = self._source_starts if self.source is not None else self._line_starts
        marks: dict[int, list[str]] = {}
        alone: dict[int, bool] = {}  # row → does the line hold nothing but markers (once per line)
        for match in _SUPPRESS.finditer(text):
            row = bisect.bisect_right(starts, match.start())
            line = row if self.source is not None else self.position(match.start())[0]
            rules = [r.strip().strip("-") for r in (match.group(1) or "").split(",")]
            rules = [r for r in rules if r]
            if line in marks:  # a second marker on the line: both lists (an empty one: all rules)
                rules = [*marks[line], *rules] if marks[line] and rules else []
            marks[line] = rules
            if row not in alone:
                end = starts[row] - 1 if row < len(starts) else len(text)
                alone[row] = _SUPPRESS.sub("", text[starts[row - 1] : end]).strip(_MARKER_ONLY) == ""
            if alone[row]:
                marks[line + 1] = rules
        return marks

    def suppressed_blocks(self) -> list[tuple[int, int, list[str]]]:
        """For ``block_markers`` (HTML): (start, end, rules) of each paragraph of ``text`` a
        ``letterkit-ignore`` comment silences (empty list: all rules): the paragraph the
        comment stands in after words of it, else the paragraph that follows it."""
        source, offsets = self.source, self.offsets
        if source is None or offsets is None or "letterkit-ignore" not in source:
            return []
        text = self.text
        blocks: list[tuple[int, int, list[str]]] = []
        for match in _SUPPRESS.finditer(source):
            at = bisect.bisect_left(offsets.sources, match.end())
            here = offsets.starts[at] if at < len(offsets.starts) else len(text)
            start = text.rfind("\n\n", 0, here)
            start = 0 if start < 0 else start + 2
            if not text[start:here].strip():  # between paragraphs: the next one
                start = here
            end = text.find("\n\n", start)
            rules = [r.strip().strip("-") for r in (match.group(1) or "").split(",")]
            blocks.append((start, len(text) if end < 0 else end, [r for r in rules if r]))
        return blocks

    def paragraphs(self) -> Iterator[Paragraph]:
        """(start, end, text) of each non-empty paragraph of visible text (each cut out once,
        and looked at in place: ``isspace`` copies nothing, as ``strip`` did; 1 MB of German
        text: ~7.5 ms -> ~2.5 ms)."""
        visible, start = self.visible, 0
        for match in _PARAGRAPH_BREAK.finditer(visible):
            end = match.start()
            text = visible[start:end]
            if text and not text.isspace():
                yield start, end, text
            start = match.end()
        text = visible[start:]
        if text and not text.isspace():
            yield start, len(visible), text

    def sentences(self, paragraphs: Sequence[Paragraph] | None = None, first: int = 0) -> list[Sentence]:
        """Every sentence of the visible text, in order; or those of ``paragraphs`` (some of
        ``paragraphs()``, in order), the first of them paragraph number ``first``."""
        result: list[Sentence] = []
        chosen = self.paragraphs() if paragraphs is None else paragraphs
        items = self.item_starts
        for number, (p_start, p_end, para) in enumerate(chosen, first):
            spans = split_sentences(para)
            if items:
                spans = _split_at_items(para, spans, items, p_start, p_end)
            for s_start, s_end in spans:
                words = TOKEN.findall(para, s_start, s_end)
                if words:
                    base = p_start + s_start
                    result.append(Sentence(para[s_start:s_end], base, base + s_end - s_start, number, words))
        return result


def _split_at_items(
    para: str, spans: list[tuple[int, int]], items: list[int], p_start: int, p_end: int
) -> list[tuple[int, int]]:
    """``spans`` (sentences of a paragraph starting at ``p_start``) cut where a list item
    starts, so that "- you never sent the approvals⏎- you ignored our invoices" is two."""
    cuts = items[bisect.bisect_right(items, p_start) : bisect.bisect_left(items, p_end)]
    if not cuts:
        return spans
    result: list[tuple[int, int]] = []
    for start, end in spans:
        inside = [cut - p_start for cut in cuts if start < cut - p_start < end]
        for cut in inside:
            piece = para[start:cut].rstrip()
            if piece.strip():
                result.append((start, start + len(piece)))
            start = cut + len(para[cut:end]) - len(para[cut:end].lstrip())
        result.append((start, end))
    return result


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph; lines without end
    punctuation (address lines, salutations) are sentences of their own."""
    spans: list[tuple[int, int]] = []
    emoji = (not text.isascii() and _HAS_EMOJI.search(text) is not None) or (
        ")" in text and (":)" in text or ";)" in text or "-)" in text)
    )
    ends = _SENTENCE_END_EMOJI if emoji else _SENTENCE_END
    for line_start, line_end in _logical_lines(text):
        start = line_start
        for match in ends.finditer(text, line_start, line_end):
            alone = match.end("alone") if emoji else -1  # -1 when the sentence ends with a mark
            end = alone if alone >= 0 else match.start() + 1  # after the end mark
            # the word before the end: a window is enough, no abbreviation is that long
            before = text[max(line_start, end - 16) : end].split()
            if before and (
                before[-1] in _ABBREVIATIONS
                or _ORDINAL.fullmatch(before[-1].lstrip("*_"))  # "**31. Januar**" as typed
                or (before[-1] in _REFERENCES and _NUMBER_AFTER.match(text, end, line_end))
                or (before[-1].lower() in _CLOCK and _QUOTE_AFTER.match(text, end, line_end))
            ):
                continue  # "z. B.", the ordinal in "31. Dezember" and "Abs. 2" end no sentence
            spans.append((start, max(end, match.end("emoji")) if emoji else end))
            start = match.end()
        spans.append((start, line_end))
    trimmed = []
    for a, b in spans:
        piece = text[a:b].lstrip()
        if piece:
            a = b - len(piece)
            trimmed.append((a, a + len(piece.rstrip())))
    return trimmed


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """Join wrapped lines of running text; keep short lines without end punctuation apart."""
    lines: list[tuple[int, int]] = []
    pos = 0
    goes_on = dotted = mid = False  # of the logical line so far (read line by line: a log of
    for raw in text.split("\n"):  # thousands of lines is one paragraph, not one line each time)
        end = pos + len(raw)
        if raw.strip():
            if lines and (goes_on or (mid and raw.lstrip()[:1].islower())):
                lines[-1] = (lines[-1][0], end)
            else:
                lines.append((pos, end))
                dotted = False
            tail = raw.rstrip()
            goes_on = _continues(tail, pos + len(tail) - lines[-1][0], dotted or " · " in tail)
            dotted = dotted or " · " in raw
            mid = not dotted and _mid_sentence(tail)
        pos = end + 1
    return lines


def _mid_sentence(tail: str) -> bool:
    """Is a short line cut mid-sentence? Two words or more, the last one a word in lower
    case (German nouns and names are capitalised, so it ends no address line or greeting).
    The line then goes on when the next one starts in lower case ("Sie haben es⏎versäumt,
    …", "We have⏎decided to …")."""
    words = tail.rsplit(None, 1)
    return len(words) == 2 and words[1].isalpha() and words[1][0].islower()


def _continues(tail: str, length: int, dotted: bool) -> bool:
    """Does a wrapped line (of ``length`` characters without its trailing space, its last
    physical line ``tail``) go on in the next line? Yes when it ends mid-sentence and is
    long — but not a line of parts set apart by middle dots (``dotted``), the return line
    above an address or a letterhead's ("Muster GmbH · Hauptstraße 1 · 10115 Berlin"),
    whose next line is the address."""
    if tail.endswith(","):
        return True
    return length > 40 and not tail.endswith((".", "!", "?", ":")) and not dotted


_ENTITY = regex(r"&#?\w{1,10};")
_QP_BYTE = regex(r"=([0-9A-Fa-f]{2})")


def _source_width(source: str, at: int) -> int:
    """How many characters of the source file one character of a draft takes at ``at``: an
    HTML entity (``&rdquo;``) as a whole, the quoted-printable bytes of one UTF-8 character
    (``=C3=A4``: as many as its first byte says, not the next character's too), else 1."""
    entity = _ENTITY.match(source, at)
    if entity:
        return len(entity.group())
    byte = _QP_BYTE.match(source, at)
    if byte is None:
        return 1
    first = int(byte.group(1), 16)
    count = 4 if first >= 0xF0 else 3 if first >= 0xE0 else 2 if first >= 0xC0 else 1
    width = 3
    while count > 1 and _QP_BYTE.match(source, at + width):
        width, count = width + 3, count - 1
    return width
