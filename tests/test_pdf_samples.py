"""Every sample letter becomes a .docx that LibreOffice opens and converts to PDF.

All samples are converted in one LibreOffice run (one start-up instead of fifteen);
pdftotext then checks each PDF for the subject, the salutation and the closing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import letterkit
from letterkit.render.pdf import find_soffice

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, tuple[letterkit.Letter, str]]:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing; install it with: apt-get install poppler-utils", pytrace=False)
    folder = tmp_path_factory.mktemp("pdf")
    letters = {}
    for sample in SAMPLES:
        letter = letterkit.compose(sample)
        (folder / f"{sample.stem}.docx").write_bytes(letterkit.render(letter, "docx"))
        letters[sample.stem] = letter
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *sorted(str(p) for p in folder.glob("*.docx")),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    result = {}
    for stem, letter in letters.items():
        pdf = folder / f"{stem}.pdf"
        assert pdf.exists(), f"LibreOffice wrote no PDF for {stem}"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        result[stem] = (letter, _words(text))
    return result


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_converts_to_pdf(converted, sample: Path) -> None:
    letter, text = converted[sample.stem]
    assert _words(letter.salutation) in text
    assert _words(letter.closing) in text
    assert _words(letter.subject)[:40] in text
    assert "{{" not in text and "{%" not in text
    last_block = _words(letter.blocks[-1].text)
    assert last_block[:30] in text
