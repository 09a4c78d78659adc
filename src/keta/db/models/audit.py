"""The audit trail: append-only records, each chained to the one before by a keyed hash.

`seq` is assigned by keta (head + 1), never by the database, so a gap is evidence of a deletion.
The head row holds the last sequence number and hash; appending locks it, which serializes
writers on PostgreSQL (SQLite serializes them anyway). Records hold ids and codes, never
personal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime


class AuditRecord(Base):
    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)  # a staff id, or "system:<part>"
    action: Mapped[str] = mapped_column(String(48), index=True)
    object_type: Mapped[str] = mapped_column(String(24))
    object_id: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The data key whose audit key sealed this record (see keta.db.models.keys); None: sealed before
    # rotation existed, by the key registered as id 1.
    key_id: Mapped[int | None] = mapped_column(Integer)


class AuditHead(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # always 1
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
