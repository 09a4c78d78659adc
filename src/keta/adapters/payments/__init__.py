"""Payment providers: the interface (base), the sandbox twin and the HTTP gateway adapter."""

from __future__ import annotations

from typing import Literal

from keta.adapters.clock import Clock
from keta.adapters.payments.base import (
    Checkout,
    InvalidWebhook,
    Outcome,
    PaymentEvent,
    PaymentProvider,
    PaymentProviderError,
    ProviderUnavailable,
)
from keta.adapters.payments.gateway import HostedGatewayPayments
from keta.adapters.payments.sandbox import SandboxPayments

__all__ = [
    "Checkout",
    "HostedGatewayPayments",
    "InvalidWebhook",
    "Outcome",
    "PaymentEvent",
    "PaymentProvider",
    "PaymentProviderError",
    "ProviderUnavailable",
    "SandboxPayments",
    "provider_for",
]


def provider_for(
    kind: Literal["sandbox", "gateway"],
    *,
    clock: Clock,
    secret_key: str,
    gateway_url: str | None = None,
    api_key: str | None = None,
    webhook_secret: str | None = None,
    timeout: float = 10.0,
) -> PaymentProvider:
    """The provider the settings name; the settings have already refused incomplete combinations."""
    if kind == "sandbox":
        return SandboxPayments(secret=secret_key, clock=clock)
    if not (gateway_url and api_key and webhook_secret):
        raise ValueError("the gateway needs its URL, API key and webhook secret")
    return HostedGatewayPayments(
        url=gateway_url, api_key=api_key, webhook_secret=webhook_secret, clock=clock, timeout=timeout
    )
