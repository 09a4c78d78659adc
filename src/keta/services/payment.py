"""Paying for an application or a whole group, and queueing its screening in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from keta.db.models import Application, Payment
from keta.db.queue import SCREEN_APPLICATION, enqueue
from keta.domain.applications import Status
from keta.domain.dates import full_age
from keta.domain.errors import Conflict, DomainError
from keta.domain.policy import Fee
from keta.services.lifecycle import move
from keta.services.references import new_reference
from keta.services.runtime import Runtime


class PaymentDeclinedError(DomainError):
    code = "payment_declined"

    def __init__(self, decline_code: str) -> None:
        self.decline_code = decline_code
        super().__init__(decline_code)


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


def pay(session: Session, rt: Runtime, *, applications: list[Application], token: str, description: str) -> Payment:
    """Charge once for all `applications` (one person, or every member of a group)."""
    # Members who withdrew before payment are simply not charged.
    payable = [a for a in applications if a.status == Status.SUBMITTED]
    if not payable:
        raise Conflict("already_paid" if any(a.payment_id for a in applications) else "not_payable")
    applications = payable
    amount, currency, refundable = quote(rt, applications)
    charge = rt.payments.charge(token=token, amount=amount, currency=currency, description=description)
    if not charge.captured:
        raise PaymentDeclinedError(charge.decline_code or "declined")
    now = rt.now()
    payment = Payment(
        reference=new_reference("P"),
        provider=rt.payments.name,
        provider_reference=charge.provider_reference,
        status="captured",
        amount=amount,
        currency=currency,
        persons=len(applications),
        refundable=refundable,
        created_at=now,
    )
    session.add(payment)
    session.flush()
    for application in applications:
        application.payment_id = payment.id
        move(application, Status.PAID, actor="applicant", reasons=[], now=now)
        enqueue(session, SCREEN_APPLICATION, {"application_id": str(application.id)}, now=now)
    session.flush()
    return payment
