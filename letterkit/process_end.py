"""What runs when a process ends, also in a worker process of a merge."""

from __future__ import annotations

import atexit
import sys
from collections.abc import Callable


def at_process_end(function: Callable[[], None]) -> None:
    """Have ``function`` run when this process ends: ``atexit`` in the main process; in a
    worker of a merge (multiprocessing, which ends its workers with ``os._exit`` and runs no
    ``atexit`` there) as a multiprocessing finalizer, which the worker runs as it ends."""
    if "multiprocessing" in sys.modules:
        import multiprocessing
        from multiprocessing import util

        if multiprocessing.parent_process() is not None:
            util.Finalize(None, function, exitpriority=10)
            return
    atexit.register(function)
