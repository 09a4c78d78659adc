"""Queries over watchlists: the active versions, their entities as domain values, summaries.

Readers only ever read versions that some list points at (`Watchlist.active_version_id`), never
a version being loaded. `iter_active_entries` pins the versions once, before its first page, then
pages through them by primary key: a list re-imported meanwhile does not change what it yields
(the previous version's rows are kept until the next import), and the caller may end its
transaction between pages — on SQLite a read transaction holds the write lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keta.db.models import Watchlist, WatchlistEntity, WatchlistVersion
from keta.domain.screening.model import PartialDate, WatchlistEntry

BATCH = 5000
_ENTRY_COLUMNS = (
    WatchlistEntity.id,
    WatchlistEntity.entity_id,
    WatchlistEntity.names,
    WatchlistEntity.birth_dates,
    WatchlistEntity.nationalities,
    WatchlistEntity.gender,
    WatchlistEntity.passport_numbers,
    WatchlistEntity.datasets,
)


class _EntityColumns(Protocol):
    """A `WatchlistEntity` or a row of `_ENTRY_COLUMNS`."""

    @property
    def entity_id(self) -> str: ...
    @property
    def names(self) -> list[str]: ...
    @property
    def birth_dates(self) -> list[str]: ...
    @property
    def nationalities(self) -> list[str]: ...
    @property
    def gender(self) -> str | None: ...
    @property
    def passport_numbers(self) -> list[str]: ...
    @property
    def datasets(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class WatchlistSummary:
    name: str
    version: int | None  # the active version's number; None before the first import
    entity_count: int
    skipped_count: int
    source: str | None
    activated_at: datetime | None


def get_watchlist(session: Session, name: str, *, lock: bool = False) -> Watchlist | None:
    """`lock`: SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes writers."""
    query = select(Watchlist).where(Watchlist.name == name)
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def active_version(session: Session, name: str) -> WatchlistVersion | None:
    query = (
        select(WatchlistVersion)
        .join(Watchlist, Watchlist.active_version_id == WatchlistVersion.id)
        .where(Watchlist.name == name)
    )
    return session.scalars(query).one_or_none()


def last_version_number(session: Session, watchlist_id: uuid.UUID) -> int:
    query = select(func.max(WatchlistVersion.number)).where(WatchlistVersion.watchlist_id == watchlist_id)
    return session.scalar(query) or 0


def versions_with_status(session: Session, watchlist_id: uuid.UUID, *statuses: str) -> Sequence[WatchlistVersion]:
    """Newest first."""
    query = (
        select(WatchlistVersion)
        .where(WatchlistVersion.watchlist_id == watchlist_id, WatchlistVersion.status.in_(statuses))
        .order_by(WatchlistVersion.number.desc())
    )
    return session.scalars(query).all()


def count_entities(session: Session, version_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(WatchlistEntity).where(WatchlistEntity.version_id == version_id)
    return session.scalar(query) or 0


def active_versions(session: Session) -> dict[uuid.UUID, str]:
    """Active version id → list name, for every list that has one."""
    query = select(Watchlist.active_version_id, Watchlist.name).where(Watchlist.active_version_id.is_not(None))
    return {version_id: name for version_id, name in session.execute(query) if version_id is not None}


def active_versions_signature(session: Session) -> str:
    """Changes whenever any list's active version changes: the in-memory index rebuilds on a change."""
    return ",".join(sorted(str(version_id) for version_id in active_versions(session)))


def iter_active_entries(session: Session, batch_size: int = BATCH) -> Iterator[WatchlistEntry]:
    """Every entity of every active version, list by list (by name), in pages of `batch_size`."""
    pinned = sorted(active_versions(session).items(), key=lambda item: item[1])
    for version_id, list_name in pinned:
        yield from iter_version_entries(session, version_id, list_name, batch_size)


def iter_version_entries(
    session: Session, version_id: uuid.UUID, list_name: str = "", batch_size: int = BATCH
) -> Iterator[WatchlistEntry]:
    last: uuid.UUID | None = None
    while True:
        query = select(*_ENTRY_COLUMNS).where(WatchlistEntity.version_id == version_id)
        if last is not None:
            query = query.where(WatchlistEntity.id > last)
        rows = session.execute(query.order_by(WatchlistEntity.id).limit(batch_size)).all()
        for row in rows:
            yield to_entry(row, list_name)
        if len(rows) < batch_size:
            return
        last = rows[-1].id


def to_entry(row: _EntityColumns, list_name: str = "") -> WatchlistEntry:
    return WatchlistEntry(
        entity_id=row.entity_id,
        names=tuple(row.names),
        birth_dates=tuple(PartialDate.parse(text) for text in row.birth_dates),
        nationalities=tuple(row.nationalities),
        gender=row.gender,
        passport_numbers=tuple(row.passport_numbers),
        list_name=list_name,
        datasets=tuple(row.datasets),
    )


def summaries(session: Session) -> list[WatchlistSummary]:
    query = (
        select(Watchlist.name, WatchlistVersion)
        .outerjoin(WatchlistVersion, Watchlist.active_version_id == WatchlistVersion.id)
        .order_by(Watchlist.name)
    )
    return [
        WatchlistSummary(name, None, 0, 0, None, None)
        if version is None
        else WatchlistSummary(
            name, version.number, version.entity_count, version.skipped_count, version.source, version.activated_at
        )
        for name, version in session.execute(query)
    ]
