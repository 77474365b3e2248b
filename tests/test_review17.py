"""Review round 17:

1. a closing ("Liebe Grüße") or a group greeting ("Hallo Zusammen") is no du salutation,
   and only a line before the first body paragraph is a salutation;
2. a salutation in one form of address with a body wholly in the other is reported;
3. "Wie Ihr wisst, danke ich Euch …": a capitalised plural du in a du letter;
4. the writer's own late reply is no blame (and the held-out check's test makes its own
   false alarm);
5. the amount hints keep a minus sign;
6. the Sie/du check imports no private helper of the engine or the structure checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from letterkit.lint import lint
from letterkit.values import read_amount

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "letterkit" / "lint"


def mixed(text: str) -> list[str]:
    """The words the Sie/du check reports."""
    return [f.text for f in lint(text, lang="de") if f.rule == "structure/mixed-address"]


SIE_BODY = (
    "vielen Dank für die gute Zusammenarbeit mit Ihnen in den letzten Jahren. Sie erhalten die "
    "Unterlagen bis Ende Juni 2027. Du warst immer ein verlässlicher Partner."
)
DU_HEAD = "Hallo Anna und Tom,\n\nich beende unsere Zusammenarbeit zum 31. März 2027. "
DU_END = "\n\nDanke für alles und viele Grüße\nNele\n"
SIE_HEAD = "Sehr geehrte Frau Lorenz,\n\nwir beenden unsere Zusammenarbeit zum 31. März 2027. "
SIE_END = "\n\nVielen Dank für Ihr Vertrauen.\n\nMit freundlichen Grüßen\nNele Brandt\n"


# 1. A closing or a group greeting is no du salutation ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"Guten Tag,\n\n{SIE_BODY}\n\nLiebe Grüße\nAnna\n",  # the closing
        f"Guten Tag,\n\n{SIE_BODY}\n\nHerzliche Grüße aus Kiel\nAnna\n",
        f"Hallo Zusammen,\n\n{SIE_BODY}\n\nViele Grüße\nAnna\n",  # a group, however written
        f"Hallo Alle,\n\n{SIE_BODY}\n\nViele Grüße\nAnna\n",
        f"Liebes TEAM,\n\n{SIE_BODY}\n\nViele Grüße\nAnna\n",
        # a greeting after the body's first sentence greets someone else
        f"Guten Tag,\n\n{SIE_BODY}\n\nHallo Jonas,\n\nbitte leite das an Frau Berg weiter.\n\nViele Grüße\nAnna\n",
    ],
)
def test_without_a_salutation_the_stray_form_of_most_words_is_reported(text):
    assert mixed(text) == ["Du"]


def test_a_salutation_heading_the_first_paragraph_still_counts():
    text = "Hallo Jonas,\nich beende unsere Zusammenarbeit zum 31. März 2027. Sie erhalten alles. Danke dir.\n"
    assert mixed(text) == ["Sie"]


# 2. A salutation in one form, a body in the other ------------------------------------------


@pytest.mark.parametrize(
    "text,strays,salutation",
    [
        (
            "Sehr geehrte Frau Berg,\n\nwir beenden den Vertrag zum 30. Juni 2027. Du erhältst die Unterlagen "
            "bis Ende Juni. Danke für dein Vertrauen.\n\nMit freundlichen Grüßen\nAnna Weber\n",
            ["Du", "dein"],
            "formal (Sie)",
        ),
        (
            "Hallo Jonas,\n\nich beende unsere Zusammenarbeit zum 31. März 2027. Sie erhalten die Unterlagen "
            "von mir. Ich danke Ihnen für Ihr Vertrauen.\n\nViele Grüße\nAnna\n",
            ["Sie", "Ihnen"],
            "informal (du)",
        ),
    ],
)
def test_a_body_wholly_in_the_other_form_than_its_salutation_is_reported(text, strays, salutation):
    found = [f for f in lint(text, lang="de") if f.rule == "structure/mixed-address"]
    assert [f.text for f in found] == strays
    for finding in found:
        assert finding.message.startswith("The salutation and the body address the reader differently")
        assert salutation in finding.message


@pytest.mark.parametrize(
    "salutation",
    ["Liebe Kundinnen und Kunden,", "Liebe Mitglieder,", "Liebe Geschäftspartner,", "Hallo zusammen,"],
)
def test_a_group_greeting_over_a_sie_letter_is_no_du_salutation(salutation):
    text = (
        f"{salutation}\n\nwir stellen unseren Lieferdienst zum 31. März 2027 ein. Ihre Bestellungen "
        "liefern wir bis dahin aus. Vielen Dank für Ihre Treue.\n\nMit freundlichen Grüßen\nAnna Weber\n"
    )
    assert mixed(text) == []


def test_a_mixed_body_keeps_the_mixing_message():
    text = SIE_HEAD + "Ihr Team war stets hilfsbereit. Du hast uns sehr geholfen." + SIE_END
    found = [f for f in lint(text, lang="de") if f.rule == "structure/mixed-address"]
    assert [f.text for f in found] == ["Du"]
    assert found[0].message.startswith("The letter mixes Sie and du")


# 3. A capitalised plural of du ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Wie Ihr wisst, danke ich Euch für Euer Vertrauen.",
        "Wie Ihr wisst, endet der Vertrag im März.",
        "Da Ihr uns immer so gut unterstützt habt, danke ich Euch.",
        "Ihr Lieben, ich danke Euch für alles.",
        "Ihr habt uns sehr geholfen.",
    ],
)
def test_a_capitalised_ihr_of_the_plural_of_du_is_du(body):
    assert mixed(DU_HEAD + body + DU_END) == []


@pytest.mark.parametrize(
    "text,stray",
    [
        (DU_HEAD + "Danke für Ihr Vertrauen." + DU_END, "Ihr"),  # a possessive, no Euch: Sie
        (SIE_HEAD + "Wie Ihr wisst, endet der Vertrag im März." + SIE_END, "Ihr"),
        (SIE_HEAD + "Danke für Ihr Vertrauen und Eure Geduld." + SIE_END, "Eure"),  # Sie beside Euch
    ],
)
def test_ihr_is_still_read_as_the_form_it_is(text, stray):
    assert mixed(text) == [stray]


def test_a_verb_a_third_person_shares_further_on_leaves_ihr_polite():
    text = SIE_HEAD + "Melden Sie sich gern, wenn Ihr neuer Steuerberater Unterlagen braucht." + SIE_END
    assert mixed(text) == []


# 4. The writer's own late reply is no blame ----------------------------------------------------


@pytest.mark.parametrize(
    "lang,sentence",
    [
        ("en", "Please excuse my late reply to your message of 2 October."),
        ("en", "Thank you for your patience with our late reply."),
        ("en", "Sorry for the late answer to your question about the export."),
        ("en", "Please forgive the late reply; the files are attached."),
        ("de", "Entschuldigen Sie meine späte Antwort auf Ihre Nachricht."),
    ],
)
def test_the_writers_own_lateness_is_no_blame(lang, sentence):
    assert [f.rule for f in lint(sentence + "\n", lang=lang) if f.category == "blame"] == []


@pytest.mark.parametrize("sentence", ["Your payments came late again in March.", "Your late reply cost us a week."])
def test_the_readers_lateness_is_still_blame(sentence):
    assert "blame/late" in [f.rule for f in lint(sentence + "\n", lang="en")]


# 5. A negative amount is refused as negative, not sent on to another refusal --------------


@pytest.mark.parametrize(
    "text,locale",
    [("-1.000", "en-GB"), ("\u22121.000", "en-US"), ("-1,000", "de-DE"), ("-2,500", "de-CH"), ("-2.505", "en-GB"), ("-1.000", None)],
)
def test_a_negative_amount_with_separators_is_refused_as_negative(text, locale):
    """A hint such as "write -1000.00" would only lead to the next refusal (amounts are
    positive): the sign is what is wrong, whatever the separators mean."""
    message = read_amount(text, locale)
    assert isinstance(message, str) and "is negative" in message, message
    assert "ambiguous" not in message and "decimal" not in message
    assert read_amount(text.lstrip("-\u2212"), locale) != message  # without the sign: read, or another hint


# 6. Shared helpers are public, in a module both callers can import -------------------------


def _private_imports(path: Path) -> list[str]:
    """The names starting with "_" that a module imports from a sibling module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            found += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
    return found


def test_the_address_and_structure_checks_import_no_private_helpers():
    for name in ("address.py", "structure.py"):
        assert _private_imports(LINT / name) == [], name


def test_the_letterhead_module_imports_neither_the_engine_nor_the_checks():
    tree = ast.parse((LINT / "letterhead.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not modules & {"engine", "address", "structure"}
