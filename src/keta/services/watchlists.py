"""Importing a watchlist as a new version, switched to in one short transaction; rolling back.

**The exception to "services never commit", and why.** A list of a million entities cannot be loaded
in one transaction: on SQLite it would hold the only write lock for minutes (every submission and
payment would wait), and on PostgreSQL a failure at 90 % would have to undo it all. So
`import_watchlist` takes a `sessionmaker`, not a session, and opens its own short transactions with
`db.session.session_scope` (the helper the CLI and the worker commit with). The edge still decides
which database and when; the service decides where the transaction boundaries fall, because the
guarantee "readers never see half a list" depends on exactly where they are:

1. register — the list (created on its first import) gets version N+1, status `loading`. Any older
   `loading` version of the list (an import that crashed, or one still running) becomes `failed`:
   only the newest import may activate.
2. load — the entities in batches, one transaction each. Readers never read a `loading` version.
3. activate — one short transaction with the list row locked: the version becomes `active` (if it
   is still `loading`), the previous one `retired`, and `active_version_id` moves. This is the only
   moment readers' view changes, and it changes all at once. The same transaction queues the
   re-screening of every valid authorization (`keta.services.rescreen`); a rollback queues one too.
4. purge — rows of older retired versions and of failed ones are deleted, in batches.

An exception in 1–3 marks the version `failed`, deletes its rows and propagates: the active version
is untouched. `rollback_watchlist` is an ordinary service again (it flushes; the edge commits).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import Clock
from keta.adapters.safelog import describe
from keta.adapters.watchlist_sources import LineProblem
from keta.db.models import Watchlist, WatchlistEntity, WatchlistVersion
from keta.db.repositories import watchlists as repo
from keta.db.session import session_scope
from keta.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from keta.domain.screening.model import WatchlistEntry
from keta.services import audit, rescreen

log = logging.getLogger("keta.watchlists")
BATCH = 5000
MAX_PROBLEMS = 100
LOADING, ACTIVE, RETIRED, PURGED, FAILED = "loading", "active", "retired", "purged", "failed"


@dataclass(frozen=True, slots=True)
class ImportReport:
    list_name: str
    version: int
    loaded: int
    skipped: int  # malformed lines; skipped FtM schemas are counted by the reader, not here
    skipped_by_code: dict[str, int]
    problems: tuple[LineProblem, ...]  # the first MAX_PROBLEMS, in file order
    duration: float  # seconds


def import_watchlist(
    factory: sessionmaker[Session],
    clock: Clock,
    *,
    name: str,
    items: Iterable[WatchlistEntry | LineProblem],
    source: str,
    checksum: str,
    batch_size: int = BATCH,
    actor: str = "cli",
) -> ImportReport:
    """Load `items` as the list's new version and activate it; raises Conflict("nothing_to_import")
    when no entry was usable (an empty version never replaces a list)."""
    started = time.perf_counter()
    if not name.strip() or len(name) > 64:
        raise InvalidInput([FieldProblem("list", "required" if not name.strip() else "too_long")])
    version_id, number = _register(factory, clock, name, PurePath(source).name[:255], checksum)
    try:
        loaded, counts, problems = _load(factory, version_id, items, batch_size)
        if not loaded:
            raise Conflict("nothing_to_import")
        previous = _activate(factory, clock, name, version_id, loaded, sum(counts.values()), actor=actor)
    except BaseException:
        _discard(factory, version_id)
        raise
    _purge(factory, name, keep=previous)
    log.info("watchlist %s: version %d active with %d entities", name, number, loaded)
    skipped = sum(counts.values())
    return ImportReport(name, number, loaded, skipped, dict(counts), tuple(problems), time.perf_counter() - started)


def rollback_watchlist(session: Session, clock: Clock, *, name: str, actor: str = "cli") -> WatchlistVersion:
    """Make the retired version active again (its rows are kept until the next import)."""
    watchlist = repo.get_watchlist(session, name, lock=True)
    if watchlist is None:
        raise NotFound("watchlist")
    retired = repo.versions_with_status(session, watchlist.id, RETIRED)
    current = session.get(WatchlistVersion, watchlist.active_version_id) if watchlist.active_version_id else None
    if not retired or current is None:
        raise Conflict("no_version_to_roll_back_to")
    target, now = retired[0], clock.now()
    current.status, target.status, target.activated_at = RETIRED, ACTIVE, now
    watchlist.active_version_id, watchlist.updated_at = target.id, now
    rescreen.request(session, trigger=f"watchlist:{name}:{target.number}", now=now)
    audit.list_changed(session, action="watchlist.rolled_back", name=name, now=now, actor=actor, version=target.number)
    session.flush()
    return target


def _register(
    factory: sessionmaker[Session], clock: Clock, name: str, source: str, checksum: str
) -> tuple[uuid.UUID, int]:
    with session_scope(factory) as session:
        watchlist = repo.get_watchlist(session, name, lock=True)
        if watchlist is None:
            watchlist = Watchlist(name=name, updated_at=clock.now())
            session.add(watchlist)
            session.flush()
        for stale in repo.versions_with_status(session, watchlist.id, LOADING):
            stale.status = FAILED
        version = WatchlistVersion(
            watchlist_id=watchlist.id,
            number=repo.last_version_number(session, watchlist.id) + 1,
            status=LOADING,
            entity_count=0,
            skipped_count=0,
            checksum=checksum,
            source=source,
            created_at=clock.now(),
        )
        session.add(version)
        session.flush()
        return version.id, version.number


def _load(
    factory: sessionmaker[Session], version_id: uuid.UUID, items: Iterable[WatchlistEntry | LineProblem], size: int
) -> tuple[int, Counter[str], list[LineProblem]]:
    loaded, counts, problems, batch = 0, Counter[str](), list[LineProblem](), list[dict[str, Any]]()
    for item in items:
        if isinstance(item, LineProblem):
            counts[item.code] += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(item)
            continue
        batch.append(_row(version_id, item))
        if len(batch) >= size:
            loaded += _insert(factory, batch)
            batch = []
    return loaded + (_insert(factory, batch) if batch else 0), counts, problems


def _row(version_id: uuid.UUID, entry: WatchlistEntry) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "version_id": version_id,
        "entity_id": entry.entity_id,
        "names": list(entry.names),
        "birth_dates": [str(d) for d in entry.birth_dates],
        "nationalities": list(entry.nationalities),
        "gender": entry.gender,
        "passport_numbers": list(entry.passport_numbers),
        "datasets": list(entry.datasets),
    }


def _insert(factory: sessionmaker[Session], rows: list[dict[str, Any]]) -> int:
    with session_scope(factory) as session:
        session.execute(insert(WatchlistEntity), rows)
    return len(rows)


def _activate(
    factory: sessionmaker[Session],
    clock: Clock,
    name: str,
    version_id: uuid.UUID,
    loaded: int,
    skipped: int,
    *,
    actor: str,
) -> uuid.UUID | None:
    with session_scope(factory) as session:
        watchlist = repo.get_watchlist(session, name, lock=True)
        version = session.get(WatchlistVersion, version_id)
        if watchlist is None or version is None or version.status != LOADING:
            raise Conflict("superseded_by_a_newer_import")
        previous = watchlist.active_version_id
        if previous is not None:
            session.execute(update(WatchlistVersion).where(WatchlistVersion.id == previous).values(status=RETIRED))
        version.status, version.activated_at = ACTIVE, clock.now()
        version.entity_count, version.skipped_count = loaded, skipped
        watchlist.active_version_id, watchlist.updated_at = version_id, clock.now()
        rescreen.request(session, trigger=f"watchlist:{name}:{version.number}", now=clock.now())
        audit.list_changed(
            session, action="watchlist.activated", name=name, now=clock.now(), actor=actor,
            version=version.number, entities=loaded, skipped=skipped,
        )  # fmt: skip
        return previous


def _purge(factory: sessionmaker[Session], name: str, *, keep: uuid.UUID | None) -> None:
    """Delete the rows of every retired version but `keep` (one rollback), and of failed versions."""
    with session_scope(factory) as session:
        watchlist = repo.get_watchlist(session, name)
        assert watchlist is not None
        retired = [v.id for v in repo.versions_with_status(session, watchlist.id, RETIRED) if v.id != keep]
        failed = [v.id for v in repo.versions_with_status(session, watchlist.id, FAILED)]
    for version_id in [*retired, *failed]:
        _delete_rows(factory, version_id)
    if not retired:
        return
    with session_scope(factory) as session:
        session.execute(update(WatchlistVersion).where(WatchlistVersion.id.in_(retired)).values(status=PURGED))


def _discard(factory: sessionmaker[Session], version_id: uuid.UUID) -> None:
    """After a failed import: the version becomes `failed` and its rows go. Never masks the failure."""
    try:
        with session_scope(factory) as session:
            stmt = update(WatchlistVersion).where(WatchlistVersion.id == version_id, WatchlistVersion.status == LOADING)
            session.execute(stmt.values(status=FAILED))
        _delete_rows(factory, version_id)
    except Exception as exc:  # the next import marks and purges what is left
        log.warning("cleanup after a failed watchlist import failed: %s", describe(exc))


def _delete_rows(factory: sessionmaker[Session], version_id: uuid.UUID) -> None:
    page = select(WatchlistEntity.id).where(WatchlistEntity.version_id == version_id).limit(BATCH)
    while True:
        with session_scope(factory) as session:
            deleted = _rowcount(session, delete(WatchlistEntity).where(WatchlistEntity.id.in_(page)))
        if deleted < BATCH:
            return


def _rowcount(session: Session, statement: Executable) -> int:
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return cast(CursorResult[Any], result).rowcount
