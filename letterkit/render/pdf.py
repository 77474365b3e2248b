"""Render a Letter as PDF: the .docx, converted by LibreOffice in headless mode.

Every conversion runs in a working folder with a LibreOffice user profile of its own
(``-env:UserInstallation``, see ``workspace``), so parallel conversions — threads,
processes, a running desktop LibreOffice — never share a lock or a profile. Several
documents are converted in one LibreOffice run (``docx_to_pdfs``): a merge to PDF pays
LibreOffice's start-up once per chunk of letters, not once per letter.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..errors import MissingToolError, RenderError
from ..letter import Letter
from .soffice import Timeout, run
from .workspace import Workspace, borrowed

TIMEOUT_SECONDS = 120.0
TIMEOUT_PER_DOCUMENT = 30.0  # further documents of one run: a letter takes LibreOffice ~0.2 s
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


# What differs between two conversions of the same .docx by LibreOffice: the moment of the
# conversion, the file identifier made from it, and the checksum over both.
_STAMPS = re.compile(rb"/(?:CreationDate|ModDate)\s*\([^)]*\)|/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]|/DocChecksum\s*/[0-9A-Fa-f]+")


def same_pdf(one: bytes, other: bytes) -> bool:
    """Whether two PDFs made by LibreOffice hold the same document: equal bytes but for the
    conversion's time stamp, file identifier and checksum (each of fixed length, so every
    offset in the file is the same too)."""
    return len(one) == len(other) and _STAMPS.sub(b"", one) == _STAMPS.sub(b"", other)


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
    (result,) = docx_to_pdfs([docx_bytes], timeout)
    if isinstance(result, RenderError):
        raise result
    return result


def docx_to_pdfs(documents: Sequence[bytes], timeout: float = TIMEOUT_SECONDS) -> list[bytes | RenderError]:
    """Convert Word documents to PDF in one LibreOffice run, which pays LibreOffice's
    start-up (about a second) once for all of them; each document's PDF, or the RenderError
    of a document that could not be converted. ``timeout`` is for the first document, each
    further one adds ``TIMEOUT_PER_DOCUMENT``. When the run as a whole fails (a crash, the
    time is up), each document is converted again on its own, so that one bad document does
    not fail the others. MissingToolError without LibreOffice."""
    if not documents:
        return []
    soffice = find_soffice()
    try:
        with borrowed() as workspace:
            return _convert(soffice, workspace, documents, timeout)
    except _RunFailed as failed:
        if len(documents) == 1:
            return [failed.error]
    return [result for document in documents for result in docx_to_pdfs([document], timeout)]


class _RunFailed(Exception):
    """A LibreOffice run failed as a whole; its workspace is not used again."""

    def __init__(self, error: RenderError) -> None:
        super().__init__(str(error))
        self.error = error


def _convert(
    soffice: str, workspace: Workspace, documents: Sequence[bytes], timeout: float
) -> list[bytes | RenderError]:
    """One headless LibreOffice run in ``workspace`` (its private profile) for all
    ``documents``, killed when the time is up; _RunFailed when the run fails."""
    sources = []
    for number, data in enumerate(documents, start=1):
        source = workspace.folder / f"letter-{number:04d}.docx"
        source.write_bytes(data)
        sources.append(str(source))
    command = [
        soffice, f"-env:UserInstallation={workspace.profile}", "--headless", "--invisible",
        "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        "--convert-to", "pdf", "--outdir", str(workspace.folder), *sources,
    ]  # fmt: skip
    allowed = timeout + TIMEOUT_PER_DOCUMENT * (len(documents) - 1)
    try:
        code, err = run(command, allowed, temporary=workspace.folder / "tmp")
    except Timeout:
        raise _RunFailed(
            RenderError(
                f"LibreOffice did not convert the letter within {allowed:.0f} s; "
                "try again, or write .docx and convert it yourself"
            )
        ) from None
    if code != 0:
        detail = err.decode("utf-8", "replace").strip()[-500:]
        raise _RunFailed(RenderError(f"LibreOffice failed (exit {code}): {detail}"))
    return [_result(Path(source).with_suffix(".pdf")) for source in sources]


def _result(pdf: Path) -> bytes | RenderError:
    try:
        return pdf.read_bytes()
    except FileNotFoundError:
        return RenderError(
            "LibreOffice finished but wrote no PDF; open the .docx in LibreOffice "
            "to see whether it is damaged"
        )
