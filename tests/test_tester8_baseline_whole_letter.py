"""A baseline keeps what a letter lacks accepted (tester 8). "No end date" and "no thanks
at the end" are about the whole letter; the finding only points at a sentence (the first
one of the body, the last one), so a baseline that recorded them by that sentence brought
them back as new when the writer added a first sentence or reworded the last one — while
the problem was the same one it had accepted."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from letterkit.cli import main

DRAFT = (
    "Dear Mr Hollis,\n\n"
    "The invoice was due on 1 March. Your accounts team simply ignored every reminder we sent.\n\n"
    "Please settle the amount of £4,200 by Friday.\n\n"
    "Regards,\nMark\n"
)
EDITED = (
    "Dear Mr Hollis,\n\n"
    "I hope you are well.\n\n"
    "The invoice was due on 1 March. Your accounts team simply ignored every reminder we sent.\n\n"
    "You never read anything we send.\n\n"
    "Please settle the amount of £4,200 by Friday at the latest.\n\n"
    "Regards,\nMark\n"
)
WHOLE = {"structure/missing-end-date", "structure/missing-thanks"}


def lint(*args: str) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(main, ["lint", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_what_the_letter_lacks_stays_accepted_after_edits(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    base = tmp_path / "base.json"
    code, before = lint(str(draft))
    assert {f["rule"] for f in before} >= WHOLE  # the draft lacks both
    assert CliRunner().invoke(main, ["lint", "--write-baseline", str(base), str(draft)]).exit_code == 0
    draft.write_text(EDITED, encoding="utf-8")
    code, after = lint("--baseline", str(base), str(draft))
    rules = {f["rule"] for f in after}
    assert not rules & WHOLE, after  # still lacking, still accepted
    assert "absolute/never" in rules  # the new sentence's finding shows
    assert "blame/your-team" not in rules  # the unchanged sentence stays accepted
    assert code == 1


def test_a_baseline_written_before_still_accepts_them(tmp_path: Path) -> None:
    """An earlier baseline recorded them by path, rule and sentence: still matched."""
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    code, found = lint(str(draft))
    accepted = {}
    for f in found:
        sentence = " ".join(str(f["sentence"]).split())
        key = hashlib.sha1(f"draft.txt\0{f['rule']}\0{sentence}".encode()).hexdigest()[:16]
        accepted[key] = {"rule": f["rule"], "path": "draft.txt", "text": f["text"]}
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"version": 1, "accepted": accepted}), encoding="utf-8")
    code, left = lint("--baseline", str(base), str(draft))
    assert (code, left) == (0, [])
