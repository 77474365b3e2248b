"""Whole-letter checks: end date, thanks at the end, consistent address, locale slips.

Each check is a function named in a ``kind: structure`` rule (``check: missing_end_date``);
the rule file gives its id, severity and message. For a composed Letter the parts
are known exactly (``parts`` maps a part name to its span); for a hand-written
draft the checks find the parts from cue words in ``_language.yaml``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from .address import Form, lowercase_reader, mixed_address
from .body import is_closing, is_prose
from .engine import Index, word_sets
from .findings import Finding, Spot, severity_rank
from .letterhead import letterhead_at, separated_letterhead
from .names import Spans, firm_spans
from .regexes import regex
from .rules import Rule, language_data, language_regex, words_regex
from .text import Draft, Sentence

Check = Callable[["Context"], Sequence[tuple[int, int] | Spot]]


class Context:
    """What a check sees: the draft, its sentences, the findings so far, the language data."""

    def __init__(
        self,
        draft: Draft,
        index: Index | None,
        lang: str,
        locale: str | None,
        findings: list[Finding],
        parts: dict[str, tuple[int, int]] | None,
    ) -> None:
        self.draft = draft
        self._index = index
        self.lang = lang
        self.locale = locale
        self.findings = findings
        self.parts = parts
        self.words: dict[str, Any] = language_data(lang)
        self.address_forms: list[Form] | None = None  # the reader-addressing words, see address.py

    @property
    def index(self) -> Index:
        """Sentences and tokens, built only when a check needs them (a Letter's checks don't)."""
        if self._index is None:
            self._index = Index.build(self.draft)
        return self._index

    def words_re(self, key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        return words_regex(self.lang, key, flags)

    def body_spans(self) -> list[tuple[int, int]]:
        """Where the body text is: a Letter's paragraphs, or a draft's prose before the closing."""
        if self.parts:
            return sorted(set(self.parts.values()))
        return [(s.start, s.end) for s in self.body()]

    def closing_index(self) -> int:
        """Index of the first sentence that is a closing formula, or len(sentences)."""
        for i, sentence in enumerate(self.index.sentences):
            if is_closing(sentence, self.lang):
                return i
        return len(self.index.sentences)

    def is_letter(self, body: list[Sentence]) -> bool:
        """A whole letter, not a snippet: three sentences of prose or more; or a short
        signed note that ends something ("wir beenden die Zusammenarbeit"): prose before a
        closing formula ("Mit freundlichen Grüßen"), or after a salutation line ("Hallo
        Max,") with three lines or sentences after it. A short note that ends nothing
        ("anbei die Unterlagen") is no termination letter to check."""
        if len(body) >= 3:
            return True
        if not body:
            return False
        sentences = self.index.sentences
        first = sentences[0].text.strip() if sentences else ""
        # a salutation line with something after it besides one sentence: a short note, signed
        greeting = first.endswith((",", ":")) and len(first.split()) <= 8 and len(sentences) >= 4
        if not (greeting or self.closing_index() < len(sentences)):
            return False
        terminate = self.words_re("termination_words")
        return any(terminate.search(s.text) for s in body)

    def body(self) -> list[Sentence]:
        """Prose sentences before the closing formula."""
        return [s for s in self.index.sentences[: self.closing_index()] if is_prose(s)]




def _date_re(ctx: Context) -> re.Pattern[str]:
    return _dates(ctx.lang)


@lru_cache(maxsize=4)
def _dates(lang: str) -> re.Pattern[str]:
    months = "|".join(language_data(lang)["months"])
    return language_regex(
        lang,
        rf"\b\d{{1,2}}\.\s*(?:{months})\b|\b(?:{months})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{months})\b"
        rf"|\b\d{{1,2}}\.\d{{1,2}}\.(?:\d{{2,4}})?|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
        rf"|\b(?:ende|end\s+of)\s+(?:{months})\b",
        re.IGNORECASE,
    )


def _end_date_in(ctx: Context, text: str) -> bool:
    """Whether a sentence dates the end: a date in a sentence that ends something ("Der
    Vertrag endet am 31. Dezember"); a date after a word that makes it the last day ("per
    31. Dezember", "effective December 31"); or after "bis"/"until" in a sentence that
    goes on until then ("Bis zum 31. Dezember sind wir weiterhin für Sie da"); or after
    "nach"/"after" in a sentence that stops something then ("Nach dem 31. Dezember können
    wir Ihre Katzen nicht mehr behandeln"). A date of
    something else (the day the tools are collected, the keys handed over by a day) is none."""
    found = list(_date_re(ctx).finditer(text))
    if not found:
        return False
    if ctx.words_re("termination_words").search(text):
        return True
    lasts = ctx.words_re("end_date_lead")
    until = ctx.words_re("end_date_until")
    going_on = ctx.words_re("end_date_going_on")
    # after a date, no more: "We will no longer be able to see your cats after December 31"
    going_off = ctx.words.get("end_date_going_off") and ctx.words_re("end_date_going_off").search(text)
    after = ctx.words_re("end_date_after") if going_off else None
    for match in found:
        before = text[max(0, match.start() - 40) : match.start()]
        if _leads(lasts, before) or (_leads(until, before) and _goes_on_until(going_on, text, match)):
            return True
        if after is not None and _leads(after, before):
            return True
    return False


# Where a clause ends: a comma, semicolon or colon before a space, a dash between spaces, a
# bracket ("1,5 Stunden" and "10:00" go on).
_CLAUSE_END = regex(r"[,;:](?=\s)|\s[–—-]\s|[()]")


def _goes_on_until(going_on: re.Pattern[str], text: str, date: re.Match[str]) -> bool:
    """Whether the sentence goes on until the date after "bis"/"until": a going-on word in
    the date's clause or before it ("Wir sind weiterhin für Sie da, und zwar bis zum 31.
    März"), or anywhere after a date that opens the sentence as a clause of its own ("Bis
    zum 31. Dezember, dem letzten Vertragstag, betreuen wir Sie weiterhin"). A going-on word
    in a later clause belongs to something else: "Wir erwarten Ihre Zahlung bis spätestens
    5. Dezember, andernfalls … weitere Maßnahmen" is a deadline, not the end."""
    clause_end = _CLAUSE_END.search(text, date.end())
    if going_on.search(text, 0, clause_end.start() if clause_end else len(text)):
        return True
    opening = text[: date.start()]
    fronted = _CLAUSE_END.search(opening) is None and len(opening.split()) <= 3
    return fronted and going_on.search(text) is not None


def _leads(words: re.Pattern[str], before: str) -> bool:
    """Whether one of ``words`` ends ``before``, but for one word ("dem", "the") between."""
    ends = [m.end() for m in words.finditer(before)]
    return bool(ends) and len(before[ends[-1] :].strip(" \t\n,(").split()) <= 1


def missing_end_date(ctx: Context) -> list[tuple[int, int]]:
    """A termination without a date on which it takes effect."""
    dates = _date_re(ctx)
    if ctx.parts is not None:
        span = ctx.parts.get("decision")
        if span and not dates.search(ctx.draft.visible[span[0] : span[1]]):
            return [span]
        return []
    terminate = ctx.words_re("termination_words")
    body = ctx.body()
    if not ctx.is_letter(body) or any(_end_date_in(ctx, s.text) for s in body):
        return []  # a snippet, not a letter; or a letter with its end date
    if ctx.words.get("continuation_words") and any(
        ctx.words_re("continuation_words").search(s.text) for s in body
    ):
        return []  # a letter that looks forward to going on ends nothing (a season's greeting)
    return [_decision(ctx, body, terminate)]


def _decision(ctx: Context, body: list[Sentence], terminate: re.Pattern[str]) -> tuple[int, int]:
    """Where the decision stands, for a missing end date: the first sentence of the writer's
    ("wir", "we") with a word for ending ("Hiermit kündigen wir"), else with a word for
    stopping ("we have decided to stop handling deliveries", "werden wir … nicht mehr
    übernehmen"), else the first with a word for ending ("Your contract ends"), else the
    body's first sentence. A word for ending in someone else's sentence further down ("please
    give the depot office a day's notice") is no decision."""
    writer = ctx.words_re("writer_subject")
    stopping = ctx.words_re("end_date_going_off") if ctx.words.get("end_date_going_off") else None
    passes = [(terminate, True), (stopping, True), (terminate, False)]
    for words, by_writer in passes:
        for sentence in body:
            match = words.search(sentence.text) if words is not None else None
            if match and (not by_writer or writer.search(sentence.text)):
                return (sentence.start + match.start(), sentence.start + match.end())
    return (body[0].start, body[0].end)


def missing_thanks(ctx: Context) -> list[tuple[int, int]]:
    """No thanks or good wishes in the last paragraphs before the closing."""
    if ctx.parts is not None:
        return [] if ("thanks" in ctx.parts or "wishes" in ctx.parts) else [(0, 0)]
    body = ctx.body()
    if not ctx.is_letter(body):
        return []
    last_paragraphs = sorted({s.paragraph for s in body})[-2:]
    tail = [s for s in body if s.paragraph in last_paragraphs]
    # and the lines after the prose: a sign-off such as "Danke für alles und viele Grüße"
    after = [s for s in ctx.index.sentences if s.start >= body[-1].end]
    thanks = ctx.words_re("thanks_words")
    if any(thanks.search(s.text) and not _sarcastic(ctx, s) for s in (*tail, *after)):
        return []
    return [(tail[-1].start, tail[-1].end)]


def _sarcastic(ctx: Context, sentence: Sentence) -> bool:
    """Does a sarcasm finding stand in the sentence ("Vielen Dank auch für die „tolle“
    Zusammenarbeit!")? Thanks said in mockery are no thanks."""
    return any(
        f.category == "sarcasm" and sentence.start <= f.start < sentence.end for f in ctx.findings
    )


def ends_negative(ctx: Context) -> list[tuple[int, int]]:
    """The last body paragraph carries a warning or an error, or a curt last paragraph
    without a warm word follows one that does. The finding points at the negative
    sentence nearest the end (not at the last sentence, which may be harmless: "Feel free
    to get in touch"). What is negative is what the tone rules and the model flag at
    warning or error; an info note ("leider") and a kind negation no rule flags ("you will
    never be charged for it") are not."""
    if ctx.parts:
        start, end = max(ctx.parts.values(), key=lambda span: span[1])
        serious = [
            f
            for f in ctx.findings
            if start <= f.start < end and severity_rank(f.severity) >= 1 and f.category != "structure"
        ]
        return [(start, end)] if serious else []
    body = ctx.body()
    if not ctx.is_letter(body):
        return []  # a snippet, not a letter
    paragraphs = sorted({s.paragraph for s in body})
    last = [s for s in body if s.paragraph == paragraphs[-1]]
    before = [s for s in body if len(paragraphs) > 1 and s.paragraph == paragraphs[-2]]
    starts = sorted(
        f.start for f in ctx.findings if severity_rank(f.severity) >= 1 and f.category != "structure"
    )

    def negative_in(sentences: list[Sentence]) -> list[Sentence]:
        """The sentences that hold a serious finding."""
        found = []
        for sentence in sentences:
            at = bisect.bisect_left(starts, sentence.start)
            if at < len(starts) and starts[at] < sentence.end:
                found.append(sentence)
        return found

    thanks = ctx.words_re("thanks_words")
    warm = [s for s in last if thanks.search(s.text) and not _sarcastic(ctx, s)]
    # The last paragraph is negative, or it is a curt line after a negative one with no warm
    # word. A negative sentence followed by sincere thanks in the last paragraph (a letter of
    # one paragraph: "Please return **your** keys by 20 December. Thank you for everything.")
    # does not end the letter; its own finding says what is wrong with it.
    negative = [s for s in negative_in(last) if not any(w.start > s.start for w in warm)]
    negative = negative or ([] if warm else negative_in(before))
    return [(negative[-1].start, negative[-1].end)] if negative else []


def _swiss(ctx: Context) -> bool:
    """Whether the draft is Swiss German: locale de-CH, or (no locale given) Swiss spelling."""
    return swiss_german(ctx.draft, ctx.lang, ctx.locale)


def swiss_german(draft: Draft, lang: str, locale: str | None) -> bool:
    """Whether a German draft is Swiss German: locale de-CH, or (no locale given) Swiss
    spelling such as "Grüsse" or "Grüezi"; its suggestions are then written with ss."""
    if lang != "de":
        return False
    if locale is not None:
        return locale == "de-CH"
    spelling = language_regex(lang, language_data(lang).get("swiss_spelling", "(?!)"))
    return spelling.search(draft.visible) is not None


def sharp_s_ch(ctx: Context) -> list[Spot]:
    """Each ß of a Swiss letter that ``_sharp_s_spans`` finds, with its word as Swiss German
    writes it for the suggestion ("schliessen", not a list of other words)."""
    text = ctx.draft.visible
    return [Spot(start, end, {"word": text[start:end].replace("ß", "ss")}) for start, end in _sharp_s_spans(ctx)]


def _sharp_s_spans(ctx: Context) -> list[tuple[int, int]]:
    """ß in a Swiss letter (explicit de-CH, or Swiss spelling such as 'Grüsse' or 'Grüezi';
    an amount in CHF is no evidence: German firms bill Swiss clients in francs too).

    Names and addresses keep their ß: a German sender's "Hauptstraße 1" in the letterhead
    or footer, a reader called Weiß. A composed Letter's names are masked before this runs;
    in a draft, ß counts in running text (not in a name after Frau/Herr, nor in a street
    before its number), in the closing formula, and in other lines only in a word written
    in lower case (gemäß in a subject line), which is no name.
    """
    text = ctx.draft.visible
    if not _swiss(ctx):
        return []
    spans = _words_with(text, "ß")
    if ctx.parts or not spans:
        return spans
    sentences = ctx.index.sentences
    starts = [s.start for s in sentences]
    closings = {c.lower() for c in ctx.words.get("closing_lines", [])}
    name_before = language_regex(ctx.lang, ctx.words.get("name_before", "(?!)"))  # "Frau Weiß"
    greeting = language_regex(ctx.lang, ctx.words.get("greeting_word", "(?!)"))  # "Grüße"
    firms = Spans(firm_spans(ctx.index, word_sets(ctx.lang)))  # "Treuhand Süß & Partner AG": a name, as typed
    forms = word_sets(ctx.lang).get("legal_forms", frozenset())
    kept = []
    for start, end in spans:
        if firms.hold(start, end):
            continue
        at = bisect.bisect_right(starts, start) - 1
        sentence = sentences[at] if at >= 0 and start < sentences[at].end else None
        if (sentence is not None and separated_letterhead(sentence, ctx.lang, forms)) or letterhead_at(
            text, start, ctx.lang, forms
        ):
            # the sender's return line or footer ("Nordlicht IT GmbH · Große Elbstraße 145 ·
            # 22767 Hamburg"): a German sender's address as written, also in a letter to
            # Switzerland (tester5: letterkit's own de-CH .docx was flagged so)
            continue
        # the closing formula, also with a comma and the name after it ("Mit freundlichen
        # Grüßen, Anna Roth": the comma is reported by closing_comma, the ß of the formula
        # here; a name after the comma keeps its ß: "…, Reto Strauß")
        formula, comma, _ = sentence.text.strip().partition(",") if sentence is not None else ("", "", "")
        if sentence is not None and formula.rstrip(".!").strip().lower() in closings:
            if not comma or start < text.index(",", sentence.start):
                kept.append((start, end))
        elif sentence is not None and is_prose(sentence):
            # a title and a first name fit in the 60 characters before (a bounded look back:
            # searching from the start of the draft for every ß made a long draft quadratic)
            if not (
                name_before.search(text, max(0, start - 60), start)
                or _NUMBER_AFTER.match(text, end)
                or _after_a_first_name(text, sentence.start, start, ctx)
            ):
                kept.append((start, end))
        elif text[start].islower() or greeting.fullmatch(text, start, end):
            # a lower-case word is no name, and neither is the greeting of a closing of the
            # writer's own ("Sportliche Grüße", "Liebe Grüße aus Biel")
            kept.append((start, end))
    return kept


_NUMBER_AFTER = regex(r"\s+\d+\s?[a-zA-Z]?\b")
_WORD_BEFORE = regex(r"(?<!\S)(\w+)[ \t]+\Z")


def _after_a_first_name(text: str, sentence_start: int, start: int, ctx: Context) -> bool:
    """Is the capitalised word at ``start`` a surname after a first name ("an Fritz Groß
    unter …")? Two capitalised words in a row inside a German sentence are a name: a noun
    follows an article or an adjective, written in lower case ("die große Straße"). Not
    when the word before opens the sentence ("Viele Grüße") or is one of the language's
    ``name_stops`` (the pronoun of address: "Ihre Straße")."""
    if not text[start].isupper():
        return False
    before = _WORD_BEFORE.search(text, max(sentence_start, start - 40), start)
    if before is None or before.start() == sentence_start or not before.group(1)[0].isupper():
        return False
    return before.group(1).lower() not in ctx.words.get("name_stops", ())


_WORD_RUN = regex(r"\w*")


def _words_with(text: str, letter: str) -> list[tuple[int, int]]:
    """The spans of the words (runs of word characters) that hold ``letter``: what
    ``re.finditer(r"\\w*ß\\w*", text)`` finds, without trying every position of a long
    draft (each try runs to the end of its word and back)."""
    spans: list[tuple[int, int]] = []
    end = 0
    at = text.find(letter)
    while at >= 0:
        start = at
        while start > end and (text[start - 1].isalnum() or text[start - 1] == "_"):  # what \w is
            start -= 1
        run = _WORD_RUN.match(text, at)
        assert run is not None  # \w* matches everywhere
        end = run.end()
        spans.append((start, end))
        at = text.find(letter, end)
    return spans


# "Yours faithfully" or "Yours sincerely" in any case ("Yours Faithfully," as typed).
_YOURS = regex("yours", re.IGNORECASE)
# The American closing on its own line ("Sincerely,", "Sincerely yours,"): a slip in a British letter.
_US_CLOSING = regex(r"(Sincerely(?:[ \t]+yours)?)[ \t]*,?[ \t]*$")


def closing_mismatch(ctx: Context) -> list[tuple[int, int]]:
    """'Yours faithfully' after a named salutation (or in US letters); 'Yours sincerely' after
    'Dear Sir or Madam'; the American 'Sincerely,' in a British letter (``en-GB``)."""
    text = ctx.draft.visible
    british = ctx.locale == "en-GB" and "Sincerely" in text
    if not british and _YOURS.search(text) is None:  # "Yours Faithfully," typed with capitals too
        return []
    named_re = language_regex(ctx.lang, ctx.words.get("named_salutation", "(?!)"))
    first_name_re = language_regex(ctx.lang, ctx.words.get("first_name_salutation", "(?!)"))
    anonymous_re = language_regex(ctx.lang, ctx.words.get("anonymous_salutation", "(?!)"), re.IGNORECASE)
    named = anonymous = False
    faithfully = sincerely = us_closing = None
    offset = 0
    for line in text.split("\n"):  # line by line: a MULTILINE search of a long draft is slow
        stripped = line.lstrip()
        start = offset + len(line) - len(stripped)
        named = named or bool(named_re.match(stripped) or first_name_re.match(stripped))
        anonymous = anonymous or bool(anonymous_re.match(stripped))
        opening = stripped[:16].lower()
        if faithfully is None and opening.startswith("yours faithfully"):
            faithfully = (start, start + len("Yours faithfully"))
        if sincerely is None and opening.startswith("yours sincerely"):
            sincerely = (start, start + len("Yours sincerely"))
        american = _US_CLOSING.match(stripped) if british and us_closing is None else None
        if american:
            us_closing = (start, start + american.end(1))
        offset += len(line) + 1
    if us_closing:
        return [us_closing]
    if faithfully and (named or ctx.locale == "en-US"):
        return [faithfully]
    if sincerely and anonymous and not named:
        return [sincerely]
    return []


def spelling_locale(ctx: Context) -> list[Spot]:
    """A British spelling in an American letter ("colour", "organise", "cheque") or one only
    American English uses in a British letter ("color", "center", "canceled"; -ize is
    British too). The letter's English is its locale, or, for a draft given without one, what
    its dates and formulas show (``_english_of``). Only words in lower case in the body count:
    "Lincoln Center" and "Colour Lab Ltd" are names."""
    english = _english_of(ctx)
    if english is None:
        return []
    key, message = ("spelling_british_only", "british") if english == "en-US" else ("spelling_american_only", "american")
    other: dict[str, str] = ctx.words.get(key) or {}
    text = ctx.draft.visible
    spots = []
    for start, end in ctx.body_spans():
        for match in _WORD.finditer(text, start, end):
            word = match.group()
            if word in other:
                spots.append(Spot(match.start(), match.end(), {"word": other[word]}, message))
    return spots


_WORD = regex(r"(?<![\w@./])[a-z]+(?![\w@/]|\.\w)")  # a word in lower case, not in an address or a link


def _english_of(ctx: Context) -> str | None:
    """en-GB or en-US: the locale given, else the one a draft's dates and formulas show."""
    if ctx.lang != "en":
        return None
    if ctx.locale is not None:
        return ctx.locale if ctx.locale in ("en-GB", "en-US") else None
    if ctx.parts is not None:  # a composed Letter without a locale: nothing to infer from
        return None
    text = ctx.draft.visible
    american = language_regex(ctx.lang, ctx.words.get("us_letter_signs", "(?!)"), re.MULTILINE).search(text)
    british = language_regex(ctx.lang, ctx.words.get("uk_letter_signs", "(?!)"), re.MULTILINE).search(text)
    if bool(american) == bool(british):
        return None
    return "en-US" if american else "en-GB"


def abbreviated_closing(ctx: Context) -> list[Spot]:
    """A closing such as 'MfG', 'LG' or 'Thx' on its own line, or before the writer's name
    on the last lines ("LG Sabine", "BR Priya", as typed on a phone; further up, "LG
    Electronics" is a company); the suggestion quotes it as the draft writes it ("Gruss",
    not "Gruß")."""
    visible = ctx.draft.visible
    spots = []
    for match in _closing_lines(ctx.lang).finditer(visible):
        if match.group(2) and len([line for line in visible[match.end() :].split("\n") if line.strip()]) > 2:
            continue
        spots.append(Spot(*match.span(1), {"closing": match.group(1)}))
    return spots


@lru_cache(maxsize=4)
def _closing_lines(lang: str) -> re.Pattern[str]:
    forms = "|".join(re.escape(str(f)) for f in language_data(lang).get("abbreviated_closings", []))
    name = r"[A-ZÄÖÜ][\w'’.-]*(?:[ \t]+[A-ZÄÖÜ][\w'’.-]*){0,2}"  # the writer's name after it
    return language_regex(lang, rf"^[ \t]*({forms})[ \t]*[,.!]?(?:[ \t]*({name}))?[ \t]*$", re.MULTILINE)


def closing_comma(ctx: Context) -> list[Spot]:
    """A comma after a German closing formula that ends its line ("Mit freundlichen Grüßen,",
    "Viele Grüße aus Leipzig,") or parts it from the name on the same line ("Mit
    freundlichen Grüßen, Ihre Hanna Berg"): DIN 5008 sets none (English "Kind regards," has
    one, and is not read by this check). The suggestion is the closing as written, without
    the comma: "Viele Grüße" stays "Viele Grüße", not the formal "Mit freundlichen Grüßen"."""
    found = list(_comma_closings(ctx.lang).finditer(ctx.draft.visible))
    swiss = bool(found) and ctx.lang == "de" and _swiss(ctx)  # the closing as Swiss German writes it
    return [
        Spot(*match.span(2), {"closing": " ".join(match.group(1).split()).replace("ß", "ss") if swiss else " ".join(match.group(1).split())})
        for match in found
    ]


@lru_cache(maxsize=4)
def _comma_closings(lang: str) -> re.Pattern[str]:
    """A line that opens with a closing formula (the formula's case as typed aside), its
    place ("aus Leipzig"), the comma, and nothing after it but a name."""
    words = language_data(lang)
    clipped = set(words.get("abbreviated_closings", []))  # "MfG," is reported as clipped
    forms = "|".join(
        re.escape(str(f)).replace(r"\ ", r"[ \t]+")
        for f in words.get("closing_lines", [])
        if f not in clipped
    )
    place = words.get("closing_place", "(?!)")
    signature = words.get("closing_signature", "(?!)")
    return language_regex(
        lang,
        rf"^[ \t]*((?i:{forms})(?![\w-])(?:[ \t]+{place})?)[ \t]*(,)[ \t]*(?:{signature})?[ \t]*$",
        re.MULTILINE,
    )


CHECKS: dict[str, Check] = {
    "missing_end_date": missing_end_date,
    "missing_thanks": missing_thanks,
    "ends_negative": ends_negative,
    "mixed_address": mixed_address,
    "lowercase_reader": lowercase_reader,
    "sharp_s_ch": sharp_s_ch,
    "closing_mismatch": closing_mismatch,
    "abbreviated_closing": abbreviated_closing,
    "closing_comma": closing_comma,
    "spelling_locale": spelling_locale,
}


def check_structure(
    draft: Draft,
    index: Index | None,
    lang: str,
    locale: str | None,
    rules: list[Rule],
    findings: list[Finding],
    parts: dict[str, tuple[int, int]] | None,
) -> list[Finding]:
    """Run the structure rules; ``ends_negative`` runs last, over the findings of the others."""
    ctx = Context(draft, index, lang, locale, findings, parts)
    swiss = swiss_german(draft, lang, locale)
    results: list[Finding] = []
    for rule in sorted(rules, key=lambda r: r.options.get("check") == "ends_negative"):
        check = CHECKS.get(str(rule.options.get("check")))
        if check is None:
            from ..errors import TemplateError

            raise TemplateError(f"{rule.source}: rule {rule.id}: unknown check '{rule.options.get('check')}'")
        for spot in check(ctx):
            start, end = spot[0], spot[1]
            line, column = draft.position(start)
            end_line, end_column = draft.end_position(start, end)
            sentence, at = _sentence_of(ctx, start, end)
            results.append(
                Finding(
                    rule=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    message=_message(rule, spot),
                    text=draft.text[start:end],
                    start=start,
                    end=end,
                    line=line,
                    column=column,
                    paragraph=_paragraph_of(ctx, start),
                    sentence=sentence,
                    suggestion=_suggestion(rule, spot, swiss),
                    path=draft.path,
                    sentence_at=at,
                    end_line=end_line,
                    end_column=end_column,
                )
            )
    return results


def _message(rule: Rule, spot: tuple[int, int] | Spot) -> str:
    """The rule's message; the one its ``messages`` give for the case the check names."""
    messages = rule.options.get("messages") or {}
    key = spot.message if isinstance(spot, Spot) else None
    return str(messages.get(key, rule.message)) if key else rule.message


def _suggestion(rule: Rule, spot: tuple[int, int] | Spot, swiss: bool = False) -> str:
    """The rule's suggestion; filled with the draft's own words where the check gives them
    and the rule has a template for them (``suggestions: {written: …}``). In a Swiss German
    letter its own words are written with ss; the draft's words are quoted as written."""
    template = (rule.options.get("suggestions") or {}).get("written")
    if not isinstance(spot, Spot) or not spot.fill or not isinstance(template, str):
        return rule.suggest.replace("ß", "ss") if swiss else rule.suggest
    if swiss:
        template = template.replace("ß", "ss")
    for key, value in spot.fill.items():
        template = template.replace(f"{{{key}}}", value)
    return template


def _sentence_of(ctx: Context, start: int, end: int) -> tuple[str, int]:
    """The sentence a draft's finding stands in, its spaces tidied as for the rules'
    findings (the text report shows it, the span underlined), and where the finding starts
    in it; ("", -1) for a span that is no part of one line of one sentence (a whole
    letter's, a closing over two lines)."""
    import bisect

    text = ctx.draft.text[start:end]
    if ctx.parts is not None or end <= start or "\n" in text:
        return "", -1
    index = ctx.index
    at = bisect.bisect_right(index.sentence_starts, start) - 1
    if at < 0 or end > index.sentences[at].end:
        return "", -1
    found = index.sentences[at]
    sentence = " ".join(found.text.split())
    return (sentence, found.plain_offset(start)) if " ".join(text.split()) in sentence else ("", -1)


def _paragraph_of(ctx: Context, offset: int) -> int:
    """The paragraph (1-based) at ``offset``: a Letter's part by its position, else by sentence."""
    import bisect

    if ctx.parts is not None and ctx._index is None:
        return ctx.draft.visible.count("\n\n", 0, offset) + 1
    index = ctx.index
    if not index.sentences:
        return 1
    at = max(0, bisect.bisect_right(index.sentence_starts, offset) - 1)
    return index.sentences[at].paragraph + 1
