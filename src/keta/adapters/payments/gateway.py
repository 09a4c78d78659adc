"""A real payment gateway over HTTP JSON (KETA_PAYMENT_GATEWAY_URL, _API_KEY, _WEBHOOK_SECRET).

keta's generic gateway protocol, which a small shim in front of any acquirer's hosted checkout can
speak:

    POST {gateway}/checkouts                       Authorization: Bearer <api key>
         Idempotency-Key: <payment reference>      (a retried call makes no second checkout)
         {"reference", "amount": "10300.00", "currency", "description", "return_url"}
    → 201 {"id": "<checkout id>", "url": "https://<gateway>/…"}

and webhook events signed as in keta.adapters.payments.signing. No personal data is sent: the
description names the application reference only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from keta.adapters.clock import Clock
from keta.adapters.payments.base import Checkout, PaymentEvent, ProviderUnavailable
from keta.adapters.payments.sandbox import canonical_amount
from keta.adapters.payments.signing import parse_event, verify_signature

MAX_ANSWER_BYTES = 64 * 1024


class _CheckoutAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    id: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
    url: Annotated[str, StringConstraints(min_length=8, max_length=2000, pattern=r"^https?://[^\s]+$")]


class HostedGatewayPayments:
    name = "gateway"
    sandbox = False

    def __init__(self, *, url: str, api_key: str, webhook_secret: str, clock: Clock, timeout: float = 10.0) -> None:
        if urlsplit(url).scheme not in ("https", "http"):
            raise ValueError("the gateway URL must be http(s)")
        self._endpoint = url.rstrip("/") + "/checkouts"
        self._api_key = api_key
        self._webhook_secret = webhook_secret.encode()
        self._clock = clock
        self._timeout = timeout

    def create_checkout(
        self, *, payment_reference: str, amount: Decimal, currency: str, description: str, return_url: str
    ) -> Checkout:
        body = {
            "reference": payment_reference,
            "amount": canonical_amount(amount),
            "currency": currency,
            "description": description,
            "return_url": return_url,
        }
        request = Request(  # noqa: S310 - the scheme is checked to be http(s) in __init__
            self._endpoint,
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self._api_key}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Idempotency-Key": payment_reference,
            },
        )
        try:
            # The timeout bounds the connection and each read; the answer's size is bounded too.
            with urlopen(request, timeout=self._timeout) as response:  # noqa: S310 - checked scheme
                raw = response.read(MAX_ANSWER_BYTES + 1)
        except HTTPError as error:
            error.close()
            raise ProviderUnavailable(f"gateway_status_{error.code}") from None
        except TimeoutError:
            raise ProviderUnavailable("gateway_timeout") from None
        except URLError as error:  # a timeout while connecting arrives wrapped
            timed_out = isinstance(error.reason, TimeoutError)
            raise ProviderUnavailable("gateway_timeout" if timed_out else "gateway_unreachable") from None
        except OSError:
            raise ProviderUnavailable("gateway_unreachable") from None
        if len(raw) > MAX_ANSWER_BYTES:
            raise ProviderUnavailable("gateway_answer_too_large")
        try:
            answer = _CheckoutAnswer.model_validate_json(raw)
        except ValidationError:
            raise ProviderUnavailable("gateway_answer_malformed") from None
        return Checkout(answer.id, answer.url)

    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> PaymentEvent:
        verify_signature(self._webhook_secret, headers, raw_body, now=self._clock.now())
        return parse_event(raw_body)
