"""The rate-limit counter in the database: one row per key, counted by one atomic upsert.

    INSERT … ON CONFLICT (key) DO UPDATE SET hits = CASE … END, window_ends_ms = CASE … END
    RETURNING hits, window_ends_ms

is `keta.domain.ratelimit.next_count` in one statement, on SQLite (≥ 3.35) and PostgreSQL alike:
two processes hitting the same key serialize on its row, and neither can read a stale count.

It runs on an engine of its own, each hit one statement in AUTOCOMMIT (one round trip): a hit
counts even when the request that made it fails later, and no request transaction ever waits on
the counter's row lock. That engine skips the pool's pre-ping (another round trip per hit) and
retries a hit once instead when the server dropped the connection (`make_lean_engine`). On PostgreSQL its sessions use
`synchronous_commit = off`: a database crash may forget the last few hundred milliseconds of hits
(a limit briefly more generous), never corrupt anything, and a hit does not wait for a disk flush.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, case, delete
from sqlalchemy.dialects import postgresql, sqlite

from keta.db.engine import make_lean_engine, retry_on_disconnect
from keta.db.hotpath import HotStatement
from keta.db.models.ratelimits import RateLimitWindow
from keta.domain.ratelimit import WindowCount

_table = RateLimitWindow
_SWEEP_EVERY = 4096  # hits between two deletions of ended windows (rows of idle keys)


class SqlCounter:
    def __init__(self, database_url: str) -> None:
        self._engine = make_lean_engine(database_url, synchronous_commit=False)
        self._upsert = _upsert(postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert)
        self._hits = 0

    def count(self, key: str, *, now_ms: int, window_ms: int) -> WindowCount:
        params = {"key": key, "now": now_ms, "ends": now_ms + window_ms}
        self._hits += 1
        sweep = self._hits % _SWEEP_EVERY == 0

        def hit() -> WindowCount:
            with self._engine.connect() as connection:
                [(hits, ends)] = self._upsert.rows(connection, params)
                if sweep:
                    connection.execute(delete(_table).where(_table.window_ends_ms <= now_ms))
            return WindowCount(int(hits), int(ends))

        return retry_on_disconnect(hit)

    def close(self) -> None:
        self._engine.dispose()


def _upsert(insert: Callable[[type[RateLimitWindow]], Any]) -> HotStatement:
    """next_count as one statement, built once per counter (bound parameters: key, now, ends)."""
    running = _table.window_ends_ms > bindparam("now")
    return HotStatement(
        insert(_table)
        .values(key=bindparam("key"), hits=1, window_ends_ms=bindparam("ends"))
        .on_conflict_do_update(
            index_elements=[_table.key],
            set_={
                "hits": case((running, _table.hits + 1), else_=1),
                "window_ends_ms": case((running, _table.window_ends_ms), else_=bindparam("ends")),
            },
        )
        .returning(_table.hits, _table.window_ends_ms)
    )
