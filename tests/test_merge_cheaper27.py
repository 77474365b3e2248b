"""Session 27, a merge to .docx cheaper per letter (issue #3): what changed must change nothing
a user sees. The records of a folder that holds no file are not read (and go); the cells a
column only strips are read so without convert_value; a record takes the file's bytes by
SHA-256 and still tells a file changed since."""

from __future__ import annotations

import csv
from pathlib import Path

from test_merge_state24 import BASE, row

from letterkit.merge import merge


def _records(cache: Path) -> list[Path]:
    return sorted((cache / "letterkit").glob("made-*.txt"))


def test_a_folder_emptied_and_merged_into_again_starts_its_records_afresh(tmp_path, composed, monkeypatch):
    """The records of the files an earlier run wrote name files that are gone: the next run
    into the emptied folder does not read them (nor keep appending to them), and a resume
    after it still keeps every file without making its letter again."""
    from letterkit.merge import made

    rows = [row(i, channel=None) for i in range(3)]
    out = tmp_path / "out"
    merge(rows, base=BASE, out_dir=out, fmt="docx")
    [log] = _records(tmp_path / "cache")
    first = log.read_text(encoding="utf-8").splitlines()
    assert len(first) == 3
    for path in out.iterdir():
        path.unlink()
    read = []
    real = made.MadeLog._read
    monkeypatch.setattr(made.MadeLog, "_read", lambda self: read.append(self.path) or real(self))
    composed.clear()
    merge(rows, base=BASE, out_dir=out, fmt="docx")
    assert read == [] and composed == [1, 2, 3]
    assert (
        log.read_text(encoding="utf-8").splitlines() == first
    )  # the same files: their lines once, not twice
    composed.clear()
    again = merge(rows, base=BASE, out_dir=out, fmt="docx")
    assert read == [log] and again.count("exists") == 3 and composed == []


def test_a_folder_that_is_not_there_yet_has_no_records_to_read(tmp_path):
    from letterkit.merge.run import _empty

    folder = tmp_path / "new"
    assert _empty(folder)
    folder.mkdir()
    assert _empty(folder)
    (folder / "x.docx").write_bytes(b"")
    assert not _empty(folder)
    assert not _empty(folder / "x.docx")  # a file in the folder's place: not a folder without files


def test_a_file_changed_since_it_was_written_is_made_again(tmp_path, composed):
    """The record takes the file's bytes: one byte changed (the same size) and the letter is
    made again for the full check, which finds the file is not this row's letter."""
    rows = [row(i, channel=None) for i in range(2)]
    out = tmp_path / "out"
    merge(rows, base=BASE, out_dir=out, fmt="docx")
    first = sorted(out.glob("*.docx"))[0]
    data = bytearray(first.read_bytes())
    data[-30] ^= 1
    first.write_bytes(bytes(data))
    composed.clear()
    again = merge(rows, base=BASE, out_dir=out, fmt="docx")
    assert composed == [1]  # the changed file checked in full, the other kept by its record
    assert again.count("exists") == 1 and again.count("written") == 0  # the changed file is no row's letter


def test_cells_read_from_a_file_as_convert_value_reads_them(tmp_path):
    """A client list's text cells are stripped where their column holds text, and converted
    (a list, reasons, yes/no, a number) where it does not, as ``convert_value`` does; a
    database's NULL is an empty cell either way."""
    from letterkit.merge.columns import column_spec, convert_value, unflatten
    from letterkit.merge.sources import read_rows

    header = [
        "locale",
        "recipient.last_name",
        "reasons",
        "wishes",
        "thanks.since",
        "enclosures",
        "recipient.city",
    ]
    cells = ["  de-DE ", "  Muster ", "capacity; scope", " ja ", " 2021 ", "A; B", "NULL"]
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerow(cells)
        writer.writerow([*cells[:-1], " München "])
    first, second = read_rows(path)
    expected = unflatten(
        {key: convert_value(column_spec(key), value) for key, value in zip(header, cells, strict=True)}
    )
    del expected["recipient"]["city"]  # NULL: read as an empty cell
    assert first.data == expected
    assert second.data == {**expected, "recipient": {**expected["recipient"], "city": "München"}}
    assert first.data["reasons"] == ["capacity", "scope"] and first.data["recipient"]["last_name"] == "Muster"
