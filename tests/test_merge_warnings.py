"""A merge says on the terminal what its letters carry besides their text — the tone
model's reading of a row's reason_note, a file named by its row number — and not only in
the --report file: the letter is written, but someone should read it before it is sent."""

from __future__ import annotations

from pathlib import Path

from test_merge import BASE, ROWS, write_csv
from test_merge import HEADER as NO_ADDRESS
from test_merge_qa4 import base_file, run_cli

from letterkit.lint import lint
from letterkit.merge import merge

# blame told as a fact: no rule's wording, the tone model's reading (checked below; "gingen auf
# … aus Ihrem Haus zurück" became a rule's, blame/geht-auf-ihr-konto, in recall36)
NOTE = "Die Verzögerungen der letzten Monate hingen an den Freigaben aus Ihrem Haus."
# with postal addresses: a printed letter without one carries a warning of its own
HEADER = NO_ADDRESS + ";recipient.street;recipient.postal_code;recipient.city"
ADDRESSES = [";Weg 1;80331;München", ";Gasse 2;1010;Wien", ";1 High Street;SW1A 1AA;London"]
LETTERS = [
    row + address
    for row, address in zip(
        ["de-DE;Beispiel AG;female;Schneider;anna@example.com;W-1;31.12.2026;1.190,00 €", *ROWS[1:]],
        ADDRESSES,
        strict=True,
    )
]


def with_note(tmp_path: Path, notes: list[str]) -> Path:
    rows = [f"{row};{note}" for row, note in zip(LETTERS, notes, strict=True)]
    return write_csv(tmp_path, [HEADER + ";reason_note", *rows])


def test_the_note_is_read_by_the_model_alone() -> None:
    """The premise of this file: the note is a warning of the tone model, not a rule's error."""
    assert [f.rule for f in lint(NOTE + "\n", lang="de")] == ["judged/tone"]


def test_a_written_letter_with_a_warning_is_named_on_the_terminal(tmp_path: Path) -> None:
    source = with_note(tmp_path, ["", NOTE, ""])
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "-o", tmp_path / "out")
    assert code == 0, output
    assert f"row 3 (0003-Gruber.docx): warning: judged/tone: {NOTE}" in output
    assert "row 2 " not in output and "row 4 " not in output
    assert "3 written" in output and (tmp_path / "out" / "0003-Gruber.docx").exists()


def test_check_reports_the_warning_too(tmp_path: Path) -> None:
    source = with_note(tmp_path, [NOTE, "", ""])
    report = merge(source, base=BASE, check=True)
    assert report.results[0].problems == [f"judged/tone: {NOTE}"]
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "--check")
    assert code == 0 and f"row 2 (0002-Schneider.docx): warning: judged/tone: {NOTE}" in output


def test_a_written_letter_carries_its_warning_once(tmp_path: Path) -> None:
    """The first pass reads the note too; only the letter's own findings are reported."""
    report = merge(with_note(tmp_path, [NOTE, "", ""]), base=BASE, out_dir=tmp_path / "out")
    assert report.results[0].status == "written"
    assert report.results[0].problems == [f"judged/tone: {NOTE}"]


def test_many_warnings_are_summed_up(tmp_path: Path) -> None:
    rows = [LETTERS[0].replace(";W-1;", f";W-{i};").replace("Schneider", f"Schneider{i}") for i in range(13)]
    source = write_csv(tmp_path, [HEADER + ";reason_note", *[f"{row};{NOTE}" for row in rows]])
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "-o", tmp_path / "out")
    assert code == 0
    # the same warning in 13 rows: printed once, with its rows (the report lists each row's)
    assert output.count(": warning: judged/tone") == 1
    assert "clients.csv: rows 2, 3, 4, 5, 6 and 8 more: warning: judged/tone" in output


def test_many_different_warnings_are_summed_up(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from letterkit import cli

    results = [
        SimpleNamespace(status="written", problems=[f"judged/tone: sentence {n}"], repeats=0, row=n + 2, file="")
        for n in range(13)
    ]
    cli._print_notices(SimpleNamespace(results=results), "clients.csv")
    printed = capsys.readouterr().err
    assert printed.count(": warning: judged/tone") == 10
    assert "clients.csv: 3 more warning(s); --report lists them all" in printed


def test_a_repeated_row_is_named_once_not_as_a_warning_too(tmp_path: Path) -> None:
    source = write_csv(tmp_path, [HEADER, LETTERS[0], LETTERS[0], LETTERS[1]])
    for extra in (["-o", str(tmp_path / "out")], ["--check"]):
        code, output = run_cli("merge", source, "--base", base_file(tmp_path), *extra)
        assert code == 0, output
        assert output.count("repeats row 2") == 1, output
        assert "warning" not in output


def test_a_batch_keeps_each_rows_outcome_and_order(tmp_path: Path, monkeypatch) -> None:
    """Letters are composed, rendered and written a batch at a time (merge/produce.py
    run_phased): a row that fails on the way fails alone, an existing file is judged on its
    own, and the outcomes stay in row order."""
    from letterkit.errors import LetterkitError
    from letterkit.merge import produce

    rows = [LETTERS[0].replace(";W-1;", f";W-{i};").replace("Schneider", f"Schneider{i}") for i in range(40)]
    source = write_csv(tmp_path, [HEADER, *rows])
    out = tmp_path / "out"
    first = merge(source, base=BASE, out_dir=out)
    assert first.count("written") == 40
    (out / first.results[5].file).unlink()
    (out / first.results[10].file).unlink()  # made again (a file known to be its letter is not)
    (out / first.results[36].file).write_bytes(b"someone else's file")
    real = produce._composed

    def failing(job, *args):
        if job.row == 12:
            raise LetterkitError("this row cannot be composed")
        return real(job, *args)

    monkeypatch.setattr(produce, "_composed", failing)
    again = merge(source, base=BASE, out_dir=out)
    statuses = {r.row: r.status for r in again.results}
    assert [r.row for r in again.results] == list(range(2, 42))
    assert statuses[7] == "written" and statuses[12] == "failed" and statuses[38] == "failed"
    assert "this row cannot be composed" in again.results[10].problems[0]
    assert "already exists and holds another letter" in again.results[36].problems[0]
    assert sum(s == "exists" for s in statuses.values()) == 37


def test_a_printed_letter_without_a_postal_address_carries_a_warning(tmp_path: Path) -> None:
    """A row without a channel becomes a letter in a .docx merge; without an address it is
    written (it may be meant for another way) but named on the terminal; with channel:
    letter it fails; an email needs no address."""
    source = write_csv(tmp_path, [NO_ADDRESS, *ROWS[:1]])
    code, output = run_cli("merge", source, "--base", base_file(tmp_path), "-o", tmp_path / "out")
    assert code == 0 and "row 2 (0002-Schneider.docx): warning: the letter has no postal address" in output
    posted = write_csv(tmp_path, ["channel;" + NO_ADDRESS, "Brief;" + ROWS[0]], name="posted.csv")
    report = merge(posted, base=BASE, check=True)
    assert report.results[0].status == "failed" and "postal address" in report.results[0].problems[0]
    emails = merge(source, base=BASE, out_dir=tmp_path / "mails", fmt="eml")
    assert emails.ok and emails.results[0].problems == []
    addressed = merge(with_note(tmp_path, ["", "", ""]), base=BASE, check=True)
    assert all(result.problems == [] for result in addressed.results)
