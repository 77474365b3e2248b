"""A workbook is streamed when its parts unpacked are large, not only its file (tester7):
a list of 100,000 rows saved by LibreOffice is 6.5 MB packed, 86 MB unpacked, and was read
whole, taking 865 MB of memory; streamed, the merge makes the same files."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

import pytest

import letterkit
from letterkit.merge import xlsx

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "samples" / "merge" / "base.yaml"


def _workbook(path: Path, rows: int) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "recipient.company", "recipient.email", "end_date", "channel"])
    for n in range(rows):
        sheet.append(["de-DE", f"Firma {n} GmbH", f"k{n}@example.com", "2026-12-31", "email"])
    book.save(path)


def _files(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_workbook_large_unpacked_is_streamed_and_merged_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "clients.xlsx"
    _workbook(path, 300)
    whole = letterkit.merge(path, base=BASE, out_dir=tmp_path / "whole", fmt="eml", jobs=1)
    packed = path.stat().st_size
    with zipfile.ZipFile(path) as package:
        unpacked = sum(part.file_size for part in package.infolist())
    assert packed < unpacked
    monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", (packed + unpacked) // 2)
    modes: list[bool] = []
    load = openpyxl.load_workbook

    def spy(*args: Any, **kwargs: Any) -> Any:
        modes.append(bool(kwargs.get("read_only")))
        return load(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    streamed = letterkit.merge(path, base=BASE, out_dir=tmp_path / "streamed", fmt="eml", jobs=1)
    assert modes and all(modes), modes  # every load of the workbook streamed
    assert whole.count("written") == streamed.count("written") == 300
    assert _files(tmp_path / "whole") == _files(tmp_path / "streamed")
