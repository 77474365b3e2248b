"""--rate spaces the starts of the messages, so a slow server's time is not added to the
interval (tester 34: --rate 40 with a server taking 1.5 s per message gave 20 a minute),
and the SMTP timeout is a setting (config file or LETTERKIT_SMTP_TIMEOUT)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from letterkit.errors import LetterkitError
from letterkit.merge import send
from letterkit.merge.send import SendOptions, smtp_settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


@pytest.mark.parametrize(("server_seconds", "expected"), [(1.5, 0.0), (0.5, 1.0), (0.0, 1.5), (2.0, 0.0)])
def test_the_rate_spaces_the_starts_of_the_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_seconds: float, expected: float
) -> None:
    clock = Clock()
    monkeypatch.setattr(send.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(send.time, "sleep", clock.sleep)

    def slow_send(connection: Any, log: Any, options: Any, message: Any, earlier: Any) -> Any:
        clock.now += server_seconds  # the server takes its time
        return send._Outcome("sent", f"sent: {message.path.name}", accepted=True, file=message.path.name)

    monkeypatch.setattr(send, "_send_one", slow_send)
    files = []
    for number in range(3):
        path = tmp_path / f"{number}.eml"
        path.write_bytes(
            f"From: a@example.com\nTo: k{number}@example.com\nSubject: x\nMessage-ID: <{number}@example.com>\n\nHallo\n".encode()
        )
        files.append(path)
    settings = send.SMTPSettings(host="127.0.0.1", port=2525, timeout=5)
    report = send.send_folder(files, tmp_path, settings, SendOptions(dry_run=False, rate=40)).run()
    assert report.sent == 3
    assert clock.slept == [expected] * 2  # 40 a minute: one start every 1.5 s; no wait after the last


def test_the_timeout_comes_from_the_file_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "smtp.yaml"
    config.write_text("host: mail.example.com\ntimeout: 90\n", encoding="utf-8")
    assert smtp_settings(config).timeout == 90.0
    monkeypatch.setenv("LETTERKIT_SMTP_TIMEOUT", "12.5")
    assert smtp_settings(config).timeout == 12.5
    assert smtp_settings().timeout == 12.5
    monkeypatch.delenv("LETTERKIT_SMTP_TIMEOUT")
    assert smtp_settings().timeout == 30.0


@pytest.mark.parametrize("value", ["0", "-3", "soon", "99999"])
def test_a_bad_timeout_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("LETTERKIT_SMTP_TIMEOUT", value)
    with pytest.raises(LetterkitError, match=r"SMTP timeout .* is not a number of seconds between 0 and 3600"):
        smtp_settings()
