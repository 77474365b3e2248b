"""The parts library: the letter's text, loaded from ``templates/<lang>/*.yaml``.

Every sentence of a letter lives in those YAML files as a small Jinja template.
This module loads them once, compiles them in a sandboxed, strict environment and
renders one part at a time with already-formatted values. Input data is passed as
values only, so ``{{`` typed by a user is printed, never evaluated.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from .errors import TemplateError
from .resources import template_path

LANGS = ("de", "en")
_SPACES = re.compile(r"[ \t\r\n]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +([.,;:!?)])")


@cache
def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@cache
def load(lang: str, name: str) -> dict[str, Any]:
    """One YAML file of a language's parts library (``parts`` or ``locale``)."""
    import yaml

    path = template_path(lang, f"{name}.yaml")
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster start-up
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot load the parts library ({exc})") from None
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: expected a mapping at the top")
    return data


@lru_cache(maxsize=4096)
def _compile(source: str) -> Any:
    from jinja2 import TemplateSyntaxError

    try:
        return _environment().from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"parts library: template error '{exc.message}' in: {source[:80]}") from None


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
    """Render one template string and tidy its whitespace into running text."""
    from jinja2 import UndefinedError

    if not sharp_s:
        source = source.replace("ß", "ss")
    try:
        text = _compile(source).render(context)
    except UndefinedError as exc:
        raise TemplateError(f"parts library: {exc.message} in: {source[:80]}") from None
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


def reason_codes() -> tuple[str, ...]:
    """Every reason code the parts library defines (the same in every language)."""
    return tuple(load("de", "parts")["reasons"])


def catalogue(lang: str, section: str) -> dict[str, dict[str, Any]]:
    """A catalogue (``reasons`` or ``steps``) of one language: code → entry."""
    entries = load(lang, "parts")[section]
    return {code: entry for code, entry in entries.items() if isinstance(entry, dict)}
