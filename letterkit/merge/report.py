"""A merge's report: every row's outcome, in row order, and, with a send, what became of
each row's email; as CSV or JSON (version 1, whose fields are only ever added to)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .results import RowLog, RowResult

if TYPE_CHECKING:
    from .send import SendReport


@dataclass
class MergeReport:
    """Every row's outcome, in row order. As a file (``to_csv``, ``to_json``: version 1,
    whose fields are only ever added to) each row has its row number, status, file,
    problems (errors and notices), ``outcome``, the status in the terminal's words, and
    ``send`` and ``send_detail``, what became of its email when it was sent (``record_send``;
    empty for a row whose email was not sent, or in a merge without a send)."""

    results: RowLog = field(default_factory=RowLog)
    out_dir: str = ""
    combined: str = ""
    combined_status: str = ""  # "written", "kept" (it held these letters, or a letter failed), "not written"
    send: dict[int, tuple[str, str]] = field(default_factory=dict)  # row -> (outcome, detail)
    send_summary: str = ""  # the send's closing line ("3 sent, 1 already sent, ...")
    # letters and emails in the output folder that no row of this run made: an earlier
    # run's (a row since removed, or moved by an inserted one) or put there by hand
    earlier_files: list[str] = field(default_factory=list)
    # the CSV report's separator: ';' when the client list was separated so (German Excel
    # opens a comma-separated file as one column); set by the CLI from the list
    delimiter: str = ","

    def __iter__(self) -> Iterator[RowResult]:
        """Every row's outcome, in row order (``report.results``): ``for row in report``."""
        return iter(self.results)

    def emails(self) -> list[Path]:
        """The emails this run made or kept for its rows (written, or kept from an earlier run
        because they hold the row's email), in row order: what to send. Not an earlier run's
        file left in the folder (``earlier_files``), nor an email kept as it was sent
        although its row's differs now (status ``sent``)."""
        folder = Path(self.out_dir)
        return [
            folder / r.file
            for r in self.results
            if r.status in ("written", "exists") and r.file.endswith(".eml")
        ]

    def record_send(
        self, files: Mapping[int, str | Path], sending: SendReport | None = None, *, not_started: str = ""
    ) -> None:
        """Each row's send outcome (``files``: row -> the email file it sent), as ``sending``
        says: sent, would send (dry run), already sent, uncertain, refused (with the server's
        reply) or not sent (with why). Without ``sending`` the send is still to come: each is
        ``pending`` (a report written before the send, kept if the run is killed while sending)
        or, with ``not_started``, ``not sent`` for that reason."""
        for row, file in files.items():
            if sending is not None:
                self.send[row] = sending.outcome(file)
            elif not_started:
                self.send[row] = ("not sent", not_started)
            else:
                self.send[row] = ("pending", _PENDING)
        if sending is not None:
            self.send_summary = sending.summary() if sending.finished else sending.stopped_summary()

    def count(self, status: str) -> int:
        """How many rows have ``status``: one of written, exists, sent, failed, stopped,
        valid (a misspelt status is a ``UsageError``, not a count of 0 that hides a failure)."""
        from .results import OUTCOMES

        if status not in OUTCOMES:
            import difflib

            from ..errors import UsageError

            close = difflib.get_close_matches(status, list(OUTCOMES), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise UsageError(f"count(): unknown status {status!r}; {hint}the statuses are {', '.join(OUTCOMES)}")
        return self.results.count(status)

    @property
    def failed(self) -> list[RowResult]:
        """The rows that failed, each with its row number, file and problems."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        """No row failed, and no row's email went to an address the row no longer has
        (``readdressed``: the new address has not got it)."""
        return not self.failed and not self.readdressed()

    def readdressed(self) -> dict[int, str]:
        """The rows whose email was sent to an address the row no longer has (a bounce
        corrected in the list), each with the notice that says so and how to send it to the
        new address (``--resend``; ``merge(..., resend=[name])`` from Python)."""
        from .existing import READDRESSED

        found = {}
        for r in self.results:
            if r.status == "sent":
                notice = next((p for p in r.problems if READDRESSED in p), "")
                if notice:
                    found[r.row] = notice
        return found

    def to_csv(self, delimiter: str | None = None) -> str:
        """The report as CSV, separated by ``delimiter`` (default: the report's own)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter or self.delimiter, lineterminator="\n")
        # columns are only added, at the end: outcome, then send and send_detail
        writer.writerow(["row", "status", "file", "problems", "outcome", "send", "send_detail"])
        for r in self.results:
            send, detail = self.send.get(r.row, ("", ""))
            problems = _cell(" | ".join(r.problems))
            writer.writerow([r.row, r.status, _cell(r.file), problems, r.outcome, send, _cell(detail)])
        return buffer.getvalue()

    def to_json(self) -> str:
        """The report as JSON (version 1): every row's number, status, file and problems."""
        return (
            json.dumps(
                {
                    "version": 1,
                    "out_dir": self.out_dir,
                    "combined": self.combined,
                    "combined_status": self.combined_status,
                    "send_summary": self.send_summary,
                    "earlier_files": self.earlier_files,
                    "results": [
                        {**asdict(r), "outcome": r.outcome, **self._send_fields(r.row)} for r in self.results
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )

    def _send_fields(self, row: int) -> dict[str, str]:
        send, detail = self.send.get(row, ("", ""))
        return {"send": send, "send_detail": detail}


_PENDING = (
    "the send had not ended when this report was written (the run was killed?); the folder's "
    "sent-log (.letterkit-sent.jsonl) says what went out, and the same command goes on from there"
)


def _cell(text: str) -> str:
    """A report cell a spreadsheet shows as text: one starting with = + - @ (or a tab or CR)
    would be run as a formula when the report is opened in Excel, so it gets a leading '."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
