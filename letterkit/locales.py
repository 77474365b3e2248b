"""Per-locale conventions: dates, money and lists formatted through babel (CLDR).

The conventions themselves (salutation punctuation, currency, whether German text
starts lower-case after the salutation) are data in ``templates/<lang>/locale.yaml``;
this module reads them and formats values the way a reader in that country expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from typing import NamedTuple

from .parts import load
from .row_caches import ROW_VALUES


@dataclass(frozen=True)
class Conventions:
    """The settings of one locale, read from its language's ``locale.yaml``."""

    locale: str
    lang: str
    currency: str
    salutation_end: str
    lower_after_salutation: bool
    titles: str
    enclosures: str
    enclosure: str  # the label above a single enclosure
    sharp_s: bool
    group_separator: str | None
    honorific_dot: bool
    foreign_currency_code: bool = False
    docx_template: str = "letter.docx"  # the built-in Word template: its page size, margins, layout

    @property
    def babel(self) -> str:
        return self.locale.replace("-", "_")

    @property
    def country(self) -> str:
        """The locale's country (GB for en-GB): where an address without a country is."""
        return self.locale.rpartition("-")[2].upper()


@cache
def conventions(locale: str) -> Conventions:
    """The conventions of ``locale`` (de-DE, de-AT, de-CH, en-GB, en-US)."""
    lang = locale[:2]
    data = load(lang, "locale")["locales"][locale]
    return Conventions(
        locale=locale,
        lang=lang,
        currency=data["currency"],
        salutation_end=data.get("salutation_end", ""),
        lower_after_salutation=bool(data.get("lower_after_salutation", False)),
        titles=data.get("titles", "highest"),
        enclosures=data["enclosures"],
        enclosure=data.get("enclosure", data["enclosures"]),
        sharp_s=not data.get("no_sharp_s", False),
        group_separator=data.get("group_separator"),
        honorific_dot=bool(data.get("honorific_dot", False)),
        foreign_currency_code=data.get("foreign_currency") == "code",
        docx_template=data.get("docx_template", "letter.docx"),
    )


def locale_hint(text: str, supported: tuple[str, ...]) -> str | None:
    """What to write instead of a locale letterkit does not have, or None (no advice: the
    caller's did-you-mean then stands, for a slip such as en-U). A country whose letters
    follow a supported locale's conventions is sent there (data: ``nearby_locales`` in
    templates/<lang>/locale.yaml: de-LI to de-CH, en-IE to en-GB), with the country's
    currency where it differs (babel); another real country gets no guess from the letters
    its code shares with a supported one (en-AU is not en-US); a language letterkit does not
    write is said so (fr-CH is not de-CH); a bare language asks for the country."""
    from babel import Locale

    english = Locale("en")
    lang, _, region = text.strip().replace("_", "-").partition("-")
    lang, region = lang.lower(), region.upper()
    own = [code for code in supported if code[:2] == lang]
    if not own:
        if lang in english.languages and (not region or region in english.territories):
            names = sorted({english.languages[code[:2]] for code in supported})
            return f"letterkit writes {' and '.join(names)} letters only"
        return None
    choices = ", ".join(own[:-1]) + f" or {own[-1]}"
    if not region:
        return f"add the country: {choices}"
    nearby = (load(lang, "locale").get("nearby_locales") or {}).get(f"{lang}-{region}")
    if region not in english.territories:  # a slip (en-U), or a code that is no country's (en-UK)
        return f"write locale: {nearby}" if nearby in supported else None
    country = english.territories[region]
    if nearby not in supported:
        return f"letterkit has no locale for {country}; write the one its letters follow: {choices}"
    from babel.numbers import get_territory_currencies

    advice = f"for {country} write locale: {nearby} (its letters follow the same conventions"
    currencies = get_territory_currencies(region)
    if currencies and currencies[0] != default_currency(nearby):
        advice += f"), and currency: {currencies[0]} in final_invoice and refund"
    else:
        advice += ")"
    return advice


def default_currency(locale: str) -> str:
    """The currency a locale's amounts are in when the input does not say."""
    return conventions(locale).currency


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes known to CLDR."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@lru_cache(maxsize=ROW_VALUES)
def format_date(value: date, locale: str) -> str:
    """A date spelled out: 26. November 2026 / 26 November 2026 / November 26, 2026.

    Babel's long date, written from the locale's pattern and month names as kept between
    runs (``_long_date``) where it has only a day, the month's name and the year: the
    first date of a process then does not load Babel's locale data (~25 ms)."""
    form = _long_date(conventions(locale).babel)
    if form is not None:
        return form.format(value)
    return _babel_date(value, conventions(locale).babel)


def _babel_date(value: date, babel_locale: str) -> str:
    from babel.dates import format_date as babel_date

    return str(babel_date(value, "long", locale=babel_locale))


class _LongDate(NamedTuple):
    """A long date pattern made of a day (``d``, ``dd``), the month's name (``MMMM``), the
    year (``y``) and text between them: its pieces (a field, or text as it is printed after
    a quote, as CLDR quotes text) and the twelve month names."""

    pieces: tuple[str, ...]
    months: tuple[str, ...]

    def format(self, value: date) -> str:
        out = []
        for piece in self.pieces:
            if piece == "d":
                out.append(str(value.day))
            elif piece == "dd":
                out.append(f"{value.day:02d}")
            elif piece == "MMMM":
                out.append(self.months[value.month - 1])
            elif piece == "y":
                out.append(str(value.year))
            else:
                out.append(piece[1:])  # text, after the quote that marks it
        return "".join(out)


_DATE_FIELD = re.compile(r"([A-Za-z])\1*")
_DATE_FIELDS = frozenset({"d", "dd", "MMMM", "y"})
# the dates a long date form is checked on before it is used or kept: every month, days of
# one and two digits, the last day of a month, years of one to four digits
_DATE_PROBES = (
    *(date(2026, month, day) for month in range(1, 13) for day in (1, 28)),
    date(2024, 2, 29), date(2026, 1, 10), date(2026, 12, 31), date(1, 1, 9), date(999, 3, 31), date(9999, 12, 31),
)  # fmt: skip


@cache
def _long_date(babel_locale: str) -> _LongDate | None:
    """The locale's long date form, as kept between runs (``locale_forms``) or read from
    Babel and checked against Babel's own dates (``_DATE_PROBES``); None for a pattern with
    other fields or quoted text, or one that does not give Babel's dates: Babel writes them."""
    from . import locale_forms

    name = f"long date {babel_locale}"
    found = locale_forms.kept(name)
    if (
        isinstance(found, tuple)
        and len(found) == 2
        and all(isinstance(part, tuple) and all(type(x) is str for x in part) for part in found)
        and len(found[1]) == 12
        and all(piece in _DATE_FIELDS or piece.startswith("'") for piece in found[0])
    ):
        return _LongDate(*found)
    form = _read_long_date(babel_locale)
    if form is not None:
        if any(form.format(probe) != _babel_date(probe, babel_locale) for probe in _DATE_PROBES):
            return None
        locale_forms.keep(name, tuple(form))
    return form


def _read_long_date(babel_locale: str) -> _LongDate | None:
    """The long date form of Babel's pattern for the locale, if it has only the fields
    ``_DATE_FIELDS`` and unquoted text."""
    from babel import Locale

    data = Locale.parse(babel_locale)
    pattern = str(data.date_formats["long"].pattern)
    if "'" in pattern:
        return None
    pieces: list[str] = []
    at = 0
    for field in _DATE_FIELD.finditer(pattern):
        if field.group() not in _DATE_FIELDS:
            return None
        if field.start() > at:
            pieces.append("'" + pattern[at : field.start()])
        pieces.append(field.group())
        at = field.end()
    if at < len(pattern):
        pieces.append("'" + pattern[at:])
    names = data.months["format"]["wide"]
    return _LongDate(tuple(pieces), tuple(str(names[month]) for month in range(1, 13)))


def join_dates(dates: list[date] | tuple[date, ...], locale: str) -> str:
    """Several dates as one list, the year written once when they share it:
    1. September und 1. Oktober 2026 / 1 September and 1 October 2026 /
    September 1 and October 1, 2026. Dates of different years are written in full."""
    full = [format_date(d, locale) for d in dates]
    if len(dates) < 2 or len({d.year for d in dates}) > 1:
        return join_list(full, locale)
    heads = [_day_and_month(d, locale) for d in dates[:-1]]
    if not all(text.startswith(head) for head, text in zip(heads, full, strict=False)):
        return join_list(full, locale)  # a locale whose date does not begin with day and month
    from babel.lists import format_list

    # The last date keeps the year (", 2026" in en-US). Not join_list: the others end in a
    # digit, which it would take for a US year and follow with a comma.
    return str(format_list([*heads, full[-1]], locale=conventions(locale).babel))


@lru_cache(maxsize=1024)
def _day_and_month(value: date, locale: str) -> str:
    """A date without its year, as the locale writes it: 1. Jänner / 1 January / January 1."""
    from babel.dates import format_skeleton

    return str(format_skeleton("MMMMd", value, locale=conventions(locale).babel))


@lru_cache(maxsize=ROW_VALUES)
def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """An amount in the locale's style: 1.190,00 € / € 1.190,00 / CHF 1’190.00 / £1,190.00.

    German letters write a currency that is not the locale's own by its ISO code, where
    the locale puts the symbol (DIN 5008): 500,00 USD / USD 500,00 / EUR 500.00 (de-CH);
    English letters keep CLDR's symbols (US$500.00, €500.00).

    Babel's answer, quickly: a mail merge formats a different amount in every row, and
    Babel reads the locale's pattern anew each time (~50 µs). The shape of the
    currency's amounts in the locale (what comes before and after the number, the group
    and decimal separators) is read once from Babel's own output and checked against it
    on sample amounts; amounts it cannot vouch for (negative, more than two decimals, a
    currency without cents) go to Babel.
    """
    shape = _money_shape(currency, locale)
    if shape is not None and type(amount) is Decimal and amount.is_finite() and not amount.is_signed():
        cents = amount.quantize(_CENT)
        if cents == amount:
            return _shaped(cents, shape)
    return _babel_money(amount, currency, locale)


_CENT = Decimal("0.01")
_PROBES = (
    "0",
    "0.5",
    "1",
    "7.05",
    "12.3",
    "999.99",
    "1000",
    "10000.01",
    "123456.7",
    "1234567.89",
    "98765432109.1",
)
_SHAPE = re.compile(r"1(?P<group>\D*)234(?P=group)567(\D+)89")


class _Shape(NamedTuple):
    before: str
    group: str
    decimal: str
    after: str


@lru_cache(maxsize=64)
def _money_shape(currency: str, locale: str) -> _Shape | None:
    """How Babel writes amounts of ``currency`` in ``locale``, if it is plain enough to
    reproduce (checked on ``_PROBES``); None otherwise. A shape found is kept between runs
    (``locale_forms``, with the locale's conventions that shape it): the first amount of a
    later process does not load Babel's data."""
    from . import locale_forms

    conv = conventions(locale)
    name = f"money {currency} {locale} {conv.currency} {conv.group_separator!r} {conv.foreign_currency_code}"
    found = locale_forms.kept(name)
    if isinstance(found, tuple) and len(found) == 4 and all(type(x) is str for x in found):
        return _Shape(*found)
    shape = _babel_shape(currency, locale)
    if shape is not None:
        locale_forms.keep(name, tuple(shape))
    return shape


def _babel_shape(currency: str, locale: str) -> _Shape | None:
    """The shape of Babel's amounts of ``currency`` in ``locale``, read from its output and
    checked on ``_PROBES``; None when it is not that plain."""
    from babel.numbers import get_currency_precision

    if get_currency_precision(currency) != 2:
        return None
    text = _babel_money(Decimal("1234567.89"), currency, locale)
    found = _SHAPE.search(text)
    if found is None:
        return None
    shape = _Shape(text[: found.start()], found.group(1), found.group(2), text[found.end() :])
    for probe in map(Decimal, _PROBES):
        if _shaped(probe.quantize(_CENT), shape) != _babel_money(probe, currency, locale):
            return None
    return shape


def _shaped(cents: Decimal, shape: _Shape) -> str:
    whole, _, fraction = f"{cents:f}".partition(".")
    return f"{shape.before}{_grouped(whole, shape.group)}{shape.decimal}{fraction}{shape.after}"


def _babel_money(amount: Decimal, currency: str, locale: str) -> str:
    from babel.numbers import format_currency

    conv = conventions(locale)
    pattern = _code_pattern(conv.babel) if conv.foreign_currency_code and currency != conv.currency else None
    if not conv.group_separator:
        return str(format_currency(amount, currency, pattern, locale=conv.babel))
    # Babel writes de-CH groups with an ASCII apostrophe and then strips every pair of
    # apostrophes as if they quoted literal text, so 1'234'567.00 came out 1234567.00.
    # Format ungrouped and group the integer digits here, with the locale's separator.
    text = str(format_currency(amount, currency, pattern, locale=conv.babel, group_separator=False))
    return _DIGITS.sub(lambda m: _grouped(m.group(), conv.group_separator or ""), text, count=1)


_DIGITS = re.compile(r"\d+")


@cache
def _code_pattern(babel_locale: str) -> str:
    """The locale's currency pattern with the ISO code in place of the symbol: DIN 5008
    writes a currency that is not the locale's own by its code (500,00 USD, USD 500,00)."""
    from babel import Locale

    pattern = Locale.parse(babel_locale).currency_formats["standard"].pattern
    return str(pattern).replace("¤", "¤¤")


def _grouped(digits: str, separator: str) -> str:
    """1234567 → 1’234’567: groups of three from the right."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


# Postcodes whose shape belongs to one country only: an address that gives no country
# but such a postcode is in that country (a UK sender of a German letter: "M1 1AA").
_OWN_SHAPES = (
    ("GB", re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", re.IGNORECASE)),
    ("CA", re.compile(r"[A-Z]\d[A-Z] ?\d[A-Z]\d", re.IGNORECASE)),
)


def address_country(country: str | None, postal_code: str | None, locale: str, state: str | None = None) -> str:
    """The country of an address (ISO code, upper case): the one given; else the country
    a postcode of an unmistakable shape belongs to (GB, CA); else the United States for
    an address naming a US state (``state: VA``, the sender of an en-GB letter); else the
    locale's country."""
    if country:
        return country.strip().upper()
    code = (postal_code or "").strip()
    if code and not code.isdigit():
        for own, shape in _OWN_SHAPES:
            if shape.fullmatch(code):
                return own
    if state and _is_us_state(state):
        return "US"
    return conventions(locale).country


@cache
def _us_state_keys() -> frozenset[str]:
    states = load("en", "locale").get("us_states") or {}
    return frozenset({str(code).casefold() for code in states} | {str(name).casefold() for name in states.values()})


def _is_us_state(state: str) -> bool:
    """Whether ``state`` names a US state, by its code (VA, va, V.A.) or its name (data: us_states)."""
    return state.strip().replace(".", "").casefold() in _us_state_keys() or state.strip().casefold() in _us_state_keys()


_US_DATE_END = re.compile(r",\s\d{4}$")  # "August 1, 2026": a comma follows the year


def join_list(items: list[str] | tuple[str, ...], locale: str) -> str:
    """A, B und C / A, B and C (no serial comma in en-GB, one in en-US)."""
    from babel.lists import format_list

    items = list(items)
    if locale == "en-US" and len(items) == 2 and _US_DATE_END.search(items[0]):
        return f"{items[0]}, and {items[1]}"  # "August 1, 2026, and September 1, 2026" (comma after the year)
    return str(format_list(items, locale=conventions(locale).babel))


def territory_name(code: str, locale: str) -> str:
    """The country's name in the letter's language ("Österreich" for AT in German)."""
    from babel import Locale

    names = Locale.parse(conventions(locale).babel).territories
    return str(names.get(code.upper(), code))
