"""A send resumed on a later day, from the CLI, against a real aiosmtpd server on
localhost: the emails were made yesterday (no date in the input: a letter is dated the day
it is made), some were sent; today's run says one clear line per email, and a file that
was sent is never replaced, not with --force either."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)
SENDER = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}
NAMES = [f"000{i + 1}-Kunde{i}.eml" for i in range(4)]


def rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "locale": "de-DE",
            "end_date": (TODAY + timedelta(days=90)).isoformat(),
            "recipient": {
                "company": f"Kunde {i} AG",
                "last_name": f"Kunde{i}",
                "email": f"kunde{i}@example.com",
            },
        }
        for i in range(n)
    ]


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


class Inbox:
    """Counts what arrives, by envelope recipient."""

    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"

    @property
    def addresses(self) -> Counter[str]:
        return Counter(address for recipients in self.delivered for address in recipients)


@pytest.fixture
def day_one(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``day_one(sent)``: yesterday's run made the four emails (dated yesterday) and sent
    the first ``sent``; gives the inbox and today's command (no date in --base)."""

    def run(sent: int) -> tuple[Inbox, list[str]]:
        inbox = Inbox()
        settings = server(inbox)
        monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
        monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
        data = write_yaml(tmp_path / "rows.yaml", rows(4))
        command = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", "--no-dry-run"]
        yesterday = write_yaml(tmp_path / "base-day1.yaml", {"sender": SENDER, "date": YESTERDAY})
        first = CliRunner().invoke(main, [*command, "--base", str(yesterday), "--limit", str(sent)])
        assert first.exit_code == 0 and len(inbox.delivered) == sent, first.output
        today = write_yaml(tmp_path / "base.yaml", {"sender": SENDER})
        return inbox, [*command, "--base", str(today)]

    return run


def lines_about(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if name in line]


# 1. one clear line per email


def test_a_later_day_says_one_line_per_email_and_no_already_exists(day_one):
    inbox, command = day_one(sent=2)
    again = CliRunner().invoke(main, command)
    assert again.exit_code == 1, again.output  # two wait for the user's choice
    assert "already exists" not in again.output and "from an earlier run with other data" not in again.output
    for i, name in enumerate(NAMES):
        (line,) = lines_about(again.output, name)
        if i < 2:
            assert line.startswith(f"already sent: {name} to kunde{i}@example.com on {TODAY}")
        else:
            assert line.startswith(f"not sent: {name} holds an email made earlier (dated {YESTERDAY})")
    lines = again.output.splitlines()
    assert (
        lines[0]
        == "0 written, 0 kept from an earlier run, 0 failed; 4 emails made earlier left as they are (see below)."
    )
    assert lines[-1] == "0 sent, 2 already sent, 0 uncertain, 2 failed."
    assert len(inbox.delivered) == 2


def test_a_later_day_when_everything_was_sent_is_no_failure(day_one):
    inbox, command = day_one(sent=4)
    for dry_run in (True, False):
        again = CliRunner().invoke(main, [c for c in command if not (dry_run and c == "--no-dry-run")])
        assert again.exit_code == 0, again.output
        assert "already exists" not in again.output
        lines = again.output.splitlines()
        assert lines[1:-1] == [
            f"already sent: {name} to kunde{i}@example.com on {TODAY} (the file is kept as it was)"
            for i, name in enumerate(NAMES)
        ]
        last = "0 would be sent" if dry_run else "0 sent"
        assert lines[-1] == f"{last}, 4 already sent, 0 uncertain, 0 failed."
    assert len(inbox.delivered) == 4


def test_a_later_day_dry_run_still_fails_for_the_emails_that_wait_for_a_choice(day_one):
    _, command = day_one(sent=2)
    dry = CliRunner().invoke(main, [c for c in command if c != "--no-dry-run"])
    assert dry.exit_code == 1, dry.output
    assert "already exists" not in dry.output
    assert dry.output.splitlines()[-1] == "0 would be sent, 2 already sent, 0 uncertain, 2 failed."
