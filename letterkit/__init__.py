"""letterkit: polite, blame-free termination letters and emails in German and English.

The public API is re-exported here. Heavy libraries (python-docx, babel, Jinja,
PyYAML) load only inside the functions that need them, so ``import letterkit`` and
``letterkit --help`` stay fast::

    import letterkit
    letter = letterkit.compose("client.yaml")       # dict | path | Termination -> Letter
    blob = letterkit.render(letter, "docx")         # also "pdf", "txt", "md", "html"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.message import EmailMessage

__version__ = "0.1.0"

# Function and module share names (compose, render): import the functions eagerly
# so ``letterkit.compose`` is always the function, never the submodule.
from .compose import compose
from .errors import InputError, LetterkitError
from .letter import Block, Letter
from .lint import Finding, lint
from .merge import MergeReport, merge
from .render import render
from .schema import json_schema

if TYPE_CHECKING:
    from .model import Termination, validate


def __getattr__(name: str) -> object:
    """The input model loads on first use (``letterkit.validate``, ``letterkit.Termination``)."""
    if name in ("Termination", "validate"):
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'letterkit' has no attribute {name!r}")


def to_email(letter: Letter, **options: object) -> EmailMessage:
    """The letter as an ``email.message.EmailMessage`` (see ``letterkit.render.email.to_email``)."""
    from .render.email import to_email as build

    return build(letter, **options)  # type: ignore[arg-type]


__all__ = [
    "Block",
    "Finding",
    "InputError",
    "Letter",
    "LetterkitError",
    "MergeReport",
    "Termination",
    "__version__",
    "compose",
    "json_schema",
    "lint",
    "merge",
    "render",
    "to_email",
    "validate",
]
