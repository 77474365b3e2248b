"""Print the lint's precision and recall on the labelled corpus, with every miss and false alarm.

python scripts/lint_accuracy.py [CORPUS_DIR]

A sentence counts as flagged by a warning or an error, or by an info note in its labelled
category; an info note elsewhere is no flag (letterkit.lint.accuracy). The figures that
count every info note as a flag are printed beside them, as
``scripts/train_tone_model.py --check`` prints them for a held-out set.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from letterkit.lint.accuracy import score_file

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
    )
    parser.add_argument(
        "corpus",
        nargs="?",
        type=Path,
        default=ROOT / "tests" / "lint_corpus",
        metavar="CORPUS_DIR",
        help="a folder with de.yaml and en.yaml (lists of {text, flag, category}); default: tests/lint_corpus",
    )
    folder = parser.parse_args(argv).corpus
    missing = [name for name in ("de.yaml", "en.yaml") if not (folder / name).is_file()]
    if missing:
        parser.error(f"{folder} has no {' and no '.join(missing)}; give a folder with de.yaml and en.yaml")
    for lang in ("de", "en"):
        result = score_file(folder / f"{lang}.yaml", lang)
        print(result.summary())
        for line in result.details():
            print(line)


if __name__ == "__main__":
    main()
