"""Render a Letter as PDF: the .docx, converted by LibreOffice in headless mode.

Every conversion runs in its own temporary folder with its own LibreOffice user
profile (``-env:UserInstallation``), so parallel conversions — threads, processes,
a running desktop LibreOffice — never share a lock or a profile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import MissingToolError, RenderError
from ..letter import Letter

TIMEOUT_SECONDS = 120.0
PROGRAM_NAMES = ("soffice", "libreoffice")
KNOWN_LOCATIONS = (
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
    Path("C:/Program Files/LibreOffice/program/soffice.exe"),
)
INSTALL_HINT = (
    "PDF output needs LibreOffice: install it with 'sudo apt-get install "
    "libreoffice-writer-nogui' (Debian/Ubuntu) or 'brew install --cask libreoffice' "
    "(macOS), or write .docx and convert it yourself"
)


def attachment_name(letter: Letter) -> str:
    """What the client sees as the name of the letter's PDF attached to an email: the
    locale's word for the letter and the contract's reference ("Kündigungsschreiben-W-2041.pdf",
    "Termination-letter-S-3.pdf"), never a file name of ours with its row number."""
    from ..merge.names import safe_name
    from ..parts import load

    word = str(load(letter.lang, "locale")["letter_file_name"])
    label = letter.labels.get("your_contract")
    reference = next((r.value for r in letter.references if r.label == label), None)
    return safe_name(f"{word}-{reference}" if reference else word, "pdf")


def render_pdf(letter: Letter, template: Path | None = None) -> bytes:
    """The letter as PDF bytes: ``render_docx`` then LibreOffice."""
    from .docx import render_docx

    return docx_to_pdf(render_docx(letter, template))


def find_soffice() -> str:
    """The LibreOffice program on PATH or in its usual place, else MissingToolError."""
    for name in PROGRAM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for location in KNOWN_LOCATIONS:
        if location.is_file():
            return str(location)
    raise MissingToolError(INSTALL_HINT)


def docx_to_pdf(docx_bytes: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Convert a Word document to PDF with LibreOffice; RenderError if it fails."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="letterkit-pdf-") as folder:
        work = Path(folder)
        source = work / "letter.docx"
        source.write_bytes(docx_bytes)
        _convert(soffice, source, work, timeout)
        result = work / "letter.pdf"
        if not result.is_file():
            raise RenderError(
                "LibreOffice finished but wrote no PDF; open the .docx in LibreOffice "
                "to see whether it is damaged"
            )
        return result.read_bytes()


def _convert(soffice: str, source: Path, work: Path, timeout: float) -> None:
    """Run one headless conversion with a private profile, killed after ``timeout``."""
    profile = (work / "profile").as_uri()
    command = [
        soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
        "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        "--convert-to", "pdf", "--outdir", str(work), str(source),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so a timeout ends all of it
    )
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill(process)
        raise RenderError(
            f"LibreOffice did not convert the letter within {timeout:.0f} s; "
            "try again, or write .docx and convert it yourself"
        ) from exc
    if process.returncode != 0:
        detail = err.decode("utf-8", "replace").strip()[-500:]
        raise RenderError(f"LibreOffice failed (exit {process.returncode}): {detail}")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End a conversion that hangs, with the helper processes LibreOffice started."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        process.kill()
    process.communicate()
