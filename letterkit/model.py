"""The input contract: validate a dict (from YAML, JSON, a merge row or Python) into a
typed ``Termination``, reporting every problem at once with its dotted field path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .errors import InputError, Problem
from .locales import address_country, currency_codes, default_currency, locale_hint
from .parts import load, reason_codes
from .row_caches import ROW_VALUES
from .schema import COURTESIES, INPUT, LOCALES, Spec
from .values import (
    YES_NO_SPELLINGS,
    _parse_date,
    amount_currencies,
    brief_repr,
    currency_matches,
    email_problem,
    read_amount,
    slashed_date,
    spreadsheet_residue,
    yes_or_no,
)


@dataclass(frozen=True)
class Party:
    """Sender or recipient."""

    company: str | None = None
    name: str | None = None
    role: str | None = None
    gender: str = "unknown"
    title: str | None = None
    courtesy: str | None = None  # Mrs or Miss instead of Ms in English (see schema.COURTESIES)
    first_name: str | None = None
    last_name: str | None = None
    street: str | None = None
    address_extra: str | None = None  # above the street: c/o, a department, a flat or suite
    postal_code: str | None = None
    city: str | None = None
    state: str | None = None  # US/Canadian addresses: "Springfield, IL 62701"
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    legal: str | None = None
    voice: str | None = None  # the sender's: "I" or "we" (schema.SENDER_FIELDS); None: by company

    @property
    def person(self) -> str:
        """The person's name as written in an address ("Dr. Anna Schneider")."""
        if self.first_name or self.last_name:
            parts = [self.title, self.first_name, self.last_name]
            return " ".join(p for p in parts if p)
        return self.name or ""


@dataclass(frozen=True)
class Contract:
    name: str | None = None
    reference: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Opening:
    discussed: str
    date: dt.date


@dataclass(frozen=True)
class Step:
    kind: str
    count: int | None = None
    date: dt.date | None = None
    dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Work:
    tasks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class FinalInvoice:
    amount: Money
    number: str | None = None
    due_date: dt.date | None = None


@dataclass(frozen=True)
class Refund:
    amount: Money
    method: str | None = None
    by: dt.date | None = None
    kind: str | None = None  # prepayment, overpayment, credit_balance; None: not said


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Handover:
    export: str | None = None
    by: dt.date | None = None
    accounts: tuple[str, ...] = ()
    meeting: dt.date | None = None
    support_until: dt.date | None = None
    contact: Contact | None = None
    providers: tuple[str, ...] = ()
    returns: tuple[str, ...] = ()  # things given back (keys, key cards), never accounts
    collect: tuple[str, ...] = ()  # the sender's things the client gives back (keys, key cards)


@dataclass(frozen=True)
class Thanks:
    since: int | None = None


@dataclass(frozen=True)
class Termination:
    """A validated termination: everything compose() needs, typed."""

    locale: str
    sender: Party
    recipient: Party
    end_date: dt.date
    date: dt.date
    channel: str = "letter"
    register: str = "sie"
    contract: Contract | None = None
    opening: Opening | None = None
    reasons: tuple[str, ...] = ()
    reason_note: str | None = None
    steps_taken: tuple[Step, ...] = ()
    work: Work | None = None
    final_invoice: FinalInvoice | None = None
    refund: Refund | None = None
    handover: Handover | None = None
    enclosures: tuple[str, ...] = ()
    thanks: Thanks | None = Thanks()
    wishes: bool = True

    @property
    def lang(self) -> str:
        return self.locale[:2]


# Control characters break XML and mail headers; bidi overrides can disguise text, and
# zero-width and other invisible format characters (U+200B-U+200F, U+2060, U+FEFF) slip
# into letters and file names unseen.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)  # and a lone surrogate (U+D800-DFFF), which no file or email can hold (tester10)
# A TAB in a one-line value (a name, a street) is whitespace, written as one space.
_TABS = re.compile(r" *\t[ \t]*")
# a letter or a digit: a value without one ("-", "...", "?") is a placeholder, not a value
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def canonical_choice(spec: Spec, value: Any) -> str | None:
    """An enum value as one of ``spec.choices``: as written, in other capitals ("Du",
    "EMAIL"), or through an alias (compared case-insensitively, a trailing dot ignored:
    "Hr.", "MRS", "E-Mail"); None if none of them."""
    text = str(value).strip()
    if text in spec.choices:
        return text
    key = text.casefold().rstrip(".").strip()
    for choice in spec.choices:
        if choice.casefold() == key:
            return choice
    if spec.aliases and key in spec.aliases:
        return spec.aliases[key]
    return None


_LAST_STEP = re.compile(r"(?:\.[^.\[\]]*|\[\d+\])$")  # ".email" of recipient.email, "[0]"


class _Checker:
    """Walks raw input against the schema, collecting problems instead of stopping."""

    def __init__(
        self,
        lines: Mapping[str, int] | None,
        reasons: tuple[str, ...],
        locale: str | None = None,
        memo: ValidationMemo | None = None,
    ) -> None:
        self.memo = memo
        self.problems: list[Problem] = []
        self.lines = lines or {}
        self.reasons = reasons
        self.locale = locale  # how an ambiguous amount such as 1.000 is read
        self.reported: set[str] = set()
        self.amount_currencies: dict[str, tuple[str, tuple[str, ...]]] = {}  # path → (cell, codes)
        self.anrede_titles: dict[str, tuple[str, str]] = {}  # gender path → (Anrede, its title)

    def problem(self, path: str, message: str, near: str | None = None) -> None:
        """Report a problem at ``path``, on its line, or for a field not written on that
        of the field ``near`` it (where it is to be added), else on that of the block that
        holds it (a missing ``recipient.email`` on the line of ``recipient:``)."""
        line = self.lines.get(path)
        if line is None and near is not None:
            line = self.lines.get(near)
        holder = path
        while line is None:
            above = _LAST_STEP.sub("", holder)
            if above == holder:  # a field at the top: it has no block
                break
            holder = above
            line = self.lines.get(holder)
        self.problems.append(Problem(path, message, line))
        self.reported.add(path)

    def was_reported(self, *paths: str) -> bool:
        """Whether a value at one of ``paths`` was already found invalid (its consequences,
        such as a now missing required field, are not reported again)."""
        return any(path in self.reported for path in paths)

    def check(self, spec: Spec, value: Any, path: str) -> Any:
        if self.memo is not None and spec.kind == "object" and isinstance(value, dict):
            return self._remembered(spec, value, path, self.memo)
        return _KINDS[spec.kind](self, spec, value, path)

    def _remembered(self, spec: Spec, value: dict[str, Any], path: str, memo: ValidationMemo) -> Any:
        """``_object``, or its result for the very same shared mapping validated before at this
        path. Only a mapping whose validation left no trace is remembered: no problem, nothing
        pending for another field."""
        if memo.shared.get(id(value)) is not value:
            return self._object(spec, value, path)
        key = (id(value), id(spec), path, self.locale)
        seen = memo.results.get(key)
        if seen is not None:
            return dict(seen)
        before = (
            len(self.problems),
            len(self.reported),
            len(self.amount_currencies),
            len(self.anrede_titles),
        )
        out = self._object(spec, value, path)
        after = (len(self.problems), len(self.reported), len(self.amount_currencies), len(self.anrede_titles))
        if out is not None and before == after:
            memo.results[key] = dict(out)
        return out

    def _object(self, spec: Spec, value: Any, path: str) -> dict[str, Any] | None:
        flag = yes_or_no(value) if spec.allow_false else None  # true, ja, yes, 1 ...
        if flag is not None:
            return None if flag is False else {}  # true: the block with its defaults
        if not isinstance(value, (dict, Mapping)):  # a dict first: no call of the ABC's check
            self.problem(path, _not_a_mapping(spec, value, path))
            return None
        out: dict[str, Any] = {}
        for key, sub_value in value.items():
            sub_path = f"{path}.{key}" if path else str(key)
            if key not in spec.fields:
                hint = (
                    _split_by_comma(value, key, spec)
                    or _german_field(str(key), spec.fields)
                    or _did_you_mean(str(key), spec.fields)
                )
                self.problem(sub_path, f"unknown key{hint}")
                continue
            if sub_value is None or sub_value == "":
                continue
            out[key] = self.check(spec.fields[key], sub_value, sub_path)
        if "courtesy" in spec.fields and out.get("title"):
            self._courtesy_from_title(out, value, path)
        if self.anrede_titles:
            self._title_from_anrede(out, path)
        if "courtesy" in spec.fields:
            _courtesy_from_gender(out, value)
            if out.get("courtesy") and out.get("gender", "female") != "female":
                self.problem(
                    f"{path}.courtesy" if path else "courtesy",
                    f"{out['courtesy']} addresses a woman, but gender is {out['gender']}; correct one of them",
                )
        for key, sub in _required(spec):
            if key not in out and (value.get(key) in (None, "")):
                sub_path = f"{path}.{key}" if path else key
                # the description's first clause says what is missing; the rest explains the
                # value's form ("Gross amount; a currency written with it must be ...")
                what = sub.description.split(";")[0].strip().lower()
                if sub.kind == "enum" and sub.choices and len(sub.choices) <= 8:  # "locale: one of de-DE, …"
                    what = f"{what or 'missing'}, one of {', '.join(sub.choices)}"
                self.problem(sub_path, f"required: {what or 'missing'}{_or_leave_out(path, value)}")
        return out

    def _list(self, spec: Spec, value: Any, path: str) -> list[Any]:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            self.problem(
                path,
                f"expected a list, got {_shown(value)}; write it as [first, second] or as lines "
                "that start with '- ' under the key (one item is a list too: [item])",
            )
            return []
        item = spec.item or Spec("str")
        return [self.check(item, v, f"{path}[{i}]") for i, v in enumerate(value)]

    def _str(self, spec: Spec, value: Any, path: str) -> str | None:
        if spec.lines and (isinstance(value, list) or (isinstance(value, str) and "\n" in value.strip())):
            return self._lines(spec, value, path)
        if isinstance(value, bool):
            self.problem(path, f"expected text, got {_kind(value)}{_YAML_BOOLEAN}")
            return None
        if not isinstance(value, (str, int, float)):
            self.problem(path, f"expected text, got {_kind(value)}")
            return None
        text = str(value).strip()
        if "\n" in text or "\r" in text or "\u2028" in text or "\u2029" in text:
            self.problem(path, "line breaks are not allowed here; write it on one line" + _extra_line_hint(path, text))
            return None
        if "\t" in text:
            text = _TABS.sub(" ", text)
        if text.startswith(("=", "#")):  # a formula or error value in any field, not only in names (tester3)
            residue = spreadsheet_residue(text)
            if residue:
                self.problem(path, f"'{text}' {residue}")
                return None
        return self._clean(text, path, str(value), spec.required)

    def _lines(self, spec: Spec, value: Any, path: str) -> str | None:
        """A text of several lines (a list, or text with line breaks): each line checked as
        one-line text, empty ones left out, kept joined with line breaks."""
        items = value if isinstance(value, list) else value.strip().splitlines()
        lines = []
        for i, item in enumerate(items):
            line = self._str(replace(spec, lines=False, required=False), item, f"{path}[{i}]")
            if line:
                lines.append(line)
        return "\n".join(lines) or None

    def _text(self, spec: Spec, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            self.problem(path, f"expected text, got {_kind(value)}")
            return None
        return self._clean(" ".join(value.split()), path, value, spec.required)

    def _clean(self, text: str, path: str, typed: str | None = None, required: bool = False) -> str | None:
        """``text`` in NFC, or None with a problem for an invisible character (its position
        counted in the value as ``typed``, before spaces were tidied) or for a placeholder
        without a letter or digit ("-", "...")."""
        # every character _FORBIDDEN names is unprintable (Cc, Cf, Cn): a printable text,
        # as nearly every value is, holds none (isprintable runs in C, far faster)
        bad = None if text.isprintable() else _FORBIDDEN.search(text)
        if bad:
            char = bad.group()
            where = (typed.find(char) if typed else -1) + 1 or bad.start() + 1
            name = unicodedata.name(char, "")
            code = f"U+{ord(char):04X}" + (f" ({name.lower()})" if name else "")
            if "\ud800" <= char <= "\udfff":  # half of a character: a text cut or decoded wrongly
                self.problem(
                    path,
                    f"contains a lone surrogate {code} at position {where} (half of a character, from a "
                    "text cut or decoded wrongly); type the character again",
                )
                return None
            self.problem(
                path,
                f"contains the invisible control character {code} at position {where}; remove it",
            )
            return None
        if text and not _LETTER_OR_DIGIT.search(text):
            self.problem(
                path,
                f"{text!r} has no letter or digit; write the real value"
                + ("" if required else ", or leave the field out if there is none"),
            )
            return None
        return unicodedata.normalize("NFC", text)

    def _email(self, spec: Spec, value: Any, path: str) -> str | None:
        text = self._str(spec, value, path)
        if text is None:
            return None
        problem = email_problem(text)
        if problem:
            self.problem(path, problem)
            return None
        return text

    def _enum(self, spec: Spec, value: Any, path: str) -> str | None:
        choice = canonical_choice(spec, value)
        if choice is not None:
            return choice
        text = str(value).strip()
        if spec.title_after:
            split = _anrede_with_title(spec, text)
            if split is not None:
                self.anrede_titles[path] = (text, split[1])
                return split[0]
        hint = _did_you_mean(text, spec.choices)
        if path == "locale":  # a country or language letterkit does not have: where to go instead
            nearby = locale_hint(text, spec.choices)
            hint = f"; {nearby}" if nearby else hint
        also = f" (or {', '.join(spec.aliases)})" if spec.aliases else ""
        title = self._title_hint(text, path) if spec.title_after else ""
        if title.startswith(":"):  # a title: the other spellings of a gender are beside the point
            also = hint = ""
        self.problem(
            path, f"'{text}' is not allowed; expected one of {', '.join(spec.choices)}{also}{hint}{title}"
        )
        return None

    def _title_hint(self, text: str, path: str) -> str:
        """Where a title given as the gender goes; assumes no gender ('Dr' may be anyone's)."""
        where = path.rpartition(".")[0]
        title = f"{where + '.' if where else ''}title"
        english = (self.locale or "").startswith("en")
        words = text.split()
        if words and all("." in word or word.casefold() in _TITLE_WORDS for word in words):
            neutral = "'Dear Dr Taylor'" if english else "'Guten Tag, Dr. Alex Berg,'"
            return (
                f": '{text}' is a title, not a gender; put it in {title} and the gender, if known, here "
                f"(without one the salutation is neutral: {neutral}). "
                + (
                    f"A CRM's Title column (Mr, Mrs, Ms, Dr) maps to {title}, which takes the gender "
                    "from Mr, Mrs, Ms, Miss and Mx"
                    if english
                    else f"A Titel column maps to {title}, which takes the gender from Frau and Herr "
                    "('Herr Dr.') as well"
                )
            )
        return f"; an academic title belongs in {title} (e.g. title: {'Dr' if english else 'Dr.'})"

    def _courtesy_from_title(self, out: dict[str, Any], raw: Mapping[str, Any], path: str) -> None:
        """A form of address at the start of ``title``, as a CRM's Title column holds it (Mr,
        Mrs, Ms, Miss, Mx, Herr, Frau, in German and English letters alike): the gender it says
        (Mrs and Miss also the courtesy), as if given there, and no part of the title; what
        follows it stays the title ('Mr Dr' → Dr). A different gender or courtesy given is an
        error that names both (an explicit gender 'unknown' yields to the title, as it does
        to ``courtesy``)."""
        title = str(out["title"])
        first, _, rest = title.partition(" ")
        said = _COURTESY_TITLES.get(first.rstrip(".").casefold())
        if said is None:
            return
        gender, courtesy = said
        where = f"{path}.title" if path else "title"
        if _second_form(rest):  # "Mr & Mrs", "Herr und Frau": two people, one salutation
            self.problem(
                where,
                f"'{title}' addresses two people, and a letter goes to one recipient; give the form "
                f"of address of the one it is written to (e.g. title: {first}), or leave {where} "
                "out for a salutation that names no gender",
            )
            del out["title"]
            return
        given = out.get("gender")
        if given not in (None, "unknown", gender):
            self.problem(
                where,
                f"'{first}' addresses {_ADDRESSES[gender]}, but {path}.gender is {given}; correct one "
                f"of them (or leave {path}.gender out: the title says it)",
            )
            return
        typed = str(raw.get("gender") or "").strip().rstrip(".").casefold()
        other = out.get("courtesy") or _COURTESY_FORMS.get(typed)
        if courtesy and other and "Ms" not in (courtesy, other) and other != courtesy:  # Ms: any woman
            named = (
                f"{path}.courtesy '{out['courtesy']}'"
                if out.get("courtesy")
                else f"{path}.gender '{raw.get('gender')}'"
            )
            self.problem(where, f"'{first}' and {named} differ; keep one of them")
            return
        out["gender"] = gender
        if courtesy and courtesy != "Ms":
            out.setdefault("courtesy", courtesy)
        if rest.strip():
            out["title"] = " ".join(rest.split())
        else:
            del out["title"]

    def _title_from_anrede(self, out: dict[str, Any], path: str) -> None:
        """Move the title of an Anrede such as 'Herr Dr.' into the party's empty ``title``;
        a different title given in both places is an error that says which to keep."""
        found = self.anrede_titles.pop(f"{path}.gender", None)
        if found is None:
            return
        anrede, title = found
        given = out.get("title")
        if not given:
            if not self.was_reported(f"{path}.title"):
                out["title"] = title
            return
        if _title_key(given) != _title_key(title):
            self.problem(
                f"{path}.gender",
                f"'{anrede}' has the title '{title}', but {path}.title is '{given}'; keep one: "
                f"write {path}.gender without the title, or correct {path}.title",
            )

    def _reasons(self, spec: Spec, value: Any, path: str) -> list[str]:
        if isinstance(value, str):  # one code, or several as a merge's cell holds them
            value = [code for code in _REASON_SPLIT.split(value.strip()) if code]
        codes = self._list(_CODES, value, path)
        # as the other choices, in any capitals ("Capacity", "PAYMENT_TERMS")
        codes = [c.lower() if c is not None and c.lower() in self.reasons else c for c in codes]
        for i, code in enumerate(codes):
            if code is not None and code not in self.reasons:
                self.problem(
                    f"{path}[{i}]",
                    f"unknown reason code '{code}'{_did_you_mean(code, self.reasons)}; "
                    "`letterkit parts` lists the codes",
                )
        return [c for c in codes if c in self.reasons]

    def _date(self, spec: Spec, value: Any, path: str) -> date | None:
        parsed = _parse_date(value)
        if parsed is None and isinstance(value, str):
            parsed = slashed_date(value, self.locale)
        if isinstance(parsed, date):
            return parsed
        residue = spreadsheet_residue(value) if isinstance(value, str) else None
        if residue:  # "#N/A" in a date column, as in an amount column
            self.problem(path, f"'{value.strip()}' {residue}")
            return None
        self.problem(path, parsed or _not_a_date(value, self.locale))
        return None

    def _amount(self, spec: Spec, value: Any, path: str) -> Decimal | None:
        amount = read_amount(value, self.locale)
        if isinstance(value, str):
            codes = amount_currencies(value)
            # compared with the letter's currency once the whole input is read, also when
            # the digits are in doubt ('EUR 1.190' in a Swiss letter): both are told at once
            if codes:
                self.amount_currencies[path] = (value, codes)
        if isinstance(amount, str):
            self.problem(path, amount)
            return None
        return amount

    def _currency(self, spec: Spec, value: Any, path: str) -> str | None:
        code = str(value).strip().upper()
        codes = currency_codes()
        if code in codes:
            return code
        self.problem(
            path,
            f"'{value}' is not an ISO 4217 currency code (EUR, CHF, GBP, USD, ...)"
            f"{_did_you_mean(code, ('EUR', 'CHF', 'GBP', 'USD'))}",
        )
        return None

    def _int(self, spec: Spec, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(path, f"expected a whole number of 0 or more, in digits (3, not 'three'), got {brief_repr(value)}")
            return None
        return value

    def _year(self, spec: Spec, value: Any, path: str) -> int | None:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            self.problem(path, f"expected a year such as 2021, got {brief_repr(value)}")
            return None
        return value

    def _bool(self, spec: Spec, value: Any, path: str) -> bool | None:
        flag = yes_or_no(value)
        if flag is not None:
            return flag
        self.problem(path, f"expected true or false, or {YES_NO_SPELLINGS}; got {brief_repr(value)}")
        return None


# Titles a CRM writes after the Anrede without a dot ("Herr Dr", "Frau DI"); any word
# with a dot (Dr., Prof., Dipl.-Ing., Mag.a, med.) is taken as a title as well.
_DOTLESS_TITLES = frozenset(
    ("dr", "prof", "di", "mag", "ing", "dipl-ing", "phd", "mba", "msc", "bsc", "ma", "ba", "llm")
)


def _anrede_with_title(spec: Spec, text: str) -> tuple[str, str] | None:
    """'Herr Dr.' → ('male', 'Dr.'); 'Frau Prof. Dr.' → ('female', 'Prof. Dr.'); None when
    the first word is no gender or the rest does not look like a title ('Herr Müller')."""
    first, _, rest = text.partition(" ")
    rest = " ".join(rest.split())
    gender = canonical_choice(spec, first) if rest else None
    if gender is None:
        return None
    words = rest.split()
    if all("." in word or word.casefold() in _DOTLESS_TITLES for word in words):
        return gender, rest
    return None


def _title_key(title: str) -> str:
    """A title compared leniently: 'Dr.' = 'dr' = 'Dr', 'Prof. Dr.' = 'Prof.Dr.'."""
    return "".join(c for c in title.casefold() if c.isalnum())


# A currency written with an amount: an ISO code or a symbol, before or after the number.
def _not_a_mapping(spec: Spec, value: Any, path: str) -> str:
    """What a block given as a single value must be instead, with its keys and an example
    in the input's own notation (``thanks: {since: 2021}``)."""
    name = path.rsplit(".", 1)[-1].split("[")[0] or "the input"
    first = next(iter(spec.fields), "")
    example = f"{name}: {{{first}: ...}}"
    if spec.allow_false:
        sample = value if isinstance(value, int) and not isinstance(value, bool) else None
        if sample is None and first and spec.fields[first].kind == "year":
            sample = 2021
        hint = f" ({name}: {{{first}: {sample}}})" if sample is not None else f" ({example})"
        spellings = f"for true and false also {YES_NO_SPELLINGS}; " if isinstance(value, str) else ""
        return (
            f"expected true, false or a mapping with the key(s) {', '.join(spec.fields)}{hint}; "
            f"{spellings}got {_shown(value)}"
        )
    return (
        f"expected a mapping with the key(s) {', '.join(spec.fields)} (in YAML {example} or "
        f"indented 'key: value' lines under {name}:, in JSON \"{name}\": {{\"{first}\": ...}}); got {_shown(value)}"
    )


def _shown(value: Any) -> str:
    """A value for a message: its kind, and the value itself when it is short."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and len(str(value)) <= 40:
        return f"{_kind(value)} '{value}'"
    return _kind(value)


# YAML 1.1 (PyYAML) reads a bare yes/no/on/off/true/false as true/false: the country code
# NO (Norway) or a name such as "On" typed without quotes arrives as a boolean.
_YAML_BOOLEAN = (
    "; YAML reads a bare NO, Yes, On, Off, true or false as true/false (NO for Norway too): "
    'put the value in quotes, such as country: "NO"'
)


def _kind(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


# Field names as a German export or a German user writes them ('recipient.nachname'): the
# field meant, suggested where the block has that field (a close spelling would mislead:
# 'nachname' is nearest to 'name', the whole name).
GERMAN_FIELDS = {
    "vorname": "first_name",
    "nachname": "last_name",
    "familienname": "last_name",
    "firma": "company",
    "unternehmen": "company",
    "strasse": "street",
    "straße": "street",
    "adresszusatz": "address_extra",
    "plz": "postal_code",
    "postleitzahl": "postal_code",
    "ort": "city",
    "stadt": "city",
    "land": "country",
    "bundesland": "state",
    "anrede": "gender",
    "titel": "title",
    "telefon": "phone",
    "rolle": "role",
    "funktion": "role",
    "betrag": "amount",
    "summe": "amount",
    "nummer": "number",
    "rechnungsnummer": "number",
    "faellig": "due_date",
    "fällig": "due_date",
    "faelligkeit": "due_date",
    "fälligkeit": "due_date",
    "waehrung": "currency",
    "währung": "currency",
    "bezeichnung": "name",
    "vertragsnummer": "reference",
    "aktenzeichen": "reference",
    "datum": "date",
}


def _german_field(word: str, choices: Any) -> str:
    """' (did you mean 'last_name'?)' for a field named in German ('nachname'), where the
    block has the field it names; else ''."""
    field = GERMAN_FIELDS.get(word.strip().lower())
    return f" (did you mean '{field}'?)" if field is not None and field in choices else ""


def _extra_line_hint(path: str, text: str) -> str:
    """For a street over two lines ("c/o Buchhaltung" above "Lindenallee 4", as CRMs export
    it): where the first line goes."""
    if not path.endswith(".street"):
        return ""
    first, _, rest = text.replace("\r", "\n").partition("\n")
    block = path[: -len(".street")]
    extra = re.compile(
        r"(?i)(?:c/o|z\.\s?hd\.?|flat|apt\.?|apartment|suite|unit|floor|hinterhaus|vorderhaus|"
        r"gebäude|haus\s[a-z]\b|etage|stock|top|stiege|tür|postfach|abteilung|attn\.?)"
    )
    if not extra.match(first.strip()) and (
        extra.match(rest.strip()) or (_house_number(first) and not _house_number(rest))
    ):  # "Nebenweg 2" above "Hinterhaus", "12 High Street" above "Flat 3" (tester 39)
        return (
            f", or put the line after the street in {block}.address_extra "
            f"({block}.street: '{first.strip()}', {block}.address_extra: '{rest.strip()}')"
        )
    return (
        f", or put the line before the street in {block}.address_extra "
        f"({block}.address_extra: '{first.strip()}', {block}.street: '{rest.strip()}')"
    )


_TWO_DIGIT_YEAR = re.compile(r"^\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2})\s*$")
_TWO_DIGIT_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2})\s*$")
# The way of writing a date the error suggests beside YYYY-MM-DD: the letter's own
_WRITTEN_DATE = {"en-US": "MM/DD/YYYY (12/31/2026)", "en-GB": "DD/MM/YYYY (31/12/2026)"}
_ZONED = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})\s*$")


def _not_a_date(value: Any, locale: str | None = None) -> str:
    """Why a value is no date, and how to write it: a two-digit year and a time with its
    zone are named (tester 39: '31.12.26' was only 'not a date'), and the way of writing
    a date suggested is the letter's locale's (tester13: an en-US row was told DD.MM.YYYY)."""
    text = str(value)
    short = _TWO_DIGIT_YEAR.match(text) or _TWO_DIGIT_SLASHED.match(text)
    if short:
        first, second, year = short.groups()
        dotted = short.re is _TWO_DIGIT_YEAR  # day first; with slashes the order is the locale's
        full = f"{first}.{second}.20{year}" if dotted else f"{first}/{second}/20{year}"
        iso = f" (20{year}-{int(second):02d}-{int(first):02d})" if dotted else ""
        return (
            f"'{text.strip()}' has a two-digit year, which could be 19{year} or 20{year}; "
            f"write the year in full ({full}) or as YYYY-MM-DD{iso}"
        )
    zoned = _ZONED.match(text)
    if zoned:
        return (
            f"'{text.strip()}' is a moment with a time zone, not a day; write the day "
            f"({zoned.group(1)}), as the letter names it"
        )
    written = _WRITTEN_DATE.get(locale or "", "DD.MM.YYYY (31.12.2026)")
    return f"'{text}' is not a date; write it as YYYY-MM-DD (2026-12-31) or {written}"


def _house_number(line: str) -> bool:
    """Whether a line reads as a street with its number ("Nebenweg 2", "12 High Street",
    "Lindenallee 4a"): a word of letters and a number at either end."""
    return bool(re.search(r"[^\W\d_]{2,}.*\s\d+\s?[a-zA-Z]?(?:[-/]\d+\s?[a-zA-Z]?)?$|^\d+[a-zA-Z]?\s+[^\W\d_]{2,}", line.strip()))


def _did_you_mean(word: str, choices: Any) -> str:
    """' (did you mean 'x'?)' for the choice ``word`` is most likely a slip for, else ''."""
    for close in difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6):
        if _alike(word, close):
            return f" (did you mean '{close}'?)"
    return ""


def _alike(word: str, choice: str) -> bool:
    """Whether ``word`` reads as a slip for ``choice``, not only as letters they share: a
    close match (a letter or two changed: 'last_nmae', 'adress'), a short word, or one that
    shares a run of three letters ('strasse' → 'street', 'steps' → 'steps_taken').
    'colour' shares five letters with 'enclosures', scattered: no suggestion."""
    matcher = difflib.SequenceMatcher(None, word, choice)
    if len(word) <= 4 or matcher.ratio() >= 0.75:
        return True
    return matcher.find_longest_match(0, len(word), 0, len(choice)).size >= 3


def _split_by_comma(mapping: Mapping[Any, Any], key: Any, spec: Spec) -> str:
    """A hint for an unknown key without a value that follows a text value: in a YAML flow
    mapping (``sender: {company: Great Lakes Analytics, Inc., name: ...}``) a comma ends the
    value, and what follows it becomes a key of its own ('Inc.'). Names the value as meant
    and how to write it; '' when the key is not such a piece."""
    if mapping.get(key) is not None:
        return ""
    keys = list(mapping)
    pieces: list[Any] = [key]
    for before in reversed(keys[: keys.index(key)]):
        text = mapping[before]
        if text is None and before not in spec.fields:
            pieces.insert(0, before)  # an earlier piece of the same value
            continue
        if before not in spec.fields or isinstance(text, bool) or not isinstance(text, (str, int, float)):
            return ""
        rule = "in a {...} mapping a comma ends the value"
        if isinstance(text, float) or not all(isinstance(piece, str) for piece in pieces):
            # YAML has read a piece as a number ("1.190" as 1.19): what was typed is lost
            return f": probably the rest of {before} — {rule}; put the whole value in quotes, as you typed it"
        meant = str(text)
        for piece in pieces:  # "1.190,00 €" and "1190,-" had no space after the comma
            meant += ("," if piece[:1].isdigit() or piece[:1] in "-–" else ", ") + piece
        return f": probably the end of {before}: '{text}' — {rule}; put the value in quotes: {before}: \"{meant}\""
    return ""


# Words that make a value typed as the gender a title ('Dr', 'Prof Dr', 'Revd'); any word
# with a dot is one as well.
_TITLE_WORDS = _DOTLESS_TITLES | {"professor", "doctor", "doktor", "revd", "rev", "reverend", "sir", "dame"}
_COURTESY_FORMS = {c.casefold(): c for c in COURTESIES}
# The forms of address a title may start with, in either language, with the gender each
# says and its English courtesy; not "Fr." (an English "Father" as well) nor "Hr.".
_COURTESY_TITLES: dict[str, tuple[str, str | None]] = {
    **dict.fromkeys(("mr", "herr", "herrn"), ("male", None)),
    **{form: ("female", courtesy) for form, courtesy in _COURTESY_FORMS.items()},
    "frau": ("female", None),
    "mx": ("diverse", None),
}
_JOINS = frozenset(("&", "+", "/", "and", "und", "u."))


def _second_form(rest: str) -> bool:
    """Whether what follows a form of address in ``title`` starts with a second one,
    joined to it ("& Mrs", "and Mrs", "und Frau"): the title names two people."""
    words = rest.split()
    return len(words) >= 2 and words[0].casefold() in _JOINS and words[1].rstrip(".").casefold() in _COURTESY_TITLES


_ADDRESSES = {"male": "a man", "female": "a woman", "diverse": "a person as Mx (gender diverse)"}


def _courtesy_from_gender(out: dict[str, Any], raw: Mapping[str, Any]) -> None:
    """'gender: Mrs' as typed says how an English letter addresses the woman: kept as
    ``courtesy`` (unless one is given), and the gender is female (a courtesy form in
    ``title``: ``_Checker._courtesy_from_title``)."""
    typed = str(raw.get("gender") or "").strip().rstrip(".").casefold()
    if typed in _COURTESY_FORMS:
        if _COURTESY_FORMS[typed] != "Ms":
            out.setdefault("courtesy", _COURTESY_FORMS[typed])
        out.setdefault("gender", "female")
    if out.get("courtesy") and out.get("gender", "unknown") == "unknown":
        out["gender"] = "female"  # 'courtesy: Mrs' alone says who is addressed


def normalise_locale(value: Any) -> Any:
    """Accept de_DE, de-de and DE-de as de-DE; leave anything else for validation."""
    if isinstance(value, str):
        lang, _, region = value.strip().replace("_", "-").partition("-")
        candidate = f"{lang.lower()}-{region.upper()}"
        if candidate in LOCALES:
            return candidate
    return value


def asks_for_postal_address(data: Any) -> bool:
    """Whether an input itself names the letter channel (``channel: letter``, or an alias such
    as "Brief"): such a letter is posted, so callers that make it validate with
    ``postal_address``; an input without a channel may be a draft or a text."""
    named = data.get("channel") if isinstance(data, (dict, Mapping)) else None
    return named not in (None, "") and canonical_choice(INPUT.fields["channel"], named) == "letter"


_REASON_SPLIT = re.compile(r"\s*[;|,]\s*")  # "capacity, budget" (no code holds one of these)
_CODES = Spec("list", item=Spec("str"))  # the reasons, read as a list of text first

_REQUIRED: dict[int, tuple[Spec, tuple[tuple[str, Spec], ...]]] = {}


def _required(spec: Spec) -> tuple[tuple[str, Spec], ...]:
    """The required fields of an object's spec (its key and spec), found once per spec:
    most fields are optional, and every row of a merge checks the same few objects."""
    known = _REQUIRED.get(id(spec))
    if known is None or known[0] is not spec:
        known = _REQUIRED[id(spec)] = (spec, tuple((k, sub) for k, sub in spec.fields.items() if sub.required))
    return known[1]


# each kind of the schema and the method of _Checker that checks a value of it
_KINDS: dict[str, Callable[[_Checker, Spec, Any, str], Any]] = {
    kind: getattr(_Checker, f"_{kind}")
    for kind in (
        "object",
        "list",
        "str",
        "text",
        "email",
        "enum",
        "reasons",
        "date",
        "amount",
        "currency",
        "int",
        "year",
        "bool",
    )
}


class ValidationMemo:
    """The validated form of the mappings nested in ``shared`` (a mail merge's --base fields,
    such as the sender, which every row's input holds unchanged), remembered by identity
    across the ``validate`` calls given this memo. ``shared`` must not change while the memo
    lives; it is kept alive here, so the ids stay its own."""

    def __init__(self, shared: Mapping[str, Any]) -> None:
        self.shared: dict[int, Any] = {}
        self.results: dict[tuple[int, int, str, str | None], dict[str, Any]] = {}
        stack: list[Any] = [shared]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                self.shared[id(node)] = node
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)


def current_day() -> date:
    """The day a letter without a ``date`` is dated: today, or the day of SOURCE_DATE_EPOCH
    (seconds since 1970, UTC) when it is set, the convention of reproducible builds: a run
    then gives the same letters on any day (the test suite sets it)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return date.today()


def passed_end_notice(termination: Termination, on: date | None = None) -> str | None:
    """Why a letter needs a second look: its end date has passed (a ``date`` copied with an
    old --base or input lets such a letter through validation, which compares the end date
    with the letter's date); None when the end date is today or later."""
    now = on or current_day()
    if termination.end_date >= now:
        return None
    return (
        f"the end date {termination.end_date} has passed (today is {now}), so the letter ends the "
        f"contract on a day gone by; check end_date, and date (the letter is dated {termination.date}), "
        "which an old --base or input may have set"
    )


def validate(
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    lines: Mapping[str, int] | None = None,
    today: date | None = None,
    postal_address: bool = False,
    memo: ValidationMemo | None = None,
) -> Termination:
    """Check ``data`` against the input contract and build a ``Termination``.

    Raises ``InputError`` listing every problem, each with its field path (and the
    line in ``source`` when ``lines`` maps paths to lines). With ``postal_address``, a
    letter (channel letter) must also give the recipient's street, postal code and city:
    callers that print or post the letter ask for it; a draft or a text need not.
    """
    if not isinstance(data, (dict, Mapping)):
        if source is None:  # from a script (a file's top level comes with its source)
            from .errors import UsageError, type_name

            raise UsageError(
                f"validate() takes the input as a dict (as read from YAML or JSON), not {type_name(data)}; "
                "to check a file, read it with letterkit.compose(path), which validates it"
            )
        raise InputError([Problem("", f"expected a mapping of keys at the top, got {_kind(data)}")], source)
    data = dict(data)
    if "locale" in data:
        data["locale"] = normalise_locale(data["locale"])
    locale = data.get("locale")
    checker = _Checker(lines, reason_codes(), locale if locale in LOCALES else None, memo)
    clean = checker.check(INPUT, data, "") or {}
    today = today or current_day()
    _check_consistency(clean, checker, today)
    for who in ("sender", "recipient"):
        _check_us_state(clean, who, checker)
    _check_lost_characters(clean, checker)
    if postal_address:
        _check_postal_address(clean, checker)
    if checker.problems:
        raise InputError(checker.problems, source)
    return _build(clean, today)


def _check_consistency(clean: dict[str, Any], checker: _Checker, today: date) -> None:
    """Rules across fields. A rule is skipped where a field it reads was already reported
    as invalid: the user gets one message per problem, not its consequences too."""
    letter_date = clean.get("date") or today
    end = clean.get("end_date")
    if end and end < letter_date and not checker.was_reported("date"):
        checker.problem(
            "end_date",
            f"{end} is before the letter's date {letter_date}; "
            "the end date must be on or after the date of the letter",
        )
    for who in ("sender", "recipient"):
        party = clean.get(who) or {}
        named = party.get("company") or party.get("name") or party.get("last_name")
        if who in clean and not named and not checker.was_reported(who, *(f"{who}.{k}" for k in _NAMES)):
            checker.problem(who, _unnamed(who, party))
        elif (
            who == "recipient"
            and party.get("first_name")
            and not party.get("last_name")
            and not party.get("name")
            and clean.get("register") != "du"
            and not checker.was_reported("recipient.first_name", "recipient.last_name")
        ):
            # beside a company: the address would read "Frau Anna", the salutation leave her out
            checker.problem(
                "recipient.last_name",
                f"required with first_name '{party['first_name']}': a first name alone addresses no one "
                f"('{_first_name_form(party, clean.get('locale'))}' is no form of address, and the letter "
                "would greet the company instead); add the last name, or leave first_name empty to write "
                "to the company",
            )
    sender = clean.get("sender") or {}
    signer = sender.get("name") or sender.get("first_name")
    if (
        "sender" in clean
        and not signer
        and not checker.was_reported("sender", "sender.name", "sender.first_name")
    ):
        checker.problem("sender.name", "required: the name of the person who signs the letter")
    if clean.get("register") == "du" and str(clean.get("locale", "")).startswith("en"):
        checker.problem("register", "du applies to German letters only; remove it for English")
    recipient = clean.get("recipient") or {}
    has_recipient = "recipient" in clean and not checker.was_reported("recipient")
    first_name = recipient.get("first_name") or checker.was_reported("recipient.first_name")
    if clean.get("register") == "du" and has_recipient and not first_name:
        checker.problem(
            "recipient.first_name",
            "required for register: du (the salutation uses it)" + _name_split_hint(recipient.get("name")),
        )
    email = recipient.get("email") or checker.was_reported("recipient.email")
    if clean.get("channel") == "email" and has_recipient and not email:
        checker.problem("recipient.email", "required for channel: email")
    sender = clean.get("sender") or {}
    own = sender.get("email") or checker.was_reported("sender.email") or checker.was_reported("sender")
    if clean.get("channel") == "email" and "sender" in clean and not own:
        # found here, not when the email is written: --check then reports it too
        checker.problem("sender.email", "required for channel: email (the address the email comes from)")
    _check_money_and_dates(clean, checker)
    _check_steps_and_thanks(clean, checker, letter_date)
    _check_early_invoice(clean, checker, letter_date)
    _check_date_order(clean, checker, letter_date)
    _check_postcodes(clean, checker)


def _first_name_form(party: Mapping[str, Any], locale: object) -> str:
    """The form a first name alone would take in the address ("Herr Jonas", "Ms Priya")."""
    english = str(locale or "").startswith("en")
    words = {"male": "Mr" if english else "Herr", "female": "Ms" if english else "Frau"}
    word = words.get(str(party.get("gender") or ""), "")
    return f"{word} {party['first_name']}".strip()


def _name_split_hint(name: str | None) -> str:
    """For a du letter to a recipient given only as ``name``: the name as first_name and
    last_name, split as the salutation splits it ("Hans von Bülow": Hans, von Bülow;
    "Schmidt, Anna"; "Dr. Anna Schmidt"), or, for a group ("Team Einkauf"), what a du
    letter to a group needs: a person to greet, or register: sie."""
    if not name:
        return ""
    from .compose import _split_name
    from .parts import load

    data = load("de", "locale")  # du letters are German
    groups = {str(word).casefold() for word in data.get("group_nouns") or ()}
    if any(word.casefold().strip(",.") in groups for word in name.split()):
        return (
            f"; recipient.name '{name}' is a group, and a du letter greets one person by first name "
            "('Hallo Anna,'): give that person's first_name and last_name (the group can go in "
            "address_extra), or write to the group with register: sie"
        )
    title, first, last = _split_name(name, data)
    if first and last:
        split = (f"title: {title}, " if title else "") + f"first_name: {first}, last_name: {last}"
        return f"; recipient.name '{name}' holds the whole name: give it as {split} (in place of name)"
    return f"; recipient.name '{name}' is one word: give the first name as first_name (and the last name as last_name)"


def _check_money_and_dates(clean: dict[str, Any], checker: _Checker) -> None:
    """An amount written with another currency than the letter's, and a final invoice
    due before the service it bills has ended."""
    locale = clean.get("locale")
    for block in ("final_invoice", "refund"):
        path = f"{block}.amount"
        if path not in checker.amount_currencies or locale not in LOCALES or checker.was_reported(f"{block}.currency"):
            continue
        cell, codes = checker.amount_currencies[path]
        given = (clean.get(block) or {}).get("currency")
        expected = given or default_currency(locale)
        other = [code for code in codes if not currency_matches(code, expected)]
        if other:
            why = f"{block}.currency is {expected}" if given else f"{expected} is the currency of {locale}"
            named, code = ("dollars ($)", "USD") if other[0] == "$" else (other[0], other[0])
            # a refund and a final invoice are in one currency: changing one alone would only
            # lead to the next error (the two blocks in two currencies)
            partner = "refund" if block == "final_invoice" else "final_invoice"
            both = (
                f" and {partner}.currency: {code} (the final invoice and the refund are in one currency)"
                if clean.get(partner) and not currency_matches(code, (clean.get(partner) or {}).get("currency") or expected)
                else ""
            )
            checker.problem(
                path,
                f"'{cell}' is in {named}, but this letter's amount is in {expected} ({why}); "
                f"write the amount without a currency, or, if it really is in that currency, "
                f"set {block}.currency: {code}{both}",
            )
    invoice = clean.get("final_invoice") or {}
    due, end = invoice.get("due_date"), clean.get("end_date")
    if due and end and due < end:
        checker.problem(
            "final_invoice.due_date",
            f"{due} is before the end date {end}; the final invoice bills the service up to "
            "the end date, so it can fall due on that day at the earliest",
        )
    _check_refund(clean, invoice, checker)
    _check_enclosed_invoice(clean, invoice, checker)


def _invoice_enclosures(clean: dict[str, Any], invoice: dict[str, Any]) -> list[str]:
    """The enclosures the letter takes for the final invoice (phrases.names_invoice, as it
    does to say the invoice is enclosed)."""
    enclosures = clean.get("enclosures") or ()
    locale = clean.get("locale")
    if not enclosures or locale not in LOCALES:
        return []
    from .phrases import names_invoice

    words = load(str(locale).split("-")[0], "locale")
    number = invoice.get("number")
    return [e for e in enclosures if isinstance(e, str) and names_invoice([e], number, words)]


def _check_enclosed_invoice(clean: dict[str, Any], invoice: dict[str, Any], checker: _Checker) -> None:
    """A final invoice of 0 (the letter says that none will come) with the final invoice
    among the enclosures (an enclosure the letter takes for it: phrases.names_invoice, as
    it does to say an invoice is enclosed): the letter would contradict itself."""
    if not invoice or invoice.get("amount") != 0:
        return
    named = _invoice_enclosures(clean, invoice)
    if named:
        listed = " and ".join(f"'{e}'" for e in named)
        checker.problem(
            "enclosures",
            f"{listed} reads as the final invoice, but final_invoice.amount is 0, so the letter says that "
            "no final invoice will come; give the final invoice's amount, or take the invoice out of "
            "enclosures (if it is an earlier invoice, give final_invoice.number, and the enclosure "
            "with another number is told apart from it)",
        )


# A final invoice covers the work until the end: enclosed with a letter written longer than
# this before the end, it would bill months of work not yet done (a notice period of three
# months with the invoice enclosed is odd, but seen in practice; half a year is not).
EARLY_INVOICE_DAYS = 183


def _check_early_invoice(clean: dict[str, Any], checker: _Checker, letter_date: date) -> None:
    """A final invoice among the enclosures of a letter written more than six months
    before the end (tester 40: „erhalten Sie mit diesem Schreiben die Schlussrechnung“ for
    work until 15 months later). Not enclosed, the letter says it will follow."""
    invoice = clean.get("final_invoice") or {}
    end = clean.get("end_date")
    if not invoice or not invoice.get("amount") or not isinstance(end, date):
        return
    if (end - letter_date).days <= EARLY_INVOICE_DAYS or checker.was_reported("enclosures"):
        return
    named = _invoice_enclosures(clean, invoice)
    if named:
        months = round((end - letter_date).days / 30.4)
        checker.problem(
            "enclosures",
            f"'{named[0]}' is the final invoice, for the work until {end}, {months} months after the "
            f"letter's date ({letter_date}): it would bill work not yet done; take it out of enclosures "
            "(the letter then says that it will follow), or send the letter nearer the end",
        )


def _check_date_order(clean: dict[str, Any], checker: _Checker, letter_date: date) -> None:
    """Dates the letter would put in an impossible order (tester 40): a contract dated after
    the letter, accounts transferred after the end, handover questions answered only until
    before the handover meeting, the unused part of a prepayment refunded
    before the end, when it is not known yet."""
    end = clean.get("end_date")
    contract = clean.get("contract") or {}
    signed = contract.get("date")
    if isinstance(signed, date) and signed > letter_date and not checker.was_reported("contract.date"):
        checker.problem(
            "contract.date",
            f"{signed} is after the letter's date ({letter_date}); give the date the contract was made",
        )
    if not isinstance(end, date):
        return
    handover = clean.get("handover") or {}
    by, meeting, support = handover.get("by"), handover.get("meeting"), handover.get("support_until")
    if isinstance(by, date) and by > end and not handover.get("export") and not checker.was_reported("handover.by"):
        checker.problem(
            "handover.by",
            f"{by} is after the end date {end}; the accounts are transferred and the things returned "
            "before the end: give a date on or before it",
        )
    if (
        isinstance(support, date)
        and isinstance(meeting, date)
        and support < meeting
        and not checker.was_reported("handover.support_until")
    ):
        checker.problem(
            "handover.support_until",
            f"{support} is before the handover meeting ({meeting}); questions about the handover come "
            "after it: give a later date",
        )
    refund = clean.get("refund") or {}
    paid_back = refund.get("by")
    if (
        refund.get("kind") == "prepayment"
        and isinstance(paid_back, date)
        and paid_back < end
        and not checker.was_reported("refund.by")
    ):
        checker.problem(
            "refund.by",
            f"{paid_back} is before the end date {end}; the unused part of the prepayment is known at the "
            "end: give a date on or after it",
        )


def _check_refund(clean: dict[str, Any], invoice: dict[str, Any], checker: _Checker) -> None:
    """A refund of nothing, and a refund deducted from a smaller final invoice (the letter
    would say the invoice is settled and leave the rest unmentioned)."""
    refund = clean.get("refund") or {}
    amount = refund.get("amount")
    if amount is None or checker.was_reported("refund.amount"):
        return
    if amount == 0:
        checker.problem("refund.amount", "0 refunds nothing; leave refund out, or give the amount")
        return
    billed = invoice.get("amount")
    locale = clean.get("locale")
    own = default_currency(locale) if locale in LOCALES else None
    same_currency = (refund.get("currency") or own) == (invoice.get("currency") or own)
    if refund.get("method") == "offset" and invoice and billed == 0:
        checker.problem(
            "refund.method",
            "offset deducts the refund from the final invoice, but the final invoice is 0 (none is "
            "sent); refund by transfer, card, PayPal or credit note instead",
        )
        return
    # with an unknown locale (reported of its own) a currency left out has no default to compare
    known = own is not None or (refund.get("currency") and invoice.get("currency"))
    if invoice and billed is not None and known and not same_currency and not checker.was_reported("final_invoice.currency"):
        checker.problem("refund.currency", _mixed_currencies(invoice, refund, own, locale))
        return
    if refund.get("method") == "offset" and not invoice and not checker.was_reported("final_invoice"):
        checker.problem(
            "refund.method",
            "offset deducts the refund from the final invoice, but the input has no final_invoice; "
            "add final_invoice (its amount and due date), or refund by transfer",
        )
        return
    if refund.get("method") == "offset" and billed and same_currency and amount > billed:
        checker.problem(
            "refund.amount",
            f"{amount} is more than the final invoice ({billed}) it is deducted from (method: offset); "
            "deduct at most the invoice's amount and refund the rest by transfer, or lower the amount",
        )


def _mixed_currencies(invoice: dict[str, Any], refund: dict[str, Any], own: str | None, locale: Any) -> str:
    """What to say when the final invoice and the refund are in different currencies: one
    letter settles its money in one currency, so two are almost always a slip (a currency
    given for one block and left to the locale's default for the other)."""

    def said(block: str, given: str | None) -> str:
        return f"{given} ({block}.currency)" if given else f"{own} (the currency of {locale}, as {block}.currency is not given)"

    billed, back = invoice.get("currency") or own, refund.get("currency") or own
    offset = " (an offset is deducted from it)" if refund.get("method") == "offset" else ""
    return (
        f"the final invoice is in {said('final_invoice', invoice.get('currency'))}{offset}, but the refund is in "
        f"{said('refund', refund.get('currency'))}; a letter settles its money in one currency: "
        f"set refund.currency: {billed} if the refund is in that currency too, or correct "
        f"final_invoice.currency to {back}"
    )


def _check_steps_and_thanks(clean: dict[str, Any], checker: _Checker, letter_date: date) -> None:
    """Steps dated after the letter, reminders counted as none (the letter would say
    reminders were sent), and thanks for work together since a year after the letter's date."""
    for i, step in enumerate(clean.get("steps_taken") or []):
        dated = [(f"steps_taken[{i}].date", step.get("date"))]
        dated += [(f"steps_taken[{i}].dates[{j}]", when) for j, when in enumerate(step.get("dates") or [])]
        for path, when in dated:
            if isinstance(when, date) and when > letter_date:
                checker.problem(
                    path,
                    f"{when} is after the letter's date ({letter_date}); the letter tells what was "
                    "already done, so give the date it happened",
                )
        dates = step.get("dates") or []
        if step.get("count") and dates and step["count"] != len(dates):
            checker.problem(
                f"steps_taken[{i}].count",
                (
                    f"{step['count']} does not match the {len(dates)} dates given; give one date per "
                    "reminder, or leave count out (the dates say how many)"
                    if len(dates) > 1
                    else f"{step['count']} reminders with one date: the letter would say all {step['count']} "
                    "were sent that day; give the date of each, or leave the dates out"
                ),
            )
        if step.get("count") == 0:
            checker.problem(
                f"steps_taken[{i}].count",
                "0 says none was sent, but the letter would say they were; leave the step out, or give 1 or more",
            )
    since = (clean.get("thanks") or {}).get("since")
    if isinstance(since, int) and since > letter_date.year and not checker.was_reported("thanks.since"):
        checker.problem(
            "thanks.since",
            f"{since} is after the letter's date ({letter_date.year}); give the year the work began",
        )


# Postcodes letterkit can check for certain: digits only, a fixed count (ZIP+4 in the US).
# GB and other formats are left alone: their exceptions (BFPO, GIR 0AA ...) make a
# check unreliable. country → (shape, what it should be, the country's name)
_POSTCODES: dict[str, tuple[re.Pattern[str], str, str]] = {
    "DE": (re.compile(r"\d{5}"), "German postcodes have 5 digits", "Germany"),
    "AT": (re.compile(r"[1-9]\d{3}"), "Austrian postcodes have 4 digits and do not start with 0", "Austria"),
    "CH": (re.compile(r"[1-9]\d{3}"), "Swiss postcodes have 4 digits and do not start with 0", "Switzerland"),
    "US": (re.compile(r"\d{5}(?:-\d{4})?"), "US ZIP codes have 5 digits (or ZIP+4: 62701-1234)", "the US"),
}


def _state_text(value: Any) -> str | None:
    """A ``state`` as text, or None (a state typed as a number is no state)."""
    return value if isinstance(value, str) else None


def _check_postcodes(clean: dict[str, Any], checker: _Checker) -> None:
    """A postcode that cannot exist in its address's country (Excel's 1067 for 01067)."""
    locale = clean.get("locale")
    if locale not in LOCALES:  # missing or unknown: reported as such, no country to go by
        return
    for who in ("sender", "recipient"):
        party = clean.get(who) or {}
        code = party.get("postal_code")
        if not code:
            continue
        country = address_country(party.get("country"), code, locale, _state_text(party.get("state")))
        rule = _POSTCODES.get(country)
        if rule is None or rule[0].fullmatch(code) or checker.was_reported(f"{who}.country"):
            continue
        checker.problem(f"{who}.postal_code", _postcode_message(code, rule, bool(party.get("country")), who))


def _postcode_message(code: str, rule: tuple[re.Pattern[str], str, str], explicit: bool, who: str) -> str:
    valid, shape, name = rule
    message = f"'{code}' is not a postcode in {name}: {shape}"
    if code.isdigit() and valid.fullmatch("0" + code):
        message += (
            f"; did you mean '0{code}'? (a spreadsheet drops the leading zero unless the "
            "column is formatted as text)"
        )
    whole = code[:-2] if code.endswith(".0") else ""  # "80331.0": a column of numbers written out
    if whole.isdigit() and (valid.fullmatch(whole) or valid.fullmatch("0" + whole)):
        meant = whole if valid.fullmatch(whole) else "0" + whole
        message += (
            f"; did you mean '{meant}'? (the list was written with its postcodes as decimal numbers, "
            "as pandas writes a column of numbers with an empty cell in it: write them as text)"
        )
    if not explicit:
        message += f"; if the address is not in {name}, give {who}.country (its ISO code, e.g. FR)"
    return message


def _check_postal_address(clean: dict[str, Any], checker: _Checker) -> None:
    """A letter (channel letter) is posted: it needs the recipient's street, postal code
    and city, and in the United States the state ("New York, NY 10001"). An email needs
    none of them."""
    recipient = clean.get("recipient")
    if clean.get("channel", "letter") != "letter" or recipient is None or checker.was_reported("recipient"):
        return
    missing = [
        key
        for key in ("street", "postal_code", "city")
        if not recipient.get(key) and not checker.was_reported(f"recipient.{key}")
    ]
    if not missing:
        if us_address_without_state(recipient, clean.get("locale") or "") and not checker.was_reported(
            "recipient.state"
        ):
            message = us_state_missing(recipient["city"], recipient["postal_code"])
            message += "; or send an email instead (channel: email)"
            checker.problem("recipient.state", message, near="recipient.city")
        return
    path = f"recipient.{missing[0]}" if len(missing) == 1 else "recipient"
    fields = ", ".join(f"recipient.{key}" for key in missing)
    checker.problem(
        path,
        f"a letter needs the recipient's postal address, and {fields} "
        f"{'is' if len(missing) == 1 else 'are'} missing; add {'it' if len(missing) == 1 else 'them'}, "
        "or send an email instead (channel: email)",
    )


# Fields in which a '?' is never typed: a character the file's encoding could not hold was
# replaced by it (Excel's "CSV" is Windows-1252, which has no Ş, Ł, Ő, č: "Şahin" → "?ahin").
_NAME_FIELDS = ("first_name", "last_name", "name", "title", "street", "address_extra", "city")
_LOST = re.compile(r"\w\?|\?\w")  # a '?' against a letter or digit
_RESIDUE_START = frozenset("=@+-# ")  # how a formula or a spreadsheet's error value begins
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bqBQ]\?[^?\s]*\?=")  # "=?utf-8?q?Evil_Corp?=", typed on purpose


def _check_lost_characters(clean: dict[str, Any], checker: _Checker) -> None:
    """A '?' inside a name or an address: a character lost when the file was saved in a
    format that cannot hold it. The letter would greet "Frau ?ahin"; the row fails instead."""
    parties = [(who, clean.get(who)) for who in ("sender", "recipient")]
    parties.append(("handover.contact", (clean.get("handover") or {}).get("contact")))
    for who, party in parties:
        if not isinstance(party, dict):
            continue
        for key in (*_NAME_FIELDS, "company"):
            value = party.get(key)
            if not isinstance(value, str):
                continue
            residue = spreadsheet_residue(value) if value[:1] in _RESIDUE_START else None
            if residue:
                checker.problem(f"{who}.{key}", f"'{value}' {residue}")
                continue
            damaged = None if value.isascii() else _damaged_text(value)  # each sign of damage is not ASCII
            if damaged:
                checker.problem(f"{who}.{key}", f"'{value}' {damaged}")
                continue
            if "?" not in value:  # both patterns of a lost character need a '?'
                continue
            text = _ENCODED_WORD.sub(" ", value)
            lost = _lost_in_company(text) if key == "company" else bool(_LOST.search(text))
            if lost:
                own = (
                    "; if the '?' is part of the firm's name, write the name as the firm does, in upper "
                    "and lower case ('?What If! Ltd', 'Frag?Mich GmbH')"
                    if key == "company"
                    else ""
                )
                checker.problem(
                    f"{who}.{key}",
                    f"'{value}' has a '?' where a letter should be: a '?' in a name usually means a "
                    "character was lost when the text was saved in an encoding that cannot hold it "
                    "(Excel's old CSV format cannot hold letters such as Ş, Ł or č); correct the name "
                    "in the file (a file typed by hand: save it as UTF-8), or, for a list exported from "
                    f'Excel, save it as "CSV UTF-8" (or as .xlsx) and merge it again{own}',
                )


# Signs that stand in a name read with the wrong encoding: Central European letters
# (ISO-8859-2, Windows-1250) read as Windows-1252 turn Ł ł Ż ż ź ą š into £ ³ ¯ ¿ ¼ ± ¹.
# Against a letter they are no typing: "£ukasz", "¯ó³æ". (® © ™ º ª ´ · are typed in names.)
_FOREIGN_SIGN = re.compile(r"[^\W\d_][£¤¥¦¨¯±²³¶¸¹¼½¾¿¡]|[£¤¥¦¨¯±²³¶¸¹¼½¾¿¡][^\W\d_]")
_SAVE_AS_UTF8 = (
    'save the list as "CSV UTF-8" (or as .xlsx) in the program it comes from, or correct the name, '
    "and merge it again"
)


@lru_cache(maxsize=ROW_VALUES)  # the sender's and the recipients' towns and streets recur in every row
def _damaged_text(value: str) -> str | None:
    """What shows that a name or address was damaged on its way into the file, or None:
    the replacement character (bytes that were no text in the encoding they were read
    with), UTF-8 read as Windows-1252 and saved again ("MÃ¼ller"), or Central European
    letters read as Windows-1252 ("£ukasz"). The letter would greet the client so."""
    if "\ufffd" in value:
        return (
            "holds the replacement character \ufffd where a character could not be read (its bytes "
            f"were read with an encoding they were not written in, which loses it); {_SAVE_AS_UTF8}"
        )
    for encoding in ("cp1252", "latin-1"):
        try:
            meant = value.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if meant != value:
            return (
                f"looks like '{meant}' encoded twice (UTF-8 text read as Windows-1252 and saved "
                f"again), so the letter would read '{value}'; {_SAVE_AS_UTF8}"
            )
    signs = _FOREIGN_SIGN.findall(value)
    if signs:
        found = " ".join(dict.fromkeys(c for pair in signs for c in pair if not c.isalpha()))
        return (
            f"has signs that are no letters ({found}) inside a word: the file was probably written in "
            "a Central European encoding (ISO-8859-2 or Windows-1250, as Polish or Czech programs "
            f"write it) and read as Windows-1252, which turns Ł, ł, Ż into £, ³, ¯; {_SAVE_AS_UTF8}"
        )
    return None


def _lost_in_company(name: str) -> bool:
    """Whether a firm's name has a '?' where a letter was lost. Firms do put a '?' in their
    names ("?What If! Ltd", "Frag?Mich GmbH", "Warum? GmbH"), so a '?' after a word, before
    a space or a mark, before a capitalised word ("?What") or joining two words in camel
    case (lower case, then a capital) is taken as typed. A lost letter shows where a word
    goes on in lower case after the '?' ("?lmühle", "M?ller AG", "Stra?e"), where it stands
    between two capitals or digits ("M?LLER GMBH"), or where it starts a word in capitals
    ("?ZTÜRK GMBH": a name exported in capitals that lost its first letter; a firm whose
    name starts with a '?' writes the rest in upper and lower case, "?What If! Ltd")."""
    for at in (m.start() for m in re.finditer(r"\?", name)):
        before = name[at - 1] if at else " "
        after = name[at + 1 : at + 3]
        if after[:1].isalpha() and after[:1].islower():
            return True
        if before.isalnum() and after[:1].isalnum() and not (before.islower() and after[:1].isupper()):
            return True
        if not before.isalnum() and len(after) == 2 and after.isalpha() and after.isupper():
            return True  # "?ZTÜRK": a word in capitals that lost its first letter
    return False


def us_state_missing(city: str, postal_code: str) -> str:
    """What to do about a US address without a state (a letter's error, a merge's notice)."""
    return (
        f"a letter to the United States needs the recipient's state: '{city} {postal_code}' "
        "is not deliverable as addressed; add recipient.state, its two-letter code (e.g. NY), "
        "or write it after the city ('New York, NY')"
    )


_STATE_IN_CITY = re.compile(r",\s*(?:[A-Za-z]{2}|[A-Za-z]\.\s?[A-Za-z]\.)\s*$")  # "Austin, TX", "Washington, D.C."


def _us_states() -> dict[str, str]:
    return {str(code): str(name) for code, name in (load("en", "locale").get("us_states") or {}).items()}


def _state_after_city(city: str) -> bool:
    """Whether a US city field ends in its state: "Austin, TX", "Washington, D.C.", and
    without a comma or written out, as the post accepts it ("Austin TX", "Washington DC",
    "Austin, Texas"; codes and names are data: us_states in templates/en/locale.yaml)."""
    return _city_state(city) is not None


@lru_cache(maxsize=1024)  # a merge's rows share their cities
def _city_state(city: str) -> str | None:
    """The state a US city field ends in, as its code where known ("Austin, Texas": TX)."""
    found = _STATE_IN_CITY.search(city)
    states = _us_states()
    if found:
        typed = found.group().strip(" ,").replace(".", "").replace(" ", "").upper()
        if typed in states:
            return typed
    words = city.replace(",", " ").split()
    if len(words) >= 2 and words[-1] in states:  # the code, in capitals as the post writes it
        return words[-1]
    # a state's name only after a comma ("Austin, Texas"): many towns end in one ("Fort
    # Washington", Pennsylvania; "West New York", New Jersey)
    before, comma, last = city.rpartition(",")
    if comma and before.strip():
        folded = " ".join(last.split()).casefold()
        for code, name in states.items():
            if folded == name.casefold():
                return code
    return None


def _check_us_state(clean: dict[str, Any], who: str, checker: _Checker) -> None:
    """A US address's ``state``: a code of the post in capitals ("tx" becomes TX) or a
    state's name; not one that is none ("ZZ"), and not a second one beside the state the
    city already names ("Austin, TX" with state CA; the same one twice is kept once)."""
    party = clean.get(who)
    if not isinstance(party, dict) or not party.get("state") or checker.was_reported(f"{who}.state"):
        return
    locale = clean.get("locale")
    if locale not in LOCALES:  # missing or unknown: reported as such, no country to go by
        return
    if address_country(party.get("country"), party.get("postal_code"), locale, _state_text(party.get("state"))) != "US":
        return
    states = _us_states()
    typed = str(party["state"]).strip()
    code = typed.upper().replace(".", "") if typed.upper().replace(".", "") in states else None
    code = code or next((c for c, name in states.items() if name.casefold() == typed.casefold()), None)
    if code is None:
        checker.problem(
            f"{who}.state",
            f"'{typed}' is no US state; write its two-letter code as the post does (e.g. TX) or its name",
        )
        return
    if typed.upper() == code:
        party["state"] = code  # as the post writes it
    in_city = _city_state(str(party.get("city") or ""))
    if in_city is None:
        return
    if in_city == code:
        party["state"] = None  # "Austin, TX" says it already: not "Austin, TX, TX"
        return
    checker.problem(
        f"{who}.state",
        f"{who}.city already names the state ({party.get('city')}), and {who}.state says {typed}; "
        "give the state once, in one of them",
    )


def us_address_without_state(party: Mapping[str, Any] | Any, locale: str) -> bool:
    """Whether a postal address (a mapping of input fields or a ``Party``) is in the United
    States (its country, else its locale's) and names no state, neither in ``state`` nor
    after the city ("Austin, TX"), which the post needs to deliver it."""
    mapping = isinstance(party, Mapping)  # asked once: an ABC's check is a Python-level call

    def get(key: str) -> Any:
        return party.get(key) if mapping else getattr(party, key, None)

    if locale not in LOCALES or get("state") or not (get("city") and get("postal_code")):
        return False
    if address_country(get("country"), get("postal_code"), locale, _state_text(get("state"))) != "US":
        return False  # asked first: reading the city for a state costs more (every row of a merge)
    return not _state_after_city(str(get("city")))


def postal_address_notice(
    termination: Termination, where: str = "the input", *, from_email: bool = False
) -> str | None:
    """Why a printed letter cannot be posted as it is: no full postal address, or a US one
    without its state; None when it can, or when it is no letter. Only an input that names
    no channel gets here with such an address (``channel: letter`` makes it an error), so
    the notice says so (``where``: "the input", "the row"). With ``from_email``, the letter
    is the printed copy of an email (channel email written as .docx or .pdf): the input
    needs no address, so the notice says the printed copy has none."""
    if termination.channel != "letter":
        return None
    r = termination.recipient
    missing = [key for key in ("street", "postal_code", "city") if not getattr(r, key)]
    if not missing:
        if not us_address_without_state(r, termination.locale):
            return None
        state = us_state_missing(r.city or "", r.postal_code or "")
        if from_email:
            return f"{state}; {where} is an email (channel: email), and its printed copy cannot be posted as it is"
        return f"{state}; as it is, the letter cannot be posted (with channel: letter in {where}, a missing state is an error)"
    fields = ", ".join(f"recipient.{key}" for key in missing)
    if from_email:
        return (
            f"{where} is an email (channel: email), and its printed copy has no postal address "
            f"({fields} missing): add it to post the letter, or write .eml to send the email"
        )
    return (
        f"the letter has no postal address ({fields} missing): add it to post the letter "
        f"(with channel: letter in {where}, a missing address is an error)"
    )


_NAMES = ("company", "name", "last_name")


def _unnamed(who: str, party: Mapping[str, Any]) -> str:
    """What a sender or recipient without a company, a name or a last_name needs, and what
    ``name`` is (the whole name, as the address shows it). A first name alone names no one in
    an address or a salutation ("Sehr geehrte Frau Anna" is no form): it needs the last name
    beside it."""
    name = "the full name, e.g. 'Anna Schneider'"
    if party.get("first_name"):
        return (
            f"a first_name alone is not enough to address the letter; add {who}.last_name "
            f"(or write {who}.name, {name}, instead of first_name), or {who}.company"
        )
    return f"needs a company, a name ({name}) or a last_name"


def _money(block: dict[str, Any], locale: str) -> Money:
    return Money(block["amount"], block.get("currency") or default_currency(locale))


_PARTIES: dict[tuple[tuple[str, Any], ...], Party] = {}
_PARTIES_LIMIT = 64


def _party(fields: dict[str, Any]) -> Party:
    """``Party(**fields)``, the same object for the same validated fields: the sender of a
    mail merge is one in every row (a Party is frozen; building its 18 fields is not free,
    and the one object hashes and compares at once wherever it is looked up)."""
    try:
        key = tuple(fields.items())
        known = _PARTIES.get(key)
    except TypeError:  # a value that is not hashable: built afresh
        return Party(**fields)
    if known is None:
        if len(_PARTIES) >= _PARTIES_LIMIT:
            _PARTIES.clear()
        known = _PARTIES[key] = Party(**fields)
    return known


def _build(c: dict[str, Any], today: date) -> Termination:
    locale = c["locale"]
    steps = tuple(Step(**{**s, "dates": tuple(s.get("dates", ()))}) for s in c.get("steps_taken", []))
    handover = c.get("handover")
    thanks = c.get("thanks", {})
    return Termination(
        locale=locale,
        channel=c.get("channel", "letter"),
        register=c.get("register", "sie"),
        date=c.get("date") or today,
        sender=_party(c["sender"]),
        recipient=Party(**c["recipient"]),
        end_date=c["end_date"],
        contract=Contract(**c["contract"]) if c.get("contract") else None,
        opening=Opening(**c["opening"]) if c.get("opening") else None,
        reasons=tuple(dict.fromkeys(c.get("reasons", []))),
        reason_note=c.get("reason_note"),
        steps_taken=steps,
        work=Work(tuple(t for t in c["work"].get("tasks", []) if t)) if c.get("work") else None,
        final_invoice=FinalInvoice(
            _money(c["final_invoice"], locale),
            c["final_invoice"].get("number"),
            c["final_invoice"].get("due_date"),
        )
        if c.get("final_invoice")
        else None,
        refund=Refund(
            _money(c["refund"], locale),
            c["refund"].get("method"),
            c["refund"].get("by"),
            c["refund"].get("kind"),
        )
        if c.get("refund")
        else None,
        handover=Handover(
            **{
                **handover,
                "accounts": tuple(handover.get("accounts", ())),
                "providers": tuple(handover.get("providers", ())),
                "returns": tuple(handover.get("returns", ())),
                "collect": tuple(handover.get("collect", ())),
                "contact": Contact(**handover["contact"]) if handover.get("contact") else None,
            }
        )
        if handover
        else None,
        enclosures=tuple(c.get("enclosures", ())),
        thanks=Thanks(**thanks) if thanks is not None else None,
        wishes=c.get("wishes", True),
    )


def _or_leave_out(path: str, value: Mapping[str, Any]) -> str:
    """The other way out of a required field missing from an optional part (an invoice
    number without its amount): give it, or leave the part out."""
    from .schema import INPUT

    top = path.split(".")[0]
    field = INPUT.fields.get(top)
    if not path or "." in path or field is None or field.required:
        return ""
    given = [str(key) for key, item in value.items() if item not in (None, "", [], {})]
    if not given:
        return ""
    return f" ({path}.{given[0]} is given: add it, or leave {path} out altogether)"
