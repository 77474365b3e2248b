"""Tell German from English by counting frequent function words."""

from __future__ import annotations

import re

from .regexes import regex

_WORDS = regex(r"[a-zäöüß']+")
_GERMAN = frozenset(
    [
        "und",
        "der",
        "die",
        "das",
        "nicht",
        "sie",
        "ihnen",
        "ihr",
        "wir",
        "ich",
        "ist",
        "mit",
        "für",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "zu",
        "auf",
        "bei",
        "wie",
        "auch",
        "noch",
        "bis",
        "zum",
        "zur",
        "uns",
        "unser",
        "unsere",
        "sehr",
        "geehrte",
        "grüße",
        "grüßen",
        "vielen",
        "dank",
        "leider",
        "ihre",
        "ihren",
        "ihrem",
        "ihrer",
        "haben",
        "wurde",
        "wurden",
        "werden",
        "dass",
        "oder",
        "aber",
        "von",
        "im",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "to",
        "of",
        "you",
        "your",
        "we",
        "our",
        "is",
        "are",
        "for",
        "with",
        "not",
        "this",
        "that",
        "will",
        "be",
        "have",
        "has",
        "on",
        "by",
        "dear",
        "regards",
        "sincerely",
        "thank",
        "please",
        "would",
        "it",
        "as",
        "at",
        "from",
    ]
)


# The most frequent function words of the languages a draft is most often written in
# instead (none of them a German or English word): a draft full of them is neither.
_OTHERS = {
    "French": frozenset(
        [
            "le",
            "la",
            "les",
            "est",
            "et",
            "vous",
            "nous",
            "pour",
            "avec",
            "dans",
            "une",
            "du",
            "au",
            "aux",
            "votre",
            "vos",
            "notre",
            "nos",
            "sont",
            "pas",
            "que",
            "qui",
            "ce",
            "cette",
            "sur",
            "par",
            "mais",
            "ou",
            "je",
            "il",
            "elle",
            "être",
        ]
    ),
    "Spanish": frozenset(
        [
            "el",
            "los",
            "las",
            "y",
            "que",
            "por",
            "para",
            "con",
            "su",
            "sus",
            "una",
            "es",
            "del",
            "usted",
            "nuestro",
            "nuestra",
            "le",
            "lo",
            "al",
            "muy",
            "gracias",
            "pero",
            "como",
            "este",
            "esta",
        ]
    ),
    "Italian": frozenset(
        [
            "il",
            "di",
            "che",
            "per",
            "con",
            "una",
            "della",
            "sono",
            "non",
            "gli",
            "alla",
            "nel",
            "nostro",
            "nostra",
            "vostro",
            "la",
            "le",
            "lo",
            "ma",
            "come",
            "questo",
            "questa",
            "grazie",
        ]
    ),
    "Dutch": frozenset(
        [
            "het",
            "een",
            "van",
            "en",
            "wij",
            "u",
            "uw",
            "voor",
            "met",
            "niet",
            "zijn",
            "op",
            "te",
            "ons",
            "onze",
            "dat",
            "deze",
            "naar",
            "ook",
        ]
    ),
    "Portuguese": frozenset(
        [
            "os",
            "um",
            "uma",
            "não",
            "com",
            "para",
            "você",
            "seu",
            "sua",
            "nosso",
            "nossa",
            "obrigado",
            "muito",
            "que",
        ]
    ),
}
_ALL_WORDS = regex(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LETTER = regex(r"[^\W\d_]")
_LATIN = regex(r"[A-Za-z\u00C0-\u024F]")
# Scripts other than Latin, by the first letter of theirs in a draft that is mostly written in one.
_SCRIPTS = (
    ((0x3040, 0x30FF), "Japanese"),
    ((0xAC00, 0xD7AF), "Korean"),
    ((0x4E00, 0x9FFF), "Chinese"),
    ((0x0400, 0x04FF), "Cyrillic script"),
    ((0x0370, 0x03FF), "Greek"),
    ((0x0590, 0x05FF), "Hebrew"),
    ((0x0600, 0x06FF), "Arabic"),
)
EVIDENCE = 4  # function words (or 20 letters of another script) before a draft is called foreign


def other_language(text: str) -> str | None:
    """The language a draft is clearly written in when that is neither German nor English
    ("French", "Chinese", "Cyrillic script"), else None. Clearly: mostly letters of another
    script, or at least ``EVIDENCE`` function words of one of the languages in ``_OTHERS`` and
    more than twice as many as German and English ones together. A short or mixed draft, and
    one in a language neither list knows, is left to ``detect``."""
    sample = text[:20000]
    letters = len(_LETTER.findall(sample))
    if letters >= 5 * EVIDENCE and len(_LATIN.findall(sample)) * 2 < letters:
        return _script(sample)
    words = _ALL_WORDS.findall(sample.lower())
    ours = sum(word in _GERMAN or word in _ENGLISH for word in words)
    name, count = max(
        ((n, sum(map(found.__contains__, words))) for n, found in _OTHERS.items()), key=lambda x: x[1]
    )
    return name if count >= EVIDENCE and count > 2 * ours else None


def _script(sample: str) -> str:
    """The name of the (non-Latin) script or language most letters of ``sample`` are in."""
    counts: dict[str, int] = {}
    for char in sample:
        code = ord(char)
        for (low, high), name in _SCRIPTS:
            if low <= code <= high:
                counts[name] = counts.get(name, 0) + 1
                break
    if counts.get("Japanese"):
        return "Japanese"  # kana: Japanese, whatever share of its letters are Chinese characters
    return max(counts, key=counts.__getitem__) if counts else "another script"


def detect(text: str, default: str = "de") -> str:
    """'de' or 'en', by which language's function words are more frequent."""
    sample = text[:20000].lower()
    german = english = 0
    for word in _WORDS.findall(sample):
        german += word in _GERMAN
        english += word in _ENGLISH
    if german == english:
        return "de" if re.search(r"[äöüß]", sample) else default if not english else "en"
    return "de" if german > english else "en"


# A draft linted in one language is clearly in the other when it has at least this many
# function words of the other and three times as many as of its own.
MISMATCH_WORDS = 8
_NAMES = {"de": "German", "en": "English"}


def mismatch(text: str, lang: str) -> str | None:
    """The name of the other language ("English") when ``text``, linted as ``lang``, is
    clearly written in it (``--lang de`` or a German locale on an English draft: the German
    rules find nothing to say about English text, so the run would pass unseen); else None."""
    words = _WORDS.findall(text[:20000].lower())
    german, english = sum(map(_GERMAN.__contains__, words)), sum(map(_ENGLISH.__contains__, words))
    own, other = (german, english) if lang == "de" else (english, german)
    if other >= MISMATCH_WORDS and other >= 3 * own:
        return _NAMES["en" if lang == "de" else "de"]
    return None


# A paragraph is in a language when at least this many of its words are that language's
# function words, and at least twice as many as the other's ("Deutsche Fassung:" or a
# name and address have too few to tell).
PARAGRAPH_WORDS = 4


def paragraph_language(text: str) -> str | None:
    """'de' or 'en' for a paragraph whose function words clearly say which; else None."""
    return _language_of(*_function_words(text))


def _function_words(text: str) -> tuple[int, int]:
    """How many German and how many English function words the text holds."""
    words = _WORDS.findall(text.lower())
    return sum(map(_GERMAN.__contains__, words)), sum(map(_ENGLISH.__contains__, words))


def _language_of(german: int, english: int) -> str | None:
    if german >= PARAGRAPH_WORDS and german >= 2 * english:
        return "de"
    if english >= PARAGRAPH_WORDS and english >= 2 * german:
        return "en"
    return None


# A sentence of the other language inside a paragraph: at least this many of its function
# words, and three times as many as of the paragraph's language.
SENTENCE_WORDS = 3


def other_language_spans(paragraphs: list[tuple[int, int, str]], main: str) -> list[tuple[int, int]]:
    """The (start, end) of the paragraphs clearly written in the language that is not
    ``main``, and of such sentences inside the others: a bilingual letter ("Deutsche
    Fassung" under the English text), or a German sentence in an English paragraph, is
    linted part by part in its own language."""
    other = "en" if main == "de" else "de"
    theirs, ours = (_ENGLISH, _GERMAN) if other == "en" else (_GERMAN, _ENGLISH)
    spans = []
    for start, end, text in paragraphs:
        german, english = _function_words(text)  # one pass for the paragraph and its sentences
        if _language_of(german, english) == other:
            spans.append((start, end))
            continue
        if (english if other == "en" else german) < SENTENCE_WORDS:
            continue  # no sentence of the other language can be in it
        from .text import split_sentences

        for s_start, s_end in split_sentences(text):
            words = _WORDS.findall(text[s_start:s_end].lower())
            count = sum(map(theirs.__contains__, words))
            if count >= SENTENCE_WORDS and count >= 3 * sum(map(ours.__contains__, words)):
                spans.append((start + s_start, start + s_end))
    return spans
