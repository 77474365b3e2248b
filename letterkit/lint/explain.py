"""``letterkit rules``: the rule catalogue (all of it, or a category's or an id prefix's
rules), and one rule explained with its examples."""

from __future__ import annotations

from ..errors import LetterkitError
from .config import selector_matches
from .rules import Rule, load_rules


def _all(lang: str | None) -> list[Rule]:
    return [rule for language in ([lang] if lang else ["de", "en"]) for rule in load_rules(language)]


def list_rules(lang: str | None = None, prefix: str | None = None) -> str:
    """One line per rule: language, id, severity, message. ``prefix``: only the rules a
    ``--select`` of it would choose — a category ("structure"), a rule with the ids under
    it, or the start of ids ("structure/missing")."""
    rules = [r for r in _all(lang) if prefix is None or selector_matches(r.id, prefix)]
    lines = [f"{r.lang}  {r.id:<40} {r.severity:<8} {' '.join(r.message.split())}" for r in rules]
    return "\n".join(lines) + "\n"


def show_rules(name: str | None = None, lang: str | None = None) -> str:
    """What ``letterkit rules [NAME]`` prints: every rule without a name; the rule a whole
    id names ("blame/failed-to", or its part after the category: "failed-to") explained;
    the rules of a category or an id prefix ("structure", "blame/fail") listed, as
    ``--select`` chooses them. A name that matches nothing is an error (exit code 2) with
    the nearest ids and categories. Names are read in any case ("Blame", "BLAME/FAILED-TO")."""
    if not name:
        return list_rules(lang)
    name = name.strip().lower()  # every id is lower case: "Blame" is the category blame
    rules = _all(lang)
    if any(_names(r, name) for r in rules):
        return explain(name, lang)
    if any(selector_matches(r.id, name) for r in rules):
        return list_rules(lang, name)
    raise _unknown(name, lang)


def _names(rule: Rule, name: str) -> bool:
    """Whether ``name`` is the rule's whole id, or its id after the category."""
    return rule.id == name or rule.id.endswith("/" + name)


def _unknown(name: str, lang: str | None) -> LetterkitError:
    """No rule or category of that name: the nearest ones, or the categories; a rule of the
    other language says so."""
    import difflib

    other = [r.lang for r in _all(None) if _names(r, name) or selector_matches(r.id, name)]
    if lang and other:
        error = LetterkitError(
            f"no rule or category '{name}' among the {lang} rules; it is in the {other[0]} rules "
            f"(use --lang {other[0]}, or leave --lang out)"
        )
    else:
        rules = _all(lang)
        names = sorted({r.id for r in rules} | {r.category for r in rules})
        close = difflib.get_close_matches(name, names, n=3)
        categories = ", ".join(sorted({r.category for r in rules}))
        hint = (
            f" Did you mean {', '.join(close)}?"
            if close
            else f" The categories are {categories}; `letterkit rules` lists every rule."
        )
        error = LetterkitError(f"no rule or category '{name}'.{hint}")
    error.exit_code = 2  # a usage error, as for the lint's own options
    return error


def explain(rule_id: str, lang: str | None = None) -> str:
    """What the rule finds, why, what to write instead, and its examples."""
    found = [r for r in _all(lang) if _names(r, rule_id)]
    if not found:
        raise _unknown(rule_id, lang)
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
