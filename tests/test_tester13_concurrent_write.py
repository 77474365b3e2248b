"""Tester 13: two merges of one list into one folder at the same time both find the folder
empty, so neither looks for a file before it writes it: the second to write a letter found
it written by the other and stopped the run ("already exists; use --force to replace it"),
though the file held the very same letter. A file made meanwhile with the same bytes is
now taken as written; one with other bytes is still never replaced, and the error says
that another run may be writing into the folder."""

from __future__ import annotations

import pytest

from letterkit.errors import OutputError
from letterkit.output import write_atomic


def test_a_file_made_meanwhile_with_the_same_bytes_is_taken_as_written(tmp_path):
    target = tmp_path / "0002-Gruber.docx"
    target.write_bytes(b"the same letter")  # written by the other run after this one looked
    write_atomic(target, b"the same letter", absent=True)
    assert target.read_bytes() == b"the same letter"


def test_a_file_made_meanwhile_with_other_bytes_is_not_replaced(tmp_path):
    target = tmp_path / "0002-Gruber.docx"
    target.write_bytes(b"another letter")
    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"this letter", absent=True)
    assert target.read_bytes() == b"another letter"
    assert "at the same time" in str(caught.value)
