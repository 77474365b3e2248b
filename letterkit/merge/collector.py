"""The cyclic garbage collector during a merge: fewer passes, none skipped.

A merge makes and drops a few hundred small objects a letter, and keeps what it prepares
once (the template, the rules, the parts library, the caches of what rows share) for the
rest of the process. With Python's defaults the collector walks the youngest objects
every 700 new ones, the next generation every tenth time, and now and then every object
alive: a first merge of 1,000 letters in a fresh process made 77 passes of the youngest,
7 of the middle and one over all ~45,000 objects (the imported libraries, which are never
garbage): 10-25 ms of its ~400.

``collecting_less`` (around a merge) lets more new objects come before a pass of the
youngest (``YOUNGEST``), and puts the threshold back as it was when the merge ends. Each
pass still happens, only less often, so reference cycles a merge drops are still freed and
its memory stays flat (at most ``YOUNGEST`` objects more wait for a pass).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

YOUNGEST = 10_000  # new objects between two passes of the youngest (Python's default: 700)


def collecting_less(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the collector's first threshold at least ``YOUNGEST`` (one set
    to 0, no automatic passes, stays so); the thresholds are put back when it returns."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        threshold = gc.get_threshold()
        if threshold[0] and threshold[0] < YOUNGEST:
            gc.set_threshold(YOUNGEST, *threshold[1:])
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*threshold)

    return run
