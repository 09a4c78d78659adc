"""Fees, and the errors of paying. Paying itself is two steps: `checkout.start_checkout` when the
traveller presses "Pay", `payment_events.receive_webhook` when the provider confirms.

DomainError
├── PaymentUnavailable   the provider did not answer: nothing was charged, try again
├── WebhookRefused       an event with a bad or old signature, or a malformed body
└── PaymentMismatch      a verified event whose amount or currency is not the pending payment's
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from keta.db.models import Application
from keta.domain.dates import full_age
from keta.domain.errors import Conflict, DomainError
from keta.domain.policy import Fee
from keta.services.runtime import Runtime


class PaymentUnavailable(DomainError):
    code = "payment_unavailable"


class WebhookRefused(DomainError):
    code = "invalid_webhook"


class PaymentMismatch(DomainError):
    code = "payment_mismatch"


def fee_for(fee: Fee, birth_date: date, applied_on: date) -> Decimal:
    """Per-person total; ETIAS-like schemes waive it by age at application, K-ETA never does."""
    age = full_age(birth_date, applied_on)
    if (fee.waived_at_or_under is not None and age <= fee.waived_at_or_under) or (
        fee.waived_at_or_over is not None and age >= fee.waived_at_or_over
    ):
        return Decimal(0)
    return fee.total_per_person()


def quote(rt: Runtime, applications: list[Application]) -> tuple[Decimal, str, bool]:
    total, currency, refundable = Decimal(0), "", False
    for application in applications:
        fee = rt.policy.fee.on(application.applied_on)
        if fee is None:
            raise Conflict("no_fee_rule")
        birth = date.fromisoformat(rt.keyring.decrypt(application.pii)["passport"]["birth_date"])
        total += fee_for(fee, birth, application.applied_on)
        currency, refundable = fee.currency, fee.refundable
    return total, currency, refundable
