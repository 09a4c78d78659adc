"""Watchlists, loaded as numbered versions so a re-import never shows readers half a list.

An import writes a new `WatchlistVersion` (status `loading`) and its entities in batches, then one
short transaction points `Watchlist.active_version_id` at it (`active`) and retires the previous
version, whose rows are kept for one rollback; older versions' rows are purged (`purged`). A failed
import leaves its version `failed` with its rows deleted. Statuses:
loading → active → retired → purged, and loading → failed.

Watchlist data is public-source data (sanctions and PEP lists), not applicants' personal data: it is
stored in clear. `active_version_id` has no foreign key on purpose: watchlists ↔ versions would be a
cycle, which SQLite can only create by rebuilding tables and which makes every delete order-sensitive;
only the import service writes it, in the same transaction as the version statuses.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from keta.db.base import Base, UTCDateTime, UuidPk


class Watchlist(UuidPk, Base):
    __tablename__ = "watchlists"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    active_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WatchlistVersion(UuidPk, Base):
    __tablename__ = "watchlist_versions"
    __table_args__ = (UniqueConstraint("watchlist_id", "number", name="uq_watchlist_versions_watchlist_id_number"),)

    watchlist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("watchlists.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # loading | active | retired | purged | failed
    entity_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the imported file
    source: Mapped[str] = mapped_column(String(255))  # the file name, without its directory
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WatchlistEntity(UuidPk, Base):
    __tablename__ = "watchlist_entities"
    # (version_id, id): readers page through one version in primary-key order without sorting.
    __table_args__ = (Index("ix_watchlist_entities_version_id_id", "version_id", "id"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("watchlist_versions.id"))
    entity_id: Mapped[str] = mapped_column(String(255))
    names: Mapped[list[str]] = mapped_column(JSON)
    birth_dates: Mapped[list[str]] = mapped_column(JSON)  # "1980", "1980-05" or "1980-05-01"
    nationalities: Mapped[list[str]] = mapped_column(JSON)  # alpha-3
    gender: Mapped[str | None] = mapped_column(String(1))
    passport_numbers: Mapped[list[str]] = mapped_column(JSON)
    datasets: Mapped[list[str]] = mapped_column(JSON)
