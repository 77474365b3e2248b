"""One letter to .docx from a fresh process: letterkit vs a plain docxtpl script.

The naive script is what a docxtpl user writes: load the template, render a
context, save. It has no validation, no locale formatting and no determinism, so
it is a floor to compare against, not a feature match.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _timing import PYTHON, report, time_command

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "de-DE-wartungsvertrag.yaml"

NAIVE = """
import sys, yaml
from docxtpl import DocxTemplate
data = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
doc = DocxTemplate(sys.argv[2])
doc.render({"subject": "Kuendigung", "salutation": "Sehr geehrte Frau " + data["recipient"]["last_name"],
            "blocks": [{"part": "decision", "text": "Hiermit kuendigen wir zum " + str(data["end_date"])}],
            "closing": "Mit freundlichen Gruessen", "signature": [data["sender"]["name"]],
            "sender_line": "", "sender_address": [], "recipient_address": [], "references": [],
            "date_line": "", "enclosures_label": "", "enclosures": [], "footer": [], "labels": {"page": "Seite", "of": "von"},
            "sender_name": "", "locale": "de-DE", "lang": "de"})
doc.save(sys.argv[3])
"""


def main() -> None:
    template = ROOT / "templates" / "de" / "letter.docx"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        rows = [
            (
                "naive docxtpl script (load, render, save)",
                time_command(
                    [PYTHON, "-c", NAIVE, str(SAMPLE), str(template), str(out / "naive.docx")], repeat=9
                ),
            ),
            (
                "letterkit generate -o letter.docx",
                time_command(
                    [
                        PYTHON,
                        "-m",
                        "letterkit",
                        "generate",
                        str(SAMPLE),
                        "-o",
                        str(out / "lk.docx"),
                        "--force",
                    ],
                    repeat=9,
                ),
            ),
            (
                "letterkit generate (text to stdout)",
                time_command([PYTHON, "-m", "letterkit", "generate", str(SAMPLE)], repeat=9),
            ),
        ]
    report(rows)


if __name__ == "__main__":
    main()
