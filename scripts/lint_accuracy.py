"""Print the lint's precision and recall on the labelled corpus, with every miss and false alarm.

python scripts/lint_accuracy.py [CORPUS_DIR]

A sentence counts as flagged by a warning or an error, or by an info note in its labelled
category; an info note elsewhere is no flag (letterkit.lint.accuracy). The figures that
count every info note as a flag are printed beside them, as
``scripts/train_tone_model.py --check`` prints them for a held-out set.
"""

from __future__ import annotations

import sys
from pathlib import Path

from letterkit.lint.accuracy import score_file

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "lint_corpus"
    for lang in ("de", "en"):
        result = score_file(folder / f"{lang}.yaml", lang)
        print(result.summary())
        for line in result.details():
            print(line)


if __name__ == "__main__":
    main()
