"""The commented starter input written by ``letterkit new``.

One starter file per language (``templates/<lang>/starter.yaml``, with the first
country's addresses); ``starter_countries.yaml`` beside it gives the other countries'
values, which are put in where the file has them, so that its comments and layout stay
as written. A de-CH starter is written in Swiss orthography (ss, «…»).

The file's dates are written for the day in its ``date:`` line; a starter is dated for
the day it is written (``current_day``): the days of the year before that line's move with
it, so a call or a meeting is as many days ago (a contract's date, older, stays), and the days after move by whole months, so the
end date stays the last day of a month and every deadline keeps its place — a starter
written next year still generates a letter whose dates lie ahead, without a warning.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date, timedelta
from typing import Any

from .model import current_day
from .resources import template_path


def starter(locale: str) -> str:
    """The starter file for ``locale``, from templates/<lang>/starter.yaml."""
    lang = locale[:2]
    text = template_path(lang, "starter.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^locale: \S+", f"locale: {locale}", text, count=1, flags=re.MULTILINE)
    values = _countries(lang).get(locale) or {}
    if values:
        text = with_values(text, values)
    return _in_orthography(_dated(text, current_day()), locale)


_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RECENT = timedelta(days=366)
_DATE_LINE = re.compile(r"^date: (\d{4}-\d{2}-\d{2})\b", re.MULTILINE)


def _dated(text: str, today: date) -> str:
    """The starter with its dates moved from the day of its ``date:`` line to ``today``
    (the days before it by as many days, the days after it by whole months)."""
    line = _DATE_LINE.search(text)
    if line is None:
        return text
    written = date.fromisoformat(line.group(1))
    days = today - written
    months = (today.year - written.year) * 12 + today.month - written.month

    def moved(match: re.Match[str]) -> str:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day < written - _RECENT:  # the contract's date: long ago whenever the file is written
            return match.group(0)
        if day <= written:
            return (day + days).isoformat()
        return _months_later(day, months).isoformat()

    return _DATE.sub(moved, text)


def _months_later(day: date, months: int) -> date:
    """``day`` ``months`` months on; the last day of a month stays the last day of one."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if at_end else min(day.day, last))


def with_values(text: str, values: dict[str, Any]) -> str:
    """``text`` (YAML) with the value of each dotted key in ``values`` replaced where it is
    written, in a block or in a {...} mapping (a quoted value stays quoted, a comment after
    it stays in its column); a key it lacks is added on a line of its own after the key
    before it in ``values`` (or after the block's last key). Comments and layout stay."""
    import yaml

    spans: list[tuple[int, int, str]] = []
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    previous: dict[str, str] = {}  # block path -> the key given before in ``values``
    for path, value in values.items():
        *parents, key = path.split(".")
        block_path = ".".join(parents)
        after, previous[block_path] = previous.get(block_path), key
        block = _node(root, parents)
        if block is None:
            continue
        found = _node(block, [key])
        if found is not None:
            new = _scalar(value, quoted=found.style in ('"', "'"))
            start, end = found.start_mark.index, found.end_mark.index
            spaces = len(text[end:]) - len(text[end:].lstrip(" "))
            if spaces and text[end + spaces : end + spaces + 1] == "#":  # keep the comment's column
                end += spaces
                new += " " * max(1, found.end_mark.index + spaces - start - len(new))
            spans.append((start, end, new))
            continue
        # a new key: on a line of its own, after the line of the key before it
        indent = " " * block.value[0][0].start_mark.column
        anchor = _node(block, [after]) if after else None
        end = (anchor if anchor is not None else block.value[-1][1]).end_mark.index
        line_end = text.find("\n", end)
        at = len(text) if line_end < 0 else line_end
        spans.append((at, at, f"\n{indent}{key}: {_scalar(value)}"))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _node(node: Any, keys: list[str]) -> Any:
    """The value node at ``keys`` below a mapping node, or None."""
    import yaml

    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == key), None)
        if node is None:
            return None
    return node


def _scalar(value: Any, quoted: bool = False) -> str:
    """``value`` as a YAML scalar that reads back as itself in a block or a {...} mapping:
    plain where it can be, else (or when ``quoted``) in double quotes."""
    import yaml

    text = str(value)
    plain = (
        not quoted
        and not any(c in text for c in ",{}[]#:\"'")
        and text == text.strip()
        and yaml.safe_load(text) == value
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _countries(lang: str) -> dict[str, dict[str, Any]]:
    from .parts import load

    return load(lang, "starter_countries")


def _in_orthography(text: str, locale: str) -> str:
    """Swiss German has no ß and quotes with «…»."""
    from .locales import conventions

    if conventions(locale).sharp_s:
        return text
    from .parts import load

    opening, closing = load(locale[:2], "locale")["quotes"][locale]
    return text.replace("ß", "ss").replace("„", opening).replace("“", closing)
