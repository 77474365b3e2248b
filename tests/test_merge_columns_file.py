"""``letterkit.merge(..., columns=...)`` takes a mapping file's name (str or Path) as the
CLI's --columns does, for a file of rows and for dicts from Python; a bad file is a clear
error naming it (tester 34: a str gave a misleading message, a Path a bare TypeError)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from letterkit.errors import LetterkitError
from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))
MAPPING = {"Land": "locale", "Firma": "recipient.company", "Nachname": "recipient.last_name", "Ende": "end_date", "Notiz": None}


def records() -> list[dict[str, str]]:
    return [
        {"Land": "de-DE", "Firma": f"Kunde {i} GmbH", "Nachname": f"Muster{i}", "Ende": "2026-12-31", "Notiz": "x"}
        for i in range(1, 4)
    ]


@pytest.mark.parametrize("as_path", [False, True])
def test_a_mapping_file_renames_the_columns_of_a_file_and_of_dicts(tmp_path: Path, as_path: bool) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    columns = mapping if as_path else str(mapping)
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "Land;Firma;Nachname;Ende;Notiz\n" + "".join(f"de-DE;{r['Firma']};{r['Nachname']};{r['Ende']};x\n" for r in records()),
        encoding="utf-8",
    )
    from_file = merge(rows, base=BASE, columns=columns, check=True)
    from_dicts = merge(iter(records()), base=BASE, columns=columns, check=True)
    assert from_file.ok and from_dicts.ok, (from_file.failed, from_dicts.failed)
    assert from_file.count("valid") == from_dicts.count("valid") == 3


def test_a_bad_mapping_file_names_itself(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(LetterkitError, match=r"map\.yaml"):
        merge(iter(records()), base=BASE, columns=mapping, check=True)
    with pytest.raises(LetterkitError, match=r"missing\.yaml"):
        merge(iter(records()), base=BASE, columns=tmp_path / "missing.yaml", check=True)
