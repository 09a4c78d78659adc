"""The rate limiter on every backend — memory, SQL on SQLite and PostgreSQL, real Redis — with
the same rules, atomic under concurrency, and keys stored only as keyed hashes."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from redis import Redis
from sqlalchemy import select
from tests.conftest import NOW, Database

from keta.config import Settings
from keta.db.models import RateLimitWindow
from keta.services.ratelimits import RateLimiter, rate_limiter_for

BACKENDS = ["memory", "sqlite", "postgresql", "redis"]


@pytest.fixture(params=BACKENDS)
def limiter(request: pytest.FixtureRequest) -> Iterator[RateLimiter]:
    secret = secrets.token_hex(16)  # a fresh secret: this test's hashed keys collide with no one's
    if request.param == "memory":
        made = rate_limiter_for("memory://", database_url="unused", secret=secret)
    elif request.param == "redis":
        made = rate_limiter_for(request.getfixturevalue("redis_url"), database_url="unused", secret=secret)
    else:
        database: Database = request.getfixturevalue(f"{request.param}_database")
        made = rate_limiter_for("database", database_url=database.url, secret=secret)
    yield made
    made.close()
    if request.param in ("sqlite", "postgresql"):
        with database.engine.begin() as connection:
            connection.execute(RateLimitWindow.__table__.delete())


def test_limit_then_refuse_then_a_new_window(limiter: RateLimiter) -> None:
    decisions = [limiter.hit("login:203.0.113.7", limit=3, window_seconds=60, now=NOW) for _ in range(3)]
    assert [(d.allowed, d.remaining) for d in decisions] == [(True, 2), (True, 1), (True, 0)]
    refused = limiter.hit("login:203.0.113.7", limit=3, window_seconds=60, now=NOW + timedelta(seconds=15.2))
    assert (refused.allowed, refused.retry_after_seconds, refused.remaining) == (False, 45, 0)
    # Refused hits count too, and the window still ends when it opened + 60 s.
    again = limiter.hit("login:203.0.113.7", limit=3, window_seconds=60, now=NOW + timedelta(seconds=59.5))
    assert (again.allowed, again.retry_after_seconds) == (False, 1)
    fresh = limiter.hit("login:203.0.113.7", limit=3, window_seconds=60, now=NOW + timedelta(seconds=60))
    assert (fresh.allowed, fresh.remaining) == (True, 2)


def test_keys_are_independent(limiter: RateLimiter) -> None:
    assert limiter.hit("a", limit=1, window_seconds=10, now=NOW).allowed
    assert not limiter.hit("a", limit=1, window_seconds=10, now=NOW).allowed
    assert limiter.hit("b", limit=1, window_seconds=10, now=NOW).allowed


def test_concurrent_hits_are_counted_exactly_once_each(limiter: RateLimiter) -> None:
    threads, per_thread = 8, 25
    remaining: list[int] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(per_thread):
            decision = limiter.hit("carrier:hot", limit=10_000, window_seconds=60, now=NOW)
            with lock:
                remaining.append(decision.remaining)

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    # Every count from 1 to 200 was handed out exactly once: no lost update, no double count.
    assert sorted(10_000 - r for r in remaining) == list(range(1, threads * per_thread + 1))


def test_invalid_limits_are_refused(limiter: RateLimiter) -> None:
    with pytest.raises(ValueError, match="limit"):
        limiter.hit("a", limit=0, window_seconds=60, now=NOW)


def test_sql_store_holds_keyed_hashes_only(postgresql_database: Database) -> None:
    limiter = rate_limiter_for("database", database_url=postgresql_database.url, secret="s" * 32)
    try:
        limiter.hit("login:198.51.100.23", limit=5, window_seconds=60, now=NOW)
        with postgresql_database.factory() as session:
            keys = list(session.scalars(select(RateLimitWindow.key)))
    finally:
        limiter.close()
        with postgresql_database.engine.begin() as connection:
            connection.execute(RateLimitWindow.__table__.delete())
    assert len(keys) == 1 and len(keys[0]) == 64 and "198.51.100.23" not in keys[0]
    # Keyed: not the plain SHA-256 anyone could compute from a guessed address.
    assert keys[0] != hashlib.sha256(b"login:198.51.100.23").hexdigest()


def test_redis_store_holds_keyed_hashes_only(redis_url: str) -> None:
    secret = secrets.token_hex(16)
    limiter = rate_limiter_for(redis_url, database_url="unused", secret=secret)
    client = Redis.from_url(redis_url)
    try:
        before = set(client.scan_iter("keta:rl:*"))
        limiter.hit("document:TUR:U12345678", limit=5, window_seconds=60, now=NOW)
        [added] = set(client.scan_iter("keta:rl:*")) - before
        assert b"U12345678" not in added and len(added) == len(b"keta:rl:") + 64
        assert 0 < client.pttl(added) <= 61_000  # cleaned up by Redis after the window
        client.delete(added)
    finally:
        limiter.close()
        client.close()


def test_unknown_store_is_refused_by_the_settings() -> None:
    with pytest.raises(ValueError, match="redis://"):
        Settings(env="test", rate_limit_url="memcached://localhost")
    assert Settings(env="test").rate_limit_url == "database"
    with pytest.raises(ValueError, match="unknown rate-limit store"):
        rate_limiter_for("memcached://x", database_url="unused", secret="x")
