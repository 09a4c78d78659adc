"""`RateLimiter.hit(key, limit=, window_seconds=, now=)`: one interface for every limit in keta —
the carrier API's per-carrier budget, and the applicant API's, the portal's and the back office's limits
on look-ups, submissions, payments and sign-ins (`enforce`, called by keta.web.throttle).

The counter behind it is chosen by `KETA_RATE_LIMIT_URL`:

    database (default)     the application database's `rate_limit_windows` table: shared by every
                           process on that database, nothing else to run
    redis://host:port/db   Redis: shared, and cheapest per hit when limits are hit very often
    memory://              this process only: a single process on a laptop

Keys are turned into keyed hashes (HMAC-SHA256 with a key derived from KETA_SECRET_KEY) before
any counter sees them, so no table or Redis key ever holds an IP address, a document number or a
carrier's name in clear.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime

from keta.adapters.crypto import derive_key
from keta.adapters.ratelimit import Counter, MemoryCounter, RedisCounter
from keta.db.ratelimit import SqlCounter
from keta.domain.errors import RateLimited
from keta.domain.ratelimit import Rate, RateDecision, decide

MEMORY, DATABASE = "memory://", "database"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class RateLimiter:
    def __init__(self, counter: Counter, *, secret: str) -> None:
        self._counter = counter
        self._key = derive_key(secret, b"keta/rate-limit-keys/v1")

    def hit(self, key: str, *, limit: int, window_seconds: int, now: datetime) -> RateDecision:
        """Count one hit on `key`; allowed while the window has seen at most `limit` hits."""
        if limit < 1 or window_seconds < 1:
            raise ValueError("a rate limit needs limit >= 1 and window_seconds >= 1")
        now_ms = int(now.timestamp() * 1000)
        digest = hmac.new(self._key, key.encode(), hashlib.sha256).hexdigest()
        counted = self._counter.count(digest, now_ms=now_ms, window_ms=window_seconds * 1000)
        return decide(counted, limit=limit, now_ms=now_ms)

    def close(self) -> None:
        self._counter.close()


def enforce(limiter: RateLimiter, hits: Sequence[tuple[str, Rate]], *, now: datetime) -> None:
    """Count one hit on every key; RateLimited with the longest wait when any of them is over.

    Every key is counted even when an earlier one already refuses, so a client hammering one
    reference keeps that reference's window running as well as its own.
    """
    waits = []
    for key, rate in hits:
        decision = limiter.hit(key, limit=rate.limit, window_seconds=rate.window_seconds, now=now)
        if not decision.allowed:
            waits.append(decision.retry_after_seconds)
    if waits:
        raise RateLimited(max(waits))


def is_shared(url: str) -> bool:
    """Whether every process using `url` sees the same counts (memory:// is per process)."""
    return url != MEMORY


def counter_for(url: str, *, database_url: str) -> Counter:
    if url == MEMORY:
        return MemoryCounter()
    if url == DATABASE:
        return SqlCounter(database_url)
    if url.startswith(REDIS_SCHEMES):
        return RedisCounter(url)
    raise ValueError(f"unknown rate-limit store {url!r}: use database, memory:// or redis://host:port/db")


def rate_limiter_for(url: str, *, database_url: str, secret: str) -> RateLimiter:
    return RateLimiter(counter_for(url, database_url=database_url), secret=secret)
