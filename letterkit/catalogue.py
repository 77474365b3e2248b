"""``letterkit parts``: the reason and step catalogues with the text they produce.

Each entry is rendered with example values in the chosen locale and register, so
a user sees the exact sentence their letter will contain.
"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any

from . import locales
from .model import Party
from .parts import catalogue, load, pick, render_text, variant

EXAMPLE_DATE = date(2026, 10, 12)


def _example_values(locale: str) -> dict[str, Any]:
    numbers = load(locale[:2], "locale").get("numbers", [])
    return {
        "step": {
            "kind": "",
            "count": 3,
            "count_words": numbers[3] if len(numbers) > 3 else 3,
            "date": locales.format_date(EXAMPLE_DATE, locale),
            "dates": None,
            "date_count": 0,
            "index": 1,
            "total": 1,
            "previous": None,
            "in_order": True,
            "lead": "",
        },
        "channel": "letter",
        "recipient": Party(company="Example"),
        "sender": Party(company="Example", name="Example"),
        "solo": False,  # a company writes ("wir"/"we"), as the sender above has one
        "salutation_case": "unknown",  # the salutation greets a person of the company
        "reason_codes": (),  # each reason as it reads alone
        "words": pick(load(locale[:2], "locale").get("words", {}), locale),  # credit note / memo
    }


def entries(locale: str, section: str, register: str = "sie") -> list[tuple[str, str, str]]:
    """(code, title, example text) for each entry of ``reasons`` or ``steps``."""
    conv = locales.conventions(locale)
    values = _example_values(locale)
    rows = []
    for code, entry in catalogue(conv.lang, section).items():
        source = variant(entry, register) or ""
        text = render_text(source, values, sharp_s=conv.sharp_s)
        rows.append((code, str(entry.get("title", code)), text))
        # a step's own wording when the letter gives that reason (by_reason)
        for reason, own in (entry.get("by_reason") or {}).items():
            title = own.get("title", code) if isinstance(own, dict) else code
            text = render_text(variant(own, register) or "", values, sharp_s=conv.sharp_s)
            rows.append((f"{code} ({reason})", str(title), text))
    return rows


def describe(locale: str, register: str = "sie") -> str:
    """A readable listing of both catalogues for one locale."""
    lines = [f"{locale} – reasons (use the code in `reasons:`)", ""]
    for section, head in (("reasons", None), ("steps", f"{locale} – steps (`steps_taken: - kind:`)")):
        if head:
            lines += ["", head, ""]
        for code, title, text in entries(locale, section, register):
            if len(code) < 24:
                lines.append(f"  {code:<24}{title}")
            else:
                lines += [f"  {code}", f"  {'':<24}{title}"]
            lines += textwrap.wrap(text, 76, initial_indent=" " * 4, subsequent_indent=" " * 4)
    return "\n".join(lines) + "\n"
