"""Session 26, tester12: the rules written for an editor's blind drafts catch the same idea in
other words and stay quiet on the harmless uses. The sentences here are paraphrases that are not
the rules' own examples (those run in test_lint_rules.py)."""

from __future__ import annotations

import pytest

from letterkit.lint import lint

FLAGGED = [
    ("de", "Unsere Juristin hat die offenen Rechnungen bereits auf dem Tisch."),
    ("de", "Ich habe in diesem Jahr wirklich viel Geduld mit dir gehabt."),
    ("de", "Die Zusammenarbeit war eine Übung der Demut."),
    ("de", "Für Ihr nächstes Bauprojekt wünsche ich Ihnen mehr Weitsicht bei der Planung."),
    ("de", "Die Texte waren für Januar versprochen, kamen aber erst im April."),
    ("de", "Die zugesagten Freigaben blieben aus."),
    ("de", "Es wäre gut, wenn du dich vor dem nächsten Umzug mit den Grundlagen des Mietrechts beschäftigst."),
    ("de", "Sie brauchen eine Agentur, die Sie an die Hand nimmt."),
    ("de", "Ich arbeite lieber mit Klienten, die bereit sind, sich einzubringen."),
    ("de", "Unser Angebot blieb ungelesen."),
    ("en", "Your imaginative reading of the lease has kept us busy."),
    ("en", "Thank you for your creative approach to the payment schedule."),
    ("en", "The signed contract was promised for May and never arrived."),
    ("en", "The agreed deposit never materialised."),
    ("en", "We only work with clients who are willing to put in the work."),
    ("en", "Most coaches get on better with people who know their own minds."),
    ("en", "Honestly, you need someone who will hold your hand."),
    ("en", "My hope is that your next accountant teaches you the importance of deadlines."),
    ("en", "Our proposal was simply ignored."),
]

QUIET = [
    ("de", "Sollten Sie den Aufhebungsvertrag juristisch prüfen lassen wollen, senden wir Ihnen die Anlagen gern vorab."),
    ("de", "Unsere Juristin hat den Aufhebungsvertrag für Sie vorbereitet."),
    ("de", "Wir danken Ihnen, dass Sie so viel Geduld bewiesen haben."),
    ("de", "Wir wünschen Ihnen eine glückliche Hand mit dem neuen Team."),
    ("de", "Die Ware wurde vom Lieferanten zugesagt, aber nie geliefert."),
    ("de", "Die Grundlagen der Buchhaltung finden Sie im Handbuch, das wir Ihnen geschickt haben."),
    ("de", "Ich wünsche dir, dass du aus dieser Erfahrung viel Gutes mitnimmst."),
    ("de", "Wir betreuen künftig nur Kunden, die mehr als zehn Mitarbeitende haben."),
    ("de", "Die Entscheidung betrifft alle Kunden dieser Version, nicht nur Ihre Kanzlei."),
    ("en", "This affects every customer on that edition, not only your firm."),
    ("en", "The photos were promised by the courier but never arrived."),
    ("en", "We now focus on clients who need weekly deliveries."),
    ("en", "Thank you to the tenants who take the house rules seriously."),
    ("en", "I hope the new role teaches you lots and that you enjoy it."),
    ("en", "We will hold your hand through the migration, step by step."),
    ("en", "Our recommendations were implemented in June and have worked well."),
]


def _tone(text: str, lang: str) -> list[str]:
    return [f.rule for f in lint(text, lang=lang) if f.category != "structure"]


@pytest.mark.parametrize("lang,text", FLAGGED)
def test_paraphrase_is_flagged(lang: str, text: str) -> None:
    assert _tone(text, lang), text


@pytest.mark.parametrize("lang,text", QUIET)
def test_harmless_use_stays_quiet(lang: str, text: str) -> None:
    assert _tone(text, lang) == [], text


@pytest.mark.parametrize(
    "lang,letter",
    [
        ("de", "Hallo Marco,\n\nich beende unser Training. Unsere letzte Sitzung findet am 18. Dezember statt.\n\n"
               "Danke für alles und alles Gute!\n\nViele Grüße\nLena\n"),
        ("en", "Dear Ms Hale,\n\nWe are ending the cleaning contract. The final clean will be on 12 March.\n\n"
               "Thank you for the years together, and all the best.\n\nKind regards\nSam\n"),
    ],
)
def test_last_session_date_is_the_end_date(lang: str, letter: str) -> None:
    assert "structure/missing-end-date" not in [f.rule for f in lint(letter, lang=lang)]
