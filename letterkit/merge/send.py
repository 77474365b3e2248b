"""Send merged .eml files by SMTP, safely: dry run by default, a limit, a rate, and a
sent-log so that a resumed run never sends a message twice.

Before a message goes out its Message-ID is logged as ``sending``; after the server
accepts it, as ``sent``. A message left at ``sending`` (the connection dropped while
it was being sent) may or may not have arrived: it is not sent again unless the
user says so (``retry_uncertain``), after checking.

A password never travels in clear text unless the user chose ``security: none``: the
default, ``auto``, uses SSL on port 465 and STARTTLS whenever the server offers it, and
refuses to log in to a server that offers neither.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import InitVar, dataclass, replace
from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from email.utils import formatdate, getaddresses
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import LetterkitError, SourceError

SENT_LOG = ".letterkit-sent.jsonl"
ENV = {
    "host": "LETTERKIT_SMTP_HOST",
    "port": "LETTERKIT_SMTP_PORT",
    "security": "LETTERKIT_SMTP_SECURITY",
    "username": "LETTERKIT_SMTP_USER",
}
PASSWORD_ENV = "LETTERKIT_SMTP_PASSWORD"
DEFAULT_PORT = {"auto": 25, "starttls": 587, "ssl": 465, "none": 25}
SSL_PORT = 465  # where ``auto`` speaks SSL from the first byte (implicit TLS)


@dataclass(frozen=True)
class SMTPSettings:
    """Where and how to connect. ``security`` is ``auto`` (SSL on port 465, else STARTTLS
    when the server offers it; no login without either), ``starttls`` or ``ssl`` (insist
    on it) or ``none`` (never encrypt: only on a network you trust)."""

    host: str | None = None
    port: int = 25
    security: str = "auto"
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class SendOptions:
    dry_run: bool = True
    limit: int | None = None
    rate: float | None = None  # messages per minute
    retry_uncertain: bool = False
    # asked for the password when the login needs one and the settings hold none: only
    # once the connection is known to be safe for it, and only if a message is to go out
    ask_password: Callable[[], str] | None = None


class SendError(LetterkitError):
    """The SMTP server could not be reached, refused the login, or cannot be used safely."""


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
    security = str(values.get("security", "auto")).lower()
    if security not in DEFAULT_PORT:
        raise LetterkitError(f"SMTP security '{security}' is not one of {', '.join(DEFAULT_PORT)}")
    try:
        port = int(values.get("port", DEFAULT_PORT[security]))
    except ValueError:
        raise LetterkitError(f"SMTP port '{values['port']}' is not a number") from None
    return SMTPSettings(
        host=str(values["host"]) if values.get("host") else None,
        port=port,
        security=security,
        username=values.get("username"),
        password=password or os.environ.get(PASSWORD_ENV) or None,
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


class _Outcome(NamedTuple):
    kind: str  # the SendReport count it adds to
    line: str
    messages: int = 1


@dataclass(eq=False)
class SendReport:
    """How a send went. Iterating it does the sending and yields one line per message
    (the CLI prints them); the counts are complete once the iteration has ended."""

    dry_run: bool
    outcomes: InitVar[Iterator[_Outcome]]
    sent: int = 0  # accepted by the server in this run
    would_send: int = 0  # dry run: would have been sent
    already_sent: int = 0  # sent by an earlier run (the sent-log says so), skipped
    uncertain: int = 0  # the connection dropped mid-message, in this run or an earlier one
    failed: int = 0  # refused by the server, for every recipient or for some
    remaining: int = 0  # not looked at because the limit was reached
    finished: bool = False  # every message was looked at (or the limit reached)

    def __post_init__(self, outcomes: Iterator[_Outcome]) -> None:
        self._outcomes = outcomes

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            outcome = next(self._outcomes)
        except StopIteration:
            self.finished = True
            raise
        setattr(self, outcome.kind, getattr(self, outcome.kind) + outcome.messages)
        return outcome.line

    def run(self) -> SendReport:
        """Send everything, dropping the lines; returns the report with its counts."""
        for _ in self:
            pass
        return self

    @property
    def ok(self) -> bool:
        """The run ended and no message failed or is uncertain: exit code 0, else 1."""
        return self.finished and not self.failed and not self.uncertain

    def summary(self) -> str:
        """One closing line: '3 sent, 1 already sent, 0 uncertain, 0 failed.'"""
        first = f"{self.would_send} would be sent" if self.dry_run else f"{self.sent} sent"
        text = f"{first}, {self.already_sent} already sent, {self.uncertain} uncertain, {self.failed} failed"
        if self.remaining:
            text += f"; {self.remaining} left for the next run (limit reached)"
        return text + "."


class SentLog:
    """The append-only record of what was sent from one folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SENT_LOG
        self.state: dict[str, str] = {}
        if self.path.exists():
            for line in self.path.read_bytes().splitlines():
                entry = _log_entry(line)
                if entry is not None:
                    self.state[entry["id"]] = entry["state"]

    def record(self, message_id: str, file: str, state: str) -> None:
        entry = {
            "id": message_id,
            "file": file,
            "state": state,
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        line = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
        with self.path.open("a+b") as handle:
            if handle.seek(0, os.SEEK_END):
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    line = b"\n" + line  # the last line was cut by a crash: start a new one
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self.state[message_id] = state


def _log_entry(line: bytes) -> dict[str, str] | None:
    """One record of the sent-log; None for a line cut by a crash. A record that an older
    letterkit glued onto such a line is recovered from where it starts."""
    for start in (0, line.rfind(b'{"id": ')):
        try:
            entry = json.loads(line[max(start, 0) :])
            if isinstance(entry["id"], str) and isinstance(entry["state"], str):
                return {"id": entry["id"], "state": entry["state"]}
        except (ValueError, KeyError, TypeError):
            continue
    return None


def _envelope(data: bytes, path: Path) -> tuple[str, list[str], str, str]:
    message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    sender = getaddresses([str(message.get("From", ""))])
    recipients = [addr for _, addr in getaddresses([str(v) for v in message.get_all("To", [])]) if addr]
    message_id = str(message.get("Message-ID", "")).strip()
    if not sender or not sender[0][1] or not recipients or not message_id:
        raise SourceError("is not a complete email (needs From, To and Message-ID)", str(path))
    return sender[0][1], recipients, message_id, str(message.get("Subject", ""))


_HEADER_END = re.compile(rb"\r?\n\r?\n")
_DATE = re.compile(rb"^Date:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", re.IGNORECASE | re.MULTILINE)


def _dated_now(data: bytes) -> bytes:
    """The message with the current date and time in its Date header. The .eml file keeps
    the letter's date (it is deterministic for golden tests and resume); what is sent
    carries the moment it was sent. Nothing else changes, Message-ID included."""
    end = _HEADER_END.search(data)
    split = end.start() if end else len(data)
    head, rest = data[:split], data[split:]
    date = b"Date: " + formatdate(localtime=True).encode("ascii")
    head, found = _DATE.subn(lambda _: date, head, count=1)
    if not found:
        head = date + (b"\r\n" if b"\r\n" in data else b"\n") + head
    return head + rest


class _Connection:
    """One SMTP connection, opened on first use and reopened after a drop."""

    def __init__(self, settings: SMTPSettings, ask_password: Callable[[], str] | None = None) -> None:
        self.settings = settings
        self.ask_password = ask_password
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = self._open()
        return self.smtp

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.security == "ssl" or (s.security == "auto" and s.port == SSL_PORT):
                context = ssl.create_default_context()
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host or "", s.port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host or "", s.port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot connect to the SMTP server {s.host}:{s.port} ({exc})") from None
        with contextlib.ExitStack() as on_failure:
            on_failure.callback(smtp.close)
            try:
                self._secure(smtp)
                if s.username:
                    smtp.ehlo_or_helo_if_needed()  # again after STARTTLS: what it offers now
                    if not smtp.has_extn("auth"):
                        raise SendError(
                            f"the SMTP server {s.host}:{s.port} does not offer login (AUTH); remove "
                            "username from the settings (LETTERKIT_SMTP_USER) or use the server's "
                            "submission port (587 with STARTTLS, 465 with SSL); nothing was sent"
                        )
                    password = s.password
                    if password is None and self.ask_password is not None:
                        # asked once, after the connection proved safe; kept for reconnects
                        password = self.ask_password()
                        if not password:
                            raise SendError(f"no password was given for {s.username}; nothing was sent")
                        self.settings = replace(s, password=password)
                    smtp.login(s.username, password or "")
            except smtplib.SMTPAuthenticationError:
                raise SendError(
                    f"the SMTP server {s.host} refused the login for {s.username}; check the user "
                    f"(LETTERKIT_SMTP_USER) and the password ({PASSWORD_ENV}, or the one typed at the prompt)"
                ) from None
            except ssl.SSLCertVerificationError as exc:
                raise SendError(
                    f"the SMTP server {s.host}:{s.port} offers encryption, but its certificate cannot be "
                    f"verified ({exc.verify_message}); use the server's proper host name, install its "
                    "certificate authority, or, only on a network you trust, set security: none"
                ) from None
            except (OSError, smtplib.SMTPException) as exc:
                raise SendError(f"cannot connect to the SMTP server {s.host}:{s.port} ({exc})") from None
            on_failure.pop_all()
        return smtp

    def _secure(self, smtp: smtplib.SMTP) -> None:
        """STARTTLS when asked for or, with ``auto``, when offered; ``auto`` without it
        still sends, but never logs in: the password would travel in clear text."""
        s = self.settings
        if s.security == "none" or isinstance(smtp, smtplib.SMTP_SSL):
            return
        smtp.ehlo_or_helo_if_needed()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
        elif s.security == "starttls":
            raise SendError(
                f"the SMTP server {s.host}:{s.port} does not offer STARTTLS; use security: ssl "
                "(usually port 465) if it speaks SSL, or check the host and port"
            )
        elif s.username:
            raise SendError(
                f"the SMTP server {s.host}:{s.port} offers no encryption (neither STARTTLS nor SSL), "
                f"so the password for {s.username} would travel in clear text; nothing was sent. "
                "Set security: ssl (usually port 465) or security: starttls (port 587) in the SMTP "
                "settings or LETTERKIT_SMTP_SECURITY, or, only on a network you trust, security: none"
            )

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


def check_settings(settings: SMTPSettings, *, dry_run: bool, can_ask_password: bool) -> None:
    """Raise SendError for what would stop a real send before it starts: no host, or a
    login whose password is neither set nor can be asked for (no terminal: cron, CI,
    ``</dev/null``). The CLI calls it before a merge writes anything; a dry run needs
    neither. (The settings themselves are checked by smtp_settings.)"""
    if dry_run:
        return
    if not settings.host:
        raise SendError(
            f"no SMTP server is set; set {ENV['host']} or 'host:' in the --smtp-config file "
            "(a dry run works without one)"
        )
    if settings.username and settings.password is None and not can_ask_password:
        raise SendError(
            f"the SMTP login for {settings.username} needs a password and there is no terminal to "
            f"ask for it; set {PASSWORD_ENV} (nothing was sent)"
        )


def send_folder(
    files: Sequence[Path], folder: Path, settings: SMTPSettings, options: SendOptions
) -> SendReport:
    """Send each file. Iterate the report to send: it yields one line per message saying
    what happened (the CLI prints them) and then holds the counts (``report.ok``)."""
    check_settings(settings, dry_run=options.dry_run, can_ask_password=options.ask_password is not None)
    return SendReport(options.dry_run, _send_all(files, folder, settings, options))


def _send_all(
    files: Sequence[Path], folder: Path, settings: SMTPSettings, options: SendOptions
) -> Iterator[_Outcome]:
    log = SentLog(folder)
    connection = _Connection(settings, options.ask_password)
    attempted = remaining = 0
    try:
        for path in files:
            data = path.read_bytes()
            sender, recipients, message_id, subject = _envelope(data, path)
            skipped = _skipped(log.state.get(message_id), path, options)
            if skipped:  # already sent or uncertain: counted as such, limit or not
                yield skipped
                continue
            if options.limit is not None and attempted >= options.limit:
                remaining += 1  # only what a next run would send is left for it
                continue
            attempted += 1
            if options.dry_run:
                yield _Outcome("would_send", f"would send: {path.name} to {', '.join(recipients)}: {subject}")
                continue
            yield _send_one(connection, log, path, data, sender, recipients, message_id)
            if options.rate:
                time.sleep(60.0 / options.rate)
        if remaining:
            line = f"limit of {options.limit} reached; run again to send the rest"
            yield _Outcome("remaining", line, remaining)
    finally:
        connection.close()


def _skipped(state: str | None, path: Path, options: SendOptions) -> _Outcome | None:
    """What the sent-log says about a message that must not be sent (again), if anything."""
    if state == "sent":
        return _Outcome("already_sent", f"already sent: {path.name}")
    if state == "sending" and not options.retry_uncertain:
        return _Outcome(
            "uncertain",
            f"uncertain: {path.name} — the connection dropped while it was being sent; check "
            "whether it arrived, then use --retry-uncertain to send it again",
        )
    return None


def _send_one(
    connection: _Connection,
    log: SentLog,
    path: Path,
    data: bytes,
    sender: str,
    recipients: list[str],
    message_id: str,
) -> _Outcome:
    smtp = connection.get()  # a failure to connect is no uncertainty: nothing was sent
    log.record(message_id, path.name, "sending")
    try:
        refused = smtp.sendmail(sender, recipients, _dated_now(data))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        log.record(message_id, path.name, "refused")
        return _Outcome("failed", f"refused: {path.name}: {_refusal(exc)}")
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        connection.drop()
        return _Outcome(
            "uncertain", f"uncertain: {path.name} — the connection dropped ({exc}); check before retrying"
        )
    log.record(message_id, path.name, "sent")
    if refused:
        accepted = [r for r in recipients if r not in refused]
        return _Outcome(
            "failed", f"sent: {path.name} to {', '.join(accepted)}; refused: {_refused_recipients(refused)}"
        )
    return _Outcome("sent", f"sent: {path.name} to {', '.join(recipients)}")


def _reply(code: int, message: bytes | str) -> str:
    """A server's reply as one line of text: '550 5.1.1 no such user'."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return " ".join(f"{code} {text}".split())


def _refused_recipients(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{address}: {_reply(code, message)}" for address, (code, message) in refused.items())


def _refusal(exc: smtplib.SMTPException) -> str:
    """What the server said when it refused a message, in plain text."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _refused_recipients(exc.recipients)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"sender {exc.sender}: {_reply(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    return str(exc)
