"""A merge row by row: its channel decides letter or email, its name does not depend on
other rows being valid, a file from an earlier run is only kept when it is this row's
letter, and one row's surprise never stops the others."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pytest
from test_merge import BASE, write_csv

from letterkit.merge import merge, produce, run

HEADER = "locale;channel;recipient.company;recipient.gender;recipient.last_name;recipient.email;contract.reference;end_date"


ADDRESS = ";recipient.street;recipient.postal_code;recipient.city"
AT = ";Nebenweg 2;80331;München"


def rows(*lines: str) -> list[str]:
    return [HEADER, *lines]


def test_each_row_goes_out_on_its_own_channel(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path,
        [
            HEADER + ADDRESS,
            "de-DE;email;Beispiel AG;female;Schneider;anna@example.com;W-1;2026-12-31;;;",
            "de-DE;letter;Gruber GmbH;male;Gruber;max@example.at;W-2;2026-12-31" + AT,
            "en-GB;;Patel Ltd;female;Patel;priya@example.co.uk;S-3;2026-12-31;;;",
        ],
    )
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="docx", name="{recipient.last_name}.docx")
    assert [r.file for r in report.results] == ["Schneider.eml", "Gruber.docx", "Patel.docx"]
    message = email.message_from_bytes(
        (tmp_path / "out" / "Schneider.eml").read_bytes(), policy=policy.default
    )
    plain = message.get_body(("plain",)).get_content()
    assert "dieser E-Mail" in plain or "Freundliche Grüße" in plain
    assert "Mit freundlichen Grüßen" not in plain


def test_emails_use_the_email_wording_when_the_rows_name_no_channel(tmp_path: Path) -> None:
    source = write_csv(tmp_path, rows("de-DE;;Beispiel AG;female;Schneider;anna@example.com;W-1;2026-12-31"))
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="eml")
    (result,) = report.results
    message = email.message_from_bytes((tmp_path / "out" / result.file).read_bytes(), policy=policy.default)
    plain = message.get_body(("plain",)).get_content()
    assert "Freundliche Grüße" in plain and "dieses Schreibens" not in plain


def test_a_letter_row_in_an_email_merge_becomes_a_docx(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path,
        [
            HEADER + ADDRESS,
            "de-DE;letter;Beispiel AG;female;Schneider;;W-1;2026-12-31" + AT,
            "de-DE;;Gruber GmbH;male;Gruber;max@example.at;W-2;2026-12-31;;;",
            "de-DE;letter;Huber GmbH;male;Huber;h@example.at;W-3;2026-12-31;;;",
        ],
    )
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="eml", name="{recipient.last_name}")
    assert [(r.status, r.file) for r in report.results] == [
        ("written", "Schneider.docx"),
        ("written", "Gruber.eml"),
        ("failed", ""),
    ]
    problems = " ".join(report.results[2].problems)
    assert "recipient.street" in problems and "recipient.city" in problems  # a printed letter needs them


MEIERS = [
    "de-DE;;A GmbH;female;Meier;anna@example.com;A-1;2026-12-31",
    "de-DE;;B GmbH;{gender};Meier;bernd@example.com;B-2;2026-12-31",
    "de-DE;;C GmbH;female;Meier;carla@example.com;C-3;2026-12-31",
]


@pytest.mark.parametrize("fmt", ["txt", "eml"])
def test_fixing_a_failed_row_does_not_hand_its_name_to_another_client(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    broken = write_csv(tmp_path, rows(*(line.format(gender="w?") for line in MEIERS)), name="v1.csv")
    first = merge(broken, base=BASE, out_dir=out, fmt=fmt, name="{recipient.last_name}")
    assert [r.status for r in first.results] == ["written", "failed", "written"]
    assert not (out / f"Meier-2.{fmt}").exists()
    fixed = write_csv(tmp_path, rows(*(line.format(gender="male") for line in MEIERS)), name="v2.csv")
    second = merge(fixed, base=BASE, out_dir=out, fmt=fmt, name="{recipient.last_name}")
    assert [(r.status, r.file) for r in second.results] == [
        ("exists", f"Meier.{fmt}"),
        ("written", f"Meier-2.{fmt}"),
        ("exists", f"Meier-3.{fmt}"),
    ]
    assert "B-2" in (out / f"Meier-2.{fmt}").read_text(encoding="utf-8")
    assert "C-3" in (out / f"Meier-3.{fmt}").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["txt", "docx", "eml"])
def test_a_file_holding_another_letter_is_never_taken_for_this_rows(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    first = write_csv(tmp_path, rows(MEIERS[0].format(), MEIERS[2].format()), name="v1.csv")
    merge(first, base=BASE, out_dir=out, fmt=fmt, name="{recipient.last_name}")
    before = (out / f"Meier-2.{fmt}").read_bytes()
    other = write_csv(tmp_path, rows(MEIERS[0].format(), MEIERS[1].format(gender="male")), name="v2.csv")
    report = merge(other, base=BASE, out_dir=out, fmt=fmt, name="{recipient.last_name}")
    assert [r.status for r in report.results] == ["exists", "failed"]
    assert (
        "Meier-2" in report.results[1].problems[0] and "holds another letter" in report.results[1].problems[0]
    )
    assert (out / f"Meier-2.{fmt}").read_bytes() == before
    forced = merge(other, base=BASE, out_dir=out, fmt=fmt, name="{recipient.last_name}", force=True)
    assert [r.status for r in forced.results] == ["written", "written"]


def test_check_reports_blame_in_the_users_own_reason_note(tmp_path: Path) -> None:
    """The tone check of reason_note runs in the first pass: --check and the real run agree."""
    header = HEADER + ";reason_note"
    lines = [
        header,
        "de-DE;;A GmbH;female;Meier;anna@example.com;A-1;2026-12-31;",
        "de-DE;;B GmbH;male;Huber;bernd@example.com;B-2;2026-12-31;Sie haben ständig Termine versäumt.",
    ]
    source = write_csv(tmp_path, lines)
    checked = merge(source, base=BASE, check=True)
    real = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert [r.status for r in checked.results] == ["valid", "failed"]
    assert [r.status for r in real.results] == ["written", "failed"]
    assert checked.results[1].problems == real.results[1].problems
    assert all(p.startswith("reason_note:") for p in real.results[1].problems)
    assert real.results[1].file == ""


def test_an_unforeseen_error_in_one_row_leaves_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    compose_module = importlib.import_module("letterkit.compose")
    real = compose_module.compose

    def fragile(termination):  # type: ignore[no-untyped-def]
        if termination.recipient.last_name == "Gruber":
            raise ZeroDivisionError("boom")
        return real(termination)

    monkeypatch.setattr(compose_module, "compose", fragile)
    monkeypatch.setattr(run, "KEEP_VALIDATED", 0)
    source = write_csv(
        tmp_path,
        rows(
            "de-DE;;A GmbH;female;Meier;anna@example.com;A-1;2026-12-31",
            "de-DE;;G GmbH;male;Gruber;max@example.at;G-2;2026-12-31",
            "de-DE;;C GmbH;female;Huber;carla@example.com;C-3;2026-12-31",
        ),
    )
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="txt")
    assert [r.status for r in report.results] == ["written", "failed", "written"]
    assert "ZeroDivisionError: boom" in report.results[1].problems[0]
    assert "bug in letterkit" in report.results[1].problems[0]


def test_a_mistake_in_the_base_is_reported_once_for_the_base(tmp_path: Path) -> None:
    import yaml

    from letterkit.errors import InputError

    base = tmp_path / "base.yaml"
    broken = dict(BASE, recipent={"last_name": "X"}, date="31.02.2026")
    base.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    lines = [MEIERS[0].format()] * 50
    with pytest.raises(InputError) as caught:
        merge(write_csv(tmp_path, rows(*lines)), base=base, check=True)
    assert caught.value.source == str(base)
    assert sorted(p.path for p in caught.value.problems) == ["date", "recipent"]
    assert "did you mean 'recipient'" in str(caught.value)
    assert merge(write_csv(tmp_path, rows(*lines)), base=BASE, check=True).ok  # a sound base passes


def test_report_cells_cannot_become_spreadsheet_formulas(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path,
        rows(
            'de-DE;;=HYPERLINK("http://evil");female;=cmd|x;anna@example.com;A-1;2026-12-31',
            "de-DE;;+B GmbH;w?;Meier;bernd@example.com;B-2;2026-12-31",
        ),
    )
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="txt", name="{recipient.company}")
    lines = report.to_csv().splitlines()[1:]
    cells = [line.split(",", 2)[2] for line in lines]
    assert all(not cell.lstrip('"').startswith(("=", "+", "-", "@")) for cell in cells), cells


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("{recipient.lastname}.docx", "did you mean {recipient.last_name}?"),
        ("{recipient.__class__}", "is not an input key"),
        ("{recipient}", "is a group of fields"),
    ],
)
def test_a_name_pattern_must_name_input_values(tmp_path: Path, pattern: str, says: str) -> None:
    from letterkit.errors import LetterkitError

    with pytest.raises(LetterkitError, match=re.escape(says)):
        merge(write_csv(tmp_path, rows(MEIERS[0].format())), base=BASE, check=True, name=pattern)


def test_the_combined_document_is_a_docx_and_made_again_on_a_rerun(tmp_path: Path) -> None:
    from letterkit.errors import LetterkitError

    lines = [MEIERS[0].format(), MEIERS[1].format(gender="w?"), MEIERS[2].format()]
    source = write_csv(tmp_path, rows(*lines))
    with pytest.raises(LetterkitError, match=r"name it \*\.docx"):
        merge(source, base=BASE, out_dir=tmp_path / "out", combined=tmp_path / "all.pdf")
    combined = tmp_path / "all.docx"
    merge(source, base=BASE, out_dir=tmp_path / "out", combined=combined)
    first = combined.read_bytes()
    fixed = write_csv(tmp_path, rows(MEIERS[0].format(), MEIERS[1].format(gender="male"), MEIERS[2].format()))
    report = merge(fixed, base=BASE, out_dir=tmp_path / "out", combined=combined)
    assert report.count("written") == 1 and report.count("exists") == 2
    assert combined.read_bytes() != first
    import docx

    assert sum(1 for p in docx.Document(str(combined)).paragraphs if "B-2" in p.text) >= 1


def test_generate_to_eml_writes_the_email_wording_when_the_input_names_no_channel(tmp_path: Path) -> None:
    import yaml
    from click.testing import CliRunner

    from letterkit.cli import main

    data = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "samples" / "de-DE-wartungsvertrag.yaml").read_text("utf-8")
    )
    assert data.pop("channel") == "letter"
    sample = tmp_path / "client.yaml"
    sample.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(sample), "-o", str(tmp_path / "m.eml")])
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes((tmp_path / "m.eml").read_bytes(), policy=policy.default)
    plain = message.get_body(("plain",)).get_content()
    assert "Freundliche Grüße" in plain and "Mit freundlichen Grüßen" not in plain
    result = CliRunner().invoke(main, ["generate", str(sample), "-o", str(tmp_path / "l.txt")])
    assert "Mit freundlichen Grüßen" in (tmp_path / "l.txt").read_text(encoding="utf-8")


def test_several_worker_processes_write_the_same_set(tmp_path: Path) -> None:
    """--jobs 2 hands letters to workers in batches: the files and the report, row by row,
    are what one process writes (failed rows, both channels, more rows than one batch)."""
    lines = []
    for number in range(produce.BATCH * 2 + 7):
        channel = "email" if number % 5 == 0 else ""
        gender = "w?" if number % 11 == 3 else "female"
        lines.append(
            f"de-DE;{channel};Firma {number} AG;{gender};Meier{number % 4};m{number}@example.com;R-{number};2026-12-31"
        )
    source = write_csv(tmp_path, rows(*lines))
    one = merge(source, base=BASE, out_dir=tmp_path / "one", fmt="txt")
    two = merge(source, base=BASE, out_dir=tmp_path / "two", fmt="txt", jobs=2)
    assert two.to_csv() == one.to_csv()
    assert one.count("failed") == 7 and {Path(r.file).suffix for r in one.results if r.file} == {
        ".txt",
        ".eml",
    }
    files = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    assert {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()} == files


def _varied_lines(count: int) -> list[str]:
    lines = []
    for number in range(count):
        channel = "email" if number % 5 == 0 else ""
        gender = "w?" if number % 11 == 3 else "female"
        lines.append(
            f"de-DE;{channel};Firma {number} AG;{gender};Meier{number % 4};m{number}@example.com;R-{number};2026-12-31"
        )
    return lines


@pytest.mark.skipif(not produce.can_fork(), reason="the workers are forked copies of the merge")
def test_forked_workers_are_sent_no_job_and_read_a_plan_kept_on_disk(tmp_path: Path, monkeypatch) -> None:
    """The workers are copies of the merge made after the check: they find the rows' jobs
    themselves, so none is pickled to them; the plan of the rows (beyond RowLog's first rows,
    in a file the copies share) is read by each without moving the others' place in it; the
    rows beyond the validated input kept from the check are read again by each."""
    from letterkit.merge import results

    def not_sent(self: object, protocol: int) -> object:
        raise AssertionError("a job was pickled for a worker")

    monkeypatch.setattr(results, "IN_MEMORY", 5)
    monkeypatch.setattr(run, "KEEP_VALIDATED", 20)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH * 5 + 3)))
    one = merge(source, base=BASE, out_dir=tmp_path / "one", fmt="txt")
    monkeypatch.setattr(produce.Job, "__reduce_ex__", not_sent)
    two = merge(source, base=BASE, out_dir=tmp_path / "two", fmt="txt", jobs=2)
    assert two.to_csv() == one.to_csv() and one.count("failed") == 15
    files = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    assert {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()} == files
    again = merge(source, base=BASE, out_dir=tmp_path / "two", fmt="txt", jobs=2)
    assert again.count("exists") == one.count("written") and again.count("written") == 0


def test_letters_of_one_batch_are_made_here_whatever_jobs_says(tmp_path: Path, monkeypatch) -> None:
    """A worker per batch at most: a list of one batch is made in the merge's own process
    (a worker would only add its start), however many --jobs are asked for."""

    def no_workers(*args: object) -> None:
        raise AssertionError("workers started for one batch")

    monkeypatch.setattr(produce, "_forked", no_workers)
    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_workers)
    source = write_csv(tmp_path, rows(*_varied_lines(produce.BATCH)))
    report = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="txt", jobs=4)
    assert report.count("written") == produce.BATCH - 3 and report.count("failed") == 3


@pytest.mark.parametrize("change", ["gender", "first_name"])
def test_an_email_is_not_kept_when_the_rows_salutation_or_name_changed(tmp_path: Path, change: str) -> None:
    """The same end date, reference and body, but another salutation or To name: the email
    on disk is not this row's any more (it would otherwise be sent as it is)."""
    header = HEADER + ";recipient.first_name"
    before = "de-DE;;B GmbH;female;Meier;bernd@example.com;B-2;2026-12-31;Berta"
    after = before.replace("female", "male") if change == "gender" else before.replace("Berta", "Berthe")
    out = tmp_path / "out"
    merge(write_csv(tmp_path, [header, before], name="v1.csv"), base=BASE, out_dir=out, fmt="eml")
    report = merge(write_csv(tmp_path, [header, after], name="v2.csv"), base=BASE, out_dir=out, fmt="eml")
    assert [r.status for r in report.results] == ["failed"]
    assert "holds another letter" in report.results[0].problems[0]
    again = merge(write_csv(tmp_path, [header, before], name="v3.csv"), base=BASE, out_dir=out, fmt="eml")
    assert [r.status for r in again.results] == ["exists"]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--report", "r.xlsx"], "the report is a .csv or .json file"),
        (["--check", "--send"], "cannot go with --check"),
        (
            ["--name", "{recipient.last_name}.docx", "--format", "txt"],
            "--name ends in .docx but --format is txt",
        ),
        (["--name", "{recipient.last_name!r}"], "only {row} takes a format"),
        (["--name", "{contract.reference:>10}"], "only {row} takes a format"),
    ],
)
def test_merge_options_that_cannot_work_are_refused(tmp_path: Path, extra: list[str], says: str) -> None:
    from click.testing import CliRunner

    from letterkit.cli import main

    source = write_csv(tmp_path, rows(MEIERS[0].format()))
    result = CliRunner().invoke(main, ["merge", str(source), "-o", str(tmp_path / "out"), *extra])
    assert result.exit_code in (1, 2) and says in result.output, result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_emails_signature_block_starts_with_the_rfc_3676_separator(tmp_path: Path) -> None:
    source = write_csv(tmp_path, rows("de-DE;;Beispiel AG;female;Schneider;anna@example.com;W-1;2026-12-31"))
    (result,) = merge(source, base=BASE, out_dir=tmp_path / "out", fmt="eml").results
    message = email.message_from_bytes((tmp_path / "out" / result.file).read_bytes(), policy=policy.default)
    lines = message.get_body(("plain",)).get_content().splitlines()
    assert "-- " in lines and "--" not in lines


def test_channel_as_german_exports_write_it(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path,
        [
            HEADER + ADDRESS,
            "de-DE;E-Mail;Beispiel AG;female;Schneider;anna@example.com;W-1;2026-12-31;;;",
            "de-DE;Brief;Gruber GmbH;male;Gruber;max@example.at;W-2;2026-12-31" + AT,
            "de-DE;Fax;Huber GmbH;male;Huber;h@example.at;W-3;2026-12-31" + AT,
        ],
    )
    report = merge(source, base=BASE, out_dir=tmp_path / "out", name="{recipient.last_name}")
    assert [(r.status, r.file) for r in report.results] == [
        ("written", "Schneider.eml"),
        ("written", "Gruber.docx"),
        ("failed", ""),
    ]
    assert "'Fax' is not allowed" in report.results[2].problems[0]


def test_names_damaged_on_their_way_into_the_file_fail_their_rows(tmp_path: Path) -> None:
    # the letter would greet "Herr M\ufffdller", "Frau KÃ¼hn" or "Herr ¯ó³æ": lost text, not names
    lines = rows(
        "de-DE;email;Beispiel AG;male;M\ufffdller;m1@example.com;W-1;2026-12-31",
        "de-DE;email;Beispiel AG;female;KÃ¼hn;m2@example.com;W-2;2026-12-31",
        "de-DE;email;£ódŸ Sp. z o.o.;male;¯ó³æ;m3@example.com;W-3;2026-12-31",
        "de-DE;email;Brand® GmbH;male;O´Brien;m4@example.com;W-4;2026-12-31",  # typed so
        "de-DE;email;Łódź Sp. z o.o.;male;Żółć;m5@example.com;W-5;2026-12-31",  # read right
    )
    source = tmp_path / "clients.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = merge(source, base=BASE, check=True)
    assert [r.status for r in report.results] == ["failed", "failed", "failed", "valid", "valid"]
    first, second, third = (r.problems for r in report.failed)
    assert first[0].startswith("recipient.last_name: 'M\ufffdller' holds the replacement character")
    assert "looks like 'Kühn' encoded twice" in second[0]
    assert any("recipient.company: '£ódŸ Sp. z o.o.' has signs that are no letters (£)" in p for p in third)
    assert any("recipient.last_name: '¯ó³æ' has signs that are no letters (¯ ³)" in p for p in third)
    assert all('save the list as "CSV UTF-8"' in p for p in first + second + third)


def test_an_end_date_that_has_passed_is_named_for_its_row_and_by_generate(tmp_path: Path) -> None:
    # a --base copied with an old date lets such a letter through validation (the end date is
    # after the letter's date), and the client would read of an end on a day gone by
    import yaml
    from click.testing import CliRunner

    from letterkit.cli import main
    from letterkit.model import current_day

    assert str(current_day()) == "2026-11-27"  # SOURCE_DATE_EPOCH, set for the suite
    old = {**BASE, "date": "2026-01-01"}
    source = write_csv(
        tmp_path,
        rows(
            "de-DE;email;Beispiel AG;male;Alt;alt@example.com;W-1;30.06.2026",
            "de-DE;email;Beispiel AG;male;Neu;neu@example.com;W-2;31.12.2026",
        ),
    )
    report = merge(source, base=old, check=True)
    assert [r.status for r in report.results] == ["valid", "valid"]
    assert report.results[0].problems == [
        "the end date 2026-06-30 has passed (today is 2026-11-27), so the letter ends the contract on a day "
        "gone by; check end_date, and date (the letter is dated 2026-01-01), which an old --base or input may "
        "have set"
    ]
    assert report.results[1].problems == []
    single = tmp_path / "one.yaml"
    single.write_text(
        yaml.safe_dump({**old, "locale": "de-DE", "recipient": {"company": "Beispiel AG"}, "end_date": "2026-06-30"})
    )
    result = CliRunner().invoke(main, ["generate", str(single)])
    assert result.exit_code == 0
    assert "the end date 2026-06-30 has passed (today is 2026-11-27)" in result.output


def test_source_date_epoch_dates_the_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from letterkit.model import current_day

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01 00:00 UTC
    assert current_day() == date(2027, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert current_day() == date.today()


def test_a_yaml_boolean_where_text_belongs_says_to_quote_it(tmp_path: Path) -> None:
    import letterkit

    data = tmp_path / "one.yaml"
    data.write_text(
        "locale: en-GB\nend_date: 2026-12-31\nsender: {company: Acme Ltd, name: Ann Lee}\n"
        "recipient: {company: Fjord AS, country: NO}\n",
        encoding="utf-8",
    )
    with pytest.raises(letterkit.InputError) as info:
        letterkit.compose(data)
    assert 'recipient.country: expected text, got true/false; YAML reads a bare NO' in str(info.value)
    assert 'put the value in quotes, such as country: "NO"' in str(info.value)


def test_a_first_name_without_a_last_name_beside_a_company_fails_its_row(tmp_path: Path) -> None:
    # the address read "Gut GmbH / Frau Anna" and the letter greeted the company: Anna half-named
    import letterkit

    data = {
        "locale": "de-DE",
        "end_date": "2026-12-31",
        "sender": {"company": "Acme GmbH", "name": "Ann Lee"},
        "recipient": {"company": "Gut GmbH", "gender": "female", "first_name": "Anna"},
    }
    with pytest.raises(letterkit.InputError) as info:
        letterkit.compose(data)
    assert "recipient.last_name: required with first_name 'Anna': a first name alone addresses no one" in str(
        info.value
    )
    assert letterkit.compose({**data, "register": "du"}).salutation == "Hallo Anna,"  # du: the first name is it
    whole = {**data, "recipient": {**data["recipient"], "last_name": "Berg"}}
    assert "Frau Anna Berg" in letterkit.compose(whole).recipient_address


def test_the_rows_of_a_run_are_dated_by_its_day_past_midnight_too(tmp_path: Path, monkeypatch) -> None:
    """The day is taken once for the run (also for the end dates that have passed): a run
    that goes on past midnight does not date its first letters one day and the rest the
    next."""
    from datetime import date, datetime, time, timedelta, timezone
    from email.utils import format_datetime

    from letterkit import model
    from letterkit.model import current_day

    days = iter(date(2026, 11, 27) + timedelta(days=n) for n in range(1, 100))
    monkeypatch.setattr(model, "current_day", lambda: next(days))  # each later call: a day on
    source = write_csv(
        tmp_path,
        rows(
            "de-DE;email;Beispiel AG;male;Eins;eins@example.com;W-1;31.12.2026",
            "de-DE;email;Beispiel AG;male;Zwei;zwei@example.com;W-2;31.12.2026",
            "de-DE;email;Beispiel AG;male;Drei;drei@example.com;W-3;31.12.2026",
        ),
    )
    undated = {key: value for key, value in BASE.items() if key != "date"}  # dated the day they are made
    report = merge(source, base=undated, out_dir=tmp_path / "out", fmt="txt")
    assert report.count("written") == 3
    emails = [path.read_bytes() for path in sorted((tmp_path / "out").glob("*.eml"))]
    assert len(emails) == 3
    dated = {line for email in emails for line in email.split(b"\r\n") if line.startswith(b"Date: ")}
    assert dated == {f"Date: {format_datetime(datetime.combine(current_day(), time(9), timezone.utc))}".encode()}
