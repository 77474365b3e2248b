"""The sent-log: the append-only record, next to the sent emails, of what went to whom,
so that a resumed run never sends a message twice.

The sent-log knows a message by its Message-ID and by its file name and each recipient's
address, so a message remade on another day (a new date, so a new Message-ID) is still
not sent again to an address that got it. Once the server has accepted the DATA command,
the message is logged as ``sending``; after the server accepts it, as ``sent`` (or
``refused``). A line cut by a crash (the last one, or one that a later run marked as
such when it went on after it) is passed over when the log is read; any other line that
cannot be read stops the run (``SentLogDamaged``): it may be the record of an email that
went out, and without it that email would be sent again.

An email file that went out (``sent``, or ``sending``: it may have arrived) is the record
of what its recipients got: ``went_out`` tells the merge, which never replaces it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import NamedTuple

from ..errors import LetterkitError, SourceError
from .sent_index import SentIndex, person_key

SENT_LOG = ".letterkit-sent.jsonl"
# The line a run writes after a line cut by a crash before it goes on: the cut line is known
# for what it is, and passed over when the log is read (any other unreadable line is not).
CUT_MARK = "the line above was cut off as it was written (the run was killed); letterkit went on after it"


class SentLogUnwritable(LetterkitError):
    """The sent-log cannot be written (a full disk, a file made read-only): the send stops
    at once, as no email may go out unrecorded (``stage`` says how far the message got)."""

    def __init__(self, path: Path, file: str, stage: str, error: OSError) -> None:
        self.path, self.file, self.stage = path, file, stage
        reason = error.strerror or str(error)
        if stage == "sending":  # before the message itself went to the server
            what = (
                f"{file} was not sent: it was stopped before its text went to the server (should the "
                "next run call it uncertain, it did not arrive: send it with --retry-uncertain)"
            )
        elif stage == "sent":
            what = (
                f"{file} went out, but may not be recorded as sent: the next run reports it as already "
                "sent or as uncertain (it did arrive), and does not send it again"
            )
        else:
            what = f"the server's answer to {file} ({stage}) could not be recorded: the next run reports it as uncertain"
        super().__init__(
            f"{path}: cannot write the sent-log ({reason}); the send stopped, as no email may go out "
            f"unrecorded. {what}. Free some disk space or make the file writable, then run the same "
            "command again."
        )


def writable(folder: Path) -> None:
    """Raise SendError-like ``LetterkitError`` now when the sent-log of ``folder`` cannot be
    appended to (made read-only, no space for a new file): before the first email, not at it."""
    path = folder / SENT_LOG
    try:
        with path.open("ab"):
            pass
    except OSError as exc:
        raise LetterkitError(
            f"{path}: cannot write the sent-log ({exc.strerror or exc}); nothing was sent. The sent-log "
            "records every email as it goes out, so that none is sent twice: make it writable (or "
            "free some disk space), then run the same command again."
        ) from None


class SentLogDamaged(SourceError):
    """A line of the sent-log cannot be read, and it is not a last line cut by a crash: it
    may record an email that went out, so nothing is sent (or remade) until it is dealt with."""

    def __init__(self, path: Path, damaged: list[tuple[int, bytes]]) -> None:
        line, text = damaged[0]
        self.lines = [number for number, _ in damaged]
        shown = text[:60].decode("utf-8", "replace") + ("…" if len(text) > 60 else "")
        named = _FILE_IN.search(text)
        about = f" (it seems to be about {named.group(1).decode('utf-8', 'replace')})" if named else ""
        numbers = [str(number) for number in self.lines[1:]]
        others = " and ".join([", ".join(numbers[:-1]), numbers[-1]] if len(numbers) > 1 else numbers)
        also = (
            f"; so are lines {others}" if len(self.lines) > 2 else f"; so is line {others}" if others else ""
        )
        these = "these lines" if others else "this line"
        super().__init__(
            f"this line of the sent-log is damaged: {shown!r}{about}{also}. The sent-log is the record "
            f"of which emails went out, and {these} may record one, so nothing was sent or written: an "
            "email recorded there would otherwise go out twice. To go on, restore the sent-log from a "
            "backup, or repair or delete the damaged lines — first find out from the sent items of your "
            "mail server which emails they recorded (deleting a line lets its email be sent again; each "
            'line reads {"id": Message-ID, "file": name, "to": [addresses], "state": "sent", "at": '
            "time}); then run again (--send without --no-dry-run shows what would be sent)",
            str(path),
            line,
        )


_FILE_IN = re.compile(rb'"file": "([^"]{1,200})"')


class _Record(NamedTuple):
    state: str  # sending, sent or refused
    at: str  # when, in UTC (ISO 8601)
    file: str = ""  # the file it went out as (another than the one looked up: the same email)


class SentLog:
    """The append-only record of what was sent from one folder. A record names the
    message (Message-ID), its file and the addresses it went, or was going, to; what an
    address got is looked up by either, so a message remade under the same file name with
    a new Message-ID (another day's date) is still known as sent to that address."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SENT_LOG
        # the user's record of what went out from every folder (sent_index.py), told of
        # each email sent, when the send sets it
        self.index: SentIndex | None = None
        self.state: dict[str, str] = {}  # Message-ID -> its latest state
        self._records: list[_Record] = []
        self._by_address: dict[tuple[str, str, str], int] = {}  # ("id"/"file", value, address)
        self._whole: dict[str, int] = {}  # Message-ID -> a record without addresses (older logs)
        self._by_file: dict[str, dict[str, int]] = {}  # file name -> address -> latest record
        # the recipient's name as the To header gives it ('Sabine Grün', lower case) -> the latest
        # record of an email that went out to them (or may have), and its addresses
        self._by_name: dict[str, tuple[int, tuple[str, ...]]] = {}
        if self.path.exists():
            for entry in _entries(self.path):
                self._add(*entry)
        # address -> the latest record of an email that went out to it (or may have) in an
        # earlier run, whichever email it was: as the log was read, not as this run adds to it
        self._got_before: dict[str, _Record] = {}
        for address, index in sorted(
            ((key[2], index) for key, index in self._by_address.items() if key[0] == "id"), key=lambda item: item[1]
        ):
            if self._records[index].state in ("sent", "sending"):
                self._got_before[address] = self._records[index]

    def _add(
        self, message_id: str, file: str, state: str, to: Sequence[str] | None, at: str, name: str = ""
    ) -> None:
        index = len(self._records)
        self._records.append(_Record(state, at, file))
        self.state[message_id] = state
        if to is None:  # written by a letterkit that logged no addresses: the whole message
            self._whole[message_id] = index
            return
        if name and state in ("sent", "sending"):
            self._by_name[person_key(name)] = (index, tuple(address.lower() for address in to))
        for address in to:
            self._by_address["id", message_id, address.lower()] = index
            self._by_address["file", file, address.lower()] = index
            self._by_file.setdefault(file, {})[address] = index

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

    def got_as(
        self, name: str, addresses: Sequence[str], files: Collection[str]
    ) -> tuple[_Record, tuple[str, ...]] | None:
        """The latest email that went out (or may have) from this folder to the recipient of
        this name at other addresses than ``addresses``, under a file name not in ``files``,
        with those addresses: the same client, whose address changed since (a bounce corrected
        in a list renumbered since). None when there is none, or no name to go by."""
        found = self._by_name.get(person_key(name)) if name.strip() else None
        if found is None:
            return None
        index, to = found
        record = self._records[index]
        if record.file in files or set(to) & {address.lower() for address in addresses}:
            return None
        return record, to

    def got_another(self, addresses: Sequence[str], known: Mapping[str, _Record]) -> dict[str, _Record]:
        """For each address the log knows nothing about for this email (``known``: what
        ``earlier`` found by its Message-ID or file name) that got another email from this
        folder in an earlier run, or may have: the record of that one."""
        found = {}
        for address in addresses:
            record = self._got_before.get(address.lower())
            if record is not None and address not in known:
                found[address] = record
        return found

    def went_out(self, path: Path) -> dict[str, _Record]:
        """The addresses that got the email in the file ``path``, or may have (``sent``,
        ``sending``), known by its Message-ID or its file name, each with its latest record;
        empty when none did. A file that cannot be read as an email (damaged, cut short,
        unreadable) is known by its name alone: what the log says went out under that name
        did go out, whatever the file holds now, so it is never replaced."""
        try:
            head = _headers(path)
            message = BytesParser(policy=policy.default).parsebytes(head, headersonly=True)
            message_id = str(message.get("Message-ID", "")).strip()
            to = [str(value) for value in message.get_all("To", [])]
            addresses = [address for _, address in getaddresses(to) if address]
        except (OSError, TypeError, ValueError, IndexError):  # not readable as an email
            message_id, addresses = "", []
        if addresses:
            found = self.earlier(message_id, path.name, addresses)
        else:
            found = {address: self._records[i] for address, i in self._by_file.get(path.name, {}).items()}
        return {address: record for address, record in found.items() if record.state in ("sent", "sending")}

    def got_file(self, file: str) -> tuple[tuple[str, str], ...]:
        """Each address (lower case) that got an email under the file name ``file``, whichever
        version of it, with the day of its latest (' on 2026-11-27')."""
        records = ((address.lower(), self._records[i]) for address, i in self._by_file.get(file, {}).items())
        return tuple((address, day(record.at)) for address, record in records if record.state == "sent")

    def knows(self, file: str) -> bool:
        """Whether the log says an email went out, or may have, under the file name ``file``."""
        return any(
            self._records[i].state in ("sent", "sending") for i in self._by_file.get(file, {}).values()
        )

    def record(self, message_id: str, file: str, state: str, to: Sequence[str], name: str = "") -> None:
        entry = {"id": message_id, "file": file, "to": list(to), "state": state, "at": _now()}
        if name:  # the recipient as the To header names them: known by it at a new address
            entry["name"] = name
        line = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            with self.path.open("a+b") as handle:
                if handle.seek(0, os.SEEK_END):
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":  # the last line was cut by a crash: say so, go on
                        mark = {"cut": CUT_MARK, "at": entry["at"]}
                        line = b"\n" + json.dumps(mark).encode("utf-8") + b"\n" + line
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:  # a line cut here is passed over by the next run (CUT_MARK)
            raise SentLogUnwritable(self.path, file, state, exc) from None
        self._add(message_id, file, state, entry["to"], str(entry["at"]), name)
        if state == "sent" and self.index is not None:
            self.index.add(message_id, file, list(to), name)


class WentOut(NamedTuple):
    """Who got the email in a file, or may have, as the sent-log says: in words
    ('a@example.com on 2026-11-27'), and the addresses (lower case)."""

    said: str = ""
    to: tuple[str, ...] = ()
    # every address that got an email under the file's name, each with its day (' on 2026-11-27'):
    # an earlier version of it too (remade with --resend, the one sent kept in superseded/)
    before: tuple[tuple[str, str], ...] = ()


def sent_emails(folder: Path) -> Callable[[Path], WentOut]:
    """For the merge: who got the email in a file of ``folder``, or may have, as its sent-log
    says; empty when no one did. Nothing is read for a folder without a sent-log."""
    if not (folder / SENT_LOG).is_file():
        return lambda path: WentOut()
    log = SentLog(folder)

    def who_got(path: Path) -> WentOut:
        if not path.is_file():
            return WentOut()
        went = log.went_out(path)
        said = ", ".join(
            f"{address}{day(record.at)}"
            + (" (maybe: the connection dropped as it went out)" if record.state == "sending" else "")
            for address, record in went.items()
        )
        return WentOut(said, tuple(address.lower() for address in went), log.got_file(path.name))

    return who_got


def _entries(path: Path) -> list[tuple[str, str, str, list[str] | None, str, str]]:
    """The records of the sent-log ``path``. A line that cannot be read is passed over only
    when it was cut by a crash: the last line, without its line end, or a line that the run
    which went on after it marked so (``CUT_MARK``); a blank line is nothing. Any other
    raises SentLogDamaged."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    last = len(lines) - 1  # lines[last] is what follows the last line end: b"" or a cut line
    records, damaged = [], []
    for number, line in enumerate(lines):
        if not line.strip() or _is_cut_mark(line):
            continue
        entry = _log_entry(line)
        if entry is not None:
            records.append(entry)
        elif number != last and not _is_cut_mark(lines[number + 1]):
            damaged.append((number + 1, line))
    if damaged:
        raise SentLogDamaged(path, damaged)
    return records


def _is_cut_mark(line: bytes) -> bool:
    if not line.startswith(b'{"cut": '):
        return False
    try:
        return bool(json.loads(line).get("cut") == CUT_MARK)
    except (ValueError, AttributeError):
        return False


def _log_entry(line: bytes) -> tuple[str, str, str, list[str] | None, str, str] | None:
    """One record of the sent-log (id, file, state, addresses, when, the recipient's name); None for a line cut by
    a crash. A record that an older letterkit glued onto such a line is recovered from
    where it starts."""
    for start in (0, line.rfind(b'{"id": ')):
        try:
            entry = json.loads(line[max(start, 0) :])
            message_id, state, to = entry["id"], entry["state"], entry.get("to")
            if isinstance(message_id, str) and isinstance(state, str):
                addresses = [str(a) for a in to] if isinstance(to, list) else None
                file, at, name = (str(entry.get(key, "")) for key in ("file", "at", "name"))
                return message_id, file, state, addresses, at, name
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return None


def _headers(path: Path, most: int = 1 << 20) -> bytes:
    """An email file's headers, up to the empty line after them (not its attachments)."""
    head = b""
    with path.open("rb") as handle:
        for line in handle:
            if line in (b"\r\n", b"\n") or len(head) > most:
                break
            head += line
    return head


def day(at: str) -> str:
    """' on 2026-11-27': the local day of a sent-log time, or nothing if it has none."""
    try:
        return " on " + datetime.fromisoformat(at).astimezone().date().isoformat()
    except ValueError:
        return ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
