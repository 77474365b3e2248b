"""Whether the address lines fit the address field of the built-in German letter.

DIN 5008 places the inside address in the window of the envelope; a line that wraps
there splits a name or a street in two (the post reads each line as one field), and the
return line above it (7 pt) must stay on one line. The built-in template (templates/de/
letter.docx) sets the field 85 mm wide with a 5 mm left margin and no right margin (the
table's cell margins are 0, which Word and LibreOffice both apply), so a line has 80 mm,
in Arial: 11 pt for the address, 7 pt for the return line (set small, as DIN 5008
practice sets the Rücksendeangabe: "Firma GmbH · Straße 21 · 28217 Bremen" fits). The
width of a line is worked out from Arial's advance widths (Liberation Sans, its metric
twin; data in arial_widths.json, made by scripts/font_widths.py) — without kerning, which
only narrows a line, so a line reported too wide is too wide. LibreOffice wraps a line
from 80.0 mm measured so (tests/test_render16.py checks lines just under and over).

Only the built-in German template is measured: the English one sets the address as
running paragraphs across the text width, and a user's own template has its own field.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache, lru_cache
from itertools import repeat
from pathlib import Path

from ..letter import Letter
from ..row_caches import ROW_VALUES

FIELD_MM = (4819 - 283) / 56.7  # the cell's width less its 5 mm left margin, in twips: 80 mm
ADDRESS_PT = 11.0
ADDRESS_LINES = 6  # DIN 5008's Anschriftzone: six lines below the return line
RETURN_PT = 7.0
_MM_PER_PT = 25.4 / 72
# the info block's values beside their labels: 75 mm less the 24.5 mm tab, less 1 mm to spare;
# labels and values in 8.5 pt (scripts/build_templates.py), so an email address of about 32
# characters ("s.koch@glanzwerk-leipzig.de", "anna.schneider@beispiel-gmbh.de") fits
INFO_VALUE_MM = 75.0 - 24.5 - 1.0
INFO_VALUE_PT = 8.5
_CHARACTER_MM = 1.4  # an average letter or space of the return line (7 pt Arial), for advice only


@cache
def _widths() -> tuple[dict[str, int], int, int]:
    # beside this module, as the templates are found (resources.py): importing
    # importlib.resources for it took a first merge ~1 ms
    data = json.loads(Path(__file__).with_name("arial_widths.json").read_text(encoding="utf-8"))
    widths = {str(k): int(v) for k, v in data["widths"].items()}
    return widths, int(data["units_per_em"]), widths["M"]  # an unknown character counts as wide


@lru_cache(maxsize=ROW_VALUES)  # a merge measures the sender's lines, and the towns, in every row
def width_mm(text: str, points: float) -> float:
    """The printed width of ``text`` in Arial at ``points``, in millimetres."""
    widths, per_em, wide = _widths()
    units = sum(map(widths.get, text, repeat(wide)))  # in C: a merge measures every row's lines
    return units / per_em * points * _MM_PER_PT


# "Industriestraße 22", "Lange Strasse 5": the word the return line may shorten to "str."
_STREET_WORD = re.compile(r"(?<=\w)(s)tra(?:ße|sse)\b|\b(S)tra(?:ße|sse)\b")


def return_line(line: str) -> str:
    """The return address line as the built-in German template prints it: as typed when it
    fits the field, else with "straße" (Swiss "strasse") written "str." ("Industriestr. 22",
    "Lange Str. 5"), as the return line is commonly abbreviated; the inside address and the
    letterhead keep the street as typed."""
    if width_mm(line, RETURN_PT) <= FIELD_MM:
        return line
    name, dot, rest = line.partition(" · ")  # the company (or the name) is left as it is
    shortened = _STREET_WORD.sub(lambda found: f"{found.group(1) or found.group(2)}tr.", rest)
    return f"{name}{dot}{shortened}"


def overflows(letter: Letter) -> list[str]:
    """Warnings for the lines that wrap in the address field of the built-in German
    template (none for an English letter, whose template has no such field)."""
    if letter.lang != "de":
        return []
    found = []
    typed = letter.sender_line
    line = return_line(typed) if typed else ""
    width = width_mm(line, RETURN_PT) if line else 0.0
    if width > FIELD_MM:
        over = width - FIELD_MM
        shortened = " (with 'Str.' for 'Straße' already)" if line != typed else ""
        found.append(
            f"the return address line above the address is {_wider(width)} wide, more than the "
            f"{_millimetres(FIELD_MM)} of the address field, and wraps{shortened}: '{line}'; it holds the "
            f"sender's company, street and town: shorten sender.street or sender.company by about "
            f"{math.ceil(over / _CHARACTER_MM)} characters ({_wider(over)}; the company is then shorter in "
            "the letterhead too), or use a letterhead of your own (--template)"
        )
    if len(letter.recipient_address) > ADDRESS_LINES:
        found.append(
            f"the address has {len(letter.recipient_address)} lines, more than the {ADDRESS_LINES} the "
            "address field holds (DIN 5008), so its last line falls below the window; leave out "
            "recipient.address_extra or the person's name, or put the flat or suite on the street's line"
        )
    for line in letter.recipient_address:
        if width_mm(line, ADDRESS_PT) > FIELD_MM:
            found.append(
                f"the address line '{line}' is {_wider(width_mm(line, ADDRESS_PT))} wide, more than the "
                f"{_millimetres(FIELD_MM)} of the address field, and wraps in the window; shorten it (an "
                "abbreviation, a title left out)"
            )
    return found


def _wider(width: float) -> str:
    """A width over the field, rounded up to a tenth of a millimetre: never shown as the
    field's own width (80.02 mm is "80.1 mm", not "80 mm")."""
    return _millimetres(math.ceil(round(width * 10, 6)) / 10)


def _millimetres(value: float) -> str:
    """``80 mm``, ``83.4 mm``: one decimal where it is not zero."""
    return f"{value:.1f}".removesuffix(".0") + " mm"


def info_value_wide(value: str) -> bool:
    """Whether an info-block value (an email address) is wider than the room beside its
    label in the built-in German template: it then goes on the line below the label."""
    return width_mm(value, INFO_VALUE_PT) > INFO_VALUE_MM
