"""Acceptance findings (seventh run) of a native-editor review of the wording: each test
names the finding it checks and fails on the wording the review found."""

from __future__ import annotations

import copy
import re
from functools import cache
from itertools import pairwise
from typing import Any

import pytest
import yaml
from conftest import BASE, ROOT
from test_spelling import DICTIONARY, checkable, require_hunspell, unknown_words, without_names

import letterkit
from letterkit.lint import lint

SENDER = BASE["sender"]
RECIPIENT = {**BASE["recipient"], "email": "anna@beispiel.de"}
PERSON = {
    "gender": "female",
    "first_name": "Maren",
    "last_name": "Schulz",
    "street": "Domplatz 4",
    "postal_code": "99084",
    "city": "Erfurt",
    "email": "maren@example.de",
}


def data(locale: str = "de-DE", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "locale": locale,
        "date": "2026-11-26",
        "sender": copy.deepcopy(SENDER),
        "recipient": copy.deepcopy(RECIPIENT),
        "end_date": "2026-12-31",
    }
    base.update(changes)
    return base


def part(letter: letterkit.Letter, name: str) -> str:
    """The text of the paragraph that holds part ``name`` ('' when the letter has none)."""
    return next((block.text for block in letter.blocks if name in block.parts), "")


@cache
def hunspell_checked() -> None:
    """hunspell and its dictionaries are there (checked once; each check starts four processes)."""
    require_hunspell()


def clean(letter: letterkit.Letter) -> None:
    """The letter passes letterkit's own lint (as composed and as plain text) and hunspell."""
    assert letter.findings == (), [(f.rule, f.text) for f in letter.findings]
    text = "\n\n".join([letter.subject, letter.salutation, letter.body, letter.closing, *letter.signature])
    assert lint(text, lang=letter.lang, locale=letter.locale) == []
    hunspell_checked()
    prose = checkable(without_names(letter.body, NAMES), letter.lang)
    assert unknown_words(DICTIONARY[letter.locale], prose) == ()


def compose(locale: str = "de-DE", **changes: Any) -> letterkit.Letter:
    letter = letterkit.compose(data(locale, **changes))
    clean(letter)
    return letter


# proper names and a contract's name (input) in these tests' letters, which the spelling
# check leaves out
NAMES = (
    "Elbe IT Service",
    "Main Data GmbH",
    "Tim Lorenz",
    "Ruth Evans",
    "Lorenz",
    "Evans",
    "Lektoratsauftrag",
    "AWS",
    "Tableau",
    "Xero",
)

CONTACT = {"name": "Tim Lorenz", "email": "t.lorenz@example.de", "phone": "+49 391 555"}


# 1. The contact sentence: "erreichen Sie Tim Lorenz." read as cut off; "you can reach" was
#    a calque of the German.


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ({"name": "Tim Lorenz"}, "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte an Tim Lorenz."),
        (
            CONTACT,
            "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte an Tim Lorenz unter t.lorenz@example.de "
            "oder telefonisch unter +49 391 555.",
        ),
    ],
)
def test_german_contact_asks_the_reader_to_turn_to_the_contact(
    contact: dict[str, str], expected: str
) -> None:
    letter = compose(handover={"contact": contact})
    assert part(letter, "contact").startswith(expected)
    assert "erreichen Sie" not in letter.body


@pytest.mark.parametrize("channel", ["letter", "email"])
def test_german_du_contact_and_the_sender_herself(channel: str) -> None:
    du = compose(
        register="du", channel=channel, recipient=PERSON, handover={"contact": {"name": "Tim Lorenz"}}
    )
    assert "Bei Fragen zum weiteren Ablauf melde dich gern bei Tim Lorenz." in part(du, "contact")
    herself = compose()
    # round 21: the signer of a company's letter says "uns", as the letter says "wir"
    assert part(herself, "contact").startswith(
        "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte an uns unter erika.muster@example.de."
    )


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (
            {"name": "Ruth Evans"},
            "If you have any questions about the next steps, please contact Ruth Evans.",
        ),
        (
            {"name": "Ruth Evans", "email": "ruth@example.com", "phone": "+44 117 496"},
            "If you have any questions about the next steps, please contact Ruth Evans "
            "at ruth@example.com or +44 117 496.",
        ),
    ],
)
def test_english_contact_is_not_a_calque(locale: str, contact: dict[str, str], expected: str) -> None:
    letter = compose(locale, handover={"contact": contact})
    assert part(letter, "contact").startswith(expected)
    assert "you can reach" not in letter.body
    herself = compose(locale)
    assert "please contact us at erika.muster@example.de." in part(herself, "contact")  # round 21: "us"


# 2. The reference label „Vertrag vom: 1. März 2019“ reads as half a sentence.


@pytest.mark.parametrize(
    ("locale", "label", "value"),
    [
        ("de-DE", "Vertragsdatum", "1. März 2019"),
        ("de-AT", "Vertragsdatum", "1. März 2019"),
        ("en-GB", "Contract date", "1 March 2019"),
        ("en-US", "Contract date", "March 1, 2019"),
    ],
)
def test_contract_date_label_is_a_noun(locale: str, label: str, value: str) -> None:
    name = "Wartungsvertrag" if locale.startswith("de") else "Support Agreement"
    letter = compose(locale, contract={"name": name, "date": "2019-03-01"})
    assert (label, value) in [(r.label, r.value) for r in letter.references]
    assert "Vertrag vom" not in [r.label for r in letter.references]


# 3. Words that differ between British and American business English: a credit note is a
#    credit memo in the US, and a handover is a transition.

CREDIT = {"amount": 50, "kind": "prepayment", "method": "credit_note", "by": "2027-01-05"}
MEETING = {"meeting": "2026-12-15", "support_until": "2027-01-31"}


def test_us_letters_send_a_credit_memo_and_uk_letters_a_credit_note() -> None:
    us = compose("en-US", refund=CREDIT, handover=MEETING)
    assert "we will send you a credit memo for the unused $50.00 of your prepayment." in part(us, "refund")
    assert "credit note" not in us.body
    uk = compose("en-GB", refund=CREDIT, handover=MEETING)
    assert "we will send you a credit note for the unused £50.00 of your prepayment." in part(uk, "refund")


def test_us_letters_speak_of_a_transition_and_uk_letters_of_a_handover() -> None:
    us = part(compose("en-US", handover=MEETING), "handover")
    assert us.startswith("For a smooth transition, we suggest a meeting on December 15, 2026.")
    assert "questions about the transition by email" in us
    assert "handover" not in us
    uk = part(compose("en-GB", handover=MEETING), "handover")
    assert uk.startswith("For a smooth handover, we suggest a meeting on 15 December 2026.")
    assert "questions about the handover by email" in uk


# 4. The handover paragraph invited "your new provider" and then recommended providers
#    "if you are still looking": with recommendations, the invitation is conditional.

PROVIDERS = {"meeting": "2026-12-15", "providers": ["Elbe IT Service", "Main Data GmbH"]}


@pytest.mark.parametrize(("register", "reader"), [("sie", "Ihrem"), ("du", "deinem")])
def test_german_invitation_waits_for_the_choice_of_provider(register: str, reader: str) -> None:
    recipient = PERSON if register == "du" else RECIPIENT
    text = part(compose(register=register, recipient=recipient, handover=PROVIDERS), "handover")
    assert (
        f"vor, gern auch gemeinsam mit {reader} künftigen Anbieter, sobald feststeht, wer das sein wird."
    ) in text
    assert "auf der Suche" in text
    plain = part(
        compose(register=register, recipient=recipient, handover={"meeting": "2026-12-15"}), "handover"
    )
    assert plain.endswith(f"vor, gern auch gemeinsam mit {reader} künftigen Anbieter.")  # round 21


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_english_invitation_waits_for_the_choice_of_provider(locale: str) -> None:
    text = part(compose(locale, handover=PROVIDERS), "handover")
    assert "Your new provider, once chosen, is welcome to join us. If you are still looking" in text
    plain = part(compose(locale, handover={"meeting": "2026-12-15"}), "handover")
    assert plain.endswith("Your new provider is welcome to join us.")


# 5. The scope reason: „und Sie sollen die Qualität erhalten …“ / "and you deserve the
#    quality …" told the reader what they deserve; now we say what we could no longer give.


@pytest.mark.parametrize(
    ("locale", "register", "expected"),
    [
        (
            "de-DE",
            "sie",
            "Unser Team ist auf diesen Umfang nicht ausgelegt; die Qualität, die Sie zu Recht erwarten, "
            "könnten wir so nicht mehr sicherstellen.",
        ),
        (
            "de-DE",
            "du",
            "Unser Team ist auf diesen Umfang nicht ausgelegt; die Qualität, die du zu Recht erwartest, "
            "könnten wir so nicht mehr sicherstellen.",
        ),
        (
            "en-GB",
            None,
            "Our team is not set up for work on that scale, and we could no longer give you the quality "
            "you rightly expect.",
        ),
        (
            "en-US",
            None,
            "Our team is not set up for work on that scale, and we could no longer give you the quality "
            "you rightly expect.",
        ),
    ],
)
def test_scope_reason_says_what_we_could_no_longer_give(
    locale: str, register: str | None, expected: str
) -> None:
    extra: dict[str, Any] = {"register": register, "recipient": PERSON} if register == "du" else {}
    for channel in ("letter", "email"):
        text = part(compose(locale, reasons=["scope"], channel=channel, **extra), "reasons")
        assert text.endswith(expected)


# 6. After reminders or a deadline alone, „Eine Lösung, die für beide Seiten dauerhaft
#    trägt, hat sich daraus nicht ergeben.“ implied that the reader ignored the letters; and
#    a deadline after reminders said „schriftlich“ a second time in a row.

REMINDERS = {"kind": "reminders", "count": 2}
DEADLINE = {"kind": "deadline", "date": "2026-10-15"}
MEETING_STEP = {"kind": "meeting", "date": "2026-09-01"}


def steps(locale: str = "de-DE", *taken: dict[str, Any], **changes: Any) -> str:
    return part(compose(locale, steps_taken=list(taken), **changes), "steps")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (a full stop after a digit ends no sentence: "1. Juli")."""
    return [s for s in re.split(r"(?<=\D[.])\s+(?=[A-ZÄÖÜ])", text) if s]


@pytest.mark.parametrize("taken", [[REMINDERS], [DEADLINE], [REMINDERS, DEADLINE]])
def test_no_outcome_sentence_after_reminders_or_a_deadline_alone(taken: list[dict[str, Any]]) -> None:
    du = steps("de-DE", *taken, register="du", recipient=PERSON)
    assert "Lösung" not in du
    assert "Lösung" not in steps("de-CH", *taken)
    for locale in ("en-GB", "en-US"):
        assert "arrangement" not in steps(locale, *taken)


def test_the_outcome_follows_steps_taken_together() -> None:
    assert steps("de-DE", REMINDERS, MEETING_STEP, DEADLINE).endswith(
        "Eine Lösung, die für beide Seiten dauerhaft trägt, hat sich dabei nicht ergeben."
    )
    assert steps("en-GB", REMINDERS, MEETING_STEP).endswith(
        "We have not found an arrangement that works for both sides in the long term."
    )


def test_a_deadline_after_reminders_says_in_writing_once() -> None:
    german = steps("de-DE", REMINDERS, DEADLINE)
    assert german == (
        "Wir haben uns zweimal schriftlich an Sie gewandt. "
        "Danach haben wir Ihnen zur Klärung eine Frist bis zum 15. Oktober 2026 gesetzt."
    )
    alone = steps("de-DE", DEADLINE)
    assert alone == "Zur Klärung haben wir Ihnen schriftlich eine Frist bis zum 15. Oktober 2026 gesetzt."
    english = steps("en-GB", REMINDERS, DEADLINE)
    assert english == (
        "We have followed up with you in writing twice. After that, we asked you for a resolution by 15 October 2026."
    )


# 7. Several steps opened alike: four sentences in a row „Am … haben wir …“, or
#    „Wir haben … Wir haben …“. Later steps now open with a linking word when the steps run
#    forward in time.

FIVE = [
    {"kind": "reminders", "dates": ["2026-07-01"]},
    {"kind": "meeting", "date": "2026-08-15"},
    {"kind": "call", "date": "2026-09-01"},
    {"kind": "revised_scope", "date": "2026-09-10"},
    {"kind": "deadline", "date": "2026-10-15"},
]


def openings(text: str) -> list[str]:
    return [" ".join(s.split()[:1]) for s in sentences(text)]


@pytest.mark.parametrize("locale", ["de-DE", "de-AT", "en-GB", "en-US"])
def test_five_steps_do_not_open_alike(locale: str) -> None:
    text = steps(locale, *FIVE)
    first = openings(text)
    assert all(a != b for a, b in pairwise(first)), text


def test_five_steps_in_german_and_english() -> None:
    assert steps("de-DE", *FIVE) == (
        "Am 1. Juli 2026 haben wir uns schriftlich an Sie gewandt. "
        "Danach haben wir am 15. August 2026 in einem persönlichen Gespräch gemeinsam nach einem gangbaren "
        "Weg gesucht. "
        "Am 1. September 2026 haben wir telefonisch über Möglichkeiten gesprochen, die Zusammenarbeit anders "
        "zu gestalten. "
        "Anschließend haben wir Ihnen am 10. September 2026 einen angepassten Leistungsumfang vorgeschlagen. "
        "Zuletzt haben wir Ihnen zur Klärung schriftlich eine Frist bis zum 15. Oktober 2026 gesetzt. "
        "Eine Lösung, die für beide Seiten dauerhaft trägt, hat sich dabei nicht ergeben."
    )
    assert steps("en-US", *FIVE) == (
        "On July 1, 2026, we followed up with you in writing. "
        "After that, on August 15, 2026, we met in person to look for a workable way forward together. "
        "On September 1, 2026, we spoke by phone about ways to arrange our work together differently. "
        "Later, on September 10, 2026, we proposed a revised scope of services to you. "
        "Most recently, we asked you in writing for a resolution by October 15, 2026. "
        "We have not found an arrangement that works for both sides in the long term."
    )


@pytest.mark.parametrize("register", ["sie", "du"])
def test_two_undated_steps_in_german(register: str) -> None:
    extra: dict[str, Any] = {"register": "du", "recipient": PERSON} if register == "du" else {}
    text = steps("de-DE", {"kind": "reminders", "count": 1}, {"kind": "payment_plan"}, **extra)
    assert text.startswith("Wir haben uns schriftlich an")
    assert "gewandt. Danach haben wir" in text


def test_steps_out_of_order_get_no_then() -> None:
    # steps listed backwards are told in the order they happened (all dated), so "Danach" fits
    backwards = [{"kind": "meeting", "date": "2026-09-01"}, {"kind": "call", "date": "2026-08-01"}]
    assert sentences(steps("de-DE", *backwards))[1].startswith("Danach haben wir am 1. September 2026")
    assert sentences(steps("en-GB", *backwards))[0].startswith("On 1 August 2026")
    overlapping = [{"kind": "reminders", "dates": ["2026-07-01", "2026-09-05"]}, MEETING_STEP]
    assert "Danach" not in steps("de-DE", *overlapping)


@pytest.mark.parametrize("reason", ["payment_terms", "missing_inputs"])
@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_reminders_of_a_reason_take_the_linking_word(reason: str, locale: str) -> None:
    text = steps(locale, MEETING_STEP, {"kind": "reminders", "count": 2}, reasons=[reason])
    assert sentences(text)[1].startswith(("Danach haben wir", "After that, we sent you"))


# 8. „Liebe Maren, hiermit kündigen wir den Lektoratsauftrag … fristgerecht …, hilfsweise zum
#    nächstmöglichen Zeitpunkt.“ was a cold legal formula in a du letter. The du decision now
#    says what we decided, keeps the end date and the fallback in plain words, in the
#    indicative.

LEKTORAT = {"name": "Lektoratsauftrag", "date": "2025-06-01"}


@pytest.mark.parametrize("locale", ["de-DE", "de-AT"])
@pytest.mark.parametrize("channel", ["letter", "email"])
def test_du_decision_is_warm_and_firm(locale: str, channel: str) -> None:
    recipient = {**PERSON, "postal_code": "8010", "city": "Graz"} if locale == "de-AT" else PERSON
    letter = compose(locale, register="du", channel=channel, recipient=recipient, contract=LEKTORAT)
    # a private person (no recipient.company): no "unsere Zusammenarbeit" (text18)
    assert part(letter, "decision") == (
        "wir haben uns entschieden, den Lektoratsauftrag vom 1. Juni 2025 zum 31. Dezember 2026 zu "
        "kündigen. Gilt eine längere Kündigungsfrist, endet der Auftrag zum nächstmöglichen Termin."
    )
    firm = {**recipient, "company": "Verlag Roth GmbH"}
    business = compose(locale, register="du", channel=channel, recipient=firm, contract=LEKTORAT)
    assert part(business, "decision") == (
        "wir haben uns entschieden, unsere Zusammenarbeit zu beenden, und kündigen den Lektoratsauftrag vom "
        "1. Juni 2025 zum 31. Dezember 2026. Gilt eine längere Kündigungsfrist, endet der Auftrag zum "
        "nächstmöglichen Termin."
    )


def test_du_decision_after_an_opening_and_in_switzerland() -> None:
    opening = {"discussed": "call", "date": "2026-11-20"}
    letter = compose(register="du", recipient=PERSON, contract=LEKTORAT, opening=opening)
    assert part(letter, "decision").endswith(
        "bestätigen wir dir unsere Entscheidung schriftlich. Wir kündigen den Lektoratsauftrag vom "
        "1. Juni 2025 zum 31. Dezember 2026. Gilt eine längere Kündigungsfrist, endet der Auftrag zum "
        "nächstmöglichen Termin."
    )
    swiss = {**PERSON, "postal_code": "3011", "city": "Bern"}
    text = part(compose("de-CH", register="du", recipient=swiss, contract=LEKTORAT), "decision")
    assert text.startswith("Wir haben uns entschieden, den Lektoratsauftrag vom 1. Juni 2025 zum")
    assert "nächstmöglichen Termin." in text


def test_sie_decision_keeps_the_formal_notice() -> None:
    letter = compose(contract=LEKTORAT)
    assert part(letter, "decision") == (
        "hiermit kündigen wir den Lektoratsauftrag vom 1. Juni 2025 fristgerecht zum 31. Dezember 2026, "
        "hilfsweise zum nächstmöglichen Zeitpunkt."
    )


# 9. "Dear Bloggs Holdings team … We wish you and your team all the best": a letter that
#    greets the company does not wish its team well a second time.

COMPANY = {"company": "Bloggs Holdings Ltd", "email": "office@bloggs.example"}


@pytest.mark.parametrize(
    ("locale", "channel", "expected"),
    [
        ("en-GB", "email", "We wish you all the best and continued success."),
        ("en-GB", "letter", "We wish you all the best and continued success."),
        ("en-US", "email", "We wish you all the best and continued success."),
        ("de-DE", "email", "Für die Zukunft wünschen wir Ihnen alles Gute und weiterhin viel Erfolg."),
        ("de-DE", "letter", "Für die Zukunft wünschen wir Ihnen alles Gute und weiterhin viel Erfolg."),
    ],
)
def test_a_company_greeting_gets_no_second_team(locale: str, channel: str, expected: str) -> None:
    recipient = {
        **COMPANY,
        "street": "1 High Street",
        "postal_code": "LS1 5HD",
        "city": "Leeds",
        "country": "GB",
    }
    letter = compose(locale, channel=channel, recipient=recipient, wishes=True, thanks={"since": 2021})
    assert part(letter, "wishes").endswith(expected)


def test_a_named_reader_at_a_company_is_wished_well_with_the_team() -> None:
    assert part(compose("en-GB", wishes=True), "wishes").endswith(
        "We wish you and your team all the best and continued success."
    )
    assert part(compose(wishes=True), "wishes").endswith(
        "wünschen wir Ihnen und Ihrem Team alles Gute und weiterhin viel Erfolg."
    )
    du = {**PERSON, "company": "Startup Flux GmbH"}
    assert part(compose(register="du", recipient=du, wishes=True), "wishes").endswith(
        "wünschen wir dir und deinem Team alles Gute und weiterhin viel Erfolg."
    )


# 10. Accounts: „Das Konto für Zugangskartensystem“, „Die Konten für Microsoft 365 und
#     Firewall“ and "the accounts for the AWS account" lacked or doubled articles around the
#     names. The names now follow a colon, where they need no article.


@pytest.mark.parametrize(
    ("accounts", "expected"),
    [
        (
            ["Zugangskartensystem"],
            "Vor dem Vertragsende übertragen wir das Zugangskartensystem auf Ihr Unternehmen.",
        ),
        (
            ["Microsoft 365", "Firewall"],
            "Folgende Zugänge übertragen wir vor dem Vertragsende auf Ihr Unternehmen: Microsoft 365 und Firewall.",
        ),
    ],
)
def test_german_accounts_follow_a_colon(accounts: list[str], expected: str) -> None:
    text = part(compose(contract={"name": "Wartungsvertrag"}, handover={"accounts": accounts}), "data")
    assert text.startswith(expected)
    assert "Danach entfernen wir unsere eigenen Berechtigungen" in text


def test_german_accounts_du_private_and_without_contract() -> None:
    text = part(
        compose(register="du", recipient=PERSON, handover={"accounts": ["Firewall", "Domain"]}), "data"
    )
    assert text.startswith(
        "Folgende Zugänge übertragen wir vor dem Ende unserer Zusammenarbeit auf dich: Firewall und Domain."
    )
    both = part(compose(handover={"accounts": ["Domain"], "export": "alle Dateien"}), "data")
    # "Vor dem Ende unserer Zusammenarbeit stellen wir …" just before: not twice (acceptance 13)
    assert both.startswith("Vor dem Ende unserer Zusammenarbeit stellen wir Ihnen alle Dateien bereit.")
    assert "Bis dahin übertragen wir ebenfalls die Domain auf Ihr Unternehmen." in both


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
def test_english_accounts_follow_a_colon(locale: str) -> None:
    accounts = ["the AWS account", "the Tableau site"]
    text = part(compose(locale, handover={"accounts": accounts}), "data")
    assert text.startswith(
        "Before our last day of service, we will transfer ownership of the following accounts to your "
        "company: the AWS account and the Tableau site."
    )
    one = part(compose(locale, handover={"accounts": ["Xero"], "export": "all files"}), "data")
    assert (
        "Before then, we will also transfer ownership of the Xero account to your company." in one
    )


# 11. A sender without a company is one person: the letter said „wir/unser“ while its
#     contact paragraph said „mich/mir“. A sole sender now writes „ich/mein/mir“ („I/my/me“)
#     throughout; „wir/unser“ stays only where it means the sender and the reader together
#     („unsere Zusammenarbeit“, „in unserem Telefonat“, a meeting or call both took part in).

SOLO = {
    "name": "Anke Vogel",
    "street": "Am Markt 1",
    "postal_code": "99084",
    "city": "Erfurt",
    "email": "anke@example.de",
}
SOLO_EN = {**SOLO, "street": "9 Cathedral Road", "postal_code": "CF11 9HA", "city": "Cardiff"}
RECIPIENT_EN = {
    **RECIPIENT,
    "street": "Dock Road",
    "postal_code": "NP20 2AA",
    "city": "Newport",
    "country": "GB",
}

ALL_STEPS = [
    {"kind": "reminders", "count": 2},
    {"kind": "meeting", "date": "2026-08-15"},
    {"kind": "call", "date": "2026-09-01"},
    {"kind": "revised_scope", "date": "2026-09-10"},
    {"kind": "payment_plan", "date": "2026-09-20"},
    {"kind": "escalation", "date": "2026-10-01"},
    {"kind": "deadline", "date": "2026-10-15"},
]

# what "wir" may still say in a sole sender's letter: the sender and the reader together
JOINT_DE = re.compile(
    r"unsere[rnms]? Zusammenarbeit|unsere[rnms]? (?:Telefonat|Gespräch)|unsere Arbeitsweisen|"
    r"[Uu]nsere Vorstellungen|[Hh]aben wir (?:am \S+ \S+ \d{4} )?(?:in einem persönlichen|telefonisch|die offenen)|"
    r"Wir haben (?:in einem persönlichen|telefonisch|die offenen)"
)
JOINT_EN = re.compile(
    r"\b[Oo]ur (?:work together|call|meeting|respective|views)\b|\bwe (?:met|spoke|discussed)\b|"
    r"\bjoin us\b|\bWe have not found an arrangement\b|\bbring(?:ing)? our work together\b|"
    r"\bthe scope we originally agreed\b|\bfor us to achieve good results together\b"
)


def first_person_plural(text: str, lang: str) -> list[str]:
    if lang == "de":
        rest = JOINT_DE.sub(" ", text)
        return re.findall(r"\b(?:[Ww]ir|[Uu]ns|[Uu]nser\w*)\b", rest)
    rest = JOINT_EN.sub(" ", text)
    return re.findall(r"\b(?:[Ww]e|[Uu]s|[Oo]ur\w*)\b", rest)


def solo_letter(locale: str, register: str = "sie", **changes: Any) -> letterkit.Letter:
    english = locale.startswith("en")
    recipient = (
        RECIPIENT_EN if english else ({**PERSON, "company": "Beispiel AG"} if register == "du" else RECIPIENT)
    )
    full: dict[str, Any] = {
        "sender": SOLO_EN if english else SOLO,
        "recipient": recipient,
        "contract": {"name": "Support Agreement" if english else "Wartungsvertrag", "date": "2024-02-01"},
        "work": {"tasks": ["the final report" if english else "den Abschlussbericht"]},
        "final_invoice": {"number": "AV-12", "amount": 712.8, "due_date": "2027-01-15"},
        "refund": {"amount": 50, "kind": "prepayment", "method": "bank_transfer", "by": "2027-01-05"},
        "handover": {
            "export": "all files" if english else "alle Dateien",
            "accounts": ["the domain" if english else "Domain"],
            "meeting": "2026-12-15",
            "support_until": "2027-01-31",
            "providers": ["Elbe IT Service"],
        },
        "thanks": {"since": 2024},
        "wishes": True,
    }
    if not english:
        full["register"] = register
    full.update(changes)
    return compose(locale, **full)


SOLO_LOCALES = [("de-DE", "sie"), ("de-DE", "du"), ("en-GB", "sie"), ("en-US", "sie")]
REASONS = sorted(
    yaml.safe_load((ROOT / "templates" / "de" / "parts.yaml").read_text(encoding="utf-8"))["reasons"]
)


@pytest.mark.parametrize("channel", ["letter", "email"])
@pytest.mark.parametrize(("locale", "register"), SOLO_LOCALES)
def test_a_sole_sender_writes_in_the_first_person_singular(locale: str, register: str, channel: str) -> None:
    letter = solo_letter(locale, register, reasons=REASONS, channel=channel)
    assert first_person_plural(letter.body, letter.lang) == [], letter.body


@pytest.mark.parametrize(("locale", "register"), SOLO_LOCALES)
@pytest.mark.parametrize(
    ("reason", "refund", "amount"),
    [("payment_terms", "offset", 400), ("missing_inputs", "card", 400), ("capacity", "credit_note", 0)],
)
def test_a_sole_senders_steps_and_openings(
    locale: str, register: str, reason: str, refund: str, amount: int
) -> None:
    letter = solo_letter(
        locale,
        register,
        reasons=[reason],
        steps_taken=ALL_STEPS,
        opening={"discussed": "call", "date": "2026-11-20"},
        final_invoice={"number": "AV-12", "amount": amount, "due_date": "2027-01-15"},
        refund={"amount": 50, "method": refund},
        handover={
            "contact": {"name": "Tim Lorenz"},
            "accounts": ["the domain", "hosting"] if locale.startswith("en") else ["Domain", "Webserver"],
        },
    )
    assert first_person_plural(letter.body, letter.lang) == [], letter.body


def test_a_sole_sender_in_german() -> None:
    letter = solo_letter("de-DE", reasons=["personal"])
    body = letter.body
    for sentence in (
        "hiermit kündige ich den Wartungsvertrag vom 1. Februar 2024 fristgerecht zum 31. Dezember 2026",
        "Aus persönlichen Gründen schränke ich meine Tätigkeit deutlich ein.",
        "Bis zum Vertragsende erbringe ich die vereinbarten Leistungen wie gewohnt",
        "überweise ich Ihnen bis zum 5. Januar 2027 zurück.",
        "Danach entferne ich meine eigenen Berechtigungen und ändere die von mir genutzten Passwörter.",
        "schlage ich ein Gespräch am 15. Dezember 2026 vor",
        "kann ich Ihnen eine Empfehlung geben: Elbe IT Service",  # round 21: no legal form
        "Für die Zukunft wünsche ich Ihnen und Ihrem Team alles Gute",
    ):
        assert sentence in body


def test_a_sole_sender_in_english() -> None:
    body = solo_letter("en-GB", reasons=["personal"]).body
    for sentence in (
        "Please take this letter as formal notice that I am terminating the Support Agreement",
        "My last day of service will be 31 December 2026.",
        "For personal reasons, I am significantly scaling back my client work.",
        "I will continue to provide the agreed services",
        "Up to and including my last day of service,",
        "You will receive my final invoice",
        "After that, I will remove my own access and change the passwords I used.",
        "For a smooth handover, I suggest a meeting on 15 December 2026.",
        "I can recommend Elbe IT Service.",
        "Thank you very much for working with me since 2024.",
        "I wish you and your team all the best",
    ):
        assert sentence in body


def test_a_company_sender_keeps_we() -> None:
    letter = compose(reasons=["personal"])
    assert "Aus persönlichen Gründen schränken wir unsere Tätigkeit deutlich ein." in letter.body


# 1 (continued). With a phone number only, „wende dich an Mia Petersen telefonisch unter …“
#    put the adverb after the name; the number alone says it is a phone.


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        ("sie", "Bei Fragen zum weiteren Ablauf wenden Sie sich bitte an Tim Lorenz unter +49 391 555."),
        ("du", "Bei Fragen zum weiteren Ablauf melde dich gern bei Tim Lorenz unter +49 391 555."),
    ],
)
def test_german_contact_with_a_phone_number_only(register: str, expected: str) -> None:
    extra: dict[str, Any] = {"register": "du", "recipient": PERSON} if register == "du" else {}
    contact = {"name": "Tim Lorenz", "phone": "+49 391 555"}
    assert part(compose(handover={"contact": contact}, **extra), "contact").startswith(expected)


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])
@pytest.mark.parametrize("channel", ["email", "letter"])
def test_a_company_named_team_is_not_greeted_as_team_team(locale: str, channel: str) -> None:
    """"Dear Bloggs Team team" (tester 36)."""
    recipient = {"company": "Bloggs Team Ltd", "email": "office@bloggs.example", "street": "1 High Street"}
    recipient |= {"postal_code": "LS1 5HD", "city": "Leeds", "country": "GB"}
    letter = compose(locale, channel=channel, recipient=recipient)
    assert "team" not in letter.salutation.lower().replace("bloggs team", "")
    if not letter.salutation.startswith("Dear Sir or Madam"):  # a letter greets no team
        assert letter.salutation.startswith("Dear Bloggs Team")
        recipient["company"] = "Steamteam Ltd"
        assert compose(locale, channel=channel, recipient=recipient).salutation.startswith("Dear Steamteam team")
