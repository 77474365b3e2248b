"""SMTP settings as users write them wrong (tester7): a port out of range was tried and
reported as "Connection refused"; a host with its port ('smtp.example.com:587') or as a
URL ('smtp://smtp.example.com') was looked up as a name ("Name or service not known").
Each is now a settings error that says what to write, before anything is tried."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit.errors import LetterkitError
from letterkit.merge.send import smtp_settings


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "SECURITY", "USER", "TIMEOUT", "CAFILE", "PASSWORD"):
        monkeypatch.delenv(f"LETTERKIT_SMTP_{name}", raising=False)


def _settings(tmp_path: Path, text: str) -> str:
    config = tmp_path / "smtp.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(LetterkitError) as caught:
        smtp_settings(config)
    return str(caught.value)


@pytest.mark.parametrize("port", ["70000", "0", "-25"])
def test_a_port_out_of_range_is_a_settings_error(tmp_path: Path, port: str) -> None:
    assert f"SMTP port '{port}' is not a port number (1 to 65535)" in _settings(tmp_path, f"host: localhost\nport: {port}\n")


def test_a_host_with_its_port_says_to_give_the_port_apart(tmp_path: Path) -> None:
    message = _settings(tmp_path, "host: smtp.example.com:587\n")
    assert "SMTP host 'smtp.example.com:587'" in message and "port: 587" in message and "host: smtp.example.com" in message


def test_a_host_written_as_a_url_says_to_give_the_name_alone(tmp_path: Path) -> None:
    message = _settings(tmp_path, "host: smtp://smtp.example.com\nport: 587\n")
    assert "SMTP host 'smtp://smtp.example.com'" in message and "host: smtp.example.com" in message


def test_a_plain_host_an_ipv6_address_and_an_ip_pass(tmp_path: Path) -> None:
    for host in ("smtp.example.com", "::1", "127.0.0.1"):
        config = tmp_path / "smtp.yaml"
        config.write_text(f'host: "{host}"\nport: 587\n', encoding="utf-8")
        assert smtp_settings(config).host == host


def test_a_cafile_that_holds_no_certificate_says_so_not_cannot_connect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from letterkit.merge.send import SendOptions, send_folder

    (tmp_path / "notes.pem").write_text("host: smtp.example.com\n", encoding="utf-8")
    config = tmp_path / "smtp.yaml"
    config.write_text(f"host: 127.0.0.1\nport: 9\nsecurity: ssl\ncafile: {tmp_path / 'notes.pem'}\n", encoding="utf-8")
    email = tmp_path / "0001-A.eml"
    email.write_bytes(b"From: a@example.de\r\nTo: b@example.com\r\nSubject: x\r\nMessage-ID: <1@example.de>\r\n\r\nx\r\n")
    with pytest.raises(LetterkitError) as caught:
        send_folder([email], tmp_path, smtp_settings(config), SendOptions(dry_run=False)).run()
    message = str(caught.value)
    assert "notes.pem' holds no certificate" in message and "-----BEGIN CERTIFICATE-----" in message
    assert "cannot connect" not in message


def test_a_cafile_with_a_certificate_gives_a_context(tmp_path: Path) -> None:
    from conftest import self_signed_certificate

    certificate, _ = self_signed_certificate(tmp_path)
    config = tmp_path / "smtp.yaml"
    config.write_text(f"host: localhost\nport: 465\ncafile: {certificate}\n", encoding="utf-8")
    assert smtp_settings(config).context() is not None
