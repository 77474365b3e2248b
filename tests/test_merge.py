"""Mail merge through the API and the CLI: sources, validation first, names, resume, reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import letterkit
from letterkit.cli import main
from letterkit.errors import LetterkitError, SourceError
from letterkit.merge import merge

# The shared fields of the merge sample (sender, date, thanks).
BASE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "samples" / "merge" / "base.yaml").read_text("utf-8")
)
HEADER = "locale;recipient.company;recipient.gender;recipient.last_name;recipient.email;contract.reference;end_date;final_invoice.amount"
ROWS = [
    "de-DE;Beispiel AG;female;Schneider;anna@example.com;W-1;31.12.2026;1.190,00 €",
    "de-AT;Gruber GmbH;male;Gruber;max@example.at;W-2;2027-01-31;450",
    "en-GB;Patel Ltd;female;Patel;priya@example.co.uk;S-3;2026-12-31;990.00",
]


def write_csv(tmp_path: Path, lines: list[str], encoding: str = "utf-8", name: str = "clients.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_merge_writes_one_letter_per_row(tmp_path):
    report = merge(
        write_csv(tmp_path, [HEADER, *ROWS]),
        base=BASE,
        out_dir=tmp_path / "out",
        fmt="txt",
        name="{recipient.last_name}-{contract.reference}",
    )
    assert [r.status for r in report.results] == ["written"] * 3
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "Gruber-W-2.txt",
        "Patel-S-3.txt",
        "Schneider-W-1.txt",
    ]
    text = (tmp_path / "out" / "Gruber-W-2.txt").read_text(encoding="utf-8")
    assert "Sehr geehrter Herr Gruber," in text and "31. Jänner 2027" in text and "€ 450,00" in text
    assert "1.190,00 €" in (tmp_path / "out" / "Schneider-W-1.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding,delimiter", [("utf-8", ";"), ("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", "\t")]
)
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    header = HEADER.replace(";", delimiter)
    row = (
        ROWS[0].replace(";", delimiter)
        if delimiter != ","
        else ROWS[0].replace("1.190,00 €", '"1.190,00 €"').replace(";", ",")
    )
    path = write_csv(tmp_path, [header, row], encoding)
    report = merge(path, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert report.ok, report.failed
    (written,) = (tmp_path / "out").iterdir()
    assert "Beispiel AG" in written.read_text(encoding="utf-8")


def test_bad_rows_are_reported_and_the_others_written(tmp_path):
    lines = [
        HEADER,
        ROWS[0],
        "de-DE;Fehler AG;Dr.;Meier;x@example.com;W-9;2026-12-31;-5",
        ROWS[1] + ";extra",
        ROWS[2],
    ]
    report = merge(write_csv(tmp_path, lines), base=BASE, out_dir=tmp_path / "out", fmt="txt")
    statuses = {r.row: r.status for r in report.results}
    assert statuses == {2: "written", 3: "failed", 4: "failed", 5: "written"}
    problems = {r.row: r.problems for r in report.failed}
    assert any("recipient.gender: 'Dr.' is not allowed" in p for p in problems[3])
    assert any("final_invoice.amount" in p and "negative" in p for p in problems[3])
    assert "has 9 fields but the header has 8" in problems[4][0]
    assert len(list((tmp_path / "out").iterdir())) == 2


def test_nothing_is_written_before_every_row_is_checked(tmp_path, monkeypatch):
    written = []
    import letterkit.output as output

    real = output.write_atomic
    monkeypatch.setattr(output, "write_atomic", lambda *a, **k: written.append(a[0]) or real(*a, **k))
    seen = []
    from letterkit.merge import run

    real_validate = run.validate
    monkeypatch.setattr(
        run, "validate", lambda data, *rest: seen.append(len(written)) or real_validate(data, *rest)
    )
    merge(write_csv(tmp_path, [HEADER, *ROWS]), base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert seen[:3] == [0, 0, 0] and len(written) == 3


def test_resume_keeps_existing_files_and_completes_the_set(tmp_path):
    source = write_csv(tmp_path, [HEADER, *ROWS])
    out = tmp_path / "out"
    first = merge(source, base=BASE, out_dir=out, fmt="eml", name="{recipient.last_name}")
    (out / "Gruber.eml").unlink()  # as if the run had been interrupted before this one
    before = (out / "Patel.eml").read_bytes()
    second = merge(source, base=BASE, out_dir=out, fmt="eml", name="{recipient.last_name}")
    assert [r.status for r in first.results] == ["written"] * 3
    assert [r.status for r in second.results] == ["exists", "written", "exists"]
    assert (out / "Patel.eml").read_bytes() == before
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


def test_names_are_safe_and_unique(tmp_path):
    rows = [
        dict(BASE, locale="de-DE", end_date="2026-12-31", recipient={"company": "A", "last_name": name})
        for name in ("../../evil", "Meier", "meier", "CON")
    ]
    report = merge(rows, out_dir=tmp_path / "out", fmt="txt", name="{recipient.last_name}")
    files = [r.file for r in report.results]
    assert files == ["evil.txt", "Meier.txt", "meier-2.txt", "_CON.txt"]
    assert all(Path(tmp_path / "out" / f).parent == tmp_path / "out" for f in files)


def test_python_iterable_of_dicts_and_dotted_keys(tmp_path):
    rows = [
        {
            "locale": "en-US",
            "end_date": "2026-12-31",
            "recipient.company": "Acme Inc.",
            "recipient.last_name": "Doe",
            "recipient.gender": "female",
        }
    ]
    report = merge(iter(rows), base=BASE, out_dir=tmp_path, fmt="txt")
    assert report.ok
    assert "Dear Ms. Doe:" in (tmp_path / report.results[0].file).read_text(encoding="utf-8")


def test_check_only_writes_nothing(tmp_path):
    report = merge(write_csv(tmp_path, [HEADER, *ROWS]), base=BASE, out_dir=tmp_path / "out", check=True)
    assert [r.status for r in report.results] == ["valid"] * 3
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "content,message",
    [
        ("", "is empty"),
        (HEADER + "\n", "has a header but no rows"),
        (
            HEADER.replace("recipient.email", "recipient.last_name") + "\n" + ROWS[0] + "\n",
            "appear more than once",
        ),
        (
            HEADER.replace("recipient.last_name", "recipient.lastname") + "\n" + ROWS[0] + "\n",
            "'recipient.lastname' (did you mean 'recipient.last_name'?)",
        ),
    ],
)
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        merge(path, base=BASE, out_dir=tmp_path / "out")
    assert message in str(info.value) and str(path) in str(info.value)
    assert not (tmp_path / "out").exists()


def test_column_mapping_for_german_headers(tmp_path):
    path = write_csv(
        tmp_path,
        ["Sprache;Firma;Anrede;Nachname;Kündigung zum", "de-DE;Beispiel AG;female;Schneider;31.12.2026"],
    )
    mapping = {
        "Sprache": "locale",
        "Firma": "recipient.company",
        "Anrede": "recipient.gender",
        "Nachname": "recipient.last_name",
        "Kündigung zum": "end_date",
    }
    report = merge(path, base=BASE, out_dir=tmp_path / "out", fmt="txt", columns=mapping)
    assert report.ok, report.failed


def test_xlsx_with_sheets_formulas_merged_cells_and_serial_dates(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Kunden"
    sheet.append(
        [
            "locale",
            "recipient.company",
            "recipient.last_name",
            "recipient.gender",
            "end_date",
            "final_invoice.amount",
        ]
    )
    sheet.append(["de-DE", "Beispiel AG", "Schneider", "female", 46387, 1190.5])
    sheet.append(["de-DE", "Beispiel AG", "Weber", "male", "2026-12-31", "=100+50"])
    sheet.append(["de-DE", None, "Klein", "male", "2026-12-31", 10])
    sheet.merge_cells("B3:B4")
    other = book.create_sheet("Notizen")
    other.append(["note"])
    other.append(["x"])
    path = tmp_path / "clients.xlsx"
    book.save(path)
    with pytest.raises(
        SourceError, match="several sheets with data \\(Kunden, Notizen\\); choose one with --sheet"
    ):
        merge(path, base=BASE, out_dir=tmp_path / "out")
    report = merge(path, base=BASE, out_dir=tmp_path / "out", fmt="txt", sheet="Kunden")
    statuses = {r.row: r.status for r in report.results}
    assert statuses == {2: "written", 3: "failed", 4: "written"}
    assert "formula =100+50 without a saved result" in report.failed[0].problems[0]
    first = (tmp_path / "out" / report.results[0].file).read_text(encoding="utf-8")
    assert "31. Dezember 2026" in first and "1.190,50 €" in first
    assert "Beispiel AG" in (tmp_path / "out" / report.results[2].file).read_text(encoding="utf-8")


def test_a_row_of_formulas_without_saved_results_fails_and_is_not_skipped_as_blank(tmp_path):
    # a sheet written by a script (never opened in Excel) keeps formulas without results:
    # a row made only of them looks empty but is a record, and must not vanish silently
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "recipient.company", "recipient.last_name", "recipient.gender", "end_date"])
    sheet.append(["de-DE", "Beispiel AG", "Schneider", "female", "2026-12-31"])
    sheet.append(["=A2", "=B2", '=CONCAT("Weber")', "=D2", "=E2"])
    path = tmp_path / "clients.xlsx"
    book.save(path)
    report = merge(path, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert {r.row: r.status for r in report.results} == {2: "written", 3: "failed"}
    assert "formula =A2 without a saved result" in report.failed[0].problems[0]


def test_formulas_saved_with_an_empty_result_are_empty_cells(tmp_path):
    # Excel and LibreOffice save =IF(...;"";...) as t="str" with an empty value; openpyxl
    # reads it as None, like a formula never calculated. Such a row below the data is blank,
    # and such a cell in a record is empty: neither is "a formula without a saved result".
    import re
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["locale", "recipient.company", "recipient.last_name", "recipient.gender", "end_date", "recipient.first_name"])
    sheet.append(["de-DE", "Beispiel AG", "Schneider", "female", "2026-12-31", '=IF(A2="x","y","")'])
    sheet.append(['=IF(A2="","",A2)', '=IF(B2="","",B2)', None, None, None, None])
    written = tmp_path / "written.xlsx"
    book.save(written)
    path = tmp_path / "clients.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":  # as Excel saves a formula whose result is ""
                data = re.sub(rb'<c r="([A-Z]+\d+)"([^>]*)><f>', rb'<c r="\1"\2 t="str"><f>', data)
            target.writestr(name, data)
    report = merge(path, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert {r.row: r.status for r in report.results} == {2: "written"}


def test_jsonl_and_yaml_sources(tmp_path):
    record = dict(BASE, locale="de-DE", end_date="2026-12-31", recipient={"company": "Beispiel AG"})
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text(json.dumps(record, default=str) + "\n{broken\n", encoding="utf-8")
    report = merge(jsonl, out_dir=tmp_path / "a", fmt="txt")
    assert [r.status for r in report.results] == ["written", "failed"]
    assert "is not valid JSON" in report.failed[0].problems[0]
    yml = tmp_path / "rows.yaml"
    yml.write_text(yaml.safe_dump([record], allow_unicode=True), encoding="utf-8")
    assert merge(yml, out_dir=tmp_path / "b", fmt="txt").ok


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(LetterkitError, match=r"file is a file, not a folder; choose another folder with -o"):
        merge(write_csv(tmp_path, [HEADER, *ROWS]), base=BASE, out_dir=blocker / "out")


def test_cli_merge_report_and_exit_code(tmp_path):
    source = write_csv(tmp_path, [HEADER, ROWS[0], "de-DE;X;Dr.;Y;y@example.com;1;2026-12-31;1"])
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main,
        [
            "merge",
            str(source),
            "--base",
            str(base),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "txt",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 1
    assert f"{source}: row 3: recipient.gender: 'Dr.' is not allowed" in result.output
    assert "1 written, 0 kept from an earlier run, 1 failed." in result.output
    outcome = json.loads(report.read_text(encoding="utf-8"))
    assert [r["status"] for r in outcome["results"]] == ["written", "failed"]


@pytest.mark.parametrize("name", ["report.csv", "report.json"])
def test_an_earlier_report_goes_when_the_run_begins_and_a_file_of_yours_is_refused(tmp_path, name, monkeypatch):
    # a run killed before it writes its report (kill -9) must not leave the last run's behind
    import sys

    merge_module = sys.modules["letterkit.merge"]  # the package (letterkit.merge is also the function)

    source = write_csv(tmp_path, [HEADER, *ROWS])
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    report = tmp_path / name
    argv = ["merge", str(source), "--base", str(base), "-o", str(tmp_path / "out"), "--format", "txt"]
    assert CliRunner().invoke(main, [*argv, "--report", str(report)]).exit_code == 0
    assert report.stat().st_size > 0
    seen: list[bool] = []

    def killed(*args, **kwargs):  # the run ends before its report, as under kill -9
        seen.append(report.exists())
        raise KeyboardInterrupt

    monkeypatch.setattr(merge_module, "merge", killed)
    CliRunner().invoke(main, [*argv, "--report", str(report)])
    assert seen == [False]  # gone before the rows were read
    monkeypatch.undo()
    own = tmp_path / "mine.csv"
    own.write_text("Kunde;Betrag\nBeispiel AG;100\n", encoding="utf-8")
    refused = CliRunner().invoke(main, [*argv, "--report", str(own)])
    assert refused.exit_code != 0 and "is no report of a merge" in refused.output
    assert own.read_text(encoding="utf-8") == "Kunde;Betrag\nBeispiel AG;100\n"


def test_merged_letter_equals_generated_letter(tmp_path):
    data = yaml.safe_load(
        (Path(__file__).parent.parent / "samples" / "de-DE-wartungsvertrag.yaml").read_text("utf-8")
    )
    report = merge([data], out_dir=tmp_path, fmt="docx", name="x{recipient.last_name}")
    assert (tmp_path / "xSchneider.docx").read_bytes() == letterkit.render(letterkit.compose(data), "docx")
    assert report.ok


def test_combined_document_has_every_letter_on_its_own_page(tmp_path):
    import docx

    source = write_csv(tmp_path, [HEADER, *ROWS])
    report = merge(source, base=BASE, out_dir=tmp_path / "out", combined=tmp_path / "all.docx")
    assert report.combined == str(tmp_path / "all.docx")
    document = docx.Document(str(tmp_path / "all.docx"))
    assert len(document.sections) == 3
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.index("Schneider") < text.index("Gruber") < text.index("Patel")
    with pytest.raises(LetterkitError, match=r"needs \.docx letters"):
        merge(source, base=BASE, out_dir=tmp_path / "eml", fmt="eml", combined=tmp_path / "x.docx")


def test_the_merge_sample_works_from_the_cli(tmp_path):
    samples = Path(__file__).resolve().parent.parent / "samples" / "merge"
    result = CliRunner().invoke(
        main,
        [
            "merge",
            str(samples / "clients.csv"),
            "--base",
            str(samples / "base.yaml"),
            "-o",
            str(tmp_path),
            "--format",
            "txt",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "3 written, 0 kept from an earlier run, 0 failed." in result.output
    assert "Guten Tag, Kim Kleinmann," in (tmp_path / "0004-Kleinmann.txt").read_text(encoding="utf-8")


def test_shared_base_fields_are_validated_once_and_read_the_same(tmp_path):
    """The memo of the base's validated fields gives every row the Termination it would get
    alone; a row that overrides a base field (its own sender name) gets its own value; a
    base mapping that has a problem is reported for every row, not remembered as valid."""
    from letterkit.merge.columns import deep_merge
    from letterkit.model import ValidationMemo, validate

    base = {**BASE, "sender": dict(BASE["sender"])}
    memo = ValidationMemo(base)
    rows = [
        {
            "locale": "de-DE",
            "end_date": "2026-12-31",
            "recipient": {"company": "A AG", "last_name": "Alt", "gender": "male"},
        },
        {"locale": "en-GB", "end_date": "2026-12-31", "recipient": {"company": "B Ltd", "last_name": "Bell"}},
        {
            "locale": "de-DE",
            "end_date": "2026-12-31",
            "recipient": {"company": "C AG"},
            "sender": {"name": "Jo Neu"},
        },
        {"locale": "de-DE", "end_date": "2026-12-31", "recipient": {"company": "D AG", "last_name": "Dorn"}},
    ]
    for row in rows:
        data = deep_merge(base, row)
        assert validate(data, memo=memo) == validate(data)
    assert validate(deep_merge(base, rows[2]), memo=memo).sender.name == "Jo Neu"
    assert any(key[2] == "sender" for key in memo.results)  # the shared sender was remembered

    broken = {**BASE, "sender": {**BASE["sender"], "email": "kein-at-zeichen"}}
    memo = ValidationMemo(broken)
    for row in rows[:2]:
        with pytest.raises(letterkit.InputError) as info:
            validate(deep_merge(broken, row), memo=memo)
        assert any(p.path == "sender.email" for p in info.value.problems)


def test_a_base_changed_while_the_rows_are_read_does_not_change_the_letters(tmp_path):
    base = {**BASE, "sender": dict(BASE["sender"])}

    def rows():
        for number, name in enumerate(["Alt", "Bell", "Dorn"]):
            base["sender"]["name"] = f"Geändert {number}"  # a caller's script mutating its base
            yield {
                "locale": "de-DE",
                "end_date": "2026-12-31",
                "recipient.company": f"{name} AG",
                "recipient.last_name": name,
            }

    report = merge(rows(), base=base, out_dir=tmp_path, fmt="txt")
    assert report.ok
    for result in report.results:
        text = (tmp_path / result.file).read_text(encoding="utf-8")
        assert BASE["sender"]["name"] in text and "Geändert" not in text
