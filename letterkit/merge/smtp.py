"""Talking to the SMTP server: one connection (SSL or STARTTLS, login, reopened after a
drop) and one transaction at a time, with its steps told apart, because what to do next
depends on how far a message got: a refusal or a closed connection before the server has
accepted the DATA command means nothing was sent; a drop after it, that the message may
or may not have arrived.

A password never travels in clear text unless the user chose ``security: none``: the
default, ``auto``, uses SSL on port 465 and STARTTLS whenever the server offers it, and
refuses to log in to a server that offers neither.
"""

from __future__ import annotations

import contextlib
import functools
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.utils import formatdate
from pathlib import Path
from typing import NamedTuple

from ..errors import LetterkitError

PASSWORD_ENV = "LETTERKIT_SMTP_PASSWORD"
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
    # a PEM file of the server's certificate or its authority, trusted besides the system's
    # (a server with a certificate of its own making, on a network the user runs)
    cafile: str | None = None

    def context(self) -> ssl.SSLContext:
        """The TLS context, trusting ``cafile`` besides the system's. A cafile that holds no
        certificate (a key, a DER .cer, another file) is a SendError that says what to give:
        it was "cannot connect to the SMTP server ([X509: NO_CERTIFICATE_OR_CRL_FOUND] ...)"
        (tester7)."""
        try:
            return ssl.create_default_context(cafile=self.cafile)
        except ssl.SSLError as exc:
            raise SendError(
                f"SMTP cafile '{self.cafile}' holds no certificate that can be read ({exc}); give the PEM "
                "file of the server's certificate or of the authority that signed it, the text that starts "
                "with -----BEGIN CERTIFICATE----- (a binary .cer or .der file: convert it with "
                "openssl x509 -inform der -in FILE.cer -out FILE.pem); nothing was sent"
            ) from None


class SendError(LetterkitError):
    """The SMTP server could not be reached, refused the login, or cannot be used safely."""


class _Message(NamedTuple):
    path: Path
    data: bytes
    sender: str
    due: list[str]  # the recipients the sent-log does not list as having got it
    message_id: str


class _NotSent(Exception):
    """The server turned the message away before it was transmitted (a 4xx to MAIL FROM or
    DATA, a 421 to anything), or the connection was found closed before then."""


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
        self.worked = False  # a connection with these settings was made: a later failure is no setting's

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
                context = s.context()
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host or "", s.port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host or "", s.port, timeout=s.timeout)
        except ssl.SSLCertVerificationError as exc:  # SSL from the first byte: as with STARTTLS
            raise _untrusted(s, exc) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot connect to the SMTP server {s.host}:{s.port} ({_said(exc)}){self._hint(exc)}") from None
        with contextlib.ExitStack() as on_failure:
            on_failure.callback(smtp.close)
            try:
                self._secure(smtp)
                if s.username:
                    smtp.ehlo_or_helo_if_needed()  # again after STARTTLS: what it offers now
                    if not smtp.has_extn("auth") and s.security == "none" and smtp.has_extn("starttls"):
                        raise SendError(  # many servers offer login only after STARTTLS
                            f"the SMTP server {s.host}:{s.port} offers login (AUTH) only over an encrypted "
                            "connection: it offers STARTTLS, and security is 'none'; set security = "
                            '"starttls" (LETTERKIT_SMTP_SECURITY=starttls); nothing was sent'
                        )
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
                raise _untrusted(s, exc) from None
            except (OSError, smtplib.SMTPException) as exc:
                raise SendError(f"cannot connect to the SMTP server {s.host}:{s.port} ({_said(exc)}){self._hint(exc)}") from None
            on_failure.pop_all()
        self.worked = True
        return smtp

    def _hint(self, exc: BaseException) -> str:
        """What to try: the settings' advice (``_hint``), unless a connection with them was
        made in this run already. A server that went down midway was told to need
        security: ssl, after it had taken messages with these settings (tester3)."""
        if self.worked:
            return "; it took the connection earlier in this run, so the settings are right: it may be down or restarting, try again later"
        return _hint(self.settings, exc)

    def _secure(self, smtp: smtplib.SMTP) -> None:
        """STARTTLS when asked for or, with ``auto``, when offered; ``auto`` without it
        still sends, but never logs in: the password would travel in clear text."""
        s = self.settings
        if s.security == "none" or isinstance(smtp, smtplib.SMTP_SSL):
            return
        smtp.ehlo_or_helo_if_needed()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=s.context())
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


def _said(exc: BaseException) -> str:
    """Why a connection failed, in plain text: a server's reply as it said it ('421 4.3.2
    Service not available, try later'), not as a tuple of bytes (tester7:
    "((421, b'4.3.2 Service not available, try later'))"); a 4xx reply says to come back."""
    if isinstance(exc, smtplib.SMTPResponseException):
        said = f"the server answered {_reply(exc.smtp_code, exc.smtp_error)}"
        return said + ("; it is busy for now: run the same command again later" if 400 <= exc.smtp_code < 500 else "")
    return str(exc)


def _hint(s: SMTPSettings, exc: BaseException) -> str:
    """What to try when the connection failed without saying why (a server that speaks SSL
    from the first byte answers a plain greeting with silence, and the reverse)."""
    text = str(exc).lower()
    if "timed out" not in text and "unexpectedly closed" not in text and "wrong version" not in text:
        return ""
    if s.security != "ssl" and s.port == SSL_PORT:
        return "; port 465 speaks SSL from the start: set security: ssl"
    if s.security in ("auto", "starttls", "none"):
        return (
            "; if the server speaks SSL from the start (often port 465), set security: ssl; "
            "if it expects STARTTLS (often port 587), security: starttls"
        )
    return "; if the server expects STARTTLS (often port 587), set security: starttls"


def _untrusted(s: SMTPSettings, exc: ssl.SSLCertVerificationError) -> SendError:
    """A server whose certificate this machine does not trust (self-signed, expired, for
    another name): said in words, with the ways out, for SSL and STARTTLS alike."""
    plain = (
        "" if s.security == "ssl" or s.port == SSL_PORT else ", or, only on a network you trust, set security: none"
    )
    return SendError(
        f"the SMTP server {s.host}:{s.port} offers encryption, but its certificate cannot be "
        f"verified ({exc.verify_message}); use the server's proper host name, or trust its "
        "certificate: cafile: FILE.pem in the SMTP settings (LETTERKIT_SMTP_CAFILE), the PEM file "
        f"of the server's certificate or of its authority{plain}; nothing was sent"
    )


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


def _for_now(exc: smtplib.SMTPException | None = None, refused: dict[str, tuple[int, bytes]] | None = None) -> bool:
    """Whether a refusal is for now only: every reply in it a 4xx (greylisting, a full
    mailbox, a busy server), which the same message may get past later (tester7)."""
    if refused is None and isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = exc.recipients
    if refused is not None:
        codes = [code for code, _ in refused.values()]
    elif isinstance(exc, smtplib.SMTPResponseException):
        codes = [exc.smtp_code]
    else:
        codes = []
    return bool(codes) and all(400 <= code < 500 for code in codes)


def _refusal(exc: smtplib.SMTPException) -> str:
    """What the server said when it refused a message, in plain text."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return _refused_recipients(exc.recipients)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        said = f"sender {exc.sender}: {_reply(exc.smtp_code, exc.smtp_error)}"
        if exc.smtp_code == 530:  # "Authentication required": no username in the settings
            said += " (the server wants a login: set username in the SMTP settings or LETTERKIT_SMTP_USER)"
        return said
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    return str(exc)
