"""The user's record of the emails sent from every output folder, so that the same list
merged and sent again into another folder does not send each email a second time.

The sent-log (``sent_log.py``) lives with the emails of one folder. A Message-ID is made
from the letter's locale, address, subject, text and date, so the same client list merged
into a second folder gives the same emails with the same Message-IDs: without this record
they all went out again (tester7: 8 of 8 clients got the email twice). Each line here
names a Message-ID, the addresses it went to, the folder it went out from and when. A send
looks the Message-ID and addresses up; an address that got this very email from another
folder counts as sent (``--resend FILE`` sends it again).

It is a convenience beside the sent-log, not the authority: a line that cannot be read is
passed over, and when the file cannot be written the send goes on (the folder's own
sent-log still records everything). It lives in the user's data folder
(``$XDG_DATA_HOME/letterkit``, by default ``~/.local/share/letterkit``; on Windows
``%LOCALAPPDATA%\\letterkit``), written by this user only (0600).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

INDEX_NAME = "sent-index.jsonl"


def person_key(name: str) -> str:
    """A recipient's name as the records compare it: lower case, spaces made one."""
    return " ".join(name.split()).casefold()


def index_path() -> Path:
    """Where the user's record of sent emails is kept."""
    if os.environ.get("XDG_DATA_HOME"):
        return Path(os.environ["XDG_DATA_HOME"]) / "letterkit" / INDEX_NAME
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "letterkit" / INDEX_NAME
    return Path.home() / ".local" / "share" / "letterkit" / INDEX_NAME


class SentIndex:
    """The record, read once when a send starts; ``elsewhere`` looks an email up."""

    def __init__(self, folder: Path) -> None:
        self.path = index_path()
        self.folder = _folder(folder)
        # (Message-ID, address in lower case) -> the file it went out as elsewhere (its folder
        # and name) and when, its latest send
        self._sent: dict[tuple[str, str], tuple[str, str]] = {}
        # address in lower case -> the latest email it got from another folder, whichever it
        # was (its path and when): a list merged again on a later day into a new folder makes
        # each email anew, dated that day, with another Message-ID (tester13)
        self._got: dict[str, tuple[str, str]] = {}
        # the recipient's name (person_key) -> the latest email they got from another
        # folder, when, and its addresses: known so at a new address too (a bounce corrected)
        self._named: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        try:
            lines = self.path.read_bytes().splitlines()
        except OSError:  # none yet, or unreadable: nothing known
            lines = []
        for line in lines:
            try:
                entry = json.loads(line)
                message_id, where, at = str(entry["id"]), str(entry["folder"]), str(entry["at"])
                file = str(Path(where) / str(entry["file"]))
                addresses = [str(address).lower() for address in entry["to"]]
            except (ValueError, KeyError, TypeError, AttributeError):  # a line cut by a crash: passed over
                continue
            if where != self.folder:
                for address in addresses:
                    self._sent[message_id, address] = (file, at)
                    self._got[address] = (file, at)
                if entry.get("name"):
                    self._named[person_key(str(entry["name"]))] = (file, at, tuple(addresses))

    def elsewhere(self, message_id: str, addresses: Sequence[str]) -> dict[str, tuple[str, str]]:
        """For each address that got this very email (its Message-ID) from another folder:
        the file it went out as there (its path) and when."""
        found = {}
        for address in addresses:
            sent = self._sent.get((message_id, address.lower()))
            if sent is not None:
                found[address] = sent
        return found

    def got_another(self, addresses: Sequence[str]) -> dict[str, tuple[str, str]]:
        """For each address that got an email from another folder, whichever email it was:
        the file it went out as there (its path) and when."""
        return {address: self._got[address.lower()] for address in addresses if address.lower() in self._got}

    def got_as(self, name: str, addresses: Sequence[str]) -> tuple[str, str, tuple[str, ...]] | None:
        """The latest email the recipient of this name got from another folder at other
        addresses than ``addresses`` (its path, when, those addresses), or None."""
        found = self._named.get(person_key(name)) if name.strip() else None
        if found is None or set(found[2]) & {address.lower() for address in addresses}:
            return None
        return found

    def add(self, message_id: str, file: str, addresses: Sequence[str], name: str = "") -> None:
        """Record an email the server accepted; a file that cannot be written is left as it
        is (the folder's sent-log has the record)."""
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        entry = {"id": message_id, "to": list(addresses), "folder": self.folder, "file": file, "at": at}
        if name:
            entry["name"] = name
        line = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)  # one write: a line is never mixed with another run's
            finally:
                os.close(fd)
        except OSError:
            return


def _folder(folder: Path) -> str:
    try:
        return str(folder.resolve())
    except OSError:
        return str(folder.absolute())
