"""Alternatives of a parsed regex that begin with the same letter, tried as one: a trie.

Python's regex engine tries the alternatives of ``A|B|C`` one after the other. The
capitals rule lists ~3,800 words (``SHOULDN['’]T|WOULDN['’]T|...|NO``), so each capitalised
word was tried against every one of them. Here ``ABLE|ABOUT|AND`` becomes
``A(?:B(?:LE|OUT)|ND)``: the same matches, each letter looked at once.

Why it is the same: alternatives are tried in order and the first that leads to a match
wins. Two alternatives that begin with different literal characters can never both get
past their first character, so their order does not matter; alternatives with the same
first character keep their order among themselves. An alternative that does not begin
with a literal (a character set, a group, nothing) is a fence: none is moved across it.
Under IGNORECASE two different literals may match one character ('k' and 'K'), so
branches there are left as they are.
"""

from __future__ import annotations

import importlib
import re
from typing import Any


def _stdlib(name: str, old: str) -> Any:
    """re._constants / re._parser (3.11+) or sre_constants / sre_parse (3.10)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return importlib.import_module(old)


sre = _stdlib("re._constants", "sre_constants")
sre_parse = _stdlib("re._parser", "sre_parse")
_REPEATS = tuple(
    op for op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)) if op is not None
)
_ATOMIC = getattr(sre, "ATOMIC_GROUP", None)


def factor_branches(parsed: Any, flags: int) -> Any:
    """The parsed regex (``sre_parse.parse(pattern, flags)``) with its branches factored, in
    place; compile it as before (``_compiler._code(parsed, flags)``)."""
    ignore_case = bool((flags | parsed.state.flags) & re.IGNORECASE)
    parsed.data = _factored(list(parsed.data), parsed.state, ignore_case)
    return parsed


def _factored(ops: list[Any], state: Any, ignore_case: bool) -> list[Any]:
    """The items of one sequence, with every branch inside them factored."""
    out: list[Any] = []
    for op, arg in ops:
        if op is sre.BRANCH:
            alternatives = [_factored(list(a), state, ignore_case) for a in arg[1]]
            if ignore_case:
                out.append((op, (arg[0], [sre_parse.SubPattern(state, a) for a in alternatives])))
            else:
                out += _trie(alternatives, state)
        elif op is sre.SUBPATTERN:
            group, add, remove, inner = arg
            case = bool((ignore_case or (add or 0) & re.IGNORECASE) and not (remove or 0) & re.IGNORECASE)
            out.append((op, (group, add, remove, _sub(inner, state, case))))
        elif op in _REPEATS:
            low, high, inner = arg
            out.append((op, (low, high, _sub(inner, state, ignore_case))))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, inner = arg
            out.append((op, (direction, _sub(inner, state, ignore_case))))
        elif _ATOMIC is not None and op is _ATOMIC:
            out.append((op, _sub(arg, state, ignore_case)))
        else:
            out.append((op, arg))
    return out


def _sub(inner: Any, state: Any, ignore_case: bool) -> Any:
    return sre_parse.SubPattern(state, _factored(list(inner), state, ignore_case))


def _trie(alternatives: list[list[Any]], state: Any) -> list[Any]:
    """Items equal to the branch ``alternatives[0]|alternatives[1]|...``."""
    groups: list[tuple[Any, list[list[Any]]]] = []  # (first literal or None, the rests)
    open_groups: dict[int, int] = {}  # first character -> its group, until a fence
    for alternative in alternatives:
        if alternative and alternative[0][0] is sre.LITERAL:
            at = open_groups.get(alternative[0][1])
            if at is not None:
                groups[at][1].append(alternative[1:])
                continue
            open_groups[alternative[0][1]] = len(groups)
            groups.append((alternative[0], [alternative[1:]]))
        else:
            open_groups.clear()
            groups.append((None, [alternative]))
    if len(groups) < len(alternatives):
        alternatives = [
            rests[0] if first is None else [first, *(_trie(rests, state) if len(rests) > 1 else rests[0])]
            for first, rests in groups
        ]
    if len(alternatives) == 1:
        return alternatives[0]
    return [(sre.BRANCH, (None, [sre_parse.SubPattern(state, a) for a in alternatives]))]
