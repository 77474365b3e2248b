"""The send's lines show an internationalised address in its own letters (kunde@bücher.de),
not in the ASCII form the email carries (xn--bcher-kva.de; tester7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.merge.send import shown


class Inbox:
    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 OK"


def test_shown_decodes_only_valid_encoded_domains() -> None:
    assert shown(["kunde+crm@xn--bcher-kva.de", "a@example.com", "x@xn--zz.de"]) == (
        "kunde+crm@bücher.de, a@example.com, x@xn--zz.de"
    )


@pytest.mark.parametrize("dry", [True, False])
def test_the_send_lines_show_the_address_as_written(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch, dry: bool) -> None:
    inbox = Inbox()
    settings = server(inbox)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
    row = {
        "locale": "de-DE",
        "date": "2026-11-26",
        "end_date": "2027-03-31",
        "sender": {"company": "Müller GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"},
        "recipient": {"company": "Bücher AG", "last_name": "Kunde", "email": "kunde@bücher.de"},
    }
    data = tmp_path / "rows.yaml"
    data.write_text(yaml.safe_dump([row], allow_unicode=True), encoding="utf-8")
    command = ["merge", str(data), "-o", str(tmp_path / "out"), "--send", *([] if dry else ["--no-dry-run"])]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    assert "to kunde@bücher.de" in result.output and "xn--" not in result.output
    assert inbox.delivered == ([] if dry else [["kunde@xn--bcher-kva.de"]])
