"""Lint fixes from the fifth acceptance run (drafts written by a tester, not in the corpus):
quotations in single quotes, Sie in a quotation inside a du letter, the words of a
suppression marker, structure checks on short signed notes."""

from __future__ import annotations

from letterkit.lint import lint


def rules(text: str, lang: str) -> list[str]:
    return [f.rule for f in lint(text, lang=lang)]


def letter(lang: str, sentence: str, *, du: bool = False) -> str:
    if lang == "de":
        greeting = "Hallo Max," if du else "Sehr geehrter Herr Krause,"
        end = "wir beenden den Vertrag zum 31. Dezember 2026."
        close = (
            "Vielen Dank und alles Gute.\n\nViele Grüße\nLena"
            if du
            else ("Vielen Dank und alles Gute.\n\nMit freundlichen Grüßen\nErika")
        )
        return f"{greeting}\n\n{end}\n\n{sentence}\n\nDie Schlussrechnung folgt separat.\n\n{close}\n"
    return (
        "Dear Mr Hughes,\n\nWe will end our agreement on 31 December 2026.\n\n"
        f"{sentence}\n\nThe final invoice follows separately.\n\nThank you and all the best.\n\n"
        "Yours sincerely\nEmma\n"
    )


def test_single_quoted_words_are_someone_elses():
    assert rules(letter("en", "Your note read 'you never answer'."), "en") == []
    assert rules(letter("en", "Your note read ‘you don’t ever answer’, which we understand."), "en") == []
    assert rules(letter("de", "Ihre Nachricht lautete: ‚Sie haben nie pünktlich geliefert.‘"), "de") == []
    # the writer's own words around a quotation still count; apostrophes open nothing
    assert "absolute/never" in rules(letter("en", "You never answer, as the clients' files show."), "en")
    assert "absolute/never" in rules(
        letter("en", "We can't wait: you never answer 'any of our' calls."), "en"
    )


def test_sie_in_a_quotation_does_not_mix_a_du_letter():
    quoted = "Deine Kollegin fragte uns: „Können Sie die Daten schicken?“ Das machen wir gern."
    assert "structure/mixed-address" not in rules(letter("de", quoted, du=True), "de")
    own = "Können Sie uns die Daten schicken? Das wäre nett von dir."
    assert "structure/mixed-address" in rules(letter("de", own, du=True), "de")


def test_a_suppression_marker_is_not_read_as_text():
    draft = letter("en", "You never replied. (letterkit-ignore: nonsense/rule)")
    found = rules(draft, "en")
    assert "hostile/insult" not in found and "absolute/never" in found
    assert rules(letter("en", "You never replied. (letterkit-ignore)"), "en") == []


def test_a_short_signed_note_gets_the_structure_checks():
    note = "Hallo Max,\n\nwir beenden die Zusammenarbeit.\n\nDanke für alles und viele Grüße\nLena\n"
    assert rules(note, "de") == ["structure/missing-end-date"]  # the sign-off thanks
    english = "Dear Mr Hughes,\n\nWe are ending our maintenance contract.\n\nYours sincerely\nEmma\n"
    assert set(rules(english, "en")) == {"structure/missing-end-date", "structure/missing-thanks"}
    # a snippet stays a snippet
    assert rules("Sehr geehrte Frau Meier,\n\nwir beenden die Zusammenarbeit.", "de") == []


def test_lower_case_ihnen_reads_the_salutation_and_genitive_plurals():
    # no "Sie" in the body, but the salutation of a Sie letter: 'ihnen' is the reader
    assert "structure/lowercase-ihnen" in rules(
        letter("de", "Gerne schicken wir ihnen die Unterlagen zu."), "de"
    )
    # 'ihnen' = the staff, named in the genitive plural before it
    staff = "Die Zugangsdaten Ihrer Mitarbeiter schicken wir ihnen direkt."
    assert "structure/lowercase-ihnen" not in rules(letter("de", staff), "de")


def test_a_seasons_greeting_that_looks_forward_lacks_no_end_date():
    german = (
        "Sehr geehrte Frau Schneider,\n\nzum Jahresende möchten wir uns herzlich bei Ihnen bedanken.\n\n"
        "Wir freuen uns auf das neue Jahr mit Ihnen.\n\nFrohe Weihnachten und alles Gute!\n\n"
        "Mit freundlichen Grüßen\nErika Muster\n"
    )
    assert rules(german, "de") == []
    english = (
        "Dear Ms Patel,\n\nAs the year comes to a close, we want to thank you for working with us.\n\n"
        "We look forward to continuing our partnership in 2027.\n\nSeason's greetings and all the best,\nEmma\n"
    )
    assert rules(english, "en") == []
    # a letter that ends the partnership still needs its date
    ending = english.replace(
        "We look forward to continuing our partnership in 2027.", "We are ending our partnership."
    )
    assert "structure/missing-end-date" in rules(ending, "en")
    plug = english.replace(
        "We look forward to continuing our partnership in 2027.",
        "We have decided to pull the plug on your account.",
    )
    assert "structure/missing-end-date" in rules(plug, "en")


def test_a_bilingual_draft_is_linted_paragraph_by_paragraph_in_its_own_language():
    draft = (
        "Dear Mr Hughes,\n\nWe will end our contract on 31 December 2026. Thank you for the years of "
        "working together.\n\nDeutsche Fassung:\n\nSehr geehrter Herr Hughes, wir beenden den Vertrag zum "
        "31. Dezember 2026. Sie haben es versäumt, die Rechnungen zu bezahlen, und wir werden rechtliche "
        "Schritte einleiten.\n\nKind regards,\nEmma\n"
    )
    found = lint(draft)
    assert {"blame/versaeumt", "threat/rechtliche-schritte"} <= {f.rule for f in found}
    assert all(f.line == 7 for f in found)  # the German paragraph, read as German
    # and the other way round: an English paragraph in a German letter
    german = (
        "Sehr geehrte Frau Schneider,\n\nwir beenden den Vertrag zum 31. Dezember 2026. Vielen Dank für "
        "alles.\n\nEnglish version: You failed to pay the invoice and you never answered our emails.\n\n"
        "Mit freundlichen Grüßen\nErika\n"
    )
    assert {"blame/failed-to", "absolute/never"} <= {f.rule for f in lint(german)}
    # with --lang the whole draft is read in that language
    assert "blame/versaeumt" not in {f.rule for f in lint(draft, lang="en")}


def test_a_structure_finding_in_a_sentence_shows_that_sentence():
    found = [f for f in lint(letter("de", "Gerne schicken wir ihnen die Unterlagen zu."), lang="de")]
    (ihnen,) = [f for f in found if f.rule == "structure/lowercase-ihnen"]
    assert ihnen.sentence == "Gerne schicken wir ihnen die Unterlagen zu." and ihnen.text == "ihnen"


def test_a_short_note_that_ends_nothing_gets_no_structure_findings():
    for note, lang in (
        ("Dear Ms Patel,\n\nPlease find attached the invoice for March.\n\nKind regards\nEmma\n", "en"),
        ("Hallo Max,\n\nkannst du mir bitte die Datei bis Freitag schicken?\n\nViele Grüße\nErika\n", "de"),
        (
            "Sehr geehrte Frau Roth,\n\nanbei die Unterlagen wie besprochen.\n\nMit freundlichen Grüßen\nErika Muster\n",
            "de",
        ),
    ):
        assert rules(note, lang) == [], note


def test_a_marker_inside_a_sentence_silences_only_its_own_words():
    draft = (
        "Dear Mr Hughes,\n\nWe have decided to end our work with you on the project (letterkit-ignore: shouting).\n\n"
        "Thank you and all the best.\n\nYours sincerely\nEmma\n"
    )
    assert "structure/missing-end-date" in rules(draft, "en")


def test_the_formal_salutation_counts_after_a_subject_line():
    draft = "Vertrag\n\n" + letter("de", "Gerne schicken wir ihnen die Unterlagen zu.")
    assert "structure/lowercase-ihnen" in rules(draft, "de")


def test_a_structure_finding_shows_its_sentence_on_one_line():
    draft = (
        "Dear Mr Hughes,\n\nWe will end our agreement on 31 December 2026.\n\nThank you.\n\nBest,\nErika\n"
    )
    for finding in lint(draft, lang="en"):
        assert "\n" not in finding.sentence


def test_a_double_dash_inside_a_sentence_is_no_signature_and_splits_clauses():
    draft = (
        "Dear Ms Roth\n\nWe are ending the agreement on 31 December 2026 -- frankly, you failed to pay\n--\n"
        "you never pay on time and as per my last email this is final.\n\n"
        "Thank you for working with us. We wish you all the best for the future.\n\nYours sincerely\nEmma Clarke\n"
    )
    found = lint(draft, lang="en")
    assert any(
        f.rule == "passive_aggressive/per-my-last-email" and f.line == 5 for f in found
    )  # linted after "--"
    dash = (
        "Wir kündigen den Vertrag zum 31. Dezember 2026 -- Sie haben es versäumt, die Rechnungen zu zahlen."
    )
    assert "blame/versaeumt" in rules(dash, "de")
    signed = (
        letter("en", "We are grateful for the years together.")
        + "--\nEmma Clarke\nIMPORTANT: THIS EMAIL IS CONFIDENTIAL.\n"
    )
    assert rules(signed, "en") == []


def test_a_real_signature_after_a_long_name_line_stays_hidden():
    draft = letter("en", "We are grateful for the years together.").replace(
        "Yours sincerely\nEmma\n",
        "Best regards,\nSophie Turner, Client Services Director\n-- \nKestrel Marketing Ltd\n"
        "This email is confidential. If you received it by mistake, you must delete it immediately.\n",
    )
    assert rules(draft, "en") == []
    bare = draft.replace("-- \nKestrel", "--\nwww.kestrel.example\nKestrel")
    assert rules(bare, "en") == []
