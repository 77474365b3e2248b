"""An existing file of the output folder, found by a re-run: this row's letter from an earlier
run (kept), an email that was sent (kept as it was: it is what its recipients got), or a
clash; with the notices that say which, and how to go on.

A sent email whose row's address has changed since (a bounce corrected in the list) is not
sent to the new address unless the user asks for it (--resend): then the one sent is kept
in ``superseded/`` and the row's email takes its place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutputError
from ..render import render

if TYPE_CHECKING:
    from .produce import Job, Output

Outcome = tuple[Any, ...]


def kept(job: Job, letter: Any, out: Output) -> Outcome | None:
    """An existing file is this row's letter from an earlier run ("exists"), an email that
    was sent and is kept as it was ("sent"), or a clash; None for an email that was sent
    and is remade all the same (--resend: the one sent is kept by ``supersede``).

    The check: a .docx letter's parts (the same input gives the same parts), another
    letter's bytes; an email's bytes, else its addresses, subject, Message-ID and text (its
    attachments — a PDF of the letter is stamped with the time by LibreOffice — are left
    out). A PDF is compared by the merge once its batch is converted (produce.py). A file
    kept as its row's gets its record (made.py).
    """
    from ..render.package import same_content

    try:
        existing = job.path.read_bytes()
    except OSError as exc:
        return job.row, "fatal", [f"{job.path}: cannot be read ({exc.strerror})"]
    if job.fmt == "eml":  # the bytes first: parsing two emails is what a resume spent its time on
        made = render(letter, "eml")
        same = existing == made or _email_content(existing) == _email_content(made)
    elif job.fmt == "docx":  # the parts, not the compressed bytes (another compressor's)
        same = same_content(existing, render(letter, "docx", template=out.template))
    else:
        same = existing == render(letter, job.fmt, template=out.template)
    if same:
        from .produce import made_record

        return job.row, "exists", [], made_record(job, out, existing)
    if job.sent and resending(job, out):
        return None
    if job.sent:
        new = _new_address(letter, job.sent_to)
        got = dict(job.sent_before).get(_plain(new)) if new else None
        if got is not None:  # the address changed back to one that got this email before
            return job.row, "sent", [got_earlier_notice(job.path.name, job.sent, new, got)]
        if new:
            return job.row, "sent", [readdressed_notice(job.path.name, job.sent, new)]
        if job.fmt == "eml" and _email_date(existing) == letter.date:  # not made on another day: changed
            return job.row, "sent", [changed_notice(job.path.name, job.sent)]
        return job.row, "sent", [sent_notice(job.path.name, job.sent)]
    made_on = _email_date(existing) if job.fmt == "eml" else _docx_date(existing) if job.fmt == "docx" else None
    if job.fmt == "eml" and made_on == letter.date:  # not made on another day
        return job.row, "failed", [f"{job.path.name}{EDITED}"]
    if made_on is not None and made_on != letter.date:
        return job.row, "failed", [dated_clash(job.path.name, made_on, letter.date)]
    return job.row, "failed", [clash(job.path.name)]


def clash(name: str) -> str:
    """Why a file found in a row's place is not kept: it holds another letter."""
    return (
        f"{name} already exists and holds another letter (from an earlier run with other "
        "data?); move it away or use --force (force=True in Python) to replace it"
    )


def dated_clash(name: str, made_on: Any, today: Any) -> str:
    """Why a file made on another day is not kept: its date is not its row's letter's (with no
    date in the input, a letter is dated the day it is made), so a re-run on a later day found
    every file "from an earlier run with other data?" (tester13); the two ways to go on."""
    return (
        f"{name} already exists and holds another letter, dated {made_on.isoformat()}, where its row's "
        f"letter is dated {today.isoformat()} (with no date in the input, a letter is dated the day it "
        f"is made): to keep the files as they were made, put date: {made_on.isoformat()} in --base; to "
        f"remake them dated {today.isoformat()}, use --force (force=True in Python)"
    )


def _docx_date(data: bytes) -> Any:
    """The date of the letter a .docx file holds (letterkit writes it as the document's
    creation date, midnight that day), or None for a file that holds none."""
    import io
    import re
    import zipfile
    from datetime import date

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            core = package.read("docProps/core.xml")
        found = re.search(rb"<dcterms:created[^>]*>(\d{4}-\d{2}-\d{2})T00:00:00Z<", core)
        return date.fromisoformat(found.group(1).decode()) if found else None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None


# an email file that differs from its row's email although it bears the same date: not one
# made on another day (whose date in --base would send it as made), but edited by hand or
# made from other data (the CLI gives the notice to the send, which says it for the file)
EDITED = (
    " already exists and holds another letter than its row's email, of the same date: edited by "
    "hand since it was made, or made from other data; move it away, or use --force (force=True in Python) to replace it "
    "with its row's email"
)


def _email_date(data: bytes) -> Any:
    """The date of the letter an .eml file holds (its Date header, 09:00 UTC that day), or None."""
    from datetime import timezone
    from email.parser import BytesParser
    from email.policy import compat32
    from email.utils import parsedate_to_datetime

    message = BytesParser(policy=compat32).parsebytes(data, headersonly=True)
    try:
        return parsedate_to_datetime(str(message["Date"])).astimezone(timezone.utc).date()
    except (TypeError, ValueError):
        return None


def resending(job: Job, out: Output) -> bool:
    """Whether the row's email is remade although its file was sent (--resend names it)."""
    return bool(job.sent) and job.path.name in out.resend


SUPERSEDED = "superseded"  # the folder, in the output folder, of sent emails remade by --resend


def supersede(path: Path) -> Path:
    """Keep the sent email ``path`` as ``superseded/<name>`` (``-2``, ``-3`` … if one is there
    already), before its row's email takes its place: it is the record of what was sent. A
    hard link where the file system has them (nothing is copied; ``path`` is then replaced
    atomically, so a failed write leaves it as it was), else a copy."""
    import os
    import shutil

    from ..output import make_folder

    folder = path.parent / SUPERSEDED
    make_folder(folder)
    target, counter = folder / path.name, 1
    while os.path.lexists(target):
        counter += 1
        target = folder / f"{path.stem}-{counter}{path.suffix}"
    try:
        try:
            os.link(path, target)
        except OSError:  # no hard links on this file system (FAT, some network shares)
            shutil.copyfile(path, target)
    except OSError as exc:
        raise OutputError(
            f"{target}: the email as it was sent cannot be kept there ({exc.strerror}); {path.name} "
            "was not remade"
        ) from None
    return target


def _new_address(letter: Any, sent_to: tuple[str, ...]) -> str:
    """The row's address when its email's file was sent to others only ('' if it went there)."""
    address = letter.recipient_email or ""
    known = _plain(address)
    return "" if not address or known in sent_to or address.lower() in sent_to else address


def _plain(address: str) -> str:
    """The address alone, in lower case ('Anna <A@x.example>' → 'a@x.example')."""
    from ..values import header_address

    try:
        return header_address(address).lower()
    except ValueError:
        return address.lower()


READDRESSED = ": this row's address is now "  # marks the notice (the CLI gives it to the send)


def readdressed_notice(name: str, sent: str, new: str) -> str:
    """Why an email that was sent is not sent to its row's address now: the address changed
    (a bounce corrected in the list, say); the way to send it there deliberately."""
    return (
        f"{name}{READDRESSED}{new}, but the file was sent to {sent} and is kept as it was (an email "
        f"that was sent is never replaced); {new} has not got it: to send it there, run again with "
        f"--resend {name}"
    )


GOT_EARLIER = " got the email of this name earlier"  # marks the notice (the CLI says it with the send)


def got_earlier_notice(name: str, sent: str, address: str, day: str) -> str:
    """Why an email that was sent is not sent to its row's address, which got an earlier
    version of it (the row's address changed back after a --resend): nothing goes out twice."""
    return (
        f"{name} was sent to {sent} and is kept as it was (an email that was sent is never replaced); "
        f"this row's address {address}{GOT_EARLIER}{day}, as it was then "
        f"(kept in {SUPERSEDED}/), so nothing is sent to it again"
    )


def sent_notice(name: str, sent: str) -> str:
    """Why an email that differs from its row's now was kept all the same."""
    return (
        f"{name} was sent to {sent} and is kept as it was: an email that was sent is never replaced, "
        "not even with --force (it is what the client received)"
    )


CHANGED = "; its row makes another email now"  # marks the notice (the CLI says it with the send)


def changed_notice(name: str, sent: str) -> str:
    """Why an email that was sent is kept although its row, of the same date, makes another
    one now: the list changed since (an amount corrected, say), and the client has the email
    as it was sent; it said only that the file is kept, as for one made on an earlier day
    (tester13)."""
    return (
        f"{sent_notice(name, sent)}{CHANGED}, of the same date: the list changed since it was sent "
        "(compare the two); no second email goes to an address that got one, so if the change "
        "matters to the client, tell them yourself"
    )


def _email_content(data: bytes) -> tuple[object, ...]:
    """What makes an email this row's: its addresses, subject, Message-ID and text parts."""
    from email import message_from_bytes, policy

    message = message_from_bytes(data, policy=policy.default)
    headers = tuple(str(message.get(name, "")) for name in ("From", "To", "Subject", "Message-ID"))
    texts = []
    for kind in ("plain", "html"):
        part = message.get_body((kind,))
        texts.append(part.get_content() if part is not None else None)
    return (*headers, *texts)
