"""Rules 16b: condescension as a category of its own, reopening the decision for better terms,
pity for the next provider, "jedes Mal, wenn …" about a state on the reader's side, counts that
are no absolutes, a sincere apology that is no gloom, kind negations about payment, and bold
pressure words in every format. Each class with varied wording and its hard negatives; no
sentence of a held-out set is used here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import TemplateError
from letterkit.lint import lint
from letterkit.lint.rules import CATEGORIES, _compile_rule, load_rules


def rules(text: str, lang: str) -> list[str]:
    return [f.rule for f in lint(text + "\n", lang=lang)]


def categories(text: str, lang: str) -> list[str]:
    return [f.category for f in lint(text + "\n", lang=lang)]


# --- 1. condescension --------------------------------------------------------------------

CONDESCENDING = [
    ("Selbst Ihnen dürfte klar sein, dass es so nicht weitergehen kann.", "de", "condescension/selbst-ihnen"),
    ("Das müsste inzwischen sogar Ihre Buchhaltung begriffen haben.", "de", "condescension/selbst-ihnen"),
    ("Selbst du wirst zugeben, dass die Frist lange vorbei ist.", "de", "condescension/selbst-ihnen"),
    ("Ich erkläre es Ihnen gern noch einmal ganz langsam.", "de", "condescension/langsam-erklaert"),
    ("Wir buchstabieren es Ihnen gern extra langsam.", "de", "condescension/langsam-erklaert"),
    ("Wir legen die Aufstellung bei, damit auch Sie es verstehen.", "de", "condescension/langsam-erklaert"),
    ("Wie jeder weiß, sind Rechnungen sofort nach Erhalt fällig.", "de", "condescension/wie-jeder-weiss"),
    ("Wie jeder Handwerker weiß, kostet Material Geld.", "de", "condescension/wie-jeder-weiss"),
    (
        "Dass man Verträge liest, bevor man sie unterschreibt, weiß doch jedes Kind.",
        "de",
        "condescension/wie-jeder-weiss",
    ),
    (
        "Natürlich erwarten wir, dass die Schlussrechnung fristgerecht beglichen wird.",
        "de",
        "condescension/selbstverstaendlich-erwartet",
    ),
    (
        "Selbstverständlich gehen wir davon aus, dass du den Schlüssel zurückgibst.",
        "de",
        "condescension/selbstverstaendlich-erwartet",
    ),
    ("I'm sure even you will understand why this is necessary.", "en", "condescension/even-you"),
    ("Surely even your bookkeeper can see that these figures do not add up.", "en", "condescension/even-you"),
    ("Even your team should be able to follow the attached timeline.", "en", "condescension/even-you"),
    ("That should be obvious even to you by now.", "en", "condescension/even-you"),
    ("Let me explain it to you slowly, so there is no confusion.", "en", "condescension/explain-slowly"),
    ("We will repeat this very slowly for your office manager.", "en", "condescension/explain-slowly"),
    ("Here it is again, in words of one syllable.", "en", "condescension/explain-slowly"),
    ("As everyone knows, a signed order is binding.", "en", "condescension/everyone-knows"),
    ("Any five-year-old could work out that the invoice is overdue.", "en", "condescension/everyone-knows"),
    (
        "Obviously, we expect the final invoice to be settled promptly.",
        "en",
        "condescension/obviously-we-expect",
    ),
    (
        "Clearly we expect every laptop to be returned before the end date.",
        "en",
        "condescension/obviously-we-expect",
    ),
    (
        "It goes without saying that your team has to clear the unit by Friday.",
        "en",
        "condescension/obviously-we-expect",
    ),
]


@pytest.mark.parametrize("text,lang,rule", CONDESCENDING, ids=[c[0][:40] for c in CONDESCENDING])
def test_condescension_is_flagged_in_its_own_category(text: str, lang: str, rule: str) -> None:
    found = lint(text + "\n", lang=lang)
    assert rule in [f.rule for f in found]
    assert "condescension" in [f.category for f in found]


QUIET_EXPLANATIONS = [
    ("Wir erklären Ihnen gern die nächsten Schritte.", "de"),
    ("Selbstverständlich erhalten Sie alle Unterlagen.", "de"),
    ("Of course we will send you the files.", "en"),
    ("Let me explain the handover steps.", "en"),
    ("Natürlich erwarten wir Sie gern zur Übergabe am 14. März.", "de"),
    ("Selbst Ihnen als Stammkunden können wir den alten Tarif nicht mehr anbieten.", "de"),
    ("Jeder in unserem Büro weiß, wie sehr wir die Zusammenarbeit geschätzt haben.", "de"),
    ("Es versteht sich von selbst, dass wir Ihre Unterlagen vertraulich behandeln.", "de"),
    ("Naturally, we expect a smooth transition to your new agency.", "en"),
    ("Everyone at our studio will miss working with your team.", "en"),
    ("Even your oldest files from 2015 are in the archive.", "en"),
]


@pytest.mark.parametrize("text,lang", QUIET_EXPLANATIONS, ids=[c[0][:40] for c in QUIET_EXPLANATIONS])
def test_explanations_and_promises_stay_quiet(text: str, lang: str) -> None:
    assert rules(text, lang) == []


def test_offensichtlich_about_the_reader_stays_a_finding() -> None:
    # "Offensichtlich haben Sie …" was already sarcasm/offensichtlich (whose message calls it
    # condescending); it is left there, so a configuration that names the rule keeps working
    assert "sarcasm/offensichtlich" in rules(
        "Offensichtlich haben Sie den Lieferschein nie unterschrieben.", "de"
    )


def test_the_slow_explanation_is_one_finding_not_two() -> None:
    # "noch einmal ganz langsam" left passive_aggressive/deutlich-gesagt for the new category
    assert rules("Ich erkläre es Ihnen gern noch einmal ganz langsam.", "de") == [
        "condescension/langsam-erklaert"
    ]
    assert (
        rules("Even you must realise that this cannot go on.", "en").count("passive_aggressive/as-you-know")
        == 0
    )


def test_the_category_is_declared_documented_and_selectable(tmp_path: Path) -> None:
    assert "condescension" in CATEGORIES
    assert {r.category for lang in ("de", "en") for r in load_rules(lang)} >= {"condescension"}
    assert "condescension" in (Path(__file__).resolve().parent.parent / "docs" / "lint.md").read_text(
        encoding="utf-8"
    )
    runner = CliRunner()
    listed = runner.invoke(main, ["rules", "--lang", "en"])
    assert listed.exit_code == 0 and "condescension/even-you" in listed.output
    explained = runner.invoke(main, ["rules", "condescension/wie-jeder-weiss"])
    assert explained.exit_code == 0 and "Use instead:" in explained.output
    draft = tmp_path / "draft.txt"
    draft.write_text("I'm sure even you will understand why this is necessary.\n", encoding="utf-8")
    report = runner.invoke(
        main, ["lint", str(draft), "--lang", "en", "--format", "json", "--select", "condescension"]
    )
    (finding,) = json.loads(report.output)["findings"]
    assert finding["category"] == "condescension" and finding["suggestion"]
    ignored = runner.invoke(main, ["lint", str(draft), "--lang", "en", "--ignore", "condescension"])
    assert "condescension/" not in ignored.output


# --- 2. reopening for better terms --------------------------------------------------------

REOPENING = [
    ("Falls Sie uns ein attraktiveres Angebot vorlegen, nehmen wir die Kündigung zurück.", "de"),
    ("Sollten Sie einen höheren Tagessatz akzeptieren, ziehen wir unsere Kündigung gern zurück.", "de"),
    ("Bei einer Honorarerhöhung um zehn Prozent wäre die Kündigung für uns vom Tisch und hinfällig.", "de"),
    ("Zahlen Sie künftig 20 Prozent mehr, bleiben wir gern Ihr Partner.", "de"),
    ("Wir ziehen die Kündigung zurück, wenn ihr unseren neuen Preisen zustimmt.", "de"),
    ("If you're willing to pay our revised day rate, we'll withdraw the notice.", "en"),
    ("Should you agree to pay more, we could keep you on.", "en"),
    ("Offer us a better rate and we will happily reconsider the termination.", "en"),
    ("We would rescind our notice in exchange for a higher retainer.", "en"),
    ("If you accept a fee increase of 15%, the termination is off the table.", "en"),
]


@pytest.mark.parametrize("text,lang", REOPENING, ids=[c[0][:40] for c in REOPENING])
def test_taking_the_notice_back_for_better_terms_reopens_it(text: str, lang: str) -> None:
    assert "reopening" in categories(text, lang)


REOPENING_QUIET = [
    ("Wenn Sie Fragen zur Übergabe haben, melden Sie sich gern.", "de"),
    ("Wir löschen Ihre Daten am 30. April, es sei denn, Sie möchten sie länger aufbewahren.", "de"),
    ("Auch bei einem höheren Honorar ziehen wir die Kündigung nicht zurück.", "de"),
    ("Should anything about the handover be unclear, Priya is happy to help.", "en"),
    ("The archive is deleted on 30 April, unless you tell us to hold it for another month.", "en"),
    ("If you found a better offer elsewhere, we wish you every success with it.", "en"),
]


@pytest.mark.parametrize("text,lang", REOPENING_QUIET, ids=[c[0][:40] for c in REOPENING_QUIET])
def test_questions_logistics_and_a_plain_no_stay_quiet(text: str, lang: str) -> None:
    assert "reopening" not in categories(text, lang)


# --- 3. pity or sarcasm about the next provider ---------------------------------------------

SUCCESSOR = [
    ("Vielleicht hat Ihr nächster Steuerberater ja mehr Geduld mit Ihren Belegen.", "de"),
    ("Hoffentlich bringt Ihre neue Agentur mehr Verständnis für Ihre Sonderwünsche auf.", "de"),
    ("Ihre künftige Hausverwaltung wird Ihre Beschwerden bestimmt ebenso genießen wie wir.", "de"),
    ("I'm sure your next agency will enjoy your comments as much as we did.", "en"),
    ("Perhaps your next web developer will have more patience for your change requests.", "en"),
    ("No doubt your new landlord will love your late-night phone calls as much as we have.", "en"),
]


@pytest.mark.parametrize("text,lang", SUCCESSOR, ids=[c[0][:40] for c in SUCCESSOR])
def test_pity_for_the_next_provider_is_sarcasm(text: str, lang: str) -> None:
    found = rules(text, lang)
    assert {"sarcasm/nachfolger-bemitleiden", "sarcasm/pity-the-successor"} & set(found)


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Wir wünschen Ihnen mit Ihrem neuen Dienstleister viel Erfolg.", "de"),
        ("Ihr neuer Anbieter hat mehr Kapazität für Ihre wachsende Filiale.", "de"),
        ("We're happy to brief your next agency.", "en"),
        ("Your next provider will have more capacity for your online shop.", "en"),
    ],
)
def test_good_wishes_and_a_briefing_stay_quiet(text: str, lang: str) -> None:
    assert rules(text, lang) == []


# --- 4. "jedes Mal, wenn …" about the reader's side --------------------------------------------


@pytest.mark.parametrize(
    "text,lang,rule",
    [
        (
            "Jedes Mal, wenn unser Techniker zur Wartung kam, war Ihr Serverraum abgeschlossen.",
            "de",
            "absolute/jedes-mal-wenn",
        ),
        ("Immer wenn unsere Gärtner kamen, war euer Tor verschlossen.", "de", "absolute/jedes-mal-wenn"),
        ("Every time our engineer arrived, your server room was locked.", "en", "absolute/every-time"),
        ("Whenever our driver turned up, your loading bay was blocked.", "en", "absolute/every-time"),
    ],
)
def test_every_time_the_readers_side_was_shut_is_an_absolute(text: str, lang: str, rule: str) -> None:
    assert rule in rules(text, lang)


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Jedes Mal, wenn Sie anrufen, erreichen Sie unser Team direkt.", "de"),
        ("Immer wenn du nachfragst, antworten wir innerhalb eines Tages.", "de"),
        ("Every time you call, you reach our team directly.", "en"),
    ],
)
def test_a_kind_fact_every_time_stays_quiet(text: str, lang: str) -> None:
    assert "absolute" not in categories(text, lang)


# --- 5a. a count is no absolute; "ohne Grund" has its own rule ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sie haben die Abnahme dreimal verschoben.",
        "Sie haben die Lieferung zweimal reklamiert.",
        "Sie haben die Abnahme 3-mal verschoben.",
        "Sie haben die Rechnung fünf Mal angemahnt bekommen.",
    ],
)
def test_a_count_is_no_absolute(text: str) -> None:
    assert "absolute/immer" not in rules(text, "de")


def test_exaggeration_and_repetition_words_stay_absolutes() -> None:
    assert "absolute/immer" in rules("Sie haben die Abnahme zigmal verschoben.", "de")
    assert "absolute/staendig" in rules("Ständig verschieben Sie die Abnahme.", "de")
    assert "absolute/jedes-mal-wenn" in rules("Jedes Mal, wenn wir liefern, reklamieren Sie etwas.", "de")


def test_ohne_grund_is_its_own_rule_with_a_suggestion_that_fits() -> None:
    (finding,) = [f for f in lint("Sie haben die Abnahme dreimal ohne Grund verweigert.\n", lang="de")]
    assert finding.rule == "blame/grundlos" and finding.text == "ohne Grund"
    assert "Abnahme" in finding.suggestion and "Rechnungsbetrag" not in finding.suggestion
    (eigen,) = [r for r in load_rules("de") if r.id == "blame/eigenmaechtig"]
    # the suggestion fits its photo and payment matches alike, without either story (lintfix27)
    assert "ohne Rücksprache" in eigen.suggest and "Namensnennung" not in eigen.suggest
    (no_reason,) = [
        f
        for f in lint("You refused the sign-off twice for no reason.\n", lang="en")
        if f.category == "blame" and f.rule != "blame/refused"
    ]
    assert no_reason.rule == "blame/no-reason" and "sign-off" in no_reason.suggestion


# --- 5b. a sincere apology is no gloom; one note a sentence ---------------------------------


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Leider haben wir vergessen, Ihnen die Schlüsselliste beizulegen; das bedauern wir.", "de"),
        ("Leider ist uns bei der Märzabrechnung ein Fehler unterlaufen, das bedauern wir sehr.", "de"),
        ("Wir bedauern unser Versehen bei der Lieferadresse.", "de"),
        ("We regret our mistake with the April invoice.", "en"),
        ("We are sorry we missed the deadline for your report.", "en"),
        ("Unfortunately we overlooked your email of 3 May; we regret it.", "en"),
    ],
)
def test_apologising_for_our_own_mistake_is_no_negative_framing(text: str, lang: str) -> None:
    # neither a rule nor the tone model (which reads the mistake without the "unfortunately")
    assert "negative_framing" not in categories(text, lang)


def test_at_most_one_leider_note_a_sentence() -> None:
    text = "Leider müssen wir Ihnen mitteilen, dass wir die Betreuung zu unserem Bedauern beenden."
    assert rules(text, "de").count("negative_framing/leider") == 1
    # two sentences: two notes
    two = "Leider endet der Vertrag. Zu unserem Bedauern können wir ihn nicht verlängern."
    assert rules(two, "de").count("negative_framing/leider") == 2
    assert (
        rules("Sadly, the contract unfortunately ends on 30 June.", "en").count(
            "negative_framing/unfortunately"
        )
        == 1
    )
    # the reader's mistake is no apology of ours
    assert "negative_framing/leider" in rules(
        "Leider müssen wir Ihnen mitteilen, dass Sie die Frist versäumt haben.", "de"
    )


# --- 5c. kind negations about payment ------------------------------------------------------


@pytest.mark.parametrize(
    "text,lang",
    [
        ("You never have to pay for the export.", "en"),
        ("You will never pay anything for the handover.", "en"),
        ("You'll never be charged for the archive copy.", "en"),
        ("Sie müssen für die Übergabe nie etwas bezahlen.", "de"),
        ("Für den Export zahlst du nie extra.", "de"),
    ],
)
def test_a_payment_the_reader_never_makes_is_a_kind_fact(text: str, lang: str) -> None:
    assert rules(text, lang) == []


@pytest.mark.parametrize(
    "text,lang",
    [
        ("You never paid anything for the extra design work.", "en"),
        ("Sie haben für die Zusatzarbeiten nie etwas bezahlt.", "de"),
    ],
)
def test_never_having_paid_stays_an_accusation(text: str, lang: str) -> None:
    assert {"absolute", "blame"} & set(categories(text, lang))


# --- 6. bold pressure words ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,lang",
    [
        ("d.md", "Die Zahlung ist **spätestens** am 15. Januar fällig.\n", "de"),
        ("d.md", "Die Schlüssel sind __sofort__ abzugeben.\n", "de"),
        ("d.txt", "Die Geräte sind **ausnahmslos** zurückzugeben.\n", "de"),
        ("d.html", "<p>Die Rückgabe ist <b>zwingend</b> bis Ende März zu erledigen.</p>\n", "de"),
        ("d.html", "<p>Die Zahlung hat <strong>umgehend</strong> zu erfolgen.</p>\n", "de"),
        ("d.md", "The final invoice is due **no later than** 15 January.\n", "en"),
        ("d.md", "All keys **must** be returned.\n", "en"),
        ("d.html", "<p>The badges are to be handed in <u>without exception</u>.</p>\n", "en"),
        ("d.txt", "The equipment is to be collected **immediately**.\n", "en"),
    ],
)
def test_a_bold_pressure_word_is_shouting_in_every_format(
    tmp_path: Path, name: str, content: str, lang: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    found = [f for f in lint(path, lang=lang) if f.category == "shouting"]
    assert len(found) == 1  # the emphasis rule and the plain-text mark rule are one problem


def test_a_bold_pressure_word_in_a_docx(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    paragraph = document.add_paragraph("Die Zahlung ist ")
    paragraph.add_run("spätestens").bold = True
    paragraph.add_run(" am 15. Januar fällig.")
    path = tmp_path / "d.docx"
    document.save(str(path))
    assert [f.rule for f in lint(path, lang="de") if f.category == "shouting"] == ["shouting/hervorhebung"]


@pytest.mark.parametrize(
    "name,content,lang",
    [
        ("d.md", "Die Zahlung ist spätestens am 15. Januar fällig.\n", "de"),
        ("d.md", "Wir übergeben die Dateien **am 15. Januar**.\n", "de"),
        ("d.md", "The final invoice is due no later than 15 January.\n", "en"),
        ("d.md", "The farewell lunch is on **12 March**.\n", "en"),
    ],
)
def test_plain_pressure_words_and_bold_dates_stay_quiet(
    tmp_path: Path, name: str, content: str, lang: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert [f for f in lint(path, lang=lang) if f.category == "shouting"] == []


def test_a_pressure_word_in_capitals_is_shouting_as_before() -> None:
    assert "shouting" in categories("Die Zahlung ist SPÄTESTENS am 15. Januar fällig.", "de")
    assert "shouting" in categories("The keys must be back with us NO LATER THAN Friday.", "en")


def test_pressure_words_must_be_a_list_of_words() -> None:
    raw = {"id": "x", "kind": "emphasis", "severity": "warning", "message": "m", "pressure_words": "sofort"}
    with pytest.raises(TemplateError, match=re.escape("de/emphasis.yaml: rule x: 'pressure_words'")):
        _compile_rule(raw, {"category": "shouting"}, "de", "de/emphasis.yaml")
