"""No-break spaces inside dates, numbers and titled names (render/typography.py)."""

from __future__ import annotations

import pytest

from letterkit.render.typography import NBSP, glue


@pytest.mark.parametrize(
    ("text", "glued"),
    [
        ("by December 20, 2026, we", "by December_20,_2026, we"),
        ("by Dec 20, 2026.", "by Dec_20,_2026."),
        ("on 20 December 2026", "on 20_December_2026"),
        ("bis zum 31. Dezember 2026", "bis zum 31._Dezember_2026"),
        ("Rechnung Nr. 12", "Rechnung Nr._12"),
        ("Frau Weiß und Herr Ober", "Frau_Weiß und Herr_Ober"),
        ("we have 3 items, 2026 was good", "we have 3 items, 2026 was good"),
    ],
)
def test_dates_and_names_stay_on_one_line(text: str, glued: str) -> None:
    assert glue(text) == glued.replace("_", NBSP)
