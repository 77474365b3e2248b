"""The commented starter input written by ``letterkit new``."""

from __future__ import annotations

import re

from .resources import template_path


def starter(locale: str) -> str:
    """The starter file for ``locale``, from templates/<lang>/starter.yaml."""
    text = template_path(locale[:2], "starter.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^locale: \S+", f"locale: {locale}", text, count=1, flags=re.MULTILINE)
    return text
