"""Ctrl-C while the command-line interface is still loading ends the program with a message
and exit code 130, never Python's traceback (tester16: 5 of 16 SIGINTs in the first 0.3 s
under load printed one)."""

from __future__ import annotations

import subprocess
import sys

# letterkit.cli's import is made to raise KeyboardInterrupt, as Ctrl-C during it does
PROGRAM = """
import sys
class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == "letterkit.cli":
            raise KeyboardInterrupt
        return None
sys.meta_path.insert(0, Interrupting())
from letterkit._start import run
run()
"""


def test_ctrl_c_while_the_cli_loads_is_a_message_and_130() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM, "--help"], capture_output=True, text=True)
    assert done.returncode == 130
    assert done.stderr == "Interrupted before anything was done.\n"
    assert "Traceback" not in done.stdout + done.stderr


def test_the_program_entry_points_run_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "letterkit", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "0.1.0" in done.stdout
