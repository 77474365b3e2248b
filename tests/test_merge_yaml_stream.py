"""A YAML client list is composed and built a record at a time (records.yaml_records): the
records are those of loading the whole file, aliases to earlier records included, its
errors name their lines, and a long list is never held whole."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
import yaml

from letterkit.errors import SourceError
from letterkit.merge.records import Broken, yaml_records

LIST = """\
# clients to write to
- &base
  locale: de-DE
  recipient: {last_name: Müller, city: Köln}
  final_invoice: {amount: 1190.50}
- <<: *base
  recipient: {last_name: Şahin, postal_code: 01067}
- locale: en-GB
  reasons: [capacity, scope]
  end_date: 2026-12-31
"""


def read(path: Path) -> list[object]:
    return [record for _, record in yaml_records(path)]


@pytest.mark.parametrize(
    "text",
    [
        LIST,
        "\ufeff" + LIST,
        "exported: 2026-11-29\nrows:\n" + "".join(f"  {line}\n" for line in LIST.splitlines()) + "count: 3\n",
    ],
)
def test_the_records_are_those_of_the_whole_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text(text, encoding="utf-8")
    records = read(path)
    whole = yaml.safe_load(LIST)
    assert len(records) == 3
    assert records[0] == whole[0] and records[2]["end_date"] == whole[2]["end_date"]  # type: ignore[index]
    assert records[1]["locale"] == "de-DE" and records[1]["recipient"] == {  # type: ignore[index]
        "last_name": "Şahin",
        "postal_code": "01067",  # kept as typed, not the octal number 567
    }


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("- locale: de-DE\n- locale: [en-GB\n- locale: de-AT\n", "is not valid YAML", 3),
        ("- locale: de-DE\n---\n- locale: en-GB\n", "but found another document; a client list is one YAML list", 2),
        ("rows: []\nrows:\n- {locale: en-GB}\n", "the key 'rows' appears twice; keep one", 2),
        ("meta: {a: 1, a: 2}\nrows:\n- {locale: en-GB}\n", "the key 'meta.a' appears twice; keep one", 1),
        ("# nothing yet\n", "is empty; it needs a YAML list of records", None),
        ("~\n", "is empty; it needs a YAML list of records", None),
        ("locale: de-DE\n", "must be a YAML list of records (or rows: [...])", None),
        ("rows: {locale: de-DE}\n", "must be a YAML list of records (or rows: [...])", None),
        ("clients\n", "must be a YAML list of records (or rows: [...])", None),
    ],
)
def test_a_problem_with_the_file_names_its_line(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read(path)
    assert message in str(caught.value)
    if line is not None:  # a syntax error says its line in the message, the others as the file's line
        assert caught.value.line == line or f" at line {line}:" in str(caught.value)


@pytest.mark.parametrize("prefix", ["", "rows:\n"])
def test_a_record_with_a_key_twice_fails_its_row_only(tmp_path: Path, prefix: str) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text(
        prefix + "- {locale: de-DE}\n- locale: en-GB\n  end_date: 2026-12-31\n  end_date: 2027-01-31\n- {locale: de-AT}\n",
        encoding="utf-8",
    )
    records = list(yaml_records(path))
    assert [number for number, _ in records] == [1, 2, 3]
    broken = records[1][1]
    assert isinstance(broken, Broken) and broken.error.startswith("the key 'end_date' appears twice (line ")
    assert records[2][1] == {"locale": "de-AT"}


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "clients.yaml"
    path.write_bytes(b"- locale: de-DE\n- recipient: {city: K\xf6ln}\n")
    with pytest.raises(SourceError, match="is not UTF-8 text") as caught:
        read(path)
    assert caught.value.line == 2


def test_a_long_list_is_never_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "clients.yaml"
    record = "".join(f"  field_{n}: value {n} of a client's export\n" for n in range(20))
    path.write_text(("- " + record[2:]) * 5_000, encoding="utf-8")  # ~4 MB
    size = path.stat().st_size
    tracemalloc.start()
    count = sum(1 for _ in yaml_records(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 5_000
    assert peak < size / 4  # composed whole, its nodes alone take many times the file's size
