"""A server that greets with a refusal (421 "Service not available, try later", as a busy
or throttling server does) was reported as "cannot connect to the SMTP server ... ((421,
b'4.3.2 Service not available, try later'))", a Python tuple of bytes (tester7). The
reply is said as the server said it, with what to do."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from letterkit.errors import LetterkitError
from letterkit.merge.send import SendOptions, send_folder, smtp_settings


def _refusing_server() -> int:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.sendall(b"421 4.3.2 Service not available, try later\r\n")
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def test_a_refusing_greeting_is_said_as_the_server_said_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("USER", "SECURITY", "CAFILE", "TIMEOUT", "PASSWORD"):
        monkeypatch.delenv(f"LETTERKIT_SMTP_{name}", raising=False)
    monkeypatch.setenv("LETTERKIT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(_refusing_server()))
    email = tmp_path / "0001-A.eml"
    email.write_bytes(
        b"From: a@example.de\r\nTo: b@example.com\r\nSubject: x\r\nMessage-ID: <1@example.de>\r\n\r\nx\r\n"
    )
    with pytest.raises(LetterkitError) as caught:
        send_folder([email], tmp_path, smtp_settings(), SendOptions(dry_run=False)).run()
    message = str(caught.value)
    assert "the server answered 421 4.3.2 Service not available, try later" in message, message
    assert "run the same command again later" in message
    assert "b'" not in message and "(421," not in message
