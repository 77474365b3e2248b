"""Send merged .eml files by SMTP, safely: dry run by default, a limit, a rate, and a
sent-log so that a resumed run never sends a message twice.

Before a message goes out its Message-ID is logged as ``sending``; after the server
accepts it, as ``sent``. A message left at ``sending`` (the connection dropped while
it was being sent) may or may not have arrived: it is not sent again unless the
user says so (``retry_uncertain``), after checking.
"""

from __future__ import annotations

import contextlib
import json
import os
import smtplib
import ssl
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from ..errors import LetterkitError, SourceError

SENT_LOG = ".letterkit-sent.jsonl"
ENV = {
    "host": "LETTERKIT_SMTP_HOST",
    "port": "LETTERKIT_SMTP_PORT",
    "security": "LETTERKIT_SMTP_SECURITY",
    "username": "LETTERKIT_SMTP_USER",
}
PASSWORD_ENV = "LETTERKIT_SMTP_PASSWORD"


@dataclass(frozen=True)
class SMTPSettings:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class SendOptions:
    dry_run: bool = True
    limit: int | None = None
    rate: float | None = None  # messages per minute
    retry_uncertain: bool = False


class SendError(LetterkitError):
    """The SMTP server could not be reached or refused the login."""


def smtp_settings(config: str | Path | None = None, password: str | None = None) -> SMTPSettings:
    """Settings from a YAML/JSON/TOML file and LETTERKIT_SMTP_* variables (these win);
    the password only from the argument or LETTERKIT_SMTP_PASSWORD, never from a file."""
    values: dict[str, Any] = {}
    if config:
        values.update(_read_config(Path(config)))
    for key, variable in ENV.items():
        if os.environ.get(variable):
            values[key] = os.environ[variable]
    if "password" in values:
        raise SourceError("must not hold the password; set LETTERKIT_SMTP_PASSWORD instead", str(config))
    security = str(values.get("security", "none")).lower()
    if security not in ("none", "starttls", "ssl"):
        raise LetterkitError(f"SMTP security '{security}' is not one of none, starttls, ssl")
    default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
    try:
        port = int(values.get("port", default_port))
    except ValueError:
        raise LetterkitError(f"SMTP port '{values['port']}' is not a number") from None
    return SMTPSettings(
        host=str(values.get("host", "localhost")),
        port=port,
        security=security,
        username=values.get("username"),
        password=password or os.environ.get(PASSWORD_ENV),
    )


def _read_config(path: Path) -> dict[str, Any]:
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8")).get("smtp", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SourceError(f"cannot be read ({exc})", str(path)) from None
    else:
        from ..sources import read_input

        raw, _ = read_input(path)
        data = raw.get("smtp", raw) if isinstance(raw, dict) else None
    if not isinstance(data, dict):
        raise SourceError("expected SMTP settings (host, port, security, username)", str(path))
    unknown = sorted(set(data) - {"host", "port", "security", "username", "password"})
    if unknown:
        raise SourceError(f"unknown SMTP setting(s) {', '.join(unknown)}", str(path))
    return data


class SentLog:
    """The append-only record of what was sent from one folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SENT_LOG
        self.state: dict[str, str] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.state[entry["id"]] = entry["state"]
                except (ValueError, KeyError):
                    continue  # a line cut by a crash: the entry before it still counts

    def record(self, message_id: str, file: str, state: str) -> None:
        entry = {
            "id": message_id,
            "file": file,
            "state": state,
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.state[message_id] = state


def _envelope(data: bytes, path: Path) -> tuple[str, list[str], str, str]:
    message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    sender = getaddresses([str(message.get("From", ""))])
    recipients = [addr for _, addr in getaddresses([str(v) for v in message.get_all("To", [])]) if addr]
    message_id = str(message.get("Message-ID", "")).strip()
    if not sender or not sender[0][1] or not recipients or not message_id:
        raise SourceError("is not a complete email (needs From, To and Message-ID)", str(path))
    return sender[0][1], recipients, message_id, str(message.get("Subject", ""))


class _Connection:
    """One SMTP connection, opened on first use and reopened after a drop."""

    def __init__(self, settings: SMTPSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = self._open()
        return self.smtp

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password or "")
        except smtplib.SMTPAuthenticationError:
            raise SendError(
                f"the SMTP server {s.host} refused the login for {s.username}; "
                f"check LETTERKIT_SMTP_USER and {PASSWORD_ENV}"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot connect to the SMTP server {s.host}:{s.port} ({exc})") from None
        return smtp

    def drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
            self.smtp = None


def send_folder(
    files: Sequence[Path], folder: Path, settings: SMTPSettings, options: SendOptions
) -> Iterator[str]:
    """Send each file; yields one line per message saying what happened (the CLI prints them)."""
    log = SentLog(folder)
    connection = _Connection(settings)
    sent = 0
    try:
        for path in files:
            if options.limit is not None and sent >= options.limit:
                yield f"limit of {options.limit} reached; run again to send the rest"
                return
            data = path.read_bytes()
            sender, recipients, message_id, subject = _envelope(data, path)
            state = log.state.get(message_id)
            if state == "sent":
                yield f"already sent: {path.name}"
                continue
            if state == "sending" and not options.retry_uncertain:
                yield (
                    f"uncertain: {path.name} — the connection dropped while it was being sent; check "
                    "whether it arrived, then use --retry-uncertain to send it again"
                )
                continue
            if options.dry_run:
                yield f"would send: {path.name} to {', '.join(recipients)}: {subject}"
                sent += 1
                continue
            yield _send_one(connection, log, path, data, sender, recipients, message_id)
            sent += 1
            if options.rate:
                time.sleep(60.0 / options.rate)
    finally:
        connection.close()


def _send_one(
    connection: _Connection,
    log: SentLog,
    path: Path,
    data: bytes,
    sender: str,
    recipients: list[str],
    message_id: str,
) -> str:
    smtp = connection.get()  # a failure to connect is no uncertainty: nothing was sent
    log.record(message_id, path.name, "sending")
    try:
        refused = smtp.sendmail(sender, recipients, data)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        log.record(message_id, path.name, "refused")
        return f"refused: {path.name} ({exc})"
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        connection.drop()
        return f"uncertain: {path.name} — the connection dropped ({exc}); check before retrying"
    log.record(message_id, path.name, "sent")
    if refused:
        return f"sent: {path.name} (refused for {', '.join(refused)})"
    return f"sent: {path.name} to {', '.join(recipients)}"
