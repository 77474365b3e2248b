"""Shared fixtures: a valid input dict per locale and a writer for temporary input files."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import ssl
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# The day letters without a date are dated, and the day "today" is for the checks that
# compare with it (an end date that has passed): fixed, so that the suite's dates (end
# dates of 2026-12-31 and later) stay ahead of it on whatever day the suite runs. It is
# inherited by the CLI run in subprocesses too.
os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(2026, 11, 27, 12, tzinfo=timezone.utc).timestamp()))
SAMPLES = ROOT / "samples"

BASE: dict[str, Any] = {
    "locale": "de-DE",
    "date": "2026-11-26",
    "sender": {
        "company": "Muster Webdesign GmbH",
        "name": "Erika Muster",
        "street": "Hauptstraße 1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
        "email": "erika.muster@example.de",
    },
    "recipient": {
        "company": "Beispiel AG",
        "gender": "female",
        "first_name": "Anna",
        "last_name": "Schneider",
        "street": "Nebenweg 2",
        "postal_code": "80331",
        "city": "München",
        "country": "DE",
    },
    "end_date": "2026-12-31",
}


@pytest.fixture
def base() -> dict[str, Any]:
    """A minimal valid input (de-DE); tests change a copy."""
    return copy.deepcopy(BASE)


@pytest.fixture
def write_input(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a dict (or raw text) as a YAML input file and return its path."""

    def write(data: dict[str, Any] | str, name: str = "client.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


# --- a real SMTP server on localhost (aiosmtpd), for the sending tests ------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(autouse=True)
def own_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test its own user data folder: the record of the emails sent from every output
    folder (merge/sent_index.py) lives there, and the tests send the same emails (the same
    rows make the same Message-IDs) from folders of their own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(autouse=True)
def no_smtp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own LETTERKIT_SMTP_* settings must not leak into the tests."""
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "TIMEOUT"):
        monkeypatch.delenv(f"LETTERKIT_SMTP_{name}", raising=False)


@pytest.fixture
def send_list(tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``send_list(handler, rows)``: a local SMTP server with ``handler`` in the environment's
    settings, and a client list of ``rows`` (Kunde0 AG, kunde0@example.com, …) with its
    sender in a --base file; gives the ``merge … --send --no-dry-run`` arguments without -o."""
    import yaml

    def make(handler: Any, rows: int) -> list[str]:
        settings = server(handler)
        monkeypatch.setenv("LETTERKIT_SMTP_HOST", str(settings.host))
        monkeypatch.setenv("LETTERKIT_SMTP_PORT", str(settings.port))
        data = [
            {
                "locale": "de-DE",
                "date": "2026-11-26",
                "end_date": "2027-03-31",
                "recipient": {"company": f"Kunde {i} AG", "last_name": f"Kunde{i}", "email": f"kunde{i}@example.com"},
            }
            for i in range(rows)
        ]
        sender = {"company": "Müller & Söhne GmbH", "name": "Jürgen Müller", "city": "Köln", "email": "j@example.de"}
        source, base = tmp_path / "rows.yaml", tmp_path / "base.yaml"
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        base.write_text(yaml.safe_dump({"sender": sender}, allow_unicode=True), encoding="utf-8")
        return ["merge", str(source), "--base", str(base), "--send", "--no-dry-run"]

    return make


@pytest.fixture
def server() -> Any:
    """``server(handler, **controller_options)`` starts an aiosmtpd server on a free port and
    gives its SMTPSettings; every server started is stopped after the test."""
    from aiosmtpd.controller import Controller

    from letterkit.merge.send import SMTPSettings

    started: list[Any] = []

    def start(handler: Any, **controller_options: Any) -> SMTPSettings:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **controller_options)
        controller.start()
        started.append(controller)
        return SMTPSettings(host="127.0.0.1", port=port, timeout=5)

    yield start
    for controller in started:
        controller.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key in ``folder``, made with the
    openssl command (the test is skipped where there is none)."""
    if not shutil.which("openssl"):
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def untrusted_tls(tmp_path: Path) -> ssl.SSLContext:
    """A server's TLS context with a self-signed certificate this process does not trust."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*self_signed_certificate(tmp_path))
    return context


@pytest.fixture
def composed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """The rows whose letter a merge composes (in this process), in order; the test gets a
    cache folder of its own (the records of what a merge wrote live there)."""
    from letterkit.merge import produce

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rows: list[int] = []
    real = produce._composed

    def counted(job: Any, *args: Any) -> Any:
        rows.append(job.row)
        return real(job, *args)

    monkeypatch.setattr(produce, "_composed", counted)
    return rows
