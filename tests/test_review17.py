"""Review round 17:

1. a closing ("Liebe Grüße") or a group greeting ("Hallo Zusammen") is no du salutation,
   and only a line before the first body paragraph is a salutation;
2. a salutation in one form of address with a body wholly in the other is reported;
3. "Wie Ihr wisst, danke ich Euch …": a capitalised plural du in a du letter;
4. the writer's own late reply is no blame (and the held-out check's test makes its own
   false alarm);
5. the amount hints keep a minus sign;
6. the Sie/du check imports no private helper of the engine or the structure checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

from letterkit.lint import lint

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "letterkit" / "lint"


def mixed(text: str) -> list[str]:
    """The words the Sie/du check reports."""
    return [f.text for f in lint(text, lang="de") if f.rule == "structure/mixed-address"]


# 6. Shared helpers are public, in a module both callers can import -------------------------


def _private_imports(path: Path) -> list[str]:
    """The names starting with "_" that a module imports from a sibling module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            found += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
    return found


def test_the_address_and_structure_checks_import_no_private_helpers():
    for name in ("address.py", "structure.py"):
        assert _private_imports(LINT / name) == [], name


def test_the_letterhead_module_imports_neither_the_engine_nor_the_checks():
    tree = ast.parse((LINT / "letterhead.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not modules & {"engine", "address", "structure"}
