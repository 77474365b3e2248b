"""``help(letterkit)`` and ``dir(letterkit)`` show the whole public API, also the names that
load on first use (compose, render, validate, to_email, merge, ...): an ops engineer who
reads ``help(letterkit)`` must find the functions the README names."""

from __future__ import annotations

import pydoc
import subprocess
import sys

import letterkit


def test_dir_lists_every_public_name() -> None:
    missing = set(letterkit.__all__) - set(dir(letterkit))
    assert not missing, f"dir(letterkit) lacks {sorted(missing)}"


def test_help_shows_the_api_functions_in_a_fresh_process() -> None:
    # a fresh interpreter: nothing loaded yet, as a user's ``python -c "help(letterkit)"``
    code = "import letterkit, pydoc; print(pydoc.render_doc(letterkit, renderer=pydoc.plaintext))"
    text = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    functions = text.split("\nFUNCTIONS\n", 1)[1].split("\nDATA\n", 1)[0]
    for name in ("compose", "render", "validate", "to_email", "merge", "json_schema", "lint"):
        assert f"\n    {name}(" in functions, f"help(letterkit) does not show {name}()"
    classes = text.split("\nCLASSES\n", 1)[1].split("\nFUNCTIONS\n", 1)[0]
    for name in ("class Letter", "class MergeReport", "class Termination", "class InputError"):
        assert name in classes, f"help(letterkit) does not show {name}"


def test_dir_loads_nothing() -> None:
    code = "import sys, letterkit; dir(letterkit); print('letterkit.compose' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_render_doc_is_plain_pydoc() -> None:
    assert "compose(" in pydoc.render_doc(letterkit.compose, renderer=pydoc.plaintext)
