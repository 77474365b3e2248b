"""User-typed names and items as they stand inside a sentence of the letter.

The input gives names and things as a form asks for them: "Home addition contract",
"die zwei Warmhalteboxen", "Büroschlüssel". A list after a colon takes them as typed; a
sentence that names one of them needs more: English running text writes a description in
lower case ("we are terminating the home addition contract"), and a German object stands
in the accusative with its article ("Außerdem geben wir Ihnen den Büroschlüssel zurück").
The word lists are data (templates/<lang>/locale.yaml: item_articles, item_legal_forms,
item_determiners, proper_words); this module only reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_EDGE = "\"'‘’“”„‚«»‹›()[],.;:"


def running_text(text: str, data: dict[str, Any], names: Iterable[str] = ()) -> str:
    """An English name or item as running text writes it: a capitalised determiner at the
    start lowered ("The garage door remote"), and a name typed in sentence case lowered
    when its first word is no name ("Home addition contract" → "home addition contract";
    "Microsoft 365 support contract", "SEO retainer", "Acme Cloud plan" stay as typed).
    ``names`` are the letter's own names (companies, people, towns): their words keep
    their capital."""
    words = text.split(" ")
    if not words or not _capitalised(words[0]):
        return text
    first = words[0].strip(_EDGE).casefold()
    determiners = {str(w) for w in data.get("item_determiners") or ()}
    if first in determiners:
        return text[0].lower() + text[1:]
    proper = {str(w) for w in data.get("proper_words") or ()}
    own = {word.strip(_EDGE).casefold() for name in names for word in name.split()}
    if first in proper or first in own:
        return text
    rest = [word for word in words[1:] if any(char.isalpha() for char in word)]
    nouns = {str(n) for n in data.get("contract_nouns") or ()}
    if rest and all(word.strip(_EDGE).islower() for word in rest):
        return text[0].lower() + text[1:]
    if not rest and len(words) == 1 and first in nouns:
        return text[0].lower() + text[1:]
    return text


def _capitalised(word: str) -> bool:
    """Whether a word is written with a capital first letter and the rest in lower case
    ("Home", "Follow-up"), not an acronym ("SEO") or a name with a capital inside ("iPhone",
    "McKinsey")."""
    core = word.strip(_EDGE)
    return len(core) > 1 and core[0].isupper() and core[1:].replace("-", "").isalpha() and core[1:].islower()


def accusative(item: str, data: dict[str, Any]) -> str | None:
    """A German item as the accusative object of a sentence, or None when its case cannot
    be known. Typed with an article that fits the accusative ("den Zugang zum Lohnportal",
    "Die zwei Warmhalteboxen"): as typed, the article in lower case. Typed without one: the
    article of its last word's ending (item_articles.endings: "Büroschlüssel" → "den
    Büroschlüssel"). Anything else ("der Schlüssel", "ein Schlüssel", "Microsoft 365"):
    None, and the sentence takes a frame that needs no case."""
    table = data.get("item_articles") or {}
    words = item.split()
    if not words:
        return None
    first = words[0].casefold()
    if first in {str(w) for w in table.get("accusative") or ()} or first[:1].isdigit():
        return lower_article(item)
    if first in _DETERMINERS:
        return None  # an article or possessive of another case, or one that may be
    last = words[-1].strip(_EDGE).casefold()
    endings = {str(k): str(v) for k, v in (table.get("endings") or {}).items()}
    ending = next((e for e in sorted(endings, key=len, reverse=True) if last.endswith(e)), None)
    if ending is None or not last.isalpha():
        return None
    return f"{endings[ending]} {item}"


# Words that open a German noun phrase with its article or possessive; those not listed as
# accusative above (der, dem, ein, unser …) leave the case open.
_DETERMINERS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "mein",
        "meine",
        "meinen",
        "meinem",
        "meiner",
        "dein",
        "deine",
        "deinen",
        "deinem",
        "deiner",
        "sein",
        "seine",
        "ihr",
        "ihre",
        "ihren",
        "ihrem",
        "ihrer",
        "unser",
        "unsere",
        "unseren",
        "unserem",
        "unserer",
        "euer",
        "eure",
        "euren",
        "eurem",
        "eurer",
        "dieser",
        "diese",
        "diesen",
        "diesem",
        "dieses",
        "alle",
        "allen",
        "aller",
        "beide",
        "sämtliche",
        "zwei",
        "drei",
        "vier",
        "fünf",
        "sechs",
        "sieben",
        "acht",
        "neun",
        "zehn",
        "elf",
        "zwölf",
    ]
)


def lower_article(item: str) -> str:
    """A German item in a list or a sentence with a capitalised article or possessive at
    its start in lower case ("Die zwei Boxen" → "die zwei Boxen"); "Ihr …" (the reader's,
    in the Sie form) and anything else stay as typed."""
    words = item.split()
    if (
        words
        and words[0][:1].isupper()
        and words[0].casefold() in _DETERMINERS
        and not words[0].startswith("Ihr")
    ):
        return item[0].lower() + item[1:]
    return item


def with_legal_article(name: str, data: dict[str, Any]) -> str:
    """A German company's name as an object: with its article when it ends in a legal form
    ("die Sauber & Co. Dienstleistungen GmbH"), as typed otherwise ("Rheinwerk Digital",
    a person's name, a name typed with its article)."""
    forms = {str(f).casefold() for f in data.get("item_legal_forms") or ()}
    words = name.split()
    if not words or words[0].casefold() in _DETERMINERS:
        return name
    if words[-1].strip(",").casefold() in forms:
        return f"{data.get('item_legal_article') or 'die'} {name}"
    return name
