"""Engines for both backends, with the per-backend settings that make them behave the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")


def normalize_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` URLs and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10, **kwargs}
    return create_engine(url, **options)


def make_lean_engine(url: str, *, synchronous_commit: bool = True, pool_size: int = 5) -> Engine:
    """For hot paths (the carrier check, rate-limit counters), where each statement is atomic on
    its own: connections in AUTOCOMMIT from birth (no BEGIN/COMMIT round trips, no isolation
    switch at each checkout, nothing to roll back at each return), and no pre-ping, whose extra
    round trip per checkout would be a good part of a request. Callers run their work through
    `retry_on_disconnect` instead, which covers what pre-ping covers (a connection the server
    dropped while idle in the pool).

    `synchronous_commit=False` (PostgreSQL): a commit returns before its WAL reaches the disk. A
    crash of the database server can then lose the last few hundred milliseconds of commits
    (3 × wal_writer_delay), never corrupt or reorder anything; a crash of keta loses nothing.
    Waiting for the disk would cost each commit 1–3 ms on ordinary storage."""
    if normalize_url(url).startswith("sqlite"):
        return make_engine(url, execution_options={"isolation_level": "AUTOCOMMIT"})
    engine = make_engine(
        url, pool_pre_ping=False, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, pool_size=pool_size
    )
    if not synchronous_commit:
        event.listen(engine, "connect", _asynchronous_commit)
    return engine


def _asynchronous_commit(dbapi_connection: Any, _record: Any) -> None:
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    dbapi_connection.execute("SET synchronous_commit = off")
    dbapi_connection.autocommit = autocommit


def retry_on_disconnect(work: Callable[[], T]) -> T:
    """Run `work`; once more if the database dropped the connection under it (the pool has
    invalidated that connection by then, so the second attempt gets a fresh one)."""
    try:
        return work()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    return work()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINTs and SERIALIZABLE semantics; we take it
    # over (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two writers queue instead of failing mid-way
    # with "database is locked" when one upgrades from a read lock. A connection asked to run in
    # AUTOCOMMIT gets no transaction at all: each statement is its own, as on PostgreSQL.
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")
