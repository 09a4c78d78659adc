"""Payments (one per individual application or per group), what each covers, the provider's
webhook events we accepted, and stored idempotent responses.

A payment is `pending` from the moment its checkout starts until a verified webhook event says
`captured` or `declined`. Which applications it pays for is written when the checkout starts
(`payment_items`), so the event only has to name the checkout. `Application.payment_id` is set on
capture only: it means "paid by".
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keta.db.base import Base, UTCDateTime, UuidPk


class Payment(UuidPk, Base):
    __tablename__ = "payments"
    # A unique index rather than a constraint: SQLite adds it without rebuilding the table.
    __table_args__ = (Index("ix_payments_provider_reference", "provider", "provider_reference", unique=True),)

    reference: Mapped[str] = mapped_column(String(24), unique=True)
    provider: Mapped[str] = mapped_column(String(32))
    provider_reference: Mapped[str | None] = mapped_column(String(64))
    # pending → captured | declined; `unapplied`: captured, but nothing was left to pay (to refund).
    status: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    persons: Mapped[int] = mapped_column(Integer)
    refundable: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checkout_url: Mapped[str | None] = mapped_column(String(2000))
    return_url: Mapped[str | None] = mapped_column(String(2000))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list[PaymentItem]] = relationship(back_populates="payment", cascade="all, delete-orphan")


class PaymentItem(Base):
    """One application a payment covers."""

    __tablename__ = "payment_items"

    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), primary_key=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), primary_key=True, index=True)

    payment: Mapped[Payment] = relationship(back_populates="items")


class PaymentEventRecord(UuidPk, Base):
    """A webhook event keta acted on, kept so a replayed delivery changes nothing."""

    __tablename__ = "payment_events"
    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_payment_events_provider_event_id"),)

    provider: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(64))
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # captured | declined, as the provider said
    result: Mapped[str] = mapped_column(String(16))  # what keta did: captured | declined | unapplied | ignored
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdempotencyRecord(UuidPk, Base):
    """The first response to a request carrying an `Idempotency-Key`, replayed for repeats.

    Neither the client's key nor its body is stored: both as HMAC-SHA256 with the blind-index key
    (a body holds a passport number, which a plain hash would give away to a brute force in minutes;
    a key may be anything a client chose). Records past KETA_IDEMPOTENCY_HOURS are ignored, then purged.
    """

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key_hash", name="uq_idempotency_records_scope_key_hash"),)

    scope: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
