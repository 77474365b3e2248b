"""Every file of a varied 200-row merge is byte for byte what the normal path makes.

A merge takes shortcuts the normal path (``render(compose(data), fmt)`` of one input)
does not: rows validated against a memo of the shared fields, parts filled from
skeletons learned on earlier rows, a .docx body filled per structure, lines of an email
encoded once. Each shortcut must give the very bytes of the normal path. The rows vary
what the shortcuts key on: locale, channel, register, gender, reasons, which blocks a
letter has, names with umlauts and names long enough to fold an email header, amounts.
The normal path runs in a fresh process, the rows in reverse order, so that what it
learns first (each structure's skeleton) differs from what the merge learned first.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from letterkit.merge import merge

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
FIRST = ["Anna", "Jürgen", "Zoë", "Maximiliane Friederike", "Kim", "Ömer", "Li", "Karl-Heinz"]
LAST = [
    "Schneider",
    "Müller-Lüdenscheidt-Überschär von Großweißenbrunn",
    "Weiß",
    "O'Brien",
    "Nguyễn",
    "Bäcker",
    "Smith",
    "Straßburger-Oberländer",
]
COMPANIES = [
    None,
    "Bäckerei Größle & Söhne GmbH",
    "Acme Ltd",
    "Verein für Heimatkunde Süd e. V.",
    "Beispiel AG",
]
GENDERS = ["female", "male", "unknown", "diverse"]
REASONS = [["payment_terms"], ["scope", "budget"], ["capacity"], ["technology", "model_retired"], ["fit"]]
ROWS = 200


def varied_rows() -> list[dict[str, Any]]:
    """200 inputs made from the samples, each with its own client, reference and amount."""
    samples = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in SAMPLES]
    rows = []
    for i in range(ROWS):
        data = copy.deepcopy(samples[i % len(samples)])
        recipient = data["recipient"]
        recipient["first_name"] = FIRST[i % len(FIRST)]
        recipient["last_name"] = LAST[(i // 3) % len(LAST)]
        recipient.pop("name", None)
        recipient["gender"] = GENDERS[(i // 2) % len(GENDERS)]
        if i % 5:
            recipient.pop("title", None)
        company = COMPANIES[(i // 7) % len(COMPANIES)]
        if company:
            recipient["company"] = company
        recipient["email"] = f"kunde{i}@example.com"
        contract = data.setdefault(
            "contract", {"name": "Rahmenvertrag" if data["locale"].startswith("de") else "Retainer"}
        )
        contract["reference"] = f"R-{i:04d}"
        if data.get("final_invoice"):
            data["final_invoice"]["amount"] = round(17 + i * 123.45, 2) if i % 11 else 0
            data["final_invoice"]["number"] = f"2026-{i:04d}"
        if i % 4 == 1:
            data["reasons"] = REASONS[(i // 4) % len(REASONS)]
        if i % 6 == 2:
            data["channel"] = "email" if data.get("channel") != "email" else "letter"
        rows.append(data)
    return rows


NORMAL_PATH = """
import json, sys
from pathlib import Path
import letterkit
rows, out = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")), Path(sys.argv[2])
from letterkit.compose import listing_attachments
for i in reversed(range(len(rows))):
    try:
        letter = letterkit.compose(rows[i])
        if letter.channel == "email":  # as generate -o x.eml writes it: what it lists, it attaches
            letter = letterkit.compose(listing_attachments(letterkit.validate(rows[i]), []))
    except letterkit.LetterkitError:
        continue
    fmt = "eml" if letter.channel == "email" else "docx"
    (out / f"R-{i:04d}.{fmt}").write_bytes(letterkit.render(letter, fmt))
"""


def test_every_file_of_a_varied_merge_is_what_the_normal_path_makes(tmp_path: Path, monkeypatch) -> None:
    rows = varied_rows()
    report = merge(rows, out_dir=tmp_path / "merged", fmt="docx", name="{contract.reference}", jobs=1)
    written = sorted(p.name for p in (tmp_path / "merged").iterdir() if not p.name.startswith("."))
    assert report.count("written") == len(written) >= ROWS - 10, report.failed[:3]
    assert {name.rpartition(".")[2] for name in written} == {"docx", "eml"}

    source = tmp_path / "rows.json"
    source.write_text(json.dumps(rows, default=str), encoding="utf-8")
    (tmp_path / "normal").mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    subprocess.run(
        [sys.executable, "-c", NORMAL_PATH, str(source), str(tmp_path / "normal")], check=True, env=env
    )
    normal = sorted(p.name for p in (tmp_path / "normal").iterdir())
    assert normal == written
    differ = [
        name
        for name in written
        if (tmp_path / "merged" / name).read_bytes() != (tmp_path / "normal" / name).read_bytes()
    ]
    assert differ == []
    # with worker processes (forked copies of the merge after its check, on Linux) too, as
    # asked (jobs=2) and as a merge that names no number has them from AUTO_ROWS letters on
    from letterkit.merge import produce

    monkeypatch.setattr(produce, "AUTO_ROWS", ROWS // 2)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(produce, "busy_cores", lambda: 0)  # two free cores
    for folder, jobs in (("two", 2), ("default", None)):
        again = merge(rows, out_dir=tmp_path / folder, fmt="docx", name="{contract.reference}", jobs=jobs)
        assert again.to_csv() == report.to_csv()
        assert sorted(p.name for p in (tmp_path / folder).iterdir() if not p.name.startswith(".")) == written
        differ = [
            name
            for name in written
            if (tmp_path / folder / name).read_bytes() != (tmp_path / "normal" / name).read_bytes()
        ]
        assert differ == []
