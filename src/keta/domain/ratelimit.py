"""Rate limiting, the arithmetic only: the counters live in a backend (memory, SQL or Redis), and
every backend follows the same rule, so they are interchangeable.

The rule is a fixed window anchored on a key's first hit: the first hit opens a window of
`window_seconds`, every hit until it ends is counted, and the first hit after it opens the next one.
Anchoring on the first hit (not on the clock's minute) gives every key its full window, and one
counter per key is something all three backends can update in a single atomic step. The known
price of a fixed window: a burst straddling two windows can pass up to twice the limit within one
window's length. Hits that are refused still count, so a client that keeps hammering stays refused
until the window ends, and `Retry-After` tells it when that is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    retry_after_seconds: int  # 0 when allowed; otherwise whole seconds until the window ends (at least 1)
    remaining: int  # hits still allowed in this window


@dataclass(frozen=True, slots=True)
class WindowCount:
    """What a backend reports after counting one hit: hits so far in the window, and its end."""

    hits: int
    window_ends_ms: int  # milliseconds since the Unix epoch


def next_count(current: WindowCount | None, *, now_ms: int, window_ms: int) -> WindowCount:
    """The counter after one more hit at `now_ms` (the reference every backend implements atomically)."""
    if current is None or current.window_ends_ms <= now_ms:
        return WindowCount(1, now_ms + window_ms)
    return WindowCount(current.hits + 1, current.window_ends_ms)


def decide(count: WindowCount, *, limit: int, now_ms: int) -> RateDecision:
    if count.hits <= limit:
        return RateDecision(True, 0, limit - count.hits)
    wait_ms = max(count.window_ends_ms - now_ms, 0)
    return RateDecision(False, max(1, -(-wait_ms // 1000)), 0)


@dataclass(frozen=True, slots=True)
class Rate:
    """A limit as the settings spell it: at most `limit` hits per key in a window of `window_seconds`."""

    limit: int
    window_seconds: int

    def __str__(self) -> str:
        return f"{self.limit}/{self.window_seconds}"


MAX_WINDOW_SECONDS = 7 * 24 * 3600


def parse_rate(text: str) -> Rate:
    """ "HITS/SECONDS" (e.g. "30/600": 30 hits in 10 minutes) → Rate; ValueError naming the problem."""
    hits, slash, seconds = text.strip().partition("/")
    if not slash or not hits.strip().isdigit() or not seconds.strip().isdigit():
        raise ValueError(f"{text!r} is not HITS/SECONDS, e.g. 30/600 (30 requests in 10 minutes)")
    rate = Rate(int(hits), int(seconds))
    if not 1 <= rate.limit <= 1_000_000 or not 1 <= rate.window_seconds <= MAX_WINDOW_SECONDS:
        raise ValueError(f"{text!r}: HITS must be 1 to 1,000,000 and SECONDS 1 to {MAX_WINDOW_SECONDS:,}")
    return rate
