"""The provider's word on a payment: a signed webhook event, verified, matched, applied once.

Only here do applications become paid, and their screening is queued in the same transaction.
An event is applied once per (provider, event id): a replayed delivery answers "replayed" and
changes nothing. An event whose amount or currency is not the pending payment's is refused and
logged (payment reference only, never personal data). A decline leaves the applications payable.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keta.adapters.payments import InvalidWebhook, Outcome, PaymentEvent, SandboxPayments
from keta.db.models import Application, Payment, PaymentEventRecord
from keta.db.queue import SCREEN_APPLICATION, enqueue
from keta.db.repositories import payments as repo
from keta.domain.applications import Status
from keta.domain.errors import Conflict, NotFound
from keta.services.checkout import start_checkout
from keta.services.lifecycle import move
from keta.services.payment import PaymentMismatch, WebhookRefused
from keta.services.runtime import Runtime

log = logging.getLogger("keta.payments")
PROVIDER_ACTOR = "payment_provider"


def receive_webhook(session: Session, rt: Runtime, *, headers: Mapping[str, str], raw_body: bytes) -> str:
    """Verify and apply one webhook delivery; answers what keta did (captured, declined, replayed…)."""
    try:
        event = rt.payments.verify_webhook(headers, raw_body)
    except InvalidWebhook as refused:
        log.warning("payment webhook refused: %s", refused.code)
        raise WebhookRefused() from None
    return apply_event(session, rt, event)


def apply_event(session: Session, rt: Runtime, event: PaymentEvent) -> str:
    provider = rt.payments.name
    if repo.seen_event(session, provider, event.event_id) is not None:
        return "replayed"
    payment = repo.by_provider_reference(session, provider, event.provider_reference)
    if payment is None:
        log.warning("payment webhook for an unknown checkout refused")
        raise NotFound()
    if (event.amount, event.currency) != (payment.amount, payment.currency):
        log.warning(
            "payment %s: webhook amount or currency differs from the pending payment; refused", payment.reference
        )
        raise PaymentMismatch()
    record = PaymentEventRecord(
        provider=provider,
        event_id=event.event_id,
        payment_id=payment.id,
        outcome=event.outcome,
        result="ignored",
        received_at=rt.now(),
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:  # the same event, delivered twice at once: the other delivery applies it
        return "replayed"
    record.result = _settle(session, rt, payment, event.outcome)
    session.flush()
    return record.result


def _settle(session: Session, rt: Runtime, payment: Payment, outcome: Outcome) -> str:
    now = rt.now()
    if outcome == "declined":
        if payment.status != "pending":
            return "ignored"  # a decline after a capture changes nothing
        payment.status, payment.settled_at = "declined", now
        return "declined"
    if payment.status in ("captured", "unapplied"):
        return "ignored"
    # Captured money is honoured even after a decline of the same checkout (a second card worked).
    waiting = [a for a in repo.covered_applications(session, payment) if a.status == Status.SUBMITTED]
    payment.settled_at = now
    if not waiting:
        payment.status = "unapplied"
        log.warning("payment %s captured, but nothing it covers is still payable: refund it", payment.reference)
        return "unapplied"
    payment.status = "captured"
    for application in waiting:
        application.payment_id = payment.id
        move(application, Status.PAID, actor=PROVIDER_ACTOR, reasons=[], now=now)
        enqueue(session, SCREEN_APPLICATION, {"application_id": str(application.id)}, now=now)
    return "captured"


def settle_in_sandbox(
    session: Session, rt: Runtime, *, provider_reference: str, outcome: Outcome, amount: Decimal, currency: str
) -> str:
    """What the sandbox's Pay/Decline buttons do: a signed event, through the same verification."""
    sandbox = rt.payments
    if not isinstance(sandbox, SandboxPayments):
        raise Conflict("not_payable")
    headers, body = sandbox.signed_event(
        provider_reference=provider_reference, outcome=outcome, amount=amount, currency=currency
    )
    return receive_webhook(session, rt, headers=headers, raw_body=body)


def pay_in_sandbox(session: Session, rt: Runtime, *, applications: list[Application], description: str) -> Payment:
    """Checkout and capture in one go, as a traveller pressing "Pay (sandbox)" would (demo, tests)."""
    started = start_checkout(session, rt, applications=applications, description=description, return_url="/status")
    payment = started.payment
    assert payment.provider_reference is not None
    settle_in_sandbox(
        session,
        rt,
        provider_reference=payment.provider_reference,
        outcome="captured",
        amount=payment.amount,
        currency=payment.currency,
    )
    return payment
