"""Merge fixes from the fifth acceptance run (client lists written by a tester)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
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
    assert "Wir konzentrieren uns auf Webdesign (ab 2027)!" in [
        b.text for b in letterkit.compose(data).blocks
    ]


def _attachments(path: Path) -> list[tuple[str, int]]:
    from email import message_from_bytes, policy

    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    return [(part.get_filename(), len(part.get_content())) for part in message.iter_attachments()]


def test_an_empty_attachment_fails_its_row(tmp_path):
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "R-1.pdf").write_bytes(b"")  # an export that failed
    (tmp_path / "inv" / "R-2.pdf").write_bytes(b"%PDF-1.7 real")
    data = [
        dict(row, **{"contract.reference": f"R-{i + 1}", "recipient.email": f"k{i}@example.com"})
        for i, row in enumerate(rows(2))
    ]
    report = merge(
        data,
        base=BASE,
        out_dir=tmp_path / "out",
        fmt="eml",
        attachments=[str(tmp_path / "inv" / "{contract.reference}.pdf")],
    )
    first, second = report.results
    assert first.status == "failed" and "is empty (0 bytes)" in first.problems[0]
    assert second.status == "written"
    with pytest.raises(Exception, match="is empty"):
        merge(
            data,
            base=BASE,
            out_dir=tmp_path / "out2",
            fmt="eml",
            attachments=[str(tmp_path / "inv" / "R-1.pdf")],
        )


def test_the_letter_as_pdf_is_named_for_the_client_not_by_row_number(tmp_path):
    data = [dict(rows(1)[0], **{"contract.reference": "W-2041", "recipient.email": "k@example.com"})]
    report = merge(data, base=BASE, out_dir=tmp_path, fmt="eml", attach_pdf=True)
    assert report.ok
    ((name, size),) = _attachments(tmp_path / report.results[0].file)
    assert name == "Kündigungsschreiben-W-2041.pdf" and size > 1000


def _csv(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = "de-DE;Kunde GmbH;Muster;2026-12-31;Weg 1;80331;München"
HEADER = "locale;recipient.company;recipient.last_name;end_date;recipient.street;recipient.postal_code;recipient.city"


def base_file(tmp_path: Path) -> Path:
    path = tmp_path / "base.yaml"
    path.write_text(yaml.safe_dump(BASE, allow_unicode=True), encoding="utf-8")
    return path


def test_an_unwritable_report_or_combined_file_is_refused_before_any_letter(tmp_path):
    source, out = _csv(tmp_path, [HEADER, GOOD]), tmp_path / "out"

    def merge_to(option: str, target: Path):
        argv = ["merge", str(source), "--base", str(base_file(tmp_path)), "-o", str(out), option, str(target)]
        return CliRunner().invoke(main, argv)

    for option, target in (("--report", "missing/r.csv"), ("--combined", "missing/all.docx")):
        result = merge_to(option, tmp_path / target)
        assert result.exit_code != 0 and "does not exist" in result.output, result.output
        assert not out.exists()
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        result = merge_to("--report", locked / "r.csv")
        assert "cannot create files in the folder" in result.output and not out.exists()
        assert "(permission denied)" in result.output


def test_every_row_failed_writes_no_folder(tmp_path):
    source = _csv(tmp_path, [HEADER, GOOD.replace("2026-12-31", "gestern")])
    report = merge(source, base=BASE, out_dir=tmp_path / "out")
    assert report.count("failed") == 1 and not (tmp_path / "out").exists()


def test_ctrl_c_while_checking_says_nothing_was_written(tmp_path, monkeypatch):
    from letterkit.merge import run

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "_check_row", interrupted)
    source = _csv(tmp_path, [HEADER, GOOD])
    result = CliRunner().invoke(
        main, ["merge", str(source), "--base", str(base_file(tmp_path)), "-o", str(tmp_path / "o")]
    )
    assert (
        result.exit_code == 130
        and "Interrupted while checking the rows; nothing was written." in result.output
    )


def test_dates_with_slashes_are_read_as_the_rows_locale_writes_them():
    from letterkit.model import validate

    def end(locale: str, text: str):
        data = {"locale": locale, "date": "2026-11-26", "end_date": text}
        data |= {"sender": {"company": "A", "name": "B"}, "recipient": {"company": "C"}}
        return validate(data).end_date.isoformat()

    assert (
        end("en-US", "12/31/2026") == end("en-GB", "31/12/2026") == end("de-DE", "31/12/2026") == "2026-12-31"
    )
    # day and month both 12 or less: either order is a guess, whatever the locale (round 24)
    for locale in ("en-US", "en-GB"):
        with pytest.raises(Exception, match="could be 1 February 2027 or 2 January 2027"):
            end(locale, "01/02/2027")
    with pytest.raises(Exception, match="in en-GB rows write day/month/year"):
        end("en-GB", "12/31/2026")


def test_a_field_given_both_nested_and_dotted_fails_its_row():
    from letterkit.merge.sources import row_from_record

    row = row_from_record(2, {"recipient": {"last_name": "A"}, "recipient.last_name": "B"})
    assert row.error and "recipient.last_name is given twice" in row.error
    assert row_from_record(2, {"recipient": {"company": "A"}, "recipient.last_name": "B"}).error is None


def test_a_broken_jsonl_line_is_described_within_its_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"locale": "de-DE", "end_date": "2026-12-31",\n{"locale": "de-DE", x}\n', encoding="utf-8"
    )
    first, second = merge(path, base=BASE, check=True).results
    assert first.problems == [
        "is not valid JSON: the line ends before its JSON record does (a JSONL line holds one whole record)"
    ]
    assert second.problems == [
        "is not valid JSON: Expecting property name enclosed in double quotes at column 21; correct the line: "
        'each line holds one JSON object in double quotes, such as {"locale": "de-DE", "recipient.last_name": "Muster"}'
    ]


def test_a_refund_of_nothing_reminders_never_sent_and_thanks_from_the_future_are_input_errors():
    from letterkit.errors import InputError
    from letterkit.model import validate

    base = {"locale": "en-GB", "date": "2026-11-26", "end_date": "2026-12-31"}
    base |= {"sender": {"company": "A Ltd", "name": "Bea Berg"}, "recipient": {"company": "C Ltd"}}
    cases = [
        ({"refund": {"amount": 0}}, "refund.amount: 0 refunds nothing"),
        (
            {"final_invoice": {"amount": 400}, "refund": {"amount": 500, "method": "offset"}},
            "more than the final invoice",
        ),
        ({"steps_taken": [{"kind": "reminders", "count": 0}]}, "steps_taken[0].count: 0 says none was sent"),
        ({"thanks": {"since": 2027}}, "thanks.since: 2027 is after the letter's date (2026)"),
    ]
    for extra, message in cases:
        with pytest.raises(InputError) as info:
            validate({**base, **extra})
        assert any(message in str(p) for p in info.value.problems), (extra, info.value.problems)
    # what stays allowed: a refund deducted from a larger invoice, thanks since this year
    validate({**base, "final_invoice": {"amount": 500}, "refund": {"amount": 400, "method": "offset"}})
    validate({**base, "thanks": {"since": 2026}, "steps_taken": [{"kind": "reminders", "count": 2}]})


def _compose(locale: str, **fields):
    import letterkit

    data = {"locale": locale, "end_date": "2026-12-31", "date": "2026-11-26"}
    data |= {"sender": {"company": "A GmbH", "name": "Bea Berg", "email": "bea@a.example"}}
    data |= fields
    return letterkit.compose(data)


def test_the_article_of_a_german_contract_name_follows_its_head_noun():
    for name, phrase in (
        ("Vertrag über Suchmaschinenoptimierung", "den Vertrag über Suchmaschinenoptimierung"),
        ("Wartungsvertrag für die Website", "den Wartungsvertrag für die Website"),
        ("Vertrag zur Website-Pflege", "den Vertrag zur Website-Pflege"),  # not den Vertrag „Vertrag …“
        ("Betreuung", "die Betreuung"),
        ("Hosting-Paket Premium", "das Hosting-Paket Premium"),  # the head noun comes first
    ):
        letter = _compose("de-DE", recipient={"company": "C AG"}, contract={"name": name})
        assert f"kündigen wir {phrase} " in letter.blocks[0].text, letter.blocks[0].text


def test_a_team_salutation_leaves_out_a_leading_article_and_a_bare_surname_line():
    letter = _compose(
        "en-GB", channel="email", recipient={"company": "The Hartford Group", "email": "x@h.example"}
    )
    assert letter.salutation.startswith("Dear Hartford Group team")
    one_word = _compose("en-GB", channel="email", recipient={"company": "The", "email": "x@h.example"})
    assert "Dear The team" in one_word.salutation  # nothing left but the article: kept
    address = {
        "company": "Smith & Sons GmbH",
        "last_name": "Smith",
        "street": "Weg 1",
        "postal_code": "10115",
        "city": "Berlin",
    }
    assert _compose("de-DE", recipient=address).recipient_address == (
        "Smith & Sons GmbH",
        "Weg 1",
        "10115 Berlin",
    )
    alone = {"last_name": "Roth", "street": "Weg 1", "postal_code": "10115", "city": "Berlin"}
    assert _compose("de-DE", recipient=alone).recipient_address[0] == "Roth"  # the only name: kept


def test_an_email_lists_its_enclosures_as_attachments_and_warns_when_none_is_attached(tmp_path):
    from email import message_from_bytes, policy

    import letterkit

    data = {"locale": "de-DE", "channel": "email", "end_date": "2026-12-31", "date": "2026-11-26"}
    data |= {"sender": {"company": "A GmbH", "name": "Bea Berg", "email": "bea@a.example"}}
    data |= {
        "recipient": {"company": "C AG", "email": "c@c.example"},
        "enclosures": ["Schlussrechnung Nr. 7"],
    }
    message = message_from_bytes(letterkit.render(letterkit.compose(data), "eml"), policy=policy.default)
    assert "Anhang:\r\nSchlussrechnung Nr. 7" in message.get_body(("plain",)).get_content()
    assert "Anhang:<br>" in message.get_body(("html",)).get_content()
    english = {**data, "locale": "en-GB", "enclosures": ["Final invoice", "Handover notes"]}
    plain = message_from_bytes(letterkit.render(letterkit.compose(english), "eml"), policy=policy.default)
    assert "Attachments:\r\nFinal invoice\r\nHandover notes" in plain.get_body(("plain",)).get_content()
    path = tmp_path / "in.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", str(path), "-o", str(tmp_path / "out.eml")])
    assert (
        result.exit_code == 0
        and "the email lists enclosures (Schlussrechnung Nr. 7) but attaches no file" in result.output
    )
    row = {k: v for k, v in data.items() if k not in ("sender", "date")}
    report = merge([row], base=BASE, out_dir=tmp_path / "mails", fmt="eml")
    assert any("attaches no file" in p for p in report.results[0].problems)


def test_a_phone_number_in_groups_stays_on_one_line_of_a_text_letter():
    from letterkit.render.typography import NBSP, glue

    assert glue("unter +41 44 123 45 67 an") == f"unter +41{NBSP}44{NBSP}123{NBSP}45{NBSP}67 an"
    assert glue("am 3 Tagen") == "am 3 Tagen"  # a number before a word stays as it is


def test_mrs_and_miss_are_kept_in_english_letters():
    def letter(locale: str, **recipient):
        person = {
            "first_name": "Eva",
            "last_name": "Roth",
            "street": "1 High St",
            "postal_code": "M1 1AA",
            "city": "Manchester",
        }
        return _compose(locale, recipient={**person, **recipient})

    for fields, locale, salutation, address in (
        ({"gender": "Mrs"}, "en-GB", "Dear Mrs Roth", "Mrs Eva Roth"),
        ({"gender": "female", "title": "Mrs"}, "en-GB", "Dear Mrs Roth", "Mrs Eva Roth"),
        ({"gender": "female", "courtesy": "Miss"}, "en-US", "Dear Miss Roth:", "Miss Eva Roth"),
        ({"gender": "MRS."}, "en-US", "Dear Mrs. Roth:", "Mrs. Eva Roth"),
        ({"gender": "female"}, "en-GB", "Dear Ms Roth", "Ms Eva Roth"),
        ({"gender": "Mrs"}, "de-DE", "Sehr geehrte Frau Roth,", "Frau Eva Roth"),
    ):
        composed = letter(locale, **fields)
        assert composed.salutation == salutation and composed.recipient_address[0] == address, fields


def test_a_mixed_list_merged_to_letters_attaches_files_to_its_emails(tmp_path):
    from email import message_from_bytes, policy

    terms = tmp_path / "terms.pdf"
    terms.write_bytes(b"%PDF-1.7 terms")
    mail, letter = rows(2)
    mail |= {"channel": "email", "recipient.email": "k@example.com"}
    letter |= {"recipient.street": "Weg 1", "recipient.postal_code": "80331", "recipient.city": "München"}
    report = merge([mail, letter], base=BASE, out_dir=tmp_path / "out", fmt="docx", attachments=[str(terms)])
    assert report.ok and [r.file.rsplit(".", 1)[1] for r in report.results] == ["eml", "docx"]
    message = message_from_bytes(
        (tmp_path / "out" / report.results[0].file).read_bytes(), policy=policy.default
    )
    assert [part.get_filename() for part in message.iter_attachments()] == ["terms.pdf"]
    with pytest.raises(Exception, match="no row of this list is one"):
        merge([letter], base=BASE, out_dir=tmp_path / "out2", fmt="docx", attachments=[str(terms)])


def test_work_that_began_this_year_is_thanked_for_this_year():
    for locale, phrase in (
        ("de-DE", "die Zusammenarbeit in diesem Jahr."),
        ("en-GB", "working with us this year."),
    ):
        letter = _compose(locale, recipient={"company": "C AG"}, thanks={"since": 2026})
        assert any(phrase in block.text for block in letter.blocks), [b.text for b in letter.blocks]
        earlier = _compose(locale, recipient={"company": "C AG"}, thanks={"since": 2021})
        assert any("2021." in block.text for block in earlier.blocks)


def test_review_fixes_courtesy_currency_and_a_failed_email_row(tmp_path):
    from letterkit.errors import InputError
    from letterkit.model import validate

    def recipient(**fields):
        person = {
            "first_name": "Eva",
            "last_name": "Roth",
            "street": "Weg 1",
            "postal_code": "1010",
            "city": "Wien",
        }
        return {**person, **fields}

    austrian = _compose("de-AT", recipient=recipient(gender="Ms", title="Mrs"))
    assert "Mrs" not in austrian.salutation and austrian.recipient_address[0] == "Frau Eva Roth"
    alone = _compose("en-GB", recipient=recipient(courtesy="Mrs", postal_code="M1 1AA", city="Manchester"))
    assert alone.salutation.startswith("Dear Mrs Roth")
    base = {"locale": "de-DE", "end_date": "2026-12-31", "date": "2026-11-26"}
    base |= {"sender": {"company": "A GmbH", "name": "Bea Berg"}}
    with pytest.raises(InputError, match="addresses a woman"):
        validate({**base, "recipient": {"last_name": "Roth", "gender": "male", "courtesy": "Mrs"}})
    with pytest.raises(InputError, match="more than the final invoice"):
        validate(
            {
                **base,
                "recipient": {"company": "C AG"},
                "final_invoice": {"amount": 100},
                "refund": {"amount": 500, "method": "offset", "currency": "EUR"},
            }
        )
    terms = tmp_path / "terms.pdf"
    terms.write_bytes(b"%PDF terms")
    letter_row, mail_row = rows(2)
    letter_row |= {"recipient.street": "Weg 1", "recipient.postal_code": "80331", "recipient.city": "München"}
    mail_row |= {"channel": "email", "recipient.email": "k@example.com", "end_date": "gestern"}
    report = merge([letter_row, mail_row], base=BASE, check=True, fmt="docx", attachments=[str(terms)])
    assert report.results[1].status == "failed" and "end_date" in report.results[1].problems[0]


def test_a_name_set_in_one_branch_only_is_not_baked_into_a_part_skeleton():
    from letterkit import parts

    source = "{% if short %}{% set greeting = 'Hi' %}{% endif %}{{ greeting }} {{ name }}."
    parts._SKELETONS.pop(source, None)
    for context in (
        {"short": False, "greeting": "Sehr geehrte Frau", "name": "Roth"},
        {"short": False, "greeting": "Liebe", "name": "Eva"},
        {"short": True, "greeting": "X", "name": "Kim"},
    ):
        assert parts._skeleton_render(source, context) == parts._render(source, context)


def test_the_pdf_attached_to_an_email_is_the_printed_letter(tmp_path, monkeypatch):
    from letterkit.render import pdf

    printed = []
    monkeypatch.setattr(
        pdf, "render_pdf", lambda letter, template=None: printed.append(letter) or b"%PDF-1.7 x"
    )
    data = [dict(rows(1)[0], **{"contract.reference": "W-7", "recipient.email": "k@example.com"})]
    data[0]["enclosures"] = ["Schlussrechnung"]
    report = merge(data, base=BASE, out_dir=tmp_path / "m", fmt="eml", attach_pdf=True)
    assert (
        report.ok and printed[-1].channel == "letter" and printed[-1].enclosures_label == "Anlage"
    )  # one enclosure
    single = tmp_path / "in.yaml"
    single.write_text(
        yaml.safe_dump(
            {
                **BASE,
                "locale": "de-DE",
                "end_date": "2026-12-31",
                "recipient": {"company": "C AG", "email": "c@c.example"},
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["generate", str(single), "-o", str(tmp_path / "x.eml"), "--attach-letter-pdf"]
    )
    assert result.exit_code == 0, result.output
    assert printed[-1].channel == "letter"


def test_python_rows_take_list_cells_as_a_csv_does():
    row = dict(rows(1)[0], reasons="capacity;scope", enclosures="Rechnung; Protokoll")
    report = merge([row], base=BASE, check=True)
    assert report.ok, report.results[0].problems


def test_the_letters_own_pdf_does_not_silence_the_missing_enclosures_warning(tmp_path, monkeypatch):
    from letterkit.render import pdf
    from letterkit.render.typography import NBSP, glue

    monkeypatch.setattr(pdf, "render_pdf", lambda letter, template=None: b"%PDF-1.7 x")
    row = dict(rows(1)[0], **{"recipient.email": "k@example.com"}, enclosures=["Schlussrechnung"])
    report = merge([row], base=BASE, out_dir=tmp_path, fmt="eml", attach_pdf=True)
    assert any("attaches no file" in p for p in report.results[0].problems)
    assert glue("Dear Mrs Roth and Mr. Hughes") == f"Dear Mrs{NBSP}Roth and Mr.{NBSP}Hughes"
