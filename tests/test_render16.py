"""Acceptance round 16, rendering: the HTML language tag, the return-address measure,
US Letter paper for en-US, and the closing kept with the end of the body."""

from __future__ import annotations

import copy
import email
import email.policy
import re
from typing import Any

import pytest
from conftest import BASE

import letterkit

LOCALES = ("de-DE", "de-AT", "de-CH", "en-GB", "en-US")


def data(locale: str = "de-DE", **changes: Any) -> dict[str, Any]:
    """BASE in ``locale`` (a US address for en-US), with top-level keys changed."""
    out = copy.deepcopy(BASE)
    out["locale"] = locale
    if locale == "en-US":
        out["sender"].update(
            street="410 Peachtree Street NE", postal_code="30308", city="Atlanta", state="GA"
        )
        out["sender"]["country"] = "US"
        out["recipient"].update(
            street="22 Magnolia Avenue", postal_code="29401", city="Charleston", state="SC"
        )
        out["recipient"]["country"] = "US"
    elif locale != "de-DE":
        out["sender"].pop("country")
        out["recipient"].pop("country")
        out["sender"].update(_ADDRESSES[locale][0])
        out["recipient"].update(_ADDRESSES[locale][1])
    out["recipient"]["email"] = "anna.schneider@example.com"
    out.update(changes)
    return out


_ADDRESSES = {
    "de-AT": ({"street": "Mariahilfer Straße 1", "postal_code": "1060", "city": "Wien"},
              {"street": "Getreidegasse 7", "postal_code": "5020", "city": "Salzburg"}),
    "de-CH": ({"street": "Bahnhofstrasse 1", "postal_code": "8001", "city": "Zürich"},
              {"street": "Marktgasse 2", "postal_code": "3011", "city": "Bern"}),
    "en-GB": ({"street": "1 Deansgate", "postal_code": "M3 1AZ", "city": "Manchester"},
              {"street": "2 High Street", "postal_code": "LS1 1AA", "city": "Leeds"}),
}  # fmt: skip


# --- 4. the HTML language tag is the letter's locale ----------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_html_letter_names_the_full_locale(locale: str) -> None:
    html = letterkit.render(letterkit.compose(data(locale)), "html").decode("utf-8")
    assert re.search(r"<html lang=\"([^\"]+)\">", html).group(1) == locale  # type: ignore[union-attr]


@pytest.mark.parametrize("locale", LOCALES)
def test_html_part_of_an_email_names_the_locale_its_header_names(locale: str) -> None:
    blob = letterkit.render(letterkit.compose(data(locale, channel="email")), "eml")
    message = email.message_from_bytes(blob, policy=email.policy.default)
    assert message["Content-Language"] == locale
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f'<html lang="{locale}">' in html
