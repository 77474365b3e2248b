"""What an Excel cell's number format adds to its number: a currency or a percentage.

A cell holds 1190 and shows "1.190,00 €" or "£1,190.00" through its number format, or holds
0.19 and shows "19%". Read as the bare number, the currency would be lost (a euro amount
printed as francs in a de-CH letter) and the percentage read as 0.19. So a number whose
format names a currency is passed on as text with that currency ("EUR 1190.00"), which
validation compares with the letter's currency as it does for "1.190,00 €" typed as text,
and a percentage as the text it shows ("19%"), which is no amount. A postcode kept as a
number and shown with its leading zero by a format of zeros ("00000": 01067) is passed on
as the digits shown.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

# "[$€-407]", "[$£-809]", "[$CHF]": a currency in the format's own notation
_BRACKETED = re.compile(r"\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]")
_QUOTED = re.compile(r'"([^"]*)"')
_OTHER_BRACKETS = re.compile(r"\[[^\]]*\]")  # colours, conditions: [Red], [<1000]
_MARKS = {"€": "EUR", "£": "GBP", "$": "$", "¥": "JPY", "CHF": "CHF", "Fr.": "CHF", "SFr.": "CHF"}
_CODE = re.compile(r"\b([A-Z]{3})\b")
_CENT = Decimal("0.01")


@lru_cache(maxsize=256)
def format_kind(number_format: str) -> str | None:
    """'%' for a percentage format, a currency mark (EUR, GBP, CHF, $ ...) for a currency
    format, None for any other (General, 0.00, dates ...). Only the format's first section
    (for positive numbers) is read."""
    first = _first_section(number_format)
    bracketed = _BRACKETED.search(first)
    if bracketed:
        return _mark(bracketed.group(1).strip())
    quoted = " ".join(_QUOTED.findall(first))
    bare = _OTHER_BRACKETS.sub("", _QUOTED.sub("", first))
    if "%" in bare.replace("\\%", ""):
        return "%"
    for text in (quoted, bare.replace("\\", "")):
        for mark in ("SFr.", "Fr.", "CHF", "€", "£", "$", "¥"):
            if mark in text:
                return _MARKS[mark]
        code = _CODE.search(text)
        if code:
            return code.group(1)
    return None


def _first_section(number_format: str) -> str:
    """The format up to its first ';' outside quotes."""
    inside = False
    for at, char in enumerate(number_format):
        if char == '"':
            inside = not inside
        elif char == ";" and not inside:
            return number_format[:at]
    return number_format


def _mark(text: str) -> str | None:
    if text in _MARKS:
        return _MARKS[text]
    return text if re.fullmatch(r"[A-Z]{3}", text) else None


# "00000": Excel's format for a postcode kept as a number (Special > Zip Code, Postleitzahl),
# which shows 1067 as 01067; "00000-0000" for a ZIP+4 code
_PADDED = re.compile(r"(0{2,})(?:-(0{2,}))?")


def _padded(value: int | float, number_format: str) -> str | None:
    """The digits a whole number shows with a format of zeros ("00000": 1067 as "01067")."""
    shape = _PADDED.fullmatch(_first_section(number_format).strip())
    if shape is None or value < 0 or value != int(value):
        return None
    head, tail = len(shape.group(1)), len(shape.group(2) or "")
    digits = str(int(value)).zfill(head + tail)
    return f"{digits[:-tail]}-{digits[-tail:]}" if tail else digits


def shown_value(value: Any, number_format: str | None) -> Any:
    """The cell's value as letterkit reads it: a number with a currency format as text with
    the currency; with a percentage format as the percentage shown; with a format of zeros
    (a postcode's "00000") as the digits shown, leading zeros and all (tester7); anything
    else as it is."""
    if type(value) not in (int, float) or not number_format or number_format == "General":
        return value
    padded = _padded(value, number_format)
    if padded is not None:
        return padded
    kind = format_kind(number_format)
    if kind is None:
        return value
    number = Decimal(format(value, ".15g"))
    if kind == "%":
        return f"{(number * 100).normalize():f}%"
    if number.quantize(_CENT) != number:
        return value  # more than cents: the amount's own check says so
    return f"{kind} {number:.2f}"
