"""Periodic jobs through the ordinary job table: no cron, no second system.

Every worker's loop calls `Scheduler.tick` (at most every `check_seconds`). For each periodic job it
works out the period the clock is in — the hour (UTC), or the day in the scheme's time zone — and
inserts that period's job with `dedupe_key = "<kind>:<period start ISO>"`, ignoring a conflict on the
unique key. However many workers tick, one row exists per period, and the normal claim protocol runs
it once. A period nobody ticked in (all workers down) is not made up; the next one is, and every job
here is a catch-up query ("all that is past due"), so nothing is lost, only later.

A worker remembers the last period it saw enqueued per kind, so between period starts a tick costs
no query at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import local_date
from keta.db.queue import enqueue_once
from keta.db.session import session_scope
from keta.jobs.handlers import JobContext, handler
from keta.services import authorizations, confirmations, deadlines, requests, retention
from keta.services.runtime import Runtime

log = logging.getLogger("keta.scheduler")


class Every(StrEnum):
    HOUR = "hour"  # UTC hours
    DAY = "day"  # calendar days in the policy's time zone: K-ETA's dates are KST dates


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    kind: str
    every: Every
    run: Callable[[JobContext], int]  # returns how many things it changed (logged)


def period_start(every: Every, now: datetime, timezone: str) -> datetime:
    if every is Every.HOUR:
        return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return datetime.combine(local_date(now, timezone), time(0), tzinfo=ZoneInfo(timezone))


def dedupe_key(kind: str, start: datetime) -> str:
    return f"{kind}:{start.isoformat()}"


def _period(context: JobContext) -> str:
    return str(context.payload.get("dedupe_key", "manual"))


PERIODIC: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "expire_authorizations",
        Every.DAY,
        lambda c: authorizations.expire_authorizations(c.session, c.runtime, run=_period(c)),
    ),
    PeriodicJob(
        "escalate_deadlines", Every.HOUR, lambda c: deadlines.escalate_deadlines(c.session, c.runtime, run=_period(c))
    ),
    PeriodicJob("renewal_reminders", Every.DAY, lambda c: authorizations.send_renewal_reminders(c.session, c.runtime)),
    PeriodicJob("purge_idempotency", Every.HOUR, lambda c: retention.purge_idempotency_records(c.session, c.runtime)),
    PeriodicJob(
        "lapse_information_requests",
        Every.DAY,
        lambda c: requests.lapse_information_requests(c.session, c.runtime),
    ),
    # Agencies' filings whose applicant did not confirm in time are withdrawn, never screened.
    PeriodicJob(
        "expire_unconfirmed_filings", Every.HOUR, lambda c: confirmations.expire_unconfirmed(c.session, c.runtime)
    ),
    # The first page of the retention purge; each page queues the next as a `retention_purge` job.
    PeriodicJob("retention_purge_daily", Every.DAY, lambda c: _first_purge_page(c)),
)


def _first_purge_page(context: JobContext) -> int:
    """Starts the day's purge; the pages that follow count what they purge themselves."""
    retention.job_step(context.session, context.runtime, {})
    return 0


def _register(job: PeriodicJob) -> None:
    def run(context: JobContext) -> None:
        changed = job.run(context)
        log.info("%s (%s): %d changed", job.kind, _period(context), changed)

    handler(job.kind)(run)


for _job in PERIODIC:
    _register(_job)


class Scheduler:
    """One per worker: enqueues each due period's job once (per worker; the unique key makes it once overall)."""

    def __init__(self, jobs: Sequence[PeriodicJob] = PERIODIC, *, check_seconds: float = 30.0) -> None:
        self.jobs = tuple(jobs)
        self.interval = timedelta(seconds=check_seconds)
        self._checked_at: datetime | None = None
        self._seen: dict[str, str] = {}  # kind -> dedupe key of the period last enqueued (by anyone)

    def tick(self, factory: sessionmaker[Session], rt: Runtime) -> int:
        """Enqueue what is due; returns how many jobs this call inserted (0 when another worker did)."""
        now = rt.now()
        if self._checked_at is not None and timedelta(0) <= now - self._checked_at < self.interval:
            return 0
        self._checked_at = now
        keys = [(job, dedupe_key(job.kind, period_start(job.every, now, rt.policy.timezone))) for job in self.jobs]
        due = [(job, key) for job, key in keys if self._seen.get(job.kind) != key]
        if not due:
            return 0
        with session_scope(factory) as session:
            inserted = sum(
                enqueue_once(session, job.kind, {"dedupe_key": key}, dedupe_key=key, now=now) for job, key in due
            )
        self._seen.update((job.kind, key) for job, key in due)
        return inserted
