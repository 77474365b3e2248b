"""Acceptance round 24, sending: what the tool says was sent must be what was sent.

Against a real aiosmtpd server on localhost: a damaged sent-log stops the send, a row whose
address changed since its email was sent is named (and sent to the new address only when
asked), and the --report carries each row's send outcome."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge import merge
from letterkit.merge.send import SENT_LOG, SendOptions, SentLog, SentLogDamaged, send_folder

BASE = {
    "date": "2026-11-26",
    "sender": {"company": "Muster GmbH", "name": "Erika Muster", "city": "Berlin", "email": "erika@example.de"},
}


def row(i: int, address: str | None = None) -> dict[str, Any]:
    return {
        "locale": "de-DE",
        "channel": "email",
        "end_date": "2026-12-31",
        "recipient": {"company": f"Kunde {i} AG", "last_name": f"Kunde{i}", "email": address or f"k{i}@example.com"},
    }


class Inbox:
    """What arrives, by envelope recipient; refuses the addresses in ``refuse``."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.delivered: list[str] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.extend(envelope.rcpt_tos)
        return "250 OK"

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.delivered)


def made(folder: Path, n: int) -> list[Path]:
    report = merge([row(i) for i in range(n)], base=BASE, out_dir=folder, fmt="eml")
    return [folder / r.file for r in report.results]


def write_yaml(path: Path, data: Any) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def cli(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``cli(rows, *options, inbox=...)``: the merge command on these rows into tmp/out."""
    inboxes: dict[int, Inbox] = {}

    def run(rows: list[dict[str, Any]], *options: str, inbox: Inbox | None = None) -> Any:
        if inbox is not None and id(inbox) not in inboxes:
            inboxes[id(inbox)] = inbox
            settings = server(inbox)
            monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
            monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
        data = write_yaml(tmp_path / "rows.yaml", rows)
        base = write_yaml(tmp_path / "base.yaml", BASE)
        args = ["merge", str(data), "--base", str(base), "-o", str(tmp_path / "out"), *options]
        return CliRunner().invoke(main, args)

    return run


# --- 1. a damaged line in the middle of the sent-log --------------------------------------


@pytest.mark.parametrize("damage", [b"garbage{{", b'{"id": "<abc@exa', b'{"unexpected": 1}'])
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_damaged_line_in_the_middle_of_the_sent_log_stops_the_send(tmp_path, server, damage, dry_run):
    inbox = Inbox()
    settings = server(inbox)
    files = made(tmp_path, 3)
    send_folder(files[:2], tmp_path, settings, SendOptions(dry_run=False)).run()
    log = tmp_path / SENT_LOG
    lines = log.read_bytes().split(b"\n")
    log.write_bytes(b"\n".join([damage, *lines[1:]]))  # the first record (sending) damaged
    with pytest.raises(SentLogDamaged) as info:
        send_folder(files, tmp_path, settings, SendOptions(dry_run=dry_run)).run()
    message = str(info.value)
    assert message.startswith(f"{log}:1: this line of the sent-log is damaged")
    assert "restore the sent-log from a backup" in message and "nothing was sent" in message
    assert inbox.counts == Counter({"k0@example.com": 1, "k1@example.com": 1})


def test_a_cut_last_line_is_passed_over_and_marked_when_the_log_goes_on(tmp_path, server):
    inbox = Inbox()
    settings = server(inbox)
    files = made(tmp_path, 3)
    send_folder(files[:1], tmp_path, settings, SendOptions(dry_run=False)).run()
    log = tmp_path / SENT_LOG
    log.write_bytes(log.read_bytes() + b'{"id": "<abc@exa')  # killed while writing a record
    assert send_folder(files, tmp_path, settings, SendOptions(dry_run=True)).run().would_send == 2
    send_folder(files[:2], tmp_path, settings, SendOptions(dry_run=False)).run()
    lines = log.read_bytes().split(b"\n")
    cut = lines.index(b'{"id": "<abc@exa')
    assert json.loads(lines[cut + 1])["cut"].startswith("the line above was cut off")
    again = send_folder(files, tmp_path, settings, SendOptions(dry_run=False)).run()  # the cut line: in the middle now
    assert (again.already_sent, again.sent) == (2, 1)
    assert inbox.counts == Counter({f"k{i}@example.com": 1 for i in range(3)})


def test_the_cli_stops_on_a_damaged_sent_log_before_writing_or_sending(tmp_path, cli):
    inbox = Inbox()
    rows = [row(i) for i in range(3)]
    first = cli(rows, "--send", "--no-dry-run", "--limit", "1", inbox=inbox)
    assert first.exit_code == 0, first.output
    log = tmp_path / "out" / SENT_LOG
    log.write_bytes(b"garbage{{\n" + log.read_bytes())
    (tmp_path / "out" / "0002-Kunde1.eml").unlink()
    for options in (["--send"], ["--send", "--no-dry-run"], ["--send", "--no-dry-run", "--force"]):
        result = cli(rows, *options, inbox=inbox)
        assert result.exit_code == 1
        assert f"Error: {log}:1: this line of the sent-log is damaged: 'garbage{{{{'" in result.output
        assert "would send" not in result.output and "sent:" not in result.output
        assert not (tmp_path / "out" / "0002-Kunde1.eml").exists()  # nothing written either
    assert inbox.counts == Counter({"k0@example.com": 1})


def test_a_damaged_line_names_the_file_it_seems_to_be_about(tmp_path):
    record = {"id": "<x@y>", "file": "0005-Müller.eml", "to": ["a@example.com"], "state": "sent"}
    text = json.dumps(record, ensure_ascii=False)[:-8]  # its end lost
    (tmp_path / SENT_LOG).write_text(text + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(SentLogDamaged, match="it seems to be about 0005-Müller.eml"):
        SentLog(tmp_path)
