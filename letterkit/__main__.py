"""``python -m letterkit`` runs the command-line interface."""

from .cli import run

run()
