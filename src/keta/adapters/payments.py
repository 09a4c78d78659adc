"""Payment providers. keta never sees card numbers: the portal hands over a provider token.

`SandboxPayments` is the fake twin of a real acquirer (which we cannot reach from here): a token
`tok_sandbox_ok` captures, `tok_sandbox_decline` is declined, anything else is invalid.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Charge:
    captured: bool
    provider_reference: str | None
    decline_code: str | None = None


class PaymentProvider(Protocol):
    name: str

    def charge(self, *, token: str, amount: Decimal, currency: str, description: str) -> Charge: ...


class SandboxPayments:
    name = "sandbox"
    OK, DECLINE = "tok_sandbox_ok", "tok_sandbox_decline"

    def charge(self, *, token: str, amount: Decimal, currency: str, description: str) -> Charge:
        if token == self.OK:
            return Charge(True, f"sbx_{secrets.token_hex(8)}")
        if token == self.DECLINE:
            return Charge(False, None, "card_declined")
        return Charge(False, None, "invalid_token")
