"""Golden files: the text and Markdown of every sample letter, compared byte for byte.

A deliberate change to the wording updates them with:
    LETTERKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
and the diff of tests/golden/ is then reviewed like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import letterkit

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
UPDATE = os.environ.get("LETTERKIT_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_golden(sample: Path, fmt: str) -> None:
    blob = letterkit.render(letterkit.compose(sample), fmt)
    golden = GOLDEN / f"{sample.stem}.{fmt}"
    if UPDATE:
        golden.write_bytes(blob)
    assert golden.exists(), f"no golden file {golden.name}; create it with LETTERKIT_UPDATE_GOLDEN=1"
    assert blob.decode("utf-8") == golden.read_text(encoding="utf-8")


def test_every_golden_file_has_a_sample() -> None:
    stems = {p.stem for p in SAMPLES}
    orphans = sorted(p.name for p in GOLDEN.iterdir() if p.stem not in stems)
    assert not orphans, f"golden files without a sample: {orphans}"
