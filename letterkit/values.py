"""Reading single input values: amounts (with their currency marks), dates and email
addresses — what a cell of a client export may hold, read strictly: nothing is silently
re-read (``0,001`` is not 1, ``1.000`` follows the letter's locale), and every refusal is
a message that says how to write the value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from .schema import LOCALES

# US$ and SFr. as exports write them too ('US$ 1,190.00' was "not an amount", tester3)
_CURRENCY_MARK = re.compile(
    r"^\s*(US\$|SFr\.|[A-Z]{3}|Fr\.|[€£$])\s*|\s*(US\$|SFr\.|[A-Z]{3}|Fr\.|[€£$])\s*$"
)
# $ is any dollar
_SYMBOL_CODES = {"€": "EUR", "£": "GBP", "Fr.": "CHF", "SFr.": "CHF", "US$": "USD", "$": "$"}


# Yes and no as people type them, in English and German, in a spreadsheet cell as in a
# YAML or JSON file (compared without case and surrounding spaces); 1 and 0 as numbers too.
_YES = frozenset({"true", "yes", "ja", "1", "wahr", "y", "j", "x"})
_NO = frozenset({"false", "no", "nein", "0", "falsch", "n"})
YES_NO_SPELLINGS = "yes/no, ja/nein, wahr/falsch, y/n, j/n, 1/0 or x for yes (in any case)"


def yes_or_no(value: Any) -> bool | None:
    """A yes/no value as a bool: true/false, yes/no, ja/nein, wahr/falsch, y/n, j/n, 1/0 and
    x (yes) in any case, or the numbers 1 and 0; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {1: True, 0: False}.get(value)
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _mark_code(mark: str) -> str | None:
    """The ISO code a currency mark stands for (€ → EUR; $ stays $, the sign of every
    dollar), or None for three capitals that are no currency code."""
    from .locales import currency_codes

    if mark in _SYMBOL_CODES:
        return _SYMBOL_CODES[mark]
    return mark if mark in currency_codes() else None


_AMOUNT_MARKS = "0123456789.,' -"  # an amount written with these alone names no currency (looked at in C)


def amount_currencies(value: str) -> tuple[str, ...]:
    """The currencies an amount cell names ('£1,190.00' → ('GBP',)); () when it names none."""
    if not value.strip(_AMOUNT_MARKS) or not any(c.isalpha() or c in "€£$" for c in value):
        return ()  # the common case: digits and separators only
    found = (_mark_code(m.group(1) or m.group(2)) for m in _CURRENCY_MARK.finditer(value))
    return tuple(dict.fromkeys(code for code in found if code))


def currency_matches(code: str, expected: str) -> bool:
    """Whether a currency named in an amount cell is the letter's: '$' is any dollar."""
    if code == expected:
        return True
    if code == "$":
        from babel.numbers import get_currency_symbol

        return "$" in str(get_currency_symbol(expected, locale="en"))  # $, CA$, A$ ...
    return False


def _without_currency(match: re.Match[str]) -> str:
    """A currency mark is dropped; three capitals that are no currency stay (and fail)."""
    return "" if _mark_code(match.group(1) or match.group(2)) else match.group()


_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# A time after the date, as pandas and Excel exports write it: 2026-12-31 00:00:00.
_TIME_PART = re.compile(r"^(\S+)[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$")
# Spreadsheets store dates as days since 1899-12-30; 1990..2100 covers any letter.
_EXCEL_EPOCH = date(1899, 12, 30)


_SLASHED_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def slashed_date(text: str, locale: str | None) -> date | str | None:
    """A date written with slashes, where it cannot be misread: one of its first two numbers
    over 12, in the order the locale writes (12/31/2026 in en-US, 31/12/2026 elsewhere;
    without a locale either), or both the same (05/05/2027). Where both could be the month
    (03/04/2027: 3 April in en-GB and de-CH, March 4 in en-US) the date is refused with both
    readings, whatever the locale: a termination date must not depend on a guess, and a
    spreadsheet's export writes either order. A time after it is taken as the other dates'
    is: midnight (12/31/2026 0:00, Excel's CSV of a date cell) is the date, another time an
    error. Returns the date, a message, or None (not written with slashes)."""
    timed = _TIME_PART.match(text.strip())
    if timed and _SLASHED_DATE.match(timed.group(1)):  # 12/31/2026 0:00, as Excel's CSV writes a date cell
        found = slashed_date(timed.group(1), locale)
        if isinstance(found, date) and any(int(part or 0) for part in timed.group(2, 3, 4, 5)):
            return _not_midnight(text.strip(), found)
        return found
    match = _SLASHED_DATE.match(text.strip())
    if not match:
        return None
    first, second, year = (int(part) for part in match.groups())
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second and 1 <= year <= 9999:
        day_first, month_first = date(year, second, first), date(year, first, second)
        return (
            f"'{text}' could be {_spoken(day_first)} or {_spoken(month_first)} (day or month first); "
            f"write it as YYYY-MM-DD: {day_first.isoformat()} or {month_first.isoformat()} "
            "(in a spreadsheet, format the column so, or merge the .xlsx, whose dates are read as dates)"
        )
    if locale == "en-US":
        month, day, order = first, second, "month/day/year (12/31/2026)"
    elif locale is not None:
        day, month, order = first, second, "day/month/year (31/12/2026)"
    elif first > 12 >= second:
        day, month, order = first, second, ""
    elif second > 12 >= first:
        month, day, order = first, second, ""
    elif first == second:
        day = month = first
        order = ""
    else:
        return f"'{text}' is not a date; write it as YYYY-MM-DD (2026-12-31)"
    try:
        return date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:  # a real month without that day: say so (02/30/2027)
            return _no_such_day(text, year, month, day)
        hint = f"in {locale} rows write {order} or " if order else "write it as "
        return f"'{text}' is not a date; {hint}YYYY-MM-DD (2026-12-31)"


def _spoken(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def serial_day(number: int) -> date:
    """The day an Excel serial number counts to (46387 → 2026-12-31)."""
    return _EXCEL_EPOCH + dt.timedelta(days=number)


def is_serial_date(number: int) -> bool:
    """Whether a whole number is read as an Excel date serial number (1990 to 2099)."""
    return 32874 <= number <= 73051


def _parse_date(value: Any) -> date | str | None:
    """ISO (2026-12-31), German (31.12.2026) or an Excel serial number (46387); a time of
    day is accepted only as midnight. Returns the date, a message, or None (not a date)."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else _not_midnight(value, value.date())
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and is_serial_date(int(value)):
        day = serial_day(int(value))
        if value != int(value):
            return _not_midnight(value, day)
        return day
    if not isinstance(value, str):
        return None
    text = value.strip()
    timed = _TIME_PART.match(text)
    if timed:
        found = _parse_date(timed.group(1))
        if not isinstance(found, date):
            return found
        if any(int(part or 0) for part in timed.group(2, 3, 4, 5)):
            return _not_midnight(text, found)
        return found
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    iso = _ISO_DATE.match(text)
    if iso:
        return _no_such_day(text, int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    german = _GERMAN_DATE.match(text)
    if german:
        try:
            return date(int(german.group(3)), int(german.group(2)), int(german.group(1)))
        except ValueError:
            return _no_such_day(text, int(german.group(3)), int(german.group(2)), int(german.group(1)))
    if text.isdigit():
        return _parse_date(int(text))
    return None


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _no_such_day(text: str, year: int, month: int, day: int) -> str | None:
    """Why a date written in a known shape does not exist (2026-02-30, 31.04.2027), or None."""
    import calendar

    if not 1 <= month <= 12:
        return f"'{text}' is not a date: there is no month {month}; write it as YYYY-MM-DD (2026-12-31)"
    days = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    if not 1 <= day <= days:
        return f"'{text}' is not a date: {_MONTHS[month - 1]} {year} has {days} days; check the day"
    return None


def _not_midnight(value: Any, day: date) -> str:
    return f"'{value}' has a time of day; write the date alone, e.g. {day.isoformat()}"


# Amounts: digits, optionally grouped in threes and with at most two decimals; the
# upper bound keeps every amount exact (no exponent, no rounding) and is far beyond
# any invoice a termination letter mentions.
MAX_AMOUNT = Decimal("999999999.99")
_PLAIN_AMOUNT = re.compile(r"(\d{1,9})(?:[.,](\d{1,2}))?")
_AMOUNT_SHAPE = re.compile(r"\d+(?:[.,’' \u00a0\u202f]\d+)*")
_AMOUNT_SEPARATOR = re.compile(r"[.,’' \u00a0\u202f]")
_EXPONENT = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][+-]?\d+")
# A whole amount as German and Swiss prices write it: 1190,- / 1.190,- / 1'190.- / 1190,–
_NO_CENTS = re.compile(r"(.*\d)([.,])[-\u2013\u2014]{1,2}")
_BRIEF = reprlib.Repr()
_BRIEF.maxlevel = 2
_BRIEF.maxtuple = _BRIEF.maxlist = _BRIEF.maxarray = _BRIEF.maxdict = 4
_BRIEF.maxset = _BRIEF.maxfrozenset = _BRIEF.maxdeque = 4
_BRIEF.maxstring = _BRIEF.maxlong = _BRIEF.maxother = 200


def brief_repr(value: Any) -> str:
    """``repr(value)`` for a message, as it reads for a short value, cut short for a long
    list or mapping (four items, two levels): a YAML input's aliases can nest a list of
    9^9 items in a few lines (the "billion laughs"), which repr would write out in full."""
    return _BRIEF.repr(value)


_CENT = Decimal("0.01")


def read_amount(value: Any, locale: str | None = None) -> Decimal | str:
    """The amount ``value`` holds (a positive Decimal to the cent), or a message saying
    why it holds none. Text may be grouped (1.190,00 / 1,190.00 / 1’190.00); a lone
    separator before three digits (1.000) is read as the ``locale`` writes numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return f"{brief_repr(value)} is not an amount; write it as a number, e.g. 1190.00"
    if isinstance(value, str):
        number = _amount_from_text(value, locale)
        if isinstance(number, str):
            return number
    elif isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not an amount; write it as a number, e.g. 1190.00"
    elif isinstance(value, float):
        # to 15 significant digits, as a spreadsheet shows it: a formula's 10.1 + 20.2 is
        # stored as 30.299999999999997 and meant as 30.30 (10.005 stays 10.005)
        number = Decimal(format(value, ".15g"))
    else:
        number = Decimal(value)
    return _checked_amount(number, value)


def _checked_amount(number: Decimal, value: Any) -> Decimal | str:
    if not number.is_finite():
        return f"'{value}' is not an amount; write it as a number, e.g. 1190.00"
    if number < 0 and number != 0:
        return f"{value} is negative; amounts are positive numbers such as 450.00"
    if number > MAX_AMOUNT:
        return f"{value} is too large; an amount can be at most 999,999,999.99"
    cents = number.quantize(_CENT)
    if cents != number:
        return f"{value} has more than two decimal places; write the amount to the cent, e.g. 1190.00"
    return cents.copy_abs()  # -0 is 0.00, never "-0,00 €"


def _amount_from_text(value: str, locale: str | None) -> Decimal | str:
    text = _CURRENCY_MARK.sub(_without_currency, value).strip()
    sign = ""
    if text[:1] in ("-", "\u2212"):
        sign, text = "-", text[1:].lstrip()
    plain = _PLAIN_AMOUNT.fullmatch(text)  # the common case: 1190, 1190.00, 1190,5
    if plain:
        return Decimal(f"{sign}{plain.group(1)}.{plain.group(2) or 0}")
    whole = _NO_CENTS.fullmatch(text)
    if whole:
        return _whole_amount(whole.group(1), whole.group(2), sign, value)
    if _AMOUNT_SHAPE.fullmatch(text):
        if sign:  # refused as negative whatever its separators mean: no hint to write it otherwise
            return f"{value} is negative; amounts are positive numbers such as 450.00"
        return _grouped_amount(text, sign, value, locale)
    if _EXPONENT.fullmatch(text):
        try:
            large = Decimal(text.replace(",", ".")).copy_abs() > MAX_AMOUNT
        except InvalidOperation:
            large = False
        if large:
            return f"{value} is too large; an amount can be at most 999,999,999.99"
        return f"'{value}' is in exponent notation; write the amount in full, e.g. 1190.00"
    residue = spreadsheet_residue(value)
    if residue:
        return f"'{value}' {residue}"
    return f"'{value}' is not an amount; write it as a number, e.g. 1190.00"


# What a spreadsheet leaves in a cell exported as text where a value belongs: its error
# values (English and German Excel, LibreOffice) and formulas written out instead of their
# results ("=SVERWEIS(A2;Kunden!A:B;2;FALSCH)", "@SUM(A1)", "=1+1").
_ERROR_VALUE = re.compile(
    r"#(?:N/?A|NV|NULL!|DIV/0!|VALUE!|WERT!|REF!|BEZUG!|NAME\?|NAME!|NUM!|ZAHL!|SPILL!|ÜBERLAUF!|CALC!|"
    r"FIELD!|FELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA|EXTERNAL!|PYTHON!|TIMEOUT!|"
    r"WERT|BEZUG|ZAHL|DIV/0|NAME|NULL|NUM|REF|VALUE)",
    re.IGNORECASE,
)
_FORMULA = re.compile(r"=(?!\?)\s*\S.*|[@+\-]\s*[A-ZÄÖÜ][A-ZÄÖÜ0-9._]*\s*\(.*", re.IGNORECASE | re.DOTALL)


def spreadsheet_residue(value: str) -> str | None:
    """Why ``value`` is no value but a spreadsheet's formula or error (the rest of the
    message after the quoted value), or None. A formula exported as text ("=1+1") or an
    error value ("#NV", "#REF!") would be printed into the letter as it stands."""
    text = value.strip()
    if _ERROR_VALUE.fullmatch(text):
        return (
            "is a spreadsheet's error value, not data: the cell's formula failed in the file the list "
            "came from (#NV / #N/A: a lookup found nothing; #BEZUG! / #REF!: it points at cells that are "
            "gone); correct the formula or type the value, and export the list again"
        )
    if _FORMULA.fullmatch(text):
        return (
            "is a spreadsheet formula, not its result: the list was exported with the formulas written "
            "out; in the spreadsheet, replace them by their values (copy, then paste as values) or save "
            "the list as .xlsx, whose saved results letterkit reads, and merge it again"
        )
    return None


def _grouped_amount(text: str, sign: str, value: str, locale: str | None) -> Decimal | str:
    """Digits with separators: which one is the decimal mark, and is the grouping sound?"""
    groups = _AMOUNT_SEPARATOR.split(text)
    marks = _AMOUNT_SEPARATOR.findall(text)
    last = marks[-1] if marks else ""
    decimals = ""
    if last and last in ".," and last not in marks[:-1]:
        # A final . or , is the decimal mark, except for a lone one before three digits
        # (1.000): that is grouping where the locale groups with it, and three decimals
        # where the locale writes decimals with it (both cases are then reported).
        lone = len(marks) == 1 and len(groups[1]) == 3 and _leads_group(groups[0])
        if lone and last != _group_mark(locale) and last != _decimal_mark(locale):
            return _foreign_mark(value, sign + groups[0], groups[1], last, locale)
        if not lone or last == _decimal_mark(locale):
            decimals = groups.pop()
            marks.pop()
    if marks and (len(set(marks)) > 1 or not _leads_group(groups[0]) or any(len(g) != 3 for g in groups[1:])):
        return f"'{value}' is not an amount; group digits in threes (1.190,00 or 1,190.00) or not at all"
    if len(decimals) == 3 and not marks and _leads_group(groups[0]) and locale in LOCALES:
        return _three_decimals(value, sign + groups[0], decimals, last, locale)
    if len(decimals) > 2:
        return f"{value} has more than two decimal places; write the amount to the cent, e.g. 1190.00"
    return Decimal(f"{sign}{''.join(groups)}.{decimals or 0}")


def _three_decimals(value: str, whole: str, decimals: str, mark: str, locale: str) -> str:
    """'2.500' in an English row (or '2,500' in a German one): the locale's decimal mark
    before three digits. Read with it, the number has three decimals; read as other
    locales write numbers, the mark separates thousands (2,500.00). When the three
    decimals end in zeros (2.500 is 2.50) both readings are amounts and either may be
    meant, so nothing is guessed: the message names both and how to write each. Otherwise
    (2.505) only the thousands are an amount, and the message says why the other is none.
    ``whole`` keeps the value's minus sign, and so does every number the message names."""
    small, large = Decimal(f"{whole}.{decimals}"), Decimal(whole + decimals)
    kind = "point" if mark == "." else "comma"
    shown = _in_locale(locale)
    thousands = f"the {kind} separating thousands, as {_writers(mark)} write numbers"
    if small == small.quantize(_CENT):
        return (
            f"'{value}' is ambiguous in {locale}: it is {shown(small, '0.00')} with the decimal {kind} "
            f"of {locale}, and {shown(large, '#,##0.00')} with {thousands}; write {shown(small, '0.00')} "
            f"or {shown(large, '0.00')} ({shown(large, '#,##0.00')}) to say which"
        )
    return (
        f"'{value}' is no amount in {locale}: with the decimal {kind} of {locale} it has three decimal "
        f"places ({shown(small, '0.000')}), and an amount is written to the cent; if "
        f"{shown(large, '#,##0.00')} was meant ({thousands}), write {shown(large, '0.00')} or "
        f"{shown(large, '#,##0.00')}"
    )


def _foreign_mark(value: str, whole: str, decimals: str, mark: str, locale: str | None) -> str:
    """'2,500' where the locale writes neither thousands nor decimals with a comma (de-CH),
    or where no locale is known: a thousands separator and a decimal mark are both likely
    (2,500.00 or 2.50), so both readings are named, the second only if it is an amount.
    ``whole`` keeps the value's minus sign, and so does every number the message names."""
    small, large = Decimal(f"{whole}.{decimals}"), Decimal(whole + decimals)
    shown = _in_locale(locale)
    kind = "point" if mark == "." else "comma"
    where = (
        f" in {locale}, which writes neither thousands nor decimals with a {kind}"
        if locale in LOCALES
        else ""
    )
    if small != small.quantize(_CENT):
        return (
            f"'{value}' is no amount{where or ' as written'} (a decimal {kind} would give three decimal "
            f"places); if {shown(large, '#,##0.00')} was meant, write {shown(large, '0.00')} or "
            f"{shown(large, '#,##0.00')}"
        )
    return (
        f"'{value}' is ambiguous{where}: it is {shown(large, '#,##0.00')} if the {kind} separates "
        f"thousands, and {shown(small, '0.00')} if it is a decimal {kind}; write {shown(large, '0.00')} "
        f"({shown(large, '#,##0.00')}) or {shown(small, '0.00')} to say which"
    )


def _in_locale(locale: str | None) -> Callable[[Decimal, str], str]:
    """A number written in the locale's way by a Babel pattern ('#,##0.00' → 2,500.00,
    2.500,00, 2'500.00); without a locale, as en-GB writes it."""
    from babel.numbers import format_decimal

    babel_locale = (locale if locale in LOCALES else "en-GB").replace("-", "_")
    return lambda number, pattern: str(format_decimal(number, format=pattern, locale=babel_locale))


def _writers(mark: str) -> str:
    """The locales that separate thousands with ``mark``: 'de-DE and de-AT'."""
    found = [code for code in LOCALES if _group_mark(code) == mark]
    return " and ".join([", ".join(found[:-1]), found[-1]] if len(found) > 1 else found) or "other locales"


def _whole_amount(text: str, mark: str, sign: str, value: str) -> Decimal | str:
    """The digits before ',-' or '.-' (no cents: 1190,- is 1190.00): plain (1190), or
    grouped in threes by another mark than the decimal mark before the dash (1.190,- and
    1'190.-; 1.190.- is no amount)."""
    if text.isdigit():  # too many digits: too large, said by _checked_amount
        return Decimal(f"{sign}{text}")
    groups = _AMOUNT_SEPARATOR.split(text)
    marks = set(_AMOUNT_SEPARATOR.findall(text))
    grouped = (
        _AMOUNT_SHAPE.fullmatch(text)
        and len(marks) == 1
        and mark not in marks
        and _leads_group(groups[0])
        and all(len(g) == 3 for g in groups[1:])
    )
    if not grouped:
        return f"'{value}' is not an amount; write it as a number, e.g. 1190,- or 1190.00"
    return Decimal(f"{sign}{''.join(groups)}")


def _leads_group(digits: str) -> bool:
    """The first group of a grouped number: 1 to 3 digits, not starting with 0 (0,001 is not grouped)."""
    return 1 <= len(digits) <= 3 and digits[0] != "0"


@lru_cache(maxsize=8)
def _decimal_mark(locale: str | None) -> str | None:
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(locale.replace("-", "_"))) if locale in LOCALES else None


@lru_cache(maxsize=8)
def _group_mark(locale: str | None) -> str | None:
    from babel.numbers import get_group_symbol

    return str(get_group_symbol(locale.replace("-", "_"))) if locale in LOCALES else None


# Addresses letterkit can send over plain SMTP (no SMTPUTF8): an ASCII local part as an
# RFC 5322 dot-atom, and a domain of letters, digits and hyphens, which may be an
# internationalised domain (exämple.de), written to headers as punycode.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_PART = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})")
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})")
_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def email_problem(address: str) -> str | None:
    """Why ``address`` cannot be used as an email address, or None if it can."""
    if _ADDRESS.fullmatch(address) and len(address) <= 254 and address.index("@") <= 64:
        return None  # the common case, decided by one match
    where = f"'{address}' is not an email address"
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return f"{where} (expected name@example.com)"
    if "@" in local:
        return f"{where}: it has more than one @; write one address only"
    if any(c.isspace() or c in "<>" for c in address):
        return f"{where}: write the address alone, without spaces, a name or <>"
    if not local.isascii():
        return _non_ascii_local_part(address, local, domain)
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return f"{where}: the part before the @ must not start or end with a dot or have two dots in a row"
    if not _LOCAL_PART.fullmatch(local):
        bad = next(c for c in local if not _LOCAL_PART.fullmatch(c) and c != ".")
        return f"{where}: '{bad}' is not allowed before the @"
    if len(local) > 64:
        return f"{where}: the part before the @ is longer than 64 characters"
    try:
        encoded = ascii_domain(domain)
    except UnicodeError as exc:
        return f"{where}: the domain '{domain}' is not a valid internationalised domain name ({exc})"
    if not _DOMAIN.fullmatch(encoded) or len(encoded) > 253:
        return f"{where}: '{domain}' is not a valid domain (expected e.g. example.com)"
    if len(local) + 1 + len(encoded) > 254:
        return f"{where}: it is longer than 254 characters"
    return None


def _non_ascii_local_part(address: str, local: str, domain: str) -> str:
    """A non-ASCII local part needs SMTPUTF8 (RFC 6531), which letterkit does not use."""
    plain = unicodedata.normalize("NFKD", local.translate(_TRANSLITERATION))
    plain = "".join(c for c in plain if c.isascii())
    suggestion = f", such as {plain}@{domain}" if _LOCAL_PART.fullmatch(plain) else ""
    return (
        f"'{address}' cannot be used: the part before the @ has non-ASCII characters, which "
        f"needs SMTPUTF8 and letterkit sends plain SMTP; use an ASCII address{suggestion}"
    )


@lru_cache(maxsize=1024)
def ascii_domain(domain: str) -> str:
    """The domain as mail headers and SMTP carry it: an internationalised domain in
    punycode (exämple.de → xn--exmple-cua.de); raises UnicodeError if it is not valid."""
    if domain.isascii():
        return domain
    try:
        import idna  # IDNA 2008 with UTS 46 mapping, as registries use (ß stays ß)
    except ImportError:  # pragma: no cover - the standard library's IDNA 2003 (ß → ss)
        return domain.encode("idna").decode("ascii")
    encoded: bytes = idna.encode(domain, uts46=True)
    return encoded.decode("ascii")


def header_address(address: str) -> str:
    """``address`` as written into a mail header: its domain in punycode. Raises
    ValueError, with the reason, for an address validation would not accept."""
    problem = email_problem(address)
    if problem:
        raise ValueError(problem)
    local, _, domain = address.rpartition("@")
    return f"{local}@{ascii_domain(domain)}"
