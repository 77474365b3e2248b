"""Every letter letterkit generates passes its own lint: each sample as written, as an email,
and (German) in the other form of address, in each locale of its language."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

import letterkit
from letterkit.lint import lint

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.yaml"))
LOCALES = {"de": ["de-DE", "de-AT", "de-CH"], "en": ["en-GB", "en-US"]}


def variants(data: dict) -> list[tuple[str, dict]]:
    out = []
    for locale in LOCALES[data["locale"][:2]]:
        for channel in ("letter", "email"):
            registers = (
                ["sie", "du"] if locale.startswith("de") and data["recipient"].get("first_name") else [None]
            )
            for register in registers:
                variant = copy.deepcopy(data)
                variant["locale"] = locale
                variant["channel"] = channel
                variant["recipient"].setdefault("email", "client@example.com")
                variant.pop("register", None)
                if register:
                    variant["register"] = register
                for block in ("final_invoice", "refund"):
                    if block in variant:
                        variant[block].pop("currency", None)
                out.append((f"{locale}-{channel}-{register or ''}", variant))
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_generated_letters_have_no_findings(sample):
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    for label, variant in variants(data):
        letter = letterkit.compose(variant)
        assert letter.findings == (), f"{label}: {[(f.rule, f.text) for f in letter.findings]}"
        text = "\n\n".join(
            [letter.subject, letter.salutation, letter.body, letter.closing, *letter.signature]
        )
        again = lint(text, lang=letter.lang, locale=letter.locale)
        assert again == [], f"{label}: {[(f.rule, f.text, f.sentence) for f in again]}"
