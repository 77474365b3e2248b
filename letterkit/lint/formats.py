"""Format readers behind readers.py: plain text, Markdown, HTML, Word and email.

Blanking keeps offsets: a character that must not be linted becomes a space (a
newline stays a newline) in ``Draft.visible``, so offsets in ``visible`` are offsets
in ``Draft.text``. Where ``text`` is not the file itself (HTML, Markdown without its
emphasis marks, a decoded email part), an ``OffsetMap`` made in the same pass leads
each offset of ``text`` back to the file, so findings carry the file's line and column.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple, cast

from ..errors import SourceError
from .emphasis import whole_words
from .invisible import HIDDEN_RUN, INVISIBLE, INVISIBLE_RUN, has_hidden, has_invisible, without_hidden
from .machine import machine_blocks
from .regexes import regex
from .text import SUPPRESS_MARKER, Draft, OffsetMap, refuse_oversize

# The start of quoted reply history in an email pasted as text.
_HISTORY = regex(
    r"^(?:(?:Am|On)\b[^\n]{0,200}\b(?:schrieb|wrote)[^\n]*:\s*$"
    # a header the mail program wrapped: "On Mon, 14 Apr 2025 at 18:51, Greg <g@x.com>" / "wrote:"
    r"|(?:Am|On)\b[^\n]{0,200}\n[ \t]*(?:schrieb|wrote)[ \t]*:[ \t]*$"
    r"|-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Forwarded message|Weitergeleitete Nachricht)"
    r"|(?:Von|From):[^\n]*\n(?:(?:Gesendet|Sent|Date|Datum):))",
    re.MULTILINE | re.IGNORECASE,
)
# A reply header with the name first and the time ("Lena <l@x.de> schrieb am Mo., 3. Nov.
# 2025, 21:40:", "Greg wrote on Mon, 14 Apr 2025 at 18:51:"), looked for only in a text that
# holds "schrieb am" or "wrote on" (tried at every line, it cost a long draft its time).
_NAME_FIRST_HISTORY = regex(
    r"^[^\n]{0,200}\b(?:schrieb am|wrote on)\b[^\n]{0,100}\b\d{1,2}:\d{2}"
    r"(?:[ \t]*(?:Uhr|am|pm|a\.m\.|p\.m\.|(?:GMT|UTC)[+-]?\d{0,4}|CES?T|BST|[ECMP][SD]T|[+-]\d{4}))*[ \t]*:[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_NAME_FIRST_WORDS = regex(r"schrieb am|wrote on", re.IGNORECASE)


def history_header(text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first reply header in ``text[start:end]`` (see _HISTORY and _NAME_FIRST_HISTORY)."""
    end = len(text) if end is None else end
    found = _HISTORY.search(text, start, end)
    limit = found.start() if found else end
    low = text[start:limit].lower()
    if "wrote on" not in low and "schrieb am" not in low:  # (str.find: the regex without case is slow)
        return found
    tried = -1  # the line last tried: a line with the words twice is tried once
    for words in _NAME_FIRST_WORDS.finditer(text, start, limit):
        line = max(text.rfind("\n", start, words.start()) + 1, start)
        if line == tried:
            continue
        tried = line
        line_end = text.find("\n", words.end(), limit)
        other = _NAME_FIRST_HISTORY.match(text, line, limit if line_end < 0 else line_end)
        if other is not None:
            return other
    return found


_QUOTED_LINE = regex(r"^[ \t]*>[^\n]*", re.MULTILINE)
# The most XML a .docx's text parts may unpack to, each and all together: a zip of 2 MB
# with twenty headers of 35 MB each took 4 minutes and 5 GB before its text was refused.
_MAX_DOCX_XML = 40 * 1024 * 1024
# The most XML elements (opening tags of Word's namespace) the text parts may hold together:
# each costs ~270 bytes in the parsed tree, and 40 MB of dense "<w:p><w:r><w:t>a</w:t>…" hold
# three million (800 MB); Word writes ~50 bytes an element, a 100-page document ~300,000.
_MAX_DOCX_ELEMENTS = 1_000_000


def blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] by spaces, keeping newlines."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def blank_all(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace each of the spans (in order, not overlapping) by spaces, keeping newlines:
    one pass, however many spans (blanking them one by one copied the text each time)."""
    pieces: list[str] = []
    previous = 0
    for start, end in spans:
        start = max(start, previous)
        if end <= start:
            continue
        pieces += [text[previous:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        previous = end
    if not pieces:
        return text
    pieces.append(text[previous:])
    return "".join(pieces)


_NOT_NEWLINE = regex(r"[^\n]")


def hide_history(text: str) -> str:
    """Blank quoted lines ('> ...'), everything from a reply header on, and a signature
    block at the end (``hide_signature``)."""
    return hide_history_counted(text)[0]


class Hidden(NamedTuple):
    """What ``hide_history_counted`` left out: the text with it blanked, how many quoted
    lines with words before any reply header, the offset of the reply header (-1: none),
    and the blocks of pasted machine output (logs, stack traces) before it."""

    visible: str
    quoted: int
    history_at: int
    machine: list[tuple[int, int]]


def hide_history_counted(text: str, markdown: bool = False) -> Hidden:
    """``hide_history``, with what it left unchecked (for the notices that tell the writer):
    the quoted lines with words before a reply header, and where the header starts. In
    Markdown (``markdown``) a blockquote is reply history only when a reply header ("On …
    wrote:", "Am … schrieb …:") stands before it, a line that introduces a quotation
    (ending in ":") leads into it, or nothing but a signature follows it; any other
    blockquote is the writer's own text set apart, and is linted (only its ">" marks are
    blanked)."""
    visible = text
    quoted: list[int] = []  # the starts of the quoted lines with words
    # a quoted line holds a ">"; without one, the search of every line start is spared
    if ">" in text:
        spans: list[tuple[int, int]] = []
        for block in _quote_blocks(text):
            if markdown and not _is_history(text, block[0][0], block[-1][1]):
                spans += [
                    m.span() for start, end in block for m in [_QUOTE_MARKS.match(text, start, end)] if m
                ]
                continue
            spans += block
            quoted += [start for start, end in block if _HAS_WORD.search(text, start, end)]
        visible = blank_all(text, sorted(spans))
    machine = machine_blocks(visible)
    if machine:
        visible = blank_all(visible, machine)
    header = history_header(visible)
    history_at = -1
    if header:
        history_at = header.start() + len(header.group()) - len(header.group().lstrip())
        visible = blank(visible, header.start(), len(visible))
        quoted = [start for start in quoted if start < history_at]
        machine = [block for block in machine if block[0] < history_at]
    return Hidden(hide_signature(visible), len(quoted), history_at, machine)


_QUOTE_MARKS = regex(r"(?:[ \t]*>)+[ \t]?")
_HAS_WORD = re.compile(r"[^\W\d_]")


def _quote_blocks(text: str) -> list[list[tuple[int, int]]]:
    """The quoted lines of ``text`` (their spans), in blocks of lines that follow each other."""
    blocks: list[list[tuple[int, int]]] = []
    for match in _QUOTED_LINE.finditer(text):
        if blocks and text[blocks[-1][-1][1] : match.start()] == "\n":
            blocks[-1].append(match.span())
        else:
            blocks.append([match.span()])
    return blocks


def _is_history(text: str, start: int, end: int) -> bool:
    """Is the blockquote from ``start`` to ``end`` quoted history (see hide_history_counted)?"""
    if history_header(text, 0, start):
        return True
    before = text[:start].rstrip()
    if before.endswith(":"):
        return True
    rest = _QUOTED_LINE.sub("", text[end:]).strip()
    return not rest or bool(_SIGNATURE_SEPARATOR.match(rest))  # at the end, or before a signature only


# The signature separator of RFC 3676: a line that is "-- " (or "--", as editors that trim
# trailing spaces leave it). What follows it is a signature only when it is as short as
# one: at most this many non-empty lines and characters to the end of the (visible) text.
_SIGNATURE_SEPARATOR = regex(r"^--[ ]?$", re.MULTILINE)
SIGNATURE_LINES = 15
SIGNATURE_CHARS = 2500


def hide_signature(visible: str) -> str:
    """Blank a signature block: from a separator line ("-- ") to the end, when letter
    text stands before it and what follows it is short enough to be a signature (a
    "--" between sentences, or a separator with the letter's text after it, stays).
    Offsets do not move: the blanked characters become spaces, line breaks stay."""
    if "--" not in visible:
        return visible
    # the separator is one of the last SIGNATURE_LINES + 1 non-empty lines: look only there
    limit = _last_lines_start(visible, SIGNATURE_LINES + 1)
    for match in _SIGNATURE_SEPARATOR.finditer(visible, limit):
        tail = visible[match.end() :]
        if len("".join(tail.split())) > SIGNATURE_CHARS or (
            match.group() == "--" and _inside_a_sentence(visible, match.start(), tail)
        ):
            continue
        if visible[: match.start()].strip():
            return blank(visible, match.start(), len(visible))
        return visible  # nothing before it: the draft is all signature, or no letter at all
    return visible


def _inside_a_sentence(visible: str, at: int, tail: str) -> bool:
    """A bare "--" line between two halves of a sentence is a dash, not a separator (RFC
    3676's "-- ", with its space, always is one): the line before it runs on (a long line
    without a closing mark) and the text after it goes on with a word in lower case
    ("…frankly, you failed to pay / -- / you never pay on time"; not "www.…" or an address)."""
    before = visible[:at].rstrip().rpartition("\n")[2].strip()
    first = tail.split(None, 1)[0] if tail.split() else ""
    runs_on = len(before.split()) > 4 and not before.endswith((".", "!", "?", ":", "…", ")", '"', "”", "“"))
    goes_on = first[:1].islower() and first.isalpha()
    return runs_on and goes_on


def _last_lines_start(text: str, count: int) -> int:
    """Where the last ``count`` non-empty lines of ``text`` begin (0 when it has fewer)."""
    end = len(text)
    found = 0
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            found += 1
            if found == count:
                return start
        end = start - 1
    return 0


# (an emphasis spans at most 300 characters: a line of stray "**" would otherwise be
# searched to its end from every one of them)
_EMPHASIS = regex(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1")


# A list item's mark at the start of a line: a bullet, "1)" or "1." (a number with a
# full stop only in a run that counts up, 1, 2, 3: "15. Dezember" at the start of a
# wrapped line is a date).
_ITEM = regex(r"^[ \t]*(?:(?P<bullet>[-*+•–▪◦])|(?P<number>\d{1,2})(?P<mark>[.)]))[ \t]+(?=\S)", re.MULTILINE)


def item_starts(text: str, visible: str) -> list[int]:
    """The offsets where list items start (their lines), where the item is linted."""
    if not any(mark in text for mark in "-*+•–▪◦.)"):
        return []
    starts: list[int] = []
    last, last_at = 0, 0
    for match in _ITEM.finditer(text):
        if visible[match.end()].isspace():  # in code, quoted history or a comment
            continue
        if match.group("number") is not None and match.group("mark") == ".":
            number = int(match.group("number"))
            if "\n\n" in text[last_at : match.start()]:
                last = 0
            if number != 1 and number != last + 1:
                continue
            last, last_at = number, match.start()
        starts.append(match.start())
    return starts


def text_draft(text: str, name: str) -> Draft:
    """Plain text; quoted email history and a signature after "-- " are not linted;
    **bold** as in Markdown is noted; a list item starts a sentence."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    refuse_oversize(text, name)
    source: str | None = None
    offsets: OffsetMap | None = None
    if has_hidden(text):  # a soft hyphen in a word, a line-end hyphen: left out, the map keeps the columns
        source = text
        text, offsets = without_hidden(text)
    visible, quoted, history_at, machine = hide_history_counted(text)
    emphasis = _emphasis_spans(visible, [m.span(2) for m in _EMPHASIS.finditer(visible)])
    return Draft(
        text,
        name,
        visible,
        emphasis=emphasis,
        quoted_lines=quoted,
        history_at=history_at,
        machine=machine,
        item_starts=item_starts(text, visible),
        source=source,
        offsets=offsets,
    )


# Markdown code and comments: not linted, and no emphasis is looked for inside them.
_MD_CODE = regex(r"```.*?```|~~~.*?~~~|`[^`\n]*`|<!--.*?-->", re.DOTALL)
# Emphasis *…*, **…**, ***…***, _…_, __…__ (an underscore pair not inside a word), and an
# inline link [text](target): their markup is taken out of the text, so that the
# snippet reads "jedes Mal." and not "jedes Mal .". Each spans at most 300 characters.
_MD_INLINE = regex(
    r"(?<![\\\w*])(?P<star>\*{1,3})(?=[^\s*])(?P<s>[^\n]{1,300}?)(?<=[^\s*\\])(?P=star)(?!\*)"
    r"|(?<![\\\w_])(?P<low>_{1,3})(?=[^\s_])(?P<u>[^\n]{1,300}?)(?<=[^\s_\\])(?P=low)(?![\w_])"
    r"|(?<![\\!])\[(?P<link>[^\]\n]{1,300})\]\([^)\n]{0,2000}\)"
)
_MD_BLANK = (
    r"```.*?```",
    r"~~~.*?~~~",
    r"`[^`\n]*`",
    r"<!--.*?-->",
    r"^[ \t]*(?:#{1,6}|[-*+]|\d+\.)[ \t]",
    r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}",
)


def markdown_draft(source: str, name: str) -> Draft:
    """Markdown: code, HTML comments and heading or list marks are not linted (blanked in
    ``visible``); emphasis marks and link targets are taken out of the text (an offset
    map keeps the source's lines and columns); **bold** and __bold__ are noted."""
    source = source.replace("\r\n", "\n")
    shielded = source
    if "`" in source or "~~~" in source or "<!--" in source:
        shielded = _MD_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    cuts: list[tuple[int, int]] = []  # source spans left out of the text, in order
    bold: list[tuple[int, int]] = []  # source spans of bold or underlined text
    if "*" in source or "_" in source or "[" in source:
        for match, (inner_start, inner_end) in _md_inline(shielded, 0, len(shielded)):
            cuts += [(match.start(), inner_start), (inner_end, match.end())]
            marks = match.group("star") or match.group("low") or ""
            if len(marks) >= 2:
                bold.append((inner_start, inner_end))
        cuts.sort()
        bold.sort()
    if has_hidden(source):  # soft hyphens in words, line-end hyphens, but not inside a link's target (cut already)
        starts = [start for start, _ in cuts]
        cuts += [
            span
            for span in (match.span() for match in HIDDEN_RUN.finditer(source))
            if not (at := bisect.bisect_right(starts, span[0])) or cuts[at - 1][1] <= span[0]
        ]
        cuts.sort()
    if not cuts:
        return _markdown_draft(source, name, bold)
    offsets = OffsetMap()
    pieces: list[str] = []
    length = previous = 0
    for cut_start, cut_end in cuts:
        if cut_start > previous:
            offsets.add(length, previous)
            pieces.append(source[previous:cut_start])
            length += cut_start - previous
        previous = max(previous, cut_end)
    offsets.add(length, previous)
    pieces.append(source[previous:])
    text = "".join(pieces)
    # a source offset outside the cuts → its offset in the text: less what the cuts that end
    # at or before it took out (the cuts do not overlap, so their ends are in order too)
    ends = [cut_end for _, cut_end in cuts]
    removed = [0, *accumulate(cut_end - cut_start for cut_start, cut_end in cuts)]
    emphasis = [
        (start - removed[bisect.bisect_right(ends, start)], end - removed[bisect.bisect_right(ends, end)])
        for start, end in bold
    ]
    return _markdown_draft(text, name, emphasis, source, offsets)


def _markdown_draft(
    text: str,
    name: str,
    emphasis: list[tuple[int, int]],
    source: str | None = None,
    offsets: OffsetMap | None = None,
) -> Draft:
    """The Draft of Markdown's ``text`` (the source itself, or the source without its
    emphasis marks and link targets, ``offsets`` leading back to ``source``)."""
    visible, quoted, history_at, machine = hide_history_counted(text, markdown=True)
    items = item_starts(text, visible)
    return Draft(
        text,
        name,
        _md_blank(visible),
        item_starts=items,
        emphasis=_emphasis_spans(text, emphasis),
        source=source,
        offsets=offsets,
        quoted_lines=quoted,
        history_at=history_at,
        machine=machine,
    )


def _md_inline(
    text: str, start: int, end: int, depth: int = 0
) -> Iterator[tuple[re.Match[str], tuple[int, int]]]:
    """Each emphasis or link between ``start`` and ``end`` with the span of its inner text,
    and those nested in it ("**all files _must_ be collected**", a link in bold), up to
    three levels deep."""
    for match in _MD_INLINE.finditer(text, start, end):
        group = next(g for g in ("s", "u", "link") if match.group(g) is not None)
        inner = match.span(group)
        yield match, inner
        if depth < 2:
            yield from _md_inline(text, inner[0], inner[1], depth + 1)


def _md_blank(visible: str) -> str:
    for pattern in _MD_BLANK:  # each on what the ones before left (no emphasis inside code)
        spans = (match.span() for match in re.finditer(pattern, visible, re.DOTALL | re.MULTILINE))
        visible = blank_all(visible, spans)
    return visible


def _html_text(source: str) -> tuple[str, str, OffsetMap, list[tuple[int, int]]]:
    """The text of an HTML page, what of it is linted (quoted history and signature blocks
    blanked), its map to the source, and its bold or underlined spans (white space
    trimmed; a whole paragraph in bold is a heading, not emphasis)."""
    from .htmltext import HTMLText  # html.parser costs a start-up ~3 ms: only for HTML

    parser = HTMLText(source)
    parser.feed(source)
    parser.close()
    text = parser.text()
    visible = hide_history(blank_all(text, sorted(parser.signatures)))
    return text, visible, parser.offsets, _emphasis_spans(text, parser.emphasis)


def _emphasis_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans trimmed of white space, merged where they touch and trimmed to whole words
    (``emphasis.whole_words``: bold inside a word is no emphasis of a word); a span that is
    a whole line (paragraph) of its own without end punctuation is left out (a bold heading
    or subject line), and so is a label without letters that starts a line ("<b>2.</b> …"
    in a numbered list)."""
    trimmed = []
    for start, end in spans:
        piece = text[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if end > start:
            trimmed.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(trimmed):
        if merged and start <= merged[-1][1] + 1 and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    result = []
    for start, end in whole_words(text, merged):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        whole = line.strip().strip("*_").strip()  # "**…**" in a text file too
        if whole == text[start:end] and not whole.endswith((".", "!", "?")):
            continue  # a heading or subject line; a whole sentence in bold stays emphasis
        if line_start + len(line) - len(line.lstrip()) == start and not any(
            c.isalpha() for c in text[start:end]
        ):
            continue
        result.append((start, end))
    return result


def html_draft(source: str, name: str) -> Draft:
    """HTML: the text of the page; quoted replies (<blockquote>) and scripts are skipped,
    and a signature block (``gmail_signature``, ``moz-signature``, id "Signature", or
    after a "-- " line) is blanked.
    Lines and columns are the file's (and so are the ``letterkit-ignore`` comments)."""
    text, visible, offsets, emphasis = _html_text(source)
    return Draft(text, name, visible, emphasis=emphasis, source=source, offsets=offsets, block_markers=True)


_TOGETHER = "its text parts, up to {part}, unpack to more than 40 MB together; refusing (zip bomb?)"


def docx_draft(data: bytes, name: str) -> Draft:
    """Word: paragraphs of the headers, the body (tables and text boxes included), the
    footnotes and endnotes, and the footers, in the order a page shows them; one line per paragraph, reported as paragraph numbers.
    Bold or underlined runs (w:b, w:u) are noted as emphasis."""
    import zipfile
    import zlib

    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in archive.infolist()}
    except zipfile.BadZipFile:
        raise SourceError("is not a Word document (.docx is a zip archive)", name) from None
    main = _main_part(archive, members)
    if main is None:
        raise SourceError("is a zip archive but not a Word document (no word/document.xml)", name)
    headers = sorted((n for n in members if re.match(r"word/header\d*\.xml$", n)), key=_part_number)
    footers = sorted((n for n in members if re.match(r"word/footer\d*\.xml$", n)), key=_part_number)
    notes = [n for n in ("word/footnotes.xml", "word/endnotes.xml") if n in members]
    # as a reader sees a page: header, body, footnotes, footer (endnotes close the text)
    parts = [*headers, main, *notes, *footers]
    if _COMMENTS in members:  # read last: only for a ``letterkit-ignore`` in a comment
        parts.append(_COMMENTS)
    comments: dict[str, str] = {}
    anchors: list[set[str]] = []  # the comments anchored in each paragraph
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    paragraphs: list[tuple[str, list[tuple[int, int]]]] = []
    items: list[bool] = []  # is the paragraph an item of a numbered or bulleted list
    joins: list[bool] = []  # is its mark a tracked deletion (it goes on in the next paragraph)
    left = _MAX_DOCX_XML  # for this part and those after it
    elements = 0
    for part in parts:
        if members[part].file_size > _MAX_DOCX_XML:
            raise SourceError(f"{part} unpacks to more than 40 MB; refusing (zip bomb?)", name)
        if members[part].file_size > left:
            raise SourceError(_TOGETHER.format(part=part), name)
        try:
            with archive.open(part) as handle:
                raw = handle.read(left + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a bad checksum, a cut file
            raise SourceError(f"{part} is damaged ({exc}); open and save it again in Word", name) from None
        except (RuntimeError, NotImplementedError):  # encrypted, or packed in a way zipfile cannot unpack
            raise SourceError(f"{part} is encrypted or packed in a way letterkit cannot unpack", name) from None
        if len(raw) > _MAX_DOCX_XML:  # the size the zip declares may be false
            raise SourceError(f"{part} unpacks to more than 40 MB; refusing (zip bomb?)", name)
        if len(raw) > left:
            raise SourceError(_TOGETHER.format(part=part), name)
        left -= len(raw)
        elements += raw.count(b"<w:")
        if elements > _MAX_DOCX_ELEMENTS:
            raise SourceError(
                f"its text parts, up to {part}, hold more than {_MAX_DOCX_ELEMENTS:,} XML elements "
                "(a letter has a few thousand); lint it in parts",
                name,
            )
        if b"<!ENTITY" in raw[:4096] or b"<!DOCTYPE" in raw[:4096]:
            raise SourceError(f"{part} declares a DOCTYPE or entities; a Word file never does", name)
        if _STRICT in raw:  # saved as "Strict Open XML": the same elements in another namespace
            raw = raw.replace(_STRICT, _TRANSITIONAL)
        try:
            root = etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as exc:
            if "Resource limit exceeded" in str(exc):  # a text run of over 10 MB: no Word file has one
                raise SourceError(
                    f"{part} holds a single run of text over 10 MB, which letterkit does not read; "
                    "is it really a letter?",
                    name,
                ) from None
            line = getattr(exc, "lineno", None)
            where = f" at line {line}" if line else ""
            reason = str(getattr(exc, "msg", "") or exc).split(", line ")[0]
            raise SourceError(f"{part} is damaged: broken XML{where} ({reason})", name) from None
        # a text box's paragraphs are read as paragraphs of their own, once: not as part of
        # the paragraph that anchors the box, and not again from the older VML copy Word
        # keeps beside the drawing (mc:Fallback)
        if b"altChunk" in raw and root.find(f".//{_W}altChunk") is not None:
            raise SourceError(_ALT_CHUNK.format(part=part), name)
        if part == _COMMENTS:
            comments = {
                str(note.get(f"{_W}id")): "".join(t.text or "" for t in note.iter(f"{_W}t"))
                for note in root.iter(f"{_W}comment")
            }
            continue
        found = [para for para in root.iter(f"{_W}p") if not _in_fallback(para)]
        if part in notes:
            found = [para for para in found if not _in_separator(para)]
        # what only some documents hold is looked for where the part has it (a big .docx:
        # ~15 % of its reading time otherwise)
        anchors += _comment_anchors(found) if b"<w:comment" in raw else [set()] * len(found)
        hidden, invisible = b"vanish" in raw, any(mark in raw for mark in _INVISIBLE_BYTES)
        paragraphs += [_docx_paragraph(para, hidden, invisible) for para in found]
        items += [_is_list_item(para) for para in found]
        tracked = b":del " in raw or b":moveFrom" in raw
        joins += [_mark_gone(para) for para in found] if tracked else [False] * len(found)
    if any(joins):
        paragraphs, items, anchors = _joined(paragraphs, items, joins, anchors)
    lines: list[str] = []
    numbers: list[int] = []
    columns: list[int] = []  # where each line starts in its paragraph (after a manual break)
    emphasis: list[tuple[int, int]] = []
    length = 0
    texts = [text for text, _ in paragraphs]
    for number, (text, spans) in enumerate(paragraphs, start=1):
        if text:
            emphasis += [(length + a, length + b) for a, b in spans]
            column = 0
            for line in text.split("\n"):
                lines.append(line)
                numbers.append(number)
                columns.append(column)
                column += len(line) + 1
            if _wrapped(texts, items, number - 1):
                length += len(text) + 1  # the sentence goes on in the next paragraph: one line break
                continue
            lines.append("")
            numbers.append(number)
            columns.append(0)
            length += len(text) + 2
    text = "\n".join(lines)
    marks = _comment_marks(anchors, comments) if any(anchors) else {}
    if marks:
        commented: Draft = cast(Any, commented_draft())(
            text,
            name,
            text,
            source_lines=numbers or [1],
            emphasis=emphasis,
            line_columns=columns or None,
            comment_marks=marks,
        )
        return commented
    return Draft(
        text, name, text, source_lines=numbers or [1], emphasis=emphasis, line_columns=columns or None
    )


@cache
def commented_draft() -> type[Draft]:
    """The class of a .docx draft with Word comments that hold ``letterkit-ignore`` (made
    when one is first read: a dataclass costs ~0.7 ms to make, at every start otherwise)."""

    @dataclass
    class CommentedDraft(Draft):
        """``comment_marks`` maps the number of each paragraph such a comment is anchored to
        onto the rules it silences (an empty list: all), as a marker typed on that line would."""

        comment_marks: dict[int, list[str]] = field(default_factory=dict)

        def suppressions(self) -> dict[int, list[str]]:
            marks = super().suppressions()
            for line, rules in self.comment_marks.items():
                marks[line] = ([*marks[line], *rules] if marks[line] and rules else []) if line in marks else rules
            return marks

    return CommentedDraft


_COMMENTS = "word/comments.xml"
# a part that may hold a soft hyphen or zero-width character: as UTF-8, or as a character reference
_INVISIBLE_BYTES = (*(char.encode("utf-8") for char in INVISIBLE), b"&#")
_RELATIONSHIP = regex(r"<(?:\w+:)?Relationship\b[^>]*>")
_MAIN_TYPE = regex(r"""\bType\s*=\s*["'][^"']*/officeDocument["']""")
_TARGET = regex(r"""\bTarget\s*=\s*["']([^"']+)["']""")


def _main_part(archive: Any, members: dict[str, Any]) -> str | None:
    """The main document part: word/document.xml, or the one the package's _rels/.rels
    names (Word for Mac and Word online sometimes write word/document2.xml)."""
    if "word/document.xml" in members:
        return "word/document.xml"
    rels = members.get("_rels/.rels")
    if rels is None or rels.file_size > 1_000_000:
        return None
    import zipfile
    import zlib

    try:
        text = archive.read("_rels/.rels").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
        return None  # a damaged or encrypted member: no main part to be found
    for relationship in _RELATIONSHIP.findall(text):
        target = _TARGET.search(relationship)
        if _MAIN_TYPE.search(relationship) and target:
            part = target.group(1).lstrip("/")
            return part if part in members else None
    return None
# Programs that make Word files from HTML write the text as a chunk Word converts when it
# opens the file; letterkit would read none of it ("empty") and pass the letter.
_ALT_CHUNK = (
    "{part} holds text as an imported chunk (w:altChunk: HTML, RTF or another document, as "
    "programs that convert to Word write it), which letterkit does not read; open the file "
    "in Word and save it again, which writes that text as paragraphs, and lint that"
)


def _comment_anchors(found: list[Any]) -> list[set[str]]:
    """The ids of the comments anchored in each paragraph of a part: its reference, where
    its range starts or ends, and every paragraph a range spans (LibreOffice writes only
    the reference)."""
    tags = (f"{_W}commentRangeStart", f"{_W}commentRangeEnd", f"{_W}commentReference")
    anchors: list[set[str]] = []
    open_ranges: set[str] = set()
    for para in found:
        here = set(open_ranges)
        for node in para.iter(*tags):
            key = str(node.get(f"{_W}id"))
            here.add(key)
            if node.tag == tags[0]:
                open_ranges.add(key)
            elif node.tag == tags[1]:
                open_ranges.discard(key)
        anchors.append(here)
    return anchors


def _comment_marks(anchors: list[set[str]], comments: dict[str, str]) -> dict[int, list[str]]:
    """Paragraph number → the rules a ``letterkit-ignore`` comment anchored there silences."""
    marks: dict[int, list[str]] = {}
    for number, keys in enumerate(anchors, start=1):
        for key in sorted(keys):
            match = SUPPRESS_MARKER.search(comments.get(key, ""))
            if match is None:
                continue
            rules = [r.strip().strip("-") for r in (match.group(1) or "").split(",")]
            rules = [r for r in rules if r]
            if number in marks:
                rules = [*marks[number], *rules] if marks[number] and rules else []
            marks[number] = rules
    return marks


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TRANSITIONAL = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"  # ISO 29500 strict
_OFF = frozenset({"0", "false", "off", "none"})
# the text of Word's elements for characters: a tab, a manual line break (Shift+Enter: w:br;
# w:cr), a non-breaking hyphen ("RV-2019-03" kept on one line reads as typed)
_DOCX_MARKS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


# Tracked changes whose runs are not in the document as it reads: a deletion (its text is
# w:delText, but a w:t inside one is possible) and the old place of a moved passage (its
# text is w:t; the new place, w:moveTo, is read).
_TRACKED_AWAY = frozenset({f"{_W}moveFrom", f"{_W}del"})


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _is_list_item(para: Any) -> bool:
    """A paragraph of a Word list (numbering, or a list style)."""
    props = para.find(f"{_W}pPr")
    if props is None:
        return False
    if props.find(f"{_W}numPr") is not None:
        return True
    style = props.find(f"{_W}pStyle")
    return style is not None and "list" in (style.get(f"{_W}val") or "").lower()


def _joined(
    paragraphs: list[tuple[str, list[tuple[int, int]]]],
    items: list[bool],
    joins: list[bool],
    anchors: list[set[str]],
) -> tuple[list[tuple[str, list[tuple[int, int]]]], list[bool], list[set[str]]]:
    """The paragraphs as the document reads: one whose mark is deleted goes on in the
    next (a space between their words: the joined text is linted as one sentence); a
    deleted paragraph, its text and mark gone, is no paragraph (the numbers are those of
    the page with the changes accepted)."""
    merged: list[tuple[str, list[tuple[int, int]]]] = []
    kinds: list[bool] = []
    notes: list[set[str]] = []  # the comments anchored in each
    pending: tuple[str, list[tuple[int, int]], bool, set[str]] | None = None
    for (text, spans), item, join, keys in zip(paragraphs, items, joins, anchors, strict=True):
        if pending is not None:
            before, marked, item, earlier = pending
            gap = 1 if before and text else 0
            spans = [*marked, *((len(before) + gap + a, len(before) + gap + b) for a, b in spans)]
            text = before + " " * gap + text
            keys = earlier | keys
        if join:
            pending = (text, spans, item, keys)
            continue
        pending = None
        merged.append((text, spans))
        kinds.append(item)
        notes.append(keys)
    if pending is not None:
        merged.append(pending[:2])
        kinds.append(pending[2])
        notes.append(pending[3])
    return merged, kinds, notes


def _mark_gone(para: Any) -> bool:
    """Is the paragraph's mark deleted (or moved away) with Track Changes on? The editor
    joined it with the next paragraph: as the document reads, its text goes on there."""
    props = para.find(_PARA_PROPS)
    marks = props.find(_RUN_PROPS) if props is not None else None
    return marks is not None and any(child.tag in _TRACKED_AWAY for child in marks)


def _wrapped(texts: list[str], items: list[bool], at: int) -> bool:
    """Does paragraph ``at`` break off a sentence that the next paragraph goes on with? A
    text with hard line breaks saved as .docx (LibreOffice makes each line a paragraph):
    no end punctuation, and the next paragraph starts in lower case; list items and short
    lines (an address, a heading) are paragraphs of their own."""
    text = texts[at].rstrip()
    if at + 1 >= len(texts) or items[at] or len(text) <= 40 or text.endswith((".", "!", "?", ":", ";")):
        return False
    following = texts[at + 1].lstrip()
    return bool(following) and not items[at + 1] and following[0].islower()


def _not_its_own(run: object, para: object) -> bool:
    """Is ``run`` not part of ``para``'s own text: inside a tracked deletion or the old place
    of a tracked move, in a paragraph of a text box anchored in ``para`` (read as its own),
    or in the older copy of a drawing (mc:Fallback, which repeats the text box)?"""
    node = run
    while node is not None and node is not para:
        if node.tag in _TRACKED_AWAY or node.tag == _FALLBACK or (node is not run and node.tag == f"{_W}p"):  # type: ignore[attr-defined]
            return True
        node = node.getparent()  # type: ignore[attr-defined]
    return False


_RUN, _RUN_PROPS, _VANISH, _VAL = f"{_W}r", f"{_W}rPr", f"{_W}vanish", f"{_W}val"
_PARA_PROPS = f"{_W}pPr"


def _hidden(run: Any) -> bool:
    """Is the run formatted as hidden text (w:vanish: not on the page, not printed)?"""
    if run is None or run.tag != _RUN:
        return False
    props = run.find(_RUN_PROPS)
    vanish = props.find(_VANISH) if props is not None else None
    return vanish is not None and vanish.get(_VAL, "true").lower() not in _OFF


def _in_fallback(para: object) -> bool:
    node = para.getparent()  # type: ignore[attr-defined]
    while node is not None:
        if node.tag == _FALLBACK:
            return True
        node = node.getparent()
    return False


# The notes Word and LibreOffice write before the footnotes or endnotes: the line above them
# and its continuation, each an empty paragraph that no page shows as one.
_NOTE_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_NOTES = frozenset({f"{_W}footnote", f"{_W}endnote"})


def _in_separator(para: Any) -> bool:
    """Is ``para`` a paragraph of a footnote or endnote separator (not counted: it would
    push every note's paragraph number on)?"""
    node = para.getparent()
    while node is not None and node.tag not in _NOTES:
        node = node.getparent()
    return node is not None and node.get(f"{_W}type") in _NOTE_SEPARATORS


def _part_number(name: str) -> int:
    digits = re.sub(r"\D", "", name)
    return int(digits) if digits else 0


def _docx_paragraph(
    para: object, hidden: bool = True, invisible: bool = True
) -> tuple[str, list[tuple[int, int]]]:
    """A Word paragraph's text, white space joined (a manual line break, Shift+Enter, stays
    a line break, two or more of them a blank line, as ``<br>`` in HTML), and its bold or
    underlined spans (a paragraph all in bold is a heading or subject line: no emphasis).
    ``hidden``, ``invisible``: may the part hold hidden runs, soft hyphens (looked for only
    then)."""
    raw: list[str] = []
    marked: list[tuple[int, int]] = []
    length = 0
    emphasised: dict[object, bool] = {}
    gone: dict[object, bool] = {}  # runs not of this paragraph's own text (_not_its_own)
    for node in para.iter(f"{_W}t", *_DOCX_MARKS):  # type: ignore[attr-defined]
        piece = (node.text or "") if node.tag == f"{_W}t" else _DOCX_MARKS[node.tag]
        if invisible and has_invisible(piece):  # a soft hyphen typed into the run's text
            piece = INVISIBLE_RUN.sub("", piece)
        run = node.getparent()
        if run not in gone:
            gone[run] = (hidden and _hidden(run)) or _not_its_own(run, para)
        if gone[run]:
            continue
        if run not in emphasised:
            emphasised[run] = _run_emphasis(run)
        if emphasised[run] and piece.strip():
            marked.append((length, length + len(piece)))
        raw.append(piece)
        length += len(piece)
    joined = "".join(raw)
    # join the white space; a marked span keeps its words
    text_parts: list[str] = []
    word_starts: list[int] = []  # offset in ``joined`` of each word
    new_starts: list[int] = []  # its offset in the text
    new_length = 0
    previous = 0
    for match in re.finditer(r"\S+", joined):
        if text_parts:
            breaks = min(2, joined.count("\n", previous, match.start()))
            text_parts.append("\n" * breaks or " ")
            new_length += breaks or 1
        previous = match.end()
        word_starts.append(match.start())
        new_starts.append(new_length)
        text_parts.append(match.group())
        new_length += len(match.group())
    text = "".join(text_parts)

    def moved(offset: int) -> int:  # an offset of a non-space character of ``joined``
        at = bisect.bisect_right(word_starts, offset) - 1
        return new_starts[at] + offset - word_starts[at]

    spans = []
    for start, end in marked:
        piece = joined[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        spans.append((moved(start), moved(end - 1) + 1))
    return text, _emphasis_spans(text, spans)


def _run_emphasis(run: object) -> bool:
    """Is a run (w:r) bold or underlined by its own properties?"""
    props = run.find(f"{_W}rPr") if run is not None else None  # type: ignore[attr-defined]
    if props is None:
        return False
    for tag in ("b", "u"):
        element = props.find(f"{_W}{tag}")
        if element is not None and element.get(f"{_W}val", "true").lower() not in _OFF:
            return True
    return False


def eml_draft(data: bytes, name: str) -> Draft:
    """Email: the subject, then the text/plain part (else the HTML part); see
    ``emailtext.eml_draft`` (a module of its own: the email package is imported only for
    an email)."""
    from .emailtext import eml_draft as read_email

    return read_email(data, name)
