"""The input contract: validate a dict (from YAML, JSON, a merge row or Python) into a
typed ``Termination``, reporting every problem at once with its dotted field path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import InputError, Problem
from .schema import INPUT, LOCALES, Spec


@dataclass(frozen=True)
class Party:
    """Sender or recipient."""

    company: str | None = None
    name: str | None = None
    role: str | None = None
    gender: str = "unknown"
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    legal: str | None = None

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


# Control characters break XML and mail headers; bidi overrides can disguise text.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
# 1190.00, 1190,00, 1.190,00, 1,190.00, 1’190.00, 1 190,00: grouping only in threes.
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:[.,’' \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d{1,2})?$")


class _Checker:
    """Walks raw input against the schema, collecting problems instead of stopping."""

    def __init__(self, lines: Mapping[str, int] | None, reasons: tuple[str, ...]) -> None:
        self.problems: list[Problem] = []
        self.lines = lines or {}
        self.reasons = reasons

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.lines.get(path)))

    def check(self, spec: Spec, value: Any, path: str) -> Any:
        method = getattr(self, f"_{spec.kind}")
        return method(spec, value, path)

    def _object(self, spec: Spec, value: Any, path: str) -> dict[str, Any] | None:
        if value is False and spec.allow_false:
            return None
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a mapping of keys ({', '.join(spec.fields)}), got {_kind(value)}")
            return None
        out: dict[str, Any] = {}
        for key, sub_value in value.items():
            sub_path = f"{path}.{key}" if path else str(key)
            if key not in spec.fields:
                self.problem(sub_path, f"unknown key{_did_you_mean(str(key), spec.fields)}")
                continue
            if sub_value is None or sub_value == "":
                continue
            out[key] = self.check(spec.fields[key], sub_value, sub_path)
        for key, sub in spec.fields.items():
            if sub.required and key not in out and (value.get(key) in (None, "")):
                sub_path = f"{path}.{key}" if path else key
                self.problem(sub_path, f"required: {sub.description.lower() or 'missing'}")
        return out

    def _list(self, spec: Spec, value: Any, path: str) -> list[Any]:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            self.problem(path, f"expected a list, got {_kind(value)}")
            return []
        item = spec.item or Spec("str")
        return [self.check(item, v, f"{path}[{i}]") for i, v in enumerate(value)]

    def _str(self, spec: Spec, value: Any, path: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(path, f"expected text, got {_kind(value)}")
            return None
        text = str(value).strip()
        if "\n" in text or "\r" in text:
            self.problem(path, "line breaks are not allowed here; write it on one line")
            return None
        return self._clean(text, path)

    def _text(self, spec: Spec, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            self.problem(path, f"expected text, got {_kind(value)}")
            return None
        return self._clean(" ".join(value.split()), path)

    def _clean(self, text: str, path: str) -> str | None:
        bad = _FORBIDDEN.search(text)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            self.problem(path, f"contains the invisible control character {code}; remove it")
            return None
        return unicodedata.normalize("NFC", text)

    def _email(self, spec: Spec, value: Any, path: str) -> str | None:
        text = self._str(spec, value, path)
        if text is not None and not _EMAIL.match(text):
            self.problem(path, f"'{text}' is not an email address (expected name@example.com)")
            return None
        return text

    def _enum(self, spec: Spec, value: Any, path: str) -> str | None:
        text = str(value).strip()
        if text in spec.choices:
            return text
        hint = _did_you_mean(text, spec.choices)
        self.problem(path, f"'{text}' is not allowed; expected one of {', '.join(spec.choices)}{hint}")
        return None

    def _reasons(self, spec: Spec, value: Any, path: str) -> list[str]:
        if isinstance(value, str):
            value = [value]
        codes = self._list(Spec("list", item=Spec("str")), value, path)
        for i, code in enumerate(codes):
            if code is not None and code not in self.reasons:
                self.problem(
                    f"{path}[{i}]",
                    f"unknown reason code '{code}'{_did_you_mean(code, self.reasons)}; "
                    "`letterkit parts` lists the codes",
                )
        return [c for c in codes if c in self.reasons]

    def _date(self, spec: Spec, value: Any, path: str) -> date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, date):
            return value
        parsed = _parse_date(value)
        if parsed is not None:
            return parsed
        self.problem(
            path, f"'{value}' is not a date; write it as YYYY-MM-DD (2026-12-31) or DD.MM.YYYY (31.12.2026)"
        )
        return None

    def _amount(self, spec: Spec, value: Any, path: str) -> Decimal | None:
        if isinstance(value, bool):
            value = "?"
        text = _CURRENCY_MARK.sub("", str(value)).strip()
        if isinstance(value, str) and _AMOUNT.match(text.lstrip("-")):
            text = _normalise_amount(text)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.problem(path, f"'{value}' is not an amount; write it as a number, e.g. 1190.00")
            return None
        if not amount.is_finite() or amount < 0:
            self.problem(path, f"{value} is negative; amounts are positive numbers such as 450.00")
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.problem(path, f"{value} has more than two decimal places")
            return None
        return amount.quantize(Decimal("0.01"))

    def _currency(self, spec: Spec, value: Any, path: str) -> str | None:
        from .locales import currency_codes

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
            self.problem(path, f"expected a whole number of 0 or more, got {value!r}")
            return None
        return value

    def _year(self, spec: Spec, value: Any, path: str) -> int | None:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            self.problem(path, f"expected a year such as 2021, got {value!r}")
            return None
        return value

    def _bool(self, spec: Spec, value: Any, path: str) -> bool | None:
        if isinstance(value, bool):
            return value
        self.problem(path, f"expected true or false, got {value!r}")
        return None


_CURRENCY_MARK = re.compile(r"^\s*(?:EUR|CHF|GBP|USD|Fr\.|[€£$])\s*|\s*(?:EUR|CHF|GBP|USD|Fr\.|[€£$])\s*$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# Spreadsheets store dates as days since 1899-12-30; 1990..2100 covers any letter.
_EXCEL_EPOCH = date(1899, 12, 30)


def _parse_date(value: Any) -> date | None:
    """ISO (2026-12-31), German (31.12.2026) or an Excel serial number (46387)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 32874 <= value <= 73051:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    german = _GERMAN_DATE.match(text)
    if german:
        try:
            return date(int(german.group(3)), int(german.group(2)), int(german.group(1)))
        except ValueError:
            return None
    if text.isdigit():
        return _parse_date(int(text))
    return None


def _normalise_amount(text: str) -> str:
    """'1.190,00' → '1190.00'; '1,190.00' → '1190.00'; '1’190.00' → '1190.00'; '1190,5' → '1190.5'."""
    text = re.sub(r"[\s’'\u00a0\u202f]", "", text)
    decimal = re.search(r"[.,](\d{1,2})$", text)
    if decimal:
        whole = re.sub(r"[.,]", "", text[: decimal.start()])
        return f"{whole}.{decimal.group(1)}"
    return re.sub(r"[.,]", "", text)


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


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def normalise_locale(value: Any) -> Any:
    """Accept de_DE, de-de and DE-de as de-DE; leave anything else for validation."""
    if isinstance(value, str):
        lang, _, region = value.strip().replace("_", "-").partition("-")
        candidate = f"{lang.lower()}-{region.upper()}"
        if candidate in LOCALES:
            return candidate
    return value


def validate(
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    lines: Mapping[str, int] | None = None,
    today: date | None = None,
) -> Termination:
    """Check ``data`` against the input contract and build a ``Termination``.

    Raises ``InputError`` listing every problem, each with its field path (and the
    line in ``source`` when ``lines`` maps paths to lines).
    """
    from .parts import reason_codes

    if not isinstance(data, Mapping):
        raise InputError([Problem("", f"expected a mapping of keys at the top, got {_kind(data)}")], source)
    data = dict(data)
    if "locale" in data:
        data["locale"] = normalise_locale(data["locale"])
    checker = _Checker(lines, reason_codes())
    clean = checker.check(INPUT, data, "") or {}
    _check_consistency(clean, checker, today or date.today())
    if checker.problems:
        raise InputError(checker.problems, source)
    return _build(clean, today or date.today())


def _check_consistency(clean: dict[str, Any], checker: _Checker, today: date) -> None:
    letter_date = clean.get("date") or today
    end = clean.get("end_date")
    if end and end < letter_date:
        checker.problem(
            "end_date",
            f"{end} is before the letter's date {letter_date}; "
            "the end date must be on or after the date of the letter",
        )
    for who in ("sender", "recipient"):
        party = clean.get(who) or {}
        if who in clean and not (party.get("company") or party.get("name") or party.get("last_name")):
            checker.problem(who, "needs a company, a name or a last_name")
    sender = clean.get("sender") or {}
    if "sender" in clean and not (sender.get("name") or sender.get("first_name")):
        checker.problem("sender.name", "required: the name of the person who signs the letter")
    if clean.get("register") == "du" and str(clean.get("locale", "")).startswith("en"):
        checker.problem("register", "du applies to German letters only; remove it for English")
    recipient = clean.get("recipient") or {}
    if clean.get("register") == "du" and "recipient" in clean and not recipient.get("first_name"):
        checker.problem("recipient.first_name", "required for register: du (the salutation uses it)")
    if clean.get("channel") == "email" and not (clean.get("recipient") or {}).get("email"):
        checker.problem("recipient.email", "required for channel: email")


def _money(block: dict[str, Any], locale: str) -> Money:
    from .locales import default_currency

    return Money(block["amount"], block.get("currency") or default_currency(locale))


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
        sender=Party(**c["sender"]),
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
        refund=Refund(_money(c["refund"], locale), c["refund"].get("method"), c["refund"].get("by"))
        if c.get("refund")
        else None,
        handover=Handover(
            **{
                **handover,
                "accounts": tuple(handover.get("accounts", ())),
                "providers": tuple(handover.get("providers", ())),
                "contact": Contact(**handover["contact"]) if handover.get("contact") else None,
            }
        )
        if handover
        else None,
        enclosures=tuple(c.get("enclosures", ())),
        thanks=Thanks(**thanks) if thanks is not None else None,
        wishes=c.get("wishes", True),
    )
