"""Officer work: review cases, the actions taken on them, requests for information and redress.

Texts that may carry personal data — the screening findings an officer reads, internal notes,
a request's free text, the applicant's answers and documents — are AES-GCM blobs; the clear
columns are ids, codes, states and times, which the queue, the deadlines and the statistics need.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keta.db.base import Base, UTCDateTime, UuidPk
from keta.db.models.applications import Application


class ReviewCase(UuidPk, Base):
    __tablename__ = "review_cases"
    __table_args__ = (Index("ix_review_cases_queue", "status", "due_at"),)

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)  # codes, shown in the queue
    findings: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted: matches and their explanations
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposal: Mapped[str | None] = mapped_column(String(16))  # refuse | revoke | annul, awaiting a second person
    proposal_ground: Mapped[str | None] = mapped_column(String(48))
    proposed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(24))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # Two officers acting at once: the second flush finds another version and fails (a clear conflict).
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented spelling

    application: Mapped[Application] = relationship()
    actions: Mapped[list[CaseAction]] = relationship(back_populates="case", order_by="CaseAction.at")


class CaseAction(UuidPk, Base):
    """Every step on a case — claim, approve, propose, confirm, send back, ask, answer — with who and why."""

    __tablename__ = "case_actions"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))  # None: the applicant or the system
    ground: Mapped[str | None] = mapped_column(String(48))
    note: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted internal note
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    case: Mapped[ReviewCase] = relationship(back_populates="actions")


class InformationRequest(UuidPk, Base):
    __tablename__ = "information_requests"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_cases.id"), index=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    questions: Mapped[list[str]] = mapped_column(JSON)  # codes from the policy's list
    message: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted free text from the officer
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer_due_on: Mapped[date] = mapped_column(Date)
    answer: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted {"text", "documents": [...]}
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lapsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # no answer by the due date


class RedressRequest(UuidPk, Base):
    """A refused applicant's request for review: one per application."""

    __tablename__ = "redress_requests"

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), unique=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_cases.id"))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted {"reasons", "documents": [...]}
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
