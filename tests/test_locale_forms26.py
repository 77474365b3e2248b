"""Dates and amounts written from the locale forms kept between runs (locale_forms.py) are
Babel's own, and a later process writes them without loading Babel's locale data."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
from babel.dates import format_date as babel_date
from babel.numbers import format_currency

from letterkit import locale_forms, locales

LOCALES = ("de-DE", "de-AT", "de-CH", "en-GB", "en-US")


def _fresh_process() -> None:
    """What a new process starts with: nothing read or worked out yet."""
    locale_forms.forget()
    for cached in (locales.format_date, locales._long_date, locales._money_shape, locales.format_money):
        cached.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _fresh_process()
    yield tmp_path / "cache" / "letterkit"
    _fresh_process()


def _no_babel_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import babel.localedata

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("Babel's locale data was loaded")

    monkeypatch.setattr(babel.localedata, "load", refused)


def _dates() -> list[date]:
    picked = random.Random(26)
    days = [date(1990, 1, 1) + timedelta(days=picked.randrange(0, 40 * 366)) for _ in range(300)]
    return [*days, date(1, 1, 1), date(9999, 12, 31), date(2024, 2, 29)]


def test_dates_from_the_kept_forms_are_babels_and_need_none_of_its_data(cache: Path, monkeypatch):
    first = {locale: [locales.format_date(d, locale) for d in _dates()] for locale in LOCALES}
    assert [p.name for p in cache.glob("locale-forms-*.pickle")]
    for locale in LOCALES:
        assert first[locale] == [str(babel_date(d, "long", locale=locale.replace("-", "_"))) for d in _dates()]
    assert locales.format_date(date(2027, 1, 5), "de-AT") == "5. Jänner 2027"
    assert locales.format_date(date(2027, 1, 5), "en-US") == "January 5, 2027"
    _fresh_process()
    _no_babel_data(monkeypatch)
    again = {locale: [locales.format_date(d, locale) for d in _dates()] for locale in LOCALES}
    assert again == first


def test_amounts_from_the_kept_shapes_are_babels_and_need_none_of_its_data(cache: Path, monkeypatch):
    amounts = [Decimal(f"{n}.{n % 100:02d}") for n in (0, 7, 99, 1000, 12345, 1234567, 98765432)]
    pairs = [(currency, locale) for locale in LOCALES for currency in ("EUR", "CHF", "GBP", "USD")]
    first = [locales.format_money(a, c, loc) for c, loc in pairs for a in amounts]
    assert {"1.234.567,67\xa0€", "CHF\xa01’234’567.67", "12.345,45\xa0USD", "US$1,234,567.67"} <= set(first)
    _fresh_process()
    _no_babel_data(monkeypatch)
    assert [locales.format_money(a, c, loc) for c, loc in pairs for a in amounts] == first
    assert locales.format_money(Decimal("1190"), "EUR", "de-DE") == "1.190,00\xa0€"


def test_the_kept_amounts_equal_babels_own(cache: Path):
    for locale in LOCALES:
        for currency in ("EUR", "USD"):
            for amount in (Decimal("0.50"), Decimal("1190.00"), Decimal("1234567.89")):
                ours = locales.format_money(amount, currency, locale)
                if locale != "de-CH":  # Babel's own de-CH groups are broken (see locales._babel_money)
                    assert ours == locales._babel_money(amount, currency, locale)
                    if currency == "EUR" or locale.startswith("en"):
                        babel = format_currency(amount, currency, locale=locale.replace("-", "_"))
                        assert ours == babel


def test_a_damaged_foreign_or_odd_cache_file_is_passed_over(cache: Path, monkeypatch):
    assert locales.format_date(date(2026, 12, 31), "de-DE") == "31. Dezember 2026"
    (path,) = cache.glob("locale-forms-*.pickle")
    # entries of another form: a wrong month list, a pattern piece that is no field
    from letterkit.lint.rules import save_cache

    name = "long date de_DE"
    assert save_cache({name: (("d", "'. ", "XX"), ("Jan",) * 12)}, path)
    _fresh_process()
    assert locales.format_date(date(2026, 12, 31), "de-DE") == "31. Dezember 2026"
    assert save_cache({name: (("d", "'. ", "MMMM", "' ", "y"), ("Jan",) * 11)}, path)
    _fresh_process()
    assert locales.format_date(date(2026, 12, 31), "de-DE") == "31. Dezember 2026"
    path.write_bytes(b"not a pickle")
    _fresh_process()
    assert locales.format_date(date(2026, 12, 31), "de-DE") == "31. Dezember 2026"
    if hasattr(os, "getuid"):  # a file someone else may write is not read
        assert save_cache({name: (("d", "'. ", "MMMM", "' ", "y"), ("Monat",) * 12)}, path)
        os.chmod(path, 0o666)
        _fresh_process()
        assert locales.format_date(date(2026, 12, 31), "de-DE") == "31. Dezember 2026"
        assert save_cache({name: (("d", "'. ", "MMMM", "' ", "y"), ("Monat",) * 12)}, path)
        _fresh_process()  # its own file, 0600: read as it is (which is why it must be the user's own)
        assert locales.format_date(date(2026, 12, 31), "de-DE") == "31. Monat 2026"


def test_a_pattern_with_other_fields_is_left_to_babel(cache: Path, monkeypatch):
    class Pattern:
        pattern = "EEEE, d. MMMM y"

    class Data:
        date_formats: ClassVar[dict[str, Pattern]] = {"long": Pattern()}
        months: ClassVar[dict[str, dict[str, dict[int, str]]]] = {"format": {"wide": dict.fromkeys(range(1, 13), "M")}}

    import babel

    monkeypatch.setattr(babel.Locale, "parse", classmethod(lambda cls, name: Data()))
    assert locales._read_long_date("de_DE") is None
    Pattern.pattern = "d. MMMM 'im Jahr' y"
    assert locales._read_long_date("de_DE") is None
    Pattern.pattern = "d. MMMM y"
    form = locales._read_long_date("de_DE")
    assert form is not None and form.format(date(2026, 3, 4)) == "4. M 2026"
