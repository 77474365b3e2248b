"""Render the README pictures: page 1 of a German and an English sample letter as PNG.

python scripts/render_previews.py        # needs LibreOffice and pdftoppm (poppler-utils)
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import letterkit

ROOT = Path(__file__).resolve().parent.parent
PREVIEWS = {
    "letter-de-DE.png": ROOT / "samples" / "de-DE-wartungsvertrag.yaml",
    "letter-en-GB.png": ROOT / "samples" / "en-GB-bookkeeping.yaml",
}


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, sample in PREVIEWS.items():
        pdf = letterkit.render(letterkit.compose(sample), "pdf")
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "letter.pdf"
            source.write_bytes(pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "70",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(source),
                    str(Path(tmp) / "page"),
                ],
                check=True,
            )
            (out / name).write_bytes((Path(tmp) / "page.png").read_bytes())
        print(f"wrote docs/img/{name}")


if __name__ == "__main__":
    main()
