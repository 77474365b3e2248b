"""Defects found by tester 46 (wording of generated letters under inputs the samples do not
cover), each with the case that showed it."""

from __future__ import annotations

from pathlib import Path

from letterkit import lint


def _swiss(body: str) -> list[str]:
    draft = f"Grüezi Herr Meier\n\n{body}\n\nVielen Dank für alles und alles Gute.\n\nFreundliche Grüsse\nBeat Weiss\n"
    return [f.text for f in lint(draft, lang="de", locale="de-CH") if f.rule == "structure/sharp-s-ch"]


def test_swiss_names_keep_their_sharp_s_in_running_text():
    # a firm whose first name word is joined by "&", and a person's surname after the first name
    body = (
        "Wir beenden den Vertrag per 31. Januar 2027. Für die Reinigung können wir Ihnen die "
        "Groß & Söhne Facility AG empfehlen. Bei Fragen wenden Sie sich bitte an Fritz Groß unter "
        "fritz@example.ch."
    )
    assert _swiss(body) == []


def test_swiss_sharp_s_in_words_is_still_reported():
    body = (
        "Wir beenden den Vertrag per 31. Januar 2027. Die Straße vor dem Haus ist gesperrt. "
        "Ihre Straße ist schön. Viele Grüße an das Team. Wir schließen das Büro."
    )
    assert _swiss(body) == ["Straße", "Straße", "Grüße", "schließen"]
    # a noun before a firm name is still no part of it ("die Schlussrechnung Straßer GmbH")
    assert _swiss("Wir beenden den Vertrag per 31. Januar 2027. Die Außenwerbung Muster AG bleibt.") == [
        "Außenwerbung"
    ]


def _email_input(tmp_path, enclosures: list[str]):
    import yaml

    sample = Path(__file__).resolve().parent.parent / "samples" / "de-DE-email-buchhaltung.yaml"
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    data["enclosures"] = enclosures
    path = tmp_path / "mail.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _plain(path) -> str:
    import email
    import email.policy

    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    return message.get_body(("plain",)).get_content()


def test_an_email_names_every_file_it_attaches(tmp_path):
    from click.testing import CliRunner

    from letterkit.cli import main

    source = _email_input(tmp_path, ["Schlussrechnung"])
    files = []
    for name in ("Rechnung.pdf", "Zugaenge.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n")
        files += ["--attach", str(tmp_path / name)]
    out = tmp_path / "mail.eml"
    result = CliRunner().invoke(main, ["generate", str(source), "-o", str(out), *files])
    assert result.exit_code == 0, result.output
    text = _plain(out)
    # two files: both named, the input's enclosure in its words first
    assert "Anhänge:\nSchlussrechnung\nZugaenge.pdf\n" in text
    # as many files as enclosures: the enclosures alone, as before
    result = CliRunner().invoke(
        main, ["generate", str(source), "-o", str(out), "--force", "--attach", str(tmp_path / "Rechnung.pdf")]
    )
    assert result.exit_code == 0, result.output
    assert "Anhang:\nSchlussrechnung\n" in _plain(out) and "Rechnung.pdf" not in _plain(out)


def test_the_preview_of_an_email_says_what_the_email_says(tmp_path):
    from click.testing import CliRunner

    from letterkit.cli import main

    source = _email_input(tmp_path, ["Stundenaufstellung"])
    preview = CliRunner().invoke(main, ["generate", str(source)])
    assert preview.exit_code == 0, preview.output
    assert "Stundenaufstellung" not in preview.stdout  # attaches nothing: lists nothing
    assert "attaches no file" in preview.stderr
    out = tmp_path / "mail.eml"
    assert CliRunner().invoke(main, ["generate", str(source), "-o", str(out)]).exit_code == 0
    assert "Stundenaufstellung" not in _plain(out)


def test_returning_and_collecting_things_say_give_back_once():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_text18 import data  # the tests' standard German input

    import letterkit

    handover = {"returns": ["den Generalschlüssel"], "collect": ["die Leiter"], "by": "2026-12-20"}
    for register, asked in (
        ("sie", "Bitte lassen Sie uns bis dahin die Leiter zukommen."),
        ("du", "Bitte lass uns bis dahin die Leiter zukommen."),
    ):
        letter = letterkit.compose(data("de-DE", register, handover=handover))
        text = " ".join(block.text for block in letter.blocks if block.part == "data")
        assert asked in text, text
        # "geben wir … zurück" once, not "Bitte geben Sie … zurück" right after it
        assert text.count("zurück") == 1, text
        assert letter.findings == ()


def test_a_sole_trader_with_a_trade_name_can_write_as_i():
    import re
    import sys

    import pytest

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_text18 import data

    import letterkit
    from letterkit.errors import InputError

    def voice(body: str) -> set[str]:
        words = {w.lower() for w in re.findall(r"\w+", body)}
        return {
            v
            for v, forms in (
                ("I", {"ich", "mir", "mich", "i", "my", "me"}),
                ("we", {"wir", "uns", "we", "our", "us"}),
            )
            if words & forms
        }

    base = data("de-DE", "sie")  # sender: Hauswerk Service GmbH
    assert voice(letterkit.compose(base).body) == {"we"}
    for value in ("I", "ich", "Ich"):
        assert voice(letterkit.compose({**base, "sender": {**base["sender"], "voice": value}}).body) == {"I"}
    # and the other way round: a person without a company who writes for a team
    person = {k: v for k, v in base["sender"].items() if k != "company"}
    assert voice(letterkit.compose({**base, "sender": person}).body) == {"I"}
    assert voice(letterkit.compose({**base, "sender": {**person, "voice": "wir"}}).body) == {"we"}
    with pytest.raises(InputError, match="voice"):
        letterkit.compose({**base, "sender": {**base["sender"], "voice": "they"}})
    with pytest.raises(InputError, match="voice"):  # the sender's key only
        letterkit.compose({**base, "recipient": {**base["recipient"], "voice": "I"}})
    english = data("en-GB")
    assert voice(letterkit.compose({**english, "sender": {**english["sender"], "voice": "I"}}).body) == {"I"}


def test_reasons_given_together_do_not_contradict_or_repeat_each_other():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_text18 import data

    import letterkit

    for locale in ("de-DE", "de-CH", "en-GB", "en-US"):
        registers = ("sie", "du") if locale.startswith("de") else ("sie",)
        for register in registers:
            both = letterkit.compose(data(locale, register, reasons=["scope", "quality_expectations"]))
            # "our ideas of quality differ" beside "the quality you rightly expect" contradicted itself
            assert "zu Recht" not in both.body and "rightly expect" not in both.body, both.body
            assert both.findings == ()
            alone = letterkit.compose(data(locale, register, reasons=["scope"]))
            assert "zu Recht" in alone.body or "rightly expect" in alone.body
            if locale.startswith("de"):
                two = letterkit.compose(data(locale, register, reasons=["scope", "missing_inputs"]))
                assert two.body.count("Qualität") == 1 and "sicherstellen" in two.body, two.body
                assert two.findings == ()


def test_three_reasons_or_more_are_announced():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_text18 import data

    import letterkit

    leads = {
        "de": "Zu dieser Entscheidung haben mehrere Gründe geführt. ",
        "en": "Several things have led to this decision. ",
    }
    for locale in ("de-DE", "de-AT", "en-GB", "en-US"):
        lead = leads[locale[:2]]
        many = letterkit.compose(data(locale, reasons=["capacity", "budget", "technology"]))
        (paragraph,) = [b.text for b in many.blocks if b.part == "reasons"]
        assert paragraph.startswith(lead), paragraph
        assert many.findings == ()
        two = letterkit.compose(data(locale, reasons=["capacity", "budget"]))
        assert lead.strip() not in two.body


def test_english_returning_and_collecting_things_say_return_once():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_text18 import data

    import letterkit

    for locale in ("en-GB", "en-US"):
        letter = letterkit.compose(data(locale, handover={"returns": ["the drill"], "collect": ["the card"]}))
        text = " ".join(block.text for block in letter.blocks if block.part == "data")
        assert "Please let us have the card back by then." in text, text
        assert text.count("return") == 1, text
        assert letter.findings == ()
        alone = letterkit.compose(data(locale, handover={"collect": ["the card"]}))
        assert "Please return the card to us by" in alone.body
