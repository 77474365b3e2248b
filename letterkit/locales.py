"""Per-locale conventions: dates, money and lists formatted through babel (CLDR).

The conventions themselves (salutation punctuation, currency, whether German text
starts lower-case after the salutation) are data in ``templates/<lang>/locale.yaml``;
this module reads them and formats values the way a reader in that country expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from .parts import load


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
    sharp_s: bool
    group_separator: str | None
    honorific_dot: bool

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
        sharp_s=not data.get("no_sharp_s", False),
        group_separator=data.get("group_separator"),
        honorific_dot=bool(data.get("honorific_dot", False)),
    )


def default_currency(locale: str) -> str:
    """The currency a locale's amounts are in when the input does not say."""
    return conventions(locale).currency


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes known to CLDR."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@lru_cache(maxsize=4096)
def format_date(value: date, locale: str) -> str:
    """A date spelled out: 26. November 2026 / 26 November 2026 / November 26, 2026."""
    from babel.dates import format_date as babel_date

    return str(babel_date(value, "long", locale=conventions(locale).babel))


@lru_cache(maxsize=4096)
def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """An amount in the locale's style: 1.190,00 € / € 1.190,00 / CHF 1’190.00 / £1,190.00."""
    from babel.numbers import format_currency

    conv = conventions(locale)
    text = str(format_currency(amount, currency, locale=conv.babel))
    if conv.group_separator:
        text = text.replace("'", conv.group_separator)
    return text


def join_list(items: list[str] | tuple[str, ...], locale: str) -> str:
    """A, B und C / A, B and C (no serial comma in en-GB, one in en-US)."""
    from babel.lists import format_list

    items = list(items)
    if locale == "en-US" and len(items) == 2 and items[0][-1:].isdigit():
        return f"{items[0]}, and {items[1]}"  # "August 1, 2026, and September 1, 2026" (comma after the year)
    return str(format_list(items, locale=conventions(locale).babel))


def territory_name(code: str, locale: str) -> str:
    """The country's name in the letter's language ("Österreich" for AT in German)."""
    from babel import Locale

    names = Locale.parse(conventions(locale).babel).territories
    return str(names.get(code.upper(), code))
