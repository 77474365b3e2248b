"""``python -m letterkit`` runs the command-line interface."""

from ._start import run

run()
