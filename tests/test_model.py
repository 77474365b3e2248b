"""Validation of the input contract: every problem at once, with its field path and a fix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import letterkit
from letterkit.errors import InputError, SourceError
from letterkit.sources import parse_yaml


def problems(data: dict) -> list[str]:
    with pytest.raises(InputError) as info:
        letterkit.validate(data)
    return [str(p) for p in info.value.problems]


def test_valid_input_builds_typed_termination(base):
    base["final_invoice"] = {"number": "1", "amount": 1190.0, "due_date": "2027-01-15"}
    t = letterkit.validate(base)
    assert t.end_date == date(2026, 12, 31)
    assert t.final_invoice.amount.amount == Decimal("1190.00")
    assert t.final_invoice.amount.currency == "EUR"
    assert t.recipient.person == "Anna Schneider"


def test_all_problems_reported_at_once_with_paths(base):
    base["recipient"]["gender"] = "Dr."
    base["end_date"] = "Ende Dezember"
    base["refund"] = {"amount": -5}
    found = problems(base)
    assert any(
        p.startswith("recipient.gender: 'Dr.' is not allowed; expected one of female, male, unknown")
        for p in found
    )
    assert any(p.startswith("end_date: 'Ende Dezember' is not a date; write it as YYYY-MM-DD") for p in found)
    assert any(p.startswith("refund.amount:") and "negative" in p for p in found)
    assert len(found) == 3


def test_unknown_key_gets_did_you_mean(base):
    base["recipient"]["last_nmae"] = "X"
    assert "recipient.last_nmae: unknown key (did you mean 'last_name'?)" in problems(base)


@pytest.mark.parametrize(
    "key,meant",
    [("lastname", "last_name"), ("stret", "street"), ("strasse", "street"), ("emial", "email"), ("postcode", "postal_code")],
)
def test_a_slip_gets_did_you_mean(base, key, meant):
    base["recipient"][key] = "X"
    assert f"recipient.{key}: unknown key (did you mean '{meant}'?)" in problems(base)


@pytest.mark.parametrize("key", ["colour", "farbe", "notes"])
def test_a_key_that_only_shares_letters_gets_no_suggestion(base, key):
    base[key] = "red"  # 'colour' shares c, l, o, u, r with 'enclosures', scattered
    assert f"{key}: unknown key" in problems(base)


def test_a_value_split_by_a_comma_in_a_flow_mapping_is_named_with_the_quotes_it_needs(base):
    text = (
        "locale: en-US\nend_date: 2026-12-31\n"
        "sender: {company: Great Lakes Analytics, Inc., name: Rebecca Lindqvist, email: rl@example.com}\n"
        "recipient: {company: Hudson, Van der Berg & Co, last_name: Berg}\n"
    )
    data, lines = parse_yaml(text)
    with pytest.raises(InputError) as info:
        letterkit.validate(data, lines=lines)
    found = [str(p) for p in info.value.problems]
    assert (
        "line 3: sender.Inc.: unknown key: probably the end of company: 'Great Lakes Analytics' — "
        'in a {...} mapping a comma ends the value; put the value in quotes: company: "Great Lakes Analytics, Inc."'
    ) in found
    assert any(
        p.startswith("line 4: recipient.Van der Berg & Co: unknown key: probably the end of company: 'Hudson'")
        and 'company: "Hudson, Van der Berg & Co"' in p
        for p in found
    )


def test_unknown_reason_code_gets_did_you_mean(base):
    base["reasons"] = ["payment_term"]
    (found,) = problems(base)
    assert "reasons[0]: unknown reason code 'payment_term' (did you mean 'payment_terms'?)" in found


@pytest.mark.parametrize("missing", ["locale", "sender", "recipient", "end_date"])
def test_required_blocks(base, missing):
    del base[missing]
    assert any(p.startswith(f"{missing}: required") for p in problems(base))


def test_unknown_locale(base):
    base["locale"] = "fr-FR"
    (found,) = problems(base)
    assert found.startswith("locale: 'fr-FR' is not allowed; expected one of de-DE, de-AT, de-CH")


def test_locale_spelling_variants_are_accepted(base):
    base["locale"] = "de_at"
    assert letterkit.validate(base).locale == "de-AT"


def test_end_date_before_letter_date(base):
    base["end_date"] = "2026-11-01"
    (found,) = problems(base)
    assert "end_date: 2026-11-01 is before the letter's date 2026-11-26" in found


def test_unknown_currency_and_bad_amount(base):
    base["final_invoice"] = {"amount": "zwölf", "currency": "EUROS"}
    found = problems(base)
    assert any("final_invoice.amount: 'zwölf' is not an amount" in p for p in found)
    assert any("final_invoice.currency: 'EUROS' is not an ISO 4217 currency code" in p for p in found)


@pytest.mark.parametrize(
    "text,expected",
    [("1.190,00", "1190.00"), ("1190,5", "1190.50"), ("1’190.00", "1190.00"), ("450", "450.00")],
)
def test_amount_strings(base, text, expected):
    base["refund"] = {"amount": text}
    assert letterkit.validate(base).refund.amount.amount == Decimal(expected)


@pytest.mark.parametrize(
    "text,locale",
    [("1190,-", "de-DE"), ("1.190,-", "de-DE"), ("€ 1.190,–", "de-AT"), ("1'190.-", "de-CH"),
     ("CHF 1’190.-", "de-CH"), ("1190.-", "en-GB")],
)  # fmt: skip
def test_a_whole_amount_with_a_dash_for_the_cents(base, text, locale):
    base["locale"] = locale
    base["final_invoice"] = {"amount": text, "currency": "CHF" if locale == "de-CH" else None}
    base["final_invoice"] = {k: v for k, v in base["final_invoice"].items() if v}
    assert letterkit.validate(base).final_invoice.amount.amount == Decimal("1190.00")


@pytest.mark.parametrize("text", ["1.190.-", "01.190,-", "1190-", ",-", "11.90,-"])
def test_a_dash_for_the_cents_needs_sound_digits(base, text):
    base["final_invoice"] = {"amount": text}
    (found,) = problems(base)
    assert f"final_invoice.amount: '{text}' is not an amount" in found


def test_more_than_two_decimals_rejected(base):
    base["refund"] = {"amount": 10.005}
    assert any("more than two decimal places" in p for p in problems(base))


@pytest.mark.parametrize("bad", ["Anna\x07", "Anna\u202eevil", "Anna\x00"])
def test_control_characters_rejected(base, bad):
    base["recipient"]["first_name"] = bad
    (found,) = problems(base)
    assert found.startswith("recipient.first_name: contains the invisible control character U+")


def test_wrong_types(base):
    base["recipient"] = ["Anna"]
    base["wishes"] = "vielleicht"  # yes, ja, 1 ... are read as true
    base["steps_taken"] = {"kind": "meeting"}
    found = problems(base)
    assert any(p.startswith("recipient: expected a mapping with the key(s)") for p in found)
    assert any(p.startswith("wishes: expected true or false") for p in found)
    assert any(p.startswith("steps_taken: expected a list") for p in found)


def test_du_needs_first_name_and_german(base):
    base["register"] = "du"
    del base["recipient"]["first_name"]
    assert any(p.startswith("recipient.first_name: required for register: du") for p in problems(base))
    base["recipient"]["first_name"] = "Anna"
    base["locale"] = "en-GB"
    assert any(p.startswith("register: du applies to German letters only") for p in problems(base))


def test_invalid_email(base):
    base["recipient"]["email"] = "anna.example.com"
    (found,) = problems(base)
    assert "recipient.email: 'anna.example.com' is not an email address" in found


def test_yaml_line_numbers_are_reported():
    data, lines = parse_yaml("locale: de-DE\nrecipient:\n  gender: Dr.\n")
    with pytest.raises(InputError) as info:
        letterkit.validate(data, source="c.yaml", lines=lines)
    assert "line 3: recipient.gender: 'Dr.' is not allowed" in str(info.value)
    assert str(info.value).startswith("c.yaml: ")


def test_malformed_yaml_names_line():
    with pytest.raises(SourceError) as info:
        parse_yaml("locale: de-DE\nsender:\n  name: [unclosed\nend_date: 2026-12-31\n", "bad.yaml")
    assert str(info.value).startswith("bad.yaml:")
    assert info.value.line is not None and info.value.line >= 3


def test_duplicate_yaml_keys_are_an_error():
    with pytest.raises(SourceError) as info:
        parse_yaml("locale: de-DE\nlocale: en-GB\n", "dup.yaml")
    assert "the key 'locale' appears twice" in str(info.value)
    assert info.value.line == 2


def test_thanks_can_be_switched_off(base):
    base["thanks"] = False
    assert letterkit.validate(base).thanks is None
    base["thanks"] = {"since": 2021}
    assert letterkit.validate(base).thanks.since == 2021


def test_json_schema_matches_contract():
    schema = letterkit.json_schema()
    props = schema["properties"]
    assert schema["required"] == ["locale", "sender", "recipient", "end_date"]
    assert props["recipient"]["properties"]["gender"]["enum"] == ["female", "male", "unknown", "diverse"]
    assert props["recipient"]["additionalProperties"] is False
    assert "reasons" in props and "steps_taken" in props
