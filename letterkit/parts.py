"""The parts library: the letter's text, loaded from ``templates/<lang>/*.yaml``.

Every sentence of a letter lives in those YAML files as a small Jinja template.
This module loads them once, compiles them in a sandboxed, strict environment and
renders one part at a time with already-formatted values. Input data is passed as
values only, so ``{{`` typed by a user is printed, never evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from .errors import TemplateError
from .resources import template_path

LANGS = ("de", "en")
_SPACES = re.compile(r"[ \t\r\n]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +([.,;:!?)])")
# A value that ends in a full stop ("Nord Inkasso e.K.", "etc.") before the part's own:
# one full stop, not two (an ellipsis "..." stays)
_DOUBLE_STOP = re.compile(r"(?<=\w\.)\.(?!\.)")
# The tidying above is for the parts' own text (a space left before a full stop by an
# empty value). A printed value is data and keeps every character: a name "?ahin" (an
# "Ş" lost in a cp1252 export) after "Frau " keeps its space, a firm "Hallo !Werbung"
# its space, "Muster..Bau" its two stops. Where the tidying could reach into a value,
# a guard character is put there as the value is printed and taken out after tidying.
_GUARD = "\ue004"
_REACHABLE = re.compile(r"^(?=[.,;:!?)])|(?<= )(?=[.,;:!?)])|(?<=\w\.)(?=\.)")


@cache
def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, finalize=_guarded
    )
    # a phrase made by another part at the start of a sentence: "den …" → "Den …"
    # (Jinja's capitalize would lower the rest: "Ihrer Vorauszahlung" → "ihrer vorauszahlung")
    environment.filters["upper_first"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    return environment


def _guarded(value: Any) -> Any:
    """A printed value, guarded where the tidying of the parts' text could change it."""
    if type(value) is str and _REACHABLE.search(value):
        return _REACHABLE.sub(_GUARD, value)
    return value


@cache
def load(lang: str, name: str) -> dict[str, Any]:
    """One YAML file of a language's parts library (``parts`` or ``locale``). What a file
    of this text read as is kept in the user's cache folder (``_kept_yaml``): a later
    process takes it from there instead of reading the YAML again (~3 ms a language)."""
    path = template_path(lang, f"{name}.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"{path}: cannot load the parts library ({exc})") from None
    cache, key = _yaml_cache(path, text)
    data = _kept_yaml(cache, key)
    if data is None:
        import yaml

        try:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster start-up
            data = yaml.load(text, Loader=loader)
        except yaml.YAMLError as exc:
            raise TemplateError(f"{path}: cannot load the parts library ({exc})") from None
        if not isinstance(data, dict):
            raise TemplateError(f"{path}: expected a mapping at the top")
        from .lint.rules import remove_older, save_cache

        if save_cache((key, data), cache):  # the files of the earlier texts of this one go
            remove_older(cache, rf"{re.escape(cache.name[: -len('.pickle') - 20])}{{hex}}\.pickle")
    return data


def _yaml_cache(path: Path, text: str) -> tuple[Path, str]:
    """The cache file of a YAML file of the parts library, and the key it must hold: the
    file's path and text (two checksums and its length: an edit of the file, however
    quick, is another key), letterkit's version and the Python's."""
    import sys
    import zlib

    from . import __version__
    from .lint.rules import cache_digest, cache_folder

    data = text.encode("utf-8", "surrogatepass")
    checksums = f"{len(data)} {zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    key = "\0".join(("parts yaml 1", __version__, sys.version, str(path), checksums))
    return cache_folder() / f"yaml-{path.parent.name}-{path.stem}-{cache_digest(key)}.pickle", key


def _kept_yaml(cache: Path, key: str) -> dict[str, Any] | None:
    """What the cache file holds for ``key``: the mapping, or None (no file, another key,
    a file not this user's own: ``load_cache``)."""
    from .lint.rules import load_cache

    found = load_cache(cache)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key and isinstance(found[1], dict):
        return found[1]
    return None


@lru_cache(maxsize=4096)
def _compile(source: str) -> Any:
    """The template, as ``from_string`` makes it; its compiled code kept between runs
    (``letterkit.part_cache``)."""
    from jinja2 import TemplateSyntaxError

    from . import part_cache

    environment = _environment()
    code = part_cache.code(source)
    if code is None:
        try:
            code = environment.compile(source)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"parts library: template error '{exc.message}' in: {source[:80]}") from None
        part_cache.keep_code(source, code)
    return environment.template_class.from_code(environment, code, environment.make_globals(None), None)


def pick(node: Any, *keys: str) -> Any:
    """Descend through ``keys`` that are present; a level that is missing applies to all.

    ``pick(closing, "de-CH", "letter", "sie")`` finds ``closing["de-CH"]["letter"]["sie"]``
    and ``pick(closing, "de-DE", "letter", "sie")`` finds ``closing["letter"]["sie"]``.
    """
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
    return node


def variant(entry: Any, register: str) -> str | None:
    """The text of a part entry for a register: ``text`` or ``sie``/``du``."""
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, dict):
        return None
    text = entry.get("text", entry.get(register, entry.get("sie")))
    return text if isinstance(text, str) else None


def render_text(source: str, context: dict[str, Any], *, sharp_s: bool = True) -> str:
    """Render one template string and tidy its whitespace into running text.

    The result is remembered per template and per value of the names it reads: in a
    mail merge most parts read only what every letter shares (the end date, the
    sender), so they are rendered once. A part that reads what differs in every row
    (the contract's reference, the amount) seldom repeats: once its memo has served
    fewer than a quarter of ``_TRIAL`` lookups, it is rendered directly for a while
    (working out its key costs more than the render saves; what its memo holds is
    dropped), then given another trial.
    """
    global _REMEMBERED
    if not sharp_s:
        source = source.replace("ß", "ss")
    tally = _TALLY.get(source)
    if tally is None:
        if len(_TALLY) >= _RENDERED_LIMIT:
            _TALLY.clear()
        tally = _TALLY[source] = [0, 0, 0]
    lookups, hits, skipped = tally
    if lookups >= _TRIAL and hits * 4 < lookups:
        if skipped == 0:  # the trial failed: what it remembered does not pay, and goes
            _forget(source)
        tally[2] = skipped + 1
        if skipped + 1 >= _SKIPS:
            tally[:] = [0, 0, 0]
        return _skeleton_render(source, context)
    key = _memo_key(source, context)
    memo = _RENDERED.get(source)
    text = memo.get(key) if key is not None and memo is not None else None
    tally[0] = lookups + 1
    if text is not None:
        tally[1] = hits + 1
        return text
    # filled from the part's skeleton, its first trial too: a part that reads what differs
    # in every row was rendered by Jinja for each of the trial's 64 rows before (~600
    # renders in a merge's first 500 letters); the skeleton is learned at the first row of
    # its structure, and the memo still serves the parts that repeat. Callgrind, the first
    # merge of 500 rows in a process: 3.82 M instructions a letter against 3.99 M.
    text = _skeleton_render(source, context)
    if key is not None:
        if _REMEMBERED >= _RENDERED_LIMIT:
            _RENDERED.clear()
            _REMEMBERED = 0
        if memo is None:
            memo = _RENDERED[source] = {}
        memo[key] = text
        _REMEMBERED += 1
    return text


def _forget(source: str) -> None:
    """Drop the memo of one template (its trial found that it seldom repeats)."""
    global _REMEMBERED
    memo = _RENDERED.pop(source, None)
    if memo:
        _REMEMBERED -= len(memo)


def remembered() -> int:
    """How many renderings the memo holds (all templates)."""
    return _REMEMBERED


def clear_memo() -> None:
    """Forget every remembered rendering."""
    global _REMEMBERED
    _RENDERED.clear()
    _REMEMBERED = 0


# template -> {values of the names it reads: text}; per template, so that the entries of a
# template whose trial fails (it seldom repeats) are dropped at once, not left to fill the memo
_RENDERED: dict[str, dict[tuple[Any, ...], str]] = {}
_REMEMBERED = 0  # entries in all of _RENDERED
_RENDERED_LIMIT = 2048
_TALLY: dict[str, list[int]] = {}  # template -> [memo lookups, hits, renders since it paused]
_TRIAL = 64
_SKIPS = 1024


# --- skeletons: a part rendered once per structure, the row's strings put in ----------------
#
# A part that prints what differs in every row of a merge (the contract's reference, an
# amount, a name) never repeats, so its memo does not pay; but its *structure* does: the
# same branches, with other strings printed. ``letterkit.skeleton`` reads from the
# template which strings are only printed as they are; the part is rendered once per
# structure with tokens in their place, cut at the tokens, and filled for every later row
# of that structure. The first row of each structure is rendered both ways and the
# skeleton is kept only when it gives the same text. A string the tidying of spaces could
# treat differently from a token (spaces at its ends or in runs, a line break, a leading
# punctuation mark or one after a space, a full stop at its end, a token character) takes
# the normal path.

_UNTIDY = re.compile(r"^[\s.,;:!?)]|\s$|\.$|[\t\r\n]|  | [.,;:!?)]|[\ue002\ue003]")
# The same test on all of a part's strings at once, each between two separators (U+001F,
# which no string may hold: ``_untidy_any`` counts them): ^ and $ of one string become the
# separators around it; the other alternatives cannot match across one.
_SEPARATOR = "\x1f"
_UNTIDY_ANY = re.compile(r"\x1f[\s.,;:!?)]|\s\x1f|\.\x1f|[\t\r\n]|  | [.,;:!?)]|[\ue002\ue003]")


def _untidy(value: str) -> bool:
    return _UNTIDY.search(value) is not None


def _untidy_any(values: list[str]) -> bool:
    """Whether ``_untidy`` is true for one of ``values`` (none empty), in one search."""
    joined = _SEPARATOR + _SEPARATOR.join(values) + _SEPARATOR
    if joined.count(_SEPARATOR) != len(values) + 1:
        return any(map(_untidy, values))
    return _UNTIDY_ANY.search(joined) is not None


_SKELETONS: dict[str, Any] = {}  # template -> (usage, {structure key: (chunks, numbers) or None}) or None
_SKELETON_LIMIT = 256  # structures per template


@cache
def _skeleton() -> Any:
    """``letterkit.skeleton``, imported on first use (it imports Jinja's nodes): a merge
    fills a dozen parts a row, and an import statement in each call cost ~2 µs."""
    from . import skeleton

    return skeleton


def _skeleton_render(source: str, context: dict[str, Any]) -> str:
    """``_render(source, context)``, from the template's skeleton for this structure."""
    skeleton = _skeleton()
    entry = _SKELETONS.get(source, False)
    if entry is False:
        entry = _SKELETONS[source] = _analysed(source)
    if entry is None:
        return _render(source, context)
    usage, cuts = entry
    found = skeleton.split(usage, context, _untidy_any)
    if found is None:
        return _render(source, context)
    key, values = found
    cut = cuts.get(key, False)
    if cut is False:
        text = _render(source, context)
        if len(cuts) >= _SKELETON_LIMIT:
            cuts.clear()
        cuts[key] = _learned(source, usage, context, values, text)
        return text
    if cut is None:
        return _render(source, context)
    return str(skeleton.fill_text(cut, values))


def _analysed(source: str) -> tuple[Any, dict[tuple[object, ...], Any]] | None:
    from . import part_cache
    from .skeleton import analyse

    kept, usage = part_cache.usage(source)
    if not kept:
        usage = analyse(_environment().parse(source))
        part_cache.keep_usage(source, usage)
    return None if usage is None else (usage, {})


def _learned(source: str, usage: Any, context: dict[str, Any], values: list[str], expected: str) -> Any:
    """The part rendered with tokens, cut at them; None unless filling it with ``values``
    gives ``expected`` (the normal rendering of this context)."""
    from .skeleton import cut_text, fill_text, stand_in

    try:
        cut = cut_text(_render(source, stand_in(usage, context)), len(values))
    except (TemplateError, TypeError, ValueError):
        return None
    return cut if cut is not None and fill_text(cut, values) == expected else None


def _render(source: str, context: dict[str, Any]) -> str:
    from jinja2 import UndefinedError

    try:
        text = _filled(_compile(source), context)
    except UndefinedError as exc:
        raise TemplateError(f"parts library: {exc.message} in: {source[:80]}") from None
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if ".." in text:
        text = _DOUBLE_STOP.sub("", text)
    return text.replace(_GUARD, "") if _GUARD in text else text


def _filled(template: Any, context: dict[str, Any]) -> str:
    """``template.render(context)`` without its per-call overhead (~5 of its ~10 µs, which
    add up over the handful of parts a mail merge renders anew for every row): the
    environment's globals are copied once, not merged from a ChainMap each time. The code
    Jinja compiled (and the sandbox checks in it) runs as in ``render``; only the
    traceback of an error is not rewritten to point into the template."""
    from jinja2.runtime import new_context

    parent = {**_globals(), **context}
    return str(template.environment.concat(template.root_render_func(
        new_context(template.environment, template.name, template.blocks, parent, True, None)
    )))  # fmt: skip


@cache
def _globals() -> dict[str, Any]:
    """The environment's globals (what ``from_string`` templates see besides the context)."""
    return dict(_environment().globals)


@lru_cache(maxsize=4096)
def _reads(source: str) -> tuple[str, ...]:
    """The names a template reads from its context (kept between runs with its code)."""
    from jinja2 import meta

    from . import part_cache

    _compile(source)  # a syntax error is reported as the parts library's error
    names = part_cache.reads(source)
    if names is None:
        names = tuple(sorted(meta.find_undeclared_variables(_environment().parse(source))))
        part_cache.keep_reads(source, names)
    return names


def _memo_key(source: str, context: dict[str, Any]) -> tuple[Any, ...] | None:
    """(value of each name the template reads), or None when a value cannot be a key
    (or is missing: rendering then reports the missing name)."""
    key: list[Any] = []
    for name in _reads(source):
        if name not in context:
            return None
        value = _frozen(context[name])
        if value is _UNHASHABLE:
            return None
        key.append(value)
    return tuple(key)


_UNHASHABLE = object()


def _frozen(value: Any) -> Any:
    """A hashable stand-in that tells values apart by type too (1, 1.0 and True differ)."""
    kind = type(value)
    if kind in _PLAIN:
        return (kind, value)
    if isinstance(value, dict):
        plain = tuple(value.values())
        if _TEXTS.issuperset(map(type, plain)):  # only text and None: the values tell them apart
            return (dict, tuple(value), plain)
        items = tuple((k, _frozen(v)) for k, v in value.items())
        return _UNHASHABLE if any(v is _UNHASHABLE for _, v in items) else (dict, items)
    if isinstance(value, (list, tuple)):
        if _TEXTS.issuperset(map(type, value)):  # the letter's reasons: text alone tells them apart
            return (kind, tuple(value))
        frozen = tuple(_frozen(v) for v in value)
        return _UNHASHABLE if _UNHASHABLE in frozen else (kind, frozen)
    names = _dataclass_fields(kind)
    if names is not None:
        plain = _field_values(kind)(value) if len(names) > 1 else tuple(getattr(value, n) for n in names)
        if _TEXTS.issuperset(map(type, plain)):  # a Party: text and None only
            return (kind, plain)
        frozen = tuple(_frozen(getattr(value, name)) for name in names)
        return _UNHASHABLE if _UNHASHABLE in frozen else (kind, frozen)
    if isinstance(value, (float, Decimal)):
        return (kind, repr(value))  # Decimal("1.0") == Decimal("1.00"), but prints apart
    if value is None or isinstance(value, (str, int, date)):
        return (kind, value)
    return _UNHASHABLE  # anything else may change or compare loosely: render it every time


_PLAIN = frozenset({str, int, bool, type(None), date})  # exact types, compared by value
# Values of these types alone need no type beside them: equal only when they print alike
# (a stand-in made of them is a tuple of text, never equal to one of (type, value) pairs).
_TEXTS = frozenset({str, type(None)})


_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _field_values(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    """The values of a dataclass type's fields, in one call (for two or more fields)."""
    getter = _GETTERS.get(kind)
    if getter is None:
        getter = _GETTERS[kind] = attrgetter(*(_dataclass_fields(kind) or ()))
    return getter


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _dataclass_fields(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type (looked up once per type), None for other types."""
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else None
    return _FIELDS[kind]


def reason_codes() -> tuple[str, ...]:
    """Every reason code the parts library defines (the same in every language)."""
    return tuple(load("de", "parts")["reasons"])


def catalogue(lang: str, section: str) -> dict[str, dict[str, Any]]:
    """A catalogue (``reasons`` or ``steps``) of one language: code → entry."""
    entries = load(lang, "parts")[section]
    return {code: entry for code, entry in entries.items() if isinstance(entry, dict)}
