"""Accredited travel agencies, their API keys, and the applicant's confirmation of what one filed.

An agency's key is never stored, only its SHA-256 (keta.services.api_keys says why a plain hash
is right for a 256-bit random key). An application an agency filed names it (`Application.agency_id`)
and waits for its applicant: one `ApplicantConfirmation` per such application holds the hash of the
link's secret that was e-mailed to the applicant, when that link lapses and what the applicant said.
Nothing personal is stored here.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime, UuidPk


class Agency(UuidPk, Base):
    __tablename__ = "agencies"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the API key
    requests_per_minute: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Accreditation suspended (e.g. while a complaint is looked into): known but refused (403) until resumed.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the key is dead for good (401)


class ApplicantConfirmation(UuidPk, Base):
    """The applicant's answer to an application filed on their behalf (confirmed, refused or none)."""

    __tablename__ = "applicant_confirmations"

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the link's secret
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # "I did not ask for this": withdrawn
