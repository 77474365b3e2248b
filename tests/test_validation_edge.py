"""Validation at the edges found by QA: email addresses (IDN, non-ASCII, bad shapes),
huge and ambiguous amounts, gender aliases, one message per problem, dates with a time."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import smtplib
import socket
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from click.testing import CliRunner

import letterkit
import letterkit.values
from letterkit.cli import main
from letterkit.errors import InputError, RenderError
from letterkit.render.email import render_eml


def problems(data: dict) -> list[str]:
    with pytest.raises(InputError) as info:
        letterkit.validate(data)
    return [str(p) for p in info.value.problems]


def email_input(base: dict, sender: str, recipient: str) -> dict:
    data = copy.deepcopy(base)
    data["channel"] = "email"
    data["sender"]["email"] = sender
    data["recipient"]["email"] = recipient
    data["recipient"]["last_name"] = "Öztürk"
    return data


def assert_clean_failure(result) -> None:  # type: ignore[no-untyped-def]
    """Exit 1 through the CLI's error path, not an exception escaping (CliRunner keeps it)."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception


def parsed_eml(data: dict) -> EmailMessage:
    blob = render_eml(letterkit.compose(data))
    blob.decode("ascii")  # every byte of a message sent without SMTPUTF8 is ASCII
    message = message_from_bytes(blob, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


# -- email addresses ----------------------------------------------------------------------

EMAIL_FIELDS = [("sender", "email"), ("recipient", "email"), ("handover", "contact")]


def set_email(data: dict, where: tuple[str, str], address: str) -> str:
    """Put ``address`` into one of the contract's email fields; returns its path."""
    block, key = where
    if block == "handover":
        data["handover"] = {"contact": {"name": "Jonas Weber", "email": address}}
        return "handover.contact.email"
    data[block][key] = address
    return f"{block}.email"


@pytest.mark.parametrize("where", EMAIL_FIELDS)
@pytest.mark.parametrize(
    "address,reason",
    [
        ("jörg@example.de", "the part before the @ has non-ASCII characters, which needs SMTPUTF8"),
        ("a..b@example.de", "must not start or end with a dot or have two dots in a row"),
        (".anna@example.de", "must not start or end with a dot or have two dots in a row"),
        ("anna.@example.de", "must not start or end with a dot or have two dots in a row"),
        ("anna@b@example.de", "more than one @"),
        ("Anna <anna@example.de>", "write the address alone"),
        ("anna(x)@example.de", "'(' is not allowed before the @"),
        ("anna@example", "'example' is not a valid domain"),
        ("anna@exa_mple.de", "is not a valid domain"),
        ("anna@-example.de", "is not a valid domain"),
        ("anna@example..de", "is not a valid domain"),
        ("anna@example.de.", "is not a valid domain"),
        ("a" * 65 + "@example.de", "longer than 64 characters"),
        ("anna.example.de", "is not an email address (expected name@example.com)"),
    ],
)
def test_invalid_addresses_are_one_clear_problem_in_every_email_field(base, where, address, reason):
    path = set_email(base, where, address)
    (found,) = problems(base)
    assert found.startswith(f"{path}: '{address}' ")
    assert reason in found


def test_non_ascii_local_part_suggests_an_ascii_address(base):
    base["recipient"]["email"] = "jörg.müßig@example.de"
    (found,) = problems(base)
    assert "letterkit sends plain SMTP; use an ASCII address, such as joerg.muessig@example.de" in found


@pytest.mark.parametrize("where", EMAIL_FIELDS)
@pytest.mark.parametrize(
    "address",
    ["joerg@exämple.de", "anna@straße.de", "o'brien+termination@example.co.uk", "anna@xn--exmple-cua.de"],
)
def test_valid_addresses_are_kept_as_written(base, where, address):
    set_email(base, where, address)
    t = letterkit.validate(base)
    kept = t.handover.contact.email if where[0] == "handover" else getattr(t, where[0]).email
    assert kept == address


def test_idn_domains_go_into_the_headers_as_punycode(base):
    message = parsed_eml(email_input(base, "erika@müller-webdesign.de", "joerg@exämple.de"))
    (sender,) = message["From"].addresses
    (recipient,) = message["To"].addresses
    assert sender.addr_spec == "erika@xn--mller-webdesign-zvb.de"
    assert recipient.addr_spec == "joerg@xn--exmple-cua.de"
    assert recipient.display_name == "Anna Öztürk"
    assert message["Message-ID"].endswith("@xn--mller-webdesign-zvb.de>")
    body = message.get_body(("plain",)).get_content()
    assert "erika@müller-webdesign.de" in body  # the letter itself shows the address as written


@pytest.mark.parametrize(
    "address",
    [
        "joerg@exämple.de",
        "anna@ÉXÄMPLE.DE",
        "anna@straße.de",
        "anna@例子.广告",
        "o'brien@example.co.uk",
        "a!#$%&'*+/=?^_`{|}~-z@example.de",
        "a.b-c_d@sub.xn--exmple-cua.de",
        "x" * 64 + "@example.de",
    ],
)
def test_every_accepted_address_renders_and_parses(base, address):
    data = email_input(base, address, address)
    letterkit.validate(data)
    message = parsed_eml(data)
    for header in ("From", "To"):
        (parsed,) = message[header].addresses
        assert parsed.addr_spec.isascii()
        assert parsed.username == address.rpartition("@")[0]
        assert parsed.domain.lower() == letterkit.values.ascii_domain(address.rpartition("@")[2]).lower()


def test_a_hand_built_letter_with_a_bad_address_is_a_render_error(base):
    letter = letterkit.compose(email_input(base, "erika@example.de", "anna@example.de"))
    broken = dataclasses.replace(letter, recipient_email="jörg@example.de")
    with pytest.raises(RenderError, match=r"recipient.email: 'jörg@example.de' cannot be used"):
        render_eml(broken)


def test_merge_reports_the_non_ascii_address_of_one_row_and_writes_the_others(tmp_path, base):
    rows = [
        {**email_input(base, "erika@example.de", "joerg@exämple.de"), "contract": {"reference": "M-1"}},
        {**email_input(base, "erika@example.de", "jörg@example.de"), "contract": {"reference": "M-2"}},
    ]
    source = tmp_path / "rows.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["merge", str(source), "-o", str(out), "--format", "eml"])
    assert_clean_failure(result)
    assert f"{source}: row 2: recipient.email: 'jörg@example.de' cannot be used" in result.output
    (written,) = out.glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "joerg@xn--exmple-cua.de"


def test_an_idn_recipient_is_accepted_by_a_plain_smtp_server(base):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    received: list[tuple[str, list[str]]] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            received.append((envelope.mail_from, list(envelope.rcpt_tos)))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        message = letterkit.to_email(
            letterkit.compose(email_input(base, "erika@exämple.de", "joerg@exämple.de"))
        )
        with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
            smtp.send_message(message)  # refuses non-ASCII addresses without SMTPUTF8
    finally:
        controller.stop()
    assert received == [("erika@xn--exmple-cua.de", ["joerg@xn--exmple-cua.de"])]


# -- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount,message",
    [
        ("1e30", "final_invoice.amount: 1e30 is too large; an amount can be at most 999,999,999.99"),
        (1e308, "final_invoice.amount: 1e+308 is too large"),
        ("99999999999999999999999999999,00", "is too large"),
        ("1.000.000.000", "is too large"),
        (Decimal("1E+30"), "is too large"),
        ("1e2", "'1e2' is in exponent notation; write the amount in full"),
        ("NaN", "'NaN' is not an amount"),
        ("Infinity", "'Infinity' is not an amount"),
        (float("nan"), "nan is not an amount"),
        (float("-inf"), "-inf is not an amount"),
        ("0,001", "0,001 has more than two decimal places"),
        ("0.001", "0.001 has more than two decimal places"),
        ("1190,000", "1190,000 has more than two decimal places"),
        ("1.000.00", "group digits in threes"),
        ("12,34,567", "group digits in threes"),
        ("-5", "-5 is negative"),
    ],
)
def test_bad_amounts_are_one_problem_naming_the_field(base, amount, message):
    base["final_invoice"] = {"amount": amount}
    (found,) = problems(base)
    assert found.startswith("final_invoice.amount: ")
    assert message in found


def test_largest_amount_is_accepted(base):
    base["final_invoice"] = {"amount": "999.999.999,99"}
    assert letterkit.validate(base).final_invoice.amount.amount == Decimal("999999999.99")


@pytest.mark.parametrize(
    "locale,text,expected",
    [
        ("de-DE", "1.000", Decimal("1000.00")),
        ("de-AT", "12.500", Decimal("12500.00")),
        ("de-DE", "1,000", "is ambiguous"),
        ("en-GB", "1,000", Decimal("1000.00")),
        ("en-US", "1.000", "is ambiguous"),
        ("de-CH", "1’000", Decimal("1000.00")),
        ("de-CH", "1.000", "is ambiguous"),
        ("de-CH", "1,000", "is ambiguous"),
        ("en-GB", "1.190,00", Decimal("1190.00")),  # unambiguous: two separators
        ("de-DE", "1,190.00", Decimal("1190.00")),
        ("de-DE", "1.000.000", Decimal("1000000.00")),
        ("en-US", "1,5", Decimal("1.50")),
    ],
)
def test_a_lone_separator_before_three_digits_is_read_as_the_locale_writes_it(base, locale, text, expected):
    base["locale"] = locale
    base["refund"] = {"amount": text}
    if isinstance(expected, Decimal):
        assert letterkit.validate(base).refund.amount.amount == expected
    else:
        (found,) = problems(base)
        assert found.startswith("refund.amount: ") and expected in found


@pytest.mark.parametrize("zero", ["-0", "-0,00", -0.0, "0"])
def test_minus_zero_is_zero(base, zero):
    base["final_invoice"] = {"amount": zero}  # a final invoice of 0: no further invoice follows
    amount = letterkit.validate(base).final_invoice.amount.amount
    assert amount == 0 and not amount.is_signed()
    text = letterkit.render(letterkit.compose(base), "txt").decode("utf-8")
    assert "-0,00" not in text
    base["refund"] = {"amount": zero}  # a refund of nothing is no refund
    assert any("refund.amount: 0 refunds nothing" in p for p in problems(base))


def test_huge_amount_fails_its_row_only_in_a_merge_check(tmp_path, base):
    source = tmp_path / "amounts.csv"
    source.write_text(
        "locale,recipient.last_name,recipient.gender,end_date,final_invoice.amount\n"
        "de-DE,Eins,female,2026-12-31,1190\n"
        'de-DE,Zwei,female,2026-12-31,"1e30"\n',
        encoding="utf-8",
    )
    base_file = tmp_path / "base.yaml"
    base_file.write_text(json.dumps({"date": "2026-11-26", "sender": base["sender"]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["merge", str(source), "--base", str(base_file), "--check"])
    assert_clean_failure(result)
    assert f"{source}: row 3: final_invoice.amount: 1e30 is too large" in result.output
    assert f"{source}: row 2:" not in result.output  # row 2 is valid (a warning at most)


def test_generate_with_a_huge_amount_is_an_input_error(tmp_path, write_input, base):
    base["final_invoice"] = {"amount": "1e30"}
    result = CliRunner().invoke(main, ["generate", str(write_input(base)), "-o", str(tmp_path / "x.txt")])
    assert_clean_failure(result)
    assert "final_invoice.amount: 1e30 is too large" in result.output


# -- gender ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,gender",
    [
        ("Herr", "male"),
        (" frau ", "female"),
        ("HERRN", "male"),
        ("Hr.", "male"),
        ("Fr.", "female"),
        ("m", "male"),
        ("w", "female"),
        ("Mr", "male"),
        ("Mrs.", "female"),
        ("Ms", "female"),
        ("weiblich", "female"),
        ("Männlich", "male"),
        ("divers", "diverse"),
        ("D", "diverse"),
        ("Mx", "diverse"),
        ("Female", "female"),
        ("Firma", "unknown"),
        ("Company", "unknown"),
    ],
)
def test_gender_aliases(base, value, gender):
    base["recipient"]["gender"] = value
    assert letterkit.validate(base).recipient.gender == gender


def test_herr_drives_the_salutation(base):
    base["recipient"].update(gender="Herr", first_name="Jonas", last_name="Weber")
    assert letterkit.compose(base).salutation == "Sehr geehrter Herr Weber,"


def test_anrede_firma_writes_to_the_company(base):
    """A CRM export's Anrede "Firma": the company is addressed, neutrally."""
    base["recipient"].update(gender="Firma", company="Beispiel AG")
    base["recipient"].pop("first_name", None)
    base["recipient"].pop("last_name", None)
    assert letterkit.compose(base).salutation == "Sehr geehrte Damen und Herren,"


def test_unknown_gender_lists_the_accepted_values(base):
    base["recipient"]["gender"] = "Familie"
    (found,) = problems(base)
    assert found.startswith(
        "recipient.gender: 'Familie' is not allowed; expected one of female, male, unknown, diverse (or "
    )
    assert "frau" in found and "herr" in found and "divers" in found


def test_schema_documents_the_gender_aliases():
    gender = letterkit.json_schema()["properties"]["recipient"]["properties"]["gender"]
    assert gender["enum"] == ["female", "male", "unknown", "diverse"]
    assert "Frau/Herr" in gender["description"] and "w/m/d" in gender["description"]


# -- one message per problem -----------------------------------------------------------------


def test_an_invalid_email_is_not_also_missing(base):
    base["channel"] = "email"
    base["recipient"]["email"] = "anna.example.com"
    assert len(problems(base)) == 1


def test_an_invalid_last_name_does_not_also_leave_the_recipient_nameless(base):
    base["recipient"] = {"last_name": "Schnei\nder", "gender": "female"}
    (found,) = problems(base)
    assert found.startswith("recipient.last_name: line breaks are not allowed")


def test_an_invalid_sender_name_is_not_also_missing(base):
    base["sender"]["name"] = "Erika\nMuster"
    (found,) = problems(base)
    assert found.startswith("sender.name: line breaks are not allowed")


def test_a_recipient_that_is_not_a_mapping_is_one_problem(base):
    base["recipient"] = ["Anna"]
    (found,) = problems(base)
    assert found.startswith("recipient: expected a mapping with the key(s)")


def test_an_invalid_first_name_is_not_also_missing_for_du(base):
    base["register"] = "du"
    base["recipient"]["first_name"] = "An\u202ena"
    (found,) = problems(base)
    assert found.startswith("recipient.first_name: contains the invisible control character")


def test_an_invalid_letter_date_does_not_also_move_the_end_date(base):
    base["date"] = "2027-02-30"
    base["end_date"] = "2026-01-01"  # before today too: only the date is reported
    (found,) = problems(base)
    assert found.startswith("date: '2027-02-30' is not a date")


# -- dates with a time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-31 00:00:00",
        "2026-12-31T00:00",
        "2026-12-31 00:00:00.000",
        "31.12.2026 00:00",
        dt.datetime(2026, 12, 31),
    ],
)
def test_a_midnight_time_part_is_accepted(base, value):
    base["end_date"] = value
    assert letterkit.validate(base).end_date == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    "value", ["2026-12-31 14:30:00", "31.12.2026 08:00", dt.datetime(2026, 12, 31, 14, 30), 46387.5]
)
def test_another_time_of_day_is_a_clear_problem(base, value):
    base["end_date"] = value
    (found,) = problems(base)
    assert found.startswith(f"end_date: '{value}' has a time of day; write the date alone, e.g. 2026-12-31")


def test_schema_states_the_amount_bound():
    amount = letterkit.json_schema()["properties"]["final_invoice"]["properties"]["amount"]
    assert Decimal(str(amount["maximum"])) == letterkit.values.MAX_AMOUNT


@pytest.mark.parametrize(
    ("path", "value"),
    [(("recipient", "last_name"), "-"), (("contract", "reference"), "..."), (("sender", "city"), "?!")],
)
def test_a_placeholder_without_a_letter_or_digit_is_refused(base, path, value):
    block, key = path
    base.setdefault(block, {})[key] = value
    (found,) = problems(base)
    assert found.startswith(f"{block}.{key}: {value!r} has no letter or digit; write the real value")


def test_a_value_with_one_letter_or_digit_is_kept(base):
    base["contract"] = {**base.get("contract", {}), "reference": "#1"}
    base["recipient"]["last_name"] = "Ó"
    termination = letterkit.validate(base)
    assert termination.contract.reference == "#1"
