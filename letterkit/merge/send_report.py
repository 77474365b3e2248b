"""How a send went: the report that does the sending as it is iterated, one line per
message, and holds the counts and each message's outcome in a report's words."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import InitVar, dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import LetterkitError
from .sent_log import SENT_LOG

_CUT_OFF = "sending was cut off after the server accepted the DATA command: it may have arrived"


class _Outcome(NamedTuple):
    kind: str  # the SendReport count it adds to
    line: str  # what the terminal says ("" for a message only counted: one left by the limit)
    messages: int = 1
    accepted: bool = False  # the server took the message (for some addresses at least), or may have
    file: str = ""  # the message's file name ("" for a line about the run)
    said: str = ""  # its outcome in a report's words (SENT_OUTCOMES); "" for the kind's own
    detail: str = ""  # to whom, when, the server's reply, why not
    for_now: bool = False  # refused with a 4xx reply only (greylisting, a full mailbox): a later run may send it


# A message's outcome in the words of a report (SendReport.results, the merge's --report):
# the count each kind adds to, said as the terminal says it. A message refused for some of
# its addresses only is "refused" too, its detail naming those it was sent to.
SENT_OUTCOMES = {
    "sent": "sent",
    "would_send": "would send",
    "already_sent": "already sent",
    "uncertain": "uncertain",
    "failed": "not sent",
    "remaining": "not sent",
    "same_email": "not sent",
}


@dataclass(eq=False)
class SendReport:
    """How a send went. Iterating it does the sending and yields one line per message
    (the CLI prints them); the counts are complete once the iteration has ended."""

    dry_run: bool
    outcomes: InitVar[Iterator[_Outcome]]
    sent: int = 0  # accepted by the server in this run
    would_send: int = 0  # dry run: would have been sent
    already_sent: int = 0  # sent by an earlier run (the sent-log says so), skipped
    # the same email (Message-ID) as another file of this send, to the same address: sent once
    same_email: int = 0
    uncertain: int = 0  # the connection dropped mid-message, in this run or an earlier one
    failed: int = 0  # refused by the server (for every recipient or some), or not sent
    remaining: int = 0  # not tried because the limit (of messages accepted) was reached
    finished: bool = False  # every message was looked at (or the limit reached)
    total: int = 0  # the messages given to the send
    folder: str = ""  # where they are, with the sent-log
    interrupted: bool = False  # Ctrl-C or SIGTERM stopped the send (see stopped_summary)
    in_flight: str = ""  # the file being sent when it stopped, if it may have arrived
    cut_off: str = ""  # why the send stopped before the end (the server could not be reached again)
    left_why: str = "limit reached"  # why messages were left for the next run

    def __post_init__(self, outcomes: Iterator[_Outcome]) -> None:
        self._outcomes = outcomes
        # each message's outcome, by file name: (outcome, detail) in a report's words
        self.results: dict[str, tuple[str, str]] = {}

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while True:
            try:
                outcome = next(self._outcomes)
            except StopIteration:
                self.finished = True
                raise
            except KeyboardInterrupt as exc:  # the counts so far stand; the exception goes on
                self.interrupted = True
                self.in_flight = str(getattr(exc, "in_flight", ""))
                self.uncertain += bool(self.in_flight)
                if self.in_flight:
                    self.results[self.in_flight] = ("uncertain", _CUT_OFF)
                raise
            except LetterkitError as exc:  # the server gone mid-send: the counts so far stand
                self.cut_off = str(exc)
                raise
            setattr(self, outcome.kind, getattr(self, outcome.kind) + outcome.messages)
            if outcome.kind == "remaining" and not outcome.file and outcome.detail:
                self.left_why = outcome.detail
            if outcome.file:
                self.results[outcome.file] = (outcome.said or SENT_OUTCOMES[outcome.kind], outcome.detail)
            if outcome.line:
                return outcome.line

    def outcome(self, file: str | Path) -> tuple[str, str]:
        """A message's outcome and its detail in a report's words ("refused", "550 5.1.1 no
        such user"): sent, would send, already sent, uncertain, refused or not sent (with
        why: refused at connection, left by the limit, not reached as the send stopped)."""
        name = Path(file).name
        if name in self.results:
            return self.results[name]
        if self.interrupted:
            return "not sent", "the send was stopped before this email"
        if self.cut_off:
            return "not sent", f"the send stopped before this email: {self.cut_off}"
        return "not sent", "the send did not reach this email"

    @property
    def left(self) -> int:
        """The messages not looked at yet (an interrupted send): a next run sends them, or
        skips those the sent-log lists as sent."""
        done = (
            self.sent + self.would_send + self.already_sent + self.same_email + self.uncertain + self.failed
        )
        return max(self.total - done - self.remaining, 0)

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
        if self.same_email:
            first += f", {self.same_email} the same as another email of this run (not sent twice)"
        text = f"{first}, {self.already_sent} already sent, {self.uncertain} uncertain, {self.failed} failed"
        if self.remaining:
            text += f"; {self.remaining} left for the next run ({self.left_why})"
        return text + "."

    def stopped_summary(self) -> str:
        """What an interrupted send (or one stopped by an error, ``cut_off``: the server gone)
        did and how to go on: how many emails went out in this run, how many are left, and
        that the same command resumes without sending any twice (the sent-log lists each
        email sent, and one that may have arrived)."""
        if self.dry_run:
            return (
                f"Interrupted during the dry run: nothing was sent; {_emails(self.would_send)} listed, "
                f"{self.left} not looked at."
            )
        # each email counted once: the uncertain ones (which may have arrived) are not among
        # those not sent yet ("27 not sent yet (1 uncertain)" read as if they were)
        counts = [
            f"{count} {what}"
            for count, what in (
                (
                    self.uncertain,
                    "uncertain (it may have arrived)"
                    if self.uncertain == 1
                    else "uncertain (they may have arrived)",
                ),
                (self.failed, "failed"),
                (self.already_sent, "already sent by an earlier run"),
                (self.same_email, "the same as another email of this run"),
            )
            if count
        ]
        counts.append(f"{self.left} not sent yet")
        stopped = "The send stopped" if self.cut_off and not self.interrupted else "Interrupted while sending"
        text = f"{stopped}: {_emails(self.sent)} sent in this run, {', '.join(counts)}."
        if self.in_flight:
            text += (
                f" {self.in_flight} was being sent as the run stopped and may have arrived: the next run "
                "reports it as uncertain and sends it again only with --retry-uncertain, once you have "
                "checked."
            )
        log = os.path.join(self.folder, SENT_LOG) if self.folder else SENT_LOG
        return text + (
            f" Run the same command again to send the rest: the sent-log ({log}) lists every email "
            "sent, so none is sent twice."
        )


def _emails(count: int) -> str:
    return f"{count} email{'s' if count != 1 else ''}"
