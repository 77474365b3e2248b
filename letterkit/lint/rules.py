"""Lint rules are data: YAML files in letterkit/lint/rules/<lang>/, compiled once.

A rule file holds one family (one category) of rules over a closed set of kinds
(``phrase``, ``reader_subject``, ``capitals``, ``regex``, ``structure``). Token
patterns are written as words separated by spaces, with ``...`` for a gap of up to
four words (``...2`` for two) and macros for German and English endings
(``unverschämt{adj}``); a token starting with ``=`` is matched case-sensitively.
The loader checks every file and names the file, the rule and the key it dislikes.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import re
import stat
import sys
import time
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__
from ..errors import TemplateError
from .branches import factor_branches
from .findings import SEVERITIES
from .spelling import WITHOUT_UMLAUTS

RULES_DIR = Path(__file__).resolve().parent / "rules"
# Each install's cache files carry its own tag (the first 4 of their 20 hex digits): two
# installs sharing one cache folder (a checkout and a pipx copy) keep a file each instead
# of replacing each other's at every run (see remove_older).
_INSTALL = f"{zlib.crc32(str(RULES_DIR).encode()) & 0xFFFF:04x}"
# Another install's cache file unused this long is taken for one of a removed install.
STALE_AFTER_DAYS = 30
_DIGEST = re.compile(r"(?<![0-9a-f])[0-9a-f]{20}(?![0-9a-f])")
KINDS = ("phrase", "reader_subject", "capitals", "regex", "emphasis", "structure", "model")
CATEGORIES = (
    "blame",
    "hostile",
    "absolute",
    "passive_aggressive",
    "threat",
    "sarcasm",
    "shouting",
    "emotion",
    "reopening",
    "negative_framing",
    "over_apology",
    "condescension",
    "structure",
    "judged",  # the tone model's findings (each carries the category the model reads)
)
_REQUIRED = ("id", "severity", "kind", "message")
_OPTIONAL = (
    "patterns",
    "unless",
    "suggest",
    "examples",
    "needs_negative",
    "judgement",
    "case_sensitive",
    "pattern",
    "allow",
    "min_length",
    "check",
    "why",
    "locales",
    "prose_only",
    "messages",
    "suggestions",
    "once_per_sentence",
    "pressure_words",
)

# Endings expanded at compile time, so one pattern covers a word's inflected forms.
MACROS = {
    "{adj}": "(?:e|en|em|er|es)?",  # unverschämt, unverschämte, unverschämten …
    "{adjx}": "(?:e|en|em|er|es|ere|eren|erem|erer|eres|ste|sten|stem|ster|stes)?",
    "{noun}": "(?:s|es|e|en|n|er|ern|se|sen|ses)?",  # Versäumnis, Versäumnisse, Versäumnissen
    "{verb}": "(?:e|st|t|et|en|te|test|ten|tet|est)?",  # versäum(e|st|t|te|ten …)
    "{s}": "(?:s|es)?",
    "{ed}": "(?:s|es|ed|d|ing)?",
    "{ly}": "(?:ly)?",
}
_GAP = re.compile(r"^\.\.\.(\d*)$")


@dataclass(frozen=True)
class Rule:
    """One compiled rule."""

    id: str
    lang: str
    category: str
    severity: str
    kind: str
    message: str
    suggest: str = ""
    why: str = ""
    patterns: tuple[LazyPattern, ...] = ()
    unless: tuple[LazyPattern, ...] = ()
    regex: LazyPattern | None = None
    options: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    source: str = ""


class RegexCode(NamedTuple):
    """What ``re.compile`` hands to the regex engine after parsing and translating a
    pattern (the slow part); kept with the cached rules, it compiles in microseconds.
    ``code`` holds the engine's unsigned ints as bytes (one bytes object loads ~10 times
    faster than an array), and the cached rules keep it as a plain tuple (see LazyPattern)."""

    flags: int
    code: bytes
    groups: int
    groupindex: dict[str, int]
    indexgroup: tuple[str | None, ...]


def _sre_modules() -> tuple[Any, Any, Any] | None:
    """The standard library's regex parser, translator and engine, or None when this Python
    lays them out differently (then patterns are compiled by re.compile, only slower)."""
    try:
        engine = importlib.import_module("_sre")
        try:
            parser, translator = (importlib.import_module(f"re.{n}") for n in ("_parser", "_compiler"))
        except ImportError:  # Python 3.10
            parser, translator = (importlib.import_module(n) for n in ("sre_parse", "sre_compile"))
        if array("I").itemsize != engine.CODESIZE:
            return None
        return parser, translator, engine
    except (ImportError, AttributeError):
        return None


# The translated code belongs to one Python's regex engine: the rules cache is keyed by it.
_SRE = _sre_modules()
_ENGINE_TAG = f"{sys.version}\0{getattr(_SRE[2], 'MAGIC', '') if _SRE else ''}"


def regex_code(pattern: str, flags: int, factor: bool = True) -> RegexCode | None:
    """Parse and translate ``pattern`` as re.compile does (None if it does not compile);
    with ``factor``, alternatives that share a beginning are factored (rule patterns)."""
    if _SRE is None:
        return None
    parser, translator, _ = _SRE
    try:
        parsed = parser.parse(pattern, flags)
        if factor:
            parsed = factor_branches(parsed, flags)  # ABLE|AND: A(?:BLE|ND)
        code = translator._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, number in groupindex.items():
            indexgroup[number] = name
        return RegexCode(
            flags | parsed.state.flags,
            array("I", code).tobytes(),
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
    except Exception:  # any surprise: re.compile reports the error at use
        return None


# RegexCode's fields as a plain tuple: what the rules cache holds.
CodeTuple = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
CodeKey = tuple[int, str]  # a pattern's flags and text


def from_code(pattern: str, found: CodeTuple) -> re.Pattern[str] | None:
    """The compiled pattern made from translated code (the last step of re.compile)."""
    if _SRE is None:
        return None
    try:
        flags, code, groups, groupindex, indexgroup = found
        words = array("I")
        words.frombytes(code)
        compiled: re.Pattern[str] = _SRE[2].compile(
            pattern, flags, words.tolist(), groups, groupindex, indexgroup
        )
        return compiled
    except Exception:  # the engine refused the code: compile from scratch
        return None


class LazyPattern:
    """A rule's regex, compiled on first use: a one-page draft needs only the few patterns
    whose beginnings occur in it, so a cold start does not compile hundreds of them. The
    cached rules carry each pattern's translated code (``code``), which turns the compile
    into a few microseconds; without it, the pattern goes through re.compile."""

    __slots__ = ("_compiled", "code", "flags", "needs", "origin", "pattern", "starts", "words")

    def __init__(self, pattern: str, flags: int, origin: str, words: tuple[str, ...] = ()) -> None:
        self.pattern = pattern
        self.flags = flags
        self.origin = origin
        self.words = words  # the regex of each word of the pattern (gaps left out)
        self.code: CodeTuple | None = None
        self.starts: str | None = None  # for a raw regex: the characters a match starts with
        # for an ``unless`` pattern: lower-case pieces a match contains, one of each group
        self.needs: tuple[tuple[str, ...], ...] | None = None
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            if self.code is None:  # translate it (what re.compile would do) and keep the code
                self.code = regex_code(self.pattern, self.flags)
                _NEW_CODE.add(self.key)
            fast = from_code(self.pattern, self.code) if self.code is not None else None
            try:
                self._compiled = fast or re.compile(self.pattern, self.flags)
            except re.error as exc:
                raise TemplateError(f"{self.origin}: pattern does not compile: {exc}") from None
        return self._compiled

    @property
    def key(self) -> CodeKey:
        """What the translated code is filed under: the same text with other flags is other code."""
        return int(self.flags), self.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def __getstate__(self) -> tuple[Any, ...]:
        """Pickled without the compiled regex, which would be compiled again on loading, as
        one tuple of plain values: a start-up loads ~1,000 patterns, and an int, a tuple
        and bytes load in C where a RegexFlag, a RegexCode and an array each call Python."""
        code = None if self.code is None else tuple(self.code)
        return (self.pattern, int(self.flags), self.origin, self.words, code, self.starts, self.needs)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        """Restore a pickled pattern (from __getstate__)."""
        self.pattern, self.flags, self.origin, self.words, self.code, self.starts, self.needs = state
        self._compiled = None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)


def compile_pattern(
    pattern: str, case_sensitive: bool = False, origin: str = "", lang: str = ""
) -> LazyPattern:
    """Turn 'Sie haben ... versäum{verb}' into a regex over a space-joined token string; in
    German each umlaut and ß also matches its spelling without them (see ``typed_without``)."""
    parts: list[str] = []
    words: list[str] = []
    for word in pattern.split():
        gap = _GAP.match(word)
        if gap:
            parts.append(f"(?:\\S+ ){{0,{int(gap.group(1) or 4)}}}")
            continue
        exact = word.startswith("=")
        fragment = word[1:] if exact else word
        for macro, expansion in MACROS.items():
            fragment = fragment.replace(macro, expansion)
        fragment = _in_language(lang, fragment)
        fragment = f"(?-i:{fragment})" if exact else f"(?:{fragment})"
        words.append(fragment)
        parts.append(fragment + " ")
    body = "".join(parts).rstrip(" ")
    flags = 0 if case_sensitive else re.IGNORECASE
    return LazyPattern(f"(?<!\\S){body}(?!\\S)", flags, origin, tuple(words))




def _in_language(lang: str, pattern: str) -> str:
    """A pattern as the language's rules match it: German also without umlauts."""
    return typed_without(pattern) if lang == "de" else pattern


def typed_without(fragment: str) -> str:
    """A German pattern fragment that also matches a word typed without umlauts or ß
    ("unverschaemt", "versaeumt", "Massnahmen"): each ä outside a character set becomes
    (?:ä|ae), a set holding one, such as [aä], becomes (?:[aä]|ae). A negated or repeated
    set, and a look-behind (which must keep one width), are left as they are. An ASCII
    German word with ae, oe, ue or ss that is another word ("Busse", "Masse") still only
    matches where a rule wrote the umlaut or ß at that place."""
    out: list[str] = []
    behind: list[bool] = []  # for each open group: is it (inside) a look-behind?
    at, length = 0, len(fragment)
    while at < length:
        char = fragment[at]
        fixed = bool(behind) and behind[-1]
        if char == "\\" and at + 1 < length:
            out.append(fragment[at : at + 2])
            at += 2
            continue
        if char == "[":
            end = _set_end(fragment, at)
            charset = fragment[at:end]
            spelled = [WITHOUT_UMLAUTS[c] for c in dict.fromkeys(charset) if c in WITHOUT_UMLAUTS]
            # a repeated set such as [a-zäöü]+ is a run of letters, not one umlaut: with
            # (?:[a-zä]|ae)+ a failing match would try every way to split "aeae..."
            kept = fixed or charset.startswith("[^") or fragment[end : end + 1] in ("*", "+", "{")
            out.append(charset if kept or not spelled else f"(?:{charset}|{'|'.join(spelled)})")
            at = end
            continue
        if char == "(":
            behind.append(fixed or fragment.startswith(("(?<=", "(?<!"), at))
        elif char == ")" and behind:
            behind.pop()
        out.append(f"(?:{char}|{WITHOUT_UMLAUTS[char]})" if char in WITHOUT_UMLAUTS and not fixed else char)
        at += 1
    return "".join(out)


def _set_end(pattern: str, start: int) -> int:
    """Where the character set that opens at ``start`` ends (just after its ']')."""
    at = start + 1
    if at < len(pattern) and pattern[at] == "^":
        at += 1
    if at < len(pattern) and pattern[at] == "]":  # a ']' first in a set is a character
        at += 1
    while at < len(pattern) and pattern[at] != "]":
        at += 2 if pattern[at] == "\\" else 1
    return at + 1


def _space_in_group(pattern: str) -> int:
    """Where a phrase pattern has a literal space inside parentheses or a character set
    (-1: nowhere). Such a space splits the group between two words, and the pattern no longer means what it says
    ("(?:überdenken|erneut prüfen)" would need a second word after "überdenken")."""
    depth, escaped, in_set = 0, False, False
    for at, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == " " and (depth > 0 or in_set):
            return at
        elif in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
        elif char in "()":
            depth += 1 if char == "(" else -1
    return -1


def _fail(source: str, rule_id: str, message: str) -> TemplateError:
    return TemplateError(f"{source}: rule {rule_id}: {message}")


def _compile_rule(raw: dict[str, Any], family: dict[str, Any], lang: str, source: str) -> Rule:
    rule_id = str(raw.get("id", "?"))
    for key in _REQUIRED:
        if key not in raw:
            raise _fail(source, rule_id, f"missing key '{key}'")
    for key in raw:
        if key not in _REQUIRED and key not in _OPTIONAL:
            raise _fail(source, rule_id, f"unknown key '{key}'")
    if raw["kind"] not in KINDS:
        raise _fail(source, rule_id, f"kind '{raw['kind']}' is not one of {', '.join(KINDS)}")
    if raw["severity"] not in SEVERITIES:
        raise _fail(source, rule_id, f"severity '{raw['severity']}' is not one of {', '.join(SEVERITIES)}")
    category = family["category"]
    if category not in CATEGORIES:
        raise _fail(source, rule_id, f"category '{category}' is not one of {', '.join(CATEGORIES)}")
    case = bool(raw.get("case_sensitive", False))
    for written in (*raw.get("patterns", []), *raw.get("unless", [])):
        at = _space_in_group(str(written))
        if at >= 0:  # the words are split at spaces: the group would be cut in two
            raise _fail(
                source,
                rule_id,
                f"pattern {str(written)[:60]!r}… has a space inside a group (at {str(written)[max(0, at - 20) : at + 20]!r}); "
                "words are split at spaces, so write \\s for a space within a group",
            )
    try:
        origin = f"{source}: rule {rule_id}"
        patterns = tuple(compile_pattern(p, case, origin, lang) for p in raw.get("patterns", []))
        unless = tuple(compile_pattern(p, case, origin, lang) for p in raw.get("unless", []))
        regex = LazyPattern(_in_language(lang, raw["pattern"]), 0, origin) if "pattern" in raw else None
        if regex is not None:
            re.compile(regex.pattern)  # a mistake is reported now, with the rule's name
    except re.error as exc:
        raise _fail(source, rule_id, f"pattern does not compile: {exc}") from None
    if raw["kind"] in ("phrase", "reader_subject") and not patterns:
        raise _fail(source, rule_id, "needs 'patterns'")
    if raw["kind"] == "regex" and regex is None:
        raise _fail(source, rule_id, "needs 'pattern'")
    words = raw.get("pressure_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise _fail(source, rule_id, "'pressure_words' must be a list of words")
    options: dict[str, Any] = {
        k: raw[k]
        for k in (
            "needs_negative",
            "judgement",
            "allow",
            "min_length",
            "check",
            "locales",
            "prose_only",
            "messages",
            "suggestions",
            "once_per_sentence",
            "pressure_words",
        )
        if k in raw
    }
    return Rule(
        id=f"{category}/{raw['id']}" if "/" not in raw["id"] else raw["id"],
        lang=lang,
        category=category,
        severity=raw["severity"],
        kind=raw["kind"],
        message=raw["message"],
        suggest=raw.get("suggest", ""),
        why=raw.get("why", ""),
        patterns=patterns,
        unless=unless,
        regex=regex,
        options=options,
        examples=raw.get("examples") or {},
        source=source,
    )


def _load_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path}: not valid YAML ({exc})") from None


class RuleSet:
    """A language's rules, its word lists (``_language.yaml``) and its negative cues; ``key``
    names the rule files and the Python it was made from (see _rule_set); ``lang`` its language.

    Pickled in two pieces: the structure rules with the word lists and regexes, and the
    other rules as one pickle inside it, unpickled when ``rules`` is first asked for. The
    check of a composed letter needs only the first piece (0.3 ms to load, against 10 ms
    for all ~360 rules of a language and their ~2,600 patterns): a cold ``generate``, an
    API script's first ``compose`` or a merge's first letter loads no tone rule when the
    clean cache (clean_cache.py) vouches for the letter's paragraphs."""

    __slots__ = ("_packed", "_rules", "_structure", "cues", "key", "lang", "regexes", "words")

    def __init__(
        self,
        rules: tuple[Rule, ...],
        words: dict[str, Any],
        cues: LazyPattern,
        regexes: dict[str, LazyPattern],
        key: str = "",
        lang: str = "",
    ) -> None:
        self.words = words
        self.cues = cues
        # regexes the structure checks build from the word lists (see language_regex)
        self.regexes = regexes
        self.key = key
        self.lang = lang
        self._rules: tuple[Rule, ...] | None = tuple(rules)
        self._structure: list[tuple[int, Rule]] = []  # while the others are packed: (place, rule)
        self._packed = b""

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in file order (the packed ones unpickled on first use)."""
        if self._rules is None:
            self._rules = self._unpacked()
        return self._rules

    def structure_rules(self) -> tuple[Rule, ...]:
        """The rules of kind ``structure``, in file order, without unpacking the others."""
        if self._rules is None:
            return tuple(rule for _, rule in self._structure)
        return tuple(rule for rule in self._rules if rule.kind == "structure")

    def loaded_rules(self) -> tuple[Rule, ...]:
        """The rules in memory: all once unpacked, else the structure rules (the others are
        as the cache file holds them, no pattern of theirs compiled in this process)."""
        return self._rules if self._rules is not None else self.structure_rules()

    def _unpacked(self) -> tuple[Rule, ...]:
        """The packed rules with the structure rules put back in their places; read again
        from the rule files if the packed piece cannot be read (the structure rules,
        handed out already, keep their objects)."""
        try:
            others = pickle.loads(self._packed)  # from our own cache file (load_cache checked it)
            if not isinstance(others, tuple) or not all(isinstance(rule, Rule) for rule in others):
                raise TypeError("not a tuple of rules")
        except Exception:
            fresh = _read_rule_set(self.lang)
            _analyse(fresh)
            others = tuple(rule for rule in fresh.rules if rule.kind != "structure")
        rules = list(others)
        for place, rule in self._structure:  # in order of place: each lands where it was
            rules.insert(place, rule)
        self._structure, self._packed = [], b""
        return tuple(rules)

    def __getstate__(self) -> tuple[Any, ...]:
        if self._rules is None:  # never unpacked: the packed piece is as it was
            structure, packed = self._structure, self._packed
        else:
            structure = [(place, rule) for place, rule in enumerate(self._rules) if rule.kind == "structure"]
            others = tuple(rule for rule in self._rules if rule.kind != "structure")
            packed = pickle.dumps(others, protocol=pickle.HIGHEST_PROTOCOL)
        return (self.words, self.cues, self.regexes, self.key, self.lang, structure, packed)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.words, self.cues, self.regexes, self.key, self.lang, self._structure, self._packed = state
        self._rules = None


@cache
def load_rules(lang: str) -> tuple[Rule, ...]:
    """Every rule of one language, in file order."""
    return _rule_set(lang).rules


@cache
def structure_rules(lang: str) -> tuple[Rule, ...]:
    """The structure checks of one language, in file order (the tone rules not loaded)."""
    return _rule_set(lang).structure_rules()


@cache
def language_data(lang: str) -> dict[str, Any]:
    """Word lists the kinds share: pronouns, negative cues, clause breaks, acronyms."""
    return _rule_set(lang).words


def negative_cues(lang: str) -> re.Pattern[str]:
    """Any one of the language's negative cue words, as a whole word."""
    return _rule_set(lang).cues.compiled


def language_regex(lang: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A regex made from the language's word lists (dates, salutations, closings), compiled
    like a rule pattern from translated code kept in the rules cache: re.compile of the
    five the structure checks use cost every run ~3 ms."""
    return _language_pattern(_rule_set(lang), lang, pattern, flags).compiled


def _language_pattern(rule_set: RuleSet, lang: str, pattern: str, flags: int) -> LazyPattern:
    """The rule set's pattern of a regex made from the word lists, added when new."""
    key = f"{int(flags)}:{pattern}"
    found = rule_set.regexes.get(key)
    if found is None:
        found = rule_set.regexes[key] = LazyPattern(_in_language(lang, pattern), flags, f"{lang}/_language.yaml")
    return found


@lru_cache(maxsize=64)
def words_regex(lang: str, key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Any one of the words of the language's list ``key`` (``_language.yaml``), as a whole
    word (a space in an entry matches any white space)."""
    alternatives = "|".join(str(w).replace(" ", r"\s+") for w in language_data(lang).get(key, []))
    return language_regex(lang, f"(?<![\\w-])(?:{alternatives})(?![\\w-])", flags)


# Patterns translated in this process whose code is not in the cache file yet (by their key).
_NEW_CODE: set[CodeKey] = set()


@cache
def _rule_set(lang: str) -> RuleSet:
    """Reading and checking ~100 rule files costs a cold start ~0.1 s, and compiling the
    patterns a draft needs up to ~0.2 s more, so the rules, the word lists and the
    translated code of the patterns are kept in the user's cache folder, keyed by the
    files' names, sizes and modification times (an edited rule file is read again) and by
    the Python that translated the code.

    Translating all ~1,200 patterns of a language takes ~0.5 s, too long for the first
    run after an install; so a pattern is translated when a draft first needs it, and at
    exit the cache file is written again when this run translated new ones."""
    files = sorted((RULES_DIR / lang).glob("*.yaml"))
    stamp = "\0".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
    key = f"rule set 17\0{__version__}\0{lang}\0{stamp}\0{_ENGINE_TAG}"
    cache = cache_folder() / f"rules-{lang}-{cache_digest(key)}.pickle"
    found = load_cache(cache)
    if (
        isinstance(found, RuleSet)
        and found.key == key
        and found.lang == lang
        and all(isinstance(r, Rule) for r in found.structure_rules())
    ):
        atexit.register(_save_new_code, found, cache)
        return found
    rule_set = _read_rule_set(lang)
    rule_set.key = key
    _analyse(rule_set)
    if not save_cache(rule_set, cache):
        return rule_set  # a read-only home: read the files again next time
    atexit.register(_save_new_code, rule_set, cache)
    remove_older(cache, rf"rules(?:-{re.escape(lang)})?-{{hex}}\.pickle")
    return rule_set


def rule_set_key(lang: str) -> str:
    """What a language's rules were made from: their files and the Python (see _rule_set)."""
    return _rule_set(lang).key


def cache_digest(key: str) -> str:
    """20 hex digits for a cache file's name: this install's tag (``_INSTALL``), then a
    digest of ``key``. Not a secure hash (zlib is loaded anyway, hashlib would cost a
    start-up ~3 ms): the file holds its full key, which is compared on loading, so two
    keys with one name only make the second one rebuild its cache."""
    data = key.encode()
    return f"{_INSTALL}{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def save_cache(value: object, cache: Path) -> bool:
    """Pickle ``value`` into a cache file atomically; False when that is not possible
    (a read-only home: the work is done again next time). The folder is made private
    (0700) and the file is written under an unpredictable name (``mkstemp``, 0600) before
    it takes its place, so no one else can plant or redirect what ``load_cache`` reads."""
    import tempfile

    try:
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{cache.stem}.", suffix=".tmp", dir=cache.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def load_cache(cache: Path) -> object | None:
    """What ``save_cache`` wrote to ``cache``, or None: no file, a damaged one, or one this
    user did not write. A cache file holds pickled objects and compiled code, which run
    when loaded, so on POSIX only a regular file owned by this user that no one else may
    write is read (opened without following a symbolic link)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(cache, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if hasattr(os, "getuid"):
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
        try:
            found: object = pickle.load(handle)  # our own file (checked above) in the user's cache folder
            return found
        except Exception:  # damaged, or made by another version: worked out again
            return None


def _save_new_code(rule_set: RuleSet, cache: Path) -> None:
    """At exit: keep the code of the patterns this run translated (if any are this set's;
    the rules still packed have none)."""
    if _NEW_CODE and any(
        p.code is not None and p.key in _NEW_CODE for p in _set_patterns(rule_set, loaded_only=True)
    ):
        save_cache(rule_set, cache)


def code_mark() -> frozenset[CodeKey]:
    """The patterns this process has translated so far, taken before a fork: the copy sends
    back only what it translates after (``translated_code``), not all a long-running process
    ever translated (after a full German run ~1,500 patterns, 3.5 MB, every long draft)."""
    return frozenset(_NEW_CODE)


def translated_code(lang: str, since: frozenset[CodeKey] = frozenset()) -> dict[CodeKey, CodeTuple]:
    """The code of the patterns of ``lang`` that this process translated, and the cache file
    lacks, since ``since`` (``code_mark``): what a forked copy sends back with its findings
    (``adopt_code``), so that the patterns it needed are not translated again by every run."""
    added = _NEW_CODE - since
    if not added:
        return {}
    return {
        p.key: tuple(p.code)  # type: ignore[misc]
        for p in _set_patterns(_rule_set(lang))
        if p.code is not None and p.key in added
    }


def adopt_code(lang: str, codes: dict[CodeKey, CodeTuple]) -> None:
    """Take the code a forked copy translated (``translated_code``) into this process's
    patterns, to be kept in the cache file at exit."""
    if not codes:
        return
    rule_set = _rule_set(lang)
    known: set[CodeKey] = set()
    for pattern in _set_patterns(rule_set):
        known.add(pattern.key)
        if pattern.code is None and (code := codes.get(pattern.key)) is not None:
            pattern.code = code
            _NEW_CODE.add(pattern.key)
    # the rest are regexes of the word lists (``language_regex``) only the copy needed
    for flags, text in codes.keys() - known:
        pattern = _language_pattern(rule_set, lang, text, flags)
        pattern.code = codes[flags, text]
        _NEW_CODE.add(pattern.key)


def _set_patterns(rule_set: RuleSet, loaded_only: bool = False) -> Iterator[LazyPattern]:
    yield rule_set.cues
    yield from rule_set.regexes.values()
    for rule in rule_set.loaded_rules() if loaded_only else rule_set.rules:
        yield from (*rule.patterns, *rule.unless, *([rule.regex] if rule.regex else []))


def cache_folder() -> Path:
    """Where the lint keeps what it has worked out once: the user's cache folder."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "letterkit"


def remove_older(kept: Path, names: str) -> None:
    """Remove the cache files other than ``kept`` whose names match ``names`` (a regex in
    which ``{hex}`` stands for a digest): this install's files of its kind, which a rule or
    version change has left unread, and those of the kind's former names. Another install's
    files are its own (its rules may differ) and are removed only when unused for
    ``STALE_AFTER_DAYS`` (reading a file marks it used where the system keeps access times;
    elsewhere it is made again after that time). Only files named exactly so are touched;
    errors (a file another run removed first, a read-only folder) are ignored."""
    ours = re.compile(names.replace("{hex}", "[0-9a-f]{20}"))
    oldest = time.time() - STALE_AFTER_DAYS * 86400
    try:
        with os.scandir(kept.parent) as entries:
            stale = [
                e.path
                for e in entries
                if e.name != kept.name
                and ours.fullmatch(e.name)
                and e.is_file(follow_symlinks=False)
                and (_of_this_install(e.name) or _unused_since(e, oldest))
            ]
        for path in stale:
            os.remove(path)
    except OSError:
        pass


def _of_this_install(name: str) -> bool:
    digests = _DIGEST.findall(name)
    return not digests or digests[-1].startswith(_INSTALL)


def _unused_since(entry: os.DirEntry[str], oldest: float) -> bool:
    info = entry.stat(follow_symlinks=False)
    return max(info.st_atime, info.st_mtime) < oldest


def _analyse(rule_set: RuleSet) -> None:
    """Give every raw regex the characters its matches start with and every ``unless``
    pattern the pieces its matches contain, to be cached with the rules."""
    from .prefilter import contained_pieces, first_characters

    for rule in rule_set.rules:
        if rule.regex is not None:
            rule.regex.starts = first_characters(rule.regex)
        for pattern in rule.unless:
            pattern.needs = contained_pieces(pattern)


def _read_rule_set(lang: str) -> RuleSet:
    """Read and check every rule file of a language and its word lists."""
    words = _load_yaml(RULES_DIR / lang / "_language.yaml")
    if not isinstance(words, dict):
        raise TemplateError(f"{lang}/_language.yaml: expected a mapping")
    alternatives = _in_language(lang, "|".join(words.get("negative_cues", [])))
    cues = LazyPattern(
        f"(?<!\\S)(?:{alternatives})(?!\\S)", re.IGNORECASE, f"{lang}/_language.yaml: negative_cues"
    )
    return RuleSet(_read_rules(lang), words, cues, {}, lang=lang)


def _read_rules(lang: str) -> tuple[Rule, ...]:
    """Read and check every rule file of a language."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for path in sorted((RULES_DIR / lang).glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        family = _load_yaml(path)
        source = f"{path.parent.name}/{path.name}"
        if not isinstance(family, dict) or "category" not in family or "rules" not in family:
            raise TemplateError(f"{source}: expected keys 'category' and 'rules'")
        for raw in family["rules"]:
            rule = _compile_rule(raw, family, lang, source)
            if rule.id in seen:
                raise _fail(source, rule.id, "id is used twice")
            seen.add(rule.id)
            rules.append(rule)
    return tuple(rules)
