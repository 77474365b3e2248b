"""``letterkit rules``: the rule catalogue, and one rule explained with its examples."""

from __future__ import annotations

from ..errors import LetterkitError
from .rules import Rule, load_rules


def _all(lang: str | None) -> list[Rule]:
    return [rule for language in ([lang] if lang else ["de", "en"]) for rule in load_rules(language)]


def list_rules(lang: str | None = None) -> str:
    """One line per rule: language, id, severity, message."""
    lines = [f"{r.lang}  {r.id:<40} {r.severity:<8} {r.message}" for r in _all(lang)]
    return "\n".join(lines) + "\n"


def explain(rule_id: str, lang: str | None = None) -> str:
    """What the rule finds, why, what to write instead, and its examples."""
    found = [r for r in _all(lang) if r.id == rule_id or r.id.endswith("/" + rule_id)]
    if not found:
        import difflib

        ids = sorted({r.id for r in _all(lang)})
        close = difflib.get_close_matches(rule_id, ids, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " `letterkit rules` lists them."
        error = LetterkitError(f"no rule '{rule_id}'.{hint}")
        error.exit_code = 2  # a usage error, as for the lint's own options
        raise error
    blocks = []
    for r in found:
        lines = [f"{r.id} ({r.lang}, {r.category}, {r.severity}, kind {r.kind})", "", f"What: {r.message}"]
        if r.why:
            lines.append(f"Why: {r.why}")
        if r.suggest:
            lines.append(f"Use instead: {r.suggest}")
        for label, key in (("Flagged", "fail"), ("Not flagged", "pass")):
            examples = r.examples.get(key, [])
            if examples:
                lines += ["", f"{label}:"] + [_example(e) for e in examples]
        lines.append(f"\nDefined in letterkit/lint/rules/{r.source}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _example(text: object) -> str:
    """An example under its dash; one of several lines (a structure rule's short draft)
    indented under it."""
    first, *rest = str(text).strip().split("\n")
    return "\n".join([f"  - {first}"] + [f"    {line}" if line.strip() else "" for line in rest])
