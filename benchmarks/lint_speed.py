"""Lint speed and memory, side by side with alex and proselint on the same English text
(100 KB and 1 MB), of two kinds: ``text_of`` repeats the corpus's ~300 sentences and
drafts (a 1 MB text holds ~600 distinct sentences of ~16,000, so whatever a tool works out
once per distinct sentence is nearly free), ``varied_text`` uses every labelled sentence
of tests/lint_corpus, most of them with a reference of their own (of ~17,000 sentences
~12,000 are distinct), closer to a folder of real letters. Both are reported.

    python benchmarks/lint_speed.py

Needs alex (``npm install alex`` — set ALEX=/path/to/node_modules/.bin/alex, or have it
on PATH) and proselint (``pip install proselint``); a tool that is missing is skipped
with a note. Each tool runs as a fresh process on the same file, as a user runs it: after
one untimed run, so that its bytecode and letterkit's rule cache exist as they do in an
installed copy (PYTHONDONTWRITEBYTECODE, if set, is not passed on).
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "lint_corpus"


def text_of(lang: str, size: int) -> str:
    """Paragraphs of corpus sentences and draft letters, about ``size`` characters."""
    random.seed(7)
    sentences = [
        item["text"] for item in yaml.safe_load((CORPUS / f"{lang}.yaml").read_text(encoding="utf-8"))
    ]
    drafts = [p.read_text(encoding="utf-8") for p in (CORPUS / "drafts").glob(f"{lang}*.txt")]
    # a reply header ("On ... wrote:") hides everything after it as quoted history
    drafts = [d for d in drafts if "wrote:" not in d and "schrieb" not in d]
    parts: list[str] = []
    total = 0
    while total < size:
        piece = random.choice(drafts) if random.random() < 0.3 else " ".join(random.sample(sentences, 5))
        parts.append(piece)
        total += len(piece) + 2
    return "\n\n".join(parts)


def varied_text(lang: str, size: int) -> str:
    """Paragraphs of every distinct labelled sentence of the language (all of
    tests/lint_corpus, in random order; seven in ten with a client reference appended, as
    letters carry one) and the drafts, about ``size`` characters."""
    rng = random.Random(11)
    sentences: list[str] = []
    for path in sorted(CORPUS.rglob(f"{lang}*.yaml")):
        if "drafts" in path.parts:
            continue
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(items, list):
            sentences += [str(item["text"]) for item in items if isinstance(item, dict) and "text" in item]
    sentences = list(dict.fromkeys(sentences))
    drafts = [p.read_text(encoding="utf-8") for p in (CORPUS / "drafts").glob(f"{lang}*.txt")]
    drafts = [d for d in drafts if "wrote:" not in d and "schrieb" not in d]
    names = ["Acme", "Harlow", "Brightside", "Kestrel", "Oakfield", "Meridian", "Lumen", "Northgate"]

    def referenced(sentence: str) -> str:
        if rng.random() >= 0.7:
            return sentence
        return f"{sentence.rstrip('.')} (ref. {rng.choice(names)}-{rng.randint(100, 9999)})."

    parts: list[str] = []
    total = 0
    while total < size:
        piece = (
            rng.choice(drafts) if rng.random() < 0.1 else " ".join(map(referenced, rng.sample(sentences, 5)))
        )
        parts.append(piece)
        total += len(piece) + 2
    return "\n\n".join(parts)


def run(argv: list[str], repeat: int = 3) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) of a command run as a fresh process, after one
    untimed run that leaves what a user's installed copy has: each tool's bytecode (so
    PYTHONDONTWRITEBYTECODE is dropped) and letterkit's rule cache."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(argv, capture_output=True, check=False, env=env)
    times = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return statistics.median(times), peak


def main() -> None:
    letterkit = [sys.executable, "-m", "letterkit", "lint", "--fail-level", "error"]
    alex = os.environ.get("ALEX") or shutil.which("alex")
    proselint = shutil.which("proselint")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        page_de = folder / "page_de.txt"
        page_de.write_text(
            (CORPUS / "drafts" / "de04_wuetend.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
        big_de = folder / "big_de.txt"
        big_de.write_text(text_of("de", 1_000_000), encoding="utf-8")
        seconds, peak = run([*letterkit, str(page_de)], repeat=7)
        print(f"one-page German draft, cold start   {seconds:6.3f} s   peak {peak:5.0f} MB")
        seconds, peak = run([*letterkit, "--lang", "de", str(big_de)], repeat=3)
        print(f"1 MB German text, cold start        {seconds:6.3f} s   peak {peak:5.0f} MB")
        big_de_varied = folder / "big_de_varied.txt"
        big_de_varied.write_text(varied_text("de", 1_000_000), encoding="utf-8")
        seconds, peak = run([*letterkit, "--lang", "de", str(big_de_varied)], repeat=3)
        print(f"1 MB German text, varied            {seconds:6.3f} s   peak {peak:5.0f} MB")
        for kind, make in (("repeating", text_of), ("varied", varied_text)):
            for size in (100_000, 1_000_000):
                english = folder / f"english_{kind}_{size}.txt"
                english.write_text(make("en", size), encoding="utf-8")
                compare(english, letterkit, alex, proselint, kind)


def compare(
    english: Path, letterkit: list[str], alex: str | None, proselint: str | None, kind: str = "repeating"
) -> None:
    """letterkit, alex and proselint on the same English file, with the ratios."""
    print(f"\nthe same {english.stat().st_size // 1000} KB of English text ({kind}):")
    ours, _ = run([*letterkit, "--lang", "en", str(english)])
    print(f"  letterkit lint   {ours:7.2f} s")
    for name, argv in (
        ("alex", [alex, str(english)] if alex else None),
        ("proselint", [proselint, "check", str(english)] if proselint else None),
    ):
        if argv is None:
            print(f"  {name:<15}  not installed; see this script's docstring")
            continue
        seconds, _ = run(argv)
        ratio = seconds / ours
        verdict = f"{ratio:5.1f}x faster" if ratio >= 1 else f"{1 / ratio:5.1f}x slower"
        print(f"  {name:<15}  {seconds:7.2f} s   letterkit is {verdict}")


if __name__ == "__main__":
    main()
