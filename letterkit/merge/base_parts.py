"""What a row takes from ``--base`` where the two meet: the signer's own details (a row that
names another signer does not print the base's signer's role under that name) and an
optional part the base starts and the row leaves unfinished (said to come from the base)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Problem

# The sender's keys that belong to the person who signs, not to the firm: a row that names
# another person keeps the base's address, phone and email (the firm's, and the mailbox the
# emails go out from), but not "Erika Muster"'s role, gender or title under "Jonas Weber".
SIGNER_NAME_KEYS = ("name", "first_name", "last_name")
SIGNER_KEYS = (*SIGNER_NAME_KEYS, "role", "gender", "title", "courtesy")


def _given(value: object) -> bool:
    return value not in (None, "", [], {})


def other_signer(base: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """True when the row names a signer other than the base's (a name key it gives that
    differs from the base's)."""
    mine, theirs = row.get("sender"), base.get("sender")
    if not isinstance(mine, Mapping) or not isinstance(theirs, Mapping):
        return False
    named = [key for key in SIGNER_NAME_KEYS if _given(mine.get(key))]
    return bool(named) and any(str(mine[key]).strip() != str(theirs.get(key) or "").strip() for key in named)


def signer_keys_left(base: Mapping[str, Any], row: Mapping[str, Any]) -> list[str]:
    """The base's sender keys that are another person's when the row names its own signer
    (and does not give them itself): left out of the row's input."""
    if not other_signer(base, row):
        return []
    mine, theirs = row["sender"], base["sender"]
    return [key for key in SIGNER_KEYS if _given(theirs.get(key)) and not _given(mine.get(key))]


def without_base_signer(merged: dict[str, Any], base: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """The merged input without the base signer's own details under the row's signer."""
    left = signer_keys_left(base, row)
    if left:
        merged["sender"] = {key: value for key, value in merged["sender"].items() if key not in left}
    return merged


def signer_notice(base: Mapping[str, Any], row: Mapping[str, Any]) -> str | None:
    """A row's notice that the base's signer details were not used for its own signer."""
    left = [key for key in signer_keys_left(base, row) if key not in SIGNER_NAME_KEYS]
    if not left:
        return None
    theirs, mine = base["sender"], row["sender"]
    who = theirs.get("name") or " ".join(str(theirs.get(k) or "") for k in ("first_name", "last_name")).strip()
    signer = mine.get("name") or " ".join(str(mine.get(k) or "") for k in ("first_name", "last_name")).strip()
    fields = ", ".join(f"sender.{key} ({theirs[key]})" for key in left)
    # the mailbox stays (a shared one, most often): said, as the letter gives it as the contact
    # of the row's signer and an email goes out from it under the signer's name
    mailbox = theirs.get("email") if _given(theirs.get("email")) and not _given(mine.get("email")) else None
    kept = (
        f"; sender.email ({mailbox}) of --base is kept: the letter gives it as {signer}'s contact, and "
        f"emails go out from it; give sender.email in the row if {signer} has a mailbox of their own"
        if mailbox
        else ""
    )
    return (
        f"the letter is signed by {signer}, not by {who or 'the signer of --base'}: "
        f"{fields} of --base {'is' if len(left) == 1 else 'are'} not printed under another name; "
        f"give {'it' if len(left) == 1 else 'them'} in the row for {signer}{kept}"
    )


def base_part_problem(problem: Problem, base: Mapping[str, Any], row: Mapping[str, Any]) -> Problem:
    """A required key missing from an optional part that only the base gives (``final_invoice:
    {due_date: …}`` in --base, no amount in the row): the row cannot leave out what the base
    gives, so the problem says where the part comes from and the two ways on."""
    top, _, key = problem.path.partition(".")
    # only the advice of a part left unfinished (model._or_leave_out), not a key required
    # for another reason (sender.email for an email)
    if not key or "." in key or not problem.message.endswith(f", or leave {top} out altogether)"):
        return problem
    part, mine = base.get(top), row.get(top)
    if not isinstance(part, Mapping) or not part or (isinstance(mine, Mapping) and any(map(_given, mine.values()))):
        return problem
    given = [str(k) for k, v in part.items() if _given(v)]
    if not given:
        return problem
    what = problem.message[: problem.message.rindex(" (")]
    fields = ", ".join(f"{top}.{k}" for k in given)
    come = "comes" if len(given) == 1 else "come"
    return Problem(
        problem.path,
        f"{what} ({fields} {come} from --base, for every row: give {problem.path} in this row, "
        f"or take {top} out of --base and give it in the rows that have one)",
        problem.line,
    )
