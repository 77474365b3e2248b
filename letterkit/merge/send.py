"""Send merged .eml files by SMTP, safely: dry run by default, a limit, a rate, and a
sent-log so that a resumed run never sends a message twice.

The sent-log knows a message by its Message-ID and by its file name and each recipient's
address, so a message remade on another day (a new date, so a new Message-ID) is still
not sent again to an address that got it. Once the server has accepted the DATA command,
the message is logged as ``sending``; after the server accepts it, as ``sent``. A
message left at ``sending`` (the connection dropped while it was being sent) may or may
not have arrived: it is not sent again unless the user says so (``retry_uncertain``),
after checking. A refusal or a closed connection before that point means nothing was
sent: the message is tried once more on a new connection.

A real send holds an OS lock on a file next to the sent-log, so two runs never send from
one folder at once; the OS releases it when the process ends, however it ends.

A password never travels in clear text unless the user chose ``security: none``: the
default, ``auto``, uses SSL on port 465 and STARTTLS whenever the server offers it, and
refuses to log in to a server that offers neither.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import smtplib
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import InitVar, dataclass, replace
from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from email.utils import formatdate, getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, NamedTuple

from ..errors import LetterkitError, SourceError

SENT_LOG = ".letterkit-sent.jsonl"
SEND_LOCK = ".letterkit-sent.lock"  # next to the sent-log; held while a real send runs
RECONNECT_WAIT = 2.0  # seconds before a message is tried again on a new connection
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


class SendLockedError(SendError):
    """Another process is sending from the same folder; ``holder`` says which and since when."""

    def __init__(self, folder: Path, holder: str) -> None:
        self.folder = folder
        self.holder = holder
        super().__init__(
            f"another send is running on the folder {folder} ({holder}); wait for it to end, then "
            "run again: the sent-log makes it go on where that run stopped (a run that was "
            "killed holds no lock); nothing was sent"
        )


_held = threading.local()  # the send locks this thread holds: lock file -> depth


@contextlib.contextmanager
def sending_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's send lock, or raise SendLockedError at once if another process (or
    thread) holds it. An OS lock (``flock``; ``msvcrt.locking`` on Windows) on the file
    SEND_LOCK next to the sent-log: the OS drops it when the process ends, so a killed run
    never leaves the folder locked. Taken again by the thread that holds it, it nests."""
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SendError(
            f"{folder}: cannot create the output folder ({exc.strerror}); choose another"
        ) from None
    path = (folder / SEND_LOCK).resolve()
    depths: dict[Path, int] = _held.__dict__.setdefault("depths", {})
    if path in depths:
        depths[path] += 1
        try:
            yield
        finally:
            depths[path] -= 1
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)  # Windows: no newline translation
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as exc:
        raise SendError(f"{folder}: cannot create the send lock {SEND_LOCK} ({exc.strerror})") from None
    empty = False
    with os.fdopen(descriptor, "r+b") as handle:
        if not _os_lock(handle):
            raise SendLockedError(folder, _lock_holder(handle))
        try:
            handle.truncate(0)  # who holds it, for the message a second run prints
            holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": _now()}
            handle.write(json.dumps(holder).encode("utf-8") + b"\n")
            handle.flush()
            depths[path] = 1
            yield
        finally:
            depths.pop(path, None)
            # the run wrote nothing (every row failed): no folder left behind for the lock;
            # removed while still locked (a run starting now makes a new lock file), except
            # on Windows, which removes no open file
            empty = created and [p.name for p in folder.iterdir()] == [SEND_LOCK]
            if empty and sys.platform != "win32":
                _remove_folder(path)
            _os_unlock(handle)
    if empty and sys.platform == "win32":
        _remove_folder(path)


def _remove_folder(lock: Path) -> None:
    with contextlib.suppress(OSError):
        lock.unlink()
        lock.parent.rmdir()


_WINDOWS_LOCK_AT = 1 << 30  # Windows locks are mandatory: lock a byte past the holder's line


def _os_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_AT)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(0)
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held by another open file (process or thread)
        return False
    return True


def _os_unlock(handle: IO[bytes]) -> None:
    """Closing the file releases the lock too; on Windows only after a while, so say it."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_AT)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def _lock_holder(handle: IO[bytes]) -> str:
    """'pid 4242 on host, since 2026-11-27 09:14:03', from the lock file, as far as known."""
    try:
        handle.seek(0)
        holder = json.loads(handle.readline())
        since = datetime.fromisoformat(holder["since"]).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"pid {holder['pid']} on {holder['host']}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "the process that holds its lock did not say which it is"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
    failed: int = 0  # refused by the server (for every recipient or some), or not sent
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


class _Record(NamedTuple):
    state: str  # sending, sent or refused
    at: str  # when, in UTC (ISO 8601)


class SentLog:
    """The append-only record of what was sent from one folder. A record names the
    message (Message-ID), its file and the addresses it went, or was going, to; what an
    address got is looked up by either, so a message remade under the same file name with
    a new Message-ID (another day's date) is still known as sent to that address."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SENT_LOG
        self.state: dict[str, str] = {}  # Message-ID -> its latest state
        self._records: list[_Record] = []
        self._by_address: dict[tuple[str, str, str], int] = {}  # ("id"/"file", value, address)
        self._whole: dict[str, int] = {}  # Message-ID -> a record without addresses (older logs)
        if self.path.exists():
            for line in self.path.read_bytes().splitlines():
                entry = _log_entry(line)
                if entry is not None:
                    self._add(*entry)

    def _add(self, message_id: str, file: str, state: str, to: Sequence[str] | None, at: str) -> None:
        index = len(self._records)
        self._records.append(_Record(state, at))
        self.state[message_id] = state
        if to is None:  # written by a letterkit that logged no addresses: the whole message
            self._whole[message_id] = index
            return
        for address in to:
            self._by_address["id", message_id, address.lower()] = index
            self._by_address["file", file, address.lower()] = index

    def earlier(self, message_id: str, file: str, addresses: Sequence[str]) -> dict[str, _Record]:
        """The latest record for each address about this message or the file of this name;
        an address the log says nothing about is left out."""
        found = {}
        for address in addresses:
            keys = (("id", message_id, address.lower()), ("file", file, address.lower()))
            indexes = [self._by_address[key] for key in keys if key in self._by_address]
            if message_id in self._whole:
                indexes.append(self._whole[message_id])
            if indexes:
                found[address] = self._records[max(indexes)]
        return found

    def record(self, message_id: str, file: str, state: str, to: Sequence[str]) -> None:
        entry = {"id": message_id, "file": file, "to": list(to), "state": state, "at": _now()}
        line = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
        with self.path.open("a+b") as handle:
            if handle.seek(0, os.SEEK_END):
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    line = b"\n" + line  # the last line was cut by a crash: start a new one
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self._add(message_id, file, state, entry["to"], str(entry["at"]))


def _log_entry(line: bytes) -> tuple[str, str, str, list[str] | None, str] | None:
    """One record of the sent-log (id, file, state, addresses, when); None for a line cut by
    a crash. A record that an older letterkit glued onto such a line is recovered from
    where it starts."""
    for start in (0, line.rfind(b'{"id": ')):
        try:
            entry = json.loads(line[max(start, 0) :])
            message_id, state, to = entry["id"], entry["state"], entry.get("to")
            if isinstance(message_id, str) and isinstance(state, str):
                addresses = [str(a) for a in to] if isinstance(to, list) else None
                return message_id, str(entry.get("file", "")), state, addresses, str(entry.get("at", ""))
        except (ValueError, KeyError, TypeError, AttributeError):
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
        if self.smtp is not None and self.smtp.sock is None:  # smtplib closed it (a 421, say)
            self.smtp = None
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
    files: Sequence[Path],
    folder: Path,
    settings: SMTPSettings,
    options: SendOptions,
    *,
    stale: Collection[Path] = (),
) -> SendReport:
    """Send each file. Iterate the report to send: it yields one line per message saying
    what happened (the CLI prints them) and then holds the counts (``report.ok``).

    ``stale`` are files among ``files`` that no longer hold their row's email (the merge
    would not replace them without --force): never sent, only reported, as already sent
    when the sent-log says so, else as not sent with how to go on. A real send raises
    SendLockedError at once when another process is sending from ``folder``."""
    check_settings(settings, dry_run=options.dry_run, can_ask_password=options.ask_password is not None)
    if not options.dry_run:
        with sending_lock(folder):  # refused now, not at the first message; held while sending
            pass
    return SendReport(options.dry_run, _send_all(files, folder, settings, options, frozenset(stale)))


def _send_all(
    files: Sequence[Path],
    folder: Path,
    settings: SMTPSettings,
    options: SendOptions,
    stale: Collection[Path],
) -> Iterator[_Outcome]:
    with contextlib.ExitStack() as held:
        if not options.dry_run:
            held.enter_context(sending_lock(folder))
        log = SentLog(folder)
        connection = _Connection(settings, options.ask_password)
        held.callback(connection.close)
        attempted = remaining = 0
        for path in files:
            data = path.read_bytes()
            sender, recipients, message_id, subject = _envelope(data, path)
            earlier = log.earlier(message_id, path.name, recipients)
            if path in stale:
                yield _stale(path, data, recipients, earlier)
                continue
            skipped = _skipped(earlier, path, recipients, options)
            if skipped:  # already sent or uncertain: counted as such, limit or not
                yield skipped
                continue
            if options.limit is not None and attempted >= options.limit:
                remaining += 1  # only what a next run would send is left for it
                continue
            attempted += 1
            due = [r for r in recipients if earlier.get(r, _NEVER).state != "sent"]
            if options.dry_run:
                line = f"would send: {path.name} to {', '.join(due)}: {subject}"
                yield _Outcome("would_send", line + _got_it(earlier))
                continue
            yield _send_one(connection, log, options, _Message(path, data, sender, due, message_id), earlier)
            if options.rate:
                time.sleep(60.0 / options.rate)
        if remaining:
            line = f"limit of {options.limit} reached; run again to send the rest"
            yield _Outcome("remaining", line, remaining)


_NEVER = _Record("", "")


def _skipped(
    earlier: dict[str, _Record], path: Path, recipients: Sequence[str], options: SendOptions
) -> _Outcome | None:
    """What the sent-log says about a message that must not be sent (again), if anything:
    every address got it (by its Message-ID, or the file of this name did), or one may have."""
    states = [earlier.get(r, _NEVER).state for r in recipients]
    if "sending" in states and not options.retry_uncertain:
        return _Outcome(
            "uncertain",
            f"uncertain: {path.name} — the connection dropped while it was being sent; check "
            "whether it arrived, then use --retry-uncertain to send it again",
        )
    if all(state == "sent" for state in states):
        when = _day(max(earlier[r].at for r in recipients))
        return _Outcome("already_sent", f"already sent: {path.name} to {', '.join(recipients)}{when}")
    return None


def _got_it(earlier: dict[str, _Record]) -> str:
    """' (a@example.com got it on 2026-11-27)': the addresses of a message that already
    got it, when it goes to the others only."""
    got = [
        f"{address} got it{_day(record.at)}" for address, record in earlier.items() if record.state == "sent"
    ]
    return f" ({'; '.join(got)})" if got else ""


def _day(at: str) -> str:
    """' on 2026-11-27': the local day of a sent-log time, or nothing if it has none."""
    try:
        return " on " + datetime.fromisoformat(at).astimezone().date().isoformat()
    except ValueError:
        return ""


def _stale(path: Path, data: bytes, recipients: Sequence[str], earlier: dict[str, _Record]) -> _Outcome:
    """A file the merge would not replace: it was sent as it is, or it is not sent, and
    the line says how to go on."""
    skipped = _skipped(earlier, path, recipients, SendOptions())
    if skipped:
        return skipped._replace(line=skipped.line + " (the file is kept as it was)")
    made = _letter_date(data)
    dated = f" (dated {made})" if made else ""
    return _Outcome(
        "failed",
        f"not sent: {path.name} holds an email made earlier{dated} that differs from its row's now; "
        "if only the date differs (with no date in the input, a letter is dated the day it is "
        f"made), put date: {made or 'YYYY-MM-DD'} in --base to send it as it is, or use --force to "
        "remake it dated today; either way, no address the sent-log lists as sent gets it again",
    )


def _letter_date(data: bytes) -> str:
    """The letter's date, which an .eml file keeps in its Date header (09:00 UTC that day)."""
    message = BytesParser(policy=policy.compat32).parsebytes(data, headersonly=True)
    try:
        return parsedate_to_datetime(str(message["Date"])).astimezone(timezone.utc).date().isoformat()
    except (TypeError, ValueError):
        return ""


class _Message(NamedTuple):
    path: Path
    data: bytes
    sender: str
    due: list[str]  # the recipients the sent-log does not list as having got it
    message_id: str


class _NotSent(Exception):
    """The server turned the message away before it was transmitted (a 4xx to MAIL FROM or
    DATA, a 421 to anything), or the connection was found closed before then."""


def _send_one(
    connection: _Connection,
    log: SentLog,
    options: SendOptions,
    message: _Message,
    earlier: dict[str, _Record],
) -> _Outcome:
    """Send one message to its due addresses. When the server turned it away before it was
    transmitted, it is tried once more on a new connection, after a pause (at least the
    rate's): a server that takes only so many messages per connection answers 421."""
    try:
        return _attempt(connection, log, message, earlier)
    except _NotSent:
        connection.drop()
    time.sleep(max(RECONNECT_WAIT, 60.0 / options.rate if options.rate else 0.0))
    try:
        return _attempt(connection, log, message, earlier)
    except _NotSent as exc:
        connection.drop()
        return _Outcome(
            "failed",
            f"not sent: {message.path.name} — {exc}, on a new connection too; run again later to send it",
        )


def _attempt(
    connection: _Connection, log: SentLog, message: _Message, earlier: dict[str, _Record]
) -> _Outcome:
    path, name, due = message.path, message.path.name, message.due
    smtp = connection.get()  # a failure to connect is no uncertainty: nothing was sent
    started = False

    def accepted() -> None:  # the server accepted DATA: from here a drop leaves it uncertain
        nonlocal started
        log.record(message.message_id, name, "sending", due)
        started = True

    try:
        refused = _transmit(smtp, message.sender, due, _dated_now(message.data), accepted)
    except (_NotSent, smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        if started:  # answered after the message, and not with 250: not taken
            log.record(message.message_id, name, "refused", due)
        if isinstance(exc, _NotSent):
            raise
        return _Outcome("failed", f"refused: {name}: {_refusal(exc)}")
    except OSError as exc:  # smtplib's SMTPServerDisconnected too
        connection.drop()
        return _Outcome(
            "uncertain",
            f"uncertain: {name} — the connection dropped after the server accepted the message's "
            f"DATA command ({exc}); check whether it arrived, then use --retry-uncertain to send it again",
        )
    log.record(message.message_id, name, "sent", [r for r in due if r not in refused])
    if refused:
        log.record(message.message_id, name, "refused", list(refused))
        accepted_to = ", ".join(r for r in due if r not in refused)
        return _Outcome(
            "failed", f"sent: {path.name} to {accepted_to}; refused: {_refused_recipients(refused)}"
        )
    return _Outcome("sent", f"sent: {path.name} to {', '.join(due)}{_got_it(earlier)}")


def _transmit(
    smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes, accepted: Callable[[], None]
) -> dict[str, tuple[int, bytes]]:
    """One SMTP transaction with its steps told apart (smtplib's sendmail cannot say how far
    it got). Until the server accepts the DATA command, a 4xx to MAIL FROM or DATA, a 421
    to anything or a closed connection raises _NotSent, and a refusal smtplib's refusal
    error; then ``accepted()`` is called, and a dropped connection from there raises
    OSError: the message may have arrived. Returns the recipients refused among others."""

    def mail_from() -> tuple[int, bytes]:
        smtp.ehlo_or_helo_if_needed()
        size = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        return smtp.mail(sender, size)

    def data_command() -> tuple[int, bytes]:
        smtp.putcmd("data")
        return smtp.getreply()

    code, reply = _step(mail_from)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = _step(functools.partial(smtp.rcpt, recipient), temporary_is_not_sent=False)
        if code not in (250, 251):
            refused[recipient] = (code, reply)  # a 4xx here is this address's, not the connection's
    if len(refused) == len(recipients):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = _step(data_command)
    if code != 354:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    accepted()
    smtp.send(_dot_stuffed(data))
    code, reply = smtp.getreply()
    if code == 421:  # the server closes the connection and did not take the message
        raise _NotSent(_reply(code, reply))
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _step(
    command: Callable[[], tuple[int, bytes]], *, temporary_is_not_sent: bool = True
) -> tuple[int, bytes]:
    """A command's reply, before the message went out: a closed connection, a 421 or (unless
    the reply is about one address) another 4xx means the message was not sent."""
    try:
        code, reply = command()
    except OSError as exc:  # smtplib's errors, SMTPServerDisconnected among them, are OSErrors
        raise _NotSent(f"the connection closed ({exc})") from None
    if code == 421 or (temporary_is_not_sent and 400 <= code < 500):
        raise _NotSent(_reply(code, reply))
    return code, reply


def _reset(smtp: smtplib.SMTP) -> None:
    """RSET after a refusal, so that the connection serves the next message."""
    with contextlib.suppress(OSError):
        smtp.rset()


def _dot_stuffed(data: bytes) -> bytes:
    """The message as the DATA command sends it (RFC 5321 4.5.2, as smtplib does)."""
    stuffed = re.sub(rb"(?m)^\.", b"..", data)
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


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
