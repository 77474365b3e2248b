"""Typography shared by the renderers: spaces that must not break a line.

"31. Dezember 2026", "December 31, 2026", "Nr. 12", "Frau Schneider", "Herrn Weber" and a
phone number written in groups belong on one line; renderers glue them with a no-break space (U+00A0).
A reference or number with hyphens ("RV-2019-03") and an email or web address with one
("post@lektorat-sommer.example") belong on one line too: the .docx keeps them together with
Word's non-breaking hyphen (U+2011 here, ``<w:noBreakHyphen/>`` in the file).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..row_caches import ROW_VALUES

NBSP = "\u00a0"
# Each alternative starts with the space itself, so the engine jumps from space to space
# instead of trying every lookbehind at every character (5x faster on a letter). The
# alternatives are grouped by what they need after the space (a digit, a capital) or just
# before it (the last letter of a title), so that most spaces, between two words, fail
# after a test or two instead of some twenty (the same matches: each takes the space alone).
_GLUE = re.compile(
    r" (?:"
    # a digit follows: "Dezember 2026", "January 5, 2026", "5, 2026", groups of digits
    r"(?=\d)(?:(?<=[a-z] )(?=\d{1,2},? \d{4}|\d{4}\b)|(?<=\d, )(?=\d{4})|(?<=\d ))"
    # a capital follows: "31. Dezember 2026", "5 January 2026"
    r"|(?=[A-ZÄÖÜ])(?:(?<=\d\. )(?=[A-ZÄÖÜ][a-zäöü]+ \d)|(?<=\d )(?=[A-Z][a-z]+ \d{4}))"
    # after a title or an honorific
    r"|(?<=[.unrsx] )(?:(?<=Nr\. )|(?<=Dr\. )|(?<=Frau )|(?<=Herr )|(?<=Herrn )|(?<=Ms )|(?<=Mr )"
    r"|(?<=Mrs )|(?<=Miss )|(?<=Mx )|(?<=Ms\. )|(?<=Mr\. )|(?<=Mrs\. )|(?<=Mx\. ))"
    r")"
)


@lru_cache(maxsize=ROW_VALUES)  # a merge's letters share most of their lines (the sender's, the dates)
def glue(text: str) -> str:
    """``text`` with no-break spaces inside dates, numbers and titled names."""
    return _GLUE.sub(NBSP, text)


NB_HYPHEN = "\u2011"
# A word holding a digit, with hyphens between its letters or digits: a contract or invoice
# reference ("RV-2019-03", "INV-2026-0042"), a month ("2019-03"), "30-tägige". Words without
# a digit ("E-Mail-Adresse", "Karl-Liebknecht-Straße") may still break at their hyphens.
# (the look for a hyphen first fails fast on the many words without one)
_REFERENCE = re.compile(r"(?<![\w-])(?=\w+-)(?=[\w-]*\d)\w+(?:-\w+)+")


# An email address or a web address: broken at its hyphen at the end of a line, it reads
# as two ("post@lektorat-" / "sommer.example"), and no reader can tell whether the hyphen
# belongs to it (tester 43).
_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://|www\.)[^\s<>\"]+")


@lru_cache(maxsize=ROW_VALUES)
def keep_together(text: str) -> str:
    """``glue(text)`` with the hyphens inside references, numbers, email and web addresses
    made non-breaking."""
    text = glue(text)
    if "-" not in text:
        return text
    text = _REFERENCE.sub(lambda found: found.group().replace("-", NB_HYPHEN), text)
    if "-" in text and ("@" in text or "www." in text or "://" in text):
        text = _ADDRESS.sub(lambda found: found.group().replace("-", NB_HYPHEN), text)
    return text


_NB_HYPHEN = NB_HYPHEN.encode()
# the text of a w:t element that holds a non-breaking hyphen, in document.xml as rendered
_TEXT_WITH_NB_HYPHEN = re.compile(rb"(<w:t(?:\s[^>]*)?(?<!/)>)([^<]*\xe2\x80\x91[^<]*)</w:t>")
NO_BREAK_HYPHEN = b'</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'


def no_break_hyphens(xml: bytes) -> bytes:
    """Rendered WordprocessingML with each U+2011 of a text element (w:t) written as Word
    writes a non-breaking hyphen, ``<w:noBreakHyphen/>`` between two text elements: Word
    and LibreOffice keep the word on one line, and its text (copied, read by python-docx or
    ``letterkit lint``) has a plain hyphen. Elsewhere (an attribute) the character stays."""
    if _NB_HYPHEN not in xml:
        return xml
    return _TEXT_WITH_NB_HYPHEN.sub(
        lambda found: found.group(1) + found.group(2).replace(_NB_HYPHEN, NO_BREAK_HYPHEN) + b"</w:t>", xml
    )


# An IBAN written in groups of four: "DE89 3704 0044 0532 0130 00", "CH93 0076 2011 6238 5295 7"
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?\b")
# a part of a footer line this short is kept on one line whole ("Hamburger Sparkasse")
_SHORT_PART = 45


@lru_cache(maxsize=ROW_VALUES)  # the footer is the sender's: the same lines in every letter of a merge
def keep_footer_parts(line: str) -> str:
    """A footer line ("… · Hamburger Sparkasse · IBAN DE89 3704 …") that breaks only between
    its parts: a short part's spaces and an IBAN's are made no-break spaces, so a long line
    wraps at a " · " and not inside a bank's name or an IBAN (tester 43)."""
    parts = line.split(" · ")
    kept = [part.replace(" ", NBSP) if len(part) <= _SHORT_PART else part for part in parts]
    line = " · ".join(_IBAN.sub(lambda found: found.group().replace(" ", NBSP), part) for part in kept)
    if "-" in line and ("@" in line or "www." in line or "://" in line):  # an address breaks nowhere
        line = _ADDRESS.sub(lambda found: found.group().replace("-", NB_HYPHEN), line)
    return line
