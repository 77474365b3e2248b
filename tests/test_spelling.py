"""Spelling: every sample letter and every text of the parts library passes hunspell.

The dictionaries are the ones a reader's spell checker uses: de_DE (also for de-AT),
de_CH, en_GB and en_US. Proper names — people, companies, products, abbreviations —
are listed in tests/spelling/names.txt; they are removed from the text before the
check. That list holds names only: a real word that hunspell does not know is a
finding to fix in the text, not an entry for the list.

hunspell is required: apt-get install hunspell hunspell-de-de hunspell-de-ch
hunspell-en-gb hunspell-en-us. Without it these tests fail rather than skip, so CI
can never pass without checking the spelling.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from letterkit.compose import compose

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
TEMPLATES = ROOT / "templates"
NAMES_FILE = Path(__file__).resolve().parent / "spelling" / "names.txt"
# Correct words (checked in Duden or Merriam-Webster) that the hunspell dictionaries lack,
# such as the legal term "hilfsweise"; given to hunspell as a personal dictionary.
TERMS_FILE = Path(__file__).resolve().parent / "spelling" / "terms.txt"

INSTALL = "apt-get install hunspell hunspell-de-de hunspell-de-ch hunspell-en-gb hunspell-en-us"
DICTIONARY = {"de-DE": "de_DE", "de-AT": "de_DE", "de-CH": "de_CH", "en-GB": "en_GB", "en-US": "en_US"}
LANGUAGE_DICTIONARIES = {"de": ("de_DE", "de_CH"), "en": ("en_GB", "en_US")}
ALL_DICTIONARIES = ("de_DE", "de_CH", "en_GB", "en_US")

# Austrian standard German that de_DE lacks (CI installs no de_AT dictionary). These
# are ordinary Austrian words, not names, so they live here with their locale rather
# than in names.txt, and count only for de-AT letters.
AUSTRIAN_WORDS = ("Jänner",)

_JINJA_TRIM_BEFORE = re.compile(r"\s*\{([%{#])-")
_JINJA_TRIM_AFTER = re.compile(r"-([%}#])\}\s*")
_JINJA_ALTERNATIVE = re.compile(r"\{%\s*(?:else|elif)\b.*?%\}", re.DOTALL)
_JINJA_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_JINJA_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_STRING_LITERAL = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_NOT_WORDS = re.compile(r"\d|@|https?:|www\.|\.example\b")


# --- hunspell ------------------------------------------------------------------------


def hunspell_problem() -> str | None:
    """Why hunspell cannot check spelling here, or None when it can."""
    if shutil.which("hunspell") is None:
        return f"hunspell is not installed; install it with: {INSTALL}"
    for dictionary in ALL_DICTIONARIES:
        result = subprocess.run(
            ["hunspell", "-d", dictionary, "-l"], input="", capture_output=True, text=True, check=False
        )
        if result.returncode != 0 or "Can't open" in result.stderr:
            return (
                f"the hunspell dictionary {dictionary} is missing "
                f"({result.stderr.strip()}); install it with: {INSTALL}"
            )
    return None


def require_hunspell() -> None:
    problem = hunspell_problem()
    if problem:
        pytest.fail(problem, pytrace=False)


@cache
def unknown_words(dictionary: str, text: str) -> tuple[str, ...]:
    """The words of ``text`` that hunspell's ``dictionary`` does not know."""
    result = subprocess.run(
        ["hunspell", "-d", dictionary, "-p", str(TERMS_FILE), "-i", "utf-8", "-l"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    words = result.stdout.decode("utf-8").split()
    # hunspell keeps a full stop on unknown words because its dictionaries hold
    # abbreviations ("Nr."); the word itself is what is unknown.
    return tuple(sorted({word.rstrip(".") for word in words if word.rstrip(".")}))


# --- names ---------------------------------------------------------------------------


@cache
def names() -> tuple[str, ...]:
    """Allowed proper names, longest first so "Google Search Console" goes before "Google"."""
    lines = NAMES_FILE.read_text(encoding="utf-8").splitlines()
    entries = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return tuple(sorted(entries, key=lambda name: (-len(name), name)))


def _name_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    escaped = re.escape(name)
    return (
        re.compile(rf"(?<![\w-]){escaped}-(?=\w)"),  # first part of a compound: ZIP-Archiv
        re.compile(rf"(?<=\w)-{escaped}(?![\w-])"),  # last part of a compound
        re.compile(rf"(?<!\w){escaped}(?!\w)"),
    )


def without_names(text: str, extra: tuple[str, ...] = ()) -> str:
    """``text`` with the allowed names removed, so hunspell checks the words around them."""
    for name in (*names(), *extra):
        for pattern in _name_patterns(name):
            text = pattern.sub(" ", text)
    return text


def used_names(text: str) -> set[str]:
    return {name for name in names() if _name_patterns(name)[2].search(text)}


# --- the texts to check --------------------------------------------------------------


def checkable(text: str, lang: str) -> str:
    """Drop what is not prose: numbers, references, email addresses, URLs."""
    if lang == "en":
        text = text.replace("’", "'")
    return " ".join(tok for tok in text.split() if not _NOT_WORDS.search(tok))


def sample_texts() -> Iterator[tuple[str, str, str]]:
    """(dictionary, where, text) for the reading text of every sample letter."""
    for path in SAMPLES:
        letter = compose(path)
        fields = {"subject": letter.subject, "salutation": letter.salutation, "closing": letter.closing}
        fields.update(
            {f"paragraph {i} ({block.part})": block.text for i, block in enumerate(letter.blocks, 1)}
        )
        for field, text in fields.items():
            yield DICTIONARY[letter.locale], f"samples/{path.name}: {field}", text


def strip_jinja(source: str) -> tuple[str, list[str]]:
    """A template's text without tags, and the string literals of its ``{{ }}`` output.

    Whitespace control (``{%-``, ``-%}``) is applied as Jinja does; ``else``/``elif``
    start a new line, because the branches are alternatives, while ``if``/``endif``
    vanish, so an ending added by a condition stays on its word
    ("Zahlungserinnerung{% if n != 1 %}en{% endif %}" is checked as "Zahlungserinnerungen").
    """
    literals = [
        a or b for expr in _JINJA_EXPRESSION.findall(source) for a, b in _STRING_LITERAL.findall(expr)
    ]
    text = _JINJA_TRIM_AFTER.sub(r"\1}", _JINJA_TRIM_BEFORE.sub(r"{\1", source))
    text = _JINJA_ALTERNATIVE.sub("\n", text)
    text = _JINJA_EXPRESSION.sub("", _JINJA_STATEMENT.sub("", text))
    return text, literals


def _leaves(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def parts_texts(lang: str, dictionary: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of templates/<lang>/parts.yaml, as ``dictionary`` sees it."""
    path = TEMPLATES / lang / "parts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, source in _leaves(data, ""):
        if dictionary == "de_CH":
            source = source.replace("ß", "ss")  # what letterkit prints for de-CH
        text, literals = strip_jinja(source)
        yield f"templates/{lang}/parts.yaml: {key}", text
        for literal in literals:
            yield f"templates/{lang}/parts.yaml: {key} (literal)", literal


def misspellings(
    dictionary: str, items: list[tuple[str, str]], lang: str, extra: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """Unknown word → the places it occurs, for texts checked with one dictionary."""
    cleaned = [(where, without_names(checkable(text, lang), extra)) for where, text in items]
    found: dict[str, list[str]] = {}
    for word in unknown_words(dictionary, "\n".join(text for _, text in cleaned)):
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        places = [where for where, text in cleaned if pattern.search(text)]
        found[word] = places or ["(hunspell token not located)"]
    return found


def report(dictionary: str, found: dict[str, list[str]]) -> str:
    lines = [f"hunspell {dictionary} does not know {len(found)} word(s):"]
    for word, places in sorted(found.items()):
        shown = "; ".join(places[:6]) + (f"; … {len(places) - 6} more" if len(places) > 6 else "")
        lines.append(f"  {word!r} in {shown}")
    lines.append(
        "Fix the spelling or choose a word the dictionary knows. Only a proper name "
        "(person, company, product, abbreviation) belongs in tests/spelling/names.txt."
    )
    return "\n".join(lines)


# --- tests ---------------------------------------------------------------------------


def test_hunspell_and_every_dictionary_are_installed():
    require_hunspell()


@pytest.mark.parametrize("dictionary", ALL_DICTIONARIES)
def test_sample_letters_are_spelled_correctly(dictionary):
    require_hunspell()
    items = [(where, text) for d, where, text in sample_texts() if d == dictionary]
    assert items, f"no sample letter is checked with {dictionary}"
    lang = dictionary[:2]
    austrian = tuple(where for where, _ in items if "/de-AT-" in where)
    checked = [(where, text) for where, text in items if where not in austrian]
    found = misspellings(dictionary, checked, lang)
    for word, places in misspellings(
        dictionary, [(w, t) for w, t in items if w in austrian], lang, AUSTRIAN_WORDS
    ).items():
        found.setdefault(word, []).extend(places)
    assert not found, report(dictionary, found)


@pytest.mark.parametrize("dictionary", ALL_DICTIONARIES)
def test_parts_library_is_spelled_correctly(dictionary):
    require_hunspell()
    lang = dictionary[:2]
    path = TEMPLATES / lang / "parts.yaml"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    found = misspellings(dictionary, list(parts_texts(lang, dictionary)), lang)
    assert not found, report(dictionary, found)


def test_names_list_holds_only_needed_names():
    """Every entry occurs in a checked text and is unknown to a dictionary checking it."""
    require_hunspell()
    texts: list[tuple[str, str]] = [(d, text) for d, _, text in sample_texts()]
    for lang, dictionaries in LANGUAGE_DICTIONARIES.items():
        for dictionary in dictionaries:
            texts += [(dictionary, text) for _, text in parts_texts(lang, dictionary)]
    occurs: dict[str, set[str]] = {}
    for dictionary, text in texts:
        for name in used_names(text):
            occurs.setdefault(name, set()).add(dictionary)
    unused = sorted(set(names()) - set(occurs))
    assert not unused, f"names.txt lists names no sample or template uses: {unused}"
    known = [
        name for name, dictionaries in occurs.items() if all(not unknown_words(d, name) for d in dictionaries)
    ]
    assert not known, f"names.txt lists words the dictionaries already know: {sorted(known)}"


# --- the machinery itself ------------------------------------------------------------


def test_jinja_is_stripped_and_output_literals_are_kept():
    text, literals = strip_jinja('{% if a %}Bis zum {{ x.by }}{% endif %} {{ y or "alle Dateien" }}.')
    assert "{" not in text and "Bis zum" in text
    assert literals == ["alle Dateien"]


def test_a_misspelling_is_reported_with_its_place():
    require_hunspell()
    found = misspellings("de_DE", [("here", "Wir bedanken uns für die Zusammmenarbeit.")], "de")
    assert found == {"Zusammmenarbeit": ["here"]}
    found = misspellings("en_GB", [("there", "We recieve the files.")], "en")
    assert found == {"recieve": ["there"]}


def test_names_are_removed_but_the_rest_of_a_compound_is_checked():
    assert "ZIP" not in without_names("alle Dateien als ZIP-Archiv", ("ZIP",))
    assert "Archiv" in without_names("alle Dateien als ZIP-Archiv", ("ZIP",))
    assert "ZIPPY" in without_names("ZIPPY", ("ZIP",))
