"""letterkit: polite, blame-free termination letters and emails in German and English.

The public API is re-exported here. Heavy libraries (python-docx, babel, Jinja,
PyYAML) load only inside the functions that need them, and the API's own modules
load on first use, so ``import letterkit``, ``letterkit --help`` and ``letterkit lint``
stay fast::

    import letterkit
    letter = letterkit.compose("client.yaml")       # dict | path | Termination -> Letter
    blob = letterkit.render(letter, "docx")         # also "pdf", "txt", "md", "html"
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

__version__ = "0.1.0"

from .errors import InputError, LetterkitError, UsageError
from .lint import Finding, lint

if TYPE_CHECKING:
    from .compose import compose
    from .letter import Block, Letter
    from .lint import LanguageError
    from .lint.config import SettingError
    from .merge import MergeReport, merge
    from .merge.send_lock import SendLockedError
    from .merge.smtp import SendError
    from .model import Termination, validate
    from .render import render
    from .render.email import to_email
    from .schema import json_schema

# Where each lazily loaded name lives.
_LAZY = {
    "compose": "compose",
    "Block": "letter",
    "Letter": "letter",
    "MergeReport": "merge",
    "merge": "merge",
    "render": "render",
    "to_email": "render.email",
    "json_schema": "schema",
    "Termination": "model",
    "validate": "model",
    # errors raised by one part of letterkit (also in letterkit.errors)
    "SettingError": "lint.config",
    "LanguageError": "lint",
    "SendError": "merge.smtp",
    "SendLockedError": "merge.send_lock",
}


def __getattr__(name: str) -> object:
    """The API's names load on first use (``letterkit.compose``, ``letterkit.Letter``, ...)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'letterkit' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The names loaded so far and those that load on first use, so ``dir(letterkit)`` and
    ``help(letterkit)`` show compose, render, merge, ... before they are first used."""
    return sorted({*globals(), *_LAZY})


class _Package(ModuleType):
    """The package module. A function and a submodule share the names compose, render and
    merge; importing the submodule would make the package attribute the module, so the
    name stays the function's (``letterkit.compose`` is always the function)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "Block",
    "Finding",
    "InputError",
    "LanguageError",
    "Letter",
    "LetterkitError",
    "MergeReport",
    "SendError",
    "SendLockedError",
    "SettingError",
    "Termination",
    "UsageError",
    "__version__",
    "compose",
    "json_schema",
    "lint",
    "merge",
    "render",
    "to_email",
    "validate",
]
