"""The sandbox provider for development and tests: payments are simulated, and say so.

Its "hosted checkout" is a page keta itself serves while the sandbox is active
(`/sandbox/checkout/<reference>`, see keta.web.payments). The page's link carries the amount,
currency and return URL with an HMAC of them, so the page needs no storage of its own and its
form cannot be forged from another site (the MAC is the form's anti-forgery token). Pressing
"Pay" or "Decline" makes a webhook event signed like a real provider's, which keta then checks
through the same `verify_webhook` as any other event. Both secrets derive from KETA_SECRET_KEY.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import quote, urlencode

from keta.adapters.clock import Clock
from keta.adapters.payments.base import Checkout, Outcome, PaymentEvent
from keta.adapters.payments.signing import (
    SIGNATURE_HEADER,
    event_body,
    parse_event,
    signature_header,
    verify_signature,
)

CHECKOUT_PATH = "/sandbox/checkout/"


def canonical_amount(amount: Decimal) -> str:
    """One spelling per amount ("10300.00"), whether it came from the policy or the database."""
    return f"{amount.quantize(Decimal('0.01')):f}"


class SandboxPayments:
    name = "sandbox"
    sandbox = True

    def __init__(self, *, secret: str, clock: Clock) -> None:
        key = secret.encode()
        self._webhook_secret = hmac.new(key, b"keta sandbox webhook", hashlib.sha256).digest()
        self._form_secret = hmac.new(key, b"keta sandbox checkout form", hashlib.sha256).digest()
        self._clock = clock

    def create_checkout(
        self, *, payment_reference: str, amount: Decimal, currency: str, description: str, return_url: str
    ) -> Checkout:
        reference = f"sbx_{secrets.token_hex(12)}"
        fields = {"amount": canonical_amount(amount), "currency": currency, "return": return_url}
        query = urlencode({**fields, "sig": self.checkout_token(reference, **fields)})
        return Checkout(reference, f"{CHECKOUT_PATH}{quote(reference)}?{query}")

    def checkout_token(self, reference: str, *, amount: str, currency: str, **fields: str) -> str:
        """The MAC binding a checkout page (and its form) to what keta asked for."""
        message = "\n".join((reference, amount, currency, fields["return"]))
        return hmac.new(self._form_secret, message.encode(), hashlib.sha256).hexdigest()

    def token_is_valid(self, reference: str, token: str, *, amount: str, currency: str, return_url: str) -> bool:
        expected = self.checkout_token(reference, amount=amount, currency=currency, **{"return": return_url})
        return hmac.compare_digest(expected, token)

    def signed_event(
        self, *, provider_reference: str, outcome: Outcome, amount: Decimal, currency: str
    ) -> tuple[dict[str, str], bytes]:
        """Headers and body of the webhook event a real provider would send after its card page."""
        body = event_body(
            event_id=f"evt_sbx_{secrets.token_hex(12)}",
            outcome=outcome,
            provider_reference=provider_reference,
            amount=amount,
            currency=currency,
        )
        timestamp = int(self._clock.now().timestamp())
        return {SIGNATURE_HEADER: signature_header(self._webhook_secret, body, timestamp=timestamp)}, body

    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> PaymentEvent:
        verify_signature(self._webhook_secret, headers, raw_body, now=self._clock.now())
        return parse_event(raw_body)
