"""Applications, groups and their event history.

Personal data (names, birth date, passport, contact, travel details, answers) lives only in the
encrypted `pii` blob; look-ups go through HMAC blind indexes (`passport_key`, `person_key`,
`document_key`, `birth_key`, `email_key`). Columns left in clear are what operations and
statistics need: status, nationality, dates of the procedure, reason codes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keta.db.base import Base, UTCDateTime, UuidPk

if TYPE_CHECKING:
    from keta.db.models.agencies import ApplicantConfirmation


class Group(UuidPk, Base):
    __tablename__ = "groups"

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    policy_code: Mapped[str] = mapped_column(String(16))
    pii: Mapped[bytes] = mapped_column(LargeBinary)  # representative: name, e-mail, phone
    email_key: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # retention: personal data deleted

    members: Mapped[list[Application]] = relationship(back_populates="group", order_by="Application.member_index")


class Application(UuidPk, Base):
    __tablename__ = "applications"
    # The carrier check's look-up: one index probe per passenger, approved rows only read further.
    __table_args__ = (Index("ix_applications_document_key_status", "document_key", "status"),)

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    policy_code: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("groups.id"), index=True)
    member_index: Mapped[int | None] = mapped_column(Integer)
    nationality: Mapped[str] = mapped_column(String(3))
    passport_key: Mapped[str] = mapped_column(String(64), index=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    # Issuing country + number (keta.services.pii.document_key): how a carrier names a passport.
    document_key: Mapped[str] = mapped_column(String(64))
    # The birth date, keyed together with document_key, so a carrier's birth date can be compared
    # without decrypting anything (and equal birth dates of two people do not look equal here).
    birth_key: Mapped[str] = mapped_column(String(64))
    pii: Mapped[bytes] = mapped_column(LargeBinary)
    language: Mapped[str] = mapped_column(String(8))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applied_on: Mapped[date] = mapped_column(Date)  # local date in the policy's time zone
    arrival_date: Mapped[date] = mapped_column(Date)
    eligibility_outcome: Mapped[str] = mapped_column(String(16))
    eligibility_reasons: Mapped[list[str]] = mapped_column(JSON)
    corrects_personal_data: Mapped[bool] = mapped_column(default=False)
    decision_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    decision_detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_on: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"))
    # The ground of a refusal, revocation or annulment: a code the applicant reads in their language.
    ground: Mapped[str | None] = mapped_column(String(48))
    # Watchlist entities an officer already found to be someone else: re-screening does not raise them again.
    cleared_entities: Mapped[list[str]] = mapped_column(JSON, default=list)
    renewal_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Retention: when the personal data was deleted. `pii` is then empty (keta.adapters.crypto.PURGED)
    # and the blind indexes are empty strings, which no HMAC equals: NOT NULL stays, and SQLite need not
    # rebuild a table other tables reference.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The accredited travel agency that filed it (keta agency create), or None when the applicant did.
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"), index=True)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's documented spelling

    group: Mapped[Group | None] = relationship(back_populates="members")
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="(ApplicationEvent.at, ApplicationEvent.position)"
    )
    # Only for applications an agency filed: what their applicant answered to the e-mailed link.
    confirmation: Mapped[ApplicantConfirmation | None] = relationship(viewonly=True)


class ApplicationEvent(UuidPk, Base):
    """Every status change with who made it and why: the history an officer or auditor reads."""

    __tablename__ = "application_events"

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The step's place in the application's history: steps of one transaction share `at`.
    position: Mapped[int] = mapped_column(Integer, default=0)

    application: Mapped[Application] = relationship(back_populates="events")
