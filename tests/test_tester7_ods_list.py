"""A client list saved in LibreOffice's own format (.ods) was told "is a ZIP archive, perhaps
an Excel or Word file ...; rename it to .xlsx", and renamed it was told it is an
OpenDocument file (tester7). It is named for what it is at once, with how to save it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import letterkit
from letterkit.errors import LetterkitError

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"


def test_an_ods_list_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "clients.ods"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<office:document-content/>")
        package.writestr("META-INF/manifest.xml", "<manifest/>")
    with pytest.raises(LetterkitError) as caught:
        letterkit.merge(path, base=BASE, out_dir=tmp_path / "out")
    message = str(caught.value)
    assert "is an OpenDocument file (.ods" in message and "Excel 2007-365 (.xlsx)" in message, message
    assert "rename it to .xlsx" not in message
