"""Time as a dependency: services ask the clock, the domain is handed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and replays; `advance` moves it forward."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def local_date(at: datetime, timezone: str) -> date:
    """The calendar date at `at` in the scheme's zone: K-ETA's '00:00 KST' boundaries need this."""
    return at.astimezone(ZoneInfo(timezone)).date()
