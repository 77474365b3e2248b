"""Snapshot of the lint's findings, to check that a speed change leaves them byte-identical.

    python scripts/findings_snapshot.py OUT_DIR [--big FILE ...]

Writes to OUT_DIR: ``sentences.json`` (the findings of every labelled sentence of every
corpus in tests/lint_corpus, linted as scripts/lint_accuracy.py lints them), and for each
draft in tests/lint_corpus/drafts, a 1 MB German text (benchmarks/lint_speed.py's
``text_of``) and each ``--big`` file, the output of ``letterkit lint --format json`` run
as a fresh process (so the forked path of long drafts runs as a user runs it). Compare two
snapshots with ``diff -r``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "lint_corpus"
sys.path.insert(0, str(ROOT))

from benchmarks.lint_speed import text_of  # noqa: E402
from letterkit.lint import lint  # noqa: E402
from letterkit.lint.findings import astuple  # noqa: E402


def sentence_findings() -> dict[str, list[list[object]]]:
    """Every corpus sentence's findings (as field tuples), keyed by file and position."""
    out: dict[str, list[list[object]]] = {}
    for path in sorted(CORPUS.rglob("*.yaml")):
        if path.name not in ("de.yaml", "en.yaml"):
            continue
        lang = path.stem
        for number, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            key = f"{path.relative_to(CORPUS)}#{number}"
            out[key] = [list(astuple(f)) for f in lint(str(item["text"]) + "\n", lang=lang)]
    return out


def cli_json(path: Path, *extra: str) -> str:
    """``letterkit lint --format json`` of one file, stdout and exit status."""
    done = subprocess.run(
        [sys.executable, "-m", "letterkit", "lint", "--format", "json", *extra, str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return f"exit {done.returncode}\n{done.stdout}{done.stderr}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--big", type=Path, action="append", default=[])
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "sentences.json").write_text(json.dumps(sentence_findings(), indent=0, default=str))
    drafts = sorted(p for p in (CORPUS / "drafts").iterdir() if not p.name.endswith(".yaml"))
    for path in drafts:
        (out / f"{path.name}.json").write_text(cli_json(path))
    # at the same path in every snapshot: the report names the file
    german = Path(tempfile.gettempdir()) / "letterkit-snapshot-de1m.txt"
    german.write_text(text_of("de", 1_000_000), encoding="utf-8")
    for path in [german, *args.big]:
        (out / f"{path.name}.json").write_text(cli_json(path))
    german.unlink()


if __name__ == "__main__":
    main()
