"""``python -m letterkit`` runs the command-line interface."""

from .cli import main

main()
