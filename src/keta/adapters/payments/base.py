"""What every payment provider offers keta: a hosted checkout and signed webhook events.

keta never sees a card. It asks the provider for a checkout (a page on the provider's side), sends
the traveller there, and learns the outcome only from a webhook event the provider signs with a
shared secret. The browser's return to keta proves nothing and changes nothing.

PaymentProviderError
├── ProviderUnavailable   the provider did not answer in time, or answered with an error
└── InvalidWebhook        a webhook event with a bad or old signature, or a malformed body
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

Outcome = Literal["captured", "declined"]


@dataclass(frozen=True, slots=True)
class Checkout:
    provider_reference: str  # the provider's id of the checkout; webhook events name it
    redirect_url: str  # where the traveller pays: absolute, or a path on keta itself (the sandbox)


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    provider_reference: str
    event_id: str  # unique per event at the provider: a replayed delivery carries the same id
    outcome: Outcome
    amount: Decimal
    currency: str


class PaymentProviderError(Exception):
    """Carries a short code for logs (never a request or response body)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


class ProviderUnavailable(PaymentProviderError):
    pass


class InvalidWebhook(PaymentProviderError):
    pass


class PaymentProvider(Protocol):
    name: str
    sandbox: bool  # True: payments are simulated (development and tests only)

    def create_checkout(
        self, *, payment_reference: str, amount: Decimal, currency: str, description: str, return_url: str
    ) -> Checkout: ...

    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> PaymentEvent:
        """The event in `raw_body` if its signature is good and recent; raises InvalidWebhook otherwise."""
        ...
