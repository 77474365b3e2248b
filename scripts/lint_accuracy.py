"""Print the lint's precision and recall on the labelled corpus, with every miss and false alarm.

python scripts/lint_accuracy.py [CORPUS_DIR]
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
        for item in result.misses:
            print(f"  MISS  [{item.get('category', '?')}] {item['text']}")
        for item, rules in result.false_alarms:
            print(f"  FALSE {rules} {item['text']}")


if __name__ == "__main__":
    main()
