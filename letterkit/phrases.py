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

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_EDGE = "\"'‘’“”„‚«»‹›()[],.;:"


def running_text(text: str, data: dict[str, Any], names: Iterable[str] = ()) -> str:
    """An English name or item as running text writes it: a capitalised determiner at the
    start lowered ("The garage door remote"), and a name typed in sentence case lowered
    when its first word is a common word that begins such names (running_first_words, or
    an ending of running_first_endings: "Home addition contract" → "home addition
    contract", "Executive coaching package" → "executive coaching package"; "Manchester
    warehouse cleaning contract" stays),
    "Admin access to Shopify" → "admin access to Shopify"; "Microsoft 365 support contract", "SEO retainer", "Acme Cloud plan" stay as typed).
    ``names`` are the letter's own names (companies, people, towns): their words keep
    their capital."""
    words = text.split(" ")
    if not words or not _capitalised(words[0]) or len(text[0].lower()) != 1:  # "İstanbul" stays
        return text
    first = words[0].strip(_EDGE).casefold()
    determiners = {str(w) for w in data.get("item_determiners") or ()}
    if first in determiners:
        return text[0].lower() + text[1:]
    proper = {str(w) for w in data.get("proper_words") or ()}
    nouns = {str(n) for n in data.get("contract_nouns") or ()}
    common = {str(w) for w in data.get("running_first_words") or ()} | nouns
    own = _name_words(names, common)
    if first in proper or first in own or not (first in common or _common_ending(first, data)):
        return text  # "Manchester warehouse cleaning"
    rest = [word.strip(_EDGE) for word in words[1:] if any(char.isalpha() for char in word)]
    # the other words in lower case, or names ("Admin access to Shopify"): a description
    if any(w.islower() for w in rest) and all(w.islower() or w.casefold() in proper | own for w in rest):
        return text[0].lower() + text[1:]
    if not rest and len(words) == 1 and first in nouns:
        return text[0].lower() + text[1:]
    return text


def running_list(items: Iterable[str], data: dict[str, Any], names: Iterable[str] = ()) -> list[str]:
    """The items of an English list as running text writes them (``running_text``), alike:
    where one item is lowered as a description ("Domain registrar" → "domain registrar"), a
    one-word item that is a common first word of such descriptions is lowered too ("Hosting
    and domain registrar" read as if Hosting were a name), unless it is one of the letter's
    own names or a proper word. On its own, a one-word item stays as typed ("Hosting")."""
    names = list(names)
    typed = list(items)
    out = [running_text(item, data, names) for item in typed]
    if all(after == before for after, before in zip(out, typed, strict=True)):
        return out
    proper = {str(w) for w in data.get("proper_words") or ()}
    common = {str(w) for w in data.get("running_first_words") or ()} | {str(n) for n in data.get("contract_nouns") or ()}
    own = _name_words(names, common)
    for at, (after, before) in enumerate(zip(out, typed, strict=True)):
        word = before.strip(_EDGE).casefold()
        one_word = after == before and " " not in before.strip() and _capitalised(before)
        if (
            one_word
            and len(before[:1].lower()) == 1
            and (word in common or _common_ending(word, data))
            and word not in proper | own
        ):
            out[at] = before[0].lower() + before[1:]
    return out


def _name_words(names: Iterable[str], common: set[str]) -> set[str]:
    """The words of the letter's own names that mark a name typed in sentence case as a
    name: every word of a name but the common words after its first ("Bluepeak Managed IT,
    Inc." gives "bluepeak" and "inc", not "managed" or "it": "Managed services agreement" is
    a description; a company called "Managed Services Ltd" keeps "Managed services
    agreement" as typed, and so does a town called Fleet "Fleet office cleaning")."""
    words = set()
    for name in names:
        for at, word in enumerate(w.strip(_EDGE).casefold() for w in name.split()):
            if word and (at == 0 or word not in common):
                words.add(word)
    return words


def _common_ending(word: str, data: dict[str, Any]) -> bool:
    """Whether a first word ends as only common English words of its length do
    (running_first_endings: "executive", "professional", "technical", "management"): names
    of places and people do not ("Clive", "Clement"), so such a word need not be listed."""
    endings = data.get("running_first_endings") or {}
    return any(word.endswith(str(end)) and len(word) >= int(least) for end, least in endings.items())


def english_object(
    item: str, data: dict[str, Any], names: Iterable[str] = (), *, account: bool = False
) -> str | None:
    """An English item (as running_text gives it) as the object of a sentence, or None for
    an account that is a name ("Microsoft 365", "Slack", "Acme Cloud", "AWS"): the part then
    takes a frame that needs no article ("the Microsoft 365 account"). An item that brings
    its own determiner, number or owner stays as typed ("our laptop", "two keys", "Anna's
    laptop"), and so does an address ("acme.com"); access takes its article from
    item_access_heads ("access to the booking portal", "the login for the portal"); any
    other item is a common noun and takes "the" ("the office key", "the Google Workspace
    admin account"), a word typed alone with a capital in lower case ("Projector" → "the
    projector") unless it is a name (proper_words, the letter's own names). An account
    named by its service takes "account" (item_service_heads: "Hosting" → "the hosting
    account")."""
    words = item.split()
    if not words:
        return None
    if _determined(words, data) or (len(words) == 1 and any(c in item for c in ".@/")):
        return item
    head = _english_head(words, data)
    heads = {str(k): str(v or "") for k, v in (data.get("item_access_heads") or {}).items()}
    if account and head in heads:
        if words[0].strip(_EDGE).casefold() == head:  # "Access to …", not "Zendesk … login"
            item = item[0].lower() + item[1:]
        return f"{heads[head]} {item}".strip()
    if account and _a_name(words, data, names):
        return None
    if len(words) == 1 and _capitalised(item) and not _a_name(words, data, names):
        item = item[0].lower() + item[1:]
    if account and head in {str(w) for w in data.get("item_service_heads") or ()}:
        item = f"{item} account"  # "the hosting account": a service is no thing one owns
    return f"the {item}"


def english_access(item: str, data: dict[str, Any]) -> bool:
    """Whether an English account item names access rather than a thing one owns ("Access
    to the booking portal", "admin access to Shopify", "Login for the portal"): it is
    transferred, not its ownership (data: item_access_heads)."""
    words = item.split()
    return bool(words) and _english_head(words, data) in (data.get("item_access_heads") or {})


def _determined(words: list[str], data: dict[str, Any]) -> bool:
    """Whether an English item opens with a determiner, a number or an owner ("our laptop",
    "2 keys", "Anna Meyer's keys", "the client's files")."""
    first = words[0].strip(_EDGE).casefold()
    if first in {str(w) for w in data.get("item_determiners") or ()} or first[:1].isdigit():
        return True
    preposition = {str(w) for w in data.get("item_prepositions") or ()}
    before = next((i for i, w in enumerate(words) if i and w.casefold() in preposition), len(words))
    return any(w.strip(_EDGE).endswith(("'s", "’s", "s'", "s’")) for w in words[: before - 1])


def _english_head(words: list[str], data: dict[str, Any]) -> str:
    """The head noun of an English item: the word before its first preposition ("access"
    in "admin access to Shopify"), else its last word; in lower case."""
    preposition = {str(w) for w in data.get("item_prepositions") or ()}
    at = next((i for i, w in enumerate(words) if i and w.casefold() in preposition), len(words))
    return words[at - 1].strip(_EDGE).casefold()


def _a_name(words: list[str], data: dict[str, Any], names: Iterable[str]) -> bool:
    """Whether an English item is a name, not a description: every word with a capital or a
    digit ("Microsoft 365", "Acme Cloud", "Google Analytics", "AWS", "GitHub") and the last
    one no noun for an account ("Google Ads Account" is an account); a word alone only when
    it is a known name (proper_words, the letter's own names) or no plain capitalised word
    ("AWS", "GitHub", not "Domain")."""
    cores = [w.strip(_EDGE) for w in words if w.strip(_EDGE)]
    if not cores or not all(w[0].isupper() or w[0].isdigit() for w in cores):
        return False
    if cores[-1].casefold() in {str(w) for w in data.get("item_account_nouns") or ()}:
        return False
    if len(cores) > 1:
        return True
    proper = {str(w) for w in data.get("proper_words") or ()}
    own = {word.strip(_EDGE).casefold() for name in names for word in name.split()}
    return cores[0].casefold() in proper | own or not _capitalised(cores[0])


def _capitalised(word: str) -> bool:
    """Whether a word is written with a capital first letter and the rest in lower case
    ("Home", "Follow-up"), not an acronym ("SEO") or a name with a capital inside ("iPhone",
    "McKinsey")."""
    core = word.strip(_EDGE)
    return len(core) > 1 and core[0].isupper() and core[1:].replace("-", "").isalpha() and core[1:].islower()


def accusative(item: str, data: dict[str, Any]) -> str | None:
    """A German item as the accusative object of a sentence, or None when its case cannot
    be known. Typed with an article that fits the accusative ("den Zugang zum Lohnportal",
    "Die zwei Warmhalteboxen"): as typed, the article in lower case. Typed in the
    nominative of a masculine noun: in the accusative ("der alte Rasenmäher" → "den alten
    Rasenmäher", "unser Laptop" → "unseren Laptop"). Typed without an article: the article
    of its head noun's ending (item_articles.endings: "Büroschlüssel" → "den Büroschlüssel",
    "Zugang zum Schließsystem-Portal" → "den Zugang zum Schließsystem-Portal"). Anything
    else ("dem Schlüssel", "neuer Laptop", "Microsoft 365"): None, and the sentence takes a
    frame that needs no case."""
    table = data.get("item_articles") or {}
    words = item.split()
    if not words:
        return None
    first = words[0].casefold()
    if first in {str(w) for w in table.get("accusative") or ()} or first[:1].isdigit():
        return lower_article(item)
    head = _german_head(words, data)
    if first in _DETERMINERS:
        return _from_nominative(words, head, _article(words[head], table))
    if any(w[:1].islower() for w in words[:head]):
        return None  # an adjective before the noun needs an ending of its own ("neuer Laptop")
    article = _article(words[head], table)
    return f"{article} {item}" if article else None


def _german_head(words: list[str], data: dict[str, Any]) -> int:
    """The place of a German item's head noun: the word before a preposition that adds to
    it ("Zugang zum Schließsystem-Portal", "Schlüssel für das Tor"), else the last word
    (data: contract_name_joiners, the same prepositions as in contract names)."""
    joiners = {str(w) for w in data.get("contract_name_joiners") or ()}
    start = 2 if words[0].casefold() in _DETERMINERS else 1
    at = next((i for i, w in enumerate(words) if i >= start and w.casefold() in joiners), len(words))
    return at - 1


def _article(noun: str, table: dict[str, Any]) -> str | None:
    """The accusative article of a German noun by its ending, the last part of a compound
    written with a hyphen counting ("Schließsystem-Portal" → das); None when unknown."""
    last = noun.strip(_EDGE).rsplit("-", 1)[-1].casefold()
    endings = {str(k): str(v) for k, v in (table.get("endings") or {}).items()}
    ending = next((e for e in sorted(endings, key=len, reverse=True) if last.endswith(e)), None)
    return endings[ending] if ending is not None and last.isalpha() else None


def _from_nominative(words: list[str], head: int, article: str | None) -> str | None:
    """A German item typed in the nominative, in the accusative: only a masculine noun
    changes, and only "der" or a word like "ein"/"unser" shows it (der → den, with the
    adjectives' -e → -en; ein → einen, unser → unseren, with -er → -en); after "ein" or
    "unser" a neuter noun stays as typed ("ein Tablet"); another case or an unknown gender: None."""
    first = words[0].casefold()
    between = words[1:head]
    if any(not w.islower() for w in between):
        return None
    if first == "der":
        if not all(w.endswith("e") for w in between):
            return None
        return " ".join([_cased("den", words[0]), *(w + "n" for w in between), *words[head:]])
    if first not in _POSSESSIVE_STEMS:
        return None  # dem, des, einer …: another case
    if article == "das":
        return lower_article(" ".join(words))
    if article != "den" or not all(w.endswith("er") for w in between):
        return None
    stem = words[0][:-2] + "r" if first == "euer" else words[0]
    return " ".join([_cased(stem + "en", words[0]), *(w[:-2] + "en" for w in between), *words[head:]])


# "ein", "unser" …: they add -en for a masculine accusative ("einen", "unseren", "euren")
_POSSESSIVE_STEMS = frozenset(["ein", "kein", "mein", "dein", "sein", "ihr", "unser", "euer"])


def _cased(word: str, like: str) -> str:
    """``word`` with the case of ``like``'s first letter: lower case unless it is the
    reader's "Ihr" (Sie form), which keeps its capital ("Ihren Laptop")."""
    return word[0].upper() + word[1:] if like.startswith("Ihr") else word[0].lower() + word[1:]


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


def has_legal_form(name: str, data: dict[str, Any]) -> bool:
    """Whether a name ends in a company's legal form ("Sauber & Co. Dienstleistungen GmbH",
    "Bloggs Holdings, Ltd.", "Acme Corp."): a firm. A name without one may be a firm's
    trading name, a school, a church, a club or a person (data: item_legal_forms, compared
    without case, without full stops and without a comma at either end: "P.C.", "S.A.",
    "e.U." as "PC", "SA", "eU", as the team salutation's legal_forms are compared)."""
    words = name.split()
    return bool(words) and _fold_form(words[-1]) in _legal_forms(data)


def _fold_form(word: str) -> str:
    """A legal form as it is compared: 'P.C.' → 'pc', 'Ges.m.b.H.' → 'gesmbh'."""
    return word.replace(".", "").strip(",").casefold()


_LEGAL_FORMS: dict[int, tuple[dict[str, Any], frozenset[str]]] = {}


def _legal_forms(data: dict[str, Any]) -> frozenset[str]:
    """The legal forms of a locale's data, folded, made once per data (a merge asks for
    them in every letter, and building the set took a sixtieth of a letter's time)."""
    kept = _LEGAL_FORMS.get(id(data))
    if kept is None or kept[0] is not data:  # the data object itself is kept, so its id stays its own
        kept = _LEGAL_FORMS[id(data)] = (data, frozenset(_fold_form(str(f)) for f in data.get("item_legal_forms") or ()))
    return kept[1]


def provider_object(name: str, data: dict[str, Any]) -> str | None:
    """A recommended provider's name as the accusative object of a German sentence, or None
    when its article cannot be known. With a legal form it is a firm: "die Sauber & Co.
    Dienstleistungen GmbH" (item_legal_article). Typed with an article that fits the
    accusative ("das Conservatorio …", "die Musikschule Klangwerk"): as typed, the article
    in lower case. Anything else — a trading name ("Rheinwerk Digital"), an institution
    ("Conservatorio della Svizzera italiana": das? die?), a person — may need an article
    or none: None, and the part names it after a colon, where no article is needed."""
    words = name.split()
    if not words:
        return None
    first = words[0].casefold()
    if first in _DETERMINERS:
        accusative = {str(w) for w in (data.get("item_articles") or {}).get("accusative") or ()}
        return lower_article(name) if first in accusative else None
    if has_legal_form(name, data):
        return f"{data.get('item_legal_article') or 'die'} {name}"
    return None


def names_invoice(enclosures: Iterable[str], number: str | None, data: dict[str, Any]) -> bool:
    """Whether one of the enclosures is the final invoice, so that the letter says it is
    enclosed instead of promising it: an enclosure that names the invoice's number
    ("Schlussrechnung Nr. 2026-118", "Final invoice INV-14"), or one called an invoice
    (invoice_words, whole words in any case: "Schlussrechnung", "Rechnung", "invoice") and,
    when the invoice has a number, written without digits ("Rechnung Nr. 2025-044" is
    another invoice; "Rechnungskopien" and "Rechnungen" are not the final invoice)."""
    items = tuple(enclosures)
    if not items:  # most letters list none: no pattern is made (a merge asks for every row)
        return False
    own = re.compile(rf"(?<![\w-]){re.escape(number)}(?![\w-])") if number else None
    called = _invoice_words(tuple(str(w) for w in data.get("invoice_words") or ()))
    for item in items:
        if own and own.search(item):
            return True
        if called and called.search(item) and not (number and any(c.isdigit() for c in item)):
            return True
    return False


@lru_cache(maxsize=8)
def _invoice_words(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """The pattern of the words that call an enclosure an invoice (whole words, any case)."""
    joined = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE) if joined else None
