"""No-break spaces inside dates, numbers and titled names (render/typography.py)."""

from __future__ import annotations

import re

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


# The glue pattern as it was written before its alternatives were grouped for speed
# (session 27): one alternative after the other, each tried at every space.
_GLUE_AS_WRITTEN = re.compile(
    r" (?:(?<=\d\. )(?=[A-ZÄÖÜ][a-zäöü]+ \d)|(?<=\d )(?=[A-Z][a-z]+ \d{4})"
    r"|(?<=[a-z] )(?=\d{1,2},? \d{4})|(?<=\d, )(?=\d{4})|(?<=[a-z] )(?=\d{4}\b)"
    r"|(?<=Nr\. )|(?<=Dr\. )|(?<=Frau )|(?<=Herr )|(?<=Herrn )|(?<=Ms )|(?<=Mr )|(?<=Mrs )|(?<=Miss )|(?<=Mx )"
    r"|(?<=Ms\. )|(?<=Mr\. )|(?<=Mrs\. )|(?<=Mx\. )"
    r"|(?<=\d )(?=\d))"
)


def test_the_grouped_glue_pattern_glues_exactly_where_the_pattern_as_written_did() -> None:
    """Grouping the alternatives by what follows the space must not move a single no-break
    space: the same text in, the same text out, for the parts library, the samples and many
    made-up strings of the pieces the alternatives look for."""
    import random

    from letterkit.render.typography import _GLUE
    from letterkit.resources import templates_dir

    texts = [path.read_text(encoding="utf-8") for path in sorted(templates_dir().glob("*/*.yaml"))]
    pieces = [
        *"ab rsuxnNDFHMi.,0123456789ÄÖÜäöüAZ", "  ", "Nr. ", "Dr. ", "Frau ", "Herr ", "Herrn ", "Ms ",
        "Mr ", "Mrs ", "Miss ", "Mx ", "Ms. ", "Mr. ", "Mrs. ", "Mx. ", "12", "2026", "Januar ",
        "January 5, 2026", "31. Dezember 2026", "\u0663", "1, 2026", "+41 44 123 45 67",
    ]  # fmt: skip
    chance = random.Random(27)
    texts += ["".join(chance.choice(pieces) for _ in range(chance.randint(1, 25))) for _ in range(20_000)]
    for text in texts:
        assert _GLUE.sub(NBSP, text) == _GLUE_AS_WRITTEN.sub(NBSP, text), text
