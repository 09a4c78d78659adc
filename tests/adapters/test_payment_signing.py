"""Webhook signatures and event bodies (keta.adapters.payments.signing): no database, no network.

The expected MACs are computed here with hmac directly from the documented header format, not
with the module's own helper, so a mistake shared by signer and verifier would still fail."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from keta.adapters.clock import FixedClock
from keta.adapters.payments import InvalidWebhook, SandboxPayments
from keta.adapters.payments.signing import parse_event, signature_header, verify_signature

SECRET = b"whsec-test-6Jq2Lz9Xc4Vb7Nm1Kp8Rt3Wy5Hd0Fg"
NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
BODY = json.dumps(
    {"id": "evt_1", "type": "checkout.captured", "data": {"checkout": "chk_1", "amount": "10300.00", "currency": "KRW"}}
).encode()


def header(body: bytes = BODY, *, at: datetime = NOW, secret: bytes = SECRET) -> dict[str, str]:
    timestamp = int(at.timestamp())
    mac = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Keta-Signature": f"t={timestamp},v1={mac}"}


def test_a_good_signature_verifies_and_the_helper_writes_the_documented_format() -> None:
    verify_signature(SECRET, header(), BODY, now=NOW)
    assert signature_header(SECRET, BODY, timestamp=int(NOW.timestamp())) == header()["Keta-Signature"]
    verify_signature(SECRET, {"keta-signature": header()["Keta-Signature"]}, BODY, now=NOW)  # any header case


@pytest.mark.parametrize(
    ("headers", "body", "code"),
    [
        ({}, BODY, "missing_signature"),
        ({"Keta-Signature": "v1=" + "0" * 64}, BODY, "missing_signature"),
        ({"Keta-Signature": "t=1796000000"}, BODY, "missing_signature"),
        ({"Keta-Signature": "t=abc,v1=" + "0" * 64}, BODY, "missing_signature"),
        (header(secret=b"another-secret-entirely-0000000000"), BODY, "bad_signature"),
        (header(), BODY.replace(b"10300.00", b"1.00"), "bad_signature"),  # the body changed after signing
        (header(at=NOW - timedelta(seconds=301)), BODY, "stale_timestamp"),
        (header(at=NOW + timedelta(seconds=301)), BODY, "stale_timestamp"),
    ],
    ids=["no-header", "no-timestamp", "no-mac", "bad-timestamp", "other-secret", "tampered", "old", "future"],
)
def test_a_bad_or_old_signature_is_refused(headers: dict[str, str], body: bytes, code: str) -> None:
    with pytest.raises(InvalidWebhook) as refused:
        verify_signature(SECRET, headers, body, now=NOW)
    assert refused.value.code == code


def test_the_tolerance_is_five_minutes_either_way_and_a_rotated_secret_may_sign_too() -> None:
    verify_signature(SECRET, header(at=NOW - timedelta(seconds=300)), BODY, now=NOW)
    verify_signature(SECRET, header(at=NOW + timedelta(seconds=300)), BODY, now=NOW)
    old = header(secret=b"the-previous-secret-0000000000000")["Keta-Signature"]
    both = {"Keta-Signature": old + "," + header()["Keta-Signature"].split(",")[1]}
    verify_signature(SECRET, both, BODY, now=NOW)


def test_events_are_parsed_strictly() -> None:
    event = parse_event(BODY)
    assert (event.event_id, event.provider_reference, event.outcome) == ("evt_1", "chk_1", "captured")
    assert (event.amount, event.currency) == (Decimal("10300.00"), "KRW")
    extra = json.loads(BODY)
    extra["livemode"] = True  # providers add fields over time: ignored
    assert parse_event(json.dumps(extra).encode()) == event
    for broken in (
        b"not json",
        BODY.replace(b"checkout.captured", b"checkout.refunded"),
        BODY.replace(b'"10300.00"', b"10300.00"),  # a number, not a string: floats have no place here
        BODY.replace(b'"KRW"', b'"krw"'),
        BODY.replace(b'"chk_1"', b'"chk 1; drop"'),
        json.dumps({"id": "evt_1", "type": "checkout.captured"}).encode(),
    ):
        with pytest.raises(InvalidWebhook) as refused:
            parse_event(broken)
        assert refused.value.code == "malformed_event"


def test_the_sandbox_signs_what_it_verifies_and_binds_its_checkout_page() -> None:
    clock = FixedClock(NOW)
    sandbox = SandboxPayments(secret="sandbox-test-secret", clock=clock)
    checkout = sandbox.create_checkout(
        payment_reference="P1", amount=Decimal(10300), currency="KRW", description="x", return_url="/status"
    )
    assert checkout.provider_reference.startswith("sbx_") and checkout.redirect_url.startswith("/sandbox/checkout/")
    fields = {"amount": "10300.00", "currency": "KRW", "return_url": "/status"}
    token = sandbox.checkout_token(
        checkout.provider_reference, amount="10300.00", currency="KRW", **{"return": "/status"}
    )
    assert f"sig={token}" in checkout.redirect_url
    assert sandbox.token_is_valid(checkout.provider_reference, token, **fields)
    assert not sandbox.token_is_valid(checkout.provider_reference, token, **{**fields, "amount": "1.00"})
    assert not sandbox.token_is_valid(checkout.provider_reference, token, **{**fields, "return_url": "https://evil"})
    headers, body = sandbox.signed_event(
        provider_reference=checkout.provider_reference, outcome="declined", amount=Decimal(10300), currency="KRW"
    )
    assert sandbox.verify_webhook(headers, body).outcome == "declined"
    other = SandboxPayments(secret="another-sandbox-secret", clock=clock)
    with pytest.raises(InvalidWebhook):
        other.verify_webhook(headers, body)
    clock.advance(timedelta(minutes=6))
    with pytest.raises(InvalidWebhook):
        sandbox.verify_webhook(headers, body)  # six minutes later, a replay is refused by its date alone
