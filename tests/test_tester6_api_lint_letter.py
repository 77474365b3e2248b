"""letterkit.lint(letter) on a composed Letter finds what compose() found (tester6):
the reader's name in the salutation is data, also when linted from the Letter alone."""

from __future__ import annotations

import letterkit


def _swiss(last_name: str, title: str | None = None) -> dict[str, object]:
    return {
        "locale": "de-CH",
        "channel": "email",
        "date": "2026-11-26",
        "sender": {"company": "Gärtnerei Meier", "name": "Hans Meier", "email": "hans@example.ch"},
        "recipient": {
            "gender": "male",
            "title": title,
            "first_name": "Jürgen",
            "last_name": last_name,
            "email": "jw@example.ch",
            "street": "Parkweg 9",
            "postal_code": "3011",
            "city": "Bern",
        },
        "end_date": "2027-01-31",
        "reasons": ["capacity"],
    }


def test_lint_of_a_swiss_letter_to_herr_weiss_is_clean_as_compose_found_it() -> None:
    for channel in ("email", "letter"):
        for title in (None, "Prof. Dr."):
            data = _swiss("Weiß", title)
            data["channel"] = channel
            letter = letterkit.compose(data)
            assert "Weiß" in letter.salutation
            assert letter.findings == ()
            assert letterkit.lint(letter) == []


def test_lint_of_a_letter_still_finds_a_sharp_s_in_the_text() -> None:
    letter = letterkit.compose(_swiss("Weiß"))
    blocks = list(letter.blocks)
    blocks[0] = type(blocks[0])(part=blocks[0].part, text=blocks[0].text + " Wir schliessen gemäß Vertrag.")
    import dataclasses

    edited = dataclasses.replace(letter, blocks=tuple(blocks))
    found = [f.text for f in letterkit.lint(edited) if f.rule == "structure/sharp-s-ch"]
    assert found == ["gemäß"]


def test_lint_of_a_swiss_letter_reads_the_providers_and_contact_as_data() -> None:
    data = _swiss("Meier")
    data["channel"] = "letter"
    data["handover"] = {
        "providers": ["Malerei Strauß", "Großmann Design"],
        "contact": {"name": "Jörg Größer", "email": "jg@example.ch"},
    }
    letter = letterkit.compose(data)
    assert "Malerei Strauß" in letter.body and "Jörg Größer" in letter.body
    assert letter.findings == ()
    assert letterkit.lint(letter) == []
