"""The input contract as data: one declarative field tree drives validation and JSON Schema.

Each ``Spec`` says what a key may hold; ``model.validate`` walks input against the
tree and collects every problem with its dotted path, and ``json_schema`` turns the
same tree into the JSON Schema printed by ``letterkit schema``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOCALES = ("de-DE", "de-AT", "de-CH", "en-GB", "en-US")
CHANNELS = ("letter", "email")
REGISTERS = ("sie", "du")
GENDERS = ("female", "male", "unknown", "diverse")
# Other spellings of a gender in real exports (an "Anrede" or "Geschlecht" column),
# compared case-insensitively and without a final dot (Hr., MRS); the contract's
# values stay the four above. divers/d/Mx are "diverse": a named person addressed
# without Frau/Herr ("Guten Tag, Alex Berg,") and as Mx in English ("Dear Mx Taylor").
GENDER_ALIASES = {
    **dict.fromkeys(("frau", "fr", "w", "weiblich", "f", "mrs", "ms", "miss"), "female"),
    **dict.fromkeys(("herr", "herrn", "hr", "m", "männlich", "maennlich", "mr"), "male"),
    **dict.fromkeys(("divers", "d", "mx"), "diverse"),
    # an export's Anrede "Firma": the letter goes to the company, with a neutral salutation
    **dict.fromkeys(("firma", "unternehmen", "company", "firm"), "unknown"),
}
# The forms of address for a woman in English; Ms is the default, the others are kept
# when the input names them (as gender, title or courtesy).
COURTESIES = ("Ms", "Mrs", "Miss")
CHANNEL_ALIASES = {
    **dict.fromkeys(("brief", "post", "postal", "print", "papier"), "letter"),
    **dict.fromkeys(("e-mail", "mail", "e mail"), "email"),
}
STEP_KINDS = (
    "reminders",
    "meeting",
    "call",
    "revised_scope",
    "payment_plan",
    "escalation",
    "deadline",
)
REFUND_METHODS = ("bank_transfer", "card", "paypal", "credit_note", "offset")
# what the refunded money is; without it the letter says only that it is due to the client
REFUND_KINDS = ("prepayment", "overpayment", "credit_balance")
OPENING_KINDS = ("call", "meeting")


@dataclass(frozen=True)
class Spec:
    """What one key may hold: ``kind`` is str, text, date, amount, currency, enum, int,
    year, bool, email, object, list or reasons. An enum's ``aliases`` map other
    spellings (lower-case) to its choices."""

    kind: str
    description: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: dict[str, Spec] = field(default_factory=dict)
    item: Spec | None = None
    allow_false: bool = False  # a block that may be switched off with `false`
    aliases: dict[str, str] = field(default_factory=dict)
    # An enum whose value may carry an academic title after it, as CRM exports write
    # the Anrede ("Herr Dr.", "Frau Prof. Dr."): the title goes to the sibling ``title``.
    title_after: bool = False
    # A text of several lines, given as a list or with line breaks (the footer's company
    # details: register, directors and bank each on a line of their own).
    lines: bool = False


def _s(description: str, required: bool = False) -> Spec:
    return Spec("str", description, required)


PARTY_FIELDS = {
    "company": _s("Company name"),
    "name": _s("Full name: of the person who signs (sender), of the contact person (recipient)"),
    "role": _s("Role: under the signature (sender), e.g. Geschäftsführerin / Managing Director"),
    "gender": Spec(
        "enum",
        "Drives the salutation: female, male, unknown (neutral: 'Guten Tag, Alex Berg,' / "
        "'Dear Alex Taylor'; with a last name only 'Sehr geehrte Damen und Herren' / "
        "'Dear Sir or Madam') or diverse (a named person without Frau/Herr: 'Guten Tag, "
        "Alex Berg,', with a last name only 'Guten Tag,'; in English Mx: 'Dear Mx Taylor'). "
        "Also accepted, in any case: Frau/Herr, Fr./Hr., w/m/d, weiblich/männlich/divers, "
        "Mrs/Ms/Miss/Mr, f; Mx, divers and d mean diverse; Firma/company (a neutral salutation). "
        "An Anrede with a title ('Herr Dr.', 'Frau Prof. Dr.') puts the title in title",
        choices=GENDERS,
        aliases=GENDER_ALIASES,
        title_after=True,
    ),
    "title": _s(
        "Academic or professional title: Dr., Prof. Dr., Mag., DI ...; a form of address before it "
        "(Mr, Mrs, Ms, Miss, Mx, Herr, Frau, as a CRM's Title column holds it) gives the gender instead"
    ),
    "courtesy": Spec(
        "enum",
        "How an English letter addresses a woman when not as Ms: Mrs or Miss ('Dear Mrs Roth'); "
        "also taken from gender: Mrs / Miss, or from title: Mrs / Miss",
        choices=COURTESIES,
        aliases={c.casefold(): c for c in COURTESIES},
    ),
    "first_name": _s("First name"),
    "last_name": _s("Last name"),
    "street": _s("Street and number"),
    "address_extra": _s(
        "A further address line, printed above the street: c/o, a department, a building, "
        "a flat or suite ('c/o Muster GmbH', 'Abteilung Einkauf', 'Flat 3', 'Suite 200'); "
        "the Adresszusatz or Address line 2 of a client export"
    ),
    "postal_code": _s(
        'Postal code (quote it in YAML: "08001"); checked for DE (5 digits), AT and CH (4) and US (ZIP)'
    ),
    "city": _s("City"),
    "state": _s("State, province or region, for US and Canadian addresses: IL, ON"),
    "country": _s("ISO country code, e.g. DE; printed in the address when abroad"),
    "email": Spec("email", "Email address"),
    "phone": _s("Phone number"),
    "website": _s("Website"),
    "legal": Spec(
        "str",
        "Company details for the footer: register court and number, directors, VAT ID, bank; "
        "one line, or several as a list (each a line of the footer)",
        lines=True,
    ),
}

# The sender's fields: a party's, and whether the letter speaks as "I" or "we"
SENDER_FIELDS = {
    **PARTY_FIELDS,
    "voice": Spec(
        "enum",
        "Whether the letter speaks for the sender as I or as we (also ich, wir). Default: I "
        "without a company, we with one; a sole trader with a trade name as company "
        "('Texterei Blum', 'Gartenpflege Nowak') sets I",
        choices=("I", "we"),
        aliases={"i": "I", "ich": "I", "we": "we", "wir": "we"},
    ),
}

CONTACT_FIELDS = {
    "name": _s("Contact person", required=True),
    "email": Spec("email", "Email address"),
    "phone": _s("Phone number"),
}

STEP_FIELDS = {
    "kind": Spec("enum", "What was done", required=True, choices=STEP_KINDS),
    "count": Spec("int", "How many (reminders)"),
    "date": Spec("date", "When it happened (YYYY-MM-DD)"),
    "dates": Spec("list", "Dates of the reminders", item=Spec("date")),
}

INPUT = Spec(
    "object",
    "A letterkit termination: who ends which relationship, when, and what happens next",
    fields={
        "locale": Spec("enum", "Language and country conventions", True, LOCALES),
        "channel": Spec(
            "enum",
            "letter (default) or email; exports may also say Brief, Post, E-Mail or Mail",
            choices=CHANNELS,
            aliases=CHANNEL_ALIASES,
        ),
        "register": Spec("enum", "German form of address: sie (default) or du", choices=REGISTERS),
        "date": Spec("date", "Date of the letter (default: today)"),
        "sender": Spec("object", "Who writes", True, fields=SENDER_FIELDS),
        "recipient": Spec("object", "Who receives the letter", True, fields=PARTY_FIELDS),
        "contract": Spec(
            "object",
            "The contract that ends",
            fields={
                "name": _s("Contract name, e.g. Wartungsvertrag / Support Agreement"),
                "reference": _s("Contract number or reference"),
                "date": Spec("date", "Date the contract was signed"),
            },
        ),
        "end_date": Spec("date", "Last day of service, inclusive", required=True),
        "opening": Spec(
            "object",
            "Refer to the conversation in which the decision was already discussed",
            fields={
                "discussed": Spec("enum", "call or meeting", True, OPENING_KINDS),
                "date": Spec("date", "When it was discussed", required=True),
            },
        ),
        "reasons": Spec("reasons", "Reason codes from `letterkit parts`"),
        "reason_note": Spec("text", "Optional sentence of your own about the reason"),
        "steps_taken": Spec(
            "list",
            "What was tried before",
            item=Spec("object", fields=STEP_FIELDS),
        ),
        "work": Spec(
            "object",
            "Work still done before the end date",
            fields={
                "tasks": Spec(
                    "list",
                    "Tasks finished before the end, with an article: "
                    "'den Abschlussbericht' / 'the final report'",
                    item=Spec("str"),
                )
            },
        ),
        "final_invoice": Spec(
            "object",
            "The final invoice",
            fields={
                "number": _s("Invoice number"),
                "amount": Spec(
                    "amount", "Gross amount; a currency written with it must be the invoice's", required=True
                ),
                "currency": Spec("currency", "ISO 4217 code (default: the locale's currency)"),
                "due_date": Spec("date", "Payment due date (on or after end_date)"),
            },
        ),
        "refund": Spec(
            "object",
            "Money refunded to the client: an unused prepayment, an overpayment or a credit balance",
            fields={
                "amount": Spec(
                    "amount",
                    "Amount refunded; a currency written with it must be the refund's",
                    required=True,
                ),
                "currency": Spec("currency", "ISO 4217 code (default: the locale's currency)"),
                "method": Spec("enum", "How it is refunded", choices=REFUND_METHODS),
                "kind": Spec(
                    "enum",
                    "What is refunded (default: said as the amount due to the client)",
                    choices=REFUND_KINDS,
                ),
                "by": Spec("date", "Refunded by this date"),
            },
        ),
        "handover": Spec(
            "object",
            "Files, accounts and the handover to a new provider",
            fields={
                "export": _s("What is handed over, as a phrase: 'alle Projektdateien als ZIP-Archiv'"),
                "by": Spec(
                    "date",
                    "Files (export) ready by this date; without export, the accounts are transferred "
                    "and the things returned by then",
                ),
                "accounts": Spec(
                    "list",
                    "Accounts transferred before the end; office keys, key cards and the like among "
                    "them are returned",
                    item=Spec("str"),
                ),
                "returns": Spec(
                    "list",
                    "Things given back before the end (keys, key cards, equipment); never transferred",
                    item=Spec("str"),
                ),
                "collect": Spec(
                    "list",
                    "Your things the client is asked to return by the end (keys, key cards, "
                    "equipment you lent)",
                    item=Spec("str"),
                ),
                "meeting": Spec("date", "Proposed handover meeting"),
                "support_until": Spec("date", "Handover questions answered until"),
                "contact": Spec("object", "Contact for the handover", fields=CONTACT_FIELDS),
                "providers": Spec("list", "Providers you recommend", item=Spec("str")),
            },
        ),
        "enclosures": Spec("list", "Enclosed documents", item=Spec("str")),
        "thanks": Spec(
            "object",
            "Thanks for the work together (true or a mapping with since; false leaves the thanks out; "
            "yes/no, ja/nein and 1/0 are read as true/false)",
            fields={"since": Spec("year", "Year the work together began")},
            allow_false=True,
        ),
        "wishes": Spec(
            "bool", "Good wishes at the end (default true; yes/no, ja/nein and 1/0 are read as true/false)"
        ),
    },
)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the input, derived from ``INPUT``."""
    schema = _to_json(INPUT)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://letterkit.invalid/schema/input.json",
        "title": "letterkit input",
        **schema,
    }


_SIMPLE: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "text": {"type": "string"},
    # what the input reads (tester 40: an editor that checked against the schema flagged
    # "31.12.2026" and "1.190,00 €", which generate takes): ISO, German and slash dates; an
    # amount as a number, or as text the way the letter's locale writes it
    "date": {
        "anyOf": [
            {"type": "string", "format": "date"},
            {"type": "string", "pattern": r"^\d{1,2}\.\s?\d{1,2}\.\s?\d{4}$"},
            {"type": "string", "pattern": r"^\d{1,2}/\d{1,2}/\d{4}$"},
        ]
    },
    "amount": {
        "type": ["number", "string"],
        "pattern": r"^\s*(?:[€£$]|EUR|CHF|GBP|USD|Fr\.)?\s?-?\d[\d.,’' ]*(?:,-|\.-|,–|\.–)?\s?(?:€|EUR|CHF|GBP|USD|£|\$)?\s*$",
        "minimum": 0,
        "maximum": 999999999.99,  # values.MAX_AMOUNT
    },
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "int": {"type": "integer", "minimum": 0},
    "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
    "bool": {"type": "boolean"},
    "email": {"type": "string", "format": "email"},
}


def _to_json(spec: Spec) -> dict[str, Any]:
    out: dict[str, Any]
    if spec.kind == "object":
        out = {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: _to_json(sub) for name, sub in spec.fields.items()},
        }
        required = [name for name, sub in spec.fields.items() if sub.required]
        if required:
            out["required"] = required
        if spec.allow_false:
            out = {"oneOf": [out, {"type": "boolean"}]}  # true: the block with its defaults
    elif spec.kind == "list":
        out = {"type": "array", "items": _to_json(spec.item or Spec("str"))}
    elif spec.kind == "enum":
        out = {"enum": list(spec.choices)}
    elif spec.kind == "reasons":
        out = {"type": "array", "items": {"type": "string"}}
    else:
        out = dict(_SIMPLE[spec.kind])
        if spec.lines:
            out = {"anyOf": [out, {"type": "array", "items": {"type": "string"}}]}
    if spec.description:
        out["description"] = spec.description
    return out
