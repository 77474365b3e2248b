"""Send merged .eml files by SMTP, safely: dry run by default, a limit, a rate, and a
sent-log so that a resumed run never sends a message twice. Here are the settings and the
decisions about each message; the server is talked to in ``smtp``, the folder locked in
``send_lock`` and the sent-log kept in ``sent_log``.

A message the sent-log lists as sent to every address is not sent again; one sent to some
of them goes to the others only. A message left at ``sending`` (the connection dropped
while it was being sent) may or may not have arrived: it is not sent again unless the
user says so (``retry_uncertain``), after checking. A refusal or a closed connection
before the server accepted the DATA command means nothing was sent: the message is tried
once more on a new connection.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import smtplib
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timezone
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

from ..errors import LetterkitError, SourceError
from .send_lock import SEND_LOCK, SendLockedError, running_sender, sending_lock
from .send_report import _CUT_OFF, SendReport, _Outcome
from .sent_index import SentIndex
from .sent_log import SENT_LOG, SentLog, SentLogDamaged, SentLogUnwritable, _Record, writable
from .sent_log import day as _day
from .smtp import (
    PASSWORD_ENV,
    SSL_PORT,
    SendError,
    SMTPSettings,
    _Connection,
    _dated_now,
    _for_now,
    _Message,
    _NotSent,
    _refusal,
    _refused_recipients,
    _transmit,
)

__all__ = [
    "DEFAULT_PORT",
    "ENV",
    "PASSWORD_ENV",
    "RECONNECT_WAIT",
    "SEND_LOCK",
    "SENT_LOG",
    "SSL_PORT",
    "SMTPSettings",
    "SendError",
    "SendLockedError",
    "SendOptions",
    "SendReport",
    "SentLog",
    "SentLogDamaged",
    "check_settings",
    "log_in_first",
    "send_folder",
    "sending_lock",
    "smtp_settings",
]

RECONNECT_WAIT = 2.0  # seconds before a message is tried again on a new connection
ENV = {
    "host": "LETTERKIT_SMTP_HOST",
    "port": "LETTERKIT_SMTP_PORT",
    "security": "LETTERKIT_SMTP_SECURITY",
    "username": "LETTERKIT_SMTP_USER",
    "timeout": "LETTERKIT_SMTP_TIMEOUT",
    "cafile": "LETTERKIT_SMTP_CAFILE",
}
DEFAULT_PORT = {"auto": 25, "starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SendOptions:
    dry_run: bool = True
    # at most this many messages accepted by the server in this run: a refused message, or
    # one left unsent, does not count; one that may have arrived (uncertain) does
    limit: int | None = None
    rate: float | None = None  # messages per minute
    retry_uncertain: bool = False
    # files (names) that may go to an address that got another email from this folder in an
    # earlier run (--resend): without it, such an email is held back (the list changed since?)
    resend: frozenset[str] = frozenset()
    # files (names) the user checked did arrive after a send cut off mid-message (uncertain;
    # --mark-sent): recorded as sent, not sent again (the run no longer reports them uncertain)
    arrived: frozenset[str] = frozenset()
    # asked for the password when the login needs one and the settings hold none: only
    # once the connection is known to be safe for it, and only if a message is to go out
    ask_password: Callable[[], str] | None = None

    def __post_init__(self) -> None:
        # nan passes every range check, and a rate of nan or inf sent at full speed (tester10)
        if self.rate is not None and not (math.isfinite(self.rate) and self.rate > 0):
            raise LetterkitError(f"rate: {self.rate} is no rate; give the messages per minute, a number above 0")


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
        where = f" (from {ENV['port']})" if os.environ.get(ENV["port"]) == values["port"] else ""
        raise LetterkitError(f"SMTP port '{values['port']}' is not a number{where}") from None
    if not 0 < port < 65536:  # tried, it was "Connection refused" (tester7)
        raise LetterkitError(f"SMTP port '{values['port']}' is not a port number (1 to 65535)")
    _check_host(values.get("host"))
    cafile = str(values["cafile"]) if values.get("cafile") else None
    if cafile is not None and not Path(cafile).is_file():
        raise LetterkitError(
            f"SMTP cafile '{cafile}' is not a file; give the PEM file of the server's certificate "
            "or of the authority that signed it"
        )
    try:
        timeout = float(values.get("timeout", 30.0))
    except (TypeError, ValueError):
        timeout = -1.0
    if not 0 < timeout <= 3600:
        raise LetterkitError(
            f"SMTP timeout '{values.get('timeout')}' is not a number of seconds between 0 and 3600 "
            "(how long to wait for the server's answer; default 30)"
        )
    return SMTPSettings(
        host=str(values["host"]) if values.get("host") else None,
        port=port,
        security=security,
        username=values.get("username"),
        password=password or os.environ.get(PASSWORD_ENV) or None,
        timeout=timeout,
        cafile=cafile,
    )


_SETTINGS = ("host", "port", "security", "username", "timeout", "cafile")


def _check_host(host: object) -> None:
    """A host written with its port ('smtp.example.com:587') or as a URL
    ('smtp://smtp.example.com') is refused with what to write: looked up as a name, it was
    "Name or service not known" (tester7). An IPv6 address (::1) passes."""
    text = str(host or "")
    scheme, _, rest = text.rpartition("://")
    name, colon, port = rest.partition(":")
    if scheme or (colon and port.isdigit() and ":" not in port):
        name = name.rstrip("/")
        fix = f"host: {name}" + (f" and port: {port}" if colon and port.isdigit() else "")
        raise LetterkitError(
            f"SMTP host '{text}' is to be the server's name alone: write {fix} "
            f"({ENV['host']}, {ENV['port']})"
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
    unknown = sorted(set(data) - {*_SETTINGS, "password"})
    if unknown:
        raise SourceError(
            f"unknown SMTP setting(s) {', '.join(unknown)}; the settings are {', '.join(_SETTINGS)}", str(path)
        )
    return data


def _envelope(data: bytes, path: Path) -> tuple[str, list[str], str, str, str]:
    """The sender, the recipients' addresses, the Message-ID, the subject and the recipients'
    names (``_person``) of an email file, from one reading of its headers."""
    message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    sender = getaddresses([str(message.get("From", ""))])
    to = getaddresses([str(v) for v in message.get_all("To", [])])
    recipients = [addr for _, addr in to if addr]
    message_id = str(message.get("Message-ID", "")).strip()
    if not sender or not sender[0][1] or not recipients or not message_id:
        raise SourceError("is not a complete email (needs From, To and Message-ID)", str(path))
    person = ", ".join(name.strip() for name, _ in to if name.strip())
    return sender[0][1], recipients, message_id, str(message.get("Subject", "")), person


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


def log_in_first(settings: SMTPSettings, ask_password: Callable[[], str]) -> SMTPSettings:
    """Connect, make the connection safe for a login (SSL or STARTTLS, or security: none),
    ask for the password (``ask_password``), log in and leave: the settings with that
    password, for a send that is to start later without asking then. Raises SendError as
    the send would (no server, no encryption, the login refused): nothing is sent."""
    connection = _Connection(settings, ask_password)
    try:
        connection.get()
    finally:
        connection.close()
    return connection.settings


def send_folder(
    files: Sequence[Path],
    folder: Path,
    settings: SMTPSettings,
    options: SendOptions,
    *,
    stale: Collection[Path] | Mapping[Path, str] = (),
) -> SendReport:
    """Send each file. Iterate the report to send: it yields one line per message saying
    what happened (the CLI prints them) and then holds the counts (``report.ok``).

    ``stale`` are files among ``files`` that no longer hold their row's email (the merge
    would not replace them without --force): never sent, only reported, as already sent
    when the sent-log says so, else as not sent with how to go on. As a mapping, a file's
    value may say why it is not sent (its row's address changed since it was sent): then
    it is reported as not sent, with that. A real send raises
    SendLockedError at once when another process is sending from ``folder``, and
    SentLogDamaged (a dry run too) when a line of its sent-log cannot be read."""
    check_settings(settings, dry_run=options.dry_run, can_ask_password=options.ask_password is not None)
    SentLog(folder)  # read now: a damaged line stops the send before its first line, not at it
    if not options.dry_run:
        with sending_lock(folder):  # refused now, not at the first message; held while sending
            writable(folder)  # a read-only sent-log, a full disk: said before the first email
    why = dict(stale) if isinstance(stale, Mapping) else dict.fromkeys(stale, "")
    outcomes = _send_all(files, folder, settings, options, why)
    holder = running_sender(folder) if options.dry_run else None
    if holder:  # what that send has in flight reads as uncertain here, and its next ones as to be sent
        note = (
            f"note: another send is running on this folder ({holder}); a message it is sending right "
            "now shows as uncertain here, and what it sends after this dry run still counts as to be sent"
        )
        outcomes = itertools.chain([_Outcome("would_send", note, messages=0)], outcomes)
    return SendReport(options.dry_run, outcomes, total=len(files), folder=str(folder))


def _send_all(
    files: Sequence[Path],
    folder: Path,
    settings: SMTPSettings,
    options: SendOptions,
    stale: Mapping[Path, str],
) -> Iterator[_Outcome]:
    with contextlib.ExitStack() as held:
        if not options.dry_run:
            held.enter_context(sending_lock(folder))
        log = SentLog(folder)
        log.index = SentIndex(folder)  # what went out from the user's other folders
        connection = _Connection(settings, options.ask_password)
        held.callback(connection.close)
        sending: list[_Message] = []  # the message on its way to the server, if any
        try:
            yield from _each(files, connection, log, options, stale, sending)
        except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM: say whether a message may have arrived
            connection.drop()  # no QUIT: the server may still wait for the message's end
            if sending and _may_have_arrived(log, sending[0]):
                setattr(exc, "in_flight", sending[0].path.name)  # noqa: B010
            raise


def _may_have_arrived(log: SentLog, message: _Message) -> bool:
    """Whether the sent-log holds the message as ``sending`` (the server took its DATA
    command, and it was stopped before the answer): the next run calls it uncertain."""
    earlier = log.earlier(message.message_id, message.path.name, message.due)
    return any(record.state == "sending" for record in earlier.values())


def _each(
    files: Sequence[Path],
    connection: _Connection,
    log: SentLog,
    options: SendOptions,
    stale: Mapping[Path, str],
    sending: list[_Message],
) -> Iterator[_Outcome]:
    """Each file's outcome, in order; ``sending`` holds the message being sent meanwhile."""
    accepted = remaining = 0  # messages the server took in this run; left for the next
    # (Message-ID, address) -> the file of this send it went (or, dry, would go) out as: a
    # file that is the same email again (rows that repeat one) goes to the address once
    this_run: dict[tuple[str, str], str] = {}
    names = frozenset(path.name for path in files)
    busy = ""  # how the server turned an email away twice: the others are left for the next run
    # the emails in a row whose connection dropped after the server took their text (this
    # run's uncertain ones): after two, the rest waits for the next run, rather than every
    # email of the list becoming uncertain on a server that drops each one (tester10)
    dropped: list[str] = []
    for_now: list[str] = []  # the emails refused with a 4xx reply only: the next run may send them
    # --rate: when the next message may start, 60/rate s after the one before began. The wait
    # comes before a message that is sent, never after the last one: a run that had sent its
    # last email, or reached --limit, waited out a whole interval before it ended (tester3)
    next_start: float | None = None
    for path in files:
        try:
            data = path.read_bytes()
            sender, recipients, message_id, subject, person = _envelope(data, path)
        except (OSError, SourceError) as exc:  # this file only: the others are still sent
            yield _unreadable(path, exc)
            continue
        earlier = log.earlier(message_id, path.name, recipients)
        if path.name in options.arrived:  # before a stale file's notice: it is this file that went out
            marked = _marked_sent(log, path, message_id, recipients, earlier, options.dry_run)
            if marked:
                yield marked
                continue
        if path in stale:
            why = stale[path]
            yield (
                _Outcome("failed", f"not sent: {why}", file=path.name, detail=why)
                if why
                else _stale(path, data, recipients, earlier)
            )
            continue
        if path.name not in options.resend and log.index is not None:
            _sent_elsewhere(earlier, log.index.elsewhere(message_id, recipients))
        twin = _twin(this_run, message_id, recipients, path, options.dry_run)
        if twin:  # before the sent-log, which also knows the email by its Message-ID now
            yield twin
            continue
        skipped = _skipped(earlier, path, recipients, options)
        if skipped:  # already sent or uncertain: counted as such, limit or not
            yield skipped
            continue
        due = [r for r in recipients if earlier.get(r, _NEVER).state != "sent"]
        other = (
            _another_earlier(log, path, due, earlier, options, names)
            or _readdressed(log, path, person, due, earlier, options, names)
            or _another_elsewhere(log, path, person, due, earlier, options)
        )
        if other:
            yield other
            continue
        if busy:  # the server turned an email away twice, on a new connection too: it asked to wait
            remaining += 1
            yield _Outcome("remaining", "", file=path.name, detail=f"left for the next run: the server {busy}")
            continue
        if options.limit is not None and accepted >= options.limit:
            remaining += 1  # only what a next run would send is left for it
            detail = f"left for the next run: the limit of {options.limit} was reached"
            yield _Outcome("remaining", "", file=path.name, detail=detail)
            continue
        if options.dry_run:
            accepted += 1  # as far as a dry run can tell
            this_run.update(dict.fromkeys(((message_id, r.lower()) for r in due), path.name))
            line = f"would send: {path.name} to {shown(due)}: {subject}"
            yield _Outcome("would_send", line + _got_it(earlier), file=path.name, detail=_to(due, earlier))
            continue
        if next_start is not None:  # a slow server's time is not added to the interval
            time.sleep(max(0.0, next_start - time.monotonic()))
        sending.append(_Message(path, data, sender, due, message_id))
        if options.rate:
            next_start = time.monotonic() + 60.0 / options.rate
        outcome = _send_one(connection, log, options, sending[0], earlier)
        sending.clear()
        if outcome.kind == "failed" and outcome.detail.startswith("421") and outcome.detail.endswith(_TWICE):
            # 421 is the server's own "not now", for every message (another 4xx may be about
            # this one: greylisting): tester 39's server answered 421 after five messages, and
            # every other one was tried twice, 68 connections in a minute; the rest waits
            busy = f"turned {path.name} away twice ({outcome.detail.removesuffix(_TWICE)})"
        dropped = [*dropped, path.name] if outcome.kind == "uncertain" else []
        if len(dropped) == 2:
            busy = f"dropped the connection after taking the text of {dropped[0]} and of {dropped[1]} (both uncertain)"
        if outcome.kind == "sent":
            this_run.update(dict.fromkeys(((message_id, r.lower()) for r in due), path.name))
        accepted += outcome.accepted  # a refusal leaves room for the next message
        if outcome.for_now:
            for_now.append(path.name)
        yield outcome
    if for_now:  # a refusal for now reads like a 550 otherwise: say that the next run sends them
        one = len(for_now) == 1
        yield _Outcome(
            "failed",
            f"{len(for_now)} {'email was' if one else 'emails were'} refused for now (a 4xx reply: greylisting, "
            f"a full mailbox, a busy server): {', '.join(for_now)}; run the same command again later to send "
            f"{'it' if one else 'them'} (the sent-log skips what went out)",
            0,
        )
    if remaining and busy:
        line = f"the server {busy}; {remaining} left for the next run: run again later to send them"
        yield _Outcome("remaining", line, 0, detail="the server asked to try later")
    elif remaining:
        line = f"limit of {options.limit} reached; run again to send the rest"
        yield _Outcome("remaining", line, 0)


_NEVER = _Record("", "")


def _twin(
    this_run: dict[tuple[str, str], str], message_id: str, to: Sequence[str], path: Path, dry_run: bool
) -> _Outcome | None:
    """A file that is the same email (Message-ID) as one this send sent, or in a dry run
    would send, to every address it goes to: not sent again (rows that repeat one)."""
    twins = {this_run.get((message_id, r.lower())) for r in to}
    if not to or None in twins:
        return None
    first = ", ".join(sorted(str(twin) for twin in twins))
    went = "this run would send" if dry_run else "went out in this run"
    detail = f"the same email (Message-ID) as {first}, which {went} to {shown(to)}: sent once"
    return _Outcome(
        "same_email",
        f"not sent twice: {path.name} is {detail}",
        file=path.name,
        said="not sent",
        detail=detail,
    )


def _another_earlier(
    log: SentLog,
    path: Path,
    due: Sequence[str],
    earlier: dict[str, _Record],
    options: SendOptions,
    names: frozenset[str],
) -> _Outcome | None:
    """An email to an address that got another email from this folder in an earlier run,
    under a file name that no email of this send has (``names``): held back unless --resend
    names it. A list whose rows were renumbered and edited since makes the client's email
    anew under another name, and it would go out as a second, different termination (tester
    39). A client with two contracts in the list gets both, also when a run is resumed (the
    other email is one of this send's files); a new contract in a later list is sent with
    --resend."""
    got = {
        address: record
        for address, record in log.got_another(due, earlier).items()
        if record.file not in names
    }
    if not got or path.name in options.resend:
        return None
    what = "; ".join(
        f"{address} got {record.file or 'another email'}{_day(record.at)}"
        + (" (or may have: that send was cut off)" if record.state == "sending" else "")
        for address, record in got.items()
    )
    why = (
        f"{what}, another email from this folder: the list may have changed since (rows "
        "renumbered or edited), and this would be a second, different one"
    )
    return _held_back(path, why, f"{', '.join(got)} is to get this one too (a second contract, say)")


def _held_back(path: Path, why: str, if_so: str) -> _Outcome:
    """An email held back as a second one to a client who got another: why, and when to
    send it all the same (--resend)."""
    return _Outcome(
        "failed",
        f"not sent: {path.name} — {why}; compare the two, and if {if_so}, run again with --resend {path.name}",
        file=path.name,
        said="not sent",
        detail=why,
    )


def _another_elsewhere(
    log: SentLog, path: Path, person: str, due: Sequence[str], earlier: dict[str, _Record], options: SendOptions
) -> _Outcome | None:
    """An email to an address that got another email from another folder (the user's record
    of what went out, sent_index.py), held back unless --resend names it: a list merged and
    sent again on a later day into a new folder, its input without a date, makes every email
    anew with that day's date and another Message-ID, and each client got a second
    termination (tester13). The very same email (its Message-ID) counts as sent instead."""
    if log.index is None or path.name in options.resend:
        return None
    got = {address: sent for address, sent in log.index.got_another(due).items() if address not in earlier}
    named = log.index.got_as(person, due) if not got and not earlier else None
    if named is not None:  # the client, at an address corrected since (a bounce)
        file, at, before = named
        got = {address: (file, at) for address in due}
        what = f"{person} got {file} at {shown(before)}{_day(at)}"
    elif got:
        what = "; ".join(f"{address} got {file}{_day(at)}" for address, (file, at) in got.items())
    else:
        return None
    why = (
        f"{what}, another email from another folder: the same list made again (on a later day, with no "
        "date in the input, an email is dated the day it is made) or a list changed since, and this "
        "would be a second, different one"
    )
    return _held_back(path, why, f"{', '.join(got)} is to get this one too (a second contract, say)")


def _readdressed(
    log: SentLog,
    path: Path,
    person: str,
    due: Sequence[str],
    earlier: dict[str, _Record],
    options: SendOptions,
    names: frozenset[str],
) -> _Outcome | None:
    """An email to a recipient who got another email from this folder in an earlier run at
    other addresses, under a file name that no email of this send has: held back unless
    --resend names it. An address corrected in the list after its email was sent (a bounce
    fixed in the CRM) is caught by the file's name (existing.readdressed_notice); in a list
    renumbered since, the email has another name too, and went out as a second termination
    to the client's new address (tester13). The recipient is known by the name of the To
    header, as the sent-log records it."""
    if not due or earlier or path.name in options.resend:
        return None
    found = log.got_as(person, due, names)
    if found is None:
        return None
    record, before = found
    maybe = " (or may have: that send was cut off)" if record.state == "sending" else ""
    why = (
        f"{person} got {record.file or 'another email'} at {shown(before)}{_day(record.at)}{maybe}, another "
        f"email from this folder; this one goes to {shown(due)}: the address may have been corrected in the "
        "list since (a bounce), and this would be a second termination"
    )
    return _held_back(
        path, why, f"{shown(due)} is to get this one (it did not get the earlier one, or it is another contract)"
    )


def _person(data: bytes) -> str:
    """The recipients' names as the email's To header gives them ('Sabine Grün'), or ''."""
    return _envelope(data, Path())[4]


def shown(addresses: Sequence[str]) -> str:
    """Addresses as a person reads them: an internationalised domain the email carries in
    its ASCII form (xn--bcher-kva.de) in its own letters again (bücher.de; tester7)."""
    return ", ".join(_readable(address) for address in addresses)


def _readable(address: str) -> str:
    local, at, domain = address.rpartition("@")
    if not at or "xn--" not in domain.lower():
        return address
    try:
        return f"{local}@{domain.encode('ascii').decode('idna')}"
    except (UnicodeError, ValueError):  # not a valid encoded name: as it is
        return address


def _sent_elsewhere(earlier: dict[str, _Record], elsewhere: Mapping[str, tuple[str, str]]) -> None:
    """Count an address that got this very email (its Message-ID) from another output
    folder as sent: the same list merged and sent into a second folder sends nothing
    twice (tester7). The record names the file there, so the line says where it went out
    as; ``--resend FILE`` sends it again."""
    for address, (file, at) in elsewhere.items():
        if earlier.get(address, _NEVER).state != "sent":
            earlier[address] = _Record("sent", at, file)


def _marked_sent(
    log: SentLog,
    path: Path,
    message_id: str,
    recipients: Sequence[str],
    earlier: dict[str, _Record],
    dry_run: bool,
) -> _Outcome | None:
    """An uncertain email the user checked did arrive (--mark-sent): recorded as sent to the
    addresses it may have reached, without sending it (a dry run only says it would be).
    None for an email that is not uncertain: it takes its normal course."""
    uncertain = [r for r in recipients if earlier.get(r, _NEVER).state == "sending"]
    if not uncertain:
        return None
    to = shown(uncertain)
    if dry_run:
        return _Outcome("already_sent", f"would mark as sent (not send): {path.name} to {to}", file=path.name, detail=to)
    log.record(message_id, path.name, "sent", uncertain)
    return _Outcome(
        "already_sent", f"marked as sent (not sent again): {path.name} to {to}", file=path.name, detail=to
    )


def _skipped(
    earlier: dict[str, _Record], path: Path, recipients: Sequence[str], options: SendOptions
) -> _Outcome | None:
    """What the sent-log says about a message that must not be sent (again), if anything:
    every address got it (by its Message-ID, or the file of this name did), or one may have."""
    states = [earlier.get(r, _NEVER).state for r in recipients]
    if "sending" in states and not options.retry_uncertain:
        return _Outcome(
            "uncertain",
            f"uncertain: {path.name} — {_CUT_OFF_BEFORE}; check whether it arrived, then use "
            "--retry-uncertain (retry_uncertain=True in Python) to send it again, or, if it did "
            f"arrive, --mark-sent {path.name} (arrived={{{path.name!r}}}) to record it as sent",
            file=path.name,
            detail=_CUT_OFF,
        )
    if all(state == "sent" for state in states):
        when = _day(max(earlier[r].at for r in recipients))
        others = sorted({earlier[r].file for r in recipients} - {path.name, ""})
        if others:  # the same email (Message-ID) went out under another file name
            when += f" (as {', '.join(others)}: the same email)"
            if any(os.sep in other for other in others):  # from another output folder
                when += f"; --resend {path.name} sends it again"
        to = shown(recipients)
        return _Outcome(
            "already_sent", f"already sent: {path.name} to {to}{when}", file=path.name, detail=to + when
        )
    return None


# what the sent-log can tell of a message left at "sending": not whether the connection
# dropped or the run was stopped (Ctrl-C, kill -9, a crash), only that it may have arrived
_CUT_OFF_BEFORE = (
    "an earlier run was cut off while sending it (the connection dropped, or the run was stopped "
    "or killed) after the server had accepted its DATA command, so it may have arrived"
)


def _to(due: Sequence[str], earlier: dict[str, _Record]) -> str:
    """A report's detail for a message sent (or to be sent) to ``due``: 'b@x.de (a@x.de got it
    on 2026-11-27)'."""
    return shown(due) + _got_it(earlier)


def _got_it(earlier: dict[str, _Record]) -> str:
    """' (a@example.com got it on 2026-11-27)': the addresses of a message that already
    got it, when it goes to the others only."""
    got = [
        f"{address} got it{_day(record.at)}" for address, record in earlier.items() if record.state == "sent"
    ]
    return f" ({'; '.join(got)})" if got else ""


def _unreadable(path: Path, exc: OSError | SourceError) -> _Outcome:
    """A file that cannot be sent because it cannot be read, or is no complete email (a file
    of the user's under the row's name, say): named, with how to go on."""
    if isinstance(exc, OSError):
        why = f"cannot be read ({exc.strerror or exc})"
        return _Outcome("failed", f"not sent: {path.name} {why}", file=path.name, detail=why)
    why = "is not a complete email (it needs From, To and Message-ID)"
    return _Outcome(
        "failed",
        f"not sent: {path.name} {why}; move it away, or use --force to replace it with its row's email",
        file=path.name,
        detail=why,
    )


def _stale(path: Path, data: bytes, recipients: Sequence[str], earlier: dict[str, _Record]) -> _Outcome:
    """A file the merge did not replace: it was sent as it is (to every address, or to
    some: a sent email is never replaced), or it is not sent, and the line says how to go on."""
    made = _letter_date(data)
    skipped = _skipped(earlier, path, recipients, SendOptions())
    if skipped and skipped.kind == "uncertain":  # --retry-uncertain sends no file made earlier
        return skipped._replace(
            line=f"uncertain: {path.name} — {_CUT_OFF_BEFORE}; check whether "
            f"it arrived; the file was made earlier and differs from its row's email now: if only the date "
            f"differs, put date: {made or 'YYYY-MM-DD'} in --base and use --retry-uncertain to send it "
            "again as it was made (the file is kept as it was)"
        )
    if skipped:
        return skipped._replace(line=skipped.line + " (the file is kept as it was)")
    dated = f" (dated {made})" if made else ""
    got = [f"{address} got{_day(record.at)}" for address, record in earlier.items() if record.state == "sent"]
    if got:
        due = [r for r in recipients if earlier.get(r, _NEVER).state != "sent"]
        made_earlier = f"made earlier, dated {made}" if made else "made earlier"
        return _Outcome(
            "failed",
            f"not sent: {path.name} to {shown(due)} — the file is the email {'; '.join(got)} "
            f"({made_earlier}), kept as it was sent: an email that was sent is never replaced, not even "
            f"with --force; if only the date differs, put date: {made or 'YYYY-MM-DD'} in --base to send "
            "it as it is to the others",
            file=path.name,
            detail=f"the file, made earlier, was sent to {'; '.join(got)} and differs from its row's email now",
        )
    return _Outcome(
        "failed",
        f"not sent: {path.name} holds an email made earlier{dated} that differs from its row's now; "
        "if only the date differs (with no date in the input, a letter is dated the day it is "
        f"made), put date: {made or 'YYYY-MM-DD'} in --base to send it as it is, or use --force to "
        "remake it dated today; either way, no address the sent-log lists as sent gets it again",
        file=path.name,
        detail=f"the file holds an email made earlier{dated} that differs from its row's now",
    )


def _letter_date(data: bytes) -> str:
    """The letter's date, which an .eml file keeps in its Date header (09:00 UTC that day)."""
    message = BytesParser(policy=policy.compat32).parsebytes(data, headersonly=True)
    try:
        return parsedate_to_datetime(str(message["Date"])).astimezone(timezone.utc).date().isoformat()
    except (TypeError, ValueError):
        return ""


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
            f"not sent: {message.path.name} — {exc}{_TWICE}; run again later to send it",
            file=message.path.name,
            detail=f"{exc}{_TWICE}",
        )


_TWICE = ", on a new connection too"


def _attempt(
    connection: _Connection, log: SentLog, message: _Message, earlier: dict[str, _Record]
) -> _Outcome:
    path, name, due = message.path, message.path.name, message.due
    person = _person(message.data)  # the sent-log knows the recipient by it at a new address too
    smtp = connection.get()  # a failure to connect is no uncertainty: nothing was sent
    started = False

    def record(state: str, to: list[str]) -> None:
        """A line of the sent-log; one that cannot be written stops the send, the connection
        dropped without QUIT (the server may still wait for the message's text)."""
        try:
            log.record(message.message_id, name, state, to, person)
        except SentLogUnwritable:
            connection.drop()
            raise

    def accepted() -> None:  # the server accepted DATA: from here a drop leaves it uncertain
        nonlocal started
        record("sending", due)
        started = True

    try:
        refused = _transmit(smtp, message.sender, due, _dated_now(message.data), accepted)
    except (_NotSent, smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        if started:  # answered after the message, and not with 250: not taken
            record("refused", due)
        if isinstance(exc, _NotSent):
            raise
        refusal = _refusal(exc)
        return _Outcome(
            "failed", f"refused: {name}: {refusal}", file=name, said="refused", detail=refusal, for_now=_for_now(exc)
        )
    except OSError as exc:  # smtplib's SMTPServerDisconnected too
        connection.drop()
        return _Outcome(
            "uncertain",
            f"uncertain: {name} — the connection dropped after the server accepted the message's "
            f"DATA command ({exc}); check whether it arrived, then use --retry-uncertain (retry_uncertain=True "
            f"in Python) to send it again, or, if it did arrive, --mark-sent {name} (arrived={{{name!r}}}) "
            "to record it as sent",
            accepted=True,  # it may have arrived: it counts against the limit
            file=name,
            detail=f"the connection dropped after the server accepted the DATA command ({exc}): it may have arrived",
        )
    record("sent", [r for r in due if r not in refused])
    if refused:
        record("refused", list(refused))
        accepted_to = shown([r for r in due if r not in refused])
        refusal = _refused_recipients(refused)
        return _Outcome(
            "failed",
            f"sent: {path.name} to {accepted_to}; refused: {refusal}",
            accepted=True,
            file=name,
            said="refused",
            detail=f"{refusal} (sent to {accepted_to})",
            for_now=_for_now(refused=refused),
        )
    return _Outcome(
        "sent",
        f"sent: {path.name} to {shown(due)}{_got_it(earlier)}",
        accepted=True,
        file=name,
        detail=_to(due, earlier),
    )
