"""Sie or du: the register a German letter addresses its reader in, and the words that
leave it (the structure checks ``mixed_address`` and ``lowercase_reader``).

The letter's register is the one its salutation sets ("Sehr geehrte Frau Berg," → Sie;
"Liebe Anna,", "Hallo Jonas," → du; not a closing, "Liebe Grüße", nor a group, "Hallo
zusammen"), else the one most of its reader-addressing words use, else the first one
used. Each sentence that addresses the reader in the other register is reported at its
first stray word, also when the whole body is in the other register than the salutation.

Not every "Sie" or "Ihr" is the reader. A lower-case "sie"/"ihr" never is (she, they,
her, their), and the word lists are matched case-sensitively. A capitalised one opening a
sentence may be "she"/"they"/"her": "Sie hat …" (a verb of the third person singular),
or after a third person named in the sentence before ("Frau Berg hat uns gebeten …
Sie hat", "Deine Kollegen … Sie haben", "Frau Roth … Ihr Anliegen"). In a du letter it
is "they" after any plural there too, things or two names ("Die Rechnungen habe ich
geprüft. Sie sind korrekt", "Grüß Tom und Eva. Sie waren …"): a du letter's writer
rarely switches to Sie at a sentence's start, right after naming what "sie" can be.
"Ihr habt", "Ihr beiden habt", "Wie Ihr wisst" is the plural of du, and so, in a du
letter, is an "Ihr" beside "Euch"/"Euer" ("Ihr Lieben, ich danke Euch"). Nor is every
"Du" the reader: "per Du", "das Du" are a noun, and "Agentur Du & Ich GmbH", "Deine Stadt
Medien e.K." a name.
Quotations are someone else's words, and the signature and letterhead are no body text.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from .body import is_prose
from .engine import word_sets
from .findings import Spot
from .letterhead import letterhead_line, separated_letterhead
from .names import firm_spans
from .regexes import regex
from .rules import language_data, language_regex

if TYPE_CHECKING:
    from .structure import Context

SIE, DU = "sie", "du"
_THEY_IF_DU = "they?"  # a sentence's first Sie/Ihr after a plural: "they" in a du letter, else the reader
_PLURAL_IF_DU = "ihr?"  # "Ihr" beside "Euch"/"Euer": the plural of du in a du letter, else the reader
_PENDING = (_THEY_IF_DU, _PLURAL_IF_DU)
_OPENING = 1500  # characters in which a letter's salutation is looked for
_ANTECEDENT_REACH = 240  # characters looked back for a third person (a bounded window)
_CLAUSE_WORDS = 8  # words after "Ihr" read for its verb ("Da Ihr uns immer so gut geholfen habt")
_SENTENCE_END = regex(r"[.!?](?=\s)|\n\s*\n")


class Form(NamedTuple):
    """A word that addresses the reader, where it stands and the register it belongs to."""

    start: int
    end: int
    register: str


def reader_forms(ctx: Context) -> list[Form]:
    """The body's words that address the reader, in order (computed once per draft)."""
    if ctx.address_forms is not None:  # two checks ask for them
        return ctx.address_forms
    text = ctx.draft.visible
    spans = _body_spans(ctx)
    found: list[tuple[int, int, str]] = []
    if spans:  # each word list searched once over the body, its words kept where a span holds them
        for key, register in (("reader_forms_sie", SIE), ("reader_forms_du", DU)):
            found += [
                (*m.span(), register) for m in ctx.words_re(key, 0).finditer(text, spans[0][0], spans[-1][1])
            ]
    starts = [start for start, _ in spans]
    draft = ctx.parts is None  # a draft may quote someone, name a firm, speak of "das Du"
    firms: list[tuple[int, int]] | None = None  # "Ihr Bäcker GmbH": a name (found when needed)
    forms: list[Form] = []
    for start, end, register in sorted(found):
        at = bisect.bisect_right(starts, start) - 1
        if at < 0 or end > spans[at][1]:
            continue  # between the body's sentences: a letterhead, an address line
        if draft and ctx.index.in_quote(start):
            continue  # „Können Sie die Daten schicken?“ in a du letter: someone else's words
        if firms is None:
            firms = sorted(firm_spans(ctx.index, word_sets(ctx.lang))) if draft else []
        form = Form(start, end, register)
        if draft and (_inside(firms, start) or _not_addressing(ctx, form, spans[at][0])):
            continue
        reader = _register_of(ctx, form, spans[at][0]) if register == SIE else DU
        if reader is not None:
            forms.append(form._replace(register=reader))
    ctx.address_forms = forms = _settled(ctx, forms)
    return forms


def _settled(ctx: Context, forms: list[Form]) -> list[Form]:
    """The forms whose register the letter's register settles (its salutation's, else that
    of most of the other forms): a sentence's first Sie/Ihr after a plural is "they" in a
    du letter and the reader otherwise; an "Ihr" beside "Euch"/"Euer" is the plural of du
    in a du letter and the polite form otherwise."""
    if not any(form.register in _PENDING for form in forms):
        return forms
    register = _salutation_register(ctx) or _most_used([f for f in forms if f.register not in _PENDING])
    settled = []
    for form in forms:
        if form.register == _THEY_IF_DU and register == DU:
            continue  # they
        if form.register in _PENDING:
            form = form._replace(register=DU if register == DU and form.register == _PLURAL_IF_DU else SIE)
        settled.append(form)
    return settled


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Does one of the sorted ``spans`` hold offset ``at``?"""
    index = bisect.bisect_right(spans, (at, 1 << 62)) - 1
    return any(spans[i][0] <= at < spans[i][1] for i in range(max(0, index - 2), index + 1))


def _body_spans(ctx: Context) -> list[tuple[int, int]]:
    """The body's spans: a Letter's parts, or a draft's prose before the closing without a
    letterhead line set apart by middle dots ("Ihr Partner für Texte · Hauptstraße 1 ·
    10115 Berlin": the sender's name, not the reader)."""
    if ctx.parts is not None:
        return ctx.body_spans()
    forms = word_sets(ctx.lang).get("legal_forms", frozenset())
    return [(s.start, s.end) for s in ctx.body() if not separated_letterhead(s, ctx.lang, forms)]


def _register_of(ctx: Context, form: Form, span_start: int) -> str | None:
    """The register of a capitalised Sie/Ihr/Ihnen: Sie within a sentence; at its start
    Sie unless it is a third person ("Sie hat", after "Frau Berg …"), None when it is not
    the reader, and _THEY_IF_DU after a plural that only a du letter's writer means by it
    ("Die Rechnungen … Sie sind korrekt"). "Ihr" anywhere is du before a verb of the second
    person plural ("Ihr habt", "Wie Ihr wisst", "Da Ihr uns geholfen habt"), and
    _PLURAL_IF_DU beside "Euch"/"Euer" ("Ihr Lieben, ich danke Euch")."""
    text = ctx.draft.visible
    word = text[form.start : form.end]
    before = text[span_start : form.start].rstrip()
    if word == "Ihr":
        plural = _plural_ihr(ctx, form, span_start, at_start=not before or before[-1] in ".!?:")
        if plural is not None:
            return plural
    if before and before[-1] not in ".!?:":
        return SIE  # capitalised inside a sentence: the polite form
    after = text[form.end : form.end + 40].split(None, 1)
    following = after[0].strip(",;.!?") if after else ""
    if word == "Sie" and _matches(ctx, "third_person_verb", following):
        return None  # "Sie hat", "Sie möchte": she
    previous = _sentence_before(ctx, form.start)
    if previous is not None and _third_person_in(ctx, previous):
        return None  # "Deine Kollegen … Sie haben", "Frau Roth … Ihr Anliegen": they, her
    if previous is not None and _matches_in(ctx, "du_plural_antecedent", previous):
        return _THEY_IF_DU  # "Die Rechnungen … Sie sind korrekt": they, in a du letter
    return SIE


def _plural_ihr(ctx: Context, form: Form, span_start: int, at_start: bool) -> str | None:
    """DU for a capitalised "Ihr" that is the plural of du by its verb: a verb of the second
    person plural right after it ("Ihr habt", "Ihr beiden habt", "Wie Ihr wisst"), or further
    on in its clause one that no third person shares ("Da Ihr uns immer geholfen habt", not
    "wenn Ihr neuer Berater Unterlagen braucht"); _PLURAL_IF_DU when its sentence holds
    "Euch"/"Euer" ("Ihr Lieben, danke Euch"), which the letter's register settles; None
    otherwise."""
    text = ctx.draft.visible
    words = text[form.end : form.end + 80].split()[:_CLAUSE_WORDS]
    if at_start and _plural_you(ctx, words[:5]):
        return DU  # "Ihr habt", "Ihr seid", "Ihr beiden habt", "Ihr gebt"
    sets = word_sets(ctx.lang)
    between = sets.get("plural_you_between", frozenset())
    next_words = [w.strip(",;.!?:)") for w in words[:3]]
    while next_words and next_words[0].lower() in between:
        next_words.pop(0)
    if next_words and next_words[0] in sets.get("plural_you_verbs", ()):
        return DU  # "Wie Ihr wisst", "wenn Ihr beide kommt"
    only_plural = sets.get("plural_you_only_verbs", frozenset())
    for token in words:  # further on, a verb that is no third person ("wenn Ihr … braucht" may be)
        if token.strip(",;.!?:)") in only_plural:
            return DU  # "Da Ihr uns immer geholfen habt"
        if token[-1:] in ",;.!?:":
            break  # the clause ends
    if ctx.words_re("du_plural_words").search(_sentence_around(text, form, span_start)):
        return _PLURAL_IF_DU
    return None


def _sentence_around(text: str, form: Form, span_start: int) -> str:
    """The sentence that holds ``form`` (from the body span's start on, within a bounded
    window either side)."""
    start = max(span_start, form.start - _ANTECEDENT_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, form.start)]
    end = _SENTENCE_END.search(text, form.end, form.end + _ANTECEDENT_REACH)
    return text[ends[-1] if ends else start : end.end() if end else form.end + _ANTECEDENT_REACH]


def _plural_you(ctx: Context, words: list[str]) -> bool:
    """Do the words after a sentence's first "Ihr" make it the plural of du: a verb of the
    second person plural ("habt", "seid"), after two words such as "beiden" at most; any
    other word in -t only when no adjective and noun follow it ("Ihr gut gemeinter Rat")."""
    sets = word_sets(ctx.lang)
    words = [word.strip(",;.!?") for word in words]
    at = 1 if words[:1] and words[0].lower() in sets.get("plural_you_between", ()) else 0
    if at < len(words) and words[at].lower() in sets.get("plural_you_between", ()):
        at += 1
    if at >= len(words) or not words[at][:1].islower():
        return False
    if words[at] in sets.get("plural_you_verbs", ()):
        return True
    noun_phrase = (
        at + 2 < len(words)
        and words[at + 1][:1].islower()
        and words[at + 1].endswith(("e", "en", "em", "er", "es"))
        and words[at + 2][:1].isupper()
    )
    return not noun_phrase and _matches(ctx, "plural_you_verb", words[at])


def _matches(ctx: Context, key: str, word: str) -> bool:
    pattern = ctx.words.get(key)
    return (
        bool(word)
        and isinstance(pattern, str)
        and language_regex(ctx.lang, pattern).fullmatch(word) is not None
    )


def _matches_in(ctx: Context, key: str, text: str) -> bool:
    pattern = ctx.words.get(key)
    return isinstance(pattern, str) and language_regex(ctx.lang, pattern).search(text) is not None


def _sentence_before(ctx: Context, at: int) -> str | None:
    """The sentence of prose before ``at`` (a sentence's first word), ending in . ! ? or :;
    None after the salutation, which names the reader, or a letterhead. Read from the
    text, in a bounded window, so that a composed Letter needs no sentence index."""
    text = ctx.draft.visible
    window = text[max(0, at - _ANTECEDENT_REACH) : at].rstrip()
    if not window.endswith((".", "!", "?", ":")):
        return None
    ends = [m.end() for m in _SENTENCE_END.finditer(window, 0, len(window) - 1)]
    return window[ends[-1] if ends else 0 :].strip()


def _third_person_in(ctx: Context, previous: str) -> bool:
    """Does the sentence before name a third person "Sie"/"Ihr" may refer to: a woman by
    name, two people, a plural of people, a "Sie hat …"?"""
    words = previous.split(None, 2)
    if words[:1] == ["Sie"] and len(words) > 1 and _matches(ctx, "third_person_verb", words[1]):
        return True  # "Sie hat die Liste. Ihr Wunsch …": she, and her wish
    person = ctx.words.get("third_person_antecedent", "(?!)")
    return bool(_antecedent_re(ctx).search(previous) or language_regex(ctx.lang, person).search(previous))


def _not_addressing(ctx: Context, form: Form, span_start: int) -> bool:
    """A reader's word that addresses no one: "Du" as a noun ("per Du", "das Du, das Sie uns
    angeboten haben"), or a word of a firm's name that ends in its legal form ("Agentur Du
    & Ich GmbH", "Deine Stadt Medien e.K.")."""
    text = ctx.draft.visible
    word = text[form.start : form.end]
    before = text[span_start : form.start].split()
    sets = word_sets(ctx.lang)
    if before and word in ("Du", "du", "Sie") and before[-1] in sets.get("address_noun_after", ()):
        return True  # "per Du", "per Sie"
    articles = {w.lower() for w in sets.get("du_noun_after", ())}
    if word == "Du" and before and before[-1].lower() in articles and not _relative(before[:-1], sets):
        return True  # "das Du", "für das Du", "ihr Du"
    return _firm_word(ctx, form, before)


def _relative(before: list[str], sets: dict[str, frozenset[str]]) -> bool:
    """Do the words before an article make it a relative pronoun: a comma right before it
    or before its preposition ("…, das Du", "…, für das Du")?"""
    if before and before[-1].endswith(","):
        return True
    stops = sets.get("name_stops", frozenset())
    return len(before) >= 2 and before[-1].lower() in stops and before[-2].endswith(",")


def _firm_word(ctx: Context, form: Form, before: list[str]) -> bool:
    """Is the word the first (or a later) word of a firm's name: capitalised words up to a
    legal form ("Du & Ich GmbH", "Dein Auftritt GmbH", "Deine Stadt Medien e.K."), with the
    sentence's start, a comma, a function word or a noun before it ("Die Agentur Du & Ich
    GmbH"), but not a verb ("Kannst Du Nord GmbH fragen?", "empfehlen Dir Nord GmbH")?"""
    if not _firm_tail(ctx.lang).match(ctx.draft.visible, form.end):
        return False
    if not before or before[-1][-1:] in ",;:(„“\"'‚‘–—":
        return True
    last = before[-1]
    if last.lower() in word_sets(ctx.lang).get("name_stops", frozenset()):
        return True  # "die Du & Ich GmbH", "bei Deine Stadt Medien e.K."
    return last[:1].isupper() and len(before) > 1  # a noun: "Agentur"; not a sentence's first word


@lru_cache(maxsize=4)
def _firm_tail(lang: str) -> re.Pattern[str]:
    """What follows a word of a firm's name: up to five more capitalised words (joined by
    "&", "+", "und") and a legal form."""
    data = language_data(lang)
    forms = "|".join(re.escape(str(f)) for f in data.get("legal_forms", []))
    dotted = data.get("dotted_legal_forms", "(?!)")
    word = r"[A-ZÄÖÜ0-9][\w'’.-]*"
    return regex(
        rf"(?:[ \t]+(?:(?:&|\+|und)[ \t]+)?{word}){{0,5}}?[ \t]+(?:&[ \t]+)?(?:(?:{forms})(?![\w])|{dotted})"
    )


def _antecedent_re(ctx: Context) -> re.Pattern[str]:
    people = ctx.words.get("plural_people", "(?!)")
    return language_regex(ctx.lang, ctx.words.get("plural_antecedent", "(?!)").replace("{people}", people))


def letter_register(ctx: Context) -> str | None:
    """The letter's register: its salutation's, else that of most of its reader-addressing
    words, else that of the first one; None when nothing addresses the reader."""
    return _salutation_register(ctx) or _most_used(reader_forms(ctx))


def _salutation_register(ctx: Context) -> str | None:
    """The register the letter's first salutation sets, if it has one."""
    formal, informal = _opening_match(ctx, "formal_salutation"), _opening_match(ctx, "informal_salutation")
    if formal or informal:
        return SIE if informal is None or (formal is not None and formal.start() < informal.start()) else DU
    return None


def _most_used(forms: list[Form]) -> str | None:
    """The register of most of the forms, else of the first; None without any."""
    if not forms:
        return None
    sie = sum(form.register == SIE for form in forms)
    du = len(forms) - sie
    if sie != du:
        return SIE if sie > du else DU
    return forms[0].register


def _opening_match(ctx: Context, key: str) -> re.Match[str] | None:
    """The salutation of ``key`` near the top of the letter (after a subject line or an
    address block at most): a line that begins before the first sentence of the body ends
    and is no closing formula ("Liebe Grüße" closes a letter; it greets no one)."""
    pattern = ctx.words.get(key)
    if not isinstance(pattern, str):
        return None
    text = ctx.draft.visible
    before = _body_begun(ctx)
    closing = _closing_line(ctx.lang)
    for match in language_regex(ctx.lang, pattern).finditer(text, 0, _OPENING):
        if match.start() >= before:
            break
        if closing is None or not closing.match(text, match.start()):
            return match
    return None


def _body_begun(ctx: Context) -> int:
    """Where the letter's first body sentence ends (a salutation begins before it): for a
    Letter, its first part's start; for a draft, the end of its first sentence of running
    text (no letterhead line) that ends in . ! or ? before the closing formula."""
    if ctx.parts:
        return min(start for start, _ in ctx.parts.values())
    for sentence in ctx.index.sentences[: ctx.closing_index()]:
        if is_prose(sentence) and sentence.text.rstrip()[-1:] in ".!?" and not letterhead_line(sentence.words):
            return sentence.end
    return len(ctx.draft.visible)


@lru_cache(maxsize=4)
def _closing_line(lang: str) -> re.Pattern[str] | None:
    """A line that opens with a closing formula ("Liebe Grüße", "Herzliche Grüße aus Kiel")."""
    forms = "|".join(
        re.escape(str(f)).replace(r"\ ", r"[ \t]+") for f in language_data(lang).get("closing_lines", [])
    )
    return language_regex(lang, rf"[ \t]*(?:{forms})(?![\w-])", re.IGNORECASE) if forms else None


def mixed_address(ctx: Context) -> list[Spot]:
    """Each sentence that addresses the reader in the register the letter does not use,
    at its first such word. A body wholly in the other register than its salutation is
    reported too, with the message for that (``messages: {sie_salutation: …}``): "Sehr
    geehrte Frau Berg, … Du erhältst …" mixes nothing within the body, but still addresses
    the reader in two ways."""
    forms = reader_forms(ctx)
    used = {form.register for form in forms}
    salutation = _salutation_register(ctx)
    if len(used) < 2 and (salutation is None or used <= {salutation}):
        return []
    register = salutation or _most_used(forms)
    message = f"{salutation}_salutation" if len(used) < 2 else None
    starts = ctx.index.sentence_starts
    reported: set[int] = set()
    spans = []
    for form in forms:
        sentence = bisect.bisect_right(starts, form.start) - 1
        if form.register != register and sentence not in reported:
            reported.add(sentence)
            spans.append(Spot(form.start, form.end, message=message))
    return spans


def lowercase_reader(ctx: Context) -> list[tuple[int, int]]:
    """'ihnen' in lower case in a Sie letter, where it most likely addresses the reader.

    'ihnen' is right when it means 'them': when a plural antecedent comes shortly before it,
    in its own sentence or the one before ("Ihre Mitarbeiter haben uns unterstützt; wir haben
    ihnen gedankt", "Frau Roth und Herr Kaya … mit ihnen", "sie haben … ihnen")."""
    register = letter_register(ctx)
    if register != SIE:
        return []  # a du letter, or no sign of a Sie letter
    text = ctx.draft.visible
    antecedent = _antecedent_re(ctx)
    lowercase = ctx.words_re("lowercase_reader", 0)
    kept = []
    for start, end in ctx.body_spans():
        for match in lowercase.finditer(text, start, end):
            if ctx.parts is None and ctx.index.in_quote(match.start()):
                continue
            window = text[max(0, match.start() - _ANTECEDENT_REACH) : match.start()]
            # from the start of the sentence before: two sentence ends back at most
            ends = [m.end() for m in _SENTENCE_END.finditer(window)]
            if len(ends) >= 2:
                window = window[ends[-2] :]
            if not antecedent.search(window):
                kept.append(match.span())
    return kept

