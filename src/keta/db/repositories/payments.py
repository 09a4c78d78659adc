"""Queries over payments, the applications they cover, and accepted webhook events."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import Application, Payment, PaymentEventRecord, PaymentItem


def by_reference(session: Session, reference: str) -> Payment | None:
    return session.scalars(select(Payment).where(Payment.reference == reference)).first()


def by_provider_reference(session: Session, provider: str, provider_reference: str) -> Payment | None:
    """The payment a webhook event names, locked (PostgreSQL) so two events for it settle in turn."""
    query = select(Payment).where(Payment.provider == provider, Payment.provider_reference == provider_reference)
    return session.scalars(query.with_for_update()).first()


def open_checkout(session: Session, provider: str, application_ids: Collection[uuid.UUID]) -> Payment | None:
    """The newest pending payment of `provider` covering exactly these applications, if any."""
    wanted = set(application_ids)
    query = (
        select(Payment)
        .join(PaymentItem, PaymentItem.payment_id == Payment.id)
        .where(Payment.provider == provider, Payment.status == "pending", PaymentItem.application_id.in_(wanted))
        .order_by(Payment.created_at.desc())
        .distinct()
    )
    for payment in session.scalars(query):
        if {item.application_id for item in payment.items} == wanted:
            return payment
    return None


def latest_for(session: Session, application_id: uuid.UUID) -> Payment | None:
    """The newest payment that covers the application (pending, captured or declined)."""
    query = (
        select(Payment)
        .join(PaymentItem, PaymentItem.payment_id == Payment.id)
        .where(PaymentItem.application_id == application_id)
        .order_by(Payment.created_at.desc())
    )
    return session.scalars(query).first()


def covered_applications(session: Session, payment: Payment) -> list[Application]:
    query = (
        select(Application)
        .join(PaymentItem, PaymentItem.application_id == Application.id)
        .where(PaymentItem.payment_id == payment.id)
        .order_by(Application.member_index, Application.submitted_at)
        .with_for_update()
    )
    return list(session.scalars(query))


def seen_event(session: Session, provider: str, event_id: str) -> PaymentEventRecord | None:
    query = select(PaymentEventRecord).where(
        PaymentEventRecord.provider == provider, PaymentEventRecord.event_id == event_id
    )
    return session.scalars(query).first()
