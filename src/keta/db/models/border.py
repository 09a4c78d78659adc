"""The border desk: entries recorded at a port, and the staff API keys border systems use.

An entry names the passport only by its keyed hash (`document_key`, as the carrier check does), the
authorization it was made on (if any), the port, the local date and the officer — no name, no number.
One entry per passport, port and day: a second submission of the same entry finds the first.

A staff API key is stored as its SHA-256 only (the reasoning of keta.services.carrier_keys holds: a
256-bit random key needs no slow hash); it acts for the staff member it was issued to, with their role.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime, UuidPk


class BorderEntry(UuidPk, Base):
    __tablename__ = "border_entries"
    __table_args__ = (
        UniqueConstraint("document_key", "port", "entry_date"),
        Index("ix_border_entries_entry_date_port", "entry_date", "port"),
    )

    document_key: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)
    port: Mapped[str] = mapped_column(String(8))  # a code from the policy's ports of entry
    entry_date: Mapped[date] = mapped_column(Date)  # local date in the policy's time zone
    status: Mapped[str] = mapped_column(String(24))  # the look-up's answer when the entry was recorded
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(8))  # "page" | "api"
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class StaffApiKey(UuidPk, Base):
    __tablename__ = "staff_api_keys"

    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the key
    requests_per_minute: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
