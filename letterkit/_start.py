"""The ``letterkit`` program's first step. Ctrl-C while the command-line interface is still
loading (a few tenths of a second on a busy machine) ends the program with a message and
exit code 130, as it does once a command runs, instead of Python's traceback: nothing has
been done yet. This module imports nothing heavy for that reason."""

from __future__ import annotations

import sys


def run() -> None:
    """Load the CLI and run it (``letterkit.cli.run``)."""
    try:
        from .cli import run as run_cli
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted before anything was done.\n")
        raise SystemExit(130) from None
    run_cli()
