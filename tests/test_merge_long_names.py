"""A --name too long for a file is cut field by field, so that every field keeps its
beginning, and the row's report says which fields were cut (tester 34: a long company name
filled the name and dropped the last name, with no notice)."""

from __future__ import annotations

from pathlib import Path

import yaml

from letterkit.merge import merge
from letterkit.merge.names import MAX_BYTES, Namer

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "samples" / "merge" / "base.yaml").read_text("utf-8"))
COMPANY = " ".join(["Ärztegemeinschaftspraxis Dr. Müller-Lüdenscheidt & Kollegen"] * 5)
PATTERN = "{recipient.company}-{recipient.last_name}.docx"


def test_every_field_keeps_its_beginning_and_the_name_fits() -> None:
    named = Namer(PATTERN, "docx").give(1, {"recipient": {"company": COMPANY, "last_name": "Schneider"}})
    stem = named.name.removesuffix(".docx")
    assert stem.endswith("-Schneider") and stem.startswith("Ärztegemeinschaftspraxis Dr.")
    assert len(stem.encode("utf-8")) <= MAX_BYTES
    assert not stem.removesuffix("-Schneider").endswith(("Kolle", " ", "&"))  # cut at a word's end
    assert named.shortened == ("recipient.company",)
    notice = named.notice()
    assert notice is not None and "{recipient.company} cut short" in notice


def test_two_clients_of_one_long_company_get_their_own_names() -> None:
    namer = Namer(PATTERN, "docx")
    first = namer.give(1, {"recipient": {"company": COMPANY, "last_name": "Schneider"}}).name
    second = namer.give(2, {"recipient": {"company": COMPANY, "last_name": "Weber"}}).name
    assert first.endswith("-Schneider.docx") and second.endswith("-Weber.docx")


def test_a_short_name_is_as_before_without_a_notice() -> None:
    named = Namer(PATTERN, "docx").give(1, {"recipient": {"company": "Kurz GmbH", "last_name": "Roth"}})
    assert named.name == "Kurz GmbH-Roth.docx" and named.notice() is None


def test_the_merge_report_says_the_name_was_cut(tmp_path: Path) -> None:
    row = {
        "locale": "de-DE",
        "recipient.company": COMPANY,
        "recipient.last_name": "Schneider",
        "recipient.gender": "female",
        "end_date": "2026-12-31",
    }
    report = merge([row], base=BASE, check=True, name=PATTERN)
    assert report.ok
    assert any("cut short" in problem for problem in report.results[0].problems)
