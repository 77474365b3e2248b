"""Parts rendered from skeletons (once per structure, the row's strings put in) give the
same text as rendering each time, for values the tidying of spaces treats alike and for
those it does not (which take the normal path)."""

from __future__ import annotations

import pytest

from letterkit import parts

TEMPLATES = [
    "Hiermit kündigen wir den Vertrag {{ contract.name }} Nr. {{ contract.reference }} zum {{ end_date }}.",
    "{% if invoice.settled %}Keine Rechnung.{% else %}Rechnung über {{ invoice.amount }}"
    "{% if invoice.due_date %}, fällig am {{ invoice.due_date }}{% endif %}.{% endif %}",
    "Für die Zukunft wünschen wir Ihnen{% if recipient.company %} und Ihrem Team{% endif %} alles Gute.",
    "Dear {% if title %}{{ title }}{% else %}Ms {% endif %}{{ last_name }}",
]
VALUES = [
    "W-1",
    "Müller & Söhne",
    "X",
    "1.190,00 €",
    "A (B)",
    "Ende",
    "",
    " lead",
    "trail ",
    "a  b",
    ", Inc.",
    "x .",
    "a\nb",
]


def contexts():
    for i, value in enumerate(VALUES):
        other = VALUES[(i + 3) % len(VALUES)]
        yield {
            "contract": {"name": value, "reference": other},
            "end_date": "31. Dezember 2026",
            "invoice": {"settled": i % 4 == 0, "amount": value, "due_date": other if i % 2 else None},
            "recipient": {"company": value},
            "title": "" if i % 3 else "Dr ",
            "last_name": other,
        }


@pytest.mark.parametrize("source", TEMPLATES)
def test_skeleton_text_equals_a_fresh_rendering(source):
    parts._SKELETONS.pop(source, None)
    for _ in range(2):  # the second round is filled from what the first one learned
        for context in contexts():
            assert parts._skeleton_render(source, context) == parts._render(source, context), context
    _usage, cuts = parts._SKELETONS[source]
    assert any(cut is not None for cut in cuts.values())  # the skeletons are used, not only learned


def test_a_part_that_never_repeats_takes_its_skeleton_in_a_merge(monkeypatch):
    calls = []
    real = parts._render
    monkeypatch.setattr(
        parts, "_render", lambda source, context: calls.append(source) or real(source, context)
    )
    source = "Ihre Rechnung Nr. {{ n }} über {{ amount }} ist bezahlt."
    parts._TALLY.pop(source, None)
    for i in range(parts._TRIAL + parts._SKIPS + parts._TRIAL + 200):
        assert (
            parts.render_text(source, {"n": f"R-{i}", "amount": f"{i},00 €"})
            == f"Ihre Rechnung Nr. R-{i} über {i},00 € ist bezahlt."
        )
    # after the trial, rows come from the skeleton, also those of the memo's next trial
    assert len(calls) < parts._TRIAL + 20


def test_email_html_from_skeletons_equals_the_layout_rendered(monkeypatch):
    """The HTML part of an email filled from the layout's skeleton is the layout rendered
    by Jinja, also with characters that must be escaped in the printed strings."""
    import copy
    from pathlib import Path

    import yaml

    import letterkit
    from letterkit.render import email
    from letterkit.render.text import layout

    email._html_skeleton.cache_clear()
    sample = yaml.safe_load(
        (Path(__file__).parent.parent / "samples" / "de-AT-email-marketing.yaml").read_text("utf-8")
    )
    for i, name in enumerate(["Müller & Söhne <GmbH>", 'A "B"', "O'Neil", "plain", "x<y>z"] * 2):
        data = copy.deepcopy(sample)
        data["recipient"]["last_name"] = name
        data["enclosures"] = ["Rechnung <1>", "B & C"][: 1 + i % 2]
        letter = letterkit.compose(data)
        # the HTML part holds dates and names together with no-break spaces (email._glued)
        assert email.html_body(letter) == layout("email.html").render(letter=email._glued(letter))
    assert any(cut is not None for cut in email._html_skeleton().cuts.values())


def test_the_batched_untidy_test_is_the_test_of_each_string() -> None:
    import random

    from letterkit.parts import _untidy, _untidy_any

    rng = random.Random(12)
    alphabet = [*"ab .,;:!?)\t\r\n\x1f\x1c", "\u00a0", "\ue002", "\ue003", "ß"]
    for _ in range(5000):
        values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 5))]
        assert _untidy_any(values) == any(map(_untidy, values)), repr(values)


def test_an_email_salutation_with_its_comma_takes_the_skeleton(monkeypatch):
    """"Guten Tag, Herr Muster7" in every email of a merge: after the trial of its memo the
    salutation is filled from its skeleton, not rendered by Jinja for every row."""
    import letterkit

    calls = []
    real = parts._render
    monkeypatch.setattr(
        parts, "_render", lambda source, context: calls.append(source) or real(source, context)
    )
    base = {
        "locale": "de-DE",
        "channel": "email",
        "sender": {"company": "Nord GmbH", "name": "Eva Nord", "email": "eva@nord.example"},
        "contract": {"name": "Wartungsvertrag"},
        "end_date": "2026-12-31",
        "reasons": ["capacity"],
    }
    count = parts._TRIAL + 100
    for i in range(count):
        recipient = {"gender": "male", "last_name": f"Muster{i}", "email": f"m{i}@example.com"}
        letter = letterkit.compose({**base, "recipient": recipient})
        assert letter.salutation == f"Guten Tag, Herr Muster{i},"
    assert sum("Guten Tag" in source for source in calls) < parts._TRIAL + 10
