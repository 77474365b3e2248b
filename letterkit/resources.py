"""Where the parts library and the Word templates are found.

In a wheel they are installed inside the package (``letterkit/templates``); in a
source checkout or an editable install they sit at the top level
(``templates/``), where people edit them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def templates_dir() -> Path:
    """The folder that holds ``de/`` and ``en/``."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    checkout = package.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"letterkit's templates are missing (looked in {installed} and {checkout})")


def template_path(lang: str, name: str) -> Path:
    """A file of one language's template folder, e.g. ``template_path("de", "letter.docx")``."""
    return templates_dir() / lang / name
