"""Letters to .docx in one process: the naive docxtpl loop vs ``render_docx``, side by side.

    python benchmarks/docx_render.py [LETTERS]

The naive loop is what a docxtpl user writes per letter: ``DocxTemplate(path)``,
``render(ctx, autoescape=True)`` (without autoescaping a company called "A & B" breaks
the XML), ``save(BytesIO())``. "letterkit before" is the previous ``render_docx``
(the same, sandboxed, plus document properties and a deterministic re-zip; it gives
the same bytes as now). ``render_docx`` does more — control-character check,
document properties, language, deterministic zip — from a template prepared once per
process. Both get the same composed letters (composing is not timed), warm:

- merge: one sender (de-DE-wartungsvertrag) writing to LETTERS recipients;
- mixed: every sample (German and English layouts, 14 senders) in turn.

Then the one-off cost of preparing a template, and ``combine_docx`` on 1,000 letters.
Machines here are noisy: compare the ratios, and each figure is the best of 3 runs.
"""

from __future__ import annotations

import dataclasses
import io
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

import letterkit
from letterkit.letter import Letter
from letterkit.render import docx as docx_module
from letterkit.render.combine import combine_docx
from letterkit.render.docx import build_context, builtin_template, deterministic_zip, environment, render_docx
from letterkit.render.prepared import set_language, stamp_properties

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def recipients(letter: Letter, count: int) -> list[Letter]:
    """``count`` copies of a letter, each to another recipient about another contract.

    Address, salutation, references and the first paragraph differ in every letter,
    as in a merge where each row has its own contract number and dates.
    """
    return [
        dataclasses.replace(
            letter,
            recipient_address=(f"{letter.recipient_address[0]} {n}", *letter.recipient_address[1:]),
            salutation=letter.salutation.replace(",", f" ({n}),", 1),
            references=tuple(dataclasses.replace(r, value=f"{r.value}-{n}") for r in letter.references),
            blocks=(
                dataclasses.replace(letter.blocks[0], text=f"{letter.blocks[0].text} ({n})"),
                *letter.blocks[1:],
            ),
        )
        for n in range(count)
    ]


def naive(letter: Letter) -> bytes:
    """The plain docxtpl loop body."""
    document = DocxTemplate(builtin_template(letter.locale))
    document.render(build_context(letter), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _CompileOnce(SandboxedEnvironment):
    """letterkit's environment before the prepared templates: compiled sources cached."""

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=environment().finalize)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """``Environment.from_string``, each source compiled once."""
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source, globals, template_class)
        return self._compiled[source]


_BEFORE = _CompileOnce()


def before(letter: Letter) -> bytes:
    """letterkit's previous render_docx: DocxTemplate per letter, stamp, save, re-zip."""
    document = DocxTemplate(builtin_template(letter.locale))
    document.render(build_context(letter), jinja_env=_BEFORE, autoescape=True)
    when = datetime(letter.date.year, letter.date.month, letter.date.day, tzinfo=timezone.utc)
    stamp_properties(document.docx.core_properties, letter.sender_name, letter.subject, letter.locale, when)
    set_language(document.docx.styles.element, letter.locale)
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def per_letter(render: Callable[[Letter], bytes], letters: list[Letter], runs: int = 3) -> float:
    """Best wall time per letter in seconds over ``runs`` passes."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for letter in letters:
            render(letter)
        best = min(best, (time.perf_counter() - start) / len(letters))
    return best


def compare(name: str, letters: list[Letter]) -> None:
    """Time the three loops on the same letters and print them with the ratios."""
    for letter in letters[:20]:
        naive(letter), before(letter), render_docx(letter)  # warm: imports, caches, prepared templates
    assert all(before(letter) == render_docx(letter) for letter in letters[:20])  # the same bytes
    slow, previous, fast = (per_letter(render, letters) for render in (naive, before, render_docx))
    print(f"{name}: {len(letters)} letters")
    print(f"  naive docxtpl loop (DocxTemplate, render, save)  {slow * 1000:8.3f} ms/letter")
    print(f"  letterkit before (DocxTemplate per letter)       {previous * 1000:8.3f} ms/letter")
    print(f"  letterkit render_docx (prepared template)        {fast * 1000:8.3f} ms/letter   "
          f"x{slow / fast:5.1f} vs naive, x{previous / fast:5.1f} vs before")  # fmt: skip


def preparation(letter: Letter) -> None:
    """The first letter of a process pays for preparing the template."""
    docx_module._prepared.cache_clear()
    start = time.perf_counter()
    render_docx(letter)
    first = time.perf_counter() - start
    print(f"first letter of a process (prepares the template)  {first * 1000:8.1f} ms")


def combining(letters: list[Letter]) -> None:
    """combine_docx on 1,000 rendered letters."""
    documents = [render_docx(letter) for letter in letters]
    start = time.perf_counter()
    combined = combine_docx(documents)
    seconds = time.perf_counter() - start
    print(f"combine_docx, {len(documents)} letters into one .docx     {seconds * 1000:8.0f} ms "
          f"({seconds / len(documents) * 1000:.2f} ms/letter, {len(combined) / 1e6:.1f} MB)")  # fmt: skip


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    composed = [letterkit.compose(path) for path in SAMPLES]
    merge = recipients(letterkit.compose(ROOT / "samples" / "de-DE-wartungsvertrag.yaml"), count)
    mixed = [recipients(composed[n % len(composed)], 1 + n // len(composed))[-1] for n in range(count)]
    compare("merge (one sender, German DIN layout)", merge)
    compare("mixed (all samples, both layouts)", mixed)
    preparation(merge[0])
    combining([mixed[n % len(mixed)] for n in range(1000)])


if __name__ == "__main__":
    main()
