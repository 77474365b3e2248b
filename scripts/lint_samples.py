"""Compose every sample (and its du / email variants) and lint the letter: prints any finding.

python scripts/lint_samples.py
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

import letterkit
from letterkit.lint import lint

ROOT = Path(__file__).resolve().parent.parent


def variants(data: dict) -> list[tuple[str, dict]]:
    """The sample as written, as an email, and (German) in the other register."""
    out = [("as written", data)]
    email = copy.deepcopy(data)
    email["channel"] = "email"
    email["recipient"].setdefault("email", "client@example.com")
    out.append(("email", email))
    if data["locale"].startswith("de") and data["recipient"].get("first_name"):
        other = copy.deepcopy(data)
        other["register"] = "sie" if data.get("register") == "du" else "du"
        out.append((other["register"], other))
    return out


def letter_text(letter: letterkit.Letter) -> str:
    return "\n\n".join([letter.subject, letter.salutation, letter.body, letter.closing, *letter.signature])


def main() -> int:
    problems = 0
    for path in sorted((ROOT / "samples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for label, variant in variants(data):
            letter = letterkit.compose(variant)
            for finding in lint(letter_text(letter), lang=letter.lang, locale=letter.locale):
                problems += 1
                print(f"{path.name} ({label}): {finding.rule}: {finding.text!r} in: {finding.sentence}")
    print(f"{problems} finding(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
