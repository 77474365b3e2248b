"""Merge fixes from the fifth acceptance run (client lists written by a tester)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from letterkit.errors import OutputError
from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))


def rows(count: int) -> list[dict]:
    return [
        {
            "locale": "de-DE",
            "end_date": "2026-12-31",
            "recipient.company": f"Kunde {i} GmbH",
            "recipient.last_name": f"Muster{i}",
            "recipient.gender": "female",
        }
        for i in range(count)
    ]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes are forked")
def test_a_killed_worker_is_a_clear_error_and_a_rerun_completes(tmp_path, monkeypatch):
    from letterkit.merge import produce

    real = produce.run_phased

    def dies_on_row_40(batch):
        if any(job.row == 40 for job, _ in batch):
            os._exit(9)  # as the kernel's out-of-memory killer ends a process
        return real(batch)

    monkeypatch.setattr(produce, "run_phased", dies_on_row_40)
    with pytest.raises(OutputError, match="worker process stopped unexpectedly") as info:
        merge(rows(80), base=BASE, out_dir=tmp_path, fmt="txt", jobs=2)
    report = info.value.report  # type: ignore[attr-defined]
    assert report.count("written") + report.count("stopped") == 80
    monkeypatch.setattr(produce, "run_phased", real)
    again = merge(rows(80), base=BASE, out_dir=tmp_path, fmt="txt", jobs=2)
    assert again.ok and len(list(tmp_path.glob("*.txt"))) == 80
    assert not list(tmp_path.glob(".*tmp*"))


def test_unicode_line_separators_are_line_breaks_in_one_line_fields():
    import letterkit

    for separator in ("\u2028", "\u2029"):
        data = {
            "locale": "de-DE",
            "end_date": "2026-12-31",
            "sender": {"company": "A GmbH", "name": "Bea Berg"},
            "recipient": {"company": "C AG", "last_name": f"Line{separator}Sep"},
        }
        with pytest.raises(letterkit.InputError, match=r"recipient\.last_name: line breaks are not allowed"):
            letterkit.validate(data)


def test_a_yaml_postcode_with_a_leading_zero_stays_as_typed(tmp_path):
    from letterkit.sources import parse_yaml

    data, _ = parse_yaml("postal_code: 01067\ncount: 12\nzero: 0\n")
    assert data == {"postal_code": "01067", "count": 12, "zero": 0}
    clients = tmp_path / "c.yaml"
    clients.write_text(
        "- locale: de-DE\n  end_date: 2026-12-31\n  recipient: {company: Elbe GmbH, street: Weg 1, "
        "postal_code: 01067, city: Dresden}\n",
        encoding="utf-8",
    )
    report = merge(clients, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.ok
    assert "01067 Dresden" in (tmp_path / "out" / report.results[0].file).read_text(encoding="utf-8")


def test_quotes_in_a_quoted_contract_name_are_nested_not_doubled():
    import letterkit

    data = {
        "locale": "de-DE",
        "end_date": "2026-12-31",
        "sender": {"company": "A GmbH", "name": "Bea Berg"},
        "recipient": {"company": "C AG"},
        "contract": {"name": "„Pflege“ – Plus"},
    }
    assert "den Vertrag „‚Pflege‘ – Plus“" in letterkit.compose(data).blocks[0].text
    data["locale"] = "de-CH"
    assert "«‹Pflege› – Plus»" in letterkit.compose(data).subject
    data["contract"]["name"] = "„Premium“-Wartungsvertrag"  # not quoted again: den „Premium“-Wartungsvertrag
    assert "den „Premium“-Wartungsvertrag" in letterkit.compose(data).blocks[0].text


def test_a_reason_note_typed_without_capital_or_full_stop_reads_as_a_sentence():
    import letterkit

    data = {
        "locale": "de-DE",
        "end_date": "2026-12-31",
        "sender": {"company": "A GmbH", "name": "Bea Berg"},
        "recipient": {"company": "C AG"},
        "reason_note": "wir haben uns strategisch neu ausgerichtet",
    }
    texts = [block.text for block in letterkit.compose(data).blocks]
    assert "Wir haben uns strategisch neu ausgerichtet." in texts
    data["reason_note"] = "Wir konzentrieren uns auf Webdesign (ab 2027)!"
    assert "Wir konzentrieren uns auf Webdesign (ab 2027)!" in [b.text for b in letterkit.compose(data).blocks]
