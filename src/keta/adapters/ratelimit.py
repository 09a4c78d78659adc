"""Rate-limit counters outside the database: in this process's memory, or in Redis.

Both follow `keta.domain.ratelimit.next_count` exactly (the SQL twin is `keta.db.ratelimit`); the
keys they receive are already keyed hashes (`keta.services.ratelimits`), never an address or a
document number.
"""

from __future__ import annotations

import threading
from typing import Protocol

from redis import Redis

from keta.domain.ratelimit import WindowCount, next_count


class Counter(Protocol):
    def count(self, key: str, *, now_ms: int, window_ms: int) -> WindowCount:
        """Count one hit on `key` and return the window's state after it, atomically."""
        ...

    def close(self) -> None: ...


class MemoryCounter:
    """One process only: right for a laptop or a single `keta serve`, wrong behind a load balancer
    (each process would allow the whole limit)."""

    _SWEEP_EVERY = 4096  # hits between two sweeps of ended windows, so idle keys do not pile up

    def __init__(self) -> None:
        self._windows: dict[str, WindowCount] = {}
        self._lock = threading.Lock()
        self._hits = 0

    def count(self, key: str, *, now_ms: int, window_ms: int) -> WindowCount:
        with self._lock:
            self._hits += 1
            if self._hits % self._SWEEP_EVERY == 0:
                self._windows = {k: w for k, w in self._windows.items() if w.window_ends_ms > now_ms}
            counted = next_count(self._windows.get(key), now_ms=now_ms, window_ms=window_ms)
            self._windows[key] = counted
            return counted

    def close(self) -> None:
        self._windows.clear()


# next_count in Lua: Redis runs a script atomically, so two processes never interleave inside it.
# The hash lives a second longer than its window (by Redis' own clock), only to be cleaned up.
_COUNT_SCRIPT = """
local ends = tonumber(redis.call('HGET', KEYS[1], 'e'))
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
if ends == nil or ends <= now then
  ends = now + window
  redis.call('HSET', KEYS[1], 'n', 1, 'e', ends)
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  return {1, ends}
end
return {redis.call('HINCRBY', KEYS[1], 'n', 1), ends}
"""


class RedisCounter:
    """Shared by every process that talks to the same Redis database."""

    def __init__(self, url: str, *, prefix: str = "keta:rl:") -> None:
        self._redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._script = self._redis.register_script(_COUNT_SCRIPT)
        self._prefix = prefix

    def count(self, key: str, *, now_ms: int, window_ms: int) -> WindowCount:
        hits, ends = self._script(keys=[self._prefix + key], args=[now_ms, window_ms])
        return WindowCount(int(hits), int(ends))

    def close(self) -> None:
        self._redis.close()
