"""A JSON client list is read a record at a time (merge/json_stream.py): the records and
the errors, with their lines and columns, are those of reading the whole file, wherever
the chunks end; and a long list is never held whole."""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest

from letterkit.errors import SourceError
from letterkit.merge import json_stream
from letterkit.merge.records import Broken, json_records
from letterkit.sources import json_error

RECORDS = [
    {"locale": "de-DE", "recipient": {"last_name": "Müller", "city": "Köln"}, "final_invoice.amount": 1190.5},
    {"locale": "en-GB", "recipient.last_name": "O'Brien \"Ltd\"", "reasons": ["capacity", "scope"]},
    {"locale": "de-CH", "recipient.last_name": "Zürcher 😀", "amount": "1.190", "n": 12345678901234567890},
]


def read(path: Path) -> list[object]:
    return [record for _, record in json_records(path)]


def whole_file_error(text: str) -> tuple[str, int]:
    """The message and line reading the whole text at once gives."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return json_error(text, exc)
    raise AssertionError("the text is valid JSON")


@pytest.fixture(params=[1, 2, 3, 7, 64, 1 << 20])
def chunk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(json_stream, "CHUNK", request.param)
    monkeypatch.setattr(json_stream, "KEPT", 8)  # what is kept before the position: short here
    return int(request.param)


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(RECORDS, ensure_ascii=False),  # one line
        json.dumps(RECORDS, ensure_ascii=False, indent=2),
        json.dumps(RECORDS),  # \\u escapes, a surrogate pair for the emoji
        "\ufeff" + json.dumps({"exported": "2026-11-29", "rows": RECORDS, "count": 3}, indent=1),
        json.dumps({"rows": RECORDS}, separators=(",", ":")),
    ],
)
def test_the_records_are_those_of_the_whole_file(tmp_path: Path, chunk: int, text: str) -> None:
    path = tmp_path / "clients.json"
    path.write_bytes(text.encode("utf-8"))
    records = read(path)
    assert records == RECORDS
    assert records[0]["final_invoice.amount"] == 1190.5 and records[2]["amount"] == "1.190"  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        '[\n  {"a": 1},\n  {"b": 2},\n]\n',  # a comma after the last entry
        '[{"a": 1}, {"b": 2},]',
        '[\n  {"a": 1}\n  {"b": 2}\n]',  # a missing comma
        '[\n  {"a": 1, "b": }\n]',
        '[\n  {"a": "unterminated}\n]',
        '[{"a": 1}]\n[{"b": 2}]',  # extra data
        '{"rows": [{"a": 1}], "count": 1,}',
        '{"rows": [{"a": 1}] "count": 1}',
        '{"rows" [{"a": 1}]}',
        '{rows: [{"a": 1}]}',
        '{"rows": [{"a": 1}], ',
        '[{"a": 1}, ',
        '[{"a": 1}',
        "",
        '   \n  [{"a": 1}, {"b": 2}, {"c": 3}, {"d": 4}, {"e": 5}, {"f": tru}]',
    ],
)
def test_an_error_names_the_line_and_column_of_the_whole_file(tmp_path: Path, chunk: int, text: str) -> None:
    path = tmp_path / "clients.json"
    path.write_text(text, encoding="utf-8")
    message, line = whole_file_error(text)
    with pytest.raises(SourceError) as caught:
        read(path)
    assert str(caught.value) == f"{path}:{line}: {message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"count": 3}', 'must be a JSON list of records (or {"rows": [...]})'),
        ('{"rows": {"a": 1}}', 'must be a JSON list of records (or {"rows": [...]})'),
        ('"clients"', 'must be a JSON list of records (or {"rows": [...]})'),
        ('{"rows": [], "rows": []}', "the key 'rows' appears twice; keep one"),
        ('{"meta": {"a": 1, "a": 2}, "rows": [{"x": 1}]}', "the key 'meta.a' appears twice; keep one"),
        ('[{"name": "\\ud800"}]', "holds the escape \\ud800, one half of a UTF-16 pair"),
    ],
)
def test_a_file_that_is_no_list_of_records_is_refused(
    tmp_path: Path, chunk: int, text: str, message: str
) -> None:
    path = tmp_path / "clients.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=re.escape(message)):
        read(path)


def test_a_record_with_a_key_twice_fails_its_row_only(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "clients.json"
    path.write_text('[{"a": 1}, {"end_date": "x", "end_date": "y"}, {"b": 2}]', encoding="utf-8")
    records = list(json_records(path))
    assert [number for number, _ in records] == [1, 2, 3]
    assert isinstance(records[1][1], Broken) and "'end_date' appears twice" in records[1][1].error
    assert records[2][1] == {"b": 2}


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "clients.json"
    path.write_bytes(b'[\n{"a": "K\xf6ln"}\n]')
    with pytest.raises(SourceError, match="is not UTF-8 text") as caught:
        read(path)
    assert caught.value.line == 2


def test_a_long_list_is_never_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "clients.json"
    record = {f"field_{n}": f"value {n} of a client's export" for n in range(20)}
    path.write_text(json.dumps([record] * 20_000), encoding="utf-8")  # ~15 MB
    size = path.stat().st_size
    tracemalloc.start()
    count = sum(1 for _ in json_records(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20_000
    assert peak < size / 4  # read whole, the text alone is the file's size, its records several times it
