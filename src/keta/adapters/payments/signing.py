"""Webhook signatures shared by the sandbox and the gateway adapter, and the event body format.

    Keta-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>

The timestamp is inside the MAC, so an old event cannot be replayed with a fresh date, and events
older (or newer) than the tolerance are refused. Several `v1=` values may be sent while a secret is
rotated; one match is enough. Comparisons are constant-time.

    {"id": "evt_…", "type": "checkout.captured" | "checkout.declined",
     "data": {"checkout": "<provider reference>", "amount": "10300", "currency": "KRW"}}
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from keta.adapters.payments.base import InvalidWebhook, Outcome, PaymentEvent

SIGNATURE_HEADER = "keta-signature"
TOLERANCE_SECONDS = 300
_TYPES: dict[str, Outcome] = {"checkout.captured": "captured", "checkout.declined": "declined"}

Token = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


def signature_header(secret: bytes, raw_body: bytes, *, timestamp: int) -> str:
    return f"t={timestamp},v1={_mac(secret, timestamp, raw_body)}"


def verify_signature(
    secret: bytes, headers: Mapping[str, str], raw_body: bytes, *, now: datetime, tolerance: int = TOLERANCE_SECONDS
) -> None:
    lowered = {name.lower(): value for name, value in headers.items()}
    timestamp, macs = _parse_header(lowered.get(SIGNATURE_HEADER, ""))
    if abs(now.timestamp() - timestamp) > tolerance:
        raise InvalidWebhook("stale_timestamp")
    expected = _mac(secret, timestamp, raw_body)
    # Check every candidate (no early exit), so timing says nothing about which one matched.
    matched = [hmac.compare_digest(expected, mac) for mac in macs]
    if not any(matched):
        raise InvalidWebhook("bad_signature")


def event_body(*, event_id: str, outcome: Outcome, provider_reference: str, amount: Decimal, currency: str) -> bytes:
    kind = next(name for name, value in _TYPES.items() if value == outcome)
    data = {"checkout": provider_reference, "amount": str(amount), "currency": currency}
    return json.dumps({"id": event_id, "type": kind, "data": data}, separators=(",", ":")).encode()


class _Data(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    checkout: Token
    amount: Annotated[str, StringConstraints(max_length=20, pattern=r"^[0-9]{1,15}(\.[0-9]{1,4})?$")]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class _Event(BaseModel):
    # Unknown keys are ignored: providers add fields over time; unknown event types are refused.
    model_config = ConfigDict(extra="ignore", strict=True)
    id: Token
    type: Literal["checkout.captured", "checkout.declined"]
    data: _Data


def parse_event(raw_body: bytes) -> PaymentEvent:
    try:
        event = _Event.model_validate_json(raw_body)
    except ValidationError:
        raise InvalidWebhook("malformed_event") from None
    return PaymentEvent(
        provider_reference=event.data.checkout,
        event_id=event.id,
        outcome=_TYPES[event.type],
        amount=Decimal(event.data.amount),
        currency=event.data.currency,
    )


def _mac(secret: bytes, timestamp: int, raw_body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()


def _parse_header(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    macs: list[str] = []
    for part in header.split(",")[:8]:
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif name == "v1" and len(value) == 64:
            macs.append(value)
    if timestamp is None or not macs:
        raise InvalidWebhook("missing_signature")
    return timestamp, macs
