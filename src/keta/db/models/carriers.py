"""Carriers (airlines) with API keys for the carrier check, and the audit record of their checks.

A carrier's key is never stored: only its SHA-256 (see keta.services.carrier_keys for why a plain
hash is right for a 256-bit random key). Each check is recorded as which carrier asked, when, and
per passenger the document's keyed hash and the answer given — nothing more, so the audit trail
holds no name, no birth date and no document number.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime, UuidPk


class Carrier(UuidPk, Base):
    __tablename__ = "carriers"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the API key
    requests_per_minute: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # known but refused (403) until resumed
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the key is dead for good (401)


class CarrierCheck(UuidPk, Base):
    __tablename__ = "carrier_checks"
    __table_args__ = (Index("ix_carrier_checks_carrier_id_at", "carrier_id", "at"),)

    carrier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("carriers.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    passengers: Mapped[int] = mapped_column(Integer)
    # [[document_key or null for a row too malformed to have one, status], …] in the order sent
    answers: Mapped[list[list[str | None]]] = mapped_column(JSON)
