"""The rate-limit counter in the database: one row per key, counted by one atomic upsert.

    INSERT … ON CONFLICT (key) DO UPDATE SET hits = CASE … END, window_ends_ms = CASE … END
    RETURNING hits, window_ends_ms

is `keta.domain.ratelimit.next_count` in one statement, on SQLite (≥ 3.35) and PostgreSQL alike:
two processes hitting the same key serialize on its row, and neither can read a stale count.

It runs on an engine of its own, in its own short transaction: a hit counts even when the request
that made it fails later, and the request's transaction never waits on the counter's row lock. On
PostgreSQL that engine's sessions use `synchronous_commit = off`: a crash may forget the last few
hundred milliseconds of hits (a limit briefly more generous), never corrupt anything, and each hit
no longer waits for a disk flush.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, delete, event
from sqlalchemy.dialects import postgresql, sqlite

from keta.db.engine import make_engine
from keta.db.models.ratelimits import RateLimitWindow
from keta.domain.ratelimit import WindowCount

_table = RateLimitWindow
_SWEEP_EVERY = 4096  # hits between two deletions of ended windows (rows of idle keys)


class SqlCounter:
    def __init__(self, database_url: str) -> None:
        self._engine = make_engine(database_url)
        self._insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        if self._engine.dialect.name == "postgresql":
            event.listen(self._engine, "connect", _relaxed_commit)
        self._hits = 0

    def count(self, key: str, *, now_ms: int, window_ms: int) -> WindowCount:
        running = _table.window_ends_ms > now_ms
        statement = (
            self._insert(_table)
            .values(key=key, hits=1, window_ends_ms=now_ms + window_ms)
            .on_conflict_do_update(
                index_elements=[_table.key],
                set_={
                    "hits": case((running, _table.hits + 1), else_=1),
                    "window_ends_ms": case((running, _table.window_ends_ms), else_=now_ms + window_ms),
                },
            )
            .returning(_table.hits, _table.window_ends_ms)
        )
        self._hits += 1
        with self._engine.begin() as connection:
            hits, ends = connection.execute(statement).one()
            if self._hits % _SWEEP_EVERY == 0:
                connection.execute(delete(_table).where(_table.window_ends_ms <= now_ms))
        return WindowCount(int(hits), int(ends))

    def close(self) -> None:
        self._engine.dispose()


def _relaxed_commit(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    dbapi_connection.commit()
