"""compose(): turn a validated Termination into a Letter, choosing every sentence.

The wording comes from the parts library (templates/<lang>/parts.yaml); this module
decides which parts a letter has, in which order, groups them into paragraphs and
fills them with values formatted for the letter's locale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import locales, phrases
from .errors import InputError, Problem
from .letter import Block, Labels, Letter, Reference, letter_data, letter_source, with_data
from .lint.letter import lint_letter
from .model import Termination, asks_for_postal_address, validate
from .parts import load, pick, render_text, variant

if TYPE_CHECKING:
    from datetime import date

    from .model import Handover, Party, Step

# Paragraphs of the body, in order; each holds the parts that read as one paragraph.
PARAGRAPHS: tuple[tuple[str, ...], ...] = (
    ("opening", "decision"),
    ("reasons",),
    ("steps",),
    ("work",),
    ("invoice", "refund"),
    ("data",),
    ("handover",),
    ("contact",),
    ("thanks", "wishes"),
)


@dataclass(frozen=True)
class _Ctx:
    """What every part sees: the termination, its conventions and formatted values."""

    t: Termination
    conv: locales.Conventions
    parts: dict[str, Any]
    values: dict[str, Any]

    def text(self, entry: Any) -> str:
        source = variant(entry, self.t.register)
        if not source:
            return ""
        return render_text(source, self.values, sharp_s=self.conv.sharp_s)


def compose(data: Termination | Mapping[str, Any] | str | Path) -> Letter:
    """Build the Letter for a termination given as a Termination, a dict or a file path."""
    termination, source, lines = _termination(data)
    given = termination
    conv = locales.conventions(termination.locale)
    if not conv.sharp_s:
        termination = _without_sharp_s(termination)
    ctx = _Ctx(termination, conv, load(conv.lang, "parts"), {})
    ctx.values.update(_values(termination, conv))
    ctx.values["contract"] = _contract(ctx)
    if ctx.values["refund"]:
        # what is refunded, as the input says (refund.kind), worded once for both parts
        # that name it (refund, and invoice when the refund is offset against it)
        ctx.values["refund"]["what"] = ctx.text(ctx.parts["refund_what"])
    ctx.values["this_message"] = ctx.text(ctx.parts["this_message"])
    locale_data = load(conv.lang, "locale")
    salutation, case = _salutation(termination, conv, locale_data)
    # whom the salutation greets: a person (female, male, diverse, unknown) or the company
    # as a whole ("Dear Bloggs Holdings team", "Sehr geehrte Damen und Herren")
    ctx.values["salutation_case"] = case
    blocks = _blocks(ctx, salutation)
    # a letter that crosses a border names the sender's country too (the return line and
    # the letterhead): a letter the post brings back must find its way home
    home, away = _country(termination.sender, conv), _country(termination.recipient, conv)
    own = _sender_lines(termination.sender, termination.locale, termination.date, bool(home and away and home != away))
    references = _references(termination, locale_data, ctx.values["contact"])
    letter = Letter(
        locale=termination.locale,
        lang=conv.lang,
        channel=termination.channel,
        register=termination.register,
        date=termination.date,
        date_line=_info_block_date(termination, conv, locale_data) if references else own.date_line,
        subject=_capital_after_colon(_subject_case(ctx.text(ctx.parts["subject"]), termination.locale, locale_data)),
        salutation=salutation,
        blocks=blocks,
        closing=_closing(termination, conv, locale_data, case),
        signature=own.signature,
        sender_name=own.name,
        sender_email=termination.sender.email,
        recipient_name=_display_name(termination.recipient, conv),
        recipient_email=termination.recipient.email,
        sender_address=own.address,
        sender_line=own.line,
        recipient_address=_address(termination.recipient, conv, own.country),
        references=references,
        enclosures_label=_enclosures_label(termination, conv, locale_data),
        enclosures=termination.enclosures,
        footer=own.footer,
        labels=Labels(locale_data["labels"]),
    )
    return _checked(with_data(letter, tuple(_data_values(termination)), given), termination, source, lines)


def listing_attachments(
    termination: Termination, names: Sequence[str], own: str | None = None, email: bool = True
) -> Termination:
    """The termination of an email that carries the files ``names`` (as the client sees
    them) and, with ``own``, the letter itself as a PDF of that name: when its input lists
    no enclosures, the files are its enclosures, so that the email names what is attached
    ("Anhang: R-2041.pdf") and, when one of them is the final invoice (its number in the
    name), says the invoice is attached instead of promising it. Enclosures the input lists
    are kept, in the writer's words, with the files beyond their number and the letter's
    PDF after them. An ``email`` that attaches nothing lists nothing: it says the invoice
    follows separately rather than that it is attached (tester 43); the letter printed
    into the PDF (``email`` false) keeps its enclosures."""
    listed = termination.enclosures
    # files beyond those the input lists are named too ("Anhänge: Schlussrechnung Nr. 12,
    # Zugaenge.pdf"), taken as the listed ones first and then these (tester 46)
    extra = (*names[len(listed) :], *((own,) if own else ())) if listed else ((own,) if own else ())
    if listed:
        if not names and email:  # nothing of what it lists is attached
            return replace(termination, enclosures=extra)
        return replace(termination, enclosures=(*listed, *extra)) if extra else termination
    if not names and not extra:
        return termination
    return replace(termination, enclosures=(*names, *extra))


def unattached_enclosures(termination: Termination) -> str:
    """What an email whose input lists enclosures but attaches no file is told (``generate``
    and ``merge`` say it alike): it is written without them, and, when it has a final
    invoice, says the invoice follows separately (``listing_attachments``)."""
    invoice = " (the final invoice 'follows separately')" if termination.final_invoice else ""
    return (
        f"the email lists enclosures ({', '.join(termination.enclosures)}) but attaches no file, "
        f"so it is written without them{invoice}"
    )


@dataclass(frozen=True)
class _Own:
    """What a letter says of its sender: the same in every letter of a mail merge."""

    name: str
    signature: tuple[str, ...]
    address: tuple[str, ...]
    line: str
    country: str | None
    footer: tuple[str, ...]
    date_line: str


@lru_cache(maxsize=64)
def _sender_lines(sender: Party, locale: str, when: date, abroad: bool = False) -> _Own:
    """The sender's lines of a letter in ``locale`` dated ``when``, worked out once for the
    sender (a Party compares by its values, so an equal sender is the same entry); with
    ``abroad`` (the recipient lives in another country) its address and return line end
    with the sender's country."""
    conv = locales.conventions(locale)
    labels = load(conv.lang, "locale")["labels"]
    address = _address(sender, conv, None, sender=True)
    line = list(_address(sender, conv, None, sender=True, one_line=True))
    country = _country(sender, conv)
    if abroad and country:
        name = locales.territory_name(country, conv.locale)
        address = (*address, name)
        line.append(name)  # (in capitals it would read as shouting in the one line)
    person = _signer(sender, conv)
    return _Own(
        name=person,
        signature=tuple(x for x in (person, sender.role) if x),
        address=address,
        line=" · ".join(line),
        country=country,
        footer=_footer(sender, conv, labels),
        date_line=_date_line(sender, when, locale),
    )


def _signer(sender: Party, conv: locales.Conventions) -> str:
    """The sender's name as the signature and letterhead print it: a degree after the name
    ('Dr. Erika Muster, MBA'), see _titled_name."""
    if sender.title and (sender.first_name or sender.last_name):
        return _titled_name(sender.title, sender.first_name, sender.last_name, load(conv.lang, "locale"))
    return sender.person


def _capital_after_colon(subject: str) -> str:
    """The subject's first word after its colon with a capital, as a subject's phrase after
    the colon starts ("Notice of termination: Gym membership", from "gym membership" as
    typed). Only a word typed all in lower case changes: "iPhone", "eBay", "SEO" stay."""
    head, colon, rest = subject.partition(": ")
    word = rest.split(" ", 1)[0]
    if not colon or not word.islower() or not word[:1].isalpha():
        return subject
    return f"{head}{colon}{rest[0].upper()}{rest[1:]}"


def _subject_case(subject: str, locale: str, data: dict[str, Any]) -> str:
    """The subject in the locale's capitals (data: subject_case): "headline" capitalises
    each word typed all in lower case but the minor words (unless first or last, or after
    a colon); any other word — iPhone, SEO, a reference, a date — stays as typed. The
    rules for hyphenated words and possessives are in the data's comment."""
    if pick(data.get("subject_case") or {}, locale) != "headline":
        return subject
    minor = frozenset(data.get("headline_minor_words") or ())
    words = subject.split(" ")
    return " ".join(
        _dashed_word(word, minor, free=index in (0, len(words) - 1) or words[index - 1].endswith(":"))
        for index, word in enumerate(words)
    )


_DASH = re.compile("([—–])")


def _dashed_word(word: str, minor: frozenset[str], *, free: bool) -> str:
    """A word of a headline that dashes may join to others ("service—quarterly"): each
    piece is cased as a word of its own would be."""
    return "".join(
        piece if index % 2 else _headline_word(piece, minor, free=free)
        for index, piece in enumerate(_DASH.split(word))
    )


_POSSESSIVE = re.compile(r"['’]s?$")  # "acme's", "clients'"


def _headline_word(word: str, minor: frozenset[str], *, free: bool) -> str:
    """One word of a headline: a minor word stays lower case only as a whole word ("for",
    not "in-house": "In-House") or inside a compound ("Pay-per-Click"); the first and the
    last part of a compound are capitalised ("Off-Site", "Follow-Up")."""
    core = word.strip("(),:;.")
    owner = _POSSESSIVE.search(core)
    stem = core[: owner.start()] if owner and owner.start() else core
    parts = stem.split("-")
    if not stem or not all(part.isalpha() and part.islower() for part in parts):
        return word
    last = len(parts) - 1
    cased = [
        part
        if part in minor and ((last == 0 and not free) or 0 < index < last)
        else part.capitalize()
        for index, part in enumerate(parts)
    ]
    at = word.index(core)
    return word[:at] + "-".join(cased) + core[len(stem) :] + word[at + len(core) :]


def _balance(t: Termination) -> dict[str, Any]:
    """What is left to pay of the final invoice once a prepayment is offset against it
    (``balance``, formatted), and whether nothing is (``paid_off``); None and False
    without an offset in the invoice's currency."""
    invoice, refund = t.final_invoice, t.refund
    none: dict[str, Any] = {"balance": None, "paid_off": False}
    if not (invoice and refund and refund.method == "offset"):
        return none
    if invoice.amount.currency != refund.amount.currency:
        return none
    left = invoice.amount.amount - refund.amount.amount
    return {"balance": locales.format_money(left, invoice.amount.currency, t.locale), "paid_off": left == 0}


def _enclosures_label(t: Termination, conv: locales.Conventions, data: dict[str, Any]) -> str:
    """ "Anlagen"/"Enclosures" under a letter (DIN 5008: no colon); in an email "Anhang:"/
    "Anhänge:", "Attachment(s):", with the colon in every format (locale data)."""
    if not t.enclosures:
        return ""
    if t.channel == "email":
        labels = data["email_enclosures"]
        return str(labels["one"] if len(t.enclosures) == 1 else labels["many"])
    return conv.enclosure if len(t.enclosures) == 1 else conv.enclosures


def _checked(
    letter: Letter, t: Termination, source: str | None = None, lines: Mapping[str, int] | None = None
) -> Letter:
    """Run the tone lint on the letter; findings in the user's own reason_note are input
    errors (named with the input's file and line when it came from one)."""
    findings = lint_letter(letter, letter_data(letter))
    if t.reason_note:
        # what a rule finds in the user's own reason_note is an input error; what only the tone
        # model reads in it (a judgement, wrong now and then) stays a warning on the letter
        own = [
            f
            for f in findings
            if f.text
            and (f.text in t.reason_note or f.text in _as_sentence(t.reason_note))
            and (f.category != "structure" or f.rule in _NOTE_STRUCTURE)
            and f.severity != "info"  # a hint ('leider') stays a hint, as in `letterkit lint`
            and not f.rule.startswith("judged/")
        ]
        if own:
            line = (lines or {}).get("reason_note")
            raise InputError(
                [Problem("reason_note", f"{f.message} ('{f.text}'); try: {f.suggestion}", line) for f in own],
                source,
            )
    if not findings and not letter.findings:
        return letter  # a clean letter, as every letter of a merge should be: no copy made
    return with_data(replace(letter, findings=tuple(findings)), letter_data(letter), letter_source(letter))


# Structure findings that a reason_note can cause by itself: "Ihre Anfragen" in a du letter
# (tester 40: the letter was written with the mix, exit 0), "ihnen" for the reader. They are
# the input's to fix, as blame in it is: a written letter must pass its own lint.
_NOTE_STRUCTURE = frozenset({"structure/mixed-address", "structure/lowercase-ihnen"})


def _data_values(t: Termination) -> list[str]:
    """The recipient's names, address and references, and the names in the handover (the
    contact, recommended providers, accounts): data, which the lint reads masked."""
    r, s = t.recipient, t.sender
    values = [
        r.company, r.name, r.first_name, r.last_name, r.street, r.address_extra, r.postal_code, r.city, r.state, r.email
    ]  # fmt: skip
    values += [s.company, s.name, s.first_name, s.last_name]
    if t.contract:
        values.append(t.contract.reference)
    if t.final_invoice:
        values.append(t.final_invoice.number)
    if t.handover:
        values += [*t.handover.providers, *t.handover.accounts, *t.handover.returns, *t.handover.collect]
        if t.handover.contact:
            values.append(t.handover.contact.name)
    return [v for v in values if v]


def _without_sharp_s(t: Termination) -> Termination:
    """A de-CH letter's own prose from the input written with ss, as Swiss German writes it:
    the reason note, the tasks, the enclosures, what is handed over or given back
    (handover.accounts, handover.export, handover.returns, handover.collect) and the
    contract's name ("den Zugang zum Grosskundenportal": an account is named in words of
    the letter, and a Swiss letter that kept its ß failed its own lint, tester 36).
    Names, streets and other proper names (the contact, providers) stay as typed."""
    def ss(text: str | None) -> str | None:
        return text.replace("ß", "ss").replace("ẞ", "SS") if text else text

    changes: dict[str, Any] = {
        "reason_note": ss(t.reason_note),
        "enclosures": tuple(ss(x) or x for x in t.enclosures),
    }
    if t.work:
        changes["work"] = replace(t.work, tasks=tuple(ss(x) or x for x in t.work.tasks))
    if t.handover:
        changes["handover"] = replace(
            t.handover,
            accounts=tuple(ss(x) or x for x in t.handover.accounts),
            export=ss(t.handover.export),
            returns=tuple(ss(x) or x for x in t.handover.returns),
            collect=tuple(ss(x) or x for x in t.handover.collect),
        )
    if t.contract:
        changes["contract"] = replace(t.contract, name=ss(t.contract.name))
    return replace(t, **changes)


def _termination(
    data: Termination | Mapping[str, Any] | str | Path,
) -> tuple[Termination, str | None, Mapping[str, int] | None]:
    """The validated termination, and the file and line numbers it came from (if any)."""
    if isinstance(data, Termination):
        return data, None, None
    if isinstance(data, (str, Path)):
        from .sources import read_input

        raw, lines = read_input(data)
        source = str(data)
        return (
            validate(raw, source=source, lines=lines, postal_address=asks_for_postal_address(raw)),
            source,
            lines,
        )
    if not isinstance(data, Mapping):  # as render(), to_email() and lint() say of theirs
        from .errors import UsageError, type_name

        raise UsageError(
            f"compose() takes a dict, a file path (str or Path) or a Termination, not {type_name(data)}"
        )
    return validate(data, postal_address=asks_for_postal_address(data)), None, None


def _values(t: Termination, conv: locales.Conventions) -> dict[str, Any]:
    """Every value a part may use, formatted for the locale."""
    loc = t.locale

    def d(value: Any) -> str | None:
        return locales.format_date(value, loc) if value else None

    def money(m: Any) -> str:
        return locales.format_money(m.amount, m.currency, loc)

    locale_data = load(conv.lang, "locale")
    # a later date that is the end date itself refers back to it ("bis zum Vertragsende",
    # "by our last day of service") instead of repeating it (data: end_date_reference)
    reference = locale_data.get("end_date_reference") or {}
    # "I" for a sender without a company, or one that says so (a sole trader's trade name)
    solo = t.sender.voice == "I" if t.sender.voice else not t.sender.company
    back = (
        reference.get("solo")
        if solo and reference.get("solo")
        else reference.get("contract" if t.contract else "other")
    )

    def later(value: Any) -> str | None:
        return str(back) if back and value == t.end_date else d(value)

    h = t.handover
    accounts, things = _accounts_and_things(h, locale_data)
    own_names = _own_names(t)

    def typed(items: list[str] | tuple[str, ...]) -> list[str]:
        """Items as a list or a sentence of the letter prints them (phrases.py)."""
        if conv.lang == "en":
            return phrases.running_list(items, locale_data, own_names)
        return [phrases.lower_article(item) for item in items]

    def one(items: list[str], *, company: bool = False, account: bool = False) -> str | None:
        """The one item of a list as the object of a sentence (None with two or more, or
        when German cannot know its case or an English account is a name: the part then
        takes a frame that needs none)."""
        if len(items) != 1:
            return None
        if company:
            return phrases.provider_object(items[0], locale_data) if conv.lang == "de" else items[0]
        if conv.lang == "de":
            return phrases.accusative(items[0], locale_data)
        return phrases.english_object(items[0], locale_data, own_names, account=account)

    accounts, things = typed(accounts), typed(things)
    collect = typed(h.collect) if h else []
    contact = (h.contact if h else None) or _sender_contact(t.sender)
    if h and h.contact and t.sender.person and _same_person(h.contact.name, t.sender.person):
        # the signer named without (or with another form of) a title: "direkt an mich"
        contact = {"name": t.sender.person, "email": h.contact.email, "phone": h.contact.phone}
    marks = pick(locale_data.get("quotes", {}), t.locale)
    quote_open, quote_close = marks if isinstance(marks, list) and len(marks) == 2 else ("“", "”")
    return {
        "quote_open": quote_open,
        "quote_close": quote_close,
        # words the locales of a language write differently ("credit note"/"credit memo")
        "words": pick(locale_data.get("words", {}), t.locale),
        "channel": t.channel,
        "end_date": d(t.end_date),
        "letter_date": d(t.date),
        "sender": t.sender,
        # a sender without a company is one person, who writes "ich"/"I", not "wir"/"we"
        "solo": solo,
        # the letter's reasons, for a reason that words itself after another ("fit" already
        # says that others are better placed: "technology" then does not say it again)
        "reason_codes": t.reasons,
        "recipient": t.recipient,
        # what the recipient is: "person" (no company), "company" (a name with a legal form:
        # "your company", "continued success") or "organisation" (any other name: a church, a
        # school, a club, a trading name: "your organisation", "all the best for the future")
        "recipient_kind": _recipient_kind(t.recipient, locale_data),
        "opening": {"discussed": t.opening.discussed, "date": d(t.opening.date)} if t.opening else None,
        "work": {"tasks": locales.join_list(typed(t.work.tasks), loc) if t.work and t.work.tasks else None},
        "invoice": {
            "number": t.final_invoice.number,
            "amount": money(t.final_invoice.amount),
            "due_date": later(t.final_invoice.due_date),
            # nothing left to bill (amount 0): the letter says no further invoice follows
            "settled": t.final_invoice.amount.amount == 0,
            # listed among the enclosures: the letter says it is enclosed, else that it follows
            "enclosed": phrases.names_invoice(t.enclosures, t.final_invoice.number, locale_data),
            **_balance(t),
        }
        if t.final_invoice
        else None,
        "refund": {
            "amount": money(t.refund.amount),
            "method": t.refund.method,
            "kind": t.refund.kind,
            "by": later(t.refund.by),
        }
        if t.refund
        else None,
        "handover": {
            "export": typed([h.export])[0] if h.export else None,
            "by": later(h.by),
            # the files' date is the end date: what follows refers back to it ("bis dahin")
            "by_end": h.by == t.end_date,
            # accounts are transferred (and their passwords changed); things (handover.returns,
            # and office keys, key cards among the accounts: locale data physical_access)
            # are given back
            "accounts": locales.join_list(accounts, loc) if accounts else None,
            "things": locales.join_list(things, loc) if things else None,
            "thing_count": len(things),
            # one item stands in the sentence, two or more after a colon (account, thing,
            # collected, provider: the one item as an object, or None)
            "account": one(accounts, account=True),
            # the one account is access, transferred itself ("transfer access to the booking
            # portal"), not its ownership
            "account_access": len(accounts) == 1 and conv.lang == "en" and phrases.english_access(accounts[0], locale_data),
            "thing": one(things),
            # the sender's things the client is asked to give back (handover.collect)
            "collect": locales.join_list(collect, loc) if collect else None,
            "collect_count": len(collect),
            "collected": one(collect),
            "meeting": later(h.meeting),
            "support_until": later(h.support_until),
            "providers": locales.join_list(h.providers, loc) if h.providers else None,
            "provider_count": len(h.providers),
            "provider": one(list(h.providers), company=True),
            "account_count": len(accounts),
        }
        if h
        else None,
        "contact": contact,
        # work that began this year is thanked for "this year", not "since 2026"
        "thanks": {"since": t.thanks.since, "this_year": t.thanks.since == t.date.year} if t.thanks else None,
    }


def _recipient_kind(recipient: Party, data: dict[str, Any]) -> str:
    """ "person", "company" or "organisation": see ``recipient_kind`` in _values."""
    if not recipient.company:
        return "person"
    return "company" if phrases.has_legal_form(recipient.company, data) else "organisation"


def _own_names(t: Termination) -> tuple[str, ...]:
    """The names the input gives (companies, people, towns): a word of them at the start of
    a name typed in sentence case keeps its capital ("Pinecrest care plan")."""
    parties = (t.sender, t.recipient)
    fields = [x for p in parties for x in (p.company, p.name, p.first_name, p.last_name, p.city)]
    if t.handover:
        fields += [*t.handover.providers, t.handover.contact.name if t.handover.contact else None]
    return tuple(x for x in fields if x)


def _accounts_and_things(h: Handover | None, locale_data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The accounts to transfer and the things to give back: handover.returns, and the
    physical things among handover.accounts (office keys, key cards: the locale's
    physical_access patterns), which inputs written before handover.returns list there."""
    if h is None:
        return [], []
    pattern = _physical_access(tuple(locale_data.get("physical_access") or ()))
    things = [entry for entry in h.accounts if pattern and pattern.search(entry)]
    things += [entry for entry in h.returns if entry not in things]
    return [entry for entry in h.accounts if entry not in things], things


@lru_cache(maxsize=8)
def _physical_access(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def _same_person(name: str, signer: str) -> bool:
    """Whether a contact's name is the signer's, titles aside ("Miriam Kraus" and
    "Dr. Miriam Kraus"): the words that do not end in a full stop, compared without case."""

    def words(text: str) -> list[str]:
        return [w.casefold() for w in text.split() if not w.endswith(".")]

    return bool(words(name)) and words(name) == words(signer)


def _sender_contact(sender: Party) -> dict[str, str | None] | None:
    if not (sender.email or sender.phone):
        return None
    return {"name": sender.person, "email": sender.email, "phone": sender.phone}


def _contract(ctx: _Ctx) -> dict[str, Any] | None:
    contract = ctx.t.contract
    if contract is None:
        return None
    name, label, article, joined, kind = _named(
        contract.name, ctx.conv.lang, ctx.values["quote_open"], ctx.values["quote_close"]
    )
    data = load(ctx.conv.lang, "locale")
    values = {
        "name": name,
        # the name inside a sentence: an English one typed in sentence case in lower case
        # ("the home addition contract"); the subject keeps it as typed (phrases.py)
        "in_text": phrases.running_text(name, data, _own_names(ctx.t)) if name and ctx.conv.lang == "en" else name,
        "label": label,
        "reference": contract.reference,
        "date": locales.format_date(contract.date, ctx.t.locale) if contract.date else None,
        "article": article,
        # the name says what kind of contract it is ("SEO retainer", "Wartungsvertrag"); else
        # the phrase names the kind and quotes the name ("the ‘Website maintenance’ agreement")
        "kind": kind,
        # a name that starts with an owner ("Bob's hosting plan") takes no article
        "owned": bool(name) and bool(_OWNER.match(name or "")),
        # words follow the head noun ("Treuhandmandat für die Lohnbuchhaltung"): a number
        # after them would read as theirs, so the phrase puts it in brackets
        "joined": joined,
        # the name ends in brackets ("Unterrichtsvereinbarung Klavier (Einzelunterricht)"): a
        # number in brackets after it would make two groups in a row, so it follows a comma
        "bracketed": bool(name and name.endswith(")")) and (kind or (ctx.conv.lang == "de" and bool(article))),
    }
    values["noun"] = _contract_noun(contract.name, ctx.conv.lang)
    values["phrase"] = render_text(
        ctx.parts.get("contract_phrase", ""), {**ctx.values, "contract": values}, sharp_s=ctx.conv.sharp_s
    )
    return values


@lru_cache(maxsize=256)
def _contract_noun(name: str | None, lang: str) -> Any:
    """The word that refers back to the contract (data: contract_refer_back): "the contract"
    when its name says contract, "the agreement" otherwise; from the name as typed (the same
    for every row of a mail merge, so worked out once)."""
    data = load(lang, "locale")
    back = data.get("contract_refer_back") or ()
    if isinstance(back, dict):  # German: by the name's head noun ("Rahmenvereinbarung": die Vereinbarung)
        return _refer_back(name, lang, back) or data.get("contract_refer_back_default")
    nouns = list(back)
    typed = {word.strip("\"'()“”‘’").lower() for word in (name or "").split()}
    return next((noun for noun in nouns if noun in typed), nouns[0] if nouns else None)


def _refer_back(typed: str | None, lang: str, nouns: dict[str, str]) -> str | None:
    """The words that refer back to a German contract by its head noun's ending (data:
    contract_refer_back, longest ending first), or None."""
    name = _without_article(typed, lang)
    head = _head(name, lang)
    if not (name and head):
        return None
    word = name.split()[head[2]].lower().strip("\"'„“”‚‘’«»‹›()")
    ending = next((e for e in sorted(nouns, key=len, reverse=True) if word.endswith(e)), None)
    return str(nouns[ending]) if ending else None


@lru_cache(maxsize=256)
def _named(
    typed: str | None, lang: str, quote_open: str, quote_close: str
) -> tuple[str | None, str | None, str | None, bool, bool]:
    """The contract's name as the letter's phrase prints it, as a subject in keywords
    prints it ("Kündigung Laufender Wartungsvertrag"), its German article, whether words
    follow its head noun and whether it names a kind of contract — from the name as typed
    (the same for every row of a mail merge, so worked out once)."""
    name = _without_article(typed, lang)
    head = _head(name, lang)
    article, joined, at = head if head else (None, False, 0)
    kind = article is not None if lang == "de" else _names_a_kind(name, lang)
    if name:  # quotation marks in the name as the locale writes them
        name = _nested_quotes(name, quote_open, quote_close, inner=not kind)
    label = name
    if article and at and name:
        label, name = _declined(name, article, at, alone=True), _declined(name, article, at)
    if article and at == 0 and label and label.split(" ", 1)[0].islower() and label[:1].isalpha():
        # the head noun typed in lower case takes its capital ("Kündigung Wartungsvertrag",
        # "den Wartungsvertrag", not "wartungsvertrag" as typed); an adjective before it
        # stays as typed ("Kündigung monatliche Pauschale"); "eBay-Vertrag" keeps its spelling
        label = label[0].upper() + label[1:]
        if name:
            name = name[0].upper() + name[1:]
    return name, label, article, joined, kind


def _names_a_kind(name: str | None, lang: str) -> bool:
    """Whether an English contract's name says what kind of contract it is, by its head:
    the last word, or the word before one that adds to it ("Agreement for IT support",
    "Statement of Work"); a kind (data: contract_nouns, also in the plural) or an
    abbreviation of one (contract_abbreviations: MSA, NDA). "SEO retainer", "Master
    Services Agreement" and "Framework Agreements" are kinds; "Plan B hosting" is not."""
    if not name:
        return False
    data = load(lang, "locale")
    nouns = frozenset(str(n) for n in data.get("contract_nouns") or ())
    abbreviations = frozenset(str(a) for a in data.get("contract_abbreviations") or ())
    joiners = frozenset(str(j) for j in data.get("contract_name_joiners") or ())
    # a part in brackets after the head adds to it: "Piano lessons agreement (weekly)"
    name = _TRAILING_BRACKETS.sub("", name) or name
    words = [word.strip("\"'‘’“”().,;:") for word in name.split()]
    words = [word for word in words if word]
    while words and not any(char.isalpha() for char in words[-1]):
        words.pop()  # a year or a number after the head: "Master Services Agreement 2024"
    if not words:
        return False
    joined = next((i for i, word in enumerate(words) if i and word.lower() in joiners), len(words))
    head = words[joined - 1]
    lowered = head.lower()
    return (
        lowered in nouns
        or (lowered.endswith("s") and lowered[:-1] in nouns)
        or head in abbreviations
        or (head[:-1] in abbreviations and head.endswith("s"))
    )


_TRAILING_BRACKETS = re.compile(r"(?:\s*\([^()]*\))+\s*$")
_OWNER = re.compile(r"^[^\W\d_][\w.&-]*['’]s?\s", re.UNICODE)  # "Bob's …", "Acme’s …", "James' …"


# Quotation marks inside a quoted name become the single marks of the same style:
# den Vertrag „Pflege ‚Plus‘“, not „„Pflege“ Plus“.
_INNER_QUOTES = {"„": ("‚", "‘"), "«": ("‹", "›"), "»": ("›", "‹"), "“": ("‘", "’"), "‘": ("“", "”")}
_DOUBLE_QUOTED = re.compile(r"[„“”\"«»]([^„“”\"«»]*)[„“”\"«»]")
_STRAIGHT_QUOTED = re.compile(r'"([^"]*)"')


def _nested_quotes(name: str, outer: str, close: str, inner: bool = True) -> str:
    """Quotation marks in a German contract name in the locale's style: the single marks
    when the name itself stands in quotation marks (``inner``); else straight ones typed
    in the name become the double ones (das Software-Abonnement „Cloudwerk Pro“)."""
    if not inner:  # straight quotes typed in the name: the locale's own (typographic ones stay)
        return _STRAIGHT_QUOTED.sub(lambda m: f"{outer}{m.group(1)}{close}", name) if '"' in name else name
    marks = _INNER_QUOTES.get(outer)
    if marks is None or not any(mark in name for mark in '„“”"«»'):
        return name
    return _DOUBLE_QUOTED.sub(lambda m: f"{marks[0]}{m.group(1)}{marks[1]}", name)


@cache
def _contract_words(lang: str) -> tuple[dict[str, str], frozenset[str], list[str], frozenset[str]]:
    """The locale data ``_head`` reads: articles by ending, the endings that name no kind
    of contract, every ending longest first, and the prepositions that join a name."""
    data = load(lang, "locale")
    articles = {str(k): str(v) for k, v in (data.get("contract_articles") or {}).items()}
    return (
        articles,
        frozenset(data.get("contract_suffixes") or ()),
        sorted(articles, key=len, reverse=True),
        frozenset(data.get("contract_name_joiners") or ()),
    )


def _without_article(name: str | None, lang: str) -> str | None:
    """The contract's name without an article or possessive typed before it ("the SEO
    retainer", "den Wartungsvertrag"): the letter's own phrase supplies one. A leading
    word that belongs to the name stays (data: contract_name_particles, "a la carte …").
    A capitalised article is taken off too: names typed in title case ("Our Website
    Maintenance", "The SEO Services") are far more common than a firm's name with its
    article ("The Hut Group" reads "the ‘Hut Group’ agreement")."""
    if not name:
        return name
    words = name.split(" ", 1)
    data = load(lang, "locale")
    if not (len(words) == 2 and words[0].lower() in (data.get("contract_leading_words") or ())):
        return name
    rest = words[1]
    following = rest.split(" ", 1)[0].lower()
    if not rest[:1].isalnum() or following in (data.get("contract_name_particles") or ()):
        return name  # "a la carte design services": the "a" belongs to the name
    return rest


def _head(name: str | None, lang: str) -> tuple[str, bool, int] | None:
    """The accusative article of a German contract name, from its head noun (data),
    whether a preposition adds words after the head, and the head's place among the words. The head is the last word before a preposition that
    adds to it ("Vertrag über Suchmaschinenoptimierung" is a Vertrag: den, not die) when
    that word names a kind of contract ("Hosting Paket"); else the first word that does
    ("Rahmenvertrag IT-Betreuung", "Mandat Steuerberatung"); else the last word, by
    its ending ("Online-Marketing Betreuung")."""
    if not name:
        return None
    articles, suffixes, endings, joiners = _contract_words(lang)
    words = name.split()
    joined = next((i for i, word in enumerate(words) if i and word.lower() in joiners), len(words))

    def ending(word: str, kinds_only: bool) -> str | None:
        word = word.lower().strip("\"'„“”‚‘’«»‹›()")
        found = next((e for e in endings if word.endswith(e)), None)
        return None if found is None or (kinds_only and found in suffixes) else found

    followed = joined < len(words)  # a preposition adds to the head
    for at in (joined - 1, *range(joined - 1)):
        kind = ending(words[at], kinds_only=True)
        if kind:
            return articles[kind], followed, at
    kind = ending(words[joined - 1], kinds_only=False)
    if kind:
        return articles[kind], followed, joined - 1
    return None


def _declined(name: str, article: str, head: int, alone: bool = False) -> str:
    """A German contract name with the adjectives before its head declined after the
    article ("Laufender Wartungsvertrag", "der laufende Wartungsvertrag" → den laufenden
    Wartungsvertrag; "Großes Wartungspaket" → das große Wartungspaket), or ``alone``, as
    a subject in keywords names it (Laufender Wartungsvertrag). A word counts as an
    adjective when it carries an ending of the head's gender on a known adjective stem
    (data: contract_adjectives); any other word ("Server Wartungsvertrag") stays as typed."""
    data = load("de", "locale").get("contract_adjectives") or {}
    forms = (data.get("endings") or {}).get(article)
    if not forms:
        return name
    suffixes = tuple(data.get("suffixes") or ())
    stems = set(data.get("words") or ())
    target = forms["alone" if alone else "after"]
    words = name.split()
    for at in range(head - 1, -1, -1):
        word = words[at]
        typed = next(
            (e for e in sorted(forms["typed"], key=len, reverse=True) if word.lower().endswith(e)), None
        )
        stem = word[: -len(typed)].lower() if typed else ""
        if not (stem and (stem.endswith(suffixes) or stem in stems)):
            break
        declined = stem + target
        words[at] = declined[:1].upper() + declined[1:] if alone and at == 0 else declined
    return " ".join(words)


def _blocks(ctx: _Ctx, salutation: str) -> tuple[Block, ...]:
    texts = {name: _part(ctx, name) for group in PARAGRAPHS for name in group}
    blocks = []
    for group in PARAGRAPHS:
        present = [name for name in group if texts[name]]
        if present:
            text = " ".join(texts[name] for name in present)
            blocks.append(Block(present[0], text, tuple(present)))
    if blocks:
        first = blocks[0]
        blocks[0] = Block(first.part, _after_salutation(first.text, ctx), first.parts)
    return tuple(blocks)


def _part(ctx: _Ctx, name: str) -> str:
    t, parts = ctx.t, ctx.parts
    if name == "opening":
        return ctx.text(parts["opening"]) if t.opening else ""
    if name == "reasons":
        return _reasons(ctx)
    if name == "steps":
        return _steps(ctx)
    if name in ("invoice", "refund", "thanks") and not ctx.values[name]:
        return ""
    if name in ("data", "handover") and not t.handover:
        return ""
    if name == "wishes" and not t.wishes:
        return ""
    return ctx.text(parts[name])


LEAD_REASONS = 3  # from this many reasons on, the paragraph opens with reasons_lead


def _reasons(ctx: _Ctx) -> str:
    """The reasons, one after another, and the user's reason_note. A note that says again
    what a reason's first sentence says ("Wir richten unser Angebot künftig ausschliesslich
    auf Webentwicklung aus" after "Wir richten unser Angebot neu aus und konzentrieren uns
    künftig auf ein engeres Leistungsspektrum") takes that sentence's place: the user's
    own words are the more precise, and the reason's other sentences follow them ("Die
    Leistungen, die wir bisher für Sie erbracht haben, gehören nicht mehr dazu"). Any
    other note follows the reasons, as before."""
    t = ctx.t
    # "no details given" beside reasons that give details would contradict them
    codes = [c for c in t.reasons if c != "unspecified"] or t.reasons
    texts = [ctx.text(ctx.parts["reasons"][code]) for code in codes]
    data = load(ctx.conv.lang, "locale")
    note = _as_sentence(t.reason_note or "")
    if note:
        ignore = frozenset(str(w).casefold() for w in data.get("note_repeat_ignore") or ())
        keys = data.get("note_repeat_keys") or {}
        # "künftig", "ausschließlich": with a word of the reason's claim, the note states the
        # claim anew ("Wir konzentrieren uns künftig auf Webentwicklung", tester 36)
        markers = data.get("note_repeat_markers") or ()
        for at, (code, text) in enumerate(zip(codes, texts, strict=True)):
            first, rest = _first_sentence(text)
            shared = _shared_words(note, first, ignore)
            claim = _names_the_reason(note, keys.get(code) or ())
            if shared >= 3 or (claim and (shared >= 2 or _names_the_reason(note, markers))):
                texts[at] = " ".join(x for x in (note, rest) if x)
                note = ""
                break
    # three reasons or more: a sentence that announces them (locale.yaml: reasons_lead)
    lead = data.get("reasons_lead", "") if len(codes) >= LEAD_REASONS else ""
    return " ".join(x for x in (lead, *texts, note) if x).strip()


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")
_WORD = re.compile(r"\w+")


def _first_sentence(text: str) -> tuple[str, str]:
    """A reason's first sentence and the rest (the reasons hold no abbreviations or dates)."""
    parts = _SENTENCE_BREAK.split(text, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _shared_words(note: str, sentence: str, ignore: frozenset[str]) -> int:
    """How many words that carry meaning (four letters or more, not in ignore: data
    note_repeat_ignore) a note and a sentence share, when they are at least a third of those
    of the shorter one (else 0); words compare by their first five letters, so
    "richten"/"richte" are one word. A note takes the sentence's place with three shared
    words, or with two and a word that carries the reason's claim (_names_the_reason): two
    alone, or the claim's word alone, were found in notes that say something else ("Gern
    nennen wir Ihnen andere Anbieter" beside the reason fit; "Bis zum Vertragsende
    konzentrieren wir uns auf den Abschluss Ihres Relaunches" beside focus_change), and
    the reason was lost."""

    def stems(text: str) -> set[str]:
        words = (w.casefold() for w in _WORD.findall(text))
        return {w[:5] for w in words if len(w) >= 4 and w not in ignore and not w.isdigit()}

    own, theirs = stems(sentence), stems(note)
    shared = len(own & theirs)
    return shared if 3 * shared >= min(len(own), len(theirs)) else 0


def _names_the_reason(note: str, keys: Any) -> bool:
    """Whether a note says the reason's own claim in its own words (data: note_repeat_keys,
    the words that carry it: "Wir konzentrieren uns künftig auf Einzelcoachings" for
    focus_change, whose first sentence says "konzentrieren uns künftig auf ein engeres
    Leistungsspektrum" but shares no second word with it). A key is found anywhere in the
    note, also inside a compound ("Neuausrichtung"), without regard to case."""
    folded = note.casefold()
    return any(str(key).casefold() in folded for key in keys)


_SENTENCE_END = re.compile(r"[.!?…][\"'“”»«’‘)]*$")


def _as_sentence(note: str) -> str:
    """The user's reason note as a sentence of the letter: a capital first letter and a
    closing full stop where it was typed without them ("wir haben uns neu ausgerichtet").
    A word written with a capital inside (iPhone, eBay) keeps its spelling; a note ending
    in a colon or semicolon is left as typed (it introduces what follows)."""
    note = note.strip()
    if not note:
        return note
    if note[0].islower() and not (len(note) > 1 and note[1].isupper()):
        note = note[0].upper() + note[1:]
    if _SENTENCE_END.search(note) or note.endswith((":", ";")):
        return note
    return note + "."


def _steps(ctx: _Ctx) -> str:
    """The steps taken, one sentence each, then the outcome sentence (the parts decide
    whether the steps call for one). Each step knows its place (index, total, the kind
    before it) and, when the steps run forward in time, the word that links it to the one
    before ("Danach", "Zuletzt"; parts: step_lead), so the sentences do not all open alike."""
    sentences = []
    numbers = load(ctx.conv.lang, "locale").get("numbers", [])
    steps = _chronological(ctx.t.steps_taken)
    in_order = _in_order(steps)
    for index, step in enumerate(steps, 1):
        count = step.count
        values = dict(ctx.values)
        values["step"] = {
            "kind": step.kind,
            "count": count,
            "count_words": numbers[count] if count is not None and 0 < count < len(numbers) else count,
            "date": locales.format_date(step.date, ctx.t.locale) if step.date else None,
            # in the order of the calendar, however typed ("1 September and 1 October")
            "dates": locales.join_dates(sorted(step.dates), ctx.t.locale) if step.dates else None,
            "date_count": len(step.dates),
            "index": index,
            "total": len(steps),
            "previous": steps[index - 2].kind if index > 1 else None,
            "in_order": in_order,
        }
        values["step"]["lead"] = render_text(ctx.parts.get("step_lead", ""), values, sharp_s=ctx.conv.sharp_s)
        source = variant(_for_reasons(ctx.parts["steps"][step.kind], ctx.t.reasons), ctx.t.register) or ""
        sentences.append(render_text(source, values, sharp_s=ctx.conv.sharp_s))
    if sentences:
        values = {**ctx.values, "step_kinds": [step.kind for step in steps]}
        source = variant(ctx.parts["steps_outcome"], ctx.t.register) or ""
        sentences.append(render_text(source, values, sharp_s=ctx.conv.sharp_s))
    return " ".join(s for s in sentences if s)


def _chronological(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """The steps in the order they happened when every step is dated (the reader follows
    a story forward); as listed when one is not (its place cannot be known)."""
    if not all(step.date or step.dates for step in steps):
        return steps
    return tuple(sorted(steps, key=lambda step: min([*step.dates, *([step.date] if step.date else [])])))


def _in_order(steps: tuple[Step, ...]) -> bool:
    """Whether the steps, as listed, run forward in time: no dated step begins before a
    dated step listed earlier has ended (an undated step keeps its place in the list).
    Only then may a step open with "then" or "finally"."""
    latest = None
    for step in steps:
        dates = [*step.dates, *([step.date] if step.date else [])]
        if not dates:
            continue
        if latest is not None and min(dates) < latest:
            return False
        latest = max(dates)
    return True


def _for_reasons(entry: Any, reasons: tuple[str, ...]) -> Any:
    """A step's own wording for the letter's reasons (``by_reason`` in the parts library).

    The one reason of ``by_reason`` that the letter gives decides: reminders in a letter
    that gives payment_terms among its reasons were payment reminders. With no such
    reason, or with several (payment and documents: which were the reminders about?),
    the step keeps its neutral text, so it never implies a reason not given.
    """
    own = entry.get("by_reason") if isinstance(entry, dict) else None
    if isinstance(own, dict) and reasons:
        given = [wording for reason, wording in own.items() if reason in reasons]
        if len(given) == 1:
            return given[0]
    return entry


def _after_salutation(text: str, ctx: _Ctx) -> str:
    """German body text starts lower-case after a comma salutation, unless it is Sie/Ihr/a noun."""
    if not ctx.conv.lower_after_salutation or not text:
        return text
    first = text.split(" ", 1)[0].rstrip(",.")
    keep = load(ctx.conv.lang, "locale").get("capitalised_words", [])
    if first in keep:
        return text
    return text[0].lower() + text[1:]


def _names(r: Party) -> tuple[str, str]:
    """First and last name, taken from ``name`` when only that is given."""
    words = (r.name or "").split()
    first = r.first_name or (words[0] if len(words) > 1 else "")
    last = r.last_name or (words[-1] if words else "")
    return first, last


def _name_key(word: str) -> str:
    """A word of a name as the word lists hold it: lower case, without full stops ("Ph.D."
    as phd) and commas."""
    return word.casefold().replace(".", "").strip(",")


def _split_name(name: str, data: dict[str, Any]) -> tuple[str, str, str]:
    """A name typed in one field as (title, first name, last name), for the salutation:
    'Prof. Dr. Heinrich Groß' → ('Prof. Dr.', 'Heinrich', 'Groß'); 'Schmidt, Anna' →
    ('', 'Anna', 'Schmidt'); 'Anna Schmidt, MBA' → ('', 'Anna', 'Schmidt') (a degree after
    the name is never greeted); 'Hans von Bülow' → ('', 'Hans', 'von Bülow'), the last name
    from its particle on (data: surname_particles); every first and middle name stays
    ('Anna Maria Schneider'). A leading article goes ('the Friends of Hartley Library
    team' → 'Dear Friends of Hartley Library team'; data: name_articles). The words are
    compared without case and full stops, as titles are; a word with a full stop before the
    name is a title too ('Dipl.-Ing.', 'Mag.'), but not an initial ('J. R. Smith')."""
    post = _word_set(data, "postnominal")
    last_part, comma, first_part = (part.strip() for part in name.partition(","))
    if comma and all(_name_key(word) in post for word in first_part.split()):
        name, comma = last_part, ""  # "Anna Schmidt, MBA": a degree, not a first name
    words = name.split()
    while len(words) > 1 and _name_key(words[-1]) in post:
        words.pop()
    if comma:  # "Schmidt, Anna": the last name first ("Schmidt, Anna, PhD" too)
        words = [
            *(word for word in first_part.replace(",", " ").split() if _name_key(word) not in post),
            last_part,
        ]
    titles = _word_set(data, "name_title_words", fold=True)
    articles = _word_set(data, "name_articles", fold=True)
    title: list[str] = []
    while len(words) > 2:
        if _name_key(words[0]) in titles or (words[0].endswith(".") and len(words[0]) > 2):
            title.append(words.pop(0))  # "Dr. Anna Schmidt", "Mag. Eva Bergmann"; not an initial ("J.")
        elif _name_key(words[0]) in articles and _name_key(words[1]) in titles:
            title += [words.pop(0), words.pop(0)]  # "The Revd Alasdair Grey"
        else:
            break
    if len(words) > 2 and not title and _name_key(words[0]) in articles:
        words.pop(0)  # "the Friends of Hartley Library team", "das Team der Altstadtbühne"
    if len(words) < 2:
        return " ".join(title), "", " ".join(words)
    particles = _word_set(data, "surname_particles")
    start = next((i for i in range(1, len(words) - 1) if words[i] in particles), len(words) - 1)
    return " ".join(title), " ".join(words[:start]), " ".join(words[start:])


def _salutation_party(r: Party, data: dict[str, Any]) -> Party:
    """The recipient as the salutation reads them: a name typed in one field (``name``) is
    split into title, first and last name (see _split_name), and given fields win. A form
    of address before it ("Herrn Dr. Jan Roth", "Mrs Joan O'Neill"; data: name_honorifics)
    gives the gender (and Mrs or Miss) when the input gives none, and leaves the name, so
    that the salutation uses its own form ("Sehr geehrter Herr Dr. Roth")."""
    if not r.name or (r.first_name and r.last_name):
        return r
    name, gender, courtesy = r.name, r.gender, r.courtesy
    words = name.split()
    honorifics = {str(k).casefold(): str(v) for k, v in (data.get("name_honorifics") or {}).items()}
    joiners = _word_set(data, "name_conjunctions", fold=True)
    form = honorifics.get(_name_key(words[0])) if len(words) > 1 else None
    if form and not joiners & {_name_key(word) for word in words}:  # not "Herr und Frau Müller"
        name = " ".join(words[1:])
        if gender == "unknown":
            gender = "female" if form in ("Mrs", "Miss") else form
            courtesy = courtesy or (form if form in ("Mrs", "Miss") else None)
    title, first, last = _split_name(name, data)
    return replace(
        r,
        gender=gender,
        courtesy=courtesy,
        title=r.title or title or None,
        first_name=r.first_name or first or None,
        last_name=r.last_name or last or None,
    )


def _salutation(t: Termination, conv: locales.Conventions, data: dict[str, Any]) -> tuple[str, str]:
    """The salutation line and its case (female, male, diverse, unknown or company)."""
    r = _salutation_party(t.recipient, data)
    first, last = _names(r)
    if last and r.gender in ("female", "male", "diverse"):
        case = r.gender
    elif (first and last) or (last and r.title) or (t.register == "du" and first):
        case = "unknown"  # "Guten Tag, Kim Schneider," / "Dear Alex Patel"
    else:
        case = "company"  # no person to name: "Sehr geehrte Damen und Herren," / "Dear Sir or Madam"
    source = pick(data["salutation"], t.locale, t.channel, t.register, case)
    if case in ("female", "male"):  # "Herr Freiherr von …" is no German: "Herr von …" (tester 40)
        last = _without_rank(last, data)
    english = _english_title(r, conv, data) if case != "company" else None
    title = "" if english else _salutation_title(r, conv, data, case)
    # "Dear Dr Grey", "Dear Sir Alasdair", "Dear Reverend Grey:", "Dear Canon Grey", "Dear Bishop"
    if english:
        word, mode = english.word, english.mode
        if word and mode == "alone":
            title, last = word, ""
        else:
            title = f"{word} " if word and (last or mode == "first") else ""
        if mode == "first" and first:
            last = first
    values = {
        "title": title,
        "first_name": first,
        "last_name": last,
        "full_name": " ".join(x for x in (first, last) if x),
        "company": (company := _without_legal_form(r.company or "", data)),
        "group": _names_a_group(company, data),  # "Events Team Ltd": "Dear Events Team"
        "honorific": _honorific(r, conv, data),
    }
    # the comma of "Guten Tag, Herr Weber" is the locale's, the same in every letter: written
    # into the template's text, the salutation's skeleton serves every row of a merge (a
    # printed string that starts with a comma always takes the slow path: parts._UNTIDY)
    source = str(source).replace("{{ sep }}", "," if conv.salutation_end else "")
    text = render_text(source, values, sharp_s=conv.sharp_s)
    return text + conv.salutation_end, case


_WORD_SETS: dict[tuple[int, str, bool], tuple[Mapping[str, Any], frozenset[str]]] = {}


def _word_set(data: Mapping[str, Any], key: str, fold: bool = False) -> frozenset[str]:
    """A word list of the locale data as a set (case-folded with ``fold``), made once per
    data and key: every letter of a merge is composed from the same data, and making the
    set of legal forms anew for each letter's salutation cost more than the rest of it.
    The data is the loaded locale.yaml, which nothing changes once loaded."""
    entry = _WORD_SETS.get((id(data), key, fold))
    if entry is None or entry[0] is not data:
        words = frozenset(str(word).casefold() if fold else str(word) for word in data.get(key) or ())
        if len(_WORD_SETS) >= 256:
            _WORD_SETS.clear()
        entry = _WORD_SETS[(id(data), key, fold)] = (data, words)
    return entry[1]


def _without_rank(last: str, data: dict[str, Any]) -> str:
    """A last name without the rank word of nobility before its particle, for a salutation
    after Herr/Frau: 'Freiherr von und zu Guttenberg' → 'von und zu Guttenberg' (the
    address keeps the whole name). The words are data (``nobility_ranks``, ``nobility_particles``)."""
    words = last.split()
    ranks, particles = _word_set(data, "nobility_ranks"), _word_set(data, "nobility_particles")
    if len(words) > 2 and words[0] in ranks and words[1] in particles:
        return " ".join(words[1:])
    return last


def _names_a_group(company: str, data: dict[str, Any]) -> bool:
    """Whether a company's name ends in a word for a group of people ('Accounts Department',
    'Board of Trustees'; data: group_nouns), which a team salutation names as it is."""
    words = company.split()
    return bool(words) and words[-1].casefold().strip(".,") in _word_set(data, "group_nouns", fold=True)


def _without_legal_form(company: str, data: dict[str, Any]) -> str:
    """The company's name without its legal form or a leading article, for a team
    salutation: 'Bloggs Holdings, Inc.' → 'Bloggs Holdings'; '' when only a legal form is
    left. The forms and articles are data (``legal_forms``, ``leading_articles`` in
    locale.yaml), compared without case, full stops and commas."""
    forms = _word_set(data, "legal_forms", fold=True)
    words = company.split()
    while words and words[-1].casefold().replace(".", "").strip(",") in forms:
        words.pop()
    # "The Hartford Group": 'Dear Hartford Group team', not 'Dear The Hartford Group team'
    articles = _word_set(data, "leading_articles", fold=True)
    if len(words) > 1 and words[0].casefold() in articles:
        words.pop(0)
    return " ".join(words).rstrip(",;-– ")


def _title_keys(title: str, data: dict[str, Any]) -> list[str]:
    """'Prof. Dr.' → ['prof', 'dr']; aliases from the locale data ('PhD' → 'dr')."""
    aliases = data.get("title_aliases", {})
    tokens = [tok.strip(".,").lower() for tok in title.replace(".", ". ").split()]
    return [aliases.get(tok, tok) for tok in tokens]


def _salutation_title(r: Party, conv: locales.Conventions, data: dict[str, Any], case: str) -> str:
    """The title as it appears in the salutation, with a trailing space, or ''."""
    if not r.title:
        return ""
    post = _word_set(data, "postnominal")
    titles = pick(data.get("titles", {}), conv.locale)
    keys = _title_keys(r.title, data)
    for key in ("prof", "dr"):
        if key in keys and key in titles:
            return str(pick(titles[key], case, "unknown")) + " "
    if conv.titles == "all":  # Austria names a Mag., DI or Ing. too, the first when there are several
        kept = [tok for tok in r.title.split() if tok.strip(".,").lower() not in post]
        return kept[0] + " " if kept else ""
    return ""


@dataclass(frozen=True)
class EnglishTitle:
    """An English title as a letter prints it: ``address``, the words before the name in the
    inside address ("The Rt Revd Dr"); ``word``, what the salutation puts before the name
    ("Dr", "Bishop", "" for Ms/Mr); ``mode``: "last" (before the last name, "Dear Dr
    Grey"), "first" (before the first name, "Dear Sir Alasdair") or "alone" (without the
    name, "Dear Bishop")."""

    address: str
    word: str
    mode: str


def _english_title(party: Party, conv: locales.Conventions, data: dict[str, Any]) -> EnglishTitle | None:
    """An English letter's title from every word of the typed one that English uses, in the
    order typed: the styles of the data (name_styles: The Revd, The Rt Revd, Sir, Dame,
    each with the rank word that belongs to it: Rt, Very, Most), Dr and Professor (titles)
    and the titles English uses as typed (titles_as_typed: Canon, Rabbi, Captain). So
    "Revd Canon" is "The Revd Canon Alasdair Grey", "Rt Revd Dr" "The Rt Revd Dr Alasdair
    Grey". The salutation takes, in this order, a style that outranks the rest (Bishop,
    Sir), a title as typed, Dr or Professor, the salutation of any other style. None when
    no word is one English uses (Mag., DDr., KR, Hon.: Ms/Mr by the gender)."""
    title = (party.title or "").strip()
    if conv.lang != "en" or not title:
        return None
    parts = _english_title_parts(title, conv, data)
    styles = data.get("name_styles") or {}
    if not party.first_name:  # "Sir Grey" is no form: the style goes (Ms/Mr by gender, or another title)
        parts = [p for p in parts if not (p[0] == "style" and styles[p[1]].get("salutation") == "first")]
    if not parts:
        return None
    # a style whose address starts with "The" comes first ("The Revd Dr", not "Dr The Revd")
    parts.sort(key=lambda part: not part[2].startswith("The "))
    address = " ".join(text for _, _, text in parts)
    return EnglishTitle(address, *_english_salutation(parts, conv, styles))


def _english_title_parts(
    title: str, conv: locales.Conventions, data: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """The words of a typed title that English uses, as (kind, key, what the address
    prints): a style of two words first ("rt revd"), then one of one word, Dr or Professor,
    a title as typed; any other word is left out."""
    keys = _title_keys(title, data)
    typed = [tok.strip(".,") for tok in title.replace(".", ". ").split()]
    styles = data.get("name_styles") or {}
    titles = pick(data.get("titles", {}), conv.locale)
    as_typed = _word_set(data, "titles_as_typed")
    parts: list[tuple[str, str, str]] = []
    i = 0
    while i < len(keys):
        pair = " ".join(keys[i : i + 2])
        key = pair if i + 1 < len(keys) and pair in styles else keys[i]
        i += len(key.split())
        if any(part[1] == key for part in parts):
            continue  # said twice ("Dr Dr"): once
        if key in styles:
            parts.append(("style", key, str(pick(styles[key].get("address") or "", conv.locale) or "")))
        elif key in ("prof", "dr") and isinstance(titles, dict) and key in titles:
            parts.append(("academic", key, str(titles[key])))
        elif key in as_typed:
            parts.append(("typed", key, typed[i - 1]))
    if any(part[1] == "prof" for part in parts):  # the highest academic title only: "Professor"
        parts = [part for part in parts if part[1] != "dr"]
    return parts


def _english_salutation(
    parts: list[tuple[str, str, str]], conv: locales.Conventions, styles: dict[str, Any]
) -> tuple[str, str]:
    """The salutation's word and mode for the parts of an English title (see _english_title)."""

    def style_word(key: str) -> tuple[str, str]:
        style = styles[key]
        if style.get("salutation") == "first":
            return str(pick(style.get("address") or "", conv.locale) or ""), "first"
        word = str(pick(style.get("salutation") or "", conv.locale) or "")
        return word, "alone" if pick(style.get("alone") or False, conv.locale) is True else "last"

    for kind, key, _ in parts:
        if kind == "style" and pick(styles[key].get("outranks") or False, conv.locale) is True:
            return style_word(key)
    for wanted in ("typed", "academic"):
        for kind, _, text in parts:
            if kind == wanted:
                return text, "last"
    for kind, key, _ in parts:
        if kind == "style":
            return style_word(key)
    return "", "last"


def _closing(t: Termination, conv: locales.Conventions, data: dict[str, Any], case: str) -> str:
    kind = "company" if case == "company" else "named"
    text = pick(data["closing"], t.locale, t.channel, kind, t.register)
    return str(text) if conv.sharp_s else str(text).replace("ß", "ss")


def _info_block_date(t: Termination, conv: locales.Conventions, data: dict[str, Any]) -> str:
    """The date as the last line of a German information block ("Datum: 27. November 2026",
    DIN 5008), without the place, which stands before the date only where there is no
    block ("Kiel, 27. November 2026"; tester 28). Swiss letters keep "Zürich, 27. November
    2026" (SN 010130 has no such block), English letters date as they do."""
    if conv.lang != "de" or t.locale == "de-CH":
        return _date_line(t.sender, t.date, t.locale)
    return f"{data['labels']['date']}: {locales.format_date(t.date, t.locale)}"


def _date_line(sender: Party, when: date, locale: str) -> str:
    formatted = locales.format_date(when, locale)
    return f"{sender.city}, {formatted}" if sender.city and locale[:2] == "de" else formatted


def _address(
    party: Party, conv: locales.Conventions, home: str | None, *, sender: bool = False, one_line: bool = False
) -> tuple[str, ...]:
    """Address lines; the country line only when the letter crosses a border, that is when
    the address's country differs from ``home`` (the sender's country; None: no line)."""
    lines: list[str] = []
    if party.company:
        lines.append(party.company)
    person = _signer(party, conv) if sender else _addressee(party, conv, address=True)
    if not sender and party.company and person == party.last_name and not party.first_name:
        person = (
            ""  # a bare surname under the company reads as a leftover; the salutation names no one either
        )
    if person and (not one_line or not party.company):
        # the person above the company in English (Royal Mail, USPS); below it in German
        # (DIN 5008: "Muster GmbH / Frau Anna Roth")
        lines.insert(0 if conv.lang == "en" and not sender else len(lines), person)
    if party.address_extra and not one_line:  # above the street (DIN 5008, Royal Mail, USPS)
        lines.append(party.address_extra)
    if party.street:
        lines.append(party.street)
    lines.extend(_city_lines(party, conv, one_line or sender))
    country = _country(party, conv)
    if country and home and country != home and not one_line:
        name = locales.territory_name(country, conv.locale)
        lines.append(name.upper())  # destination country in capitals (DIN 5008, UPU)
    return tuple(lines)


def _country(party: Party, conv: locales.Conventions) -> str | None:
    """The country of a party's address, worked out as validation does (the one given, else
    the country of an unmistakable postcode, else the locale's); None for an address
    without a country, postcode or town, which is no postal address to judge."""
    if not (party.country or party.postal_code or party.city):
        return None
    return locales.address_country(party.country, party.postal_code, conv.locale, party.state)


def _display_name(r: Party, conv: locales.Conventions) -> str:
    """The recipient's name as an email's To: shows it: the full name when there is a first
    name; else the company; else the name as in the address ('Frau Gassmann'), when it says
    more than a bare surname; else none ('Gassmann <g@example.ch>' looks broken)."""
    first, last = _names(r)
    if first and last and r.title and conv.lang == "en" and r.first_name and r.last_name:
        # the title as the address writes it ("The Revd Alasdair Grey", "Dr. Anna Patel"),
        # none that English letters leave out ("Mag.")
        addressee = _addressee(r, conv, address=True)
        honorific = _honorific(r, conv, load(conv.lang, "locale"), address=True)
        return addressee[len(honorific) :].strip() if honorific and addressee.startswith(f"{honorific} ") else addressee
    if first and last and r.title and r.first_name and r.last_name:
        return _titled_name(r.title, r.first_name, r.last_name, load(conv.lang, "locale"))  # "Dr. Anna Roth, MBA"
    if first and last:
        return r.person
    if r.company:
        return r.company
    addressee = _addressee(r, conv)
    return addressee if addressee and addressee != last else ""


def _honorific(party: Party, conv: locales.Conventions, data: dict[str, Any], address: bool = False) -> str:
    """Frau/Herr, Ms/Mr/Mx (Ms./Mr./Mx. in the US); Mrs or Miss where the input asked and
    the locale has the form (data: honorifics). In an inside ``address`` the locale's own
    forms come first (data: address_honorifics, "Herrn" in de-DE and de-AT)."""
    forms = pick(data.get("honorifics", {}), conv.locale)
    own = pick(data.get("address_honorifics") or {}, conv.locale) if address else None
    if isinstance(forms, dict) and isinstance(own, dict):
        forms = {**forms, **{k: v for k, v in own.items() if isinstance(v, str)}}
    key = (
        party.courtesy
        if party.courtesy and party.gender == "female" and party.courtesy in forms
        else party.gender
    )
    honorific = forms.get(key) if isinstance(forms, dict) else None
    return honorific if isinstance(honorific, str) else ""


def _addressee(party: Party, conv: locales.Conventions, address: bool = False) -> str:
    """The person line of an inside ``address`` ('Frau Dr. Anna Schneider', 'Herrn Jonas
    Weber', 'Ms Anna Schneider'), or the name with its honorific as elsewhere ('Herr Weber')."""
    if not (party.first_name or party.last_name):
        return party.name or ""
    data = load(conv.lang, "locale")
    honorific = _honorific(party, conv, data, address)
    title = party.title
    if title and conv.titles != "all" and conv.lang == "en":
        # English inside addresses use the locale's form: "Dr Priya Patel" / "Dr. Priya Patel";
        # a style ("The Revd", "Sir", "Canon") stands in place of Ms/Mr
        english = _english_title(party, conv, data)
        title = english.address if english else None
    name = _titled_name(title, party.first_name, party.last_name, data)
    if title and conv.lang == "en":
        honorific = ""
    return f"{honorific} {name}".strip()


def _titled_name(title: str | None, first: str | None, last: str | None, data: dict[str, Any]) -> str:
    """The name with its title: before it, but a degree written after a name (data:
    postnominal; PhD, MBA, LL.M.) after it, with a comma: 'Dr. MBA' gives 'Dr. Anna Roth,
    MBA', not 'Dr. MBA Anna Roth'. A word typed in lower case is no degree but a doctorate's
    subject ('Dr. med.'); the words are compared without case and full stops."""
    post = _word_set(data, "postnominal")
    words = (title or "").split()
    degrees = [w for w in words if not w.islower() and w.casefold().replace(".", "").strip(",") in post]
    before = " ".join(w for w in words if w not in degrees)
    name = " ".join(x for x in (before, first, last) if x)
    return f"{name}, {' '.join(degrees)}" if degrees and name else name


def _city_lines(party: Party, conv: locales.Conventions, one_line: bool) -> list[str]:
    """Postcode and town as the post of the party's country expects them.

    Without a country the address is where its postcode's shape says (M1 1AA: GB), else
    in the letter's locale (en-GB: GB); so a UK sender of a German letter keeps the UK
    layout in the letterhead, the sender line and the footer.
    GB (Royal Mail): post town in capitals, postcode on its own line; on one line
    "Leeds LS1 5HD". US/CA: "Springfield, IL 62701". Elsewhere (DE/AT/CH ...): "80331 München".
    """
    country = locales.address_country(party.country, party.postal_code, conv.locale, party.state)
    city, code = party.city or "", party.postal_code or ""
    if country == "GB":
        code = _uk_postcode(code)
        lines = [f"{city} {code}".strip()] if one_line else [city.upper(), code]
    elif country in ("US", "CA"):
        # The state may also sit in city ("Austin, TX").
        state = party.state or ""
        if country == "US":
            city, state = _us_town(city, state)
        town = ", ".join(x for x in (city, state) if x)
        lines = [f"{town} {code}".strip()]
    else:
        lines = [f"{code} {city}".strip()]
    return [x for x in lines if x]


_STATE_CODE_AT_END = re.compile(r"^(.*?\S)\s*(,)?\s+([A-Za-z]\.?\s?[A-Za-z]\.?)$")


def _us_town(city: str, state: str) -> tuple[str, str]:
    """A US town and its state as the Postal Service writes them: the state as its
    two-letter code ("Oak Park, IL 60302", not "Oak Park, Illinois 60302"), also where the
    city names it ("Austin, Texas", "Austin TX", "Washington, D.C." → "Austin, TX",
    "Washington, DC"; data: us_states). A code without a comma counts only in capitals, as
    validation reads it; anything else stays as typed."""
    states = {str(k): str(v) for k, v in (load("en", "locale").get("us_states") or {}).items()}
    by_name = {name.casefold(): code for code, name in states.items()}
    if state:
        compact = state.replace(".", "").replace(" ", "").upper()
        return city, compact if compact in states else by_name.get(state.strip().casefold(), state)
    folded = city.casefold()
    for name in sorted(by_name, key=len, reverse=True):
        rest = folded[: -len(name)]
        # a name only after a comma, as validation reads it ("Fort Washington" is a town)
        if folded.endswith(name) and rest.rstrip(" ").endswith(",") and rest.strip(" ,"):
            return city[: len(rest)].rstrip(" ,"), by_name[name]
    found = _STATE_CODE_AT_END.match(city)
    if found:
        typed = found.group(3)
        compact = typed.replace(".", "").replace(" ", "").upper()
        if compact in states and (found.group(2) or typed.isupper()):
            return found.group(1), compact
    return city, state


_UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}")


def _uk_postcode(code: str) -> str:
    """A UK postcode as Royal Mail writes it ('sw1a2aa' → 'SW1A 2AA'); anything else as typed."""
    compact = code.replace(" ", "").upper()
    if _UK_POSTCODE.fullmatch(compact):
        return f"{compact[:-3]} {compact[-3:]}"
    return code


def _references(t: Termination, data: dict[str, Any], contact: Any) -> tuple[Reference, ...]:
    """The reference block; which lines a locale shows is data (``reference_fields``).

    Its contact is the person the body sends questions to (the part's ``contact``: the
    handover's contact person, else the signer), with that person's own email and phone:
    "Kontakt: Bernd Hoffmann" above "wenden Sie sich bitte an Sabine Kraus" named two people
    for one role. The sender's own number and address stay in the footer."""
    labels = data["labels"]
    s, c = t.sender, t.contract
    signer = contact is None or _of_contact(contact, "name") == s.person

    def reach(key: str) -> str | None:
        """The contact's email or phone; the signer's as the sender gives them."""
        own = _of_contact(contact, key)
        return own or (getattr(s, key) if signer else None)

    values = {
        "contract": c.reference if c else None,
        "contract_date": locales.format_date(c.date, t.locale) if c and c.date else None,
        "contact": _of_contact(contact, "name") or s.person or None,
        "phone": reach("phone"),
        "email": reach("email"),
    }
    label_keys = {"contract": "your_contract"}
    fields = data.get("reference_fields", list(values))
    return tuple(Reference(labels[label_keys.get(f, f)], str(values[f])) for f in fields if values.get(f))


def _of_contact(contact: Any, key: str) -> str | None:
    """A field of the letter's contact (a handover contact or the signer's details)."""
    if contact is None:
        return None
    value = contact.get(key) if isinstance(contact, dict) else getattr(contact, key, None)
    return str(value) if value else None


def _footer(s: Party, conv: locales.Conventions, labels: dict[str, str]) -> tuple[str, ...]:
    address = " · ".join(
        x for x in (s.company or s.person, s.street, *_city_lines(s, conv, one_line=True)) if x
    )
    reach = " · ".join(
        x
        for x in (
            f"{labels['phone']} {s.phone}" if s.phone else "",
            f"{labels['email']} {s.email}" if s.email else "",
            s.website or "",
        )
        if x
    )
    return tuple(x for x in (address, reach, *(s.legal or "").split("\n")) if x)
